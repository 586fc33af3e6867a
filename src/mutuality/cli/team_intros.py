"""``mutuality team introduce | intros | intro-answer | intro-withdraw``: introductions between
members, each command acting for one member (``--as``). The introducer shares an
introduction of their ledger (``mutuality intro propose`` made it); the people it
introduces answer from their own account, or through a private link when they are not
members. The rules live in :mod:`mutuality.services.team_introductions`."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from mutuality.cli.render import escape, out, print_json
from mutuality.cli.state import FormatOption, OutputFormat, open_app
from mutuality.cli.team import AsOption, BaseUrlOption, DbOption, _member, _team

if TYPE_CHECKING:
    from mutuality.services.team_introductions import SharedIntroduction, SideView

ANSWER_WORDS = {None: "not asked in the app", "asked": "asked", "yes": "said yes", "no": "said no"}


def introduce(
    ctx: typer.Context,
    intro_id: Annotated[int, typer.Argument(help="One of your introductions (its id).")],
    as_: AsOption,
    days: Annotated[int, typer.Option("--days", help="How long a private link works.")] = 14,
    db: DbOption = None,
    base_url: BaseUrlOption = None,
) -> None:
    """Ask both people of one of your introductions: a fellow member (a person you linked
    with `team link`) in their account, anyone else through a private link shown once."""
    from mutuality.web.links import DEFAULT_LINK_BASE, link_address

    team = _team(ctx, db)
    me = _member(team, as_, "--as")
    shared, links = team.introductions.share(me.id, intro_id, days)
    _print(shared)
    addresses = link_address(base_url or open_app(ctx).settings.web.public_url, DEFAULT_LINK_BASE)
    for link in links:
        out.print(
            f"For {escape(link.name)}, who is not a member: this private link works once, until "
            f"{link.expires_at:%Y-%m-%d %H:%M} UTC, and is shown only now; it shows your first "
            "name, the other person's name and the words you chose, nothing else:",
            soft_wrap=True,
        )
        sys.stdout.write(addresses.url(f"i/{link.token}") + "\n")


def intros(
    ctx: typer.Context, as_: AsOption, db: DbOption = None, fmt: FormatOption = OutputFormat.TABLE
) -> None:
    """The introductions you made or are asked about, newest first, with each side's answer."""
    from mutuality.presenters.team_introductions import shared_introduction_json

    team = _team(ctx, db)
    found = team.introductions.list(_member(team, as_, "--as").id)
    if fmt is OutputFormat.JSON:
        print_json([shared_introduction_json(item) for item in found])
        return
    if not found:
        out.print("No introductions shared with you yet.")
    for item in found:
        _print(item)


def intro_answer(
    ctx: typer.Context,
    shared_id: Annotated[int, typer.Argument(help="The shared introduction's number (#N).")],
    answer: Annotated[str, typer.Argument(help="yes or no.")],
    as_: AsOption,
    note: Annotated[
        str | None, typer.Option("--note", help="A few words the other two see.")
    ] = None,
    version: Annotated[
        int | None,
        typer.Option("--version", help="The version you saw: refused if it changed since."),
    ] = None,
    share_email: Annotated[
        bool,
        typer.Option(
            "--share-email", help="With yes: the other person may see your email once they agree."
        ),
    ] = False,
    db: DbOption = None,
) -> None:
    """Say yes or no to an introduction you are asked about."""
    from mutuality.core.errors import InvalidInput

    said = answer.strip().lower()
    if said not in ("yes", "no"):
        raise InvalidInput(f"answer yes or no, not {answer!r}", field="answer", value=answer)
    team = _team(ctx, db)
    me = _member(team, as_, "--as")
    _print(team.introductions.answer(me.id, shared_id, said == "yes", note, version, share_email))


def intro_withdraw(
    ctx: typer.Context,
    shared_id: Annotated[int, typer.Argument(help="The shared introduction's number (#N).")],
    as_: AsOption,
    db: DbOption = None,
) -> None:
    """Take back an introduction you shared, while it is still being asked."""
    team = _team(ctx, db)
    _print(team.introductions.withdraw(_member(team, as_, "--as").id, shared_id))


def _print(item: SharedIntroduction) -> None:
    who = "you" if item.my_side is None else escape(item.introducer)
    out.print(
        f"[bold]#{item.id}[/] {escape(item.a.name)} and {escape(item.b.name)}, introduced by "
        f"{who}: {item.status} (version {item.version})",
        soft_wrap=True,
    )
    for side in (item.a, item.b):
        out.print(f"  {_side(side)}", soft_wrap=True)
    if item.mine_to_answer:
        out.print(f"  You are asked: {escape(item.asked_in or '')}", soft_wrap=True)
        out.print(
            f"  Answer with `mutuality team intro-answer {item.id} yes|no --as EMAIL`.",
            soft_wrap=True,
        )


def _side(side: SideView) -> str:
    line = f"{escape(side.name)}: {ANSWER_WORDS.get(side.answer, side.answer or '')}"
    if side.note:
        line += f' ("{escape(side.note)}")'
    if side.email:
        line += f", reach them at {escape(side.email)}"
    return line


def register(team_app: typer.Typer) -> None:
    """Add these commands to ``mutuality team``."""
    team_app.command("introduce")(introduce)
    team_app.command("intros")(intros)
    team_app.command("intro-answer")(intro_answer)
    team_app.command("intro-withdraw")(intro_withdraw)
