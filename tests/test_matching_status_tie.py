"""Every health status weighs a tie for matching: a status without a weight made the
matching fail for anyone in a tie that is uneven by choice (a mentee, a pro-bono client)."""

from __future__ import annotations

from mutuality.core.health_rules import Status
from mutuality.core.matching.pipeline import STATUS_TIE


def test_every_status_has_a_tie_weight() -> None:
    assert set(STATUS_TIE) == set(Status)
    assert all(0.0 < weight <= 1.0 for weight in STATUS_TIE.values())
