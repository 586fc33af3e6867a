"""The one value scale for benefit and cost, and the defaults for each kind.

Benefit to the receiver and cost to the giver are both points from 0 to 10 on the
same scale, so that they can be subtracted (surplus) and summed (balances). The
anchors below are what a point means; they are documented in ``docs/value-scale.md``.
"""

from __future__ import annotations

import math

from mutuality.core.errors import InvalidInput
from mutuality.core.fields import choice
from mutuality.core.model import ExchangeKind

SCALE_MIN = 0.0
SCALE_MAX = 10.0

ANCHORS: dict[int, str] = {
    0: "nothing at all",
    1: "a small courtesy: a quick answer, a like, a few minutes",
    2: "a useful favour: about half an hour of someone's time",
    3: "real help: about an hour, a thoughtful review, a warm thank-you note",
    5: "significant: half a day, an introduction that leads to a meeting",
    7: "major: days of work, a referral that becomes a client or a job",
    10: "life-changing: a career move, a rescue in a crisis",
}

KIND_DEFAULTS: dict[ExchangeKind, tuple[float, float]] = {
    ExchangeKind.TIME: (3.0, 3.0),
    ExchangeKind.KNOWLEDGE: (3.0, 1.0),
    ExchangeKind.INTRODUCTION: (4.0, 1.0),
    ExchangeKind.REFERRAL: (5.0, 1.0),
    ExchangeKind.FEEDBACK: (3.0, 2.0),
    ExchangeKind.SUPPORT: (3.0, 2.0),
    ExchangeKind.RESOURCE: (3.0, 2.0),
    ExchangeKind.OPPORTUNITY: (5.0, 1.0),
    ExchangeKind.APPRECIATION: (2.0, 0.5),
    ExchangeKind.MONEY: (4.0, 4.0),
    ExchangeKind.OTHER: (2.0, 1.0),
}
"""(benefit, cost) used when the user gives neither; the exchange is then marked
as estimated by ``default`` so that every figure stays explainable."""


def parse_kind(value: str) -> ExchangeKind:
    """Read a kind forgivingly (case, surrounding space, unique prefix)."""
    text = value.strip().lower()
    matches = [kind for kind in ExchangeKind if text and kind.value.startswith(text)]
    return choice(
        ExchangeKind, value, "kind", aliases={text: matches[0]} if len(matches) == 1 else None
    )


def split_kinds(text: str) -> list[str]:
    """Stored boundary kinds (``"money,time"``) as a sorted list."""
    return sorted(part for part in text.split(",") if part)


def join_kinds(kinds: list[ExchangeKind] | list[str]) -> str:
    return ",".join(sorted({str(kind) for kind in kinds}))


def check_points(value: float, field: str) -> float:
    """Validate a benefit or cost: on the scale, in its steps of 0.1.

    A finer value (``5.55555``) is refused rather than silently rounded: the scale holds one
    decimal place, and the message says what to give instead."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInput(
            f"{field} must be a number from 0 to 10, got {value!r}", field=field, value=value
        )
    if not SCALE_MIN <= value <= SCALE_MAX:
        raise InvalidInput(
            f"{field} {value:g} is outside the scale: give 0 to 10 (0 for none)",
            field=field,
            value=value,
        )
    stepped = round(float(value), 1)
    if abs(float(value) - stepped) > 1e-9:
        raise InvalidInput(
            f"{field} {value!r} is finer than the scale holds (steps of 0.1): give {stepped:g}",
            field=field,
            value=value,
        )
    return stepped
