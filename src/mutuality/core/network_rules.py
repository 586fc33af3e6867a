"""The names and settings of the network view without NumPy: reciprocity styles and the
thresholds (the settings loader needs these; the computations are in
:mod:`mutuality.core.network`)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from mutuality.core import fields
from mutuality.core.errors import InvalidInput


class Style(StrEnum):
    GIVER = "giver"
    MATCHER = "matcher"
    TAKER = "taker"
    UNKNOWN = "not enough evidence"

    @property
    def pattern(self) -> str:
        """What the ledger shows of someone else's giving, never a label on them: a style
        names only my own giving (seed 001: whether a tie is one-sided "is not for you to
        judge")."""
        return _PATTERNS[self]


_PATTERNS = {
    Style.GIVER: "gives more than they receive",
    Style.MATCHER: "gives and receives about evenly",
    Style.TAKER: "receives more than they give",
    Style.UNKNOWN: "not enough evidence",
}

STYLE_ORDER = tuple(Style)


@dataclass(frozen=True, slots=True)
class NetworkSettings:
    giver_share: float = 0.6
    """A person whose given share of all benefit is at least this is a giver."""
    taker_share: float = 0.4
    """At most this share given: a taker. Between the two: a matcher."""
    min_exchanges: int = 3
    """Fewer exchanges than this: not enough evidence for a style."""
    isolated_days: int = 180
    """No exchange or contact for this long: isolated."""
    burnout_share: float = 0.75
    """A giver at or above this given share, among the top tenth by cost borne, is at risk."""
    reach_out_share: float = 0.8
    """At least this share of the known times someone reached out were mine: I reach out
    first (nearly) always in that relationship (one time in five the other way still counts)."""
    reach_out_min: int = 3
    """Over at least this many known times: fewer is chance, not a habit."""

    def __post_init__(self) -> None:
        if not 0 <= self.taker_share < self.giver_share <= 1:
            raise InvalidInput(
                "need 0 <= taker_share < giver_share <= 1",
                field="giver_share",
                value=self.giver_share,
            )
        fields.within_limits(
            self,
            (
                ("min_exchanges", 1, 10_000),
                ("isolated_days", 1, 36_500),
                ("burnout_share", 0.5, 1.0),
                ("reach_out_share", 0.5, 1.0),
                ("reach_out_min", 1, 10_000),
            ),
        )
