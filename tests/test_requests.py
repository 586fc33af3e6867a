"""Requests and commitments: the seeds' rule for what to say yes to, and keeping promises.

The rule (:mod:`mutuality.core.requests`) is checked by hand-worked cases for each quadrant and
each modifier, directly and through :meth:`RequestService.ask`, and by properties over the
whole 0-10 grid. The services are checked for what a decision writes (a commitment, an open
need), follow-through, capacity, the decline draft, and bad input that must write nothing.

Today is Monday 2026-11-23 in the ``app`` fixture: the current month is 1-30 November, the
current week 23-29 November.
"""

from __future__ import annotations

import json
import math
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, open_app, owner_id
from hypothesis import given, settings
from hypothesis import strategies as st

from mutuality.core.capacity import hours_from_cost
from mutuality.core.errors import Conflict, InvalidInput, MutualityError, NotFound
from mutuality.core.health_rules import Action, Status
from mutuality.core.model import Intent
from mutuality.core.requests import (
    FAVOUR,
    Decision,
    Factor,
    FollowThrough,
    RequestRule,
    Situation,
    Standing,
    factors_of,
    ordinal,
    propose,
)
from mutuality.services.app import Mutuality
from mutuality.services.requests import DEFAULT_DUE_DAYS
from mutuality.services.settings import Settings

YES, NO = Decision.YES, Decision.NO
NEGOTIATE, LATER = Decision.NEGOTIATE, Decision.LATER

# The relationship as `next` judges it (its health verdict), one of each kind the rule weighs.
NEUTRAL = None
"""No verdict: the relationship is not weighed."""
IN_STEP = Standing(Status.BALANCED, Action.CHECK_IN, balance=0.1)
RECEIVED_MORE = Standing(Status.OVER_RECEIVING, Action.GIVE_BACK, balance=-0.6)
GAVE_MORE = Standing(Status.OVER_GIVING, Action.INVITE, balance=0.4)
"""Over-giving, and `next` says: invite them to give back their way."""
SAY_NO = Standing(Status.OVER_GIVING, Action.SAY_NO_KINDLY, balance=0.8)
"""Over-giving with my budget at risk: `next` says say no kindly."""
PAUSE = Standing(Status.OVER_GIVING, Action.PAUSE_GIVING, balance=0.9)
"""Over-giving that costs me: `next` says pause giving."""
CARE = Standing(Status.UNEVEN_BY_CHOICE, Action.CHECK_IN, Intent.CARE, balance=0.9)
CARE_STRAINED = Standing(
    Status.UNEVEN_BY_CHOICE, Action.LOOK_AFTER_YOURSELF, Intent.CARE, balance=0.9
)
MENTORING = Standing(Status.UNEVEN_BY_CHOICE, Action.CHECK_IN, Intent.MENTORING, balance=-0.7)
SERVICE = Standing(Status.UNEVEN_BY_CHOICE, Action.CHECK_IN, Intent.SERVICE, balance=1.0)
CLOSE = Standing(Status.UNEVEN_BY_CHOICE, Action.CHECK_IN, Intent.CLOSE, balance=-0.5)
STANDINGS = [
    NEUTRAL,
    IN_STEP,
    RECEIVED_MORE,
    GAVE_MORE,
    SAY_NO,
    PAUSE,
    CARE,
    CARE_STRAINED,
    MENTORING,
    SERVICE,
    CLOSE,
]
NOT_RECIPROCAL = [CARE, CARE_STRAINED, MENTORING, SERVICE, CLOSE]
IMBALANCE = "give more than you receive"

CANARY = "CANARY-7f3a-private"

Ledger = Callable[[str], Any]


@pytest.fixture(scope="module")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database with its schema made, once per module."""
    path = tmp_path_factory.mktemp("requests") / "empty.db"
    open_app(path).close()
    return path


def _copy(template: Path, path: Path) -> Path:
    shutil.copyfile(template, path)
    path.chmod(0o600)
    return path


@pytest.fixture
def app(tmp_path: Path, empty_template: Path) -> Iterator[Mutuality]:
    """conftest's ``app`` (an empty app, today 2026-11-23), started from a copy of an empty
    template rather than by making the schema again for each of the many tests here."""
    opened = open_app(_copy(empty_template, tmp_path / "t.db"))
    try:
        yield opened
    finally:
        opened.close()


def snapshot(app: Mutuality) -> str:
    return json.dumps(app.backups.snapshot(), sort_keys=True, default=str)


def needs(app: Mutuality) -> list[dict[str, Any]]:
    return app.backups.snapshot()["needs"]


def exchange(app: Mutuality, exchange_id: int | None) -> dict[str, Any]:
    return next(e for e in app.backups.snapshot()["exchanges"] if e["id"] == exchange_id)


def person_id(app: Mutuality, name: str) -> int:
    return app.people.get(name).person.id


def has_words(text: str, *words: str) -> bool:
    return all(word.lower() in text.lower() for word in words)


# --- the rule, hand-worked: base quadrants -----------------------------------------------------

BASE_CASES = [
    # (benefit, cost, decision, key words of the reason)
    pytest.param(8, 2, YES, ("big benefit", "minor cost", "easy yes"), id="easy-yes"),
    pytest.param(5, 3, YES, ("easy yes",), id="easy-yes-at-thresholds"),
    pytest.param(2, 8, NO, ("small benefit", "major cost", "easy no"), id="easy-no"),
    pytest.param(3, 6, NO, ("easy no",), id="easy-no-at-thresholds"),
    pytest.param(8, 8, NEGOTIATE, ("costs you a lot", "third option"), id="conflict"),
    pytest.param(5, 6, NEGOTIATE, ("third option",), id="conflict-at-thresholds"),
    pytest.param(2, 1, YES, ("small favour", "at least as much"), id="both-small-yes"),
    pytest.param(2, 2, YES, ("small favour", "at least as much"), id="both-small-equal-yes"),
    pytest.param(1, 2, NO, ("small favour", "costs you more"), id="both-small-no"),
    pytest.param(9, 4, YES, ("at least 2 times what it costs you",), id="between-clear-yes"),
    pytest.param(8, 4, YES, ("at least 2 times",), id="between-yes-at-ratio"),
    pytest.param(4, 1, YES, ("at least 2 times",), id="between-yes-small-cost"),
    pytest.param(1, 4, NO, ("at least 2 times what it gives them",), id="between-clear-no"),
    pytest.param(4, 8, NO, ("at least 2 times what it gives them",), id="between-no-at-ratio"),
    pytest.param(5, 4, NEGOTIATE, ("close", "third option"), id="between-close"),
    pytest.param(4, 5, NEGOTIATE, ("close",), id="between-close-cost-above"),
]


@pytest.mark.parametrize(("benefit", "cost", "expected", "words"), BASE_CASES)
def test_base_quadrants(benefit: float, cost: float, expected: Decision, words) -> None:
    proposal = propose(benefit, cost, Situation())
    assert proposal.decision is expected
    assert proposal.base is expected
    assert has_words(proposal.reason, *words), proposal.reason
    assert f"benefit to them {benefit:g}, cost to you {cost:g}" in proposal.reason


# --- the rule, hand-worked: modifiers ------------------------------------------------------------

MODIFIER_CASES = [
    # (benefit, cost, situation, base, decision, key words)
    pytest.param(
        8,
        2,
        Situation(boundary="money"),
        YES,
        NO,
        ("money", "do not give", "boundary"),
        id="boundary-turns-an-easy-yes-into-no",
    ),
    pytest.param(
        8,
        8,
        Situation(boundary="time", standing=RECEIVED_MORE),
        NEGOTIATE,
        NO,
        ("time", "boundary"),
        id="boundary-beats-the-relationship",
    ),
    pytest.param(
        8,
        2,
        Situation(capacity_left=0),
        YES,
        LATER,
        ("used up", "keep it in mind"),
        id="capacity-used-up-yes-becomes-later",
    ),
    pytest.param(
        8,
        8,
        Situation(capacity_left=-3),
        NEGOTIATE,
        LATER,
        ("used up",),
        id="capacity-overdrawn-negotiate-becomes-later",
    ),
    pytest.param(
        2,
        8,
        Situation(capacity_left=0),
        NO,
        NO,
        ("easy no",),
        id="capacity-used-up-leaves-a-no",
    ),
    pytest.param(
        8,
        2,
        Situation(capacity_left=1.5),
        YES,
        NEGOTIATE,
        ("over budget", "1.5 left", "smaller version"),
        id="would-exceed-yes-becomes-negotiate",
    ),
    pytest.param(
        8,
        2,
        Situation(capacity_left=1.5, load=1.0),
        YES,
        YES,
        ("easy yes",),
        id="load-within-what-is-left-stays-yes",
    ),
    pytest.param(
        8,
        1,
        Situation(capacity_left=0.5, load=2.0),
        YES,
        NEGOTIATE,
        ("over budget",),
        id="load-not-cost-is-weighed",
    ),
    pytest.param(
        8,
        8,
        Situation(capacity_left=1),
        NEGOTIATE,
        NEGOTIATE,
        ("third option",),
        id="would-exceed-leaves-a-negotiate",
    ),
    pytest.param(
        5,
        4,
        Situation(standing=RECEIVED_MORE),
        NEGOTIATE,
        YES,
        ("received much", "towards yes"),
        id="over-receiving-negotiate-becomes-yes",
    ),
    pytest.param(
        2,
        8,
        Situation(standing=RECEIVED_MORE),
        NO,
        NEGOTIATE,
        ("received much",),
        id="over-receiving-no-becomes-negotiate",
    ),
    pytest.param(
        8,
        2,
        Situation(standing=RECEIVED_MORE),
        YES,
        YES,
        ("easy yes",),
        id="over-receiving-yes-stays-yes",
    ),
    pytest.param(
        9,
        4,
        Situation(standing=PAUSE),
        YES,
        NEGOTIATE,
        ("give more than you receive", "pause giving", "work for you too"),
        id="pause-giving-costly-yes",
    ),
    pytest.param(
        8,
        3,
        Situation(standing=PAUSE),
        YES,
        YES,
        ("easy yes", "give more than you receive", "pause giving", "minor favour"),
        id="pause-giving-minor-yes-stays-yes-and-says-why",
    ),
    pytest.param(
        2,
        8,
        Situation(standing=PAUSE),
        NO,
        NO,
        ("easy no", "pause giving"),
        id="pause-giving-leaves-a-no",
    ),
    pytest.param(
        8,
        2,
        Situation(standing=SAY_NO),
        YES,
        NEGOTIATE,
        (
            "easy yes",
            "give more than you receive",
            "budget is at risk",
            "say no kindly",
            "third option",
        ),
        id="say-no-kindly-even-an-easy-yes-becomes-negotiate",
    ),
    pytest.param(
        4,
        3,
        Situation(standing=SAY_NO, capacity_left=0),
        YES,
        LATER,
        ("say no kindly", "used up"),
        id="say-no-kindly-with-the-budget-used-up-is-later",
    ),
    pytest.param(
        5,
        4,
        Situation(standing=SAY_NO),
        NEGOTIATE,
        NEGOTIATE,
        ("say no kindly",),
        id="say-no-kindly-leaves-a-negotiate",
    ),
    pytest.param(
        9,
        4,
        Situation(standing=GAVE_MORE),
        YES,
        YES,
        ("give more than you receive", "invite them to give back in their own way"),
        id="invite-keeps-the-yes-and-says-so",
    ),
    pytest.param(
        2,
        8,
        Situation(standing=GAVE_MORE),
        NO,
        NO,
        ("easy no", "invite them to give back"),
        id="invite-keeps-the-no",
    ),
    pytest.param(
        5,
        4,
        Situation(standing=CARE),
        NEGOTIATE,
        NEGOTIATE,
        ("in a time of care, nothing is owed back", "only your capacity"),
        id="care-no-imbalance-modifier",
    ),
    pytest.param(
        9,
        4,
        Situation(standing=SERVICE),
        YES,
        YES,
        ("service given by choice", "nothing is owed back"),
        id="service-a-costly-yes-stays-yes",
    ),
    pytest.param(
        5,
        4,
        Situation(standing=MENTORING),
        NEGOTIATE,
        NEGOTIATE,
        ("in mentoring", "nothing is owed back"),
        id="mentoring-receiving-more-does-not-lean",
    ),
    pytest.param(
        8,
        2,
        Situation(standing=CARE_STRAINED, capacity_left=0),
        YES,
        LATER,
        ("time of care", "give what you can sustain", "used up"),
        id="care-only-capacity-moves-it",
    ),
    pytest.param(
        5,
        4,
        Situation(capacity_left=0, standing=RECEIVED_MORE),
        NEGOTIATE,
        LATER,
        ("received much", "used up"),
        id="capacity-has-the-last-word-used-up",
    ),
    pytest.param(
        5,
        4,
        Situation(capacity_left=2, standing=RECEIVED_MORE),
        NEGOTIATE,
        NEGOTIATE,
        ("received much", "over budget", "2.0 left"),
        id="capacity-has-the-last-word-exceeds",
    ),
]


@pytest.mark.parametrize(
    ("benefit", "cost", "situation", "base", "expected", "words"), MODIFIER_CASES
)
def test_modifiers(benefit, cost, situation, base, expected, words) -> None:
    proposal = propose(benefit, cost, situation)
    assert proposal.base is base
    assert proposal.decision is expected
    assert has_words(proposal.reason, *words), proposal.reason


def test_the_thresholds_are_the_rules() -> None:
    strict = RequestRule(big_benefit=9, small_benefit=1, minor_cost=1, major_cost=9, clear_ratio=3)
    assert propose(5, 2, Situation()).decision is YES
    assert propose(5, 2, Situation(), strict).decision is NEGOTIATE  # 5 < 3 * 2: close
    assert propose(9, 1, Situation(), strict).decision is YES
    assert propose(6, 2, Situation(), strict).decision is YES  # 6 >= 3 * 2
    assert "3 times" in propose(6, 2, Situation(), strict).reason
    assert propose(9, 2, Situation(standing=PAUSE)).decision is YES  # 2 <= 3
    assert propose(9, 2, Situation(standing=PAUSE), strict).decision is NEGOTIATE  # 2 > 1


@pytest.mark.parametrize(
    "kwargs",
    [
        {"small_benefit": 5, "big_benefit": 5},
        {"small_benefit": -1},
        {"big_benefit": 11},
        {"minor_cost": 6, "major_cost": 6},
        {"clear_ratio": 1},
    ],
)
def test_rule_thresholds_are_checked(kwargs) -> None:
    with pytest.raises(InvalidInput):
        RequestRule(**kwargs)


# --- the rule, through app.requests.ask ----------------------------------------------------------

# Two gifts, the first months ago: no longer a new relationship, so `next` judges its balance
# (over-receiving: thank them; over-giving that costs me far past the band: pause giving).
OVER_RECEIVING = """
got "Ana Lima" knowledge 2026-08-01 benefit=8 cost=1 "Feedback on my pitch"
got "Ana Lima" knowledge 2026-11-01 benefit=8 cost=1 "Intro to her editor"
"""
OVER_GIVING = """
gave "Ana Lima" knowledge 2026-08-01 benefit=8 cost=1 "Reviewed her CV"
gave "Ana Lima" knowledge 2026-11-01 benefit=8 cost=1 "Reviewed her deck"
"""
NEW_AND_GIVING = 'gave "Ana Lima" knowledge 2026-11-01 benefit=8 cost=1 "Reviewed her deck"'
"""One gift this month: a new relationship, where `next` says check in, not pause giving."""


def _use_up(app: Mutuality, ledger: Ledger, budget: float, spent: float) -> None:
    """A monthly budget of ``budget`` points with ``spent`` already given (to someone else)."""
    app.capacity.set(budget, "points", "month")
    ledger(f'gave "Cy Park" time 2026-11-10 benefit=3 cost={spent} "Helped him move"')


ASK_CASES = [
    # (setup, benefit, cost, kind, proposal, key words)
    pytest.param("", 8, 2, None, YES, ("easy yes",), id="easy-yes"),
    pytest.param("", 2, 8, None, NO, ("easy no",), id="easy-no"),
    pytest.param("", 8, 8, None, NEGOTIATE, ("third option",), id="conflict"),
    pytest.param("", 2, 1, None, YES, ("small favour",), id="both-small-yes"),
    pytest.param("", 1, 2, None, NO, ("costs you more",), id="both-small-no"),
    pytest.param("", 9, 4, None, YES, ("2 times what it costs you",), id="between-yes"),
    pytest.param("", 1, 4, None, NO, ("2 times what it gives them",), id="between-no"),
    pytest.param("", 5, 4, None, NEGOTIATE, ("close",), id="between-close"),
    pytest.param("boundary", 8, 2, "money", NO, ("money", "boundary"), id="boundary"),
    pytest.param("boundary", 8, 2, "time", YES, ("easy yes",), id="not-a-boundary-kind"),
    pytest.param("used-up", 8, 2, None, LATER, ("used up",), id="capacity-used-up"),
    pytest.param(
        "one-left", 8, 2, None, NEGOTIATE, ("over budget", "1.0 left"), id="would-exceed-budget"
    ),
    pytest.param("one-left", 8, 1, None, YES, ("easy yes",), id="fits-the-budget"),
    pytest.param(
        "over-receiving", 5, 4, None, YES, ("received much",), id="over-receiving-leans-yes"
    ),
    pytest.param(
        "over-receiving",
        2,
        8,
        None,
        NEGOTIATE,
        ("received much",),
        id="over-receiving-no-to-negotiate",
    ),
    pytest.param(
        "over-giving",
        9,
        4,
        None,
        NEGOTIATE,
        ("give more than you receive",),
        id="over-giving-costly-yes",
    ),
    pytest.param(
        "over-giving", 8, 2, None, YES, ("easy yes", "pause giving"), id="over-giving-minor-yes"
    ),
    pytest.param(
        "new", 9, 4, None, YES, ("reciprocal", "balance +1.00"), id="new-tie-next-says-check-in"
    ),
    pytest.param(
        "over-receiving+used-up",
        5,
        4,
        None,
        LATER,
        ("received much", "used up"),
        id="capacity-last-word-over-relationship",
    ),
    pytest.param(
        "over-receiving+two-left",
        5,
        4,
        None,
        NEGOTIATE,
        ("received much", "over budget"),
        id="capacity-last-word-exceeds",
    ),
]


@pytest.mark.parametrize(("setup", "benefit", "cost", "kind", "expected", "words"), ASK_CASES)
def test_ask_proposes_by_the_rule(
    app: Mutuality,
    ledger: Ledger,
    setup: str,
    benefit: float,
    cost: float,
    kind: str | None,
    expected: Decision,
    words,
) -> None:
    app.people.add("Ana Lima")
    for part in setup.split("+") if setup else []:
        if part == "boundary":
            app.capacity.set(50, boundaries=("money",))
        elif part == "used-up":
            _use_up(app, ledger, 5, 5)
        elif part == "one-left":
            _use_up(app, ledger, 5, 4)
        elif part == "two-left":
            _use_up(app, ledger, 5, 3)
        elif part == "over-receiving":
            ledger(OVER_RECEIVING)
        elif part == "over-giving":
            ledger(OVER_GIVING)
        elif part == "new":
            ledger(NEW_AND_GIVING)
    request = app.requests.ask("ana", "Review my grant", benefit=benefit, cost=cost, kind=kind)
    assert request.proposal is expected, request.proposal_reason
    assert has_words(request.proposal_reason, *words), request.proposal_reason
    assert request.status == "open" and request.decision is None
    assert request.made_on == TODAY and not request.from_me
    assert app.requests.get(request.id) == request


def test_an_hours_budget_weighs_the_request_in_hours(app: Mutuality, ledger: Ledger) -> None:
    app.people.add("Ana Lima")
    app.capacity.set(2, "hours", "week")
    ledger('gave "Cy Park" time 2026-11-23 benefit=3 cost=3 hours=1.8 "Helped him move"')
    # 0.2 hours left: cost 2 is half an hour (too much), cost 1 six minutes (fits)
    assert hours_from_cost(2) == pytest.approx(0.5) and hours_from_cost(1) == pytest.approx(0.1)
    over = app.requests.ask("ana", "Half an hour", benefit=8, cost=2)
    assert over.proposal is NEGOTIATE and "0.2 left" in over.proposal_reason
    fits = app.requests.ask("ana", "Five minutes", benefit=8, cost=1)
    assert fits.proposal is YES


def test_a_commitment_of_mine_takes_from_the_budget_of_the_next_request(app: Mutuality) -> None:
    app.people.add("Ana Lima")
    app.capacity.set(5)
    first = app.requests.ask("ana", "Review my grant", benefit=9, cost=4, due="in 5 days")
    assert first.proposal is YES
    app.requests.decide(first.id)
    second = app.requests.ask("ana", "And my CV", benefit=8, cost=2)
    assert second.proposal is NEGOTIATE and "1.0 left" in second.proposal_reason
    app.requests.decide(second.id, "yes", due="in 6 days")
    third = app.requests.ask("ana", "And my cover letter", benefit=8, cost=1)
    assert third.proposal is LATER  # 5 - 4 - 2 < 0


def test_a_request_from_me_is_weighed_from_their_side(app: Mutuality, ledger: Ledger) -> None:
    app.people.add("Ana Lima")
    _use_up(app, ledger, 5, 5)
    app.capacity.set(5, boundaries=("money",))
    # my capacity and boundaries are mine, not theirs
    mine = app.requests.ask("ana", "A loan", benefit=8, cost=2, kind="money", from_me=True)
    assert mine.proposal is YES and mine.from_me
    # the words speak from their side: the benefit is mine, the cost theirs
    assert "benefit to you 8, cost to them 2" in mine.proposal_reason
    assert "A big benefit to you for a minor cost to them" in mine.proposal_reason
    # I already gave her much: from where she stands she received more, so lean towards yes
    ledger(OVER_GIVING)
    leaning = app.requests.ask("ana", "Coffee chat", benefit=5, cost=4, from_me=True)
    assert leaning.proposal is YES
    assert "They have received much from you" in leaning.proposal_reason
    # while her asking me the same is weighed against my (used up) budget
    assert app.requests.ask("ana", "Coffee chat", benefit=5, cost=4).proposal is LATER


def test_a_request_from_me_when_they_already_gave_much(app: Mutuality, ledger: Ledger) -> None:
    app.people.add("Ana Lima")
    ledger(OVER_RECEIVING)
    request = app.requests.ask("ana", "A long call", benefit=9, cost=4, from_me=True)
    assert request.proposal is NEGOTIATE
    assert "They already give more than they receive" in request.proposal_reason
    assert "cost to them 4" in request.proposal_reason


# --- properties over the whole scale -------------------------------------------------------------

GRID = [n / 10 for n in range(101)]
on_grid = st.integers(0, 100).map(lambda n: n / 10)
any_points = st.floats(0, 10, allow_nan=False)
points = st.one_of(on_grid, any_points)
situations = st.builds(
    Situation,
    boundary=st.sampled_from([None, "money", "time"]),
    capacity_left=st.one_of(
        st.none(),
        st.sampled_from([0.0, -1.0, 0.5, 2.0, 100.0]),
        st.floats(-20, 20, allow_nan=False),
    ),
    load=st.one_of(st.none(), st.floats(0, 40, allow_nan=False)),
    standing=st.sampled_from(STANDINGS),
)


@st.composite
def rules(draw) -> RequestRule:
    small = draw(st.integers(0, 90))
    big = draw(st.integers(small + 1, 100))
    minor = draw(st.integers(0, 90))
    major = draw(st.integers(minor + 1, 100))
    ratio = draw(st.sampled_from([1.5, 2.0, 3.0]))
    return RequestRule(big / 10, small / 10, minor / 10, major / 10, ratio)


def favour(
    benefit: float, cost: float, situation: Situation, rule: RequestRule | None = None
) -> int:
    return FAVOUR[propose(benefit, cost, situation, rule).decision]


@settings(max_examples=400, deadline=None)
@given(a=points, b=points, cost=points, situation=situations)
def test_raising_the_benefit_never_turns_a_yes_into_a_no(a, b, cost, situation) -> None:
    low, high = sorted((a, b))
    before = propose(low, cost, situation).decision
    after = propose(high, cost, situation).decision
    assert not (before is YES and after is NO), (low, high, cost, situation)


@settings(max_examples=400, deadline=None)
@given(a=points, b=points, benefit=points, situation=situations)
def test_raising_my_cost_never_turns_a_no_into_a_yes(a, b, benefit, situation) -> None:
    low, high = sorted((a, b))
    before = propose(benefit, low, situation).decision
    after = propose(benefit, high, situation).decision
    assert not (before is NO and after is YES), (benefit, low, high, situation)


@settings(max_examples=200, deadline=None)
@given(a=on_grid, b=on_grid, other=on_grid, situation=situations, rule=rules())
def test_yes_and_no_stay_apart_under_any_thresholds(a, b, other, situation, rule) -> None:
    low, high = sorted((a, b))
    by_benefit = (
        propose(low, other, situation, rule).decision,
        propose(high, other, situation, rule).decision,
    )
    assert by_benefit != (YES, NO)
    by_cost = (
        propose(other, low, situation, rule).decision,
        propose(other, high, situation, rule).decision,
    )
    assert by_cost != (NO, YES)


@settings(max_examples=300, deadline=None)
@given(benefit=points, cost=points, situation=situations)
def test_each_modifier_moves_one_way_only(benefit, cost, situation) -> None:
    base = propose(benefit, cost, Situation())
    assert propose(benefit, cost, situation).base is base.decision
    if situation.boundary is not None:
        assert propose(benefit, cost, situation).decision is NO
    standing = situation.standing
    leaned = propose(benefit, cost, Situation(standing=standing)).decision
    if standing is RECEIVED_MORE:  # one step towards yes
        assert leaned is {NO: NEGOTIATE, NEGOTIATE: YES, YES: YES}[base.decision]
    elif base.decision is YES and (standing is SAY_NO or (standing is PAUSE and cost > 3)):
        assert leaned is NEGOTIATE
    else:  # in step, invited to give back, or a tie of another intent: as benefit and cost say
        assert leaned is base.decision
    with_leaning = FAVOUR[leaned]
    # capacity has the last word, and it only ever holds back
    no_boundary = Situation(None, situation.capacity_left, situation.load, standing)
    assert favour(benefit, cost, no_boundary) <= with_leaning
    if situation.capacity_left is not None and situation.capacity_left <= 0:
        assert propose(benefit, cost, no_boundary).decision in (NO, LATER)


GRID_SITUATIONS = [
    Situation(boundary, left, load, standing)
    for boundary in (None, "money")
    for left, load in ((None, None), (0.0, None), (1.5, None), (4.0, 0.5))
    for standing in (NEUTRAL, RECEIVED_MORE, GAVE_MORE, SAY_NO, PAUSE, CARE)
]


def _drops(
    step: Callable[[float, float], tuple[float, float]],
    situation: Situation,
    worse: Callable[[int, int], bool],
) -> list[tuple[float, float, float, float]]:
    """Adjacent grid points where one step of the moving value makes the decision ``worse``:
    (moving from, moving to, the fixed value, situation)."""
    found = []
    for fixed in GRID:
        previous = None
        for moving in GRID:
            benefit, cost = step(moving, fixed)
            now = favour(benefit, cost, situation)
            if previous is not None and worse(previous[1], now):
                found.append((previous[0], moving, fixed, situation))
            previous = (moving, now)
    return found


def test_yes_never_becomes_no_along_the_whole_grid() -> None:
    for situation in GRID_SITUATIONS:
        for benefit in GRID:  # raising the cost: once a no, never a yes again
            seen_no = False
            for cost in GRID:
                decision = propose(benefit, cost, situation).decision
                assert not (seen_no and decision is YES), (benefit, cost, situation)
                seen_no = seen_no or decision is NO
        for cost in GRID:  # raising the benefit: once a yes, never a no again
            seen_yes = False
            for benefit in GRID:
                decision = propose(benefit, cost, situation).decision
                assert not (seen_yes and decision is NO), (benefit, cost, situation)
                seen_yes = seen_yes or decision is YES


FAVOUR_BUG = (
    "core/requests.py _base: at the edge of the 'both small' quadrant the ratio changes from 1 "
    "(B >= C) to clear_ratio, so B=3, C=3 is yes but B=3.1, C=3 is negotiate (raising the "
    "benefit lowers FAVOUR), and B=2.9, C=3 is no but B=2.9, C=3.1 is negotiate (raising the "
    "cost raises FAVOUR; with over-receiving it goes negotiate -> yes)"
)


def test_raising_the_benefit_never_lowers_the_favour_order() -> None:
    drops = [
        drop
        for situation in GRID_SITUATIONS
        for drop in _drops(lambda b, c: (b, c), situation, lambda before, now: now < before)
    ]
    assert drops == [], f"{len(drops)} drops, first {drops[0]}"


def test_raising_my_cost_never_raises_the_favour_order() -> None:
    rises = [
        rise
        for situation in GRID_SITUATIONS
        for rise in _drops(lambda c, b: (b, c), situation, lambda before, now: now > before)
    ]
    assert rises == [], f"{len(rises)} rises, first {rises[0]}"


@pytest.mark.parametrize(
    ("low", "high", "standing"),
    [
        ((3.0, 3.0), (3.1, 3.0), NEUTRAL),  # yes -> negotiate as the benefit rises
        ((3.0, 2.0), (3.5, 2.0), NEUTRAL),  # yes -> negotiate
        ((2.9, 3.0), (2.9, 3.1), NEUTRAL),  # no -> negotiate as my cost rises
        ((2.9, 3.0), (2.9, 3.1), RECEIVED_MORE),  # negotiate -> yes as my cost rises
    ],
)
def test_favour_order_at_the_edge_of_both_small(low, high, standing) -> None:
    """The 'coffee chat' of docs/requests.md (B=4, C=3: negotiate) next to B=3, C=3 (yes)."""
    situation = Situation(standing=standing)
    if high[0] > low[0]:  # more benefit: at least as favourable
        assert favour(*high, situation) >= favour(*low, situation)
    else:  # more cost: at most as favourable
        assert favour(*high, situation) <= favour(*low, situation)


# --- one rule with `next`: the relationship's verdict -------------------------------------------


@pytest.mark.parametrize("standing", [SAY_NO, PAUSE], ids=["say-no-kindly", "pause-giving"])
@pytest.mark.parametrize("left", [None, 0.0, 1.5, 100.0])
def test_never_a_plain_yes_when_next_says_hold_back(standing: Standing, left) -> None:
    """When `next` says "say no kindly" or "pause giving", no proposal over the whole grid is
    a yes that does not name the imbalance and what `next` says."""
    said = "say no kindly" if standing is SAY_NO else "pause giving"
    for benefit in GRID[::2]:
        for cost in GRID[::2]:
            proposal = propose(benefit, cost, Situation(capacity_left=left, standing=standing))
            if standing is SAY_NO:
                assert proposal.decision is not YES, (benefit, cost, proposal.reason)
            if proposal.decision is YES:
                assert IMBALANCE in proposal.reason and said in proposal.reason, proposal.reason


@pytest.mark.parametrize("standing", NOT_RECIPROCAL, ids=lambda s: s.intent.value + s.action)
@pytest.mark.parametrize("left", [None, 0.0, 1.5])
def test_a_tie_of_another_intent_is_moved_by_my_capacity_only(standing: Standing, left) -> None:
    """Care, mentoring, service, close: no imbalance modifier, whichever way the balance
    leans; the reason names the intent, and only capacity moves the proposal."""
    for benefit in GRID[::4]:
        for cost in GRID[::4]:
            proposal = propose(benefit, cost, Situation(capacity_left=left, standing=standing))
            alone = propose(benefit, cost, Situation(capacity_left=left))
            assert proposal.decision is alone.decision, (benefit, cost, proposal.reason)
            assert "nothing is owed back" in proposal.reason or "nobody keeps count" in (
                proposal.reason
            )
            assert IMBALANCE not in proposal.reason and "lean towards yes" not in proposal.reason


def test_the_reason_names_the_intent_and_the_balance() -> None:
    assert "The relationship: reciprocal, balance +0.80 (you give more)." in (
        propose(8, 2, Situation(standing=SAY_NO)).reason
    )
    assert "The relationship: reciprocal, balance -0.60 (you receive more)." in (
        propose(8, 2, Situation(standing=RECEIVED_MORE)).reason
    )
    assert (
        "In a time of care, nothing is owed back" in propose(8, 2, Situation(standing=CARE)).reason
    )
    assert "a time of care, balance +0.90 (you give more, which is not judged)" in (
        propose(8, 2, Situation(standing=CARE)).reason
    )
    assert "a close tie, balance -0.50" in propose(8, 2, Situation(standing=CLOSE)).reason
    nothing = Standing(Status.QUIET, Action.CHECK_IN)
    assert "reciprocal, nothing of value logged yet" in (
        propose(8, 2, Situation(standing=nothing)).reason
    )
    assert "The relationship" not in propose(8, 2, Situation()).reason  # not weighed


@pytest.mark.parametrize(
    ("asks", "from_me", "expected"),
    [
        (0, False, None),
        (1, False, None),
        (2, False, "This is their 2nd ask in 90 days."),
        (6, False, "This is their 6th ask in 90 days."),
        (23, False, "This is their 23rd ask in 90 days."),
        (3, True, "This is your 3rd ask of them in 90 days."),
    ],
)
def test_the_reason_counts_their_asks(asks: int, from_me: bool, expected: str | None) -> None:
    for situation in (
        Situation(asks=asks, asked_by_me=from_me),
        Situation(boundary="money", asks=asks, asked_by_me=from_me),
    ):
        reason = propose(8, 2, situation).reason
        if expected is None:
            assert "ask in" not in reason and "ask of them" not in reason
        else:
            assert expected in reason, reason


def test_ordinals() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "101st",
        "111th",
    ]


@settings(max_examples=300, deadline=None)
@given(benefit=points, cost=points, situation=situations)
def test_the_factors_can_be_read_back_from_the_reason(benefit, cost, situation) -> None:
    """A stored proposal keeps only its reason: the factors a decline may give are read back
    from it, and they are exactly the ones the rule used."""
    proposal = propose(benefit, cost, situation)
    assert set(factors_of(proposal.reason, benefit, cost)) == set(proposal.factors)
    if proposal.decision is YES:
        assert not {Factor.BOUNDARY, Factor.USED_UP, Factor.OVER_BUDGET} & set(proposal.factors)


# --- deciding ------------------------------------------------------------------------------------


@pytest.fixture
def ana(app: Mutuality) -> Mutuality:
    app.people.add("Ana Lima")
    return app


def test_accepting_the_proposal_records_both(ana: Mutuality) -> None:
    request = ana.requests.ask("ana", "Review my grant", benefit=8, cost=2)
    decided, commitment = ana.requests.decide(request.id)
    assert decided.proposal is YES and decided.decision is YES
    assert decided.status == "decided" and decided.decided_on == TODAY
    assert decided.proposal_reason == request.proposal_reason
    assert commitment is not None and commitment.request_id == request.id


def test_overriding_the_proposal_records_both(ana: Mutuality) -> None:
    request = ana.requests.ask("ana", "Move house", benefit=2, cost=8)
    decided, commitment = ana.requests.decide(request.id, " YES ")
    assert decided.proposal is NO and decided.decision is YES
    assert "easy no" in decided.proposal_reason
    assert commitment is not None
    stored = ana.backups.snapshot()["requests"][0]
    assert (stored["proposal"], stored["decision"]) == ("no", "yes")


def test_a_yes_becomes_my_commitment(ana: Mutuality) -> None:
    request = ana.requests.ask("ana", "Review my grant", benefit=8, cost=2, kind="knowledge")
    _, commitment = ana.requests.decide(request.id, hours=1.5)
    assert commitment is not None
    assert commitment.mine and commitment.status == "open"
    assert commitment.person_id == person_id(ana, "ana")
    assert (commitment.text, commitment.kind) == ("Review my grant", "knowledge")
    assert (commitment.benefit, commitment.cost, commitment.hours) == (8, 2, 1.5)
    assert commitment.made_on == TODAY and commitment.closed_on is None
    assert ana.commitments.list() == [commitment]
    assert needs(ana) == []


@pytest.mark.parametrize(
    ("ask_due", "decide_due", "expected"),
    [
        ("in 10 days", "in 3 days", TODAY + timedelta(days=3)),
        ("in 10 days", None, TODAY + timedelta(days=10)),
        (None, None, TODAY + timedelta(days=DEFAULT_DUE_DAYS)),
        (None, "2026-12-24", date(2026, 12, 24)),
        (date(2026, 12, 1), None, date(2026, 12, 1)),
        (None, "today", TODAY),
        ("2w", "tomorrow", TODAY + timedelta(days=1)),
    ],
)
def test_the_due_date_of_a_commitment(ana: Mutuality, ask_due, decide_due, expected) -> None:
    assert DEFAULT_DUE_DAYS == 14
    request = ana.requests.ask("ana", "Review my grant", benefit=8, cost=2, due=ask_due)
    _, commitment = ana.requests.decide(request.id, due=decide_due)
    assert commitment is not None and commitment.due_on == expected


@pytest.mark.parametrize("decision", ["no", "later"])
def test_a_no_or_later_keeps_the_need_in_view(ana: Mutuality, decision: str) -> None:
    request = ana.requests.ask("ana", "Intro to a publisher", benefit=8, cost=2)
    decided, commitment = ana.requests.decide(request.id, decision)
    assert decided.decision is Decision(decision) and commitment is None
    assert ana.commitments.list(include_closed=True) == []
    [need] = needs(ana)
    assert need["person_id"] == person_id(ana, "ana")
    assert (need["text"], need["source"], need["status"]) == (
        "Intro to a publisher",
        "request",
        "open",
    )
    assert need["request_id"] == request.id and need["created_on"] == TODAY.isoformat()
    assert ana.matching.embeddings.count() == 1  # embedded for matching as it was kept


def test_my_own_request_declined_is_my_need_and_a_yes_is_their_commitment(
    ana: Mutuality,
) -> None:
    declined = ana.requests.ask("ana", "Intro to your investor", benefit=6, cost=3, from_me=True)
    ana.requests.decide(declined.id, "no")
    [need] = needs(ana)
    assert need["person_id"] == owner_id(ana) and need["source"] == "request"
    accepted = ana.requests.ask("ana", "Feedback on my talk", benefit=6, cost=2, from_me=True)
    decided, commitment = ana.requests.decide(accepted.id)
    assert decided.from_me and decided.decision is YES
    assert commitment is not None and not commitment.mine
    assert commitment.person_id == person_id(ana, "ana")


def test_negotiate_needs_a_third_option(ana: Mutuality) -> None:
    request = ana.requests.ask("ana", "Co-write a chapter", benefit=7, cost=8)
    assert request.proposal is NEGOTIATE
    before = snapshot(ana)
    for option in (None, "   "):
        with pytest.raises(InvalidInput, match="third option") as error:
            ana.requests.decide(request.id, third_option=option)
        assert error.value.field == "third_option"
    assert snapshot(ana) == before
    decided, commitment = ana.requests.decide(
        request.id, third_option="  An hour of feedback on his outline "
    )
    assert decided.decision is NEGOTIATE
    assert decided.third_option == "An hour of feedback on his outline"
    assert commitment is not None and commitment.text == "An hour of feedback on his outline"
    assert needs(ana) == [] and ana.commitments.list() == [commitment]


def test_a_decided_yes_cannot_be_decided_again(ana: Mutuality) -> None:
    request = ana.requests.ask("ana", "Review my grant", benefit=8, cost=2)
    ana.requests.decide(request.id)
    before = snapshot(ana)
    for decision in (None, "yes", "no", "later"):
        with pytest.raises(Conflict, match="already decided") as error:
            ana.requests.decide(request.id, decision)
        assert (error.value.field, error.value.value) == ("request", request.id)
    assert snapshot(ana) == before


def test_a_negotiated_request_is_decided(ana: Mutuality) -> None:
    request = ana.requests.ask("ana", "Co-write a chapter", benefit=7, cost=8)
    ana.requests.decide(request.id, third_option="An hour of feedback")
    with pytest.raises(Conflict):
        ana.requests.decide(request.id, "yes")


def test_a_no_may_be_redecided_to_yes(ana: Mutuality) -> None:
    request = ana.requests.ask("ana", "Intro to a publisher", benefit=8, cost=2)
    ana.requests.decide(request.id, "no")
    ana.requests.decide(request.id, "later")  # still kept in mind, once
    assert [n["status"] for n in needs(ana)] == ["open"]
    decided, commitment = ana.requests.decide(request.id, "yes", due="in 4 days")
    assert decided.decision is YES and commitment is not None
    assert commitment.due_on == TODAY + timedelta(days=4)
    [need] = needs(ana)
    assert (need["status"], need["closed_on"]) == ("closed", TODAY.isoformat())
    with pytest.raises(Conflict):
        ana.requests.decide(request.id, "no")


def test_deciding_an_unknown_request(ana: Mutuality) -> None:
    with pytest.raises(NotFound, match="no request with id 42") as error:
        ana.requests.decide(42)
    assert (error.value.field, error.value.value) == ("request", 42)
    with pytest.raises(NotFound):
        ana.requests.get(42)
    with pytest.raises(NotFound):
        ana.requests.decline_draft(42)


def test_list_requests_newest_first(ana: Mutuality) -> None:
    first = ana.requests.ask("ana", "One", benefit=8, cost=2)
    second = ana.requests.ask("ana", "Two", benefit=2, cost=8, from_me=True)
    third = ana.requests.ask("ana", "Three", benefit=5, cost=4)
    ana.requests.decide(second.id)
    assert [r.id for r in ana.requests.list()] == [third.id, second.id, first.id]
    assert [r.id for r in ana.requests.list(open_only=True)] == [third.id, first.id]


# --- one rule with `next`, through the app -------------------------------------------------------

COLLEAGUE_FAVOURS = [
    (date(2026, 10, 5), "Covered his shift", 1),
    (date(2026, 10, 20), "Reviewed his report", 2),
    (date(2026, 11, 3), "Drove him to the airport", 3),
    (date(2026, 11, 10), "Helped with his slides", 3),
    (date(2026, 11, 18), "Covered a meeting", 4),
]
"""Five favours for a colleague, each asked, promised and kept: 10 of a 12-point November."""


@pytest.fixture
def colleague(timed: Mutuality, clock: Clock) -> Mutuality:
    """Tom, a colleague who asked five favours of me; today my budget is at risk."""
    timed.people.add("Tom Berg", context="colleague")
    timed.capacity.set(12, "points", "month")
    for day, text, cost in COLLEAGUE_FAVOURS:
        clock.today = day
        request = timed.requests.ask("tom", text, benefit=4, cost=cost)
        _, commitment = timed.requests.decide(request.id, "yes")
        assert commitment is not None
        timed.commitments.keep(commitment.id)
    clock.today = TODAY
    return timed


def _next_for(app: Mutuality, name: str) -> Action:
    return next(s.health.action for s in app.health.next_actions(50) if s.person.name == name)


def test_ask_and_next_agree_on_the_colleague_who_always_asks(colleague: Mutuality) -> None:
    """Issue 14's case: `next` says "say no kindly" after five favours, so his sixth request
    (benefit 4, cost 3, a yes on benefit and cost alone) is no plain yes."""
    assert _next_for(colleague, "Tom Berg") is Action.SAY_NO_KINDLY
    sixth = colleague.requests.ask("tom", "Cover my Friday shift", benefit=4, cost=3)
    reason = sixth.proposal_reason
    assert sixth.proposal is NEGOTIATE, reason
    assert has_words(reason, "give more than you receive", "budget is at risk", "say no kindly")
    assert "third option" in reason
    assert "This is their 6th ask in 90 days." in reason
    assert "The relationship: reciprocal, balance +1.00 (you give more)." in reason
    # the same verdict read from the kept network-wide pass (a read, not a write)
    colleague.requests.decide(sixth.id, "no")
    colleague.capacity.set(40, "points", "month")  # room again: the verdict changes with it
    assert _next_for(colleague, "Tom Berg") is not Action.SAY_NO_KINDLY
    [(_, now)] = colleague.requests.reconsider()
    assert "say no kindly" not in now.reason and "their 6th ask" in now.reason


def test_ask_follows_next_whatever_it_says(colleague: Mutuality, clock: Clock) -> None:
    """Whatever `next` says of a relationship, the proposal's reason agrees with it."""
    colleague.capacity.set(
        40, "points", "month"
    )  # no longer at risk: it costs me far past the band
    action = _next_for(colleague, "Tom Berg")
    assert action is Action.PAUSE_GIVING
    costly = colleague.requests.ask("tom", "Cover my weekend", benefit=9, cost=4)
    assert costly.proposal is NEGOTIATE and "pause giving" in costly.proposal_reason
    cheap = colleague.requests.ask("tom", "Forward a file", benefit=8, cost=1)
    assert cheap.proposal is YES
    assert has_words(cheap.proposal_reason, "give more than you receive", "pause giving")
    assert "This is their 7th ask in 90 days." in cheap.proposal_reason


def test_over_giving_in_a_new_tie_invites_first(app: Mutuality, ledger: Ledger) -> None:
    """Over-giving that `next` answers with an invitation keeps the rule's decision, and the
    reason suggests inviting them to give back."""
    app.people.add("Ana Lima")
    ledger(
        'gave "Ana Lima" knowledge 2026-06-01 benefit=3 cost=0 "Sent her a reading list"\n'
        'got "Ana Lima" knowledge 2026-07-01 benefit=2 cost=1 "Lent me a book"\n'
        'gave "Ana Lima" knowledge 2026-11-01 benefit=3 cost=0 "Shared my notes"'
    )
    assert _next_for(app, "Ana Lima") is Action.INVITE
    request = app.requests.ask("ana", "Review my grant", benefit=9, cost=4)
    assert request.proposal is YES
    assert "invite them to give back in their own way" in request.proposal_reason


def test_a_grieving_friend_is_not_weighed_on_the_balance(app: Mutuality, ledger: Ledger) -> None:
    """Care: four gifts of support, and nothing is owed back; only my capacity moves it."""
    app.people.add("Priya Shah", context="friend", private_note=f"{CANARY} her mother died")
    ledger(
        'gave "Priya Shah" support 2026-09-02 benefit=6 cost=3 "Sat with her at the hospital"\n'
        'gave "Priya Shah" support 2026-09-20 benefit=5 cost=2 "Cooked for the family"\n'
        'gave "Priya Shah" support 2026-10-15 benefit=5 cost=2 "Drove her to the funeral"\n'
        'gave "Priya Shah" support 2026-11-10 benefit=4 cost=1 "Long call on a bad night"'
    )
    app.needs.note_state("priya", "challenge", "Grieving her mother", until="in 90 days")
    health = app.health.for_person("priya").health
    assert health.intent is Intent.CARE
    assert health.action not in (Action.SAY_NO_KINDLY, Action.PAUSE_GIVING)
    request = app.requests.ask("priya", "Sort the paperwork with me", benefit=8, cost=4)
    assert request.proposal is YES  # as benefit and cost say: no imbalance modifier
    assert "In a time of care, nothing is owed back" in request.proposal_reason
    assert IMBALANCE not in request.proposal_reason and CANARY not in request.proposal_reason
    assert "Grieving" not in request.proposal_reason
    assert "a time of care, balance +1.00" in request.proposal_reason
    _use_up(app, ledger, 10, 10)  # capacity alone holds it back
    later = app.requests.ask("priya", "Sort the paperwork with me", benefit=8, cost=4)
    assert later.proposal is LATER and "used up" in later.proposal_reason
    assert "2nd ask in 90 days" in later.proposal_reason


def test_a_request_from_me_names_the_intent(app: Mutuality) -> None:
    app.people.add("Mo Diaz", context="mentor")
    mine = app.requests.ask("mo", "Read my draft", benefit=6, cost=3, from_me=True)
    assert "In mentoring the balance is not weighed" in mine.proposal_reason


# --- a third option ------------------------------------------------------------------------------


def test_an_agreed_third_option_becomes_my_commitment(ana: Mutuality) -> None:
    request = ana.requests.ask("ana", "Help me move all weekend", benefit=7, cost=8)
    assert request.proposal is NEGOTIATE
    decided, commitment = ana.requests.decide(
        request.id, third_option="I'll come Saturday morning and bring Jo", due="in 5 days"
    )
    assert decided.decision is NEGOTIATE and decided.status == "decided"
    assert commitment is not None and commitment.mine and commitment.status == "open"
    assert commitment.text == "I'll come Saturday morning and bring Jo"
    assert commitment.request_id == request.id
    assert commitment.due_on == TODAY + timedelta(days=5)
    assert ana.commitments.list() == [commitment]
    assert needs(ana) == []  # the ask is answered by what they agreed to
    with pytest.raises(Conflict, match="already decided"):
        ana.requests.decide(request.id, "no")


def test_an_agreed_third_option_is_due_as_a_yes_would_be(ana: Mutuality) -> None:
    asked_by = ana.requests.ask("ana", "Co-write a chapter", benefit=7, cost=8, due="in 9 days")
    _, by_the_ask = ana.requests.decide(asked_by.id, third_option="Feedback on the outline")
    assert by_the_ask is not None and by_the_ask.due_on == TODAY + timedelta(days=9)
    plain = ana.requests.ask("ana", "Co-write another", benefit=7, cost=8)
    _, by_default = ana.requests.decide(plain.id, "negotiate", third_option="A call")
    assert by_default is not None
    assert by_default.due_on == TODAY + timedelta(days=DEFAULT_DUE_DAYS)


def test_a_third_option_not_agreed_keeps_their_ask_in_view(ana: Mutuality) -> None:
    request = ana.requests.ask("ana", "Help me move all weekend", benefit=7, cost=8)
    decided, commitment = ana.requests.decide(
        request.id, third_option="Saturday morning", agreed=False
    )
    assert decided.decision is NEGOTIATE and commitment is None
    assert decided.third_option == "Saturday morning"
    assert ana.commitments.list(include_closed=True) == []
    [need] = needs(ana)
    assert (need["text"], need["status"], need["request_id"]) == (
        "Help me move all weekend",
        "open",
        request.id,
    )
    # they agree later: the third option becomes my commitment, and the need is met
    _, agreed = ana.requests.decide(request.id, "negotiate", due="in 3 days")
    assert agreed is not None and agreed.text == "Saturday morning"
    assert agreed.due_on == TODAY + timedelta(days=3)
    [need] = needs(ana)
    assert need["status"] == "closed"


def test_their_third_option_for_my_request_is_their_commitment(ana: Mutuality) -> None:
    mine = ana.requests.ask("ana", "Two days on my website", benefit=7, cost=8, from_me=True)
    _, commitment = ana.requests.decide(mine.id, "negotiate", third_option="An hour's review")
    assert commitment is not None and not commitment.mine
    assert commitment.text == "An hour's review" and commitment.request_id == mine.id


# --- reconsider ----------------------------------------------------------------------------------


def test_reconsider_when_the_budget_frees_up(app: Mutuality, ledger: Ledger) -> None:
    app.people.add("Ana Lima")
    _use_up(app, ledger, 5, 5)
    postponed = app.requests.ask("ana", "Review my grant", benefit=8, cost=2)
    assert postponed.proposal is LATER
    app.requests.decide(postponed.id)
    declined = app.requests.ask("ana", "Help me move", benefit=2, cost=8)  # a no by its cost
    app.requests.decide(declined.id)
    mine = app.requests.ask("ana", "Intro to your investor", benefit=8, cost=2, from_me=True)
    app.requests.decide(mine.id, "no")
    assert app.requests.reconsider() == []
    app.capacity.set(6)  # one point left: a smaller version
    [(request, proposal)] = app.requests.reconsider()
    assert request.id == postponed.id and proposal.decision is NEGOTIATE
    app.capacity.set(50)
    [(request, proposal)] = app.requests.reconsider()
    assert proposal.decision is YES and "easy yes" in proposal.reason
    assert request.decision is LATER  # reconsidering changes nothing by itself
    app.capacity.clear()
    [(request, proposal)] = app.requests.reconsider()
    assert proposal.decision is YES
    app.requests.decide(request.id, "yes")
    assert app.requests.reconsider() == []


# --- commitments ---------------------------------------------------------------------------------


@dataclass
class Clock:
    today: date = TODAY

    def __call__(self) -> date:
        return self.today


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def timed(tmp_path: Path, empty_template: Path, clock: Clock) -> Iterator[Mutuality]:
    """An app whose today moves with ``clock`` (the ``app`` fixture's today is fixed)."""
    path = _copy(empty_template, tmp_path / "timed.db")
    opened = Mutuality.open(str(path), Settings(), today=clock)
    opened.people.add("Ana Lima")
    try:
        yield opened
    finally:
        opened.close()


def promise(
    app: Mutuality,
    text: str,
    due: str | None = None,
    *,
    from_me: bool = False,
    benefit: float = 8,
    cost: float = 2,
    kind: str | None = None,
    hours: float | None = None,
):
    request = app.requests.ask("ana", text, benefit=benefit, cost=cost, from_me=from_me, kind=kind)
    _, commitment = app.requests.decide(request.id, "yes", due=due, hours=hours)
    assert commitment is not None
    return commitment


def test_commitments_are_listed_by_due_date(ana: Mutuality) -> None:
    later = promise(ana, "Later", "in 9 days")
    sooner = promise(ana, "Sooner", "tomorrow")
    theirs = promise(ana, "Theirs", "in 5 days", from_me=True)
    kept = promise(ana, "Kept", "today")
    ana.commitments.keep(kept.id)
    assert [c.id for c in ana.commitments.list()] == [sooner.id, theirs.id, later.id]
    assert {c.id for c in ana.commitments.list(include_closed=True)} == {
        kept.id,
        sooner.id,
        theirs.id,
        later.id,
    }
    assert [c.id for c in ana.commitments.list(person="Ana Lima")] == [
        sooner.id,
        theirs.id,
        later.id,
    ]
    ana.people.add("Bo Chen")
    assert ana.commitments.list(person="bo") == []
    with pytest.raises(NotFound):
        ana.commitments.list(person="zed")


def test_closed_commitments_come_after_the_open_ones(ana: Mutuality) -> None:
    later = promise(ana, "Later", "in 9 days")
    sooner = promise(ana, "Sooner", "tomorrow")
    kept = promise(ana, "Kept", "today")
    ana.commitments.keep(kept.id)
    every = ana.commitments.list(include_closed=True)
    assert [c.id for c in every] == [sooner.id, later.id, kept.id]


def test_keeping_mine_logs_what_i_gave(ana: Mutuality) -> None:
    commitment = promise(
        ana, "Review my grant", "in 5 days", benefit=7, cost=3, kind="knowledge", hours=2
    )
    kept = ana.commitments.keep(commitment.id)
    assert (kept.status, kept.closed_on, kept.late) == ("kept", TODAY, False)
    logged = exchange(ana, kept.exchange_id)
    assert (logged["giver_id"], logged["receiver_id"]) == (owner_id(ana), person_id(ana, "ana"))
    assert (logged["benefit"], logged["cost"], logged["hours"]) == (7, 3, 2)
    assert (logged["kind"], logged["description"], logged["on"]) == (
        "knowledge",
        "Review my grant",
        TODAY.isoformat(),
    )
    assert ana.commitments.list() == []


def test_keeping_theirs_logs_what_i_got(ana: Mutuality) -> None:
    commitment = promise(
        ana, "Intro to your investor", "in 5 days", from_me=True, benefit=6, cost=3
    )
    kept = ana.commitments.keep(commitment.id, on="today")
    assert kept.closed_on == TODAY and not kept.late
    logged = exchange(ana, kept.exchange_id)
    assert (logged["giver_id"], logged["receiver_id"]) == (person_id(ana, "ana"), owner_id(ana))
    assert (logged["benefit"], logged["cost"], logged["kind"]) == (6, 3, "other")


def test_kept_after_the_due_date_is_late(timed: Mutuality, clock: Clock) -> None:
    commitment = promise(timed, "Review my grant", "tomorrow")
    clock.today = TODAY + timedelta(days=3)
    kept = timed.commitments.keep(commitment.id)
    assert kept.late and kept.closed_on == clock.today
    assert timed.commitments.list(include_closed=True)[0].late


def test_breaking_a_commitment(ana: Mutuality) -> None:
    commitment = promise(ana, "Review my grant", "in 5 days")
    broken = ana.commitments.break_(commitment.id)
    assert (broken.status, broken.closed_on, broken.exchange_id) == ("broken", TODAY, None)
    assert ana.backups.snapshot()["exchanges"] == []


@pytest.mark.parametrize("closing", ["keep", "break_"])
@pytest.mark.parametrize("marking", ["keep", "break_"])
def test_a_closed_commitment_cannot_be_marked_again(
    ana: Mutuality, closing: str, marking: str
) -> None:
    commitment = promise(ana, "Review my grant", "in 5 days")
    getattr(ana.commitments, closing)(commitment.id)
    before = snapshot(ana)
    with pytest.raises(Conflict, match=f"#{commitment.id} is already") as error:
        getattr(ana.commitments, marking)(commitment.id)
    assert (error.value.field, error.value.value) == ("commitment", commitment.id)
    assert snapshot(ana) == before


def test_marking_an_unknown_commitment(ana: Mutuality) -> None:
    for mark in (ana.commitments.keep, ana.commitments.break_):
        with pytest.raises(NotFound, match="no commitment with id 9") as error:
            mark(9)
        assert error.value.field == "commitment"


def test_keeping_on_a_future_date_writes_nothing(ana: Mutuality) -> None:
    commitment = promise(ana, "Review my grant", "in 5 days")
    before = snapshot(ana)
    with pytest.raises(InvalidInput, match="in the future"):
        ana.commitments.keep(commitment.id, on="2999-01-01")
    assert snapshot(ana) == before


def test_keeping_before_the_commitment_was_made_is_refused(ana: Mutuality) -> None:
    commitment = promise(ana, "Review my grant", "in 5 days")
    before = snapshot(ana)
    with pytest.raises(InvalidInput):
        ana.commitments.keep(commitment.id, on="2020-01-01")
    assert snapshot(ana) == before


def test_follow_through_tallies(timed: Mutuality, clock: Clock) -> None:
    on_time = promise(timed, "On time", "in 5 days")
    late = promise(timed, "Late", "tomorrow")
    broken = promise(timed, "Broken", "in 5 days")
    promise(timed, "Overdue", "tomorrow")
    promise(timed, "Not due yet", "in 30 days")
    theirs_on_time = promise(timed, "Their intro", "tomorrow", from_me=True)
    promise(timed, "Their overdue", "tomorrow", from_me=True)
    assert timed.commitments.follow_through() == (FollowThrough(), FollowThrough())
    assert FollowThrough().rate is None
    timed.commitments.keep(on_time.id)
    timed.commitments.break_(broken.id)
    clock.today = TODAY + timedelta(days=3)
    timed.commitments.keep(late.id)
    timed.commitments.keep(theirs_on_time.id, on=TODAY + timedelta(days=1))  # on the due day
    mine, theirs = timed.commitments.follow_through()
    assert mine == FollowThrough(kept=1, late=1, broken=1, overdue=1)
    assert mine.rate == pytest.approx(0.25)
    assert theirs == FollowThrough(kept=1, overdue=1) and theirs.rate == pytest.approx(0.5)
    ana = person_id(timed, "ana")
    assert timed.commitments.follow_through(ana) == (mine, theirs)
    timed.people.add("Bo Chen")
    assert timed.commitments.follow_through(person_id(timed, "bo")) == (
        FollowThrough(),
        FollowThrough(),
    )
    lines = [
        line
        for line in timed.health.for_person("ana").explanation
        if line.startswith("Follow-through")
    ]
    assert lines == [
        "Follow-through: You kept 1 commitment on time, 1 late, broke 1, and 1 are overdue "
        "(25% on time).",
        "Follow-through: Ana Lima kept 1 commitment on time, 0 late, broke 0, and 1 are "
        "overdue (50% on time).",
    ]


def test_why_shows_no_follow_through_before_anything_was_due(ana: Mutuality) -> None:
    promise(ana, "Review my grant", "in 5 days")
    assert not any(
        line.startswith("Follow-through") for line in ana.health.for_person("ana").explanation
    )


def test_capacity_counts_open_commitments_due_this_period(ana: Mutuality) -> None:
    ana.capacity.set(50, "points", "month")
    promise(ana, "Due in 5 days", "in 5 days", benefit=9, cost=2)  # 28 Nov
    promise(ana, "Due at month end", "2026-11-30", benefit=9, cost=3, hours=6)
    promise(ana, "Due next month", "in 20 days", benefit=9, cost=4)  # not this period
    promise(ana, "Theirs", "in 5 days", benefit=9, cost=1.5, from_me=True)  # not mine
    kept = promise(ana, "Kept already", "in 3 days", benefit=9, cost=5)
    broken = promise(ana, "Broken", "in 3 days", benefit=9, cost=1)
    ana.commitments.keep(kept.id)  # used, no longer committed
    ana.commitments.break_(broken.id)
    use = ana.capacity.use()
    assert use.committed == pytest.approx(5.0) and use.used == pytest.approx(5.0)
    assert use.share == pytest.approx(10 / 50)
    ana.capacity.set(50, "hours", "month")
    use = ana.capacity.use()
    assert use.committed == pytest.approx(hours_from_cost(2) + 6)  # 0.5 estimated + 6 logged
    assert use.used == pytest.approx(hours_from_cost(5))
    ana.capacity.set(50, "points", "week")  # 23-29 November
    assert ana.capacity.use().committed == pytest.approx(2.0)


# --- a kind decline ------------------------------------------------------------------------------


@pytest.fixture
def private(app: Mutuality, ledger: Ledger) -> Mutuality:
    """Ana with a canary in her private note, an exchange note and a touch note."""
    app.people.add("Ana Lima", private_note=f"{CANARY} in her note")
    ledger(
        f'gave "Ana Lima" knowledge 2026-11-01 benefit=2 cost=2 note="{CANARY}" "Notes"\n'
        f'touch "Ana Lima" 2026-11-02 note="{CANARY} touch"'
    )
    return app


def _draft(app: Mutuality, request_id: int) -> str:
    draft = app.requests.decline_draft(request_id)
    assert CANARY not in draft
    assert draft.startswith("Hi Ana,") and "Lima" not in draft
    return draft


def test_decline_a_boundary(private: Mutuality) -> None:
    private.capacity.set(50, boundaries=("money",))
    request = private.requests.ask("ana", "Lend me 500 euros", benefit=8, cost=2, kind="money")
    private.requests.decide(request.id)
    draft = _draft(private, request.id)
    assert "“Lend me 500 euros”" in draft
    assert "decided not to take on" in draft
    assert "introduce you" in draft


def test_decline_for_capacity(private: Mutuality, ledger: Ledger) -> None:
    _use_up(private, ledger, 5, 5)
    request = private.requests.ask("ana", "Review my grant", benefit=8, cost=2)
    assert request.proposal is LATER
    private.requests.decide(request.id)
    draft = _draft(private, request.id)
    assert "Review my grant" in draft and "fully committed" in draft
    assert "come back to you" in draft


def test_decline_over_budget_says_capacity(private: Mutuality, ledger: Ledger) -> None:
    _use_up(private, ledger, 8, 5)  # and 2 given to Ana: 1 point left
    request = private.requests.ask("ana", "Review my grant", benefit=8, cost=2)
    assert request.proposal is NEGOTIATE
    private.requests.decide(request.id, "no")
    draft = _draft(private, request.id)
    assert "more than I have left to give" in draft
    assert "fully committed" not in draft  # a point is left: not used up


def test_decline_for_the_cost(private: Mutuality) -> None:
    request = private.requests.ask("ana", "Help me move house", benefit=2, cost=8)
    private.requests.decide(request.id)
    draft = _draft(private, request.id)
    assert "Help me move house" in draft and "more than I can give" in draft


def test_decline_offers_the_third_option(private: Mutuality) -> None:
    request = private.requests.ask("ana", "Co-write a chapter", benefit=7, cost=8)
    private.requests.decide(
        request.id, third_option="An hour of feedback on your outline", agreed=False
    )
    draft = _draft(private, request.id)
    assert "What I could do instead: An hour of feedback on your outline." in draft
    assert "Co-write a chapter" in draft


def test_a_later_with_budget_free_gives_no_invented_reason(
    private: Mutuality, ledger: Ledger
) -> None:
    """Issue 14: a later with 8 of 12 points free must not say the time is fully committed."""
    _use_up(private, ledger, 12, 2)  # and 2 given to Ana: 8 points free
    assert private.capacity.use().used == pytest.approx(4)
    request = private.requests.ask("ana", "Review my grant", benefit=8, cost=2)
    assert request.proposal is YES
    private.requests.decide(request.id, "later")
    draft = _draft(private, request.id)
    assert "fully committed" not in draft and "because" not in draft
    assert "I can't do it just now." in draft and "come back to you" in draft


def test_a_decline_when_my_budget_is_at_risk(colleague: Mutuality) -> None:
    request = colleague.requests.ask("tom", "Cover my Friday shift", benefit=4, cost=3)
    colleague.requests.decide(request.id, "no")
    draft = colleague.requests.decline_draft(request.id)
    assert draft.startswith("Hi Tom,")
    assert "I have taken on a lot lately" in draft and "fully committed" not in draft


def test_a_decline_to_someone_going_through_a_hard_time(private: Mutuality) -> None:
    """A compassionate register: no thanks for thinking of me, the hard time acknowledged in
    general words (never the state's own), and what I can do instead."""
    private.needs.note_state("ana", "challenge", f"Grieving her mother {CANARY}")
    request = private.requests.ask("ana", "Help clear my mother's flat", benefit=6, cost=8)
    private.requests.decide(request.id, "no")
    draft = _draft(private, request.id)
    assert "Thank you for thinking of me" not in draft
    assert "hard time" in draft and "Grieving" not in draft
    assert "I can't take on “Help clear my mother's flat” myself, because" in draft
    assert "smaller way I can help" in draft
    offered = private.requests.ask("ana", "Sort out the funeral", benefit=8, cost=8)
    private.requests.decide(offered.id, third_option="I'll make the calls on Monday", agreed=False)
    draft = _draft(private, offered.id)
    assert "What I can do: I'll make the calls on Monday." in draft
    assert "I can't take on all of “Sort out the funeral” myself" in draft


def test_a_past_hard_time_is_a_plain_decline(timed: Mutuality, clock: Clock) -> None:
    clock.today = date(2026, 9, 1)
    timed.needs.note_state("ana", "challenge", "A rough month", until="2026-10-01")
    timed.needs.note_state("ana", "busy", "Launch week")  # busy is not a hard time
    clock.today = TODAY
    request = timed.requests.ask("ana", "Help me move house", benefit=2, cost=8)
    timed.requests.decide(request.id)
    draft = timed.requests.decline_draft(request.id)
    assert "Thank you for thinking of me" in draft and "hard time" not in draft


def test_a_decline_is_signed_only_with_a_real_name(private: Mutuality) -> None:
    request = private.requests.ask("ana", "Help me move house", benefit=2, cost=8)
    private.requests.decide(request.id)
    unsigned = _draft(private, request.id)
    assert not unsigned.rstrip().endswith("Me") and "Best," not in unsigned
    private.owner.set_name("Sam Rivera")
    signed = _draft(private, request.id)
    assert signed.endswith("Best,\nSam")


def test_a_decline_is_signed_with_the_configured_name(tmp_path: Path) -> None:
    with open_app(tmp_path / "named.db", Settings(owner_name="Jo Park")) as named:
        named.people.add("Ana Lima")
        request = named.requests.ask("ana", "Help me move house", benefit=2, cost=8)
        named.requests.decide(request.id)
        assert named.requests.decline_draft(request.id).endswith("\nJo")


# --- bad input writes nothing --------------------------------------------------------------------

NAN = float("nan")


@pytest.mark.parametrize(
    ("changes", "error", "field", "words"),
    [
        ({"person": "zed"}, NotFound, "name", ("zed",)),
        ({"person": "  "}, InvalidInput, "name", ("name",)),
        ({"benefit": 11}, InvalidInput, "benefit", ("benefit 11", "0 to 10")),
        ({"benefit": -1}, InvalidInput, "benefit", ("benefit -1",)),
        ({"benefit": NAN}, InvalidInput, "benefit", ("benefit", "nan")),
        ({"cost": 11}, InvalidInput, "cost", ("cost 11",)),
        ({"cost": -1}, InvalidInput, "cost", ("cost -1",)),
        ({"cost": NAN}, InvalidInput, "cost", ("cost", "nan")),
        ({"cost": math.inf}, InvalidInput, "cost", ("cost", "inf")),
        ({"text": ""}, InvalidInput, "request", ("request must not be empty",)),
        ({"text": "  \n "}, InvalidInput, "request", ("request must not be empty",)),
        ({"due": "2026-11-22"}, InvalidInput, "due", ("due 2026-11-22", "in the past")),
        ({"due": date(2020, 1, 1)}, InvalidInput, "due", ("2020-01-01", "in the past")),
        ({"due": "someday"}, InvalidInput, "due", ("'someday'", "not a date")),
        ({"due": "2026-02-30"}, InvalidInput, "due", ("2026-02-30", "not a date")),
        ({"kind": "gossip"}, InvalidInput, "kind", ("unknown kind 'gossip'",)),
    ],
)
def test_bad_asks_are_clear_errors_and_write_nothing(
    ana: Mutuality, changes, error, field, words
) -> None:
    ana.requests.ask("ana", "A first one", benefit=8, cost=2)
    arguments: dict[str, Any] = {
        "person": "ana",
        "text": "Review my grant",
        "benefit": 8,
        "cost": 2,
        **changes,
    }
    before = snapshot(ana)
    with pytest.raises(error) as raised:
        ana.requests.ask(arguments.pop("person"), arguments.pop("text"), **arguments)
    assert raised.value.field == field
    assert has_words(str(raised.value), *words), str(raised.value)
    assert snapshot(ana) == before


@pytest.mark.parametrize(
    ("arguments", "error", "field", "words"),
    [
        ({"decision": "maybe"}, InvalidInput, "decision", ("'maybe'", "yes, no")),
        ({"decision": "negotiate"}, InvalidInput, "third_option", ("third option",)),
        ({"due": "2020-01-01"}, InvalidInput, "due", ("2020-01-01", "past")),
        ({"due": "whenever"}, InvalidInput, "due", ("'whenever'", "not a date")),
        ({"hours": 2000}, InvalidInput, "hours", ("hours", "2000")),
        ({"hours": -1}, InvalidInput, "hours", ("hours", "-1")),
        ({"third_option": "x" * 20_000}, InvalidInput, "third option", ("third option",)),
    ],
)
def test_bad_decisions_are_clear_errors_and_write_nothing(
    ana: Mutuality, arguments, error, field, words
) -> None:
    declined = ana.requests.ask("ana", "Intro to a publisher", benefit=8, cost=2)
    ana.requests.decide(declined.id, "no")  # an open need that a failed yes must not close
    request = ana.requests.ask("ana", "Review my grant", benefit=8, cost=2)
    before = snapshot(ana)
    for target in (request.id, declined.id):
        with pytest.raises(error) as raised:
            ana.requests.decide(target, **arguments)
        assert raised.value.field == field
        assert has_words(str(raised.value), *words), str(raised.value)
        assert snapshot(ana) == before
    assert ana.requests.get(request.id).status == "open"


def test_a_bad_due_date_with_a_no_is_an_error(ana: Mutuality) -> None:
    request = ana.requests.ask("ana", "Review my grant", benefit=8, cost=2)
    with pytest.raises(InvalidInput):
        ana.requests.decide(request.id, "no", due="someday")


def test_every_error_is_a_mutuality_error(ana: Mutuality) -> None:
    """The CLI turns these, and only these, into one line on stderr and exit code 2."""
    for call in (
        lambda: ana.requests.ask("zed", "x", benefit=1, cost=1),
        lambda: ana.requests.decide(5),
        lambda: ana.commitments.keep(5),
    ):
        with pytest.raises(MutualityError) as raised:
            call()
        assert raised.value.exit_code == 2
