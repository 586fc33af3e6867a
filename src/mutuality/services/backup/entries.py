"""The backup's entries written once: a person, a relationship and an exchange as the JSON
backup holds them, for the whole-ledger backup and for one person's export alike.

Each takes a row with the columns it names (an ORM row or a plain one) and what the caller
decides to leave out (another person's details in one person's export, private notes in an
export meant for sharing)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

Record = dict[str, Any]


def iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def birthday_text(row: Any) -> str | None:
    """A stored birthday as ``1980-04-15`` or ``--04-15`` (no year)."""
    if row.birthday_month is None or row.birthday_day is None:
        return None
    year = "-" if row.birthday_year is None else f"{row.birthday_year:04d}"
    return f"{year}-{row.birthday_month:02d}-{row.birthday_day:02d}"


def birthday_columns(text: str | None) -> dict[str, int | None]:
    """:func:`birthday_text` read back into the person's three columns."""
    if text is None:
        return {"birthday_year": None, "birthday_month": None, "birthday_day": None}
    year, month, day = text.rsplit("-", 2)
    return {
        "birthday_year": None if year in {"-", ""} else int(year),
        "birthday_month": int(month),
        "birthday_day": int(day),
    }


def person_entry(
    row: Any,
    emails: list[str],
    phones: list[str],
    tags: list[str],
    *,
    details: bool = True,
    private: bool = True,
) -> Record:
    """A person; without ``details`` only who they are (the others in one person's export)."""
    return {
        "id": row.id,
        "name": row.name,
        "organisation": row.organisation if details else None,
        "title": row.title if details else None,
        "private_note": row.private_note if details and private else None,
        "is_owner": row.is_owner,
        "created_at": iso(row.created_at),
        "emails": emails if details else [],
        "phones": phones if details else [],
        "tags": tags if details else [],
        "uid": row.uid if details else None,
        "birthday": birthday_text(row) if details else None,
    }


def relationship_entry(row: Any, *, private: bool = True) -> Record:
    return {
        "owner_id": row.owner_id,
        "person_id": row.person_id,
        "context": row.context,
        "started_on": iso(row.started_on),
        "cadence_days": row.cadence_days,
        "intent": row.intent,
        "intent_until": iso(row.intent_until),
        "intent_reason": row.intent_reason if private else None,
        "snoozed_until": iso(row.snoozed_until),
    }


def exchange_entry(row: Any, tags: list[str], *, private: bool = True) -> Record:
    return {
        "id": row.id,
        "giver_id": row.giver_id,
        "receiver_id": row.receiver_id,
        "kind": row.kind,
        "description": row.description,
        "on": iso(row.occurred_on),
        "benefit": float(row.benefit),
        "cost": float(row.cost),
        "estimated_by": row.estimated_by,
        "tags": tags,
        "outcome": row.outcome,
        "private_note": row.private_note if private else None,
        "created_at": iso(row.created_at),
        "initiated_by": row.initiated_by,
        "hours": row.hours,
    }
