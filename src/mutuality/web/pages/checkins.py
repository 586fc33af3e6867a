"""The check-ins page: who is due a check-in (soonest first, with the reason), the wishes
waiting for me (what they said would make it better: make it my commitment, keep it as
their need, or set it aside), a form to record one, and a form to make the private
one-time link that lets the other person answer for their side.

:class:`CheckInService` holds every rule (the scales, dates, the link's life); this page only
turns form text into its arguments and shows its refusals with what was typed. The link's
URL is shown once, on the answer to the post that made it: only its hash is stored.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mutuality.core.checkins import EQUITY, SATISFACTION
from mutuality.core.errors import MutualityError
from mutuality.services.app import Mutuality
from mutuality.services.checkins.service import LINK_DAYS, CheckInLink
from mutuality.web.deps import MAX_ID, AppDep, CheckedForm, CurrentAccount, ItemId
from mutuality.web.links import link_address
from mutuality.web.pages import Small, Text, whole
from mutuality.web.render import page

router = APIRouter(include_in_schema=False)
RECORD_FIELDS = (
    "person",
    "on",
    "my_satisfaction",
    "their_satisfaction",
    "my_better",
    "their_better",
    "my_equity",
    "their_equity",
    "note",
)
LINK_FIELDS = ("person", "first_name", "days")
AGENDA_SHOWN = 100
"""How many people due a check-in are listed; the rest are counted."""
WISHES_SHOWN = 50
"""How many waiting wishes are listed, newest first; the rest are counted."""


def checkins_page(
    request: Request,
    app: Mutuality,
    record: dict[str, str] | None = None,
    link: dict[str, str] | None = None,
    *,
    record_error: str | None = None,
    link_error: str | None = None,
    wish_error: str | None = None,
    made: CheckInLink | None = None,
    status: int = 200,
) -> HTMLResponse:
    """The page, with each form holding what was typed into it (or its defaults)."""
    agenda = app.checkins.agenda()
    wishes = app.wishes.pending()
    recorded = {key: (record or {}).get(key) or "" for key in RECORD_FIELDS}
    recorded["on"] = recorded["on"] or app.today().isoformat()
    linked = {key: (link or {}).get(key) or "" for key in LINK_FIELDS}
    linked["days"] = linked["days"] or str(LINK_DAYS)
    links = link_address(request.app.state.settings.public_url, str(request.base_url))
    context = {
        "agenda": agenda[:AGENDA_SHOWN],
        "agenda_more": max(0, len(agenda) - AGENDA_SHOWN),
        "wishes": wishes[:WISHES_SHOWN],
        "wishes_more": max(0, len(wishes) - WISHES_SHOWN),
        "wish_error": wish_error,
        "record": recorded,
        "link": linked,
        "record_error": record_error,
        "link_error": link_error,
        "made": made,
        "made_url": links.url(f"c/{made.token}") if made else None,
        "made_local": links.loopback,
        "satisfaction": SATISFACTION,
        "equity": EQUITY,
    }
    return page(request, "checkins.html", context, status=status)


@router.get("/checkins")
def checkins(
    request: Request,
    app: AppDep,
    _: CurrentAccount,
    person: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> HTMLResponse:
    """``?person=ID`` fills both forms with that person, as ``/log?person=ID`` does."""
    name = app.people.get(person).person.name if person else ""
    return checkins_page(request, app, {"person": name}, {"person": name})


@router.post("/checkins")
def record_checkin(
    request: Request,
    app: AppDep,
    _: CheckedForm,
    person: Small = "",
    on: Small = "",
    my_satisfaction: Small = "",
    their_satisfaction: Small = "",
    my_better: Text = "",
    their_better: Text = "",
    my_equity: Small = "",
    their_equity: Small = "",
    note: Text = "",
) -> Response:
    values = dict(
        person=person,
        on=on,
        my_satisfaction=my_satisfaction,
        their_satisfaction=their_satisfaction,
        my_better=my_better,
        their_better=their_better,
        my_equity=my_equity,
        their_equity=their_equity,
        note=note,
    )
    try:
        checkin, _commitments = app.checkins.record(
            person,
            on=on.strip() or None,
            my_satisfaction=whole(my_satisfaction, "my satisfaction"),
            their_satisfaction=whole(their_satisfaction, "their satisfaction"),
            my_better=my_better or None,
            their_better=their_better or None,
            my_equity=whole(my_equity, "my equity"),
            their_equity=whole(their_equity, "their equity"),
            note=note or None,
        )
    except MutualityError as error:
        return checkins_page(
            request,
            app,
            values,
            {"person": person},
            record_error=str(error),
            status=error.status,
        )
    return RedirectResponse(f"/people/{checkin.person_id}#checkins", status_code=303)


@router.post("/checkins/link")
def make_link(
    request: Request,
    app: AppDep,
    _: CheckedForm,
    person: Small = "",
    first_name: Small = "",
    days: Small = "",
) -> HTMLResponse:
    """The page again, showing the new link once (never logged: only its hash is kept)."""
    values = dict(person=person, first_name=first_name, days=days)
    try:
        found = whole(days, "days")
        made = app.checkins.make_link(
            person, first_name.strip() or None, LINK_DAYS if found is None else found
        )
    except MutualityError as error:
        return checkins_page(
            request,
            app,
            {"person": person},
            values,
            link_error=str(error),
            status=error.status,
        )
    return checkins_page(request, app, {"person": made.person.name}, values, made=made)


@router.post("/checkins/{checkin_id}/wish")
def answer_wish(
    request: Request,
    app: AppDep,
    _: CheckedForm,
    checkin_id: ItemId,
    choice: Small = "",
    due: Small = "",
    back: Small = "",
) -> Response:
    """A wish made my commitment (due when the form says, else in 14 days), kept as their
    need, or set aside; back to the person's page or to this one."""
    try:
        if choice == "set-aside":
            person_id = app.wishes.set_aside(checkin_id).person_id
        else:
            adopted = app.wishes.adopt(checkin_id, choice, due=due.strip() or None)
            person_id = adopted.wish.person_id
    except MutualityError as error:
        return checkins_page(request, app, wish_error=str(error), status=error.status)
    if back == "person":
        return RedirectResponse(f"/people/{person_id}#checkins", status_code=303)
    return RedirectResponse("/checkins#wishes", status_code=303)
