"""The community's board on the web, in team mode: ``/team/board`` (the open asks and
offers, suggestions, my posts, what I answered, the gratitude wall), a post's own page, the
organiser's view (``/team/report``), and their REST routes under ``/api/team``.

Every route acts for the signed-in member and passes their id to
:class:`~mutuality.services.board.BoardService`, which decides what that member may see: a
post they may not see, an answer that is not theirs or to their post, and the report for
anyone but an organiser are all "not found". Forms carry the version of the post they were
drawn from, so a change made meanwhile comes back as 409 with what changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from mutuality.core.errors import Conflict, InvalidInput, NotFound
from mutuality.presenters.board import report_lines
from mutuality.services.team import Member, TeamService
from mutuality.web.api import ERRORS
from mutuality.web.deps import MAX_ID, CheckedForm, ItemId
from mutuality.web.pages import number, whole
from mutuality.web.render import page
from mutuality.web.schemas.board import (
    AnswerIn,
    BoardPostOut,
    CommunityReportOut,
    HelperOut,
    PostEditIn,
    PostIn,
    RecordIn,
    StretchIn,
    SuggestionsOut,
    ThankIn,
    ThankYouOut,
    VersionIn,
)
from mutuality.web.schemas.confirmations import ConfirmationOut
from mutuality.web.team import CurrentMember, TeamDep

router = APIRouter(include_in_schema=False)

Version = Annotated[str, Form(max_length=12)]


def _id(value: int, field: str = "post") -> int:
    if not 1 <= value <= MAX_ID:
        raise NotFound(f"no {field} with id {value}", field=field, value=value)
    return value


def _version(text: str) -> int:
    found = whole(text, "version")
    if found is None:
        raise InvalidInput("the form lost the post's version: open the post again", field="version")
    return found


def _tags(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def _board_page(
    request: Request,
    team: TeamService,
    member: Member,
    error: str | None = None,
    status: int = 200,
    typed: dict[str, str] | None = None,
) -> HTMLResponse:
    board = team.board
    context = {
        "asks": [p for p in board.board(member.id, "ask") if not p.mine],
        "offers": [p for p in board.board(member.id, "offer") if not p.mine],
        "mine": board.board(member.id, mine=True),
        "helping": board.helping(member.id),
        "suggested": board.suggestions(member.id),
        "wall": board.wall(member.id, 10),
        "named": board.named_when_stretched(member.id),
        "organiser": member.is_organiser,
        "error": error,
        "typed": {"kind": "ask", "text": "", "tags": "", "expires": ""} | (typed or {}),
    }
    return page(request, "team_board.html", context, status=status)


def _post_page(
    request: Request,
    team: TeamService,
    member: Member,
    post_id: int,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    post = team.board.get(member.id, _id(post_id))
    helpers = team.board.helpers(member.id, post.id) if post.mine else None
    context = {"post": post, "helpers": helpers, "error": error}
    return page(request, "team_post.html", context, status=status)


@router.get("/team/board")
def board_page(request: Request, team: TeamDep, member: CurrentMember) -> HTMLResponse:
    return _board_page(request, team, member)


@router.post("/team/board")
def post(
    request: Request,
    team: TeamDep,
    member: CurrentMember,
    _: CheckedForm,
    kind: Annotated[str, Form(max_length=8)] = "ask",
    text: Annotated[str, Form(max_length=4000)] = "",
    tags: Annotated[str, Form(max_length=400)] = "",
    expires: Annotated[str, Form(max_length=20)] = "",
    anonymous: Annotated[str, Form(max_length=4)] = "",
) -> Response:
    try:
        made = team.board.post(
            member.id,
            kind,
            text,
            tags=_tags(tags),
            expires=expires.strip() or None,
            anonymous=anonymous == "on",
        )
    except InvalidInput as error:
        typed = {"kind": kind, "text": text, "tags": tags, "expires": expires}
        return _board_page(request, team, member, error.message, error.status, typed)
    return RedirectResponse(f"/team/board/{made.id}", status_code=303)


@router.post("/team/board/stretch")
def stretch(
    request: Request,
    team: TeamDep,
    member: CurrentMember,
    _: CheckedForm,
    named: Annotated[str, Form(max_length=4)] = "",
) -> Response:
    team.board.name_when_stretched(member.id, named == "on")
    return RedirectResponse("/team/board", status_code=303)


@router.get("/team/board/{post_id}")
def post_page(request: Request, team: TeamDep, member: CurrentMember, post_id: int) -> HTMLResponse:
    return _post_page(request, team, member, post_id)


def _on_post(
    request: Request,
    team: TeamService,
    member: Member,
    post_id: int,
    change: Callable[[], object],
) -> Response:
    """Run ``change`` (a callable making one service call); its refusal draws the post's
    page again with the message and the refusal's own status (409 for a stale version)."""
    try:
        change()
    except (InvalidInput, Conflict) as error:
        return _post_page(request, team, member, post_id, error.message, error.status)
    return RedirectResponse(f"/team/board/{post_id}", status_code=303)


@router.post("/team/board/{post_id}/answer")
def answer(
    request: Request,
    team: TeamDep,
    member: CurrentMember,
    _: CheckedForm,
    post_id: int,
    version: Version = "",
    note: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    _id(post_id)
    return _on_post(
        request,
        team,
        member,
        post_id,
        lambda: team.board.answer(member.id, post_id, _version(version), note),
    )


@router.post("/team/board/{post_id}/edit")
def edit(
    request: Request,
    team: TeamDep,
    member: CurrentMember,
    _: CheckedForm,
    post_id: int,
    version: Version = "",
    text: Annotated[str, Form(max_length=4000)] = "",
    tags: Annotated[str, Form(max_length=400)] = "",
) -> Response:
    _id(post_id)
    return _on_post(
        request,
        team,
        member,
        post_id,
        lambda: team.board.edit(member.id, post_id, _version(version), text=text, tags=_tags(tags)),
    )


@router.post("/team/board/{post_id}/answers/{answer_id}/accept")
def accept(
    request: Request,
    team: TeamDep,
    member: CurrentMember,
    _: CheckedForm,
    post_id: int,
    answer_id: int,
    version: Version = "",
) -> Response:
    _id(post_id)
    _id(answer_id, "answer")
    return _on_post(
        request,
        team,
        member,
        post_id,
        lambda: team.board.accept(member.id, post_id, answer_id, _version(version)),
    )


@router.post("/team/board/{post_id}/met")
def met(
    request: Request,
    team: TeamDep,
    member: CurrentMember,
    _: CheckedForm,
    post_id: int,
    version: Version = "",
) -> Response:
    _id(post_id)
    return _on_post(
        request,
        team,
        member,
        post_id,
        lambda: team.board.met(member.id, post_id, _version(version)),
    )


@router.post("/team/board/{post_id}/withdraw")
def withdraw(
    request: Request,
    team: TeamDep,
    member: CurrentMember,
    _: CheckedForm,
    post_id: int,
    version: Version = "",
) -> Response:
    _id(post_id)
    return _on_post(
        request,
        team,
        member,
        post_id,
        lambda: team.board.withdraw(member.id, post_id, _version(version)),
    )


@router.post("/team/board/{post_id}/answers/{answer_id}/record")
def record(
    request: Request,
    team: TeamDep,
    member: CurrentMember,
    _: CheckedForm,
    post_id: int,
    answer_id: int,
    what: Annotated[str, Form(max_length=4000)] = "",
    figure: Annotated[str, Form(max_length=10)] = "",
    person: Annotated[str, Form(max_length=320)] = "",
) -> Response:
    """The help happened: logged in my ledger, waiting for the other member to confirm.
    My figure is the cost when I helped, the benefit when I was helped."""
    post = team.board.get(member.id, _id(post_id))
    mine = next((a for a in post.answers if a.id == _id(answer_id, "answer")), None)
    if mine is None:
        raise NotFound(f"no answer with id {answer_id}", field="answer", value=answer_id)
    gave = mine.mine == (post.kind == "ask")

    def change() -> None:
        value = number(figure, "cost" if gave else "benefit")
        chosen = person.strip()
        team.board.record_help(
            member.id,
            answer_id,
            what=what or None,
            cost=value if gave else None,
            benefit=None if gave else value,
            person=(int(chosen) if chosen.isdigit() else chosen) or None,
        )

    return _on_post(request, team, member, post_id, change)


@router.post("/team/board/{post_id}/answers/{answer_id}/thank")
def thank(
    request: Request,
    team: TeamDep,
    member: CurrentMember,
    _: CheckedForm,
    post_id: int,
    answer_id: int,
    words: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    _id(post_id)
    _id(answer_id, "answer")
    return _on_post(
        request, team, member, post_id, lambda: team.board.thank(member.id, answer_id, words)
    )


# --- the organiser's view -----------------------------------------------------------------------


@router.get("/team/report")
def report_page(
    request: Request, team: TeamDep, member: CurrentMember, days: int = 90
) -> HTMLResponse:
    """Aggregates only; anyone but an organiser is told there is no such page."""
    from mutuality.formats.community import asks_chart

    report = team.board.report(member.id, days)
    stages = (
        ("posted", report.asks_posted),
        ("answered", report.asks_answered),
        ("met", report.asks_met),
    )
    rows = [(label, f.value) for label, f in stages if f.shown and f.value is not None]
    chart = asks_chart(rows, responsive=True) if len(rows) == len(stages) else ""
    context = {"report": report, "lines": report_lines(report), "chart": Markup(chart)}
    return page(request, "team_report.html", context)


@router.get("/team/report.{suffix}")
def report_file(team: TeamDep, member: CurrentMember, suffix: str, days: int = 90) -> Response:
    """The same report as a file to keep or pass on (HTML, PDF or Markdown)."""
    from mutuality.reports import MEDIA_TYPES, ReportFormat
    from mutuality.reports.community import render_community

    chosen = {"html": ReportFormat.HTML, "pdf": ReportFormat.PDF, "md": ReportFormat.MD}.get(suffix)
    if chosen is None:
        raise NotFound("no such report", field="format", value=suffix)
    report = team.board.report(member.id, days)
    data = render_community(report, report_lines(report), chosen, report.until)
    name = f"community-report-{report.until.isoformat()}.{suffix}"
    return Response(
        data,
        media_type=MEDIA_TYPES[chosen],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# --- the REST API ---------------------------------------------------------------------------------

api_router = APIRouter(prefix="/api/team", tags=["team"], responses=ERRORS)


@api_router.get("/board", summary="The open asks and offers (or your own, with mine=true)")
def api_board(
    team: TeamDep, member: CurrentMember, kind: str | None = None, mine: bool = False
) -> list[BoardPostOut]:
    return [BoardPostOut.of(p) for p in team.board.board(member.id, kind, mine)]


@api_router.post("/board", status_code=201, summary="Post an ask or an offer")
def api_post(team: TeamDep, member: CurrentMember, body: PostIn) -> BoardPostOut:
    made = team.board.post(
        member.id,
        body.kind,
        body.text,
        tags=body.tags,
        expires=body.expires,
        anonymous=body.anonymous,
    )
    return BoardPostOut.of(made)


@api_router.get("/board/suggestions", summary="Asks you could help with, by your offers")
def api_suggestions(team: TeamDep, member: CurrentMember) -> SuggestionsOut:
    return SuggestionsOut.of(team.board.suggestions(member.id))


@api_router.get("/board/helping", summary="The posts you answered")
def api_helping(team: TeamDep, member: CurrentMember) -> list[BoardPostOut]:
    return [BoardPostOut.of(p) for p in team.board.helping(member.id)]


@api_router.get("/board/{post_id}", summary="One post you may see")
def api_get(team: TeamDep, member: CurrentMember, post_id: ItemId) -> BoardPostOut:
    return BoardPostOut.of(team.board.get(member.id, post_id))


@api_router.get("/board/{post_id}/helpers", summary="For your ask: members who could help")
def api_helpers(team: TeamDep, member: CurrentMember, post_id: ItemId) -> list[HelperOut]:
    return [HelperOut.of(h) for h in team.board.helpers(member.id, post_id).items]


@api_router.patch("/board/{post_id}", summary="Edit your post (409 when the version is stale)")
def api_edit(
    team: TeamDep, member: CurrentMember, post_id: ItemId, body: PostEditIn
) -> BoardPostOut:
    done = team.board.edit(
        member.id, post_id, body.version, text=body.text, tags=body.tags, expires=body.expires
    )
    return BoardPostOut.of(done)


@api_router.post("/board/{post_id}/answers", status_code=201, summary='"I can help"')
def api_answer(
    team: TeamDep, member: CurrentMember, post_id: ItemId, body: AnswerIn
) -> BoardPostOut:
    return BoardPostOut.of(team.board.answer(member.id, post_id, body.version, body.note))


@api_router.post("/board/{post_id}/answers/{answer_id}/accept", summary="Accept an answer")
def api_accept(
    team: TeamDep, member: CurrentMember, post_id: ItemId, answer_id: ItemId, body: VersionIn
) -> BoardPostOut:
    return BoardPostOut.of(team.board.accept(member.id, post_id, answer_id, body.version))


@api_router.post("/board/{post_id}/met", summary="Mark your post met")
def api_met(team: TeamDep, member: CurrentMember, post_id: ItemId, body: VersionIn) -> BoardPostOut:
    return BoardPostOut.of(team.board.met(member.id, post_id, body.version))


@api_router.post("/board/{post_id}/withdraw", summary="Take your post off the board")
def api_withdraw(
    team: TeamDep, member: CurrentMember, post_id: ItemId, body: VersionIn
) -> BoardPostOut:
    return BoardPostOut.of(team.board.withdraw(member.id, post_id, body.version))


@api_router.post(
    "/board/answers/{answer_id}/record",
    status_code=201,
    summary="The help happened: an exchange the other member confirms",
)
def api_record(
    team: TeamDep, member: CurrentMember, answer_id: ItemId, body: RecordIn
) -> ConfirmationOut:
    made = team.board.record_help(
        member.id,
        answer_id,
        what=body.what,
        kind=body.kind,
        benefit=body.benefit,
        cost=body.cost,
        on=body.on,
        person=body.person_id,
    )
    return ConfirmationOut.of(made)


@api_router.post(
    "/board/answers/{answer_id}/thanks", status_code=201, summary="Thank on the gratitude wall"
)
def api_thank(
    team: TeamDep, member: CurrentMember, answer_id: ItemId, body: ThankIn
) -> ThankYouOut:
    return ThankYouOut.of(team.board.thank(member.id, answer_id, body.words))


@api_router.get("/wall", summary="The community's gratitude wall")
def api_wall(team: TeamDep, member: CurrentMember) -> list[ThankYouOut]:
    return [ThankYouOut.of(t) for t in team.board.wall(member.id)]


@api_router.put("/board/settings", summary="Whether organisers may name you when stretched")
def api_stretch(team: TeamDep, member: CurrentMember, body: StretchIn) -> StretchIn:
    team.board.name_when_stretched(member.id, body.named)
    return StretchIn(named=team.board.named_when_stretched(member.id))


@api_router.get("/report", summary="The organiser's view: aggregates only (organisers)")
def api_report(team: TeamDep, member: CurrentMember, days: int = 90) -> CommunityReportOut:
    return CommunityReportOut.of(team.board.report(member.id, days))
