"""Relationship health, who reaches out: counted from my side over exchanges and touches,
shown in ``why`` when one-sided, whichever of the two ids is the owner's."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from conftest import TODAY
from health_helpers import H, T, exchange_columns

from mutuality.core.analytics import FIRST_SIDE, SECOND_SIDE, TouchColumns, pair_figures
from mutuality.core.health import orient


def test_initiative_counts_exchanges_and_touches_from_my_side(app, ledger) -> None:
    ledger("""
    gave  Ini knowledge 2026-10-01 initiated=me   "I offered a review"       # mine
    got   Ini knowledge 2026-10-05 initiated=me   "I asked for advice"       # mine
    got   Ini knowledge 2026-10-09 initiated=them "She offered a tip"        # theirs
    gave  Ini time      2026-10-12 initiated=them "She asked for help"       # theirs
    gave  Ini time      2026-10-15                "Unknown who asked"        # not counted
    touch Ini 2026-11-01 initiated=me channel=call                           # mine
    touch Ini 2026-11-10 initiated=them channel=message                      # theirs
    touch Ini 2026-11-12                                                     # not counted
    """)
    # me: the review I offered, the advice I asked for, my call = 3;
    # them: the tip she offered, the help she asked for, her message = 3; share 3 / 6 = 50%.
    detail = app.health.for_person("ini")
    h = detail.health
    assert (h.my_initiatives, h.their_initiatives) == (3, 3)
    assert h.initiative_share == pytest.approx(0.5)
    assert "Who reaches out: you 3 times, Ini 3 times (50% you)." in detail.explanation


def test_one_sided_initiative_shows_in_why(app, ledger) -> None:
    ledger("""
    gave  Una knowledge 2026-10-01 initiated=me "Checked in"
    touch Una 2026-10-20 initiated=me
    touch Una 2026-11-10 initiated=me
    got   Una knowledge 2026-11-15 initiated=me "I asked again"
    touch Una 2026-11-20 initiated=them
    """)
    detail = app.health.for_person("una")
    h = detail.health
    assert (h.my_initiatives, h.their_initiatives, h.initiative_share) == (4, 1, 0.8)
    assert "Who reaches out: you 4 times, Una 1 time (80% you)." in detail.explanation


def test_initiative_when_the_owner_is_the_higher_id() -> None:
    # Pair columns are stored with a < b; the owner's side must be read correctly when the
    # owner is b (here via the core directly, since the services always create the owner
    # first).
    exchanges = exchange_columns([(5, 2, T, 3.0, 1.0)])
    exchanges = replace(exchanges, initiator=np.array([FIRST_SIDE], dtype=np.int8))
    touches = TouchColumns(
        owner=np.array([5, 5], dtype=np.int64),
        person=np.array([2, 2], dtype=np.int64),
        day=np.array([T, T], dtype=np.int32),
        initiator=np.array([FIRST_SIDE, SECOND_SIDE], dtype=np.int8),
    )
    pairs = pair_figures(exchanges, touches, TODAY, H, 90)
    rows = orient(pairs, pairs.a == 5)
    assert (int(rows.me[0]), int(rows.them[0])) == (5, 2)
    assert (int(rows.my_initiatives[0]), int(rows.their_initiatives[0])) == (2, 1)
    assert rows.given[0] == 3.0 and rows.received[0] == 0.0
