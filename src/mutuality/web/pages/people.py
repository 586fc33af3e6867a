"""The people list, a person's page, and the forms to add, edit and forget people."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any, Literal, TypedDict
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from mutuality.core.errors import MutualityError
from mutuality.core.health import Status
from mutuality.core.model import Channel, ExchangeKind, Intent, RelationshipContext
from mutuality.core.todo import headline
from mutuality.core.words import short_date
from mutuality.formats.charts import balance_chart
from mutuality.services.app import Mutuality
from mutuality.services.people import PersonChanges
from mutuality.web.deps import AppDep, CheckedForm, CurrentAccount, PersonId
from mutuality.web.pages import Text, split_list, whole
from mutuality.web.render import page

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
TIMELINE_PAGE = 25
Short = Annotated[str, Query(max_length=200)]


@router.get("/people")
def people(
    request: Request,
    app: AppDep,
    _: CurrentAccount,
    search: Short = "",
    tag: Short = "",
    status: Short = "",
    sort: Short = "name",
    page_number: Annotated[int, Query(alias="page", ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    found = app.overview.people(search, tag, status, sort, PAGE_SIZE, (page_number - 1) * PAGE_SIZE)
    context = {
        "page": found,
        "search": search,
        "tag": tag,
        "status": status,
        "sort": sort,
        "statuses": [s.value for s in Status],
    }
    return page(request, "people.html", context)


def person_page(
    request: Request,
    app: Mutuality,
    person_id: int,
    page_number: int = 1,
    values: dict[str, Any] | None = None,
    error: str | None = None,
    logged: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    offset = (page_number - 1) * TIMELINE_PAGE
    shown = app.overview.person(person_id, TIMELINE_PAGE, offset)
    details = shown.details
    status_words, next_words = headline(shown.why.health, details.person.name)
    until = app.todo.snoozed().get(person_id)  # kept until the next write: no extra read
    context = {
        "p": details.person,
        "details": details,
        "status_words": status_words,
        "next_words": next_words,
        "snoozed_until": until,
        "snoozed_words": short_date(until, app.today()) if until is not None else "",
        "thanks_text": (
            f"Thanked them for {shown.why.gifts[0].description}" if shown.why.gifts else ""
        ),
        "why": shown.why,
        "timeline": shown.timeline,
        "limit": TIMELINE_PAGE,
        "offset": offset,
        "chart": Markup(balance_chart(shown.history.points, details.person.name, responsive=True)),
        "commitments": shown.commitments,
        "checkins": shown.checkins,
        "pending_wishes": app.wishes.among(shown.checkins),
        "wishes": shown.wishes,
        "introductions": shown.introductions,
        "channels": [c.value for c in Channel],
        "kinds": [k.value for k in ExchangeKind],
        "action": f"/people/{person_id}/exchanges",
        "ask_person": False,
        "values": exchange_values(values or {}),
        "error": error,
        "logged": logged,
    }
    return page(request, "person.html", context, status=status)


def exchange_values(given: dict[str, Any]) -> dict[str, Any]:
    """What an exchange form shows: the values sent back after an error, else defaults."""
    keys = (
        "person",
        "direction",
        "kind",
        "description",
        "on",
        "benefit",
        "cost",
        "hours",
        "by",
        "tags",
        "outcome",
        "note",
    )
    values = {key: given.get(key) or "" for key in keys}
    values["kind"] = values["kind"] or ExchangeKind.TIME.value
    return values


@router.get("/people/new")
def new_person(request: Request, _: CurrentAccount) -> HTMLResponse:
    return person_form(request, "Add a person", "/people/new", "Add", {})


def person_form(
    request: Request,
    heading: str,
    action: str,
    button: str,
    values: dict[str, Any],
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    keys = (
        "name",
        "context",
        "cadence",
        "intent",
        "intent_until",
        "intent_reason",
        "organisation",
        "title",
        "emails",
        "phones",
        "tags",
        "note",
    )
    shown = {key: values.get(key) or "" for key in keys}
    shown["context"] = shown["context"] or RelationshipContext.OTHER.value
    context = {
        "heading": heading,
        "action": action,
        "button": button,
        "values": shown,
        "error": error,
        "contexts": [c.value for c in RelationshipContext],
        "intents": ["auto", *(i.value for i in Intent)],
    }
    return page(request, "person_form.html", context, status=status)


def person_fields(
    name: Annotated[str, Form(max_length=1000)] = "",
    context: Annotated[str, Form(max_length=100)] = "other",
    cadence: Annotated[str, Form(max_length=20)] = "",
    intent: Annotated[str, Form(max_length=20)] = "auto",
    intent_until: Annotated[str, Form(max_length=20)] = "",
    intent_reason: Text = "",
    organisation: Text = "",
    title: Text = "",
    emails: Text = "",
    phones: Text = "",
    tags: Text = "",
    note: Text = "",
) -> dict[str, str]:
    """The fields of the person form, declared once for adding and for editing."""
    return dict(
        name=name,
        context=context,
        cadence=cadence,
        intent=intent,
        intent_until=intent_until,
        intent_reason=intent_reason,
        organisation=organisation,
        title=title,
        emails=emails,
        phones=phones,
        tags=tags,
        note=note,
    )


PersonFields = Annotated[dict[str, str], Depends(person_fields)]


class _IntentFields(TypedDict):
    intent: str | None
    intent_until: str | None
    intent_reason: str | None


def _intent_fields(values: dict[str, str]) -> _IntentFields:
    """The form's intent as ``people.add`` takes it: ``auto`` chooses none."""
    chosen = values["intent"] or "auto"
    return {
        "intent": None if chosen == "auto" else chosen,
        "intent_until": values["intent_until"] or None,
        "intent_reason": values["intent_reason"] or None,
    }


@router.post("/people/new")
def add_person(
    request: Request,
    app: AppDep,
    _: CheckedForm,
    values: PersonFields,
) -> Response:
    try:
        person = app.people.add(
            values["name"],
            emails=split_list(values["emails"]),
            phones=split_list(values["phones"]),
            tags=split_list(values["tags"]),
            organisation=values["organisation"] or None,
            title=values["title"] or None,
            private_note=values["note"] or None,
            context=values["context"],
            cadence_days=whole(values["cadence"], "cadence"),
            **_intent_fields(values),
        )
    except MutualityError as error:
        return person_form(
            request, "Add a person", "/people/new", "Add", values, str(error), error.status
        )
    return RedirectResponse(f"/people/{person.id}", status_code=303)


DONE = {
    "contact": "Logged: you were in touch today.",
    "thanks": "Logged your thank-you.",
    "snoozed": "Snoozed: off your to-do list until the day shown.",
    "unsnoozed": "Back on your to-do list.",
}
"""What a person's page (and the dashboard) says after one of its buttons did its work."""
Done = Annotated[Literal["contact", "thanks", "snoozed", "unsnoozed"] | None, Query()]


@router.get("/people/{person_id}")
def person(
    request: Request,
    app: AppDep,
    _: CurrentAccount,
    person_id: PersonId,
    page_number: Annotated[int, Query(alias="page", ge=1, le=1_000_000)] = 1,
    logged: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    done: Done = None,
) -> HTMLResponse:
    note = f"Logged exchange #{logged}." if logged else DONE[done] if done else None
    return person_page(request, app, person_id, page_number, logged=note)


# --- the buttons of the decision: each does one thing, then goes back where it was pressed --

Back = Annotated[Literal["person", "dashboard"], Form()]


def _back(back: str, person_id: int, done: str) -> RedirectResponse:
    """To the dashboard's to-do list or to the person's page, saying what was done (never to
    an address the form chose: only these two)."""
    if back == "dashboard":
        return RedirectResponse(f"/?{urlencode({'done': done, 'person': person_id})}#todo", 303)
    return RedirectResponse(f"/people/{person_id}?done={done}", status_code=303)


@router.post("/people/{person_id}/checked-in")
def checked_in(app: AppDep, _: CheckedForm, person_id: PersonId, back: Back = "person") -> Response:
    """You were in touch today (you reached out): the check-in clock starts again."""
    app.todo.checked_in(person_id)
    return _back(back, person_id, "contact")


@router.post("/people/{person_id}/thanked")
def thanked(
    app: AppDep, _: CheckedForm, person_id: PersonId, what: Text = "", back: Back = "person"
) -> Response:
    """You thanked them: logged as appreciation you gave, naming what they gave you."""
    app.todo.thanked(person_id, what.strip() or None)
    return _back(back, person_id, "thanks")


@router.post("/people/{person_id}/snooze")
def snooze(
    app: AppDep,
    _: CheckedForm,
    person_id: PersonId,
    span: Annotated[str, Form(alias="for", max_length=20)] = "",
    until: Annotated[str, Form(max_length=20)] = "",
    back: Back = "person",
) -> Response:
    """Off the to-do list for a week, a month, or until a day."""
    app.todo.snooze(person_id, until=until or None, span=span or None)
    return _back(back, person_id, "snoozed")


@router.post("/people/{person_id}/unsnooze")
def unsnooze(app: AppDep, _: CheckedForm, person_id: PersonId, back: Back = "person") -> Response:
    app.todo.unsnooze(person_id)
    return _back(back, person_id, "unsnoozed")


@router.get("/people/{person_id}/edit")
def edit_form(request: Request, app: AppDep, _: CurrentAccount, person_id: PersonId) -> Response:
    details = app.people.get(person_id)
    p, relationship = details.person, details.relationship
    values = {
        "name": p.name,
        "context": relationship.context.value if relationship else "",
        "cadence": relationship.cadence_days if relationship else "",
        "intent": (relationship.intent.value if relationship and relationship.intent else "auto"),
        "intent_until": relationship.intent_until if relationship else "",
        "intent_reason": relationship.intent_reason if relationship else "",
        "organisation": p.organisation,
        "title": p.title,
        "emails": ", ".join(p.emails),
        "phones": ", ".join(p.phones),
        "tags": ", ".join(p.tags),
        "note": p.private_note,
    }
    return person_form(request, f"Edit {p.name}", f"/people/{person_id}/edit", "Save", values)


@router.post("/people/{person_id}/edit")
def edit_person(
    request: Request,
    app: AppDep,
    _: CheckedForm,
    person_id: PersonId,
    values: PersonFields,
) -> Response:
    try:
        current = app.people.get(person_id).person
        new_emails, new_phones, new_tags = (
            split_list(values[key]) for key in ("emails", "phones", "tags")
        )
        app.people.edit(
            person_id,
            PersonChanges(
                name=values["name"],
                organisation=values["organisation"],
                title=values["title"],
                private_note=values["note"],
                context=values["context"],
                cadence_days=whole(values["cadence"], "cadence"),
                intent=values["intent"] or "auto",
                intent_until=values["intent_until"] or None,
                intent_reason=values["intent_reason"] or None,
                add_emails=tuple(e for e in new_emails if e not in current.emails),
                remove_emails=tuple(e for e in current.emails if e not in new_emails),
                add_phones=tuple(x for x in new_phones if x not in current.phones),
                remove_phones=tuple(x for x in current.phones if x not in new_phones),
                add_tags=tuple(t for t in new_tags if t not in current.tags),
                remove_tags=tuple(t for t in current.tags if t not in new_tags),
            ),
        )
    except MutualityError as error:
        return person_form(
            request, "Edit", f"/people/{person_id}/edit", "Save", values, str(error), error.status
        )
    return RedirectResponse(f"/people/{person_id}", status_code=303)


@router.get("/people/{person_id}/export.json")
def export_person(
    app: AppDep,
    _: CurrentAccount,
    person_id: PersonId,
    notes: Annotated[bool, Query(description="With your private notes about them.")] = False,
) -> Response:
    """Their record as a JSON backup that restores into an empty ledger (``person export``)."""
    done, text = app.person_exports.text(person_id, with_private_notes=notes)
    name = f"{_slug(done.name)}{'-with-notes' if notes else ''}.json"
    return Response(
        text,
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _slug(name: str) -> str:
    """A file name a header can carry: ``José Álvarez`` is ``jose-alvarez``."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "person"


@router.get("/people/{person_id}/forget")
def forget_form(request: Request, app: AppDep, _: CurrentAccount, person_id: PersonId) -> Response:
    return page(request, "forget.html", {"details": app.people.get(person_id)})


@router.post("/people/{person_id}/forget")
def forget(app: AppDep, _: CheckedForm, person_id: PersonId) -> Response:
    app.people.forget(person_id)
    return RedirectResponse("/people", status_code=303)
