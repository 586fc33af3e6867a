"""Shared by the relationship health tests (``tests/test_health_*.py``): today as a day
number and the default half-life, the decay weight, rows of an :class:`Oriented` stated as
overrides of an empty row, exchange columns from tuples, random ledgers for hypothesis, and
the small ledgers several files use.

Decay weights used in the hand computations, ``w(age) = 0.5 ** (age / 180)``:
w(0) = 1, w(3) = 0.98851, w(5) = 0.98093, w(10) = 0.96222, w(90) = 0.70711, w(180) = 0.5.
"""

from __future__ import annotations

import numpy as np
from conftest import TODAY
from hypothesis import strategies as st

from mutuality.core.analytics import NO_DAY, ExchangeColumns, TouchColumns, day_number
from mutuality.core.health import Oriented
from mutuality.services.app import Mutuality

T = day_number(TODAY)
H = 180.0


def w(age_days: float) -> float:
    """The decay weight of an exchange ``age_days`` old under the default half-life."""
    return 0.5 ** (age_days / H)


def ago(days: int) -> int:
    return T - days


EMPTY_ROW = {
    "me": 1,
    "them": 2,
    "given": 0.0,
    "received": 0.0,
    "my_cost": 0.0,
    "their_cost": 0.0,
    "times_given": 0,
    "times_received": 0,
    "first_day": NO_DAY,
    "last_day": NO_DAY,
    "recent": 0,
    "previous": 0,
    "my_initiatives": 0,
    "their_initiatives": 0,
    "last_received_day": NO_DAY,
    "my_thanks_day": NO_DAY,
}


_DTYPES = {
    "me": np.int64,
    "them": np.int64,
    "given": np.float64,
    "received": np.float64,
    "my_cost": np.float64,
    "their_cost": np.float64,
}


def oriented(*rows: dict[str, float | int]) -> Oriented:
    """Rows of an :class:`Oriented`, each stated as overrides of an empty row."""
    full = [{**EMPTY_ROW, **row} for row in rows]
    return Oriented(
        **{
            name: np.array([row[name] for row in full], dtype=_DTYPES.get(name, np.int32))
            for name in EMPTY_ROW
        }
    )


points = st.integers(0, 100).map(lambda tenths: tenths / 10)


@st.composite
def random_ledgers(draw: st.DrawFn, people: int = 5, touches: bool = True):
    """Random exchange and touch columns between ``people`` people, days around TODAY."""
    count = draw(st.integers(0, 25))
    # Two different people, drawn without filtering (a filter that rejects half the draws
    # fails Hypothesis's health check on some seeds).
    pairs = st.tuples(st.integers(0, people - 1), st.integers(1, people - 1)).map(
        lambda p: (p[0], (p[0] + p[1]) % people)
    )
    ends = draw(st.lists(pairs, min_size=count, max_size=count))
    exchanges = ExchangeColumns(
        giver=np.array([g for g, _ in ends], dtype=np.int64),
        receiver=np.array([r for _, r in ends], dtype=np.int64),
        day=np.array(
            draw(st.lists(st.integers(T - 400, T + 5), min_size=count, max_size=count)),
            dtype=np.int32,
        ),
        benefit=np.array(draw(st.lists(points, min_size=count, max_size=count))),
        cost=np.array(draw(st.lists(points, min_size=count, max_size=count))),
        kind=np.array(
            draw(st.lists(st.integers(0, 10), min_size=count, max_size=count)), dtype=np.int8
        ),
        initiator=np.array(
            draw(st.lists(st.integers(0, 2), min_size=count, max_size=count)), dtype=np.int8
        ),
    )
    contact_count = draw(st.integers(0, 8)) if touches else 0
    contacts = draw(st.lists(pairs, min_size=contact_count, max_size=contact_count))
    contact = TouchColumns(
        owner=np.array([o for o, _ in contacts], dtype=np.int64),
        person=np.array([p for _, p in contacts], dtype=np.int64),
        day=np.array(
            draw(st.lists(st.integers(T - 400, T), min_size=contact_count, max_size=contact_count)),
            dtype=np.int32,
        ),
        initiator=np.array(
            draw(st.lists(st.integers(0, 2), min_size=contact_count, max_size=contact_count)),
            dtype=np.int8,
        ),
    )
    return exchanges, contact


def exchange_columns(rows: list[tuple[int, int, int, float, float]]) -> ExchangeColumns:
    """Columns of ``(giver, receiver, day, benefit, cost)`` rows (kind 0, no initiator)."""
    return ExchangeColumns(
        giver=np.array([r[0] for r in rows], dtype=np.int64),
        receiver=np.array([r[1] for r in rows], dtype=np.int64),
        day=np.array([r[2] for r in rows], dtype=np.int32),
        benefit=np.array([r[3] for r in rows], dtype=np.float64),
        cost=np.array([r[4] for r in rows], dtype=np.float64),
        kind=np.zeros(len(rows), dtype=np.int8),
        initiator=np.zeros(len(rows), dtype=np.int8),
    )


def health_of(app: Mutuality, name: str):
    """One relationship's verdict, as ``why`` gives it."""
    return app.health.for_person(name).health


# Two small ledgers, over-giving (Otto) and over-receiving (Rui), worked by hand in
# test_health_status.py.
OTTO = """
got  Otto knowledge 2026-08-25 benefit=4 cost=1 "Intro to his team"   # age 90
gave Otto knowledge 2026-11-23 benefit=8 cost=1 "Wrote his grant"
"""
RUI = """
gave Rui knowledge 2026-08-25 benefit=2 cost=1 "Sent a reading list"   # age 90
got  Rui referral  2026-11-13 benefit=6 cost=1 "Referred me to a client"  # age 10
"""
