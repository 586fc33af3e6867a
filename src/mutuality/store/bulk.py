"""Writing many exchanges fast: plain driver ``executemany`` with values already in the
database's storage format, and on SQLite the exchange indexes rebuilt once at the end of a
large load. Everything runs inside the caller's transaction, so a load stays all or nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from itertools import groupby
from typing import Any

from sqlalchemy import Connection, Index, insert

from mutuality.core.model import NewExchange
from mutuality.store.tables import ExchangeRow, ExchangeTagRow, table_of

_TABLE = table_of(ExchangeRow)
EXCHANGE_COLUMNS = (
    "giver_id",
    "receiver_id",
    "kind",
    "description",
    "occurred_on",
    "benefit",
    "cost",
    "estimated_by",
    "outcome",
    "private_note",
    "created_at",
    "initiated_by",
    "hours",
)


def exchange_values(
    exchange: NewExchange, created_at: Any, day: Callable[[date], Any] | None = None
) -> tuple[Any, ...]:
    """A checked exchange as its row in ``exchanges``, the columns in the order of
    :data:`EXCHANGE_COLUMNS`; ``day`` turns the date into what the driver stores."""
    e = exchange
    return (
        e.giver_id,
        e.receiver_id,
        e.kind.value,
        e.description,
        e.on if day is None else day(e.on),
        e.benefit,
        e.cost,
        e.estimated_by.value,
        e.outcome,
        e.private_note,
        created_at,
        e.initiated_by.value if e.initiated_by else None,
        e.hours,
    )


def exchange_row(exchange: NewExchange, created_at: datetime) -> dict[str, Any]:
    """:func:`exchange_values` by column name: the one place an exchange's row is made,
    whether logged one at a time or loaded in bulk."""
    return dict(zip(EXCHANGE_COLUMNS, exchange_values(exchange, created_at), strict=True))


class ExchangeWriter:
    """Inserts checked :class:`NewExchange` values into ``exchanges`` on one connection."""

    def __init__(self, connection: Connection, created_at: datetime) -> None:
        self._connection = connection
        dialect = connection.dialect
        self._is_sqlite = dialect.name == "sqlite"
        # The values go to the driver as SQLAlchemy itself would store them.
        date_type = _TABLE.c.occurred_on.type.dialect_impl(dialect)
        created_type = _TABLE.c.created_at.type.dialect_impl(dialect)
        self._date = date_type.bind_processor(dialect) or _unchanged
        self._created = (created_type.bind_processor(dialect) or _unchanged)(created_at)
        self._created_at = created_at
        marks = _placeholders(dialect.paramstyle, len(EXCHANGE_COLUMNS))
        self._sql = f"INSERT INTO {_TABLE.name} ({', '.join(EXCHANGE_COLUMNS)}) VALUES ({marks})"
        self._deferred: list[Index] = []

    def defer_indexes(self) -> None:
        """On SQLite, drop the exchange indexes now and rebuild them in :meth:`finish`:
        one sort at the end costs far less than updating two B-trees per row."""
        if not self._is_sqlite or self._deferred:
            return
        self._deferred = [index for index in _TABLE.indexes if not index.unique]
        for index in self._deferred:
            index.drop(self._connection)

    def write(self, batch: Sequence[NewExchange]) -> None:
        """Insert in input order (ids follow it): untagged runs in one ``executemany``,
        tagged runs with their new ids returned for the tag rows."""
        for tagged, run in groupby(batch, key=lambda exchange: bool(exchange.tags)):
            if tagged:
                self._write_tagged(list(run))
            else:
                self._write_plain(list(run))

    def _write_plain(self, batch: Sequence[NewExchange]) -> None:
        day, created = self._date, self._created
        rows = [exchange_values(e, created, day) for e in batch]
        self._connection.exec_driver_sql(self._sql, rows)

    def _write_tagged(self, batch: Sequence[NewExchange]) -> None:
        rows = [exchange_row(e, self._created_at) for e in batch]
        new_ids = self._connection.execute(
            insert(ExchangeRow).returning(ExchangeRow.id, sort_by_parameter_order=True), rows
        ).scalars()
        tag_rows = [
            {"exchange_id": new_id, "tag": tag}
            for new_id, exchange in zip(new_ids, batch, strict=True)
            for tag in exchange.tags
        ]
        self._connection.execute(insert(ExchangeTagRow), tag_rows)

    def finish(self) -> None:
        for index in self._deferred:
            index.create(self._connection)
        self._deferred = []


def _unchanged(value: Any) -> Any:
    return value


def _placeholders(paramstyle: str, count: int) -> str:
    if paramstyle == "qmark":
        return ", ".join("?" * count)
    if paramstyle in {"format", "pyformat"}:
        return ", ".join(["%s"] * count)
    if paramstyle == "numeric":
        return ", ".join(f":{i + 1}" for i in range(count))
    raise ValueError(f"unsupported DB-API paramstyle {paramstyle!r}")
