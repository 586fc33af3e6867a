"""Rendering imports and exports of other formats: the dry-run preview table (added,
merged with whom and what changes, possible duplicates, rejected with the reason), the
summaries, and the record of imports (``import list``, ``import undo``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.table import Table

from mutuality.cli.render import err, escape, out, print_json, progress_bar

if TYPE_CHECKING:
    from datetime import tzinfo

    from mutuality.services.app import Mutuality
    from mutuality.services.importing.history import UndoReport
    from mutuality.services.importing.service import ImportOptions, ImportReport

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


def parse_zone(name: str | None) -> tzinfo | None:
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
    """The preview (every dry run; merges, possible duplicates and skipped records after a
    real import) and a summary on stderr."""
    if report.format == "ics":
        _calendar_summary(report)
        return
    rows = _rows(report)
    if rows and (report.dry_run or report.merged or report.rejected or report.possible_duplicates):
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
    doubts = len(report.possible_duplicates)
    if doubts:
        parts.append(f"{doubts} possible duplicate{'' if doubts == 1 else 's'}")
    if report.rejected:
        parts.append(f"{'would skip' if report.dry_run else 'skipped'} {len(report.rejected)}")
    err.print(escape(", ".join(parts) + f" ({report.source})."))
    if doubts and report.dry_run:
        err.print(
            "A possible duplicate would be added as a new person, not merged: check whether "
            "it is someone you already have."
        )
    elif doubts:
        err.print(
            "A possible duplicate was added as a new person, not merged. If it is someone you "
            "already have, forget the new one (`mutuality person forget NAME`) and add what it "
            "had to the other (`mutuality person edit`), or undo the whole import."
        )
    if report.import_id is not None:
        err.print(
            f"Recorded as import #{report.import_id}: `mutuality import undo` takes it all back."
        )
    if report.dry_run and report.stopped:
        err.print(
            "A real import would stop at the first bad record and write nothing; "
            "add --skip-bad to import the rest."
        )


def _rows(report: ImportReport) -> list[tuple[str, str, str, str]]:
    rows: list[tuple[str, str, str, str]] = []
    for problem in report.rejected:
        rows.append(("[red]rejected[/]", "", problem.location, problem.reason))
    for person in report.added:
        if not report.dry_run and person.duplicate is None:
            continue
        details = list(person.notes)
        if person.duplicate is not None:
            details.insert(0, str(person.duplicate))
        status = "[green]add[/]" if report.dry_run else "[green]added[/]"
        rows.append((status, person.name, person.location, "; ".join(details)))
    for person in report.merged:
        merge = f"into {person.into} ({person.why}): " + ", ".join(person.changes)
        if person.notes:
            merge += "; " + "; ".join(person.notes)
        rows.append(("[yellow]merge[/]", person.name, person.location, merge))
    return rows


def run_history(app: Mutuality, as_json: bool) -> None:
    """``mutuality import list``: every contact import recorded, newest first."""
    entries = app.imports.history()
    if as_json:
        print_json([entry.to_dict() for entry in entries])
        return
    if not entries:
        err.print("No contact imports yet.")
        return
    table = Table()
    for heading in ("#", "when", "file", "added", "merged", "undone"):
        table.add_column(heading, overflow="fold")
    for entry in entries:
        table.add_row(
            str(entry.id),
            entry.imported_at.strftime("%Y-%m-%d %H:%M"),
            escape(entry.source),
            str(entry.added),
            str(entry.merged),
            entry.undone_at.strftime("%Y-%m-%d %H:%M") if entry.undone_at else "",
        )
    out.print(table)


def run_undo(
    app: Mutuality, number: int | None, keep_used: bool, dry_run: bool, as_json: bool
) -> UndoReport:
    """``mutuality import undo [ID]``: revert a contact import and say what changed."""
    report = app.imports.undo(number, keep_used=keep_used, dry_run=dry_run)
    if as_json:
        print_json({**report.to_dict(), "dry_run": dry_run})
        return report
    verb = "Would undo" if dry_run else "Undid"
    done = []
    if report.removed:
        done.append(f"{'would remove' if dry_run else 'removed'} {_people(len(report.removed))}")
    if report.restored:
        done.append(
            f"{'would put' if dry_run else 'put'} {_people(len(report.restored))} back as "
            "they were before it"
        )
    what = " and ".join(done) if done else "nothing left to change"
    out.print(escape(f"{verb} import #{report.id} ({report.source}): {what}."))
    if report.kept:
        out.print(escape(f"Kept, with their entries: {', '.join(report.kept)}."))
    for note in report.notes:
        out.print(escape(note[:1].upper() + note[1:] + "."))
    return report


def _people(count: int) -> str:
    return "1 person" if count == 1 else f"{count} people"


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
