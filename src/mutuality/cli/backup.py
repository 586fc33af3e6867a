"""``mutuality export|import|demo``: backups, restores and the demo network."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mutuality.cli.render import err, out, progress_bar
from mutuality.cli.state import open_app


def export(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Where to write the JSON backup.")],
) -> None:
    """Write everything to one JSON backup (atomically: the old file survives a crash)."""
    app = open_app(ctx)
    with progress_bar("Exporting", None) as advance:
        counts = app.backups.export_json(file, progress=advance)
    err.print(f"Exported {counts.describe()} to {file}.")


def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A JSON backup written by `mutuality export`.")],
) -> None:
    """Restore a JSON backup into an empty database: all or nothing."""
    app = open_app(ctx)
    data_file = file.expanduser()
    with progress_bar("Restoring", None) as advance:
        counts = app.backups.restore_json(data_file, progress=advance)
    err.print(f"Restored {counts.describe()} from {file}.")


def demo(ctx: typer.Context) -> None:
    """Load a demo network (once; a database that already has people is left as it is)."""
    from mutuality.services.demo import load_demo

    app = open_app(ctx)
    with progress_bar("Loading the demo network", None) as advance:
        report = load_demo(app, progress=advance)
    if report.loaded:
        out.print(
            f"Loaded the demo network: {report.people} people and {report.exchanges} "
            f"exchanges into {app.database.describe()}."
        )
    else:
        out.print(f"Demo not loaded: {report.reason}")
