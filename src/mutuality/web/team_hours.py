"""Time-bank hours on the web, in team mode: ``/team/hours`` (my hours given and received,
my balance beside them, the transfers waiting for me, my statement, a form to log hours I
gave; for an organiser the setup and the aggregates) and the REST routes under
``/api/team/hours``.

Every route acts for the signed-in member through
:class:`~mutuality.services.hours.HoursService`: a transfer they are not a side of is "not
found", and an organiser sees aggregates only.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mutuality.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from mutuality.services.team import Member, TeamService
from mutuality.web.api import ERRORS
from mutuality.web.deps import MAX_ID, CheckedForm, ItemId
from mutuality.web.render import page
from mutuality.web.schemas.hours import (
    AccountOut,
    GiveIn,
    OverviewOut,
    SettingsIn,
    SettingsOut,
    TransferOut,
)
from mutuality.web.team import CurrentMember, TeamDep

router = APIRouter(include_in_schema=False)
PAGE = "/team/hours"
FIXABLE = (InvalidInput, Conflict, Forbidden)
STATE_WORDS = {
    "pending": "waiting for the receiver",
    "confirmed": "confirmed",
    "declined": "declined",
    "withdrawn": "withdrawn",
}


def _page(
    request: Request, team: TeamService, member: Member, error: str | None = None, status: int = 200
) -> HTMLResponse:
    context = {
        "account": team.hours.account(member.id),
        "others": [m for m in team.members() if m.id != member.id],
        "overview": team.hours.overview(member.id) if member.is_organiser else None,
        "member": member,
        "error": error,
        "state_words": STATE_WORDS,
    }
    return page(request, "team_hours.html", context, status=status)


def _id(value: int) -> int:
    if not 1 <= value <= MAX_ID:
        raise NotFound("no such transfer", field="id", value=value)
    return value


def _number(text: str, field: str) -> float:
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        raise InvalidInput(f"give {field} as a number, like 1.5", field=field, value=text) from None


@router.get(PAGE)
def hours_page(request: Request, team: TeamDep, member: CurrentMember) -> HTMLResponse:
    return _page(request, team, member)


@router.post(PAGE + "/give")
def give(
    request: Request,
    team: TeamDep,
    member: CurrentMember,
    _: CheckedForm,
    to: Annotated[int, Form(ge=1, le=MAX_ID)] = 1,
    hours: Annotated[str, Form(max_length=10)] = "",
    what: Annotated[str, Form(max_length=2000)] = "",
    on: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    try:
        team.hours.give(member.id, to, _number(hours, "hours"), what, on.strip() or None)
    except (*FIXABLE, NotFound) as error:
        return _page(request, team, member, error.message, error.status)
    return RedirectResponse(PAGE, status_code=303)


@router.post(PAGE + "/setup")
def setup(
    request: Request,
    team: TeamDep,
    member: CurrentMember,
    _: CheckedForm,
    enabled: Annotated[str, Form(max_length=3)] = "",
    floor: Annotated[str, Form(max_length=10)] = "10",
) -> Response:
    try:
        team.hours.configure(member.id, enabled == "yes", _number(floor, "the limit"))
    except FIXABLE as error:
        return _page(request, team, member, error.message, error.status)
    return RedirectResponse(PAGE, status_code=303)


def _act(
    request: Request, team: TeamService, member: Member, transfer_id: int, action: str
) -> Response:
    done = {
        "confirm": team.hours.confirm,
        "decline": team.hours.decline,
        "withdraw": team.hours.withdraw,
    }[action]
    try:
        done(member.id, _id(transfer_id))
    except (InvalidInput, Conflict) as error:
        return _page(request, team, member, error.message, error.status)
    return RedirectResponse(PAGE, status_code=303)


@router.post(PAGE + "/{transfer_id}/confirm")
def confirm(
    request: Request, team: TeamDep, member: CurrentMember, _: CheckedForm, transfer_id: int
) -> Response:
    return _act(request, team, member, transfer_id, "confirm")


@router.post(PAGE + "/{transfer_id}/decline")
def decline(
    request: Request, team: TeamDep, member: CurrentMember, _: CheckedForm, transfer_id: int
) -> Response:
    return _act(request, team, member, transfer_id, "decline")


@router.post(PAGE + "/{transfer_id}/withdraw")
def withdraw(
    request: Request, team: TeamDep, member: CurrentMember, _: CheckedForm, transfer_id: int
) -> Response:
    return _act(request, team, member, transfer_id, "withdraw")


# --- the REST API -----------------------------------------------------------------------------

api_router = APIRouter(prefix="/api/team", tags=["team"], responses=ERRORS)


@api_router.get("/hours", summary="Your hours given and received, and your statement")
def api_account(team: TeamDep, member: CurrentMember) -> AccountOut:
    return AccountOut.of(team.hours.account(member.id))


@api_router.post(
    "/hours/transfers",
    status_code=201,
    summary="Log hours you gave a member; they count once that member confirms",
)
def api_give(team: TeamDep, member: CurrentMember, body: GiveIn) -> TransferOut:
    done = team.hours.give(member.id, body.member, body.hours, body.what, body.occurred_on)
    return TransferOut.of(done)


@api_router.post("/hours/transfers/{transfer_id}/confirm", summary="Confirm hours you received")
def api_confirm(team: TeamDep, member: CurrentMember, transfer_id: ItemId) -> TransferOut:
    return TransferOut.of(team.hours.confirm(member.id, transfer_id))


@api_router.post("/hours/transfers/{transfer_id}/decline", summary="Decline hours logged to you")
def api_decline(team: TeamDep, member: CurrentMember, transfer_id: ItemId) -> TransferOut:
    return TransferOut.of(team.hours.decline(member.id, transfer_id))


@api_router.post(
    "/hours/transfers/{transfer_id}/withdraw", summary="Take back hours you logged, still waiting"
)
def api_withdraw(team: TeamDep, member: CurrentMember, transfer_id: ItemId) -> TransferOut:
    return TransferOut.of(team.hours.withdraw(member.id, transfer_id))


@api_router.get("/hours/overview", summary="The time bank in aggregate (organisers)")
def api_overview(team: TeamDep, member: CurrentMember) -> OverviewOut:
    return OverviewOut.of(team.hours.overview(member.id))


@api_router.put("/hours/settings", summary="Keep hours or not, and the limit (organisers)")
def api_settings(team: TeamDep, member: CurrentMember, body: SettingsIn) -> SettingsOut:
    bank = team.hours.configure(member.id, body.enabled, body.floor_hours)
    return SettingsOut(enabled=bank.enabled, floor_hours=bank.floor_hours)
