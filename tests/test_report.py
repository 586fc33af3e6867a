"""The quarterly report's figures: each section on a small hand-worked ledger, and every
figure checked against what ``health``, ``network``, ``balance`` and the trends say for
the same period. Today is 2026-11-23, so 2026Q4 is under way and 2026Q3 is the one before."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date

import pytest

from mutuality.core.errors import InvalidInput
from mutuality.core.health import Status
from mutuality.core.report import Quarter, parse_quarter, quarter_of
from mutuality.services.app import Mutuality

LEDGER = """
gave "Ana Lima" knowledge    2026-08-10 benefit=4 cost=1 "Reviewed her deck"
got  "Ana Lima" introduction 2026-09-20 benefit=6 cost=2 "Intro to Dee"
got  "Ana Lima" support      2026-10-05 benefit=6 cost=2 "Listened"
gave "Bo Chen"  time         2026-11-02 benefit=3 cost=3 "Helped him move"
gave "Bo Chen"  knowledge    2026-11-10 benefit=5 cost=1 "Explained taxes"
got  "Cy Park"  feedback     2026-09-01 benefit=2 cost=1 "Notes on my talk"
"""


@pytest.fixture
def small(app: Mutuality, ledger: Callable[[str], object]) -> Mutuality:
    app.people.add("Ana Lima", context="friend")
    app.people.add("Bo Chen", context="colleague")
    ledger(LEDGER)
    return app


def as_of(app: Mutuality, day: date) -> Mutuality:
    return Mutuality(app.database, app.settings, lambda: day)


# --- quarters -----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2026Q4", "2026q4", "2026-Q4", " 2026 Q4 "])
def test_a_quarter_is_a_year_and_a_number(text: str) -> None:
    quarter = parse_quarter(text)
    assert quarter == Quarter(2026, 4)
    assert (quarter.start, quarter.end) == (date(2026, 10, 1), date(2026, 12, 31))
    assert quarter.previous() == Quarter(2026, 3) and Quarter(2026, 1).previous() == Quarter(
        2025, 4
    )
    assert quarter.months() == [date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1)]
    assert quarter_of(date(2026, 2, 28)) == Quarter(2026, 1)


@pytest.mark.parametrize("text", ["2026Q5", "26Q1", "2026Q0", "Q4", "2026", ""])
def test_a_bad_quarter_names_the_option_and_the_value(text: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_quarter(text, "--quarter")
    assert raised.value.field == "--quarter" and raised.value.value == text
    assert f"--quarter {text!r}" in str(raised.value) and "2026Q4" in str(raised.value)


def test_a_quarter_not_started_is_refused(small: Mutuality) -> None:
    with pytest.raises(InvalidInput, match="2027Q1 has not started"):
        small.reports.quarter(Quarter(2027, 1))


# --- sections, hand-worked ----------------------------------------------------------------------


def test_what_i_gave_and_received_against_the_previous_quarter(small: Mutuality) -> None:
    report = small.reports.quarter()
    assert report.quarter == Quarter(2026, 4) and report.as_of == date(2026, 11, 23)
    assert report.previous_as_of == date(2026, 9, 30)
    now, before = report.totals.now, report.totals.before
    # this quarter: gave Bo 3 + 5 (cost 3 + 1), got Ana 6 (her cost 2)
    assert (now.given, now.received, now.my_cost, now.their_cost) == (8, 6, 4, 2)
    assert (now.times_given, now.times_received) == (2, 1)
    assert now.surplus == 8 - 4 + 6 - 2
    # the previous quarter: gave Ana 4 (cost 1), got Ana 6 (cost 2) and Cy 2 (cost 1)
    assert (before.given, before.received, before.surplus) == (4, 8, 4 - 1 + 8 - 3)
    kinds = {k.label: k for k in report.kinds}
    assert kinds["knowledge"].now.given == 5 and kinds["knowledge"].before.given == 4
    assert kinds["feedback"].now.received == 0 and kinds["feedback"].before.received == 2
    assert [p.label for p in report.people] == ["Bo Chen", "Ana Lima"]  # Cy: nothing now
    assert report.people[1].before.given == 4 and report.people[1].before.received == 6
    assert [(f.month, f.given, f.received) for f in report.flows] == [
        (date(2026, 7, 1), 0, 0),
        (date(2026, 8, 1), 4, 0),
        (date(2026, 9, 1), 0, 8),
        (date(2026, 10, 1), 0, 6),
        (date(2026, 11, 1), 8, 0),
    ]


def test_relationships_that_became_healthier_or_weaker_and_why(small: Mutuality) -> None:
    report = small.reports.quarter()
    assert [(c.name, c.before, c.after) for c in report.healthier] == [
        ("Bo Chen", Status.QUIET, Status.NEW)
    ]
    assert [(c.name, c.before, c.after) for c in report.weaker] == [
        ("Ana Lima", Status.NEW, Status.OVERDUE),
        ("Cy Park", Status.NEW, Status.OVERDUE),
    ]
    assert "the last contact was 49 days ago (5 Oct 2026)" in report.weaker[0].reason
    assert report.status_counts[Status.OVERDUE] == (0, 2)
    assert report.status_counts[Status.NEW] == (2, 1)


def test_a_past_quarter_is_read_as_it_stood_at_its_end(small: Mutuality) -> None:
    report = small.reports.quarter(Quarter(2026, 3))
    assert report.as_of == date(2026, 9, 30) and report.previous_as_of == date(2026, 6, 30)
    assert (report.totals.now.given, report.totals.now.received) == (4, 8)
    assert report.totals.before == report.totals.before.__class__()  # nothing in Q2
    # Ana at the end of September: new, not yet overdue; Bo had not been met
    standing = {s.name: s for s in report.standings}
    assert standing["Ana Lima"].status is Status.NEW and "Bo Chen" not in standing
    assert report.status_counts[Status.QUIET] == (3, 1)


def test_introductions_requests_commitments_and_checkins(small: Mutuality) -> None:
    intro = small.introductions.propose("Ana Lima", "Bo Chen", reason="both build furniture")
    small.introductions.ask(intro.introduction.id)
    small.introductions.answer(intro.introduction.id, "Ana Lima", yes=True)
    small.introductions.answer(intro.introduction.id, "Bo Chen", yes=True)
    small.introductions.make(intro.introduction.id, on="2026-10-20")
    small.introductions.log_outcome(intro.introduction.id, "They started a workshop")
    october = as_of(small, date(2026, 10, 10))
    asks = [
        october.requests.ask("Bo Chen", f"Help {n}", benefit=5, cost=2, due="2026-12-20")
        for n in range(4)
    ]
    october.requests.decide(asks[0].id, "yes", due="2026-10-20")
    small.requests.decide(asks[1].id, "no")
    small.requests.decide(asks[2].id, "later")
    small.requests.decide(asks[3].id, "yes", due="2026-12-20")
    mine = {c.text: c for c in small.commitments.list()}
    small.commitments.keep(mine["Help 0"].id, on="2026-11-20")  # after its due date: late
    small.commitments.break_(mine["Help 3"].id)
    small.checkins.record(
        "Ana Lima",
        on="2026-11-01",
        my_satisfaction=4,
        their_satisfaction=2,
        my_equity=0,
        their_equity=-1,
    )
    small.checkins.record("Bo Chen", on="2026-11-05", my_satisfaction=5, my_equity=1)
    small.checkins.record("Bo Chen", on="2026-09-05", my_satisfaction=3)

    report = small.reports.quarter()
    made = report.introductions.made
    assert [(m.a, m.b, m.on, m.outcome) for m in made] == [
        ("Ana Lima", "Bo Chen", date(2026, 10, 20), "They started a workshop")
    ]
    assert report.introductions.with_outcome == 1
    assert (report.requests.accepted, report.requests.declined) == (2, 1)
    assert report.requests.kept_in_mind == 1
    mine_now, theirs_now = report.commitments
    assert (mine_now.kept, mine_now.late, mine_now.broken) == (0, 1, 1)
    assert theirs_now.kept == theirs_now.broken == 0
    now, before = report.checkins
    assert now.count == 2 and now.my_satisfaction == 4.5 and now.their_satisfaction == 2
    assert now.my_equity == 0.5 and now.their_equity == -1
    assert before.count == 1 and before.my_satisfaction == 3 and before.their_equity is None


def test_capacity_against_the_budget_with_burnout_warnings(small: Mutuality) -> None:
    assert small.reports.quarter().capacity == []
    small.capacity.set(3, "points", "month", boundaries=("time",))
    report = small.reports.quarter()
    assert [(u.start, u.used, u.state.value) for u in report.capacity] == [
        (date(2026, 10, 1), 0, "within budget"),
        (date(2026, 11, 1), 4, "over budget"),  # costs 3 + 1 given to Bo
    ]
    assert any(
        w.startswith("Over budget 2026-11-01 to 2026-11-30: used 4.0 of 3") for w in report.warnings
    )
    assert "Boundary crossed: time given on 2026-11-02." in report.warnings


def test_the_playbook_is_the_next_actions_as_of_the_report(small: Mutuality) -> None:
    report = small.reports.quarter()
    steps = small.health.next_actions(5)
    assert [(p.name, p.action, p.reason) for p in report.playbook] == [
        (s.person.name, s.health.action.value, s.reason) for s in steps
    ]
    assert report.playbook[0].action == "check in"


# --- every figure as health, network, balance and the trends say --------------------------------


@pytest.mark.parametrize("quarter", [Quarter(2026, 4), Quarter(2026, 3)])
def test_every_figure_matches_health_network_balance_and_trends(
    small: Mutuality, quarter: Quarter
) -> None:
    small.ledger.touch("Cy Park", on="2026-11-15", initiated_by="them")
    report = small.reports.quarter(quarter)
    for day, side in ((report.previous_as_of, 0), (report.as_of, 1)):
        then = as_of(small, day)
        counts = Counter(item.health.status for item in then.health.relationships())
        assert {s: pair[side] for s, pair in report.status_counts.items()} == {
            s: counts.get(s, 0) for s in Status
        }
    then = as_of(small, report.as_of)
    network = then.health.network()
    summary = report.network
    assert (summary.people, summary.relationships) == (
        network.figures.people,
        network.figures.relationships,
    )
    assert summary.reciprocity == network.figures.reciprocity
    assert summary.mutual_share == network.figures.mutual_share
    assert (summary.my_style, summary.my_giving) == (network.my_style.value, network.my_giving)
    for standing in report.standings:
        balance = then.balances.for_person(standing.name).balance
        assert standing.balance == pytest.approx(balance.balance)
        assert standing.given == pytest.approx(balance.given)
        assert standing.received == pytest.approx(balance.received)
    flows = then.trends.flows_by_month(len(report.flows))
    assert [(f.month, f.given, f.received) for f in flows] == [
        (f.month, f.given, f.received) for f in report.flows
    ]
    in_quarter = [f for f in report.flows if f.month >= quarter.start]
    assert sum(f.given for f in in_quarter) == report.totals.now.given
    assert sum(f.received for f in in_quarter) == report.totals.now.received
