"""Match suggestions (``/matches``): the three questions ``mutuality match`` answers (which
introductions would help, who can help you, whom you can help), each with its reason, and
a button that proposes an introduction.

The suggestions are :meth:`MatchingService.suggestions` (by meaning, else by shared words;
the page says which), kept until the ledger changes, so a page is a slice of one report
and paging never runs the matching again. Proposing goes
through :meth:`IntroductionService.propose`, the double opt-in's first step: nobody is
asked anything until their consent is asked on the introductions page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mutuality.core.errors import MutualityError
from mutuality.services.app import Mutuality
from mutuality.web.deps import MAX_ID, AppDep, CheckedForm, CurrentAccount
from mutuality.web.render import page

if TYPE_CHECKING:  # the matching modules (NumPy, SciPy, OR-Tools) load on the first visit
    from mutuality.services.matching.service import Match, MatchReport

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 20
Show = Literal["introduce", "help-me", "i-help"]


@dataclass(frozen=True, slots=True)
class Tab:
    """One question, as a tab of the page."""

    key: str
    title: str
    matches: list[Match]


def tabs(report: MatchReport) -> list[Tab]:
    return [
        Tab("introduce", "Introductions that would help", report.introductions),
        Tab("help-me", "Who can help you", report.help_me),
        Tab("i-help", "Whom you can help", report.i_help),
    ]


def matches_page(
    request: Request,
    app: Mutuality,
    show: str = "introduce",
    page_number: int = 1,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    report = app.matching.suggestions()
    all_tabs = tabs(report)
    tab = next(t for t in all_tabs if t.key == show)
    found = tab.matches
    offset = (page_number - 1) * PAGE_SIZE
    context = {
        "report": report,
        "tabs": all_tabs,
        "tab": tab,
        "matches": found[offset : offset + PAGE_SIZE],
        "total": len(found),
        "limit": PAGE_SIZE,
        "offset": offset,
        "error": error,
    }
    return page(request, "matches.html", context, status=status)


@router.get("/matches")
def matches(
    request: Request,
    app: AppDep,
    _: CurrentAccount,
    show: Annotated[Show, Query()] = "introduce",
    page_number: Annotated[int, Query(alias="page", ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    return matches_page(request, app, show, page_number)


PersonField = Annotated[int, Form(ge=1, le=MAX_ID)]


@router.post("/matches/propose")
def propose(
    request: Request, app: AppDep, _: CheckedForm, seeker: PersonField, helper: PersonField
) -> Response:
    """Propose the suggested introduction (its reason composed from their needs and offers,
    as ``mutuality intro propose`` does), then show it on the introductions page."""
    try:
        detail = app.introductions.propose(seeker, helper)
    except MutualityError as error:
        return matches_page(request, app, error=error.message, status=error.status)
    intro_id = detail.introduction.id
    return RedirectResponse(f"/introductions?proposed={intro_id}#intro-{intro_id}", status_code=303)
