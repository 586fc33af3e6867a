"""Check-ins through the core rules and the service: the agenda, recording with follow-ups,
both sides' views against the ledger, the repair conversation's turn-taking, and the
private one-time link (docs/reliability.md A7, L2, L5)."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import shutil
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from conftest import TODAY, load_ledger, open_app
from sqlalchemy import text

from mutuality.core.checkins import (
    CheckIn,
    Due,
    Partner,
    Views,
    agenda_item,
    disagreements,
    repair_plan,
    views,
)
from mutuality.core.errors import Conflict, InvalidInput, MutualityError, NotFound
from mutuality.core.health import Status
from mutuality.core.words import short_date
from mutuality.services.app import Mutuality
from mutuality.services.checkins.service import TEXT_LIMIT, FollowUp, token_hash
from mutuality.services.settings import Settings
from mutuality.store.database import Database


def days_ago(n: int) -> str:
    return (TODAY - timedelta(days=n)).isoformat()


def snapshot(app: Mutuality) -> dict:
    return app.backups.snapshot()


# --- the agenda: the pure rule --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last", "cadence", "horizon", "state", "due"),
    [
        (None, 30, 7, Due.NEVER, TODAY),
        (TODAY - timedelta(days=31), 30, 7, Due.OVERDUE, TODAY - timedelta(days=1)),
        (TODAY - timedelta(days=30), 30, 7, Due.DUE, TODAY),
        (TODAY - timedelta(days=29), 30, 7, Due.SOON, TODAY + timedelta(days=1)),
        (TODAY - timedelta(days=23), 30, 7, Due.SOON, TODAY + timedelta(days=7)),
        (TODAY - timedelta(days=22), 30, 7, None, None),
        (TODAY - timedelta(days=29), 30, 0, None, None),
        (TODAY - timedelta(days=30), 30, 0, Due.DUE, TODAY),
        (TODAY, 7, 7, Due.SOON, TODAY + timedelta(days=7)),
    ],
)
def test_agenda_item_states_and_horizon(last, cadence, horizon, state, due) -> None:
    item = agenda_item(1, last, cadence, TODAY, horizon)
    if state is None:
        assert item is None
        return
    assert item is not None
    assert (item.state, item.due_on, item.cadence_days, item.last_on) == (state, due, cadence, last)


def test_agenda_item_why() -> None:
    never = agenda_item(1, None, 21, TODAY, 7)
    assert never is not None and "no contact logged yet" in never.why(TODAY)
    assert "21 days" in never.why(TODAY)
    late = agenda_item(1, TODAY - timedelta(days=40), 30, TODAY, 7)
    assert late is not None
    assert (
        late.why(TODAY)
        == f"last contact 40 days ago ({short_date(TODAY - timedelta(days=40), TODAY)}); "
        "cadence 30 days"
    )


# --- the agenda: the service ---------------------------------------------------------------------


def copy_of(template: Path, tmp_path: Path) -> Iterator[Mutuality]:
    """A fresh app on a copy of ``template`` (built once per module: much faster)."""
    path = tmp_path / "t.db"
    shutil.copyfile(template, path)
    path.chmod(0o600)
    opened = open_app(path)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture(scope="module")
def agenda_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six people, one per agenda situation, with TODAY = 2026-11-23:

    Ana (friend, 30 d): I gave 53 days ago                    -> overdue since 23 days
    Bo (colleague, 30 d): he gave me something 30 days ago    -> due today
    Cy (other, cadence set to 10 d): a touch 7 days ago       -> due soon, in 3 days
    Di (partner, 7 d): a check-in 3 days ago                  -> due soon, in 4 days
    Ed (friend): nothing logged                               -> never in touch
    Fay (family, 14 d): a touch and a check-in 3 days ago     -> due in 11 days (past horizon 7)

    (A close tie's clock is its check-ins, so Fay's is the check-in.)
    """
    path = tmp_path_factory.mktemp("agenda") / "agenda.db"
    with open_app(path) as made:
        made.people.add("Ana Lima", context="friend")
        made.people.add("Bo Chen", context="colleague")
        made.people.add("Cy Park", cadence_days=10)
        made.people.add("Di Rossi", context="partner")
        made.people.add("Ed Moss", context="friend")
        made.people.add("Fay Ng", context="family")
        load_ledger(
            made,
            f"""
        gave "Ana Lima" knowledge {days_ago(53)} "Reviewed her deck"
        got  "Bo Chen"  introduction {days_ago(30)} "Intro to a client"
        touch "Cy Park" {days_ago(7)} initiated=them channel=call
        touch "Fay Ng" {days_ago(3)}
        """,
        )
        made.checkins.record("Di Rossi", on=days_ago(3), my_satisfaction=5)
        made.checkins.record("Fay Ng", on=days_ago(3), my_satisfaction=4)
    return path


@pytest.fixture
def agenda_app(agenda_template: Path, tmp_path: Path) -> Iterator[Mutuality]:
    yield from copy_of(agenda_template, tmp_path)


def names_and_states(app: Mutuality, horizon: int = 7) -> list[tuple[str, str, date]]:
    return [(p.name, i.state.value, i.due_on) for p, i in app.checkins.agenda(horizon)]


def test_agenda_due_states_sorted_soonest_first(agenda_app: Mutuality) -> None:
    assert names_and_states(agenda_app) == [
        ("Ana Lima", "overdue", TODAY - timedelta(days=23)),
        ("Bo Chen", "due today", TODAY),
        ("Ed Moss", "never in touch", TODAY),
        ("Cy Park", "due soon", TODAY + timedelta(days=3)),
        ("Di Rossi", "due soon", TODAY + timedelta(days=4)),
    ]
    items = {p.name: i for p, i in agenda_app.checkins.agenda(7)}
    assert items["Cy Park"].cadence_days == 10  # the user's cadence wins over the context's
    assert items["Di Rossi"].cadence_days == 7  # partner default
    assert items["Ana Lima"].last_on == TODAY - timedelta(days=53)
    assert items["Ed Moss"].last_on is None


def test_agenda_horizon(agenda_app: Mutuality) -> None:
    assert [n for n, _, _ in names_and_states(agenda_app, 0)] == ["Ana Lima", "Bo Chen", "Ed Moss"]
    assert "Fay Ng" not in [n for n, _, _ in names_and_states(agenda_app, 10)]
    assert ("Fay Ng", "due soon", TODAY + timedelta(days=11)) in names_and_states(agenda_app, 11)
    assert len(names_and_states(agenda_app, 366)) == 6


@pytest.mark.parametrize("days", [-1, 367, 10_000])
def test_agenda_rejects_a_bad_horizon(app: Mutuality, days: int) -> None:
    with pytest.raises(InvalidInput) as raised:
        app.checkins.agenda(days)
    assert raised.value.field == "days" and "0 to 366" in raised.value.message


def test_a_touch_resets_the_clock(agenda_app: Mutuality) -> None:
    agenda_app.ledger.touch("Ana Lima", on=TODAY)
    agenda_app.ledger.touch("Ed Moss", on=days_ago(1))
    left = [n for n, _, _ in names_and_states(agenda_app)]
    assert "Ana Lima" not in left and "Ed Moss" not in left


def test_a_checkin_resets_the_clock(agenda_app: Mutuality) -> None:
    agenda_app.checkins.record("Ana Lima", their_satisfaction=4)
    assert "Ana Lima" not in [n for n, _, _ in names_and_states(agenda_app)]
    # ... and in health too: the check-in counts as a touch (store/columns.py)
    assert agenda_app.health.for_person("Ana Lima").health.last_on == TODAY


def test_a_checkin_ends_overdue_in_health(app: Mutuality, ledger) -> None:
    app.people.add("Ana Lima", context="friend")
    ledger(
        f'gave "Ana Lima" knowledge {days_ago(200)} "Old help"\n'
        f'got "Ana Lima" knowledge {days_ago(45)} "Her help"'
    )
    before = app.health.for_person("ana").health
    assert before.status in (Status.OVERDUE, Status.FADING)
    app.checkins.record("ana", on=days_ago(2), their_satisfaction=5, my_satisfaction=5)
    after = app.health.for_person("ana").health
    assert after.days_since == 2
    assert after.status not in (Status.OVERDUE, Status.FADING)


def test_the_agenda_sees_writes_from_another_connection(agenda_app: Mutuality) -> None:
    assert "Ana Lima" in [n for n, _, _ in names_and_states(agenda_app)]
    other = open_app(agenda_app.database.path)  # another process: the CLI beside the web app
    try:
        other.checkins.record("Ana Lima", my_satisfaction=4)
        other.ledger.touch("Bo Chen")
    finally:
        other.close()
    left = [n for n, _, _ in names_and_states(agenda_app)]
    assert "Ana Lima" not in left and "Bo Chen" not in left


def test_an_older_contact_does_not_move_the_clock_back(agenda_app: Mutuality) -> None:
    agenda_app.checkins.record("Bo Chen", on=days_ago(90))
    items = {p.name: i for p, i in agenda_app.checkins.agenda(7)}
    assert items["Bo Chen"].last_on == TODAY - timedelta(days=30)


def test_agenda_of_an_empty_database(app: Mutuality) -> None:
    assert app.checkins.agenda() == []


# --- recording a check-in ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def ana_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ana") / "ana.db"
    with open_app(path) as made:
        made.people.add("Ana Lima", context="friend")
    return path


@pytest.fixture
def ana(ana_template: Path, tmp_path: Path) -> Iterator[Mutuality]:
    """An app holding only Ana Lima (friend) and the owner."""
    yield from copy_of(ana_template, tmp_path)


def test_record_and_list(ana: Mutuality) -> None:
    record, commitments = ana.checkins.record(
        "ana",
        on="3 days ago",
        my_satisfaction=4,
        their_satisfaction=5,
        my_better="  more walks ",
        their_better="fewer last-minute changes",
        my_equity=0,
        their_equity=-1,
        note="she seemed tired",
    )
    assert commitments == []
    assert record.on == TODAY - timedelta(days=3)
    assert (record.kind, record.source) == ("checkin", "me")
    assert (record.my_satisfaction, record.their_satisfaction) == (4, 5)
    assert (record.my_equity, record.their_equity) == (0, -1)
    assert record.my_better == "more walks"
    assert record.private_note == "she seemed tired"
    assert ana.checkins.list("Ana Lima") == [record]


def test_record_defaults_to_today_and_accepts_a_date(ana: Mutuality) -> None:
    assert ana.checkins.record("ana")[0].on == TODAY
    assert ana.checkins.record("ana", on=date(2026, 1, 2))[0].on == date(2026, 1, 2)
    assert ana.checkins.record("ana", on="yesterday")[0].on == TODAY - timedelta(days=1)
    assert ana.checkins.record("ana", kind="repair")[0].kind == "repair"


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"my_satisfaction": 0}, "my satisfaction", "1 to 5"),
        ({"my_satisfaction": 6}, "my satisfaction", "1 to 5"),
        ({"their_satisfaction": -1}, "their satisfaction", "1 to 5"),
        ({"their_satisfaction": 10}, "their satisfaction", "1 to 5"),
        ({"my_equity": 3}, "my equity", "-2 to 2"),
        ({"their_equity": -3}, "their equity", "-2 to 2"),
        ({"my_satisfaction": 5, "their_equity": 7}, "their equity", "-2 to 2"),
        ({"on": "2026-11-24"}, "on", "in the future"),
        ({"on": date(2027, 1, 1)}, "on", "in the future"),
        ({"on": "someday"}, "on", "not a date"),
        ({"note": "x" * 10_001}, "note", "longer than"),
        ({"kind": "fight"}, "kind", "checkin or repair"),
        ({"follow_ups": (FollowUp("   "),)}, "follow-up", "must not be empty"),
        ({"follow_ups": (FollowUp("Send it", due="2026-11-01"),)}, "due", "in the past"),
        ({"follow_ups": (FollowUp("Send it", due=date(2026, 11, 22)),)}, "due", "in the past"),
        ({"follow_ups": (FollowUp("Send it", due="next blue moon"),)}, "due", "not a date"),
    ],
)
def test_bad_checkin_is_refused_and_writes_nothing(ana: Mutuality, kwargs, field, words) -> None:
    before = snapshot(ana)
    with pytest.raises(InvalidInput) as raised:
        ana.checkins.record("ana", **kwargs)
    assert raised.value.field == field
    assert field in raised.value.message and words in raised.value.message
    assert snapshot(ana) == before


def test_unknown_person_writes_nothing(ana: Mutuality) -> None:
    before = snapshot(ana)
    with pytest.raises(NotFound):
        ana.checkins.record("zed", my_satisfaction=4, follow_ups=(FollowUp("x"),))
    with pytest.raises(NotFound):
        ana.checkins.list("zed")
    assert snapshot(ana) == before


def test_follow_ups_become_commitments(ana: Mutuality) -> None:
    record, ids = ana.checkins.record(
        "ana",
        on="2 days ago",
        their_satisfaction=3,
        follow_ups=(
            FollowUp("Send her the article"),
            FollowUp("Introduce me to Bo", due="2026-12-01", mine=False),
            FollowUp("Book the dinner", due=date(2026, 11, 30)),
            FollowUp("Call back", due="in 3 days"),
            FollowUp("Today's one", due="today"),
        ),
    )
    assert len(ids) == 5 and len(set(ids)) == 5
    made = {c.id: c for c in ana.commitments.list()}
    assert set(made) == set(ids)
    first, theirs, dinner, call, today = (made[i] for i in ids)
    assert (first.text, first.mine, first.due_on) == (
        "Send her the article",
        True,
        TODAY + timedelta(days=7),
    )
    assert (theirs.mine, theirs.due_on) == (False, date(2026, 12, 1))
    assert dinner.due_on == date(2026, 11, 30)
    assert call.due_on == TODAY + timedelta(days=3)
    assert today.due_on == TODAY
    for c in made.values():
        assert c.status == "open"
        assert c.made_on == record.on
        assert c.person_id == record.person_id
    assert [c.id for c in ana.commitments.list(person="ana")] == sorted(
        ids, key=lambda i: (made[i].due_on, i)
    )


def test_a_bad_follow_up_refuses_the_whole_checkin(ana: Mutuality) -> None:
    before = snapshot(ana)
    with pytest.raises(InvalidInput):
        ana.checkins.record(
            "ana",
            my_satisfaction=4,
            follow_ups=(FollowUp("fine"), FollowUp("late", due="2020-01-01")),
        )
    assert snapshot(ana) == before
    assert ana.commitments.list() == [] and ana.checkins.list("ana") == []


# --- views, trends and disagreements -------------------------------------------------------------


def test_views_latest_answers_and_change(ana: Mutuality) -> None:
    # recorded out of order: the dates decide which answer is the latest
    ana.checkins.record("ana", on=days_ago(5), my_satisfaction=5, their_satisfaction=2, my_equity=1)
    ana.checkins.record(
        "ana", on=days_ago(60), my_satisfaction=3, their_satisfaction=4, their_equity=-2
    )
    ana.checkins.record("ana", on=days_ago(1), my_better="only my side this time")
    person = ana.people.get("ana").person
    seen, lines = ana.checkins.views(person.id, None, "Ana Lima")
    assert seen == Views(
        my_satisfaction=5,
        their_satisfaction=2,
        my_satisfaction_change=2,
        their_satisfaction_change=-2,
        my_equity=1,
        their_equity=-2,
    )
    assert lines == []
    assert [c.on for c in ana.checkins.list("ana")] == [
        TODAY - timedelta(days=60),
        TODAY - timedelta(days=5),
        TODAY - timedelta(days=1),
    ]


def test_views_with_one_answer_or_none() -> None:
    one = CheckIn(1, 2, TODAY, "checkin", "me", my_satisfaction=4)
    assert views([one]) == Views(4, None, None, None, None, None)
    assert views([]) == Views(None, None, None, None, None, None)
    same = CheckIn(2, 2, TODAY, "checkin", "me", my_satisfaction=4)
    assert views([one, same]).my_satisfaction_change == 0


def test_latest_satisfaction_is_the_lower_side(ana: Mutuality) -> None:
    ana.people.add("Bo Chen")
    ana.checkins.record("ana", on=days_ago(10), my_satisfaction=2, their_satisfaction=5)
    ana.checkins.record("ana", on=days_ago(3), my_satisfaction=5)
    ana.checkins.record("bo", their_satisfaction=3)
    ids = {p.name: p.id for p in ana.people.list()}
    with ana.database.read() as session:
        latest = ana.checkins.latest_satisfaction(session)
    assert latest == {ids["Ana Lima"]: 5.0, ids["Bo Chen"]: 3.0}


def seen(my_equity: int | None = None, their_equity: int | None = None) -> Views:
    return Views(None, None, None, None, my_equity, their_equity)


@pytest.mark.parametrize(
    ("balance", "mine", "theirs", "expected"),
    [
        # the ledger shows me giving more, and yet ...
        (
            0.5,
            None,
            -1,
            [
                "Ana feels they get the worse deal, yet the ledger shows you giving more "
                "(balance +0.50)"
            ],
        ),
        (
            0.5,
            2,
            None,
            [
                "You feel you get the better deal, yet the ledger shows you giving more "
                "(balance +0.50)"
            ],
        ),
        (0.5, 1, -2, ["Ana feels they get the worse deal", "You feel you get the better deal"]),
        # the ledger shows them giving more, and yet ...
        (
            -0.5,
            None,
            1,
            [
                "Ana feels they get the better deal, yet the ledger shows them giving "
                "more (balance -0.50)"
            ],
        ),
        (
            -0.5,
            -1,
            None,
            [
                "You feel you get the worse deal, yet the ledger shows Ana giving more "
                "(balance -0.50)"
            ],
        ),
        # views that agree with the ledger
        (0.5, -1, 1, []),
        (-0.5, 1, -1, []),
        (0.5, 0, 0, []),
        # within the tolerance band (0.25): the ledger says nothing either way
        (0.25, 2, -2, []),
        (-0.25, -2, 2, []),
        (0.1, 2, -2, []),
        (0.0, -2, -2, []),
        # no ledger, or no views
        (None, 2, -2, []),
        (0.9, None, None, []),
    ],
)
def test_disagreements(balance, mine, theirs, expected) -> None:
    lines = disagreements(seen(mine, theirs), balance, 0.25, "Ana")
    assert len(lines) == len(expected)
    for line, start in zip(lines, expected, strict=True):
        assert line.startswith(start)


def test_disagreement_through_the_service_and_health(ana: Mutuality) -> None:
    load_ledger(
        ana,
        f"""
    gave "Ana Lima" time {days_ago(20)} benefit=8 cost=4 "Helped her move"
    got  "Ana Lima" appreciation {days_ago(19)} benefit=1 cost=0.5 "A thank-you card"
    """,
    )
    ana.checkins.record("ana", on=days_ago(10), their_satisfaction=4)
    ana.checkins.record("ana", on=days_ago(2), their_satisfaction=2, their_equity=-2, my_equity=1)
    detail = ana.health.for_person("ana")
    assert detail.balance.balance is not None and detail.balance.balance > 0.25
    person = detail.person
    _, lines = ana.checkins.views(person.id, detail.balance.balance, person.name)
    assert len(lines) == 2
    text_ = "\n".join(detail.explanation)
    assert (
        "Ana Lima's latest satisfaction: 2 of 5 (dissatisfied, down 2 since the check-in "
        "before)." in text_
    )
    assert "Who gets the better deal, as Ana Lima sees it: much worse for them." in text_
    assert "Who gets the better deal, as you see it: a little better for you." in text_
    assert "Ana Lima feels they get the worse deal, yet the ledger shows you giving more" in text_
    assert "You feel you get the better deal, yet the ledger shows you giving more" in text_


def test_no_disagreement_line_within_tolerance(ana: Mutuality) -> None:
    load_ledger(
        ana,
        f"""
    gave "Ana Lima" time {days_ago(20)} benefit=5 cost=1 "Coffee and advice"
    got  "Ana Lima" time {days_ago(19)} benefit=5 cost=1 "Coffee and advice back"
    """,
    )
    ana.checkins.record("ana", their_equity=-2, my_equity=2)
    text_ = "\n".join(ana.health.for_person("ana").explanation)
    assert "yet the ledger" not in text_
    assert "much worse for them" in text_


# --- satisfaction feeds "thriving" ---------------------------------------------------------------

THRIVING_LEDGER = f"""
gave "Ana Lima" knowledge {days_ago(114)} benefit=4 cost=1 "Reviewed her deck"
got  "Ana Lima" knowledge {days_ago(100)} benefit=4 cost=1 "Reviewed my deck"
gave "Ana Lima" knowledge {days_ago(34)} benefit=4 cost=1 "Intro to a printer"
got  "Ana Lima" knowledge {days_ago(13)} benefit=4 cost=1 "Intro to a client"
"""


@pytest.mark.parametrize(
    ("answers", "thriving"),
    [
        ({}, True),
        ({"my_satisfaction": 4, "their_satisfaction": 5}, True),
        ({"my_satisfaction": 3}, False),
        ({"their_satisfaction": 3}, False),
        ({"my_satisfaction": 5, "their_satisfaction": 1}, False),
        ({"my_better": "no scores given"}, True),
    ],
)
def test_satisfaction_below_four_stops_thriving(ana: Mutuality, answers, thriving) -> None:
    load_ledger(ana, THRIVING_LEDGER)
    assert ana.health.for_person("ana").health.status is Status.THRIVING
    ana.checkins.record("ana", on=days_ago(5), **answers)
    status = ana.health.for_person("ana").health.status
    assert (status is Status.THRIVING) is thriving, status
    listed = {h.person.name: h.health.status for h in ana.health.relationships()}
    assert listed["Ana Lima"] is status


def test_a_later_satisfied_checkin_restores_thriving(ana: Mutuality) -> None:
    load_ledger(ana, THRIVING_LEDGER)
    ana.checkins.record("ana", on=days_ago(6), my_satisfaction=2, their_satisfaction=2)
    assert ana.health.for_person("ana").health.status is not Status.THRIVING
    ana.checkins.record("ana", on=days_ago(2), my_satisfaction=5, their_satisfaction=4)
    assert ana.health.for_person("ana").health.status is Status.THRIVING


# --- the repair conversation ---------------------------------------------------------------------

NOW = datetime(2026, 11, 23, 20, 15)


def partner(
    name: str,
    stress: int = 5,
    *,
    engage: bool = True,
    minutes: int | None = None,
    raised: bool = False,
) -> Partner:
    return Partner(name, stress, engage, minutes, "hurt", "to be heard", raised)


def test_repair_one_cannot_engage_takes_a_break() -> None:
    plan = repair_plan(partner("Sam", 3), partner("Alex", 9, engage=False, minutes=30), NOW)
    assert plan.return_at == NOW + timedelta(minutes=30)
    assert plan.first is None and plan.second is None
    assert plan.reason.startswith("Alex asked for 30 minutes first")


def test_repair_both_cannot_engage_takes_the_longer_break() -> None:
    plan = repair_plan(
        partner("Sam", engage=False, minutes=20), partner("Alex", engage=False, minutes=45), NOW
    )
    assert plan.return_at == NOW + timedelta(minutes=45)
    assert (plan.first, plan.second) == (None, None)
    assert plan.reason.startswith("Sam and Alex asked for 45 minutes")


@pytest.mark.parametrize(
    ("one", "other", "first", "reason"),
    [
        (partner("Sam", 3), partner("Alex", 7), "Alex", "Alex is more stressed (7 against 3)"),
        (partner("Sam", 8), partner("Alex", 2, raised=True), "Sam", "Sam is more stressed"),
        (partner("Sam", 5), partner("Alex", 5, raised=True), "Alex", "Equally stressed; Alex"),
        (partner("Sam", 5, raised=True), partner("Alex", 5), "Sam", "Equally stressed; Sam"),
        (
            partner("Sam", 5, raised=True),
            partner("Alex", 5, raised=True),
            "Sam",
            "Equally stressed and neither (or both)",
        ),
        (partner("Sam", 0), partner("Alex", 0), "Sam", "Equally stressed and neither"),
        (partner("Alex", 10), partner("Sam", 10), "Alex", "Equally stressed and neither"),
    ],
)
def test_repair_turn_order(one: Partner, other: Partner, first: str, reason: str) -> None:
    plan = repair_plan(one, other, NOW)
    assert plan.return_at is None
    assert plan.first is not None and plan.second is not None
    assert plan.first.name == first
    assert {plan.first.name, plan.second.name} == {one.name, other.name}
    assert plan.reason.startswith(reason)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"stress": -1}, "stress"),
        ({"stress": 11}, "stress"),
        ({"engage": False}, "minutes_needed"),
        ({"engage": False, "minutes": 0}, "minutes_needed"),
        ({"engage": False, "minutes": 9}, "minutes_needed"),
        ({"engage": False, "minutes": 72 * 60 + 1}, "minutes_needed"),
        ({"engage": False, "minutes": -30}, "minutes_needed"),
    ],
)
def test_partner_validation(kwargs, field) -> None:
    with pytest.raises(InvalidInput) as raised:
        partner("Sam", **kwargs)
    assert raised.value.field == field
    assert "Sam" in raised.value.message


@pytest.mark.parametrize("minutes", [10, 72 * 60])
def test_partner_break_bounds_are_inclusive(minutes: int) -> None:
    plan = repair_plan(partner("Sam", engage=False, minutes=minutes), partner("Alex"), NOW)
    assert plan.return_at == NOW + timedelta(minutes=minutes)


# --- the private link ----------------------------------------------------------------------------

URLSAFE = re.compile(r"^[A-Za-z0-9_-]+$")


def link_rows(app: Mutuality) -> list[dict]:
    with app.database.engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(text("SELECT * FROM checkin_links"))]


def test_link_token_is_long_urlsafe_and_only_its_hash_is_stored(ana: Mutuality) -> None:
    made = ana.checkins.make_link("ana")
    assert len(made.token) >= 43 and URLSAFE.match(made.token)
    assert made.person.name == "Ana Lima"
    now = datetime.now(UTC).replace(tzinfo=None)
    assert abs(made.expires_at - (now + timedelta(days=14))) < timedelta(minutes=1)
    [row] = link_rows(ana)
    assert (
        row["token_hash"]
        == hashlib.sha256(made.token.encode()).hexdigest()
        == token_hash(made.token)
    )
    assert all(made.token not in str(value) for value in row.values())
    ana.close()  # flush everything to the file, then look for the token's bytes
    files = [p for p in Path(ana.database.path).parent.iterdir() if p.name.startswith("t.db")]
    assert files
    for path in files:
        assert made.token.encode() not in path.read_bytes()


def test_tokens_differ(ana: Mutuality) -> None:
    tokens = {ana.checkins.make_link("ana").token for _ in range(5)}
    assert len(tokens) == 5
    assert len(link_rows(ana)) == 5


def test_link_first_name(ana: Mutuality) -> None:
    placeholder = ana.checkins.make_link("ana").token
    assert ana.checkins.link_first_name(placeholder) == "Me"
    # The placeholder owner name is no name: the page then speaks without one.
    assert ana.checkins.link_name(placeholder) is None
    chosen = ana.checkins.make_link("ana", first_name="  Sam  ")
    assert ana.checkins.link_first_name(chosen.token) == "Sam"
    assert ana.checkins.link_name(chosen.token) == "Sam"


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "field"),
    [
        (("zed",), {}, NotFound, None),
        (("ana",), {"days": 0}, InvalidInput, "days"),
        (("ana",), {"days": 91}, InvalidInput, "days"),
        (("ana",), {"first_name": "   "}, InvalidInput, "first name"),
    ],
)
def test_bad_link_requests_write_nothing(ana: Mutuality, args, kwargs, error, field) -> None:
    before = snapshot(ana)
    with pytest.raises(error) as raised:
        ana.checkins.make_link(*args, **kwargs)
    if field is not None:
        assert raised.value.field == field
    assert snapshot(ana) == before and link_rows(ana) == []


def test_link_days_bounds(ana: Mutuality) -> None:
    assert ana.checkins.make_link("ana", days=1).expires_at > datetime.now(UTC).replace(tzinfo=None)
    far = ana.checkins.make_link("ana", days=90)
    assert far.expires_at - datetime.now(UTC).replace(tzinfo=None) > timedelta(days=89)


def answer(app: Mutuality, token: str, **kwargs) -> None:
    values = {"satisfaction": 4, "better": None, "equity": None, "message": None}
    app.checkins.answer_link(token, **{**values, **kwargs})


def test_the_answer_lands_as_a_checkin_from_the_link(ana: Mutuality) -> None:
    made = ana.checkins.make_link("ana")
    answer(
        ana,
        made.token,
        satisfaction=3,
        better="  call more often ",
        equity=-1,
        message="Thanks for asking!",
    )
    [record] = ana.checkins.list("ana")
    assert (record.source, record.kind) == ("link", "checkin")
    assert record.their_satisfaction == 3
    assert record.their_better == "call more often"
    assert record.their_equity == -1
    assert record.message == "Thanks for asking!"
    assert (record.my_satisfaction, record.my_better, record.my_equity) == (None, None, None)
    assert record.private_note is None
    [row] = link_rows(ana)
    assert row["used_at"] is not None and row["checkin_id"] == record.id
    # their answer counts: the agenda clock restarts, the views see it
    assert "Ana Lima" not in [p.name for p, _ in ana.checkins.agenda(7)]
    assert ana.checkins.views(made.person.id, None, "Ana")[0].their_satisfaction == 3


def test_a_link_answers_once(ana: Mutuality) -> None:
    made = ana.checkins.make_link("ana")
    answer(ana, made.token)
    before = snapshot(ana)
    with pytest.raises(Conflict) as raised:
        answer(ana, made.token, satisfaction=1)
    assert "already answered" in raised.value.message
    assert snapshot(ana) == before
    assert [c.their_satisfaction for c in ana.checkins.list("ana")] == [4]


def invalid_link_message(app: Mutuality, token: str) -> str:
    with pytest.raises(NotFound) as raised:
        app.checkins.link_first_name(token)
    assert raised.value.field == "token"
    return raised.value.message


def test_unknown_expired_used_and_malformed_links_look_the_same(ana: Mutuality) -> None:
    used = ana.checkins.make_link("ana").token
    answer(ana, used)
    expired = ana.checkins.make_link("ana").token
    with ana.database.engine.begin() as connection:
        connection.execute(
            text("UPDATE checkin_links SET expires_at = :when WHERE token_hash = :hash"),
            {
                "when": datetime.now(UTC).replace(tzinfo=None) - timedelta(seconds=1),
                "hash": token_hash(expired),
            },
        )
    live = ana.checkins.make_link("ana").token
    tokens = [
        used,
        expired,
        secrets.token_urlsafe(32),  # unknown
        "",
        "short",
        "x" * 101,
        "../../../etc/passwd",
        live + "!",
        live[:-1] + " ",
        live + "\n",
        "é" * 43,
        "%00" * 15,
    ]
    messages = {invalid_link_message(ana, token) for token in tokens}
    assert messages == {"this link is not valid"}
    assert ana.checkins.link_first_name(live) == "Me"


def test_an_expired_or_unknown_link_cannot_be_answered(ana: Mutuality) -> None:
    made = ana.checkins.make_link("ana")
    with ana.database.engine.begin() as connection:
        connection.execute(
            text("UPDATE checkin_links SET expires_at = :when"),
            {"when": datetime.now(UTC).replace(tzinfo=None) - timedelta(minutes=5)},
        )
    before = snapshot(ana)
    for token in (made.token, secrets.token_urlsafe(32), "not a token"):
        with pytest.raises(NotFound):
            answer(ana, token)
    assert snapshot(ana) == before


def test_a_link_expires_by_the_clock(ana: Mutuality) -> None:
    def later(hours: int) -> Mutuality:
        real = ana.context.now
        return Mutuality.within(replace(ana.context, now=lambda: real() + timedelta(hours=hours)))

    made = ana.checkins.make_link("ana", days=1)
    assert later(23).checkins.link_first_name(made.token) == "Me"
    with pytest.raises(NotFound):
        later(25).checkins.link_first_name(made.token)
    with pytest.raises(NotFound):
        answer(later(25), made.token)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"satisfaction": 0}, "satisfaction"),
        ({"satisfaction": 6}, "satisfaction"),
        ({"equity": 3}, "equity"),
        ({"better": "b" * (TEXT_LIMIT + 1)}, "what would make it better"),
        ({"message": "m" * (TEXT_LIMIT + 1)}, "message"),
    ],
)
def test_bad_answers_are_refused_and_leave_the_link_usable(ana: Mutuality, kwargs, field) -> None:
    made = ana.checkins.make_link("ana")
    before = snapshot(ana)
    with pytest.raises(InvalidInput) as raised:
        answer(ana, made.token, **kwargs)
    assert raised.value.field == field
    assert snapshot(ana) == before
    assert ana.checkins.link_first_name(made.token) == "Me"
    answer(ana, made.token)
    assert len(ana.checkins.list("ana")) == 1


def test_answers_at_the_text_limit_are_kept(ana: Mutuality) -> None:
    made = ana.checkins.make_link("ana")
    answer(ana, made.token, better="b" * TEXT_LIMIT, message="m" * TEXT_LIMIT)
    [record] = ana.checkins.list("ana")
    assert len(record.their_better or "") == len(record.message or "") == TEXT_LIMIT


def test_reading_a_link_does_not_consume_it(ana: Mutuality) -> None:
    made = ana.checkins.make_link("ana")
    for _ in range(3):
        assert ana.checkins.link_first_name(made.token) == "Me"
    answer(ana, made.token)
    assert len(ana.checkins.list("ana")) == 1


def concurrent_answers(path: Path, token: str, threads: int, share: Mutuality | None) -> list:
    barrier = threading.Barrier(threads)
    results: list = [None] * threads

    def work(index: int) -> None:
        app = share or Mutuality(Database.open(str(path)), Settings(), today=lambda: TODAY)
        try:
            barrier.wait()
            app.checkins.answer_link(
                token, satisfaction=1 + index % 5, better=f"#{index}", equity=None, message=None
            )
            results[index] = "ok"
        except MutualityError as error:
            results[index] = error
        except Exception as error:  # anything else is a failure of the test
            results[index] = error
        finally:
            if share is None:
                app.close()

    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    return results


@pytest.mark.parametrize("shared", [False, True], ids=["one-app-per-thread", "one-shared-app"])
def test_ten_concurrent_answers_exactly_one_wins(ana: Mutuality, shared: bool) -> None:
    made = ana.checkins.make_link("ana")
    path = Path(ana.database.path)
    results = concurrent_answers(path, made.token, 10, ana if shared else None)
    assert results.count("ok") == 1, results
    losers = [r for r in results if r != "ok"]
    assert all(isinstance(r, Conflict) and "already answered" in r.message for r in losers), losers
    [record] = ana.checkins.list("ana")
    assert record.source == "link"
    [row] = link_rows(ana)
    assert row["checkin_id"] == record.id


def test_a_link_answer_is_dated_by_the_apps_today(tmp_path: Path) -> None:
    local_today = datetime.now(UTC).date() - timedelta(days=1)  # e.g. 19:00 in New York
    with open_app(tmp_path / "west.db", today=local_today) as west:
        west.people.add("Ana Lima")
        made = west.checkins.make_link("ana")
        answer(west, made.token)
        [record] = west.checkins.list("ana")
        assert record.on == west.today()


def test_no_token_in_debug_logs(ana: Mutuality, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")  # SQL and its parameters
    made = ana.checkins.make_link("ana")
    ana.checkins.link_first_name(made.token)
    answer(ana, made.token, message="CANARY-message")
    with pytest.raises(Conflict):
        answer(ana, made.token)
    logged = caplog.text
    assert "INSERT INTO checkin_links" in logged  # the SQL and its parameters were logged
    assert token_hash(made.token) in logged
    assert made.token not in logged


def test_forgetting_a_person_removes_their_checkins_links_and_follow_ups(ana: Mutuality) -> None:
    ana.people.add("Bo Chen")
    ana.checkins.record("ana", note="CANARY-note", follow_ups=(FollowUp("CANARY-promise"),))
    ana.checkins.record("bo", my_satisfaction=4, follow_ups=(FollowUp("Bo's follow-up"),))
    answered = ana.checkins.make_link("ana")
    answer(ana, answered.token, message="CANARY-message")
    pending = ana.checkins.make_link("ana")
    ana.people.forget("ana")
    with pytest.raises(NotFound):
        ana.checkins.link_first_name(pending.token)
    assert link_rows(ana) == []
    data = snapshot(ana)
    assert "CANARY" not in repr(data)
    assert [c.text for c in ana.commitments.list()] == ["Bo's follow-up"]
    assert [c.my_satisfaction for c in ana.checkins.list("bo")] == [4]
