"""``mutuality team ring open | list | join | show | ask | offer | withdraw | present |
close | summary``: Reciprocity Ring sessions, each command acting for one member (``--as``). The
rules live in :mod:`mutuality.services.ring`."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from mutuality.cli.render import escape, out, print_json
from mutuality.cli.state import FormatOption, OutputFormat, command_group
from mutuality.cli.team import AsOption, DbOption, _member, _team

if TYPE_CHECKING:
    from mutuality.services.ring import RingSummary, RingView

ring_app = command_group(
    no_args_is_help=True,
    help="Reciprocity Ring sessions: the organiser opens one, each member states one ask, "
    "the others offer help or introductions, and closing puts each offer in both ledgers.",
)
RingArg = Annotated[int, typer.Argument(help="The session's number (from `team ring list`).")]


def _when(text: str | None) -> datetime | None:
    from mutuality.core.errors import InvalidInput

    if text is None:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"give the time as 2027-03-01 18:00, not {text!r}", field="when", value=text
        ) from None


def _due(text: str | None) -> date | None:
    from mutuality.core.dates import parse_due_date

    return parse_due_date(text, date.today(), "by") if text else None


@ring_app.command("open")
def open_ring(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="What the session is called.")],
    as_: AsOption,
    when: Annotated[
        str | None, typer.Option("--when", help="When it starts (2027-03-01 18:00); now if not.")
    ] = None,
    minutes: Annotated[
        float, typer.Option("--minutes", help="Each presenter's time: 2 to 3 minutes.")
    ] = 3,
    db: DbOption = None,
) -> None:
    """Open a session (organisers only); you take part from the start."""
    team = _team(ctx, db)
    me = _member(team, as_, "--as")
    _show(team.rings.open(me.id, name, _when(when), round(minutes * 60)))


@ring_app.command("list")
def list_rings(
    ctx: typer.Context, as_: AsOption, db: DbOption = None, fmt: FormatOption = OutputFormat.TABLE
) -> None:
    """Open sessions (to join) and the closed ones you took part in."""
    from mutuality.presenters.ring import ring_line_json

    team = _team(ctx, db)
    found = team.rings.sessions(_member(team, as_, "--as").id)
    if fmt is OutputFormat.JSON:
        print_json([ring_line_json(line) for line in found])
        return
    if not found:
        out.print("No ring sessions yet.")
    for line in found:
        joined = ", you take part" if line.joined else ""
        out.print(
            f"#{line.id} {escape(line.name)}, {line.starts_at:%Y-%m-%d %H:%M} ({line.state}, "
            f"run by {escape(line.organiser)}, {line.participants} taking part{joined})",
            soft_wrap=True,
        )


@ring_app.command("join")
def join(ctx: typer.Context, ring: RingArg, as_: AsOption, db: DbOption = None) -> None:
    """Take part in an open session."""
    team = _team(ctx, db)
    _show(team.rings.join(_member(team, as_, "--as").id, ring))


@ring_app.command("show")
def show(
    ctx: typer.Context,
    ring: RingArg,
    as_: AsOption,
    db: DbOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """The session's asks and offers, as you see them."""
    from mutuality.presenters.ring import ring_json

    team = _team(ctx, db)
    view = team.rings.get(_member(team, as_, "--as").id, ring)
    if fmt is OutputFormat.JSON:
        print_json(ring_json(view))
        return
    _show(view)


@ring_app.command("ask")
def ask(
    ctx: typer.Context,
    ring: RingArg,
    text: Annotated[str, typer.Argument(help="Your one ask (stating it again rewords it).")],
    as_: AsOption,
    by: Annotated[str | None, typer.Option("--by", help="When you need it by (a date).")] = None,
    db: DbOption = None,
) -> None:
    """State your ask. A specific, meaningful, action-oriented, realistic, time-bound one is
    easiest to help with: hints follow when it could say more, and it is kept as written."""
    team = _team(ctx, db)
    view = team.rings.ask(_member(team, as_, "--as").id, ring, text, _due(by))
    mine = view.my_ask
    out.print(f"Your ask is in the ring {escape(view.name)}.")
    for hint in mine.hints if mine else []:
        out.print(f"  Hint ({hint.quality}): {escape(hint.words)}", soft_wrap=True)


@ring_app.command("offer")
def offer(
    ctx: typer.Context,
    ring: RingArg,
    ask_id: Annotated[int, typer.Argument(help="The ask's number (from `team ring show`).")],
    text: Annotated[str, typer.Argument(help="What you offer.")],
    as_: AsOption,
    introduce: Annotated[
        str | None,
        typer.Option("--introduce", help="Someone in your ledger you would introduce them to."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Offer help, or an introduction, to someone's ask."""
    team = _team(ctx, db)
    _show(team.rings.offer(_member(team, as_, "--as").id, ring, ask_id, text, introduce))


@ring_app.command("withdraw")
def withdraw(
    ctx: typer.Context,
    ring: RingArg,
    offer_id: Annotated[int, typer.Argument(help="Your offer's number (from `show`).")],
    as_: AsOption,
    db: DbOption = None,
) -> None:
    """Take back one of your offers while the session is open."""
    team = _team(ctx, db)
    _show(team.rings.withdraw_offer(_member(team, as_, "--as").id, ring, offer_id))


@ring_app.command("present")
def present(
    ctx: typer.Context,
    ring: RingArg,
    ask_id: Annotated[int, typer.Argument(help="The ask presented now (0: none).")],
    as_: AsOption,
    db: DbOption = None,
) -> None:
    """Mark the ask being presented; its presenter's timer starts for everyone."""
    team = _team(ctx, db)
    _show(team.rings.present(_member(team, as_, "--as").id, ring, ask_id or None))


@ring_app.command("close")
def close(ctx: typer.Context, ring: RingArg, as_: AsOption, db: DbOption = None) -> None:
    """End the session: each offer becomes a commitment in both members' ledgers (or an
    introduction proposed in the offerer's), and each participant gets their summary."""
    team = _team(ctx, db)
    _summary(team.rings.close(_member(team, as_, "--as").id, ring))


@ring_app.command("summary")
def summary(
    ctx: typer.Context,
    ring: RingArg,
    as_: AsOption,
    db: DbOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """What you asked, what you were offered and what you offered."""
    from mutuality.presenters.ring import summary_json

    team = _team(ctx, db)
    found = team.rings.summary(_member(team, as_, "--as").id, ring)
    if fmt is OutputFormat.JSON:
        print_json(summary_json(found))
        return
    _summary(found)


def _show(view: RingView) -> None:
    out.print(
        f"[bold]#{view.id} {escape(view.name)}[/], {view.starts_at:%Y-%m-%d %H:%M} "
        f"({view.state}, {len(view.participants)} taking part)",
        soft_wrap=True,
    )
    for item in view.asks:
        now = " (presenting now)" if item.id == view.presenting else ""
        who = "you" if item.mine else escape(item.name)
        out.print(f"  ask #{item.id} from {who}{now}: {escape(item.text)}", soft_wrap=True)
        for made in item.offers:
            whom = f" (an introduction to {escape(made.introduce)})" if made.introduce else ""
            by = "you" if made.mine else escape(made.name)
            out.print(f"    offer #{made.id} from {by}: {escape(made.text)}{whom}", soft_wrap=True)
    if view.seconds_left is not None:
        out.print(
            f"  Presenter's time left: {view.seconds_left // 60}:{view.seconds_left % 60:02d}"
        )


def _summary(found: RingSummary) -> None:
    out.print(f"[bold]{escape(found.ring)}[/] ({found.state})")
    out.print(f"You asked: {escape(found.asked)}" if found.asked else "You did not ask.")
    out.print("Offered to you:" if found.offered_me else "Nothing was offered to you.")
    for line in found.offered_me:
        out.print(f"  {escape(line.who)}: {escape(line.offer)} ({line.outcome or 'open'})")
    out.print("You offered:" if found.i_offered else "You offered nothing this time.")
    for line in found.i_offered:
        out.print(f"  to {escape(line.who)}: {escape(line.offer)} ({line.outcome or 'open'})")


def register(team_app: typer.Typer) -> None:
    """Add ``team ring ...`` to ``mutuality team``."""
    team_app.add_typer(ring_app, name="ring")
