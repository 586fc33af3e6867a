"""Context before counting: what a relationship is for and what the two people said, as one
record per relationship, and as the columns :func:`mutuality.core.health.judge` weighs.

The ledger measures; people's words outweigh what it infers (``docs/value-model.md``, "When
not to count"): a wish said at a check-in waits for me to act on it, low or falling
satisfaction puts listening first, and when both sides say it is about even a verdict at the
band's edge yields to them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray

from mutuality.core.analytics import NO_DAY, day_number
from mutuality.core.checkins import (
    LOW_SATISFACTION,
    CheckIn,
    PendingWish,
    open_wish,
    satisfaction_alarm,
    views,
)
from mutuality.core.health import INTENT_CODE, Signals
from mutuality.core.health_rules import HealthSettings
from mutuality.core.intent import IntentReading
from mutuality.core.model import Intent

RECIPROCAL = IntentReading(Intent.RECIPROCAL, "the default: both sides give and gain")


@dataclass(frozen=True, slots=True)
class Win:
    """An outcome logged for them lately: what to congratulate them on."""

    on: date
    what: str


@dataclass(frozen=True, slots=True)
class TieContext:
    """What the figures cannot see about one relationship."""

    intent: IntentReading = RECIPROCAL
    agreed_even: bool = False
    """Both said at their latest answers that they are satisfied and that it is about even."""
    i_am_unhappy: bool = False
    alarm: str | None = None
    """Low or falling satisfaction, in words ("their satisfaction fell from 5 to 3")."""
    wish: PendingWish | None = None
    win: Win | None = None
    last_checkin: date | None = None
    my_wish: str | None = None
    """What I said would make it better for me, at the latest check-in where I said it."""


NOTHING_SAID = TieContext()


def tie_context(
    intent: IntentReading,
    checkins: Sequence[CheckIn],
    settings: HealthSettings,
    win: Win | None = None,
) -> TieContext:
    """One relationship's context from its intent, its check-ins (oldest first) and a win."""
    seen = views(list(checkins))
    satisfied = [
        value is not None and value >= settings.satisfied_from
        for value in (seen.my_satisfaction, seen.their_satisfaction)
    ]
    return TieContext(
        intent=intent,
        agreed_even=all(satisfied) and seen.my_equity == 0 and seen.their_equity == 0,
        i_am_unhappy=seen.my_satisfaction is not None and seen.my_satisfaction <= LOW_SATISFACTION,
        alarm=_sentence(satisfaction_alarm(checkins)),
        wish=open_wish(checkins),
        win=win,
        last_checkin=checkins[-1].on if checkins else None,
        my_wish=next((c.my_better for c in reversed(checkins) if c.my_better), None),
    )


def signals_of(them: NDArray[np.int64], contexts: Mapping[int, TieContext]) -> Signals:
    """The columns :func:`~mutuality.core.health.judge` weighs, one row per person in
    ``them`` (a person with no context: reciprocal, nothing said)."""
    found = [contexts.get(int(person), NOTHING_SAID) for person in them]
    count = len(found)
    signals = Signals.none(count)
    if not any(context is not NOTHING_SAID for context in found):
        return signals
    return Signals(
        intent=np.fromiter(
            (INTENT_CODE[c.intent.intent] for c in found), dtype=np.int8, count=count
        ),
        agreed_even=np.fromiter((c.agreed_even for c in found), dtype=bool, count=count),
        i_am_unhappy=np.fromiter((c.i_am_unhappy for c in found), dtype=bool, count=count),
        alarm=np.fromiter((c.alarm is not None for c in found), dtype=bool, count=count),
        wish=np.fromiter((c.wish is not None for c in found), dtype=bool, count=count),
        win=np.fromiter((c.win is not None for c in found), dtype=bool, count=count),
        checkin_day=np.fromiter(
            (NO_DAY if c.last_checkin is None else day_number(c.last_checkin) for c in found),
            dtype=np.int32,
            count=count,
        ),
    )


def _sentence(words: str | None) -> str | None:
    return None if words is None else words[0].upper() + words[1:]
