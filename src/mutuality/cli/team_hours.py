"""``mutuality team hours setup | give | confirm | decline | withdraw | balance |
overview``: time-bank hours, each command acting for one member (``--as``). The rules live in
:mod:`mutuality.services.hours`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from mutuality.cli.render import escape, out, print_json
from mutuality.cli.state import FormatOption, OutputFormat, command_group
from mutuality.cli.team import AsOption, DbOption, _member, _team

if TYPE_CHECKING:
    from mutuality.services.hours import HourTransfer

hours_app = command_group(
    no_args_is_help=True,
    help="Time-bank hours, where the community keeps them: every hour equal, counted once "
    "the receiver confirms, beside the benefit-and-cost record.",
)
TransferArg = Annotated[int, typer.Argument(help="The transfer's number (from `balance`).")]
STATE_WORDS = {
    "pending": "waiting for the receiver",
    "confirmed": "confirmed",
    "declined": "declined",
    "withdrawn": "withdrawn",
}


@hours_app.command("setup")
def setup(
    ctx: typer.Context,
    as_: AsOption,
    floor: Annotated[
        float, typer.Option("--floor", help="How far below zero a balance may go, in hours.")
    ] = 10,
    off: Annotated[bool, typer.Option("--off", help="Stop keeping hours.")] = False,
    db: DbOption = None,
) -> None:
    """Keep time-bank hours in this community (organisers), with a limit below zero."""
    team = _team(ctx, db)
    bank = team.hours.configure(_member(team, as_, "--as").id, not off, floor)
    if bank.enabled:
        out.print(f"The community keeps hours; a balance may go down to -{bank.floor_hours:g}.")
    else:
        out.print("The community no longer keeps hours (what was confirmed stays).")


@hours_app.command("give")
def give(
    ctx: typer.Context,
    to: Annotated[str, typer.Argument(help="The member you gave time to (their email).")],
    amount: Annotated[float, typer.Argument(help="Hours (1.5 is an hour and a half).")],
    what: Annotated[str, typer.Argument(help="What you did.")],
    as_: AsOption,
    on: Annotated[str | None, typer.Option("--on", help="When (default today).")] = None,
    db: DbOption = None,
) -> None:
    """Log hours you gave; they count once the other member confirms."""
    team = _team(ctx, db)
    me = _member(team, as_, "--as")
    other = _member(team, to, "TO")
    _print(team.hours.give(me.id, other.id, amount, what, on))


@hours_app.command("confirm")
def confirm(ctx: typer.Context, transfer: TransferArg, as_: AsOption, db: DbOption = None) -> None:
    """Confirm hours you received: they count now."""
    team = _team(ctx, db)
    _print(team.hours.confirm(_member(team, as_, "--as").id, transfer))


@hours_app.command("decline")
def decline(ctx: typer.Context, transfer: TransferArg, as_: AsOption, db: DbOption = None) -> None:
    """Decline hours logged to you that did not happen so: they never count."""
    team = _team(ctx, db)
    _print(team.hours.decline(_member(team, as_, "--as").id, transfer))


@hours_app.command("withdraw")
def withdraw(ctx: typer.Context, transfer: TransferArg, as_: AsOption, db: DbOption = None) -> None:
    """Take back hours you logged, while they wait."""
    team = _team(ctx, db)
    _print(team.hours.withdraw(_member(team, as_, "--as").id, transfer))


@hours_app.command("balance")
def balance(
    ctx: typer.Context, as_: AsOption, db: DbOption = None, fmt: FormatOption = OutputFormat.TABLE
) -> None:
    """Your hours given and received, your balance, and your statement."""
    from mutuality.presenters.hours import account_json

    team = _team(ctx, db)
    account = team.hours.account(_member(team, as_, "--as").id)
    if fmt is OutputFormat.JSON:
        print_json(account_json(account))
        return
    if not account.enabled:
        out.print("This community does not keep time-bank hours.")
    out.print(
        f"Given: {account.given:g} h   Received: {account.received:g} h   "
        f"Balance: {account.balance:+g} h (may go down to -{account.floor_hours:g})"
    )
    for transfer in account.statement:
        _print(transfer)


@hours_app.command("overview")
def overview(
    ctx: typer.Context, as_: AsOption, db: DbOption = None, fmt: FormatOption = OutputFormat.TABLE
) -> None:
    """The time bank in aggregate (organisers): never anyone's balance."""
    from mutuality.presenters.hours import overview_json

    team = _team(ctx, db)
    found = team.hours.overview(_member(team, as_, "--as").id)
    if fmt is OutputFormat.JSON:
        print_json(overview_json(found))
        return
    out.print(f"Hours kept: {'yes' if found.enabled else 'no'}; limit -{found.floor_hours:g} h")
    if found.note:
        out.print(f"Figures: {found.note}.")
    if found.members_taking_part is None:
        return
    exchanged = "not shown" if found.hours_exchanged is None else f"{found.hours_exchanged:g}"
    out.print(
        f"Members taking part: {found.members_taking_part}; hours exchanged: "
        f"{exchanged}; transfers confirmed: {found.transfers_confirmed}, waiting: "
        f"{found.transfers_waiting}; members below zero: {found.members_below_zero}"
    )


def _print(transfer: HourTransfer) -> None:
    way = (
        f"you gave {escape(transfer.other)}"
        if transfer.i_gave
        else (f"{escape(transfer.other)} gave you")
    )
    out.print(
        f"#{transfer.id} {transfer.occurred_on:%Y-%m-%d} {way} {transfer.hours:g} h: "
        f"{escape(transfer.what)} ({STATE_WORDS[transfer.state]})",
        soft_wrap=True,
    )
    if transfer.mine_to_confirm:
        out.print(f"  Confirm with `mutuality team hours confirm {transfer.id} --as EMAIL`.")


def register(team_app: typer.Typer) -> None:
    """Add ``team hours ...`` to ``mutuality team``."""
    team_app.add_typer(hours_app, name="hours")
