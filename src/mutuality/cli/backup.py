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
    from mutuality.services.exporting.service import export_format

    app = open_app(ctx)
    if export_format(file, format) != "json":
        from mutuality.cli.transfer import run_export

        run_export(app, file, format, with_notes)
        return
    with progress_bar("Exporting", None) as advance:
        counts = app.backups.export_json(file, progress=advance)
    err.print(f"Exported {counts.describe()} to {file}.")


UNDO, LIST = "undo", "list"


def import_(
    ctx: typer.Context,
    file: Annotated[
        str,
        typer.Argument(
            help="A JSON backup, a vCard, a CSV (LinkedIn, Google, Outlook, any) "
            "or an iCalendar file. Or: `undo [ID]` reverts a contact import (the last one "
            "by default), `list` shows them.",
            show_default=False,
        ),
    ],
    number: Annotated[
        str | None,
        typer.Argument(metavar="ID", help="With undo: the import's number.", show_default=False),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Show what would be added, merged and rejected (with undo: what would be "
            "removed and put back); write nothing.",
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
    keep_used: Annotated[
        bool,
        typer.Option(
            "--keep-used",
            help="With undo: keep the people the import added who have entries since, "
            "and remove the rest.",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Restore a JSON backup into an empty database, or import contacts (vCard, CSV) and
    meetings (iCalendar): all or nothing, the same person merged only when certain (others
    listed as possible duplicates), re-imports change nothing. `mutuality import undo`
    reverts the last contact import; `mutuality import list` shows them."""
    if file in (UNDO, LIST):
        from mutuality.cli.transfer import run_history, run_undo

        if file == LIST:
            _no_number(number, LIST)
            run_history(open_app(ctx), as_json)
        else:
            run_undo(open_app(ctx), _import_number(number), keep_used, dry_run, as_json)
        return
    _no_number(number, None)
    from mutuality.services.importing.service import detect_format

    app = open_app(ctx)
    data_file = Path(file).expanduser()
    kind = detect_format(data_file, format)
    if kind != "json":
        from mutuality.cli.transfer import parse_mapping, parse_zone, run_import
        from mutuality.core.errors import BadFile
        from mutuality.services.importing.service import ImportOptions

        options = ImportOptions(
            format=kind,
            dry_run=dry_run,
            skip_bad=skip_bad,
            encoding=encoding,
            delimiter=delimiter,
            mapping=parse_mapping(map_ or []),
            zone=parse_zone(zone),
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


def _import_number(number: str | None) -> int | None:
    """The ID given to ``import undo``: a number, ``#3`` or nothing."""
    if number is None:
        return None
    text = number.strip().removeprefix("#")
    if not text.isdigit() or int(text) < 1:
        from mutuality.core.errors import InvalidInput

        raise InvalidInput(
            f"import undo takes an import number (`mutuality import list` shows them), "
            f"not {number!r}",
            field="import",
            value=number,
        )
    return int(text)


def _no_number(number: str | None, command: str | None) -> None:
    if number is not None:
        from mutuality.core.errors import InvalidInput

        what = f"import {command}" if command else "import FILE"
        raise InvalidInput(
            f"{what} takes no {number!r}; only `mutuality import undo ID` takes a number "
            "(a file named undo or list is ./undo or ./list)",
            field="import",
            value=number,
        )


def demo(ctx: typer.Context) -> None:
    """Load a demo network (once; a database that already has people is left as it is)."""
    from mutuality.services.demo.service import load_demo

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
