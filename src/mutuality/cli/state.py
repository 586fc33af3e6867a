"""What every command shares: the chosen database, opened lazily so that ``--help`` stays fast."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

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


@dataclass
class CliState:
    db: str | None = None
    debug: bool = False
    asks_name: bool = False
    """The command writes what another person reads: ask for my name if it is not set."""
    _app: Mutuality | None = field(default=None, repr=False)

    def app(self) -> Mutuality:
        if self._app is None:
            from mutuality.services.app import Mutuality

            self._app = Mutuality.open(self.db)
            if self.asks_name:
                from mutuality.cli.owner import ask_own_name

                ask_own_name(self._app)
        return self._app

    def close(self) -> None:
        if self._app is not None:
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
