"""Check-in and commitment reminders as an iCalendar file, for both ``mutuality agenda
--ics`` (the check-ins due within the agenda's days) and ``mutuality export FILE.ics``
(those due within a year): the same events under the same UIDs (the ledger's id and the
person or the commitment), so importing either file, or a newer one, updates the events
instead of duplicating them. The events' words and the file's text are decided once, in
``formats/ical_write.py``. Private notes never go into the file."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from mutuality.core.contacts import Reminder
from mutuality.formats.ical_write import (
    checkin_reminder,
    commitment_reminder,
    return_event,
    write_calendar,
)
from mutuality.services.context import ServiceContext, WithPeople, utc_now
from mutuality.store.files import atomic_text_file, check_folder
from mutuality.store.tables import PersonRow

if TYPE_CHECKING:
    from mutuality.services.app import Mutuality
    from mutuality.services.checkins.service import CheckInService
    from mutuality.services.commitments import CommitmentService
    from mutuality.services.people import PeopleService

AGENDA_NAME = "mutuality agenda"
EXPORT_NAME = "mutuality check-ins"


class CalendarService(WithPeople):
    def __init__(
        self,
        context: ServiceContext,
        people: PeopleService,
        checkins: CheckInService,
        commitments: CommitmentService,
    ) -> None:
        super().__init__(context, people)
        self._checkins = checkins
        self._commitments = commitments

    def reminders(self, horizon_days: int) -> list[Reminder]:
        """A reminder for each check-in due within ``horizon_days`` (repeating every cadence
        days), then one on each open commitment's due date."""
        today = self._today()
        ledger = self._people.ledger_id()  # UIDs must be unique across every calendar
        found = [
            checkin_reminder(ledger, person.name, item, today)
            for person, item in self._checkins.agenda(horizon_days)
        ]
        with self._db.read() as session:
            names = {
                pid: name for pid, name in session.execute(select(PersonRow.id, PersonRow.name))
            }
        found += [
            commitment_reminder(ledger, commitment, names.get(commitment.person_id, "someone"))
            for commitment in self._commitments.list()
        ]
        return found

    def write(self, path: Path, horizon_days: int, name: str, stamp: datetime | None = None) -> int:
        """Write the reminders atomically; returns how many events the file holds."""
        check_folder(path)
        reminders = self.reminders(horizon_days)
        _write(path, write_calendar(reminders, stamp or self._now(), name))
        return len(reminders)


def write_agenda_calendar(app: Mutuality, path: Path, horizon_days: int) -> int:
    """The agenda's calendar (``mutuality agenda --ics``); returns how many events it holds."""
    return app.calendar.write(path, horizon_days, AGENDA_NAME)


def write_return_event(path: Path, summary: str, start: datetime, minutes: int = 60) -> None:
    """One timed event (the return from a repair conversation's break) as a file."""
    _write(path, write_calendar([return_event(summary, start, minutes)], utc_now()))


def _write(path: Path, text: str) -> None:
    with atomic_text_file(path) as handle:
        handle.write(text)
