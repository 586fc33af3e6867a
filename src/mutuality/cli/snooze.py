"""``mutuality snooze|unsnooze``: keep a relationship's nudges off the to-do list for a while
(the web's dashboard and ``next`` still judge it; see :mod:`mutuality.core.todo`)."""

from __future__ import annotations

from typing import Annotated

import typer

from mutuality.cli.render import escape, out
from mutuality.cli.state import open_app


def snooze(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Whom to snooze.")],
    until: Annotated[
        str | None,
        typer.Option(help="The day they come back: YYYY-MM-DD or 'in 10 days'."),
    ] = None,
    span: Annotated[
        str | None,
        typer.Option("--for", help="How long: 10d, 2w or 1m (months by the calendar)."),
    ] = None,
) -> None:
    """Keep someone off the to-do list until a day (at most a year); their promises and
    requests stay on it."""
    app = open_app(ctx)
    done = app.todo.snooze(name, until=until, span=span)
    assert done.until is not None
    out.print(
        f"Snoozed {escape(done.person.name)} until {done.until.isoformat()}: "
        "back on the to-do list that day."
    )


def unsnooze(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Whom to put back on the to-do list.")],
) -> None:
    """Put someone back on the to-do list today."""
    done = open_app(ctx).todo.unsnooze(name)
    out.print(f"{escape(done.person.name)} is back on the to-do list.")
