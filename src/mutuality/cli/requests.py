"""``mutuality ask ...`` and ``mutuality commitments ...``: what to say yes to, and keeping it."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from mutuality.cli.groups import DefaultToNew
from mutuality.cli.render import escape, out, print_json
from mutuality.cli.state import OutputFormat, command_group, open_app
from mutuality.presenters.requests import commitment_json as commitment_view
from mutuality.presenters.requests import request_json as request_view

if TYPE_CHECKING:
    from mutuality.core.requests import Commitment, Request

FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="table or json")]
NotAgreedOption = Annotated[
    bool,
    typer.Option(
        "--not-agreed",
        help="negotiate: the third option is offered but not agreed yet, so their ask stays "
        "an open need (agreed, it becomes your commitment).",
    ),
]


ask_app = command_group(
    cls=DefaultToNew,
    no_args_is_help=True,
    help="Requests: `ask NAME TEXT --benefit B --cost C` proposes a decision.",
)
commitments_app = command_group(
    help="Commitments: list, keep and break them.", invoke_without_command=True
)


def between(request: Request, person: str) -> str:
    """Which way a request goes: "to Lena" when I asked her, "from Lena" when she asked me."""
    return f"{'to' if request.from_me else 'from'} {person}"


def _names(ctx: typer.Context) -> dict[int, str]:
    return {p.id: p.name for p in open_app(ctx).people.list()}


@ask_app.command("new")
def ask(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Who asked (or, with --from-me, whom you ask).")],
    text: Annotated[str, typer.Argument(help="What they ask, in words.")],
    benefit: Annotated[float, typer.Option("--benefit", "-b", help="Benefit to the asker, 0-10.")],
    cost: Annotated[float, typer.Option("--cost", "-c", help="Cost to the one asked, 0-10.")],
    due: Annotated[
        str | None, typer.Option(help="When it is needed: YYYY-MM-DD, 'in 5 days'.")
    ] = None,
    kind: Annotated[str | None, typer.Option("--kind", "-k", help="Kind of help asked.")] = None,
    from_me: Annotated[bool, typer.Option("--from-me", help="A request you make of them.")] = False,
    accept: Annotated[bool, typer.Option("--accept", help="Accept the proposal now.")] = False,
    decide: Annotated[
        str | None,
        typer.Option(
            "--decide", help="Decide now, overriding the proposal: yes, no, negotiate, later."
        ),
    ] = None,
    third_option: Annotated[
        str | None,
        typer.Option("--third-option", help="What you could do instead (for negotiate)."),
    ] = None,
    not_agreed: NotAgreedOption = False,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Record a request and see the proposed decision with its reason."""
    app = open_app(ctx)
    if accept or decide is not None:
        request, commitment = app.requests.ask_and_decide(
            name,
            text,
            benefit=benefit,
            cost=cost,
            due=due,
            kind=kind,
            from_me=from_me,
            decision=decide,
            third_option=third_option,
            agreed=not not_agreed,
        )
        person = app.people.get(name).person.name
        if fmt is OutputFormat.JSON:
            print_json(
                {
                    **request_view(request, person),
                    "commitment": commitment_view(commitment, person) if commitment else None,
                }
            )
        else:
            _print_decided(request, commitment, person)
        return
    request = app.requests.ask(
        name, text, benefit=benefit, cost=cost, due=due, kind=kind, from_me=from_me
    )
    person = app.people.get(name).person.name
    decision = decide
    if not accept and decide is None and fmt is OutputFormat.TABLE and sys.stdin.isatty():
        out.print(f"Proposed: [bold]{request.proposal.value}[/]. {escape(request.proposal_reason)}")
        answer = typer.prompt(
            "Accept it, or decide yes/no/negotiate/later (Enter to accept, 'skip' to decide later)",
            default="accept",
            show_default=False,
        )
        if answer.strip().lower() == "skip":
            return
        decision = None if answer.strip().lower() in ("accept", "") else answer
        accept = True
        if (decision or request.proposal.value) == "negotiate" and not third_option:
            third_option = typer.prompt("Name a third option: what could you do instead?")
        if (decision or request.proposal.value) == "negotiate" and not not_agreed:
            not_agreed = not typer.confirm(
                "Is it agreed between you (it becomes a commitment)?", default=True
            )
    if accept or decision:
        request, commitment = app.requests.decide(
            request.id, decision, third_option=third_option, agreed=not not_agreed
        )
        if fmt is OutputFormat.JSON:
            print_json(
                {
                    **request_view(request, person),
                    "commitment": commitment_view(commitment, person) if commitment else None,
                }
            )
            return
        _print_decided(request, commitment, person)
        return
    if fmt is OutputFormat.JSON:
        print_json(request_view(request, person))
        return
    out.print(
        f"Request #{request.id} {escape(between(request, person))}: proposed "
        f"[bold]{request.proposal.value}[/]. {escape(request.proposal_reason)}"
    )
    out.print(f"Decide with `mutuality ask decide {request.id} --accept` (or --decision ...).")


def _print_decided(request: Request, commitment: Commitment | None, person: str) -> None:
    decided = request.decision.value if request.decision else "?"
    note = (
        "" if decided == request.proposal.value else f" (the proposal was {request.proposal.value})"
    )
    out.print(f"Request #{request.id}: [bold]{decided}[/]{note}.")
    if commitment is not None:
        who = "You" if commitment.mine else person
        what = f"the third option “{commitment.text}”" if decided == "negotiate" else "it"
        out.print(
            f"{escape(who)} committed to {escape(what)}, due {commitment.due_on} "
            f"(commitment #{commitment.id})."
        )
    elif decided in ("no", "later", "negotiate"):
        if request.third_option:
            offered = "offered, not agreed yet" if decided == "negotiate" else "offered"
            out.print(f"Third option {offered}: {escape(request.third_option)}")
        out.print(
            f"Kept in mind as an open need of "
            f"{'yours' if request.from_me else escape(person)}; "
            f"`mutuality ask decline {request.id}` drafts a kind reply."
        )


@ask_app.command("decide")
def decide_request(
    ctx: typer.Context,
    request_id: Annotated[int, typer.Argument(help="The request's number.")],
    accept: Annotated[bool, typer.Option("--accept", help="Accept the proposal.")] = False,
    decision: Annotated[
        str | None, typer.Option("--decision", help="Override: yes, no, negotiate or later.")
    ] = None,
    third_option: Annotated[
        str | None,
        typer.Option("--third-option", help="What you could do instead (for negotiate)."),
    ] = None,
    not_agreed: NotAgreedOption = False,
    due: Annotated[
        str | None,
        typer.Option(help="Due date of the commitment (a yes, or a third option agreed)."),
    ] = None,
    hours: Annotated[float | None, typer.Option(help="Hours the commitment will take.")] = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Decide a request: accept the proposal or override it. A yes, or a third option they
    agreed to, becomes your commitment; a no, a later or a third option not agreed keeps
    their ask as an open need."""
    if not accept and decision is None:
        raise typer.BadParameter("say --accept or --decision yes|no|negotiate|later")
    app = open_app(ctx)
    request, commitment = app.requests.decide(
        request_id,
        decision,
        third_option=third_option,
        due=due,
        hours=hours,
        agreed=not not_agreed,
    )
    person = _names(ctx).get(request.person_id, "")
    if fmt is OutputFormat.JSON:
        print_json(
            {
                **request_view(request, person),
                "commitment": commitment_view(commitment, person) if commitment else None,
            }
        )
        return
    _print_decided(request, commitment, person)


@ask_app.command("list")
def list_requests(
    ctx: typer.Context,
    open_only: Annotated[bool, typer.Option("--open", help="Only undecided ones.")] = False,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Requests, newest first."""
    requests = open_app(ctx).requests.list(open_only)
    names = _names(ctx)
    if fmt is OutputFormat.JSON:
        print_json([request_view(r, names.get(r.person_id)) for r in requests])
        return
    from rich import box
    from rich.table import Table

    table = Table(title=f"{len(requests)} requests", title_justify="left", box=box.SIMPLE_HEAD)
    for column in ("#", "Made", "Who", "What", "B/C", "Proposed", "Decided"):
        table.add_column(column, no_wrap=column not in ("What", "Who"))
    for r in requests:
        who = between(r, names.get(r.person_id, "?"))
        table.add_row(
            str(r.id),
            r.made_on.isoformat(),
            escape(who),
            escape(r.text),
            f"{r.benefit:g}/{r.cost:g}",
            r.proposal.value,
            r.decision.value if r.decision else "open",
        )
    out.print(table)


@ask_app.command("reconsider")
def reconsider(ctx: typer.Context, fmt: FormatOption = OutputFormat.TABLE) -> None:
    """Requests you declined or postponed that you could now say yes to."""
    changed = open_app(ctx).requests.reconsider()
    names = _names(ctx)
    if fmt is OutputFormat.JSON:
        print_json(
            [
                {
                    **request_view(r, names.get(r.person_id)),
                    "now": p.decision.value,
                    "now_reason": p.reason,
                }
                for r, p in changed
            ]
        )
        return
    if not changed:
        out.print("Nothing to reconsider: no declined or postponed request would get a yes now.")
        return
    for request, proposal in changed:
        out.print(
            f"#{request.id} {escape(between(request, names.get(request.person_id, '?')))}: "
            f"{escape(request.text)}: now [bold]{proposal.decision.value}[/]. "
            f"{escape(proposal.reason)}"
        )
    out.print("Say yes with `mutuality ask decide ID --decision yes`.")


@ask_app.command("decline")
def decline(
    ctx: typer.Context, request_id: Annotated[int, typer.Argument(help="The request's number.")]
) -> None:
    """Draft a kind decline (no private notes are ever used)."""
    out.print(escape(open_app(ctx).requests.decline_draft(request_id)))


@commitments_app.callback()
def commitments(
    ctx: typer.Context,
    all_: Annotated[bool, typer.Option("--all", help="Include kept and broken ones.")] = False,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Open commitments by due date (`mutuality commitments keep ID`, `... break ID`)."""
    if ctx.invoked_subcommand is not None:
        return
    app = open_app(ctx)
    items = app.commitments.list(include_closed=all_)
    names = _names(ctx)
    if fmt is OutputFormat.JSON:
        print_json([commitment_view(c, names.get(c.person_id)) for c in items])
        return
    mine, theirs = app.commitments.follow_through()
    if not items:
        out.print("No open commitments.")
    for c in items:
        who = (
            "You → " + names.get(c.person_id, "?")
            if c.mine
            else names.get(c.person_id, "?") + " → you"
        )
        overdue = c.status == "open" and c.due_on < app.today()
        state = "[red]overdue[/]" if overdue else c.status
        out.print(f"#{c.id} due {c.due_on} {escape(who)}: {escape(c.text)} ({state})")
    if mine.rate is not None:
        out.print(
            f"Your follow-through: {mine.rate:.0%} kept on time ({mine.kept} on time, "
            f"{mine.late} late, {mine.broken} broken, {mine.overdue} overdue)."
        )
    if theirs.rate is not None:
        out.print(f"Others' follow-through to you: {theirs.rate:.0%} kept on time.")


@commitments_app.command("keep")
def keep(
    ctx: typer.Context,
    commitment_id: Annotated[int, typer.Argument(help="The commitment's number.")],
    on: Annotated[str | None, typer.Option(help="When it was kept (default today).")] = None,
) -> None:
    """Mark a commitment kept: the exchange is logged for you."""
    kept = open_app(ctx).commitments.keep(commitment_id, on)
    late = " (late)" if kept.late else ""
    out.print(f"Kept #{kept.id}{late}; logged as exchange #{kept.exchange_id}.")


@commitments_app.command("break")
def break_(
    ctx: typer.Context,
    commitment_id: Annotated[int, typer.Argument(help="The commitment's number.")],
) -> None:
    """Mark a commitment broken (it counts in follow-through)."""
    broken = open_app(ctx).commitments.break_(commitment_id)
    out.print(f"Marked #{broken.id} broken.")
