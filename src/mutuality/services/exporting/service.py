"""Exporting: the people as vCard 4.0 or CSV, check-in and commitment reminders as
iCalendar, and the full JSON backup.

vCard and CSV are for sharing with other programs, so they leave private notes out unless
``include_notes`` is asked for (then the file is as private as the database). CSV cells
that a spreadsheet would run as a formula are written with a leading ``'``, which our own
importer removes again. Every file is written atomically (old file or complete new one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from mutuality.core.contacts import (
    Birthday,
    ContactCard,
    ContactDate,
    Photo,
    PostalAddress,
    Reminder,
    WebLink,
)
from mutuality.formats import registry
from mutuality.services.backup.service import BackupService
from mutuality.services.exporting.calendar import CalendarService
from mutuality.store.database import Database
from mutuality.store.files import atomic_text_file
from mutuality.store.tables import AddressRow, ImportantDateRow, PersonRow, PhotoRow, UrlRow

REMINDER_HORIZON = 366


@dataclass(frozen=True, slots=True)
class ExportResult:
    format: str
    count: int
    what: str
    """``people``, ``reminders`` or the backup's description."""


def export_format(path: Path, named: str | None) -> str:
    """The format named, else the file's extension, else the JSON backup."""
    if named is None:
        return registry.by_extension(path.suffix, export=True) or registry.EXPORT_FALLBACK
    return registry.named(named)


class ExportService:
    def __init__(
        self,
        database: Database,
        backups: BackupService,
        calendar: CalendarService,
    ) -> None:
        self._db = database
        self._backups = backups
        self._calendar = calendar

    def export(
        self,
        path: Path,
        format: str | None = None,
        include_notes: bool = False,
        progress: Callable[[int], None] | None = None,
    ) -> ExportResult:
        kind = export_format(path, format)
        if kind == "json":
            counts = self._backups.export_json(path, progress=progress)
            return ExportResult("json", counts.total, counts.describe())
        if kind == "ics":
            from mutuality.services.exporting.calendar import EXPORT_NAME

            count = self._calendar.write(path, REMINDER_HORIZON, EXPORT_NAME)
            return ExportResult("ics", count, "reminders")
        cards = self.cards(include_notes)
        with atomic_text_file(path) as handle:
            write = registry.writer(kind)
            if kind == "vcard":
                for card in cards:
                    handle.write(write(card, include_notes))
            else:
                handle.write("\ufeff")  # so that Excel reads UTF-8
                for chunk in write(cards, include_notes):
                    handle.write(chunk)
        return ExportResult(kind, len(cards), "people")

    def cards(self, include_notes: bool = False) -> list[ContactCard]:
        """Everyone but the owner as contact cards, by name."""
        with self._db.read() as session:
            addresses: dict[int, list[PostalAddress]] = {}
            for address in session.scalars(select(AddressRow).order_by(AddressRow.position)):
                addresses.setdefault(address.person_id, []).append(
                    PostalAddress(
                        address.label,
                        address.street,
                        address.locality,
                        address.region,
                        address.postcode,
                        address.country,
                    )
                )
            urls: dict[int, list[WebLink]] = {}
            for pid, url, label in session.execute(
                select(UrlRow.person_id, UrlRow.url, UrlRow.label).order_by(UrlRow.position)
            ):
                urls.setdefault(pid, []).append(WebLink(url, label))
            dates: dict[int, list[ContactDate]] = {}
            for pid, text, on, year_known in session.execute(
                select(
                    ImportantDateRow.person_id,
                    ImportantDateRow.text,
                    ImportantDateRow.occurs_on,
                    ImportantDateRow.year_known,
                )
                .where(ImportantDateRow.yearly.is_(True))  # a one-off is no yearly vCard date
                .order_by(ImportantDateRow.id)
            ):
                year = on.year if year_known else None
                dates.setdefault(pid, []).append(
                    ContactDate(text, Birthday(on.month, on.day, year))
                )
            photos = {
                pid: Photo(media_type, data)
                for pid, media_type, data in session.execute(
                    select(PhotoRow.person_id, PhotoRow.media_type, PhotoRow.data)
                )
            }
            cards = []
            for row in session.scalars(
                select(PersonRow)
                .where(PersonRow.is_owner.is_(False))
                .order_by(PersonRow.name_key, PersonRow.id)
            ):
                birthday = (
                    Birthday(row.birthday_month, row.birthday_day, row.birthday_year)
                    if row.birthday_month and row.birthday_day
                    else None
                )
                cards.append(
                    ContactCard(
                        name=row.name,
                        emails=tuple(e.email for e in row.emails),
                        phones=tuple(p.phone for p in row.phones),
                        organisation=row.organisation,
                        title=row.title,
                        birthday=birthday,
                        dates=tuple(dates.get(row.id, ())),
                        note=row.private_note if include_notes else None,
                        addresses=tuple(addresses.get(row.id, ())),
                        urls=tuple(urls.get(row.id, ())),
                        tags=tuple(t.tag for t in row.tags),
                        photo=photos.get(row.id),
                        uid=row.uid,
                    )
                )
            return cards

    def reminders(self) -> list[Reminder]:
        """A repeating reminder for each relationship's next check-in (every cadence days),
        and one on each open commitment's due date: the events ``mutuality agenda --ics``
        writes, under the same UIDs."""
        return self._calendar.reminders(REMINDER_HORIZON)
