"""Importing contacts (vCard, CSV) and meetings (iCalendar): detect the format, parse,
match each contact to the people already known (:mod:`mutuality.services.importing.merging`), and
write everything in one transaction, or, for a dry run, only say what would happen.

Bad records: by default the first malformed record stops the import and nothing is
written (the error names the file, the line and the record); with ``skip_bad`` the rest
is imported and every skipped record is listed. Re-importing the same file changes
nothing: every contact matches its earlier self, every meeting is recognised by its UID.
A contact that may be someone known, but not certainly, is added and reported as a
possible duplicate, never merged. Each contact import that changes something is recorded
(:mod:`mutuality.services.importing.history`) so that it can be undone.

Meetings become **touches** (channel ``meeting``), one for each attendee already in the
network, dated on the meeting's day in the importer's time zone: a meeting is a contact,
not a measured give, so it resets the check-in clock and records who reached out (the
organiser) without inventing benefit and cost figures for the ledger.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from mutuality.core.contacts import CalendarMeeting, ContactCard, ImportLimits, Problem
from mutuality.core.errors import BadFile, StorageError
from mutuality.formats import registry
from mutuality.formats.ical import Notice
from mutuality.services.context import ServiceContext, WithPeople
from mutuality.services.importing import history as import_history
from mutuality.services.importing import writer as import_writer
from mutuality.services.importing.history import ImportRecord, UndoReport
from mutuality.services.importing.merging import (
    Doubt,
    Match,
    PeopleIndex,
    PersonState,
    base_key,
    merge,
    new_state,
)
from mutuality.services.people import PeopleService
from mutuality.store.tables import EmailRow, ImportedEventRow, PersonRow

Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class PossibleDuplicate:
    """Someone an added contact may be: not certain enough to merge, so it is said instead."""

    name: str
    id: int | None
    """``None`` in a dry run for someone the same file adds."""
    location: str | None
    """Where in the file, for someone the same file adds."""
    reason: str

    def __str__(self) -> str:
        where = f"#{self.id}" if self.id is not None else f"new, {self.location}"
        return f"possible duplicate of {self.name} ({where}): {self.reason}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "id": self.id,
            "location": self.location if self.id is None else None,
            "reason": self.reason,
            "text": str(self),
        }


@dataclass(frozen=True, slots=True)
class PlannedPerson:
    """One contact in the preview: added, or merged into someone (with what changed)."""

    name: str
    location: str
    into: str | None = None
    why: str | None = None
    changes: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    id: int | None = None
    """The person added, once written."""
    duplicate: PossibleDuplicate | None = None


@dataclass(frozen=True, slots=True)
class ImportReport:
    source: str
    format: str
    dry_run: bool
    added: tuple[PlannedPerson, ...] = ()
    merged: tuple[PlannedPerson, ...] = ()
    unchanged: tuple[PlannedPerson, ...] = ()
    rejected: tuple[Problem, ...] = ()
    notices: tuple[str, ...] = ()
    touches: int = 0
    meetings: int = 0
    already_imported: int = 0
    no_known_attendee: int = 0
    upcoming: int = 0
    cancelled: int = 0
    import_id: int | None = None
    """The number this import is recorded under (``import undo`` takes it); ``None`` for a
    dry run, a calendar, or an import that changed nothing."""

    @property
    def stopped(self) -> bool:
        """A dry run found a malformed record that would stop the real import."""
        return any(p.malformed for p in self.rejected)

    @property
    def possible_duplicates(self) -> tuple[PlannedPerson, ...]:
        """The people added who may be someone already known (or added by the same file)."""
        return tuple(p for p in self.added if p.duplicate is not None)

    def to_dict(self) -> dict[str, Any]:
        def person(p: PlannedPerson) -> dict[str, Any]:
            return {
                "name": p.name,
                "id": p.id,
                "location": p.location,
                "into": p.into,
                "why": p.why,
                "changes": list(p.changes),
                "notes": list(p.notes),
                "possible_duplicate": p.duplicate.to_dict() if p.duplicate else None,
            }

        return {
            "source": self.source,
            "format": self.format,
            "dry_run": self.dry_run,
            "import_id": self.import_id,
            "added": [person(p) for p in self.added],
            "merged": [person(p) for p in self.merged],
            "possible_duplicates": [
                {"name": p.name, "location": p.location, "of": p.duplicate.to_dict()}
                for p in self.possible_duplicates
                if p.duplicate is not None
            ],
            "unchanged": len(self.unchanged),
            "rejected": [
                {"location": p.location, "reason": p.reason, "malformed": p.malformed}
                for p in self.rejected
            ],
            "notices": list(self.notices),
            "touches": self.touches,
            "meetings": self.meetings,
            "already_imported": self.already_imported,
            "no_known_attendee": self.no_known_attendee,
            "upcoming": self.upcoming,
            "cancelled": self.cancelled,
        }


@dataclass(frozen=True, slots=True)
class ImportOptions:
    format: str | None = None
    dry_run: bool = False
    skip_bad: bool = False
    encoding: str | None = None
    delimiter: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    zone: tzinfo | None = None
    """Where floating and all-day meetings happen, and whose calendar day a meeting falls
    on; the machine's local zone by default."""


def detect_format(path: Path, named: str | None = None) -> str:
    """The format named, else what the content says, else the extension, else CSV."""
    if named:
        return registry.named(named)
    return (
        registry.sniff(_head(path))
        or registry.by_extension(path.suffix)
        or registry.IMPORT_FALLBACK
    )


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            raw = handle.read(8192)
    except FileNotFoundError:
        raise StorageError(f"no such file: {path}", field="file", value=str(path)) from None
    except OSError as error:
        raise StorageError(
            f"cannot read {path}: {error.strerror or error}", field="file", value=str(path)
        ) from None
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return raw.decode("utf-16", "ignore").encode("utf-8").upper()
    if raw.count(0) > len(raw) // 4:
        codec = "utf-16-le" if raw[1:200:2].count(0) > raw[0:200:2].count(0) else "utf-16-be"
        return raw.decode(codec, "ignore").encode("utf-8").upper()
    return raw.upper()


class ImportService(WithPeople):
    def __init__(
        self, context: ServiceContext, people: PeopleService, limits: ImportLimits | None = None
    ) -> None:
        super().__init__(context, people)
        self.limits = limits or ImportLimits()

    def run(
        self, path: Path, options: ImportOptions | None = None, progress: Progress | None = None
    ) -> ImportReport:
        """Import contacts or meetings from ``path`` (a JSON backup goes to the backups)."""
        options = options or ImportOptions()
        kind = detect_format(path, options.format)
        if kind == "json":
            raise BadFile(
                "a JSON backup is restored with the backup service, not imported",
                location=str(path),
            )
        with path.open("rb") as handle:
            records = self._records(kind, handle, path.name, options, progress)
            if kind == "ics":
                return self._meetings(records, path.name, options)
            return self._contacts(records, path.name, kind, options)

    def _records(
        self,
        kind: str,
        handle: BinaryIO,
        source: str,
        options: ImportOptions,
        progress: Progress | None,
    ) -> Iterator[Any]:
        read = registry.reader(kind)
        if kind == "vcard":
            items: Iterable[Any] = read(handle, source, self.limits, options.encoding)
        elif kind == "csv":
            items = read(
                handle,
                source,
                self.limits,
                options.encoding,
                options.delimiter,
                options.mapping or None,
            )
        else:
            items = read(
                handle,
                source,
                self._zone(options),
                self._horizon(options),
                self.limits,
                options.encoding,
            )
        raw = getattr(handle, "raw", None)
        done = 0
        for item in items:
            if progress and raw is not None:
                position = raw.tell()
                progress(position - done)
                done = position
            yield item

    def _zone(self, options: ImportOptions) -> tzinfo:
        if options.zone is not None:
            return options.zone
        local = datetime.now().astimezone().tzinfo
        assert local is not None
        return local

    def _horizon(self, options: ImportOptions) -> datetime:
        return datetime.combine(self._today(), time(23, 59, 59), self._zone(options))

    def _check(self, problem: Problem, options: ImportOptions, rejected: list[Problem]) -> None:
        if problem.malformed and not (options.skip_bad or options.dry_run):
            raise BadFile(
                f"{problem.reason}; nothing was imported (use --skip-bad to import the rest)",
                location=problem.location,
            )
        rejected.append(problem)

    # --- contacts ----------------------------------------------------------------------------

    def _contacts(
        self,
        records: Iterator[ContactCard | Problem],
        source: str,
        kind: str,
        options: ImportOptions,
    ) -> ImportReport:
        items = list(records)  # the whole file first: how many contacts share each name
        names = Counter(base_key(r.name) for r in items if isinstance(r, ContactCard))
        added: list[tuple[PersonState, str, list[str], Doubt | None]] = []
        merged: list[PlannedPerson] = []
        unchanged: list[PlannedPerson] = []
        rejected: list[Problem] = []
        touched: dict[int, PersonState] = {}
        import_id: int | None = None
        with self._unit(options) as session:
            index = PeopleIndex.load(session)
            for record in items:
                if isinstance(record, Problem):
                    self._check(record, options, rejected)
                    continue
                notes = list(record.warnings)
                decision = index.decide(record, names[base_key(record.name)])
                if not isinstance(decision, Match):
                    state = new_state(record, index, notes)
                    added.append((state, record.location, notes, decision))
                    continue
                changes = merge(decision.state, record, index, notes)
                target = decision.state
                planned = PlannedPerson(
                    record.name,
                    record.location,
                    target.name,
                    decision.why,
                    tuple(changes),
                    tuple(notes),
                )
                (merged if changes else unchanged).append(planned)
                if changes and target.id is not None:
                    touched[target.id] = target
            if not options.dry_run:
                owner = self._people.owner_row(session)
                created = self._now()
                new_people = [state for state, *_ in added]
                import_writer.write_new_people(
                    session, new_people, owner.id, self._today(), created
                )
                written = import_writer.write_merges(session, list(touched.values()), created)
                if new_people or written:
                    import_id = import_history.record(
                        session, source, kind, created, new_people, written
                    )
        return ImportReport(
            source,
            kind,
            options.dry_run,
            tuple(_added(state, where, notes, doubt) for state, where, notes, doubt in added),
            tuple(merged),
            tuple(unchanged),
            tuple(rejected),
            import_id=import_id,
        )

    def history(self) -> list[ImportRecord]:
        """Every contact import recorded, newest first."""
        with self._db.read() as session:
            return import_history.history(session)

    def undo(
        self, number: int | None = None, keep_used: bool = False, dry_run: bool = False
    ) -> UndoReport:
        """Revert import ``number`` (the latest not undone by default) in one transaction:
        remove the people it added and put back what it changed on the people it merged
        into. People it added who have entries of their own since stop the undo (named in
        the error), unless ``keep_used`` keeps them. A dry run does it all and rolls back."""
        try:
            with self._db.write() as session:
                report = import_history.undo(session, number, keep_used, self._now())
                if dry_run:
                    raise _RolledBack(report)
                return report
        except _RolledBack as preview:
            return preview.report

    def _unit(self, options: ImportOptions) -> Any:
        return self._db.read() if options.dry_run else self._db.write()

    # --- meetings ----------------------------------------------------------------------------

    def _meetings(
        self,
        records: Iterator[CalendarMeeting | Problem | Notice],
        source: str,
        options: ImportOptions,
    ) -> ImportReport:
        rejected: list[Problem] = []
        notices: list[str] = []
        counts = {"meetings": 0, "unknown": 0, "upcoming": 0, "cancelled": 0}
        chosen: dict[tuple[str, str], CalendarMeeting] = {}
        overridden: set[tuple[str, str]] = set()
        already: set[tuple[str, str]] = set()
        zone, today = self._zone(options), self._today()
        records = iter(list(records))  # the whole file read before the write lock is taken
        with self._unit(options) as session:
            people, owner_emails = _emails(session)
            done = {
                (uid, rid)
                for uid, rid in session.execute(
                    select(ImportedEventRow.uid, ImportedEventRow.recurrence)
                )
            }
            for record in records:
                if isinstance(record, Problem):
                    self._check(record, options, rejected)
                    continue
                if isinstance(record, Notice):
                    notices.append(str(record))
                    continue
                key = (record.uid, record.recurrence_id)
                if record.is_override:
                    overridden.add(key)
                    chosen.pop(key, None)  # a moved or changed occurrence replaces its slot
                elif key in overridden:
                    continue
                counts["meetings"] += 1
                if record.cancelled:
                    counts["cancelled"] += 1
                elif key in done:
                    already.add(key)
                elif _day(record, zone) > today:
                    counts["upcoming"] += 1
                elif not _participants(record, people, owner_emails):
                    counts["unknown"] += 1
                else:
                    chosen[key] = record
            touches = 0
            if not options.dry_run:
                touches = self._write_meetings(session, chosen, people, owner_emails, zone)
            else:
                touches = sum(len(_participants(m, people, owner_emails)) for m in chosen.values())
        return ImportReport(
            source,
            "ics",
            options.dry_run,
            rejected=tuple(rejected),
            notices=tuple(notices),
            touches=touches,
            meetings=counts["meetings"],
            already_imported=len(already),
            no_known_attendee=counts["unknown"],
            upcoming=counts["upcoming"],
            cancelled=counts["cancelled"],
        )

    def _write_meetings(
        self,
        session: Session,
        chosen: dict[tuple[str, str], CalendarMeeting],
        people: dict[str, int],
        owner_emails: set[str],
        zone: tzinfo,
    ) -> int:
        owner = self._people.owner_row(session)
        created = self._now()
        meetings = list(chosen.values())
        rows: list[dict[str, Any]] = []
        firsts: list[int] = []
        for meeting in meetings:
            firsts.append(len(rows))
            for pid, initiated in _participants(meeting, people, owner_emails):
                rows.append(
                    {
                        "owner_id": owner.id,
                        "person_id": pid,
                        "occurred_on": _day(meeting, zone),
                        "initiated_by": initiated,
                        "channel": "meeting",
                        "private_note": meeting.summary,
                        "created_at": created,
                    }
                )
        ids = import_writer.write_touches(session, rows)
        import_writer.insert_rows(
            session.connection(),
            ImportedEventRow,
            [
                {
                    "uid": m.uid,
                    "recurrence": m.recurrence_id,
                    "touch_id": ids[first],
                    "exchange_id": None,
                    "imported_at": created,
                }
                for m, first in zip(meetings, firsts, strict=True)
            ],
        )
        return len(ids)


class _RolledBack(Exception):
    """Leaves a write transaction without committing, carrying what it would have done."""

    def __init__(self, report: UndoReport) -> None:
        super().__init__("dry run")
        self.report = report


def _added(state: PersonState, where: str, notes: list[str], doubt: Doubt | None) -> PlannedPerson:
    duplicate = None
    if doubt is not None:
        other = doubt.state
        duplicate = PossibleDuplicate(other.name, other.id, other.location or None, doubt.why)
    return PlannedPerson(state.name, where, notes=tuple(notes), id=state.id, duplicate=duplicate)


def _emails(session: Session) -> tuple[dict[str, int], set[str]]:
    people: dict[str, int] = {}
    owner: set[str] = set()
    for email, pid, is_owner in session.execute(
        select(EmailRow.email, EmailRow.person_id, PersonRow.is_owner).join(
            PersonRow, PersonRow.id == EmailRow.person_id
        )
    ):
        if is_owner:
            owner.add(email)
        else:
            people[email] = pid
    return people, owner


def _day(meeting: CalendarMeeting, zone: tzinfo) -> date:
    return meeting.start.date() if meeting.all_day else meeting.start.astimezone(zone).date()


def _participants(
    meeting: CalendarMeeting, people: dict[str, int], owner_emails: set[str]
) -> list[tuple[int, str | None]]:
    """(person id, who reached out) for everyone in the network at the meeting: attendees
    who did not decline, and the organiser; ``me`` when I organised it, ``them`` when they
    did."""
    organiser = meeting.organiser
    emails = [a.email for a in meeting.attendees if not a.declined]
    if organiser and organiser not in emails:
        emails.append(organiser)
    found: dict[int, str | None] = {}
    for email in emails:
        pid = people.get(email)
        if pid is None or pid in found:
            continue
        if organiser in owner_emails:
            found[pid] = "me"
        elif organiser == email:
            found[pid] = "them"
        else:
            found[pid] = None
    return list(found.items())
