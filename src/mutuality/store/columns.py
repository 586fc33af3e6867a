"""Reading the ledger as NumPy columns for the analytics, without building a Python object
per row: dates travel as ISO text and are parsed in one vectorised step."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any, TypeVar

import numpy as np
from sqlalchemy import ColumnElement, String, cast, literal, select
from sqlalchemy.orm import Session

from mutuality.core.analytics import (
    FIRST_SIDE,
    KIND_CODES,
    SECOND_SIDE,
    UNKNOWN,
    ExchangeColumns,
    TouchColumns,
)
from mutuality.store.tables import CheckInRow, ExchangeRow, TouchRow

Columns = TypeVar("Columns", ExchangeColumns, TouchColumns)

_KINDS = {kind.value: code for kind, code in KIND_CODES.items()}
_EXCHANGE_INITIATIVE = {"giver": FIRST_SIDE, "receiver": SECOND_SIDE, None: UNKNOWN}
_TOUCH_INITIATIVE = {"me": FIRST_SIDE, "them": SECOND_SIDE, None: UNKNOWN}


def _days(values: list[Any]) -> np.ndarray:
    as_dates = np.array(values, dtype="datetime64[D]")
    return as_dates.astype(np.int64).astype(np.int32)


def exchange_columns(
    session: Session, where: ColumnElement[bool] | None = None, until: date | None = None
) -> ExchangeColumns:
    """The exchanges matching ``where``, made on or before ``until`` when given (figures as
    they stood on that day: later exchanges had not happened yet).

    ``until`` is applied to the columns, not in SQL: a date bound beside an indexed pair
    or person can make SQLite walk a date index instead, and later rows are rare."""
    query = select(
        ExchangeRow.giver_id,
        ExchangeRow.receiver_id,
        cast(ExchangeRow.occurred_on, String),
        ExchangeRow.benefit,
        ExchangeRow.cost,
        ExchangeRow.kind,
        ExchangeRow.initiated_by,
    )
    if where is not None:
        query = query.where(where)
    rows = session.execute(query).all()
    if not rows:
        return ExchangeColumns.empty()
    giver, receiver, day, benefit, cost, kind, initiated = zip(*rows, strict=True)
    columns = ExchangeColumns(
        giver=np.array(giver, dtype=np.int64),
        receiver=np.array(receiver, dtype=np.int64),
        day=_days(list(day)),
        benefit=np.array(benefit, dtype=np.float64),
        cost=np.array(cost, dtype=np.float64),
        kind=np.array([_KINDS[k] for k in kind], dtype=np.int8),
        initiator=np.array([_EXCHANGE_INITIATIVE[i] for i in initiated], dtype=np.int8),
    )
    return columns if until is None else _on_or_before(columns, until)


def touch_columns(
    session: Session,
    owner_id: int | None = None,
    person_id: int | None = None,
    until: date | None = None,
) -> TouchColumns:
    """Touches and check-ins (a check-in is a contact too: it resets the check-in clock),
    for one owner and optionally one person, on or before ``until`` when given."""
    touches = select(
        TouchRow.owner_id,
        TouchRow.person_id,
        cast(TouchRow.occurred_on, String),
        TouchRow.initiated_by,
    )
    checkins = select(
        CheckInRow.owner_id,
        CheckInRow.person_id,
        cast(CheckInRow.occurred_on, String),
        literal(None, String),
    )
    if owner_id is not None:
        touches = touches.where(TouchRow.owner_id == owner_id)
        checkins = checkins.where(CheckInRow.owner_id == owner_id)
    if person_id is not None:
        touches = touches.where(TouchRow.person_id == person_id)
        checkins = checkins.where(CheckInRow.person_id == person_id)
    rows = session.execute(touches).all() + session.execute(checkins).all()
    if not rows:
        return TouchColumns.empty()
    owner, person, day, initiated = zip(*rows, strict=True)
    columns = TouchColumns(
        owner=np.array(owner, dtype=np.int64),
        person=np.array(person, dtype=np.int64),
        day=_days(list(day)),
        initiator=np.array([_TOUCH_INITIATIVE[i] for i in initiated], dtype=np.int8),
    )
    return columns if until is None else _on_or_before(columns, until)


def _on_or_before(columns: Columns, until: date) -> Columns:
    """The rows dated on or before ``until`` (all of them, unchanged, in the usual case)."""
    keep = columns.day <= _days([until.isoformat()])[0]
    if keep.all():
        return columns
    return type(columns)(*(getattr(columns, f.name)[keep] for f in dataclasses.fields(columns)))
