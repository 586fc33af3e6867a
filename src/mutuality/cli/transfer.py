"""Rendering imports and exports of other formats: the dry-run preview table (added,
merged with whom and what changes, rejected with the reason) and the summaries."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.table import Table

from mutuality.cli.render import err, escape, out, print_json, progress_bar

if TYPE_CHECKING:
    from mutuality.services.app import Mutuality
    from mutuality.services.importing import ImportOptions, ImportReport

PREVIEW_ROWS = 200


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    """``["name=Full Name", "email=Mail"]`` -> ``{"name": "Full Name", "email": "Mail"}``."""
    from mutuality.core.errors import InvalidInput

    mapping: dict[str, str] = {}
    for pair in pairs:
        target, sep, column = pair.partition("=")
        if not sep or not target.strip() or not column.strip():
            raise InvalidInput(
                f"--map {pair!r}: use FIELD=COLUMN, e.g. name='Full Name'", field="map", value=pair
            )
        mapping[target.strip().lower()] = column.strip()
    return mapping


def parse_zone(name: str | None) -> object:
    if not name:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from mutuality.core.errors import InvalidInput

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"unknown time zone {name!r}; use a name such as Europe/Lisbon",
            field="zone",
            value=name,
        ) from None


def run_import(app: Mutuality, file: Path, options: ImportOptions, as_json: bool) -> ImportReport:
    size = file.stat().st_size if file.exists() else None
    with progress_bar("Reading " + file.name, size) as advance:
        report = app.imports.run(file, options, progress=advance)
    if as_json:
        print_json(report.to_dict())
    else:
        show(report)
    return report


def show(report: ImportReport) -> None:
    """The preview (every dry run; merges and skipped records after a real import) and a
    one-line summary on stderr."""
    if report.format == "ics":
        _calendar_summary(report)
        return
    rows = _rows(report)
    if rows and (report.dry_run or report.merged or report.rejected):
        table = Table(title="Dry run: nothing written" if report.dry_run else None)
        for heading in ("", "name", "where", "details"):
            table.add_column(heading, overflow="fold")
        for status, name, where, details in rows[:PREVIEW_ROWS]:
            table.add_row(status, escape(name), escape(where), escape(details))
        out.print(table)
        if len(rows) > PREVIEW_ROWS:
            out.print(f"... and {len(rows) - PREVIEW_ROWS} more (--json lists them all)")
    verb, merged = ("Would add", "would merge") if report.dry_run else ("Added", "merged")
    parts = [
        f"{verb} {len(report.added)} people",
        f"{merged} {len(report.merged)}",
        f"{len(report.unchanged)} unchanged",
    ]
    if report.rejected:
        parts.append(f"{'would skip' if report.dry_run else 'skipped'} {len(report.rejected)}")
    err.print(", ".join(parts) + f" ({report.source}).")
    if report.dry_run and report.stopped:
        err.print(
            "A real import would stop at the first bad record and write nothing; "
            "add --skip-bad to import the rest."
        )


def _rows(report: ImportReport) -> list[tuple[str, str, str, str]]:
    rows: list[tuple[str, str, str, str]] = []
    for problem in report.rejected:
        rows.append(("[red]rejected[/]", "", problem.location, problem.reason))
    if report.dry_run:
        for person in report.added:
            rows.append(("[green]add[/]", person.name, person.location, "; ".join(person.notes)))
    for person in report.merged:
        details = f"into {person.into} ({person.why}): " + ", ".join(person.changes)
        if person.notes:
            details += "; " + "; ".join(person.notes)
        rows.append(("[yellow]merge[/]", person.name, person.location, details))
    return rows


def _calendar_summary(report: ImportReport) -> None:
    for problem in report.rejected:
        err.print(f"[red]rejected[/] {escape(str(problem))}")
    for notice in report.notices[:50]:
        err.print(f"note: {escape(notice)}")
    verb = "Would log" if report.dry_run else "Logged"
    err.print(
        f"{verb} {report.touches} meeting touch(es) from {report.meetings} meeting(s) in "
        f"{report.source}: {report.already_imported} already imported, "
        f"{report.no_known_attendee} with no one from your network, {report.upcoming} "
        f"upcoming, {report.cancelled} cancelled."
    )
    if report.dry_run and report.stopped:
        err.print(
            "A real import would stop at the first bad record and write nothing; "
            "add --skip-bad to import the rest."
        )


def run_export(app: Mutuality, file: Path, format: str | None, include_notes: bool) -> None:
    with progress_bar("Exporting", None) as advance:
        result = app.exports.export(file, format, include_notes, progress=advance)
    if result.format == "json":
        err.print(f"Exported {result.what} to {file}.")
    elif result.format == "ics":
        err.print(f"Wrote {result.count} reminder(s) to {file}.")
    else:
        notes = "with private notes" if include_notes else "without private notes"
        err.print(f"Exported {result.count} people to {file} ({result.format}, {notes}).")
