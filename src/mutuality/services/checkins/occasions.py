"""Birthdays and important dates: keeping a person's dates, and what is coming up this week.

The rules (reading a date, the next occurrence, 29 February, ages) live in
:mod:`mutuality.core.occasions`; a birthday is a column of the person (set with
``person add/edit --birthday``), every other date a row of ``important_dates``.
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from mutuality.core.contacts import Birthday
from mutuality.core.errors import NotFound
from mutuality.core.occasions import (
    UPCOMING_DAYS,
    ImportantDate,
    Upcoming,
    check_days,
    date_text,
    parse_day,
    stored_day,
    upcoming,
)
from mutuality.services.context import WithPeople
from mutuality.store.prepared import run
from mutuality.store.tables import ImportantDateRow, PersonRow

if TYPE_CHECKING:
    from mutuality.services.people import PersonRef

_DATE_COLUMNS = (
    ImportantDateRow.id,
    ImportantDateRow.person_id,
    ImportantDateRow.text,
    ImportantDateRow.occurs_on,
    ImportantDateRow.yearly,
    ImportantDateRow.year_known,
    PersonRow.name,
)
_DATES = select(*_DATE_COLUMNS).join(PersonRow, PersonRow.id == ImportantDateRow.person_id)
_DATES_OF = _DATES.where(ImportantDateRow.person_id == bindparam("person")).order_by(
    ImportantDateRow.id
)
_BIRTHDAYS = select(
    PersonRow.id,
    PersonRow.name,
    PersonRow.birthday_year,
    PersonRow.birthday_month,
    PersonRow.birthday_day,
).where(
    PersonRow.is_owner.is_(False),
    PersonRow.birthday_month.is_not(None),
    PersonRow.birthday_day.is_not(None),
)


def date_record(row: Any) -> ImportantDate:
    """A row of :data:`_DATE_COLUMNS` as a record."""
    return ImportantDate(
        id=row.id,
        person_id=row.person_id,
        text=row.text,
        occurs_on=row.occurs_on,
        yearly=row.yearly,
        year_known=row.year_known,
        person=row.name,
    )


def dates_of(session: Session, person_id: int) -> list[ImportantDate]:
    """A person's important dates, in the order they were added (one statement built once:
    a person's page reads it on every load)."""
    return [date_record(row) for row in run(session, _DATES_OF, person=person_id)]


def birthday_of(row: Any) -> Birthday | None:
    """A person's stored birthday from a row with the three birthday columns."""
    if row.birthday_month is None or row.birthday_day is None:
        return None
    return Birthday(row.birthday_month, row.birthday_day, row.birthday_year)


class OccasionService(WithPeople):
    """Important dates and the week's birthdays and dates; every rule is in the core."""

    def add(self, person: PersonRef, text: str, on: str, yearly: bool = True) -> ImportantDate:
        """Keep a date for ``person``: ``on`` is ``YYYY-MM-DD``, or ``MM-DD`` for a yearly
        date whose year is not known."""
        words = date_text(text)
        occurs_on, year_known = stored_day(parse_day(on, "on"), yearly)
        with self._db.write() as session:
            person_id = self._people.person_id(session, person)
            row = ImportantDateRow(
                person_id=person_id,
                text=words,
                occurs_on=occurs_on,
                yearly=yearly,
                year_known=year_known,
                created_at=self._now(),
            )
            session.add(row)
            session.flush()
            return self._one(session, row.id)

    def list(self, person: PersonRef | None = None) -> list[ImportantDate]:
        """Everyone's dates (or one person's), the next to come first; one-offs that have
        passed last, the latest first."""
        today = self._today()
        with self._db.read() as session:
            if person is None:
                found = [date_record(row) for row in session.execute(_DATES)]
            else:
                found = dates_of(session, self._people.person_id(session, person))

        def order(kept: ImportantDate) -> tuple[int, int, str, str]:
            upcoming_on = kept.next_on(today)
            if upcoming_on is None:
                return (1, -kept.occurs_on.toordinal(), kept.person.casefold(), kept.text)
            return (0, upcoming_on.toordinal(), kept.person.casefold(), kept.text)

        return sorted(found, key=order)

    def remove(self, date_id: int) -> ImportantDate:
        """Forget one important date, by its id."""
        with self._db.write() as session:
            kept = self._one(session, date_id)
            row = session.get_one(ImportantDateRow, date_id)
            session.delete(row)
            return kept

    def upcoming(self, days: int = UPCOMING_DAYS) -> builtins.list[Upcoming]:
        """Birthdays and important dates from today to ``days`` days ahead, soonest first;
        kept until the next write (the dashboard asks on every load)."""
        check_days(days)
        today = self._today()

        def compute() -> list[Upcoming]:
            with self._db.read() as session:
                birthdays = [
                    (row.id, row.name, found)
                    for row in session.execute(_BIRTHDAYS)
                    if (found := birthday_of(row)) is not None
                ]
                dates = [date_record(row) for row in session.execute(_DATES)]
            return upcoming(birthdays, dates, today, days)

        return self._db.cached(("occasions.upcoming", today, days), compute)

    @staticmethod
    def _one(session: Session, date_id: int) -> ImportantDate:
        row = session.execute(_DATES.where(ImportantDateRow.id == date_id)).first()
        if row is None:
            raise NotFound(f"no important date with id {date_id}", field="id", value=date_id)
        return date_record(row)
