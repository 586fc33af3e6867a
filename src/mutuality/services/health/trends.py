"""Figures over time for the charts: what flowed each month, and a relationship's balance.

The monthly flows are summed in the database (one grouped query over the owner's
exchanges since the first month shown), so a chart's cost follows what it shows, not the
size of the ledger; they are kept until the next write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import String, case, cast, func, or_, select
from sqlalchemy.orm import Session

from mutuality.core.analytics import ExchangeColumns, without_introductions_by
from mutuality.core.model import Person
from mutuality.core.trends import (
    MonthFlow,
    history_of_columns,
    month_ends,
    month_to_date,
    months_back,
)
from mutuality.core.value import RelationshipBalance
from mutuality.services.context import WithPeople
from mutuality.services.people import PersonRef
from mutuality.store.columns import pair_exchange_columns
from mutuality.store.tables import ExchangeRow


@dataclass(frozen=True, slots=True)
class BalanceHistory:
    """One relationship's balance and each side's net benefit at the end of each month."""

    person: Person
    points: list[RelationshipBalance]


class TrendService(WithPeople):
    def flows_by_month(self, months: int = 12) -> list[MonthFlow]:
        """Benefit I gave and received in each of the last ``months`` months, oldest first
        (months with nothing logged included, as zeros)."""
        today = self._today()
        return self._db.cached(
            ("trends.flows", months, today), lambda: self._flows_by_month(today, months)
        )

    def _flows_by_month(self, today: date, months: int) -> list[MonthFlow]:
        starts = months_back(today, months)
        with self._db.read() as session:
            owner = self._people.owner_id(session)
            month = func.substr(cast(ExchangeRow.occurred_on, String), 1, 7)
            mine = ExchangeRow.giver_id == owner
            rows = session.execute(
                select(
                    month,
                    func.sum(case((mine, ExchangeRow.benefit), else_=0.0)),
                    func.sum(case((mine, 0.0), else_=ExchangeRow.benefit)),
                    func.sum(case((mine, 1), else_=0)),
                    func.sum(case((mine, 0), else_=1)),
                )
                .where(
                    or_(mine, ExchangeRow.receiver_id == owner),
                    ExchangeRow.occurred_on >= starts[0],
                )
                .group_by(month)
            ).all()
        found = {key: row for key, *row in rows}
        result = []
        for start in starts:
            given, received, times_given, times_received = found.get(
                start.isoformat()[:7], (0.0, 0.0, 0, 0)
            )
            result.append(
                MonthFlow(
                    start,
                    round(float(given), 3),
                    round(float(received), 3),
                    int(times_given),
                    int(times_received),
                    month_to_date(start, today),
                )
            )
        return result

    def balance_history(self, person: PersonRef, months: int = 12) -> BalanceHistory:
        """The relationship's balance as it stood at the end of each of the last ``months``
        months (this month: today), through the same arithmetic as ``balance``."""
        with self._db.read() as session:
            return self.history_in(session, self._people.record(session, person), months)

    def history_in(
        self,
        session: Session,
        person: Person,
        months: int = 12,
        exchanges: ExchangeColumns | None = None,
    ) -> BalanceHistory:
        """:meth:`balance_history` inside the caller's read (a person's page), from the
        relationship's ``exchanges`` when the caller read them already."""
        owner = self._people.owner_id(session)
        if exchanges is None:
            exchanges = pair_exchange_columns(session, owner, person.id)
        points = month_ends(self._today(), months)
        return BalanceHistory(
            person,
            history_of_columns(
                owner,
                person.id,
                without_introductions_by(exchanges, owner),
                points,
                self._settings.value,
            ),
        )
