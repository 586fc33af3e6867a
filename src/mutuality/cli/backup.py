"""``mutuality export|import|demo``: backups, restores and the demo network."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mutuality.cli.render import err, out, progress_bar
from mutuality.cli.state import open_app


def export(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Where to write (.json, .vcf, .csv or .ics).")],
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="json (full backup), vcard, csv or ics "
            "(check-in and commitment reminders); default: from the extension.",
        ),
    ] = None,
    with_notes: Annotated[
        bool, typer.Option("--with-notes", help="Put private notes into a vCard or CSV file.")
    ] = False,
) -> None:
    """Write everything to one JSON backup (atomically: the old file survives a crash), or
    the people as vCard 4.0 or CSV, or reminders as iCalendar."""
    from mutuality.services.exporting import export_format

    app = open_app(ctx)
    if export_format(file, format) != "json":
        from mutuality.cli.transfer import run_export

        run_export(app, file, format, with_notes)
        return
    with progress_bar("Exporting", None) as advance:
        counts = app.backups.export_json(file, progress=advance)
    err.print(f"Exported {counts.describe()} to {file}.")


def import_(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help="A JSON backup, a vCard, a CSV (LinkedIn, Google, Outlook, any) "
            "or an iCalendar file."
        ),
    ],
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="Show what would be added, merged and rejected; write nothing."
        ),
    ] = False,
    skip_bad: Annotated[
        bool,
        typer.Option(
            "--skip-bad", help="Import the good records and list the bad ones (default: stop)."
        ),
    ] = False,
    format: Annotated[
        str | None,
        typer.Option(
            "--format", "-f", help="json, vcard, csv or ics; default: recognised from the content."
        ),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(
            help="The file's encoding (utf-8, utf-16, latin-1, cp1252...); default: detected."
        ),
    ] = None,
    delimiter: Annotated[
        str | None, typer.Option(help="CSV delimiter; default: the most frequent of , ; and TAB.")
    ] = None,
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="CSV column for a field, FIELD=COLUMN (name, first, last, email, phone, "
            "organisation, title, birthday, note, tags, url, ...); repeat it.",
        ),
    ] = None,
    zone: Annotated[
        str | None, typer.Option(help="Time zone for calendar days (default: this machine's).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Restore a JSON backup into an empty database, or import contacts (vCard, CSV) and
    meetings (iCalendar): all or nothing, duplicates merged, re-imports change nothing."""
    from mutuality.services.importing import detect_format

    app = open_app(ctx)
    data_file = file.expanduser()
    kind = detect_format(data_file, format)
    if kind != "json":
        from mutuality.cli.transfer import parse_mapping, parse_zone, run_import
        from mutuality.core.errors import BadFile
        from mutuality.services.importing import ImportOptions

        options = ImportOptions(
            format=kind,
            dry_run=dry_run,
            skip_bad=skip_bad,
            encoding=encoding,
            delimiter=delimiter,
            mapping=parse_mapping(map_ or []),
            zone=parse_zone(zone),  # type: ignore[arg-type]
        )
        report = run_import(app, data_file, options, as_json)
        if dry_run and report.stopped:
            first = next(p for p in report.rejected if p.malformed)
            raise BadFile(
                f"{first.reason}; a real import would write nothing", location=first.location
            )
        return
    if dry_run:
        checked = app.backups.read_backup(data_file)
        err.print(
            f"The backup {file} is sound: {len(checked.data.people)} people and "
            f"{len(checked.data.exchanges)} exchanges would be restored; nothing written."
        )
        return
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
