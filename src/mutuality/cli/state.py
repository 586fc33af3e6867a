"""What every command shares: the chosen database, opened lazily so that ``--help`` stays fast."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from mutuality.services.app import Mutuality


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="table or json")]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="As things stood on this day (YYYY-MM-DD): only what was logged by then."
    ),
]


SERVER_COMMANDS = frozenset({"team", "board", "serve"})
"""The commands that work on a community's server as a whole (each acting for one member
where it needs to, with ``--as``); every other command works in one ledger."""


@dataclass
class CliState:
    db: str | None = None
    debug: bool = False
    asks_name: bool = False
    """The command writes what another person reads: ask for my name if it is not set."""
    member: str | None = None
    """``--member``: on a community's server, the member whose private ledger this is."""
    command: str | None = None
    _app: Mutuality | None = field(default=None, repr=False)
    _server: Mutuality | None = field(default=None, repr=False)

    def app(self) -> Mutuality:
        if self._app is None:
            from mutuality.services.app import Mutuality

            opened = Mutuality.open(self.db)
            try:
                self._app = self._ledger_of(opened)
            except BaseException:
                opened.close()
                raise
            if self._app is not opened:
                self._server = opened
            # a command ends at once: the next `match` embeds what it saves (see embed_on_save)
            self._app.embed_on_save = False
            if self.asks_name:
                from mutuality.cli.owner import ask_own_name

                ask_own_name(self._app)
        return self._app

    def _ledger_of(self, opened: Mutuality) -> Mutuality:
        """The ledger this command works in. On a community's server the connection itself
        sees every member's ledger at once: a ledger command runs in one member's private
        ledger (``--member``), or not at all."""
        from mutuality.core.errors import InvalidInput
        from mutuality.store.team_tables import holds_community

        community = False
        if not opened.database.is_sqlite:
            with opened.database.read() as session:
                community = holds_community(session)
        if self.member is None:
            if community and self.command not in SERVER_COMMANDS:
                raise InvalidInput(
                    "this database holds a community, and its own connection sees every "
                    "member's ledger at once: give --member EMAIL to work in that member's "
                    "private ledger, or use the team commands",
                    field="member",
                )
            return opened
        if not community or self.command in SERVER_COMMANDS:
            raise InvalidInput(
                "--member works in one member's ledger on a community's server (team mode); "
                + (
                    f"`{self.command}` acts on the whole community (team commands take --as)"
                    if community
                    else "this database holds no community"
                ),
                field="member",
                value=self.member,
            )
        address = self.member.strip().lower()
        found = next((m for m in opened.team.members() if m.email == address), None)
        if found is None:
            raise InvalidInput(
                f"--member {self.member!r}: no member of this community has that email",
                field="member",
                value=self.member,
            )
        return opened.team.ledger(found.id)

    def close(self) -> None:
        if self._server is not None:
            self._server.team.close()
            self._server.close()
        elif self._app is not None:
            self._app.close()
            self._app = None


def state(ctx: typer.Context) -> CliState:
    root = ctx.find_root()
    if not isinstance(root.obj, CliState):
        root.obj = CliState()
    return root.obj


def open_app(ctx: typer.Context) -> Mutuality:
    """The application for this invocation (opened, created or upgraded on first use)."""
    return state(ctx).app()


def open_as_of(ctx: typer.Context, as_of: str | None) -> Mutuality:
    """The application, or one whose today is ``as_of`` (to check a past report's figures)."""
    app = open_app(ctx)
    if as_of is None:
        return app
    from mutuality.core.dates import parse_past_date
    from mutuality.services.app import Mutuality

    day = parse_past_date(as_of, app.today(), "--as-of")
    return Mutuality.within(app.context.as_of(day))


def command_group(**options: Any) -> typer.Typer:
    """A group of commands whose help reads as prose: a docstring's wrapped lines join into
    one paragraph in ``--help`` (Typer's default keeps each source line break)."""
    return typer.Typer(rich_markup_mode="markdown", **options)
