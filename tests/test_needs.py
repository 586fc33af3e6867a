"""Needs, offers, challenges and busy periods (services/needs.py, core/needs.py)."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import TODAY, open_app, table_counts

from mutuality.core.errors import Conflict, InvalidInput, NotFound
from mutuality.core.needs import MAX_WISH_TEXT, Source, StateKind, WishKind


def test_needs_and_offers_for_people_and_for_me(populated) -> None:
    need = populated.needs.add(
        "need", "ana", "  Looking for a   UX designer ", tags=("Design", "ux"), source="them"
    )
    assert need.kind is WishKind.NEED and need.text == "Looking for a UX designer"
    assert need.tags == ("design", "ux") and need.source is Source.THEM
    assert need.status == "open" and need.created_on == TODAY
    mine = populated.needs.add("need", "me", "A Python tutor")
    owner = populated.people.owner()
    assert mine.person_id == owner.id and mine.source is Source.ME
    offer = populated.needs.add(
        "offer", "Bo Chen", "Intros to seed investors", expires="in 30 days"
    )
    assert offer.expires_on == date(2026, 12, 23)
    assert [w.id for w in populated.needs.list("need")] == [mine.id, need.id]
    assert [w.id for w in populated.needs.list("need", "ana")] == [need.id]
    assert [w.id for w in populated.needs.list("need", "me")] == [mine.id]
    assert [w.id for w in populated.needs.list("need", tag="DESIGN")] == [need.id]
    assert [w.id for w in populated.needs.list("offer")] == [offer.id]


def test_closing_and_expiry(tmp_path) -> None:
    path = tmp_path / "x.db"
    with open_app(path) as app:
        app.people.add("Ana Lima")
        soon = app.needs.add("offer", "ana", "Spare desk in our studio", expires="in 3 days")
        kept = app.needs.add("offer", "ana", "Design reviews")
        closed = app.needs.close("offer", kept.id)
        assert closed.status == "closed" and closed.closed_on == TODAY
        with pytest.raises(Conflict, match="already closed"):
            app.needs.close("offer", kept.id)
        with pytest.raises(NotFound, match="no offer with id 99"):
            app.needs.close("offer", 99)
    later = date(2026, 11, 27)
    with open_app(path, today=later) as app:
        assert app.needs.list("offer") == []  # expired and closed
        assert {w.id for w in app.needs.list("offer", include_closed=True)} == {soon.id, kept.id}
        assert app.needs.get("offer", soon.id).is_open(later) is False


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda a: a.needs.add("need", "ana", "   "), InvalidInput, "need text must not be empty"),
        (
            lambda a: a.needs.add("offer", "ana", "x" * (MAX_WISH_TEXT + 1)),
            InvalidInput,
            "offer text is 1,001 characters; the limit is 1,000",
        ),
        (lambda a: a.needs.add("need", "nobody", "Help"), NotFound, "no person matches"),
        (lambda a: a.needs.add("need", "ana", "Help", source="they"), InvalidInput, "source"),
        (
            lambda a: a.needs.add("offer", "ana", "Help", source="request"),
            InvalidInput,
            "use them, me",
        ),
        (
            lambda a: a.needs.add("need", "ana", "Help", expires="2020-01-01"),
            InvalidInput,
            "in the past",
        ),
        (lambda a: a.needs.add("need", "ana", "Help", tags=("a,b",)), InvalidInput, "tag"),
        (lambda a: a.needs.add("wish", "ana", "Help"), InvalidInput, "use need or offer"),
        (lambda a: a.needs.note_state("ana", "tired", "x"), InvalidInput, "challenge or busy"),
        (
            lambda a: a.needs.note_state("ana", "busy", "launch", since="in 5 days", until="today"),
            InvalidInput,
            "before since",
        ),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(populated, call, error, message) -> None:
    before = table_counts(populated)
    with pytest.raises(error, match=message):
        call(populated)
    assert table_counts(populated) == before


def test_challenges_and_busy_periods(populated) -> None:
    busy = populated.needs.note_state("bo", "busy", "Product launch", until="in 10 days")
    challenge = populated.needs.note_state("me", StateKind.CHALLENGE, "Hiring a first engineer")
    ahead = populated.needs.note_state("ana", "busy", "Moving house", since="in 20 days")
    assert busy.kind is StateKind.BUSY and busy.ends_on == date(2026, 12, 3)
    assert busy.is_current(TODAY) and not ahead.is_current(TODAY)
    assert {s.id for s in populated.needs.states()} == {busy.id, challenge.id}
    assert [s.id for s in populated.needs.states("bo")] == [busy.id]
    cleared = populated.needs.clear_state(busy.id)
    assert not cleared.is_current(TODAY)
    assert [s.id for s in populated.needs.states()] == [challenge.id]
    assert {s.id for s in populated.needs.states(include_past=True)} == {
        busy.id,
        challenge.id,
        ahead.id,
    }
    with pytest.raises(Conflict, match="already ended"):
        populated.needs.clear_state(busy.id)
    with pytest.raises(NotFound):
        populated.needs.clear_state(999)


def test_a_declined_request_is_an_open_need_that_can_be_listed(populated) -> None:
    request = populated.requests.ask("ana", "Lend me your van", benefit=2, cost=7)
    populated.requests.decide(request.id, "no")
    [need] = populated.needs.list("need", "ana")
    assert need.source is Source.REQUEST and need.request_id == request.id


def test_needs_offers_and_states_survive_export_and_restore(populated, tmp_path) -> None:
    populated.needs.add("need", "ana", "A UX designer", tags=("design",), source="them")
    populated.needs.add("offer", "me", "Reviews of pitch decks", expires="in 9 days")
    populated.needs.note_state("bo", "busy", "Launch week", until="in 7 days")
    target = tmp_path / "backup.json"
    populated.backups.export_json(target)
    with open_app(tmp_path / "restored.db") as restored:
        restored.backups.restore_json(target)
        assert restored.backups.snapshot() == populated.backups.snapshot()
        assert [w.text for w in restored.needs.list("need")] == ["A UX designer"]
        assert [s.text for s in restored.needs.states()] == ["Launch week"]
