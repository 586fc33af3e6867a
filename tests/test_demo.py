"""The demo network: it loads once, the same way every day, and shows every pattern."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from mutuality.core.errors import StorageError
from mutuality.core.model import RelationshipContext
from mutuality.core.value import Flow, Leaning, ValueSettings, balances_for
from mutuality.services.app import Mutuality
from mutuality.services.demo import DemoReport, build_demo, load_demo
from mutuality.services.demo_data import DEMO_TAG, INTANGIBLE_KINDS, Pattern
from mutuality.services.ledger import Direction
from mutuality.services.settings import Settings

TODAY = date(2026, 11, 23)
EXAMPLE_DOMAINS = ("@example.org", "@example.com", "@example.net")


def open_app(path: Path, today: date = TODAY, owner: str = "Me") -> Mutuality:
    return Mutuality.open(str(path), Settings(owner_name=owner), today=lambda: today)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Mutuality]:
    with open_app(tmp_path / "demo.db") as opened:
        yield opened


@pytest.fixture
def loaded(app: Mutuality) -> tuple[Mutuality, DemoReport]:
    return app, load_demo(app)


def without_timestamps(snapshot: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    return {
        section: [{k: v for k, v in record.items() if k != "created_at"} for record in records]
        for section, records in snapshot.items()
    }


def test_loads_dozens_of_people_and_hundreds_of_exchanges(loaded):
    app, report = loaded
    assert report.loaded and report.reason is None
    assert 30 <= report.people <= 60
    assert 200 <= report.exchanges <= 600
    assert len(app.people.list()) == report.people
    snapshot = app.backups.snapshot()
    assert len(snapshot["exchanges"]) == report.exchanges
    assert len(snapshot["people"]) == report.people + 1  # and the owner


def test_people_are_rich_and_plausible(loaded):
    app, _ = loaded
    people = app.people.list()
    assert any(not person.name.isascii() for person in people)
    assert any(any("\u0400" <= ch <= "\u9fff" for ch in person.name) for person in people)
    emails = [email for person in people for email in person.emails]
    assert len(emails) >= 30
    assert all(email.endswith(EXAMPLE_DOMAINS) for email in emails)
    assert sum(1 for person in people if person.phones) >= 3
    assert sum(1 for person in people if person.private_note) >= 2
    assert all(DEMO_TAG in person.tags for person in people)
    assert {"founder", "design", "investor", "neighbour"} <= {
        tag for person in people for tag in person.tags
    }
    assert sum(1 for person in people if person.organisation) >= 30
    contexts = {app.people.get(person.name).relationship.context for person in people}
    assert {
        RelationshipContext.MENTOR,
        RelationshipContext.MENTEE,
        RelationshipContext.CLIENT,
        RelationshipContext.FRIEND,
        RelationshipContext.COLLEAGUE,
        RelationshipContext.FAMILY,
    } <= contexts


def test_exchanges_are_varied_and_explained(loaded):
    app, _ = loaded
    exchanges = app.backups.snapshot()["exchanges"]
    descriptions = [e["description"] for e in exchanges]
    assert len(set(descriptions)) >= len(descriptions) / 2
    assert max(Counter(descriptions).values()) <= 6
    assert sum(1 for e in exchanges if e["outcome"]) >= 20
    assert sum(1 for e in exchanges if e["tags"]) >= 20
    assert {e["estimated_by"] for e in exchanges} == {"me", "them", "both", "default"}
    assert len({e["kind"] for e in exchanges}) >= 8
    assert "Reviewed his seed deck slide by slide" in descriptions


def test_the_owner_keeps_the_configured_name(tmp_path):
    with open_app(tmp_path / "demo.db", owner="Ana Lima") as app:
        load_demo(app)
        owners = [p for p in app.backups.snapshot()["people"] if p["is_owner"]]
    assert [owner["name"] for owner in owners] == ["Ana Lima"]


def test_no_exchange_is_dated_after_today_or_before_a_year_ago(loaded):
    app, _ = loaded
    dates = [date.fromisoformat(e["on"]) for e in app.backups.snapshot()["exchanges"]]
    assert max(dates) <= TODAY
    assert min(dates) >= TODAY - timedelta(days=366)
    started = [date.fromisoformat(r["started_on"]) for r in app.backups.snapshot()["relationships"]]
    assert max(started) <= TODAY


def test_the_overview_shows_every_pattern(loaded):
    app, _ = loaded
    overview = app.balances.overview()
    leanings = {item.balance.leaning for item in overview}
    assert {Leaning.BALANCED, Leaning.OVER_GIVING, Leaning.OVER_RECEIVING, Leaning.NONE} <= leanings
    six_months_ago = TODAY - timedelta(days=183)
    fading = [
        item
        for item in overview
        if item.balance.last_on is not None
        and item.balance.last_on < six_months_ago
        and item.balance.times_given + item.balance.times_received >= 3
    ]
    assert fading
    new = []
    for item in overview:
        entries = app.ledger.timeline(item.person.name).entries
        if entries and min(entry.exchange.on for entry in entries) >= TODAY - timedelta(days=60):
            new.append(item.person.name)
    assert new
    intangible = []
    for item in overview:
        kinds = {entry.exchange.kind for entry in app.ledger.timeline(item.person.name).entries}
        if len(kinds) >= 2 and kinds <= INTANGIBLE_KINDS:
            intangible.append(item.person.name)
    assert intangible


@pytest.mark.parametrize("today", [TODAY, date(2028, 2, 29), date(2025, 1, 1)])
def test_every_demo_person_shows_their_intended_pattern(today):
    plan = build_demo(today)
    owner = 0
    flows = [
        Flow(
            owner if e.direction is Direction.GAVE else e.person + 1,
            e.person + 1 if e.direction is Direction.GAVE else owner,
            e.on,
            e.benefit,
            e.cost,
        )
        for e in plan.exchanges
    ]
    balances = balances_for(owner, flows, today, ValueSettings())
    for index, person in enumerate(plan.people):
        mine = [e for e in plan.exchanges if e.person == index]
        balance = balances.get(index + 1)
        ages = [(today - e.on).days for e in mine]
        if person.pattern is Pattern.QUIET:
            assert not mine, person.name
            continue
        assert balance is not None, person.name
        if person.pattern is Pattern.MUTUAL:
            assert balance.leaning is Leaning.BALANCED and balance.mutual, person.name
            assert min(ages) <= 90 and max(ages) >= 270, person.name
        elif person.pattern is Pattern.OVER_GIVING:
            assert balance.leaning is Leaning.OVER_GIVING, person.name
        elif person.pattern is Pattern.OVER_RECEIVING:
            assert balance.leaning is Leaning.OVER_RECEIVING, person.name
        elif person.pattern is Pattern.FADING:
            assert len(mine) >= 3 and min(ages) >= 270 and max(ages) <= 365, person.name
        elif person.pattern is Pattern.NEW:
            assert max(ages) <= 60, person.name
            assert (today - plan.started_on[index]).days <= 75, person.name
        elif person.pattern is Pattern.INTANGIBLE:
            assert {e.kind for e in mine} <= INTANGIBLE_KINDS, person.name
            assert {e.direction for e in mine} == {Direction.GAVE, Direction.GOT}, person.name


def test_a_second_run_is_skipped_and_changes_nothing(loaded):
    app, first = loaded
    before = app.backups.snapshot()
    second = load_demo(app)
    assert second == DemoReport(loaded=False, people=0, exchanges=0, reason=second.reason)
    assert second.reason and str(first.people) in second.reason
    assert app.backups.snapshot() == before


def test_a_ledger_with_someone_in_it_is_left_alone(app):
    app.people.add("Ana Lima", emails=("ana@example.org",))
    before = app.backups.snapshot()
    report = load_demo(app)
    assert not report.loaded
    assert report.people == 0 and report.exchanges == 0
    assert report.reason is not None and "1 person" in report.reason
    assert app.backups.snapshot() == before


def test_the_same_day_gives_the_same_demo(tmp_path):
    snapshots = []
    for name in ("one.db", "two.db"):
        with open_app(tmp_path / name) as app:
            load_demo(app)
            snapshots.append(without_timestamps(app.backups.snapshot()))
    assert snapshots[0] == snapshots[1]
    assert build_demo(TODAY) == build_demo(TODAY)


def test_another_day_moves_the_dates_with_it():
    later = TODAY + timedelta(days=10)
    now, then = build_demo(TODAY), build_demo(later)
    assert [e.on + timedelta(days=10) for e in now.exchanges] == [e.on for e in then.exchanges]
    assert [e.description for e in now.exchanges] == [e.description for e in then.exchanges]


def test_progress_counts_every_person_and_exchange(app):
    seen: list[int] = []
    report = load_demo(app, progress=seen.append)
    assert sum(seen) == report.people + report.exchanges == build_demo(TODAY).total


def test_a_failure_while_adding_exchanges_leaves_no_half_demo(app, monkeypatch):
    def broken(*_args: object, **_kwargs: object) -> int:
        raise StorageError("disk full, nothing was written")

    monkeypatch.setattr(app.ledger, "bulk_add", broken)
    with pytest.raises(StorageError, match="disk full"):
        load_demo(app)
    assert app.people.list() == []
    assert app.backups.snapshot()["exchanges"] == []


def test_a_failure_while_adding_people_leaves_no_half_demo(app, monkeypatch):
    real_add = app.people.add
    calls = {"count": 0}

    def flaky(*args: Any, **kwargs: Any) -> Any:
        calls["count"] += 1
        if calls["count"] == 12:
            raise KeyboardInterrupt
        return real_add(*args, **kwargs)

    monkeypatch.setattr(app.people, "add", flaky)
    with pytest.raises(KeyboardInterrupt):
        load_demo(app)
    assert app.people.list() == []
    monkeypatch.undo()
    assert load_demo(app).loaded


def test_most_exchanges_say_who_reached_out_and_some_ties_lean_on_me(loaded):
    app, _ = loaded
    exchanges = app.backups.snapshot()["exchanges"]
    known = [e for e in exchanges if e["initiated_by"] is not None]
    assert 0.6 <= len(known) / len(exchanges) <= 0.9
    assert {e["initiated_by"] for e in known} == {"giver", "receiver"}
    # Who reaches out leans with the pattern: I keep offering to those I over-give to, and
    # those who over-give to me come to me.
    plan = build_demo(TODAY)
    mine: dict[Pattern, list[bool]] = {}
    for planned in plan.exchanges:
        if planned.initiated_by is not None:
            i_gave = planned.direction is Direction.GAVE
            me = (planned.initiated_by.value == "giver") == i_gave
            mine.setdefault(plan.people[planned.person].pattern, []).append(me)
    share = {pattern: sum(flags) / len(flags) for pattern, flags in mine.items()}
    assert share[Pattern.OVER_GIVING] >= 0.8 and share[Pattern.OVER_RECEIVING] <= 0.35
    assert 0.35 <= share[Pattern.MUTUAL] <= 0.65
    # So health shows the asymmetry both ways, and the network counts where I always start.
    shares = [
        item.health.initiative_share
        for item in app.health.relationships()
        if item.health.initiative_share is not None
    ]
    assert min(shares) <= 0.25 and max(shares) == 1.0
    reaching = app.health.network().reaching_out
    assert 3 <= len(reaching.me_first) < reaching.judged
