"""``/api/people``: the people in the network, their balance and the why of their health."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from mutuality.core.fields import MAX_INPUT
from mutuality.core.health import Status
from mutuality.core.trends import MAX_MONTHS
from mutuality.presenters.health import balance_json
from mutuality.services.ledger import Direction
from mutuality.services.needs import OWNER_WORDS
from mutuality.services.people import PersonChanges
from mutuality.web.api import ERRORS
from mutuality.web.deps import AppDep, CurrentAccount, PagingDep, PersonId
from mutuality.web.schemas.common import PageOut
from mutuality.web.schemas.exchanges import ExchangeOut
from mutuality.web.schemas.figures import BalanceOut, BalancePointOut, HealthOut
from mutuality.web.schemas.health import PersonBalanceOut, PersonSummaryOut, WhyOut
from mutuality.web.schemas.people import (
    ForgottenOut,
    PersonCreate,
    PersonDetailOut,
    PersonOut,
    PersonUpdate,
    SnoozeIn,
    SnoozeOut,
    SuggestionsOut,
)

router = APIRouter(prefix="/api/people", tags=["people"], responses=ERRORS)


@router.get("", summary="List people, paged")
def list_people(
    app: AppDep,
    _: CurrentAccount,
    paging: PagingDep,
    search: Annotated[str | None, Query(max_length=200, description="Name, email, ...")] = None,
    tag: Annotated[str | None, Query(max_length=100)] = None,
    status: Status | None = None,
    sort: Literal["name", "urgency"] = "name",
) -> PageOut[PersonSummaryOut]:
    page = app.overview.people(
        search, tag, status.value if status else None, sort, paging.limit, paging.offset
    )
    return PageOut[PersonSummaryOut](
        items=[
            PersonSummaryOut(
                person=PersonOut.of(item.person),
                pattern=item.style.pattern,
                health=None if item.health is None else HealthOut.of(item.health),
            )
            for item in page.items
        ],
        total=page.total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get("/suggest", summary="Whom a typed name would match, for the person picker")
def suggest_people(
    app: AppDep,
    _: CurrentAccount,
    q: Annotated[str, Query(max_length=MAX_INPUT, description="The name as typed so far.")] = "",
    me: Annotated[
        bool, Query(description='The form takes "me" for you (needs and offers).')
    ] = False,
) -> SuggestionsOut:
    """The rule a form follows when it is saved, asked before saving: the answer names the
    one person it would match, the people to choose from, or no one yet."""
    return SuggestionsOut.of(app.people.suggest(q, owner_words=OWNER_WORDS if me else frozenset()))


@router.post("", status_code=201, summary="Add a person")
def add_person(app: AppDep, _: CurrentAccount, body: PersonCreate) -> PersonDetailOut:
    person = app.people.add(
        body.name,
        emails=tuple(body.emails),
        phones=tuple(body.phones),
        tags=tuple(body.tags),
        organisation=body.organisation,
        title=body.title,
        private_note=body.note,
        context=body.context.value,
        started_on=body.started_on,
        cadence_days=body.cadence_days,
    )
    return PersonDetailOut.of_details(app.people.get(person.id))


@router.get("/{person_id}", summary="One person")
def get_person(app: AppDep, _: CurrentAccount, person_id: PersonId) -> PersonDetailOut:
    return PersonDetailOut.of_details(app.people.get(person_id))


def changes_from(current: PersonDetailOut, body: PersonUpdate) -> PersonChanges:
    """A partial update as the service's changes: lists replace, ``null`` clears a text."""
    given = body.model_fields_set

    def text(name: str) -> str | None:
        if name not in given:
            return None
        value = getattr(body, name)
        return "" if value is None else value

    def swap(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        new = getattr(body, name)
        if name not in given or new is None:
            return (), ()
        old = getattr(current, name)
        return tuple(n for n in new if n not in old), tuple(o for o in old if o not in new)

    (add_emails, remove_emails), (add_phones, remove_phones), (add_tags, remove_tags) = (
        swap("emails"),
        swap("phones"),
        swap("tags"),
    )
    return PersonChanges(
        name=body.name,
        organisation=text("organisation"),
        title=text("title"),
        private_note=text("note"),
        context=body.context.value if body.context else None,
        cadence_days=body.cadence_days,
        add_emails=add_emails,
        remove_emails=remove_emails,
        add_phones=add_phones,
        remove_phones=remove_phones,
        add_tags=add_tags,
        remove_tags=remove_tags,
    )


@router.patch("/{person_id}", summary="Change a person's details")
def edit_person(
    app: AppDep, _: CurrentAccount, person_id: PersonId, body: PersonUpdate
) -> PersonDetailOut:
    current = PersonDetailOut.of_details(app.people.get(person_id))
    return PersonDetailOut.of_details(app.people.edit(person_id, changes_from(current, body)))


@router.delete("/{person_id}", summary="Forget a person and their exchanges")
def forget_person(app: AppDep, _: CurrentAccount, person_id: PersonId) -> ForgottenOut:
    report = app.people.forget(person_id)
    return ForgottenOut(forgotten=report.name, exchanges=report.exchanges)


@router.post("/{person_id}/snooze", summary="Keep them off the to-do list until a day")
def snooze(app: AppDep, _: CurrentAccount, person_id: PersonId, body: SnoozeIn) -> SnoozeOut:
    done = app.todo.snooze(person_id, until=body.until, span=body.span)
    return SnoozeOut(person=PersonOut.of(done.person), snoozed_until=done.until)


@router.delete("/{person_id}/snooze", summary="Put them back on the to-do list")
def unsnooze(app: AppDep, _: CurrentAccount, person_id: PersonId) -> SnoozeOut:
    done = app.todo.unsnooze(person_id)
    return SnoozeOut(person=PersonOut.of(done.person), snoozed_until=None)


@router.get("/{person_id}/balance", summary="The balance with the arithmetic")
def balance(app: AppDep, _: CurrentAccount, person_id: PersonId) -> PersonBalanceOut:
    found = app.balances.for_person(person_id)
    return PersonBalanceOut(
        **balance_json(found.balance),
        person=PersonOut.of(found.person),
        explanation=found.explanation,
    )


@router.get("/{person_id}/balance/history", summary="The balance at each month's end, paged")
def balance_history(
    app: AppDep,
    _: CurrentAccount,
    person_id: PersonId,
    paging: PagingDep,
    months: Annotated[int, Query(ge=1, le=MAX_MONTHS)] = 12,
) -> PageOut[BalancePointOut]:
    """Oldest month first; at most :data:`MAX_MONTHS` of them, so the page is cut here."""
    points = app.trends.balance_history(person_id, months).points
    shown = points[paging.offset : paging.offset + paging.limit]
    return PageOut[BalancePointOut](
        items=[
            BalancePointOut(
                on=point.as_of,
                given=round(point.given, 3),
                received=round(point.received, 3),
                my_net=round(point.my_net, 3),
                their_net=round(point.their_net, 3),
                balance=None if point.balance is None else round(point.balance, 4),
            )
            for point in shown
        ],
        total=len(points),
        limit=paging.limit,
        offset=paging.offset,
    )


@router.get("/{person_id}/health", summary="Why the relationship has its status")
def why(app: AppDep, _: CurrentAccount, person_id: PersonId) -> WhyOut:
    detail = app.health.for_person(person_id)
    return WhyOut(
        person=PersonOut.of(detail.person),
        pattern=detail.style.pattern,
        health=HealthOut.of(detail.health),
        balance=BalanceOut.model_validate(balance_json(detail.balance)),
        explanation=detail.explanation,
        gifts=[ExchangeOut.of(e, Direction.GOT) for e in detail.gifts],
        my_gifts=[ExchangeOut.of(e, Direction.GAVE) for e in detail.my_gifts],
    )
