"""People's names by id, for listings and reports.

Read in chunks: an organisation's ledger asks for the names of hundreds of thousands of
people at once (everyone with an open need or offer), more ids than one statement may
bind (65,535 parameters on PostgreSQL, 32,766 on SQLite).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from mutuality.store.tables import PersonRow

CHUNK = 10_000
"""Ids bound per statement: well under both databases' limits."""


def person_names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    """The name of each of ``ids`` that names a person (the owner included)."""
    wanted = sorted(set(ids))
    found: dict[int, str] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        rows = session.execute(select(PersonRow.id, PersonRow.name).where(PersonRow.id.in_(chunk)))
        found.update((person, name) for person, name in rows)
    return found
