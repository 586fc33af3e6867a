"""People's names by id, read in chunks so that any number of ids fits the database."""

from __future__ import annotations

import pytest

from mutuality.services import person_names as lookup
from mutuality.services.app import Mutuality


def test_every_name_is_found_across_chunks(app: Mutuality, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = app.people.bulk_add(f"Member {n}" for n in range(7))
    monkeypatch.setattr(lookup, "CHUNK", 3)
    with app.database.read() as session:
        names = lookup.person_names(session, [*ids, *ids, 999_999])
    assert names == {person: f"Member {n}" for n, person in enumerate(ids)}


def test_matching_names_everyone_with_an_open_need_or_offer(
    app: Mutuality, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = app.people.bulk_add(f"Member {n}" for n in range(5))
    for n in range(len(ids)):
        app.needs.add("need" if n % 2 else "offer", f"member {n}", f"Help with topic {n}")
    monkeypatch.setattr(lookup, "CHUNK", 2)
    loaded = app.matching.inputs().loaded
    assert {loaded.names[w.person_id] for w in loaded.needs + loaded.offers} == {
        f"Member {n}" for n in range(5)
    }
