"""Check-ins: the scales, who is due, how the two sides' views compare with the ledger, and
the turn-taking rule of the repair conversation.

The essays put the other person's view at the centre: ask how satisfied they are and what
would make the relationship better for them (and whether they would hear what would make
it better for you); put listening before pitching. Each side may think a relationship is
one-sided; where the ledger and a person's own view disagree, we say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from mutuality.core.errors import InvalidInput

SATISFACTION: dict[int, str] = {
    1: "very dissatisfied",
    2: "dissatisfied",
    3: "neither",
    4: "satisfied",
    5: "very satisfied",
}
"""How satisfied someone is with the relationship, 1 to 5."""

EQUITY: dict[int, str] = {
    -2: "much worse for me",
    -1: "a little worse for me",
    0: "about even",
    1: "a little better for me",
    2: "much better for me",
}
"""The single-item equity question: who gets the better deal, from the answerer's side."""

LISTENING_PROMPTS: tuple[str, ...] = (
    "Start by listening: ask how things are for them before saying anything about you.",
    "How satisfied are you with how things are between us, from 1 to 5?",
    "What would make this more valuable for you?",
    "Is there something I do that you would like more of, or less of?",
    "Would you be willing to hear what would make it better for me?",
    "Who do you think gets the better deal between us, if anyone?",
    "Is there anything either of us promised that we should follow up on?",
)
"""The guide, in our own words: their view first, then mine, then follow-ups."""


def check_satisfaction(value: int | None, field: str) -> int | None:
    if value is not None and value not in SATISFACTION:
        scale = ", ".join(f"{k} {v}" for k, v in SATISFACTION.items())
        raise InvalidInput(
            f"{field} must be 1 to 5 ({scale}), got {value}", field=field, value=value
        )
    return value


def check_equity(value: int | None, field: str) -> int | None:
    if value is not None and value not in EQUITY:
        raise InvalidInput(
            f"{field} must be -2 to 2 (-2 much worse for me ... 2 much better for me), got {value}",
            field=field,
            value=value,
        )
    return value


@dataclass(frozen=True, slots=True)
class CheckIn:
    id: int
    person_id: int
    on: date
    kind: str
    """``checkin`` or ``repair``."""
    source: str
    """``me`` or ``link``."""
    my_satisfaction: int | None = None
    their_satisfaction: int | None = None
    my_better: str | None = None
    their_better: str | None = None
    my_equity: int | None = None
    their_equity: int | None = None
    message: str | None = None
    private_note: str | None = None


class Due(StrEnum):
    OVERDUE = "overdue"
    DUE = "due today"
    SOON = "due soon"
    NEVER = "never in touch"


@dataclass(frozen=True, slots=True)
class AgendaItem:
    person_id: int
    due_on: date
    state: Due
    last_on: date | None
    cadence_days: int

    def why(self, today: date) -> str:
        if self.last_on is None:
            return f"no contact logged yet; check in every {self.cadence_days} days"
        days = (today - self.last_on).days
        return f"last contact {days} day(s) ago ({self.last_on}); cadence {self.cadence_days} days"


def agenda_item(
    person_id: int, last_on: date | None, cadence_days: int, today: date, horizon_days: int
) -> AgendaItem | None:
    """Who is due: the last touch plus the cadence, within ``horizon_days`` from today."""
    if last_on is None:
        return AgendaItem(person_id, today, Due.NEVER, None, cadence_days)
    due_on = last_on + timedelta(days=cadence_days)
    if due_on < today:
        state = Due.OVERDUE
    elif due_on == today:
        state = Due.DUE
    elif due_on <= today + timedelta(days=horizon_days):
        state = Due.SOON
    else:
        return None
    return AgendaItem(person_id, due_on, state, last_on, cadence_days)


@dataclass(frozen=True, slots=True)
class Views:
    """Satisfaction and perceived equity over the check-ins, both sides, with the trend."""

    my_satisfaction: int | None
    their_satisfaction: int | None
    my_satisfaction_change: int | None
    """Latest minus the one before (``None`` with fewer than two answers)."""
    their_satisfaction_change: int | None
    my_equity: int | None
    their_equity: int | None


def views(checkins: list[CheckIn]) -> Views:
    """The latest answers and their change, from check-ins in date order (oldest first)."""

    def answers(name: str) -> list[int]:
        return [value for c in checkins if (value := getattr(c, name)) is not None]

    def latest(name: str) -> int | None:
        found = answers(name)
        return found[-1] if found else None

    def change(name: str) -> int | None:
        found = answers(name)
        return found[-1] - found[-2] if len(found) >= 2 else None

    return Views(
        latest("my_satisfaction"),
        latest("their_satisfaction"),
        change("my_satisfaction"),
        change("their_satisfaction"),
        latest("my_equity"),
        latest("their_equity"),
    )


def lower_satisfaction(mine: int | None, theirs: int | None) -> float | None:
    """A relationship's satisfaction for its health: the lower of the two sides' latest
    answers (one unhappy side is enough to look at it), ``None`` when neither answered."""
    answers = [value for value in (mine, theirs) if value is not None]
    return float(min(answers)) if answers else None


def latest_satisfaction(checkins: list[CheckIn], until: date) -> float | None:
    """:func:`lower_satisfaction` of the answers given on or before ``until``, from one
    relationship's check-ins in date order."""
    seen = views([c for c in checkins if c.on <= until])
    return lower_satisfaction(seen.my_satisfaction, seen.their_satisfaction)


def disagreements(seen: Views, balance: float | None, tolerance: float, name: str) -> list[str]:
    """Where a side's own view of the deal disagrees with what the ledger shows."""
    if balance is None:
        return []
    lines = []
    ledger_says_i_give_more = balance > tolerance
    ledger_says_they_give_more = balance < -tolerance
    if seen.their_equity is not None:
        if ledger_says_i_give_more and seen.their_equity < 0:
            lines.append(
                f"{name} feels they get the worse deal, yet the ledger shows you giving "
                f"more (balance {balance:+.2f}): ask what they value that the ledger "
                "does not show, or what they feel they give."
            )
        elif ledger_says_they_give_more and seen.their_equity > 0:
            lines.append(
                f"{name} feels they get the better deal, yet the ledger shows them "
                f"giving more (balance {balance:+.2f}): their help may cost them "
                "less than you think, or they value what you give more."
            )
    if seen.my_equity is not None:
        if ledger_says_i_give_more and seen.my_equity > 0:
            lines.append(
                f"You feel you get the better deal, yet the ledger shows you giving "
                f"more (balance {balance:+.2f}): perhaps what you receive is not "
                "logged, or is intangible."
            )
        elif ledger_says_they_give_more and seen.my_equity < 0:
            lines.append(
                f"You feel you get the worse deal, yet the ledger shows {name} giving "
                f"more (balance {balance:+.2f})."
            )
    return lines


# --- the repair conversation ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Partner:
    name: str
    stress: int
    """0 (calm) to 10 (overwhelmed)."""
    can_engage: bool
    minutes_needed: int | None = None
    """When they cannot engage now: how long they need before coming back."""
    feeling: str | None = None
    need: str | None = None
    raised_issue: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.stress <= 10:
            raise InvalidInput(
                f"{self.name}'s stress must be 0 to 10, got {self.stress}",
                field="stress",
                value=self.stress,
            )
        if not self.can_engage and not (
            self.minutes_needed and 10 <= self.minutes_needed <= 72 * 60
        ):
            raise InvalidInput(
                f"{self.name} needs a break: say how long, 10 minutes to 72 hours",
                field="minutes_needed",
                value=self.minutes_needed,
            )


LISTENER_PROMPTS: tuple[str, ...] = (
    "Listen to understand, not to answer: your turn comes next.",
    "Say back the feeling you hear: 'It sounds like you feel ...'.",
    "Don't dismiss, correct or defend; show you care and that you are trying to fix it.",
    "Ask what would help right now, and what they need from you.",
)


@dataclass(frozen=True, slots=True)
class RepairPlan:
    """Either a break with a time to come back, or the order of turns."""

    return_at: datetime | None
    first: Partner | None
    second: Partner | None
    reason: str


def repair_plan(one: Partner, other: Partner, now: datetime) -> RepairPlan:
    """Who goes first: the more stressed partner; on a tie, the one who raised the issue; if
    that ties too, the first named. If either cannot engage now, pause until the longer of
    the times they asked for, and come back then."""
    resting = [p for p in (one, other) if not p.can_engage]
    if resting:
        minutes = max(p.minutes_needed or 0 for p in resting)
        names = " and ".join(p.name for p in resting)
        return RepairPlan(
            now + timedelta(minutes=minutes),
            None,
            None,
            f"{names} asked for {minutes} minutes first; come back at the time "
            "set, then start again.",
        )
    if one.stress != other.stress:
        first = one if one.stress > other.stress else other
        reason = (
            f"{first.name} is more stressed ({first.stress} against "
            f"{(other if first is one else one).stress}), so goes first."
        )
    elif one.raised_issue != other.raised_issue:
        first = one if one.raised_issue else other
        reason = f"Equally stressed; {first.name} raised the issue, so goes first."
    else:
        first = one
        reason = (
            f"Equally stressed and neither (or both) raised it: {first.name}, named "
            "first, goes first."
        )
    second = other if first is one else one
    return RepairPlan(None, first, second, reason)
