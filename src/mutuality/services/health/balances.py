"""Balances: the value model applied to the ledger, per relationship and as an overview."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, or_, select

from mutuality.core.explain import explain_balance
from mutuality.core.model import ExchangeKind, Person
from mutuality.core.names import name_key
from mutuality.core.value import (
    Flow,
    RelationshipBalance,
    ValueSettings,
    balances_for,
    relationship_balance,
)
from mutuality.services.context import WithPeople
from mutuality.services.people import PersonRef
from mutuality.services.records import person_record
from mutuality.store.tables import ExchangeRow, PersonRow


@dataclass(frozen=True, slots=True)
class PersonBalance:
    person: Person
    balance: RelationshipBalance

    @property
    def explanation(self) -> list[str]:
        """The arithmetic behind the figures, in plain words."""
        return explain_balance(self.balance, self.person.name)


def _counts_in_balance(owner: int) -> ColumnElement[bool]:
    """An introduction I made is my contribution, never a debt of the one introduced: it
    moves no balance (as :func:`mutuality.core.analytics.without_introductions_by`)."""
    return ~(
        (ExchangeRow.kind == ExchangeKind.INTRODUCTION.value) & (ExchangeRow.giver_id == owner)
    )


class BalanceService(WithPeople):
    def _value_settings(self, half_life_days: float | None) -> ValueSettings:
        return self._settings.with_half_life(half_life_days).value

    def for_person(self, person: PersonRef, half_life_days: float | None = None) -> PersonBalance:
        settings = self._value_settings(half_life_days)
        with self._db.read() as session:
            owner_id = self._people.owner_id(session)
            other = self._people.resolve(session, person)
            columns = (
                ExchangeRow.giver_id,
                ExchangeRow.receiver_id,
                ExchangeRow.occurred_on,
                ExchangeRow.benefit,
                ExchangeRow.cost,
            )
            rows = session.execute(
                select(*columns).where(
                    or_(
                        (ExchangeRow.giver_id == owner_id) & (ExchangeRow.receiver_id == other.id),
                        (ExchangeRow.giver_id == other.id) & (ExchangeRow.receiver_id == owner_id),
                    ),
                    ExchangeRow.occurred_on <= self._today(),  # as of today: none later
                    _counts_in_balance(owner_id),
                )
            )
            balance = relationship_balance(
                owner_id, other.id, (Flow(*row) for row in rows), self._today(), settings
            )
            record = person_record(other)
        return PersonBalance(record, balance)

    def overview(self, half_life_days: float | None = None) -> list[PersonBalance]:
        """Every person with their balance, most one-sided first, then by name."""
        settings = self._value_settings(half_life_days)
        today = self._today()
        with self._db.read() as session:
            owner_id = self._people.owner_id(session)
            rows = session.execute(
                select(
                    ExchangeRow.giver_id,
                    ExchangeRow.receiver_id,
                    ExchangeRow.occurred_on,
                    ExchangeRow.benefit,
                    ExchangeRow.cost,
                ).where(
                    or_(ExchangeRow.giver_id == owner_id, ExchangeRow.receiver_id == owner_id),
                    ExchangeRow.occurred_on <= today,
                    _counts_in_balance(owner_id),
                )
            )
            balances = balances_for(owner_id, (Flow(*row) for row in rows), today, settings)
            people = session.scalars(select(PersonRow).where(PersonRow.is_owner.is_(False))).all()
            result = []
            for row in people:
                balance = balances.get(row.id) or RelationshipBalance(
                    owner_id, row.id, today, settings
                )
                record = person_record(row)
                result.append(PersonBalance(record, balance))
        result.sort(
            key=lambda item: (
                -abs(item.balance.balance or 0.0),
                item.balance.balance is None,
                name_key(item.person.name),
            )
        )
        return result
