"""The demo network: it loads once, the same way every day, and shows every pattern."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from mutuality.core.capacity import CapacityState
from mutuality.core.errors import StorageError
from mutuality.core.model import RelationshipContext
from mutuality.core.occasions import OccasionKind
from mutuality.core.portfolio import ShareKind
from mutuality.core.value import Flow, Leaning, ValueSettings, balances_for
from mutuality.services.app import Mutuality
from mutuality.services.commitments import CommitmentService
from mutuality.services.demo.data import DEMO_TAG, INTANGIBLE_KINDS, PEOPLE, Pattern
from mutuality.services.demo.service import DemoReport, build_demo, load_demo, story
from mutuality.services.introductions.service import IntroductionService
from mutuality.services.ledger import Direction, LedgerService
from mutuality.services.settings import Settings
from mutuality.services.sharing import ShareService

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
            snapshot = app.backups.snapshot()
        # Only the people and the year of exchanges are stamped by the clock of the load;
        # every step of the story (introductions, check-ins, shares...) by its own day's.
        for section in ("people", "exchanges"):
            snapshot[section] = without_timestamps({section: snapshot[section]})[section]
        snapshots.append(snapshot)
    assert snapshots[0] == snapshots[1]
    assert snapshots[0]["introduction_steps"] and snapshots[0]["shares"]
    assert build_demo(TODAY) == build_demo(TODAY)


def test_another_day_moves_the_dates_with_it():
    later = TODAY + timedelta(days=10)
    now, then = build_demo(TODAY), build_demo(later)
    assert [e.on + timedelta(days=10) for e in now.exchanges] == [e.on for e in then.exchanges]
    assert [e.description for e in now.exchanges] == [e.description for e in then.exchanges]


def test_progress_counts_every_person_exchange_and_step_of_the_story(app):
    seen: list[int] = []
    report = load_demo(app, progress=seen.append)
    plan = build_demo(TODAY)
    assert plan.story_steps == len(story(TODAY)) >= 50
    assert sum(seen) == plan.total == report.people + len(plan.exchanges) + plan.story_steps


def test_a_failure_while_adding_exchanges_leaves_no_half_demo(app, monkeypatch):
    def broken(*_args: object, **_kwargs: object) -> int:
        raise StorageError("disk full, nothing was written")

    monkeypatch.setattr(LedgerService, "bulk_add", broken)
    with pytest.raises(StorageError, match="disk full"):
        load_demo(app)
    assert_nothing_but_the_owner(app)


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


# --- the weeks before today: every page has something to show -------------------------------


def assert_nothing_but_the_owner(app: Mutuality) -> None:
    """Not one row of the demo is left: the owner at most (made on first use)."""
    snapshot = app.backups.snapshot()
    assert all(person["is_owner"] for person in snapshot["people"])
    assert [section for section, records in snapshot.items() if records] in ([], ["people"])


@pytest.fixture(scope="module")
def shown(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Mutuality]:
    """One demo, loaded once, for the checks that only read it."""
    with open_app(tmp_path_factory.mktemp("shown") / "demo.db", owner="Ana Lima") as opened:
        load_demo(opened)
        yield opened


def test_needs_and_offers_of_several_people_match_each_other(shown):
    needs, offers = shown.needs.list("need"), shown.needs.list("offer")
    owner = shown.people.owner().id
    assert len({wish.person_id for wish in needs}) >= 8
    assert len({wish.person_id for wish in offers}) >= 8
    assert owner in {wish.person_id for wish in needs} & {wish.person_id for wish in offers}
    # a request I said no to is kept in mind as the asker's need
    assert any(wish.source.value == "request" for wish in needs)
    report = shown.matching.match()
    assert report.help_me and report.i_help and len(report.introductions) >= 3
    assert not any("capacity" in note for note in report.notes)
    suggested = {(m.seeker, m.helper) for m in report.introductions}
    assert ("Rahul Mehta", "Hannah Schmidt") in suggested
    # a pair already introduced, declined or in progress is never suggested again
    for intro in shown.introductions.list():
        assert (intro.a, intro.b) not in suggested and (intro.b, intro.a) not in suggested


def test_introductions_stand_at_every_step_of_the_double_opt_in(shown):
    intros = shown.introductions.list()
    by_status: dict[str, list[Any]] = {}
    for intro in intros:
        by_status.setdefault(intro.introduction.status.value, []).append(intro.introduction)
    assert set(by_status) == {"proposed", "asking", "agreed", "made", "declined", "withdrawn"}
    consents = {
        (i.a_consent and i.a_consent.value, i.b_consent and i.b_consent.value)
        for i in by_status["asking"]
    }
    assert consents == {
        ("asked", None),  # one side asked
        ("yes", "asked"),  # one side agreed, the other asked
    }
    assert all(i.a_consent and i.b_consent for i in by_status["agreed"])
    assert [i.b_consent.value for i in by_status["declined"]] == ["no"]
    made = by_status["made"]
    assert all(i.a_exchange_id and i.b_exchange_id for i in made)
    assert any(i.outcome for i in made)
    # the composed reasons come from their needs and offers; two were given by hand
    assert sum(1 for i in intros if i.introduction.need_id is not None) >= 5
    steps = [step for intro in intros for step in intro.steps]
    assert all(step.at.date() < TODAY for step in steps)


def test_requests_are_decided_each_way_and_one_waits(shown):
    requests = shown.requests.list()
    decided = {r.decision.value for r in requests if r.decision is not None}
    assert {"yes", "no", "negotiate"} <= decided
    assert [r for r in requests if r.status == "open"]
    assert any(r.from_me for r in requests)
    negotiated = next(r for r in requests if r.decision and r.decision.value == "negotiate")
    promised = [c for c in shown.commitments.list(True) if c.request_id == negotiated.id]
    assert [c.text for c in promised] == [negotiated.third_option]


def test_commitments_are_kept_kept_late_open_and_overdue(shown):
    commitments = shown.commitments.list(include_closed=True)
    kept = [c for c in commitments if c.status == "kept"]
    assert [c for c in kept if not c.late] and [c for c in kept if c.late]
    assert all(c.exchange_id for c in kept)
    still_open = [c for c in commitments if c.status == "open"]
    assert [c for c in still_open if c.due_on < TODAY]  # overdue
    assert [c for c in still_open if TODAY <= c.due_on <= TODAY + timedelta(days=7)]
    assert any(not c.mine for c in still_open)  # theirs too


def test_checkins_answered_through_the_link_and_logged_by_me_with_wishes_waiting(shown):
    checkins = [
        checkin for person in shown.people.list() for checkin in shown.checkins.list(person.id)
    ]
    by_link = [c for c in checkins if c.source == "link"]
    assert len(by_link) >= 2 and len([c for c in checkins if c.source == "me"]) >= 2
    assert all(c.their_satisfaction for c in by_link)
    assert any(c.message for c in by_link)
    pending = shown.wishes.pending()
    assert len(pending) >= 2
    assert {wish.source for _, wish in pending} == {"link", "me"}
    assert any(c.wish_state == "commitment" for c in checkins)  # one wish already a promise
    assert shown.checkins.agenda()


def test_birthdays_and_dates_come_up_this_week(shown):
    coming = shown.occasions.upcoming()
    kinds = [item.kind for item in coming]
    assert kinds.count(OccasionKind.BIRTHDAY) >= 2 and kinds.count(OccasionKind.DATE) >= 2
    assert all(0 <= item.in_days <= 7 for item in coming)
    assert any(item.years for item in coming)
    assert len(shown.occasions.list()) > len([i for i in coming if i.date_id is not None])


def test_shares_fill_the_portfolio_and_a_budget_is_set(shown):
    kinds = {share.kind for share in shown.sharing.list()}
    assert kinds == {ShareKind.EXCHANGE, ShareKind.INTRODUCTION, ShareKind.PERSON}
    portfolio = shown.portfolio.build()
    assert portfolio.given and portfolio.received and portfolio.introductions
    assert portfolio.owner == "Ana Lima"
    with shown.database.read() as session:
        use = shown.capacity.measure(session)
    assert use.capacity is not None and use.state is CapacityState.OK
    assert not use.boundary_hits  # the year never crosses a boundary of the budget


def test_each_person_keeps_their_pattern_after_the_story(shown):
    """The story logs exchanges (kept commitments, made introductions): only with people
    whose shape they do not change."""
    leaning = {item.person.name: item.balance.leaning for item in shown.balances.overview()}
    expected = {
        Pattern.MUTUAL: Leaning.BALANCED,
        Pattern.OVER_GIVING: Leaning.OVER_GIVING,
        Pattern.OVER_RECEIVING: Leaning.OVER_RECEIVING,
    }
    for person in PEOPLE:
        if person.pattern in expected:
            assert leaning[person.name] is expected[person.pattern], person.name


def test_the_story_is_written_before_today_and_moves_with_it():
    steps = story(TODAY)
    assert [step.day for step in steps] == sorted(step.day for step in steps)
    assert all(TODAY - timedelta(days=366) < step.day < TODAY for step in steps)
    later = story(TODAY + timedelta(days=10))
    assert [s.day + timedelta(days=10) for s in steps] == [s.day for s in later]
    assert [s.what for s in steps] == [s.what for s in later]


@pytest.mark.parametrize(
    ("service", "method"),
    [
        (CommitmentService, "keep"),  # halfway through the story
        (IntroductionService, "log_outcome"),
        (ShareService, "share"),  # the very last steps
    ],
)
def test_a_failure_late_in_the_story_leaves_nothing_at_all(app, monkeypatch, service, method):
    def broken(*_args: object, **_kwargs: object) -> Any:
        raise StorageError("disk full, nothing was written")

    monkeypatch.setattr(service, method, broken)
    with pytest.raises(StorageError, match="disk full"):
        load_demo(app)
    assert_nothing_but_the_owner(app)
    monkeypatch.undo()
    assert load_demo(app).loaded
