"""Tables that travel in the backup as stored: one JSON record per row, keyed by column
name, checked by a model generated from the table and by the domain's own rules.

Adding a table to the backup is one entry in :data:`TABLE_SECTIONS` (in an order where
every table comes after those it references). People, relationships and exchanges have
hand-written sections in :mod:`mutuality.services.backup.service`; web accounts and sessions are
never backed up (after a restore, sign in again with a new one-time link). The record of
contact imports travels too, so that the last import can still be undone after a restore.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from pydantic import (
    Base64Bytes,
    BaseModel,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    create_model,
)
from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    insert,
    select,
)
from sqlalchemy.orm import Session

from mutuality.core import fields
from mutuality.core.contacts import ImportLimits
from mutuality.core.errors import BadFile, MutualityError
from mutuality.core.scale import check_points, parse_kind, split_kinds
from mutuality.formats import values
from mutuality.services.backup.schema import StrictRecord
from mutuality.store.tables import (
    AddressRow,
    CapacityRow,
    CheckInRow,
    CommitmentRow,
    ImportantDateRow,
    ImportChangeRow,
    ImportedEventRow,
    ImportRow,
    IntroductionRow,
    IntroductionStepRow,
    NeedRow,
    OfferRow,
    PersonStateRow,
    PhotoRow,
    RequestRow,
    ShareRow,
    TouchRow,
    UrlRow,
    table_of,
)

Record = dict[str, Any]


def _one_of(*allowed: str | None) -> Callable[[Any], None]:
    def check(value: Any) -> None:
        if value not in allowed:
            shown = ", ".join(repr(a) for a in allowed)
            raise ValueError(f"{value!r} is not one of {shown}")

    return check


def _in_range(low: int, high: int) -> Callable[[Any], None]:
    def check(value: Any) -> None:
        if value is not None and not low <= value <= high:
            raise ValueError(f"{value!r} is not from {low} to {high}")

    return check


def _points(value: Any) -> None:
    if value is not None and check_points(value, "value") != value:
        raise ValueError(f"{value!r} has more than one decimal place")


def _tags(value: Any) -> None:
    kept = [tag for tag in value.split(",") if tag] if value else []
    if list(fields.tags(kept)) != kept:
        raise ValueError(f"tags {value!r} are not in stored form")


def _kind(value: Any) -> None:
    if value is not None and parse_kind(value).value != value:
        raise ValueError(f"{value!r} is not a kind")


def _kinds(value: Any) -> None:
    for kind in split_kinds(value):
        _kind(kind)


def _json_object(value: Any) -> None:
    if value is None:
        return
    try:
        parsed = json.loads(value)
    except ValueError:
        raise ValueError("is not JSON") from None
    if not isinstance(parsed, dict):
        raise ValueError("is not a JSON object")


def _photo(row: Record) -> None:
    """A restored photo is one the importer would keep: JPEG, PNG, GIF or WebP by its bytes
    (never SVG, which can hold a script), within the size and pixel limits, and of the
    media type it claims."""
    try:
        kept = values.photo(row["data"], ImportLimits())
    except values.Rejected as rejected:
        raise ValueError(str(rejected).removesuffix("; left out")) from None
    if kept.media_type != row["media_type"]:
        raise ValueError(
            f"media_type {row['media_type']!r} is not what the bytes hold ({kept.media_type})"
        )


@dataclass(frozen=True, slots=True)
class TableSection:
    name: str
    table: Table
    rules: tuple[tuple[str, Callable[[Any], None]], ...] = ()
    """(column, check) pairs: the domain's rules beyond the column's type."""
    row_rule: Callable[[Record], None] | None = None
    """A rule across a row's columns, checked after the column rules."""


def _one_shared_thing(row: Record) -> None:
    named = [key for key in ("exchange_id", "introduction_id", "person_id") if row[key] is not None]
    if len(named) != 1:
        raise ValueError("a share names exactly one exchange, introduction or person")


_STATUS_OPEN_CLOSED = _one_of("open", "closed")
_SOURCES = _one_of("them", "me", "request", "checkin")
_DECISIONS = _one_of("yes", "no", "negotiate", "later")

TABLE_SECTIONS: tuple[TableSection, ...] = (
    TableSection(
        "touches",
        table_of(TouchRow),
        (
            ("channel", _one_of("call", "message", "email", "meeting", "video", "other")),
            ("initiated_by", _one_of("me", "them", None)),
        ),
    ),
    TableSection(
        "capacities",
        table_of(CapacityRow),
        (
            ("unit", _one_of("points", "hours")),
            ("period", _one_of("week", "month")),
            ("boundaries", _kinds),
        ),
    ),
    TableSection(
        "checkins",
        table_of(CheckInRow),
        (
            ("kind", _one_of("checkin", "repair")),
            ("source", _one_of("me", "link")),
            ("my_satisfaction", _in_range(1, 5)),
            ("their_satisfaction", _in_range(1, 5)),
            ("my_equity", _in_range(-2, 2)),
            ("their_equity", _in_range(-2, 2)),
            ("wish_state", _one_of(None, "commitment", "need", "set-aside")),
        ),
    ),
    TableSection(
        "requests",
        table_of(RequestRow),
        (
            ("direction", _one_of("to_me", "from_me")),
            ("kind", _kind),
            ("benefit", _points),
            ("cost", _points),
            ("proposal", _DECISIONS),
            ("decision", _one_of("yes", "no", "negotiate", "later", None)),
            ("status", _one_of("open", "decided", "withdrawn")),
        ),
    ),
    TableSection(
        "needs",
        table_of(NeedRow),
        (
            ("tags", _tags),
            ("source", _SOURCES),
            ("status", _STATUS_OPEN_CLOSED),
        ),
    ),
    TableSection(
        "offers",
        table_of(OfferRow),
        (
            ("tags", _tags),
            ("source", _SOURCES),
            ("status", _STATUS_OPEN_CLOSED),
        ),
    ),
    TableSection(
        "commitments",
        table_of(CommitmentRow),
        (
            ("direction", _one_of("mine", "theirs")),
            ("kind", _kind),
            ("benefit", _points),
            ("cost", _points),
            ("status", _one_of("open", "kept", "broken")),
        ),
    ),
    TableSection("addresses", table_of(AddressRow)),
    TableSection("important_dates", table_of(ImportantDateRow)),
    TableSection("urls", table_of(UrlRow)),
    TableSection("photos", table_of(PhotoRow), row_rule=_photo),
    TableSection("imported_events", table_of(ImportedEventRow)),
    TableSection(
        "person_states",
        table_of(PersonStateRow),
        (("kind", _one_of("challenge", "busy")),),
    ),
    TableSection(
        "introductions",
        table_of(IntroductionRow),
        (
            ("status", _one_of("proposed", "asking", "agreed", "made", "declined", "withdrawn")),
            ("a_consent", _one_of(None, "asked", "yes", "no")),
            ("b_consent", _one_of(None, "asked", "yes", "no")),
        ),
    ),
    TableSection(
        "introduction_steps",
        table_of(IntroductionStepRow),
        (
            (
                "step",
                _one_of(
                    "proposed",
                    "asked",
                    "consented",
                    "declined",
                    "made",
                    "outcome",
                    "edited",
                    "withdrawn",
                ),
            ),
        ),
    ),
    TableSection("shares", table_of(ShareRow), row_rule=_one_shared_thing),
    TableSection("imports", table_of(ImportRow), (("format", _one_of("vcard", "csv")),)),
    TableSection(
        "import_changes",
        table_of(ImportChangeRow),
        (("action", _one_of("added", "merged")), ("details", _json_object)),
    ),
)
"""Stored embeddings (``text_embeddings``) are derived from the texts and are not backed up:
``mutuality match embed`` recomputes them after a restore."""


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def dump(session: Session, section: TableSection) -> list[Record]:
    """Every row, in primary-key order, as JSON-ready values."""
    table = section.table
    rows = session.execute(select(table).order_by(*table.primary_key.columns))
    return [{key: _encode(value) for key, value in row._mapping.items()} for row in rows]


_TYPES: tuple[tuple[type, Any], ...] = (
    (Boolean, StrictBool),
    (Integer, StrictInt),
    (Float, float),
    (DateTime, datetime),
    (Date, date),
    (LargeBinary, Base64Bytes),
    (Text, StrictStr),
    (String, StrictStr),
)


@cache
def model_for(section: TableSection) -> type[BaseModel]:
    """A strict pydantic model of one row, generated from the table's columns."""
    definitions: dict[str, Any] = {}
    for column in section.table.columns:
        kind = next(model for sql, model in _TYPES if isinstance(column.type, sql))
        extra: dict[str, Any] = {}
        if kind is float:
            extra["allow_inf_nan"] = False
        length = getattr(column.type, "length", None)
        if length:
            extra["max_length"] = length
        annotation = kind | None if column.nullable else kind
        default = None if column.nullable else ...
        definitions[column.name] = (annotation, Field(default, **extra))
    return create_model(f"{section.name}_row", __base__=StrictRecord, **definitions)


def load(section: TableSection, records: Any, location: str) -> list[Record]:
    """Validate one section's records; values come back as Python values (dates, bytes)."""
    path = f"data.{section.name}"
    if not isinstance(records, list):
        raise BadFile(f"{path}: must be a list", field=section.name, location=location)
    model = model_for(section)
    rows = []
    for index, record in enumerate(records):
        try:
            row = dict(model.model_validate(record))  # as validated: bytes decoded
        except ValidationError as error:
            first = error.errors()[0]
            where = f"{path}[{index}]" + "".join(
                f"[{p}]" if isinstance(p, int) else f".{p}" for p in first["loc"]
            )
            raise BadFile(f"{where}: {first['msg']}", field=where, location=location) from None
        for column, rule in section.rules:
            try:
                rule(row[column])
            except (ValueError, MutualityError) as problem:
                message = problem.message if isinstance(problem, MutualityError) else str(problem)
                raise BadFile(
                    f"{path}[{index}].{column}: {message}",
                    field=column,
                    value=row[column],
                    location=location,
                ) from None
        if section.row_rule is not None:
            try:
                section.row_rule(row)
            except ValueError as problem:
                where = f"{path}[{index}]"
                raise BadFile(f"{where}: {problem}", field=where, location=location) from None
        rows.append(row)
    return rows


def check_references(
    section: TableSection, rows: list[Record], ids: dict[str, set[Any]], location: str
) -> None:
    """Unique primary keys, and every foreign key pointing at a row in the backup."""
    key_columns = [column.name for column in section.table.primary_key.columns]
    seen: set[tuple[Any, ...]] = set()
    for index, row in enumerate(rows):
        key = tuple(row[name] for name in key_columns)
        if key in seen:
            raise BadFile(
                f"data.{section.name}[{index}]: duplicate key {key}",
                field=",".join(key_columns),
                location=location,
            )
        seen.add(key)
        for foreign in section.table.foreign_keys:
            value = row[foreign.parent.name]
            target = foreign.column.table.name
            if value is not None and value not in ids.get(target, set()):
                raise BadFile(
                    f"data.{section.name}[{index}].{foreign.parent.name}: no {target} row "
                    f"with id {value}",
                    field=foreign.parent.name,
                    value=value,
                    location=location,
                )
    if len(key_columns) == 1:
        ids[section.table.name] = {key[0] for key in seen}


def restore(connection: Any, section: TableSection, rows: list[Record]) -> None:
    for start in range(0, len(rows), 20_000):
        chunk = rows[start : start + 20_000]
        if chunk:
            connection.execute(insert(section.table), chunk)
