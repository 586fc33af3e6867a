"""The repair conversation for two partners, as a page: both rate their stress and say if
they can engage; the rule in :func:`mutuality.core.checkins.repair_plan` decides who goes
first or when to come back; at the end it is recorded as a check-in of kind repair, whose
content is a private note."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mutuality.core.checkins import LISTENER_PROMPTS, Partner, repair_plan
from mutuality.core.errors import MutualityError
from mutuality.web.deps import AppDep, CheckedForm, CurrentAccount
from mutuality.web.pages import Small, whole
from mutuality.web.render import page

router = APIRouter(include_in_schema=False)


def _form(
    request: Request, me: str, values: dict[str, str], error: str | None = None, status: int = 200
) -> HTMLResponse:
    return page(
        request,
        "repair.html",
        {"me": me, "values": values, "error": error, "plan": None, "prompts": LISTENER_PROMPTS},
        status=status,
    )


@router.get("/repair")
def repair_page(request: Request, app: AppDep, _: CurrentAccount) -> HTMLResponse:
    return _form(request, app.people.owner().name, {})


def _partner(name: str, values: dict[str, str], side: str) -> Partner:
    engage = values.get(f"{side}_engage", "yes") == "yes"
    return Partner(
        name=name,
        stress=whole(values.get(f"{side}_stress"), f"{name}'s stress") or 0,
        can_engage=engage,
        minutes_needed=None
        if engage
        else whole(values.get(f"{side}_minutes"), f"{name}'s minutes"),
        feeling=values.get(f"{side}_feeling") or None,
        need=values.get(f"{side}_need") or None,
        raised_issue=values.get("raised") == side,
    )


@router.post("/repair")
def repair_plan_page(
    request: Request,
    app: AppDep,
    _: CheckedForm,
    partner: Small = "",
    me_stress: Small = "",
    me_engage: Small = "yes",
    me_minutes: Small = "",
    me_feeling: Small = "",
    me_need: Small = "",
    them_stress: Small = "",
    them_engage: Small = "yes",
    them_minutes: Small = "",
    them_feeling: Small = "",
    them_need: Small = "",
    raised: Small = "",
) -> HTMLResponse:
    values = {
        "partner": partner,
        "me_stress": me_stress,
        "me_engage": me_engage,
        "me_minutes": me_minutes,
        "me_feeling": me_feeling,
        "me_need": me_need,
        "them_stress": them_stress,
        "them_engage": them_engage,
        "them_minutes": them_minutes,
        "them_feeling": them_feeling,
        "them_need": them_need,
        "raised": raised,
    }
    me = app.people.owner().name
    try:
        other = app.people.get(partner).person.name
        plan = repair_plan(
            _partner(me, values, "me"), _partner(other, values, "them"), datetime.now()
        )
    except MutualityError as error:
        return _form(request, me, values, error.message, error.status)
    return page(
        request,
        "repair.html",
        {
            "me": me,
            "values": values,
            "error": None,
            "plan": plan,
            "partner": other,
            "prompts": LISTENER_PROMPTS,
        },
    )


@router.post("/repair/record")
def repair_record(
    request: Request,
    app: AppDep,
    _: CheckedForm,
    partner: Small = "",
    summary: Annotated[str, Form(max_length=2000)] = "",
    me_relieved: Small = "",
    them_relieved: Small = "",
) -> Response:
    note = (
        f"{summary} Relieved: you {'yes' if me_relieved else 'no'}, them "
        f"{'yes' if them_relieved else 'no'}."
    ).strip()
    try:
        record = app.checkins.record(partner, kind="repair", note=note)[0]
    except MutualityError as error:
        return _form(
            request, app.people.owner().name, {"partner": partner}, error.message, error.status
        )
    return RedirectResponse(f"/people/{record.person_id}", status_code=303)
