"""The ``mutuality`` command: global options, error handling at the edge, and the command tree.

Heavy modules (SQLAlchemy, the services) are imported inside commands, so that
``mutuality --help`` starts fast.
"""

from __future__ import annotations

import logging
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

from mutuality import __version__
from mutuality.cli import (
    backup,
    board,
    capacity,
    checkins,
    health,
    intros,
    ledger,
    match,
    needs,
    network,
    occasions,
    owner,
    people,
    report,
    requests,
    serve,
    share,
    snooze,
    team,
    team_hours,
    team_intros,
    team_ring,
)
from mutuality.cli.owner import SIGNED_COMMANDS
from mutuality.cli.render import write
from mutuality.cli.state import CliState, command_group, state


def _fail(message: str, exit_code: int) -> typer.Exit:
    """Print one line on stderr and leave with ``exit_code``: no traceback for users."""
    write(f"error: {message}\n", sys.stderr)
    return typer.Exit(exit_code)


OPTIONAL_VALUES = {"--cluster": "local"}
"""Options whose value may be left out, and what they mean then: `--cluster` alone starts a
Ray cluster on this machine (as `--cluster local`)."""


def with_optional_values(args: list[str]) -> list[str]:
    """``args`` with the implied value after an option of :data:`OPTIONAL_VALUES` given
    without one (last, or followed by another option)."""
    given: list[str] = []
    for position, word in enumerate(args):
        given.append(word)
        if word == "--":
            return given + args[position + 1 :]
        following = args[position + 1] if position + 1 < len(args) else None
        if word in OPTIONAL_VALUES and (following is None or following.startswith("-")):
            given.append(OPTIONAL_VALUES[word])
    return given


class MutualityGroup(TyperGroup):
    """Translates errors in one place: domain errors exit 2, unexpected ones exit 1; marks a
    command that writes what another person reads (it asks for my name if it is not set)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, with_optional_values(args))

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name, command, rest = super().resolve_command(ctx, args)
        path: tuple[str, ...] = (name,) if name else ()
        commands = getattr(command, "commands", None)
        if commands and rest and rest[0] in commands:
            path += (rest[0],)
        state(ctx).asks_name = path in SIGNED_COMMANDS
        return name, command, rest

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, TyperException, BrokenPipeError):
            raise
        except Exception as error:
            from mutuality.core.errors import MutualityError

            debug = isinstance(ctx.obj, CliState) and ctx.obj.debug
            if isinstance(error, MutualityError):
                raise _fail(str(error), error.exit_code) from None
            if debug:
                raise
            logging.getLogger("mutuality").debug("internal error", exc_info=True)
            raise _fail(
                f"internal error ({type(error).__name__}); run with --debug for details", 1
            ) from None
        finally:
            if isinstance(ctx.obj, CliState):
                ctx.obj.close()


app = command_group(
    cls=MutualityGroup,
    help="mutuality: a ledger of what you give and receive, and where your relationships stand.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mutuality {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="MUTUALITY_DB",
            help="Database file path or SQLAlchemy URL (default: your data folder).",
            show_envvar=True,
        ),
    ] = None,
    member: Annotated[
        str | None,
        typer.Option(
            "--member",
            envvar="MUTUALITY_MEMBER",
            help="On a community's server (team mode): the email of the member whose private "
            "ledger the command works in.",
            show_envvar=True,
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Log details to stderr.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Log gives and gets, see balances, and keep relationships mutually beneficial."""
    current = state(ctx)
    current.db = db
    current.debug = debug
    current.member = member
    current.command = ctx.invoked_subcommand
    if debug:
        logging.basicConfig(
            level=logging.DEBUG, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s"
        )


app.add_typer(people.app, name="person")
app.add_typer(requests.ask_app, name="ask")
app.add_typer(requests.commitments_app, name="commitments")
app.add_typer(checkins.checkin_app, name="checkin")
app.add_typer(needs.need_app, name="need")
app.add_typer(needs.offer_app, name="offer")
app.add_typer(needs.state_app, name="state")
app.add_typer(match.match_app, name="match")
app.add_typer(intros.intro_app, name="intro")
app.add_typer(share.share_app, name="share")
app.add_typer(share.unshare_app, name="unshare")
app.add_typer(occasions.date_app, name="date")
app.add_typer(team.team_app, name="team")
team_intros.register(team.team_app)
team_ring.register(team.team_app)
team_hours.register(team.team_app)
app.add_typer(board.board_app, name="board")
team.team_app.command("report")(board.team_report)
app.command("agenda")(checkins.agenda)
app.command("repair")(checkins.repair)
app.command("digest")(checkins.digest)
app.command("gave")(ledger.gave)
app.command("got")(ledger.got)
app.command("timeline")(ledger.timeline)
app.command("balance")(ledger.balance)
app.command("scale")(ledger.scale)
app.command("unlog")(ledger.delete_exchange)
app.command("touch")(health.touch)
app.command("health")(health.health)
app.command("next")(health.next_steps)
app.command("why")(health.why)
app.command("thanks")(health.thanks)
app.command("snooze")(snooze.snooze)
app.command("unsnooze")(snooze.unsnooze)
app.command("network")(network.network)
app.command("capacity")(capacity.capacity)
app.command("report")(report.report)
app.command("export")(backup.export)
app.command("import")(backup.import_)
app.command("demo")(backup.demo)
app.command("serve")(serve.serve)
app.command("portfolio")(share.portfolio)
app.command("me")(owner.me)


def run() -> None:
    """Console-script entry point."""
    app()
