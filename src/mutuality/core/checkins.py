"""Check-ins: the scales, who is due, how the two sides' views compare with the ledger, and
the turn-taking rule of the repair conversation.

The essays put the other person's view at the centre: ask how satisfied they are and what
would make the relationship better for them (and whether they would hear what would make
it better for you); put listening before pitching. Each side may think a relationship is
one-sided; where the ledger and a person's own view disagree, we say so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from mutuality.core.errors import InvalidInput
from mutuality.core.words import days_ago, due_phrase, short_date

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
    wish_state: str | None = None
    """What became of ``their_better``: ``None`` while it waits for me, ``commitment`` or
    ``need`` once confirmed as one, ``set-aside`` when I chose not to act on it."""
    would_hear: bool | None = None
    """Their answer, through the private link, to "Would you like to hear what would make it
    better for me?" (``None``: not asked, or not answered)."""


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

    def when(self, today: date) -> str:
        """When the check-in falls due, in words ("due 5 days ago", "due in 3 days"), or
        "never in touch": lateness said as such, never with a health status's name."""
        return Due.NEVER.value if self.last_on is None else due_phrase(self.due_on, today)

    def why(self, today: date) -> str:
        if self.last_on is None:
            return f"no contact logged yet; check in every {self.cadence_days} days"
        days = (today - self.last_on).days
        return (
            f"last contact {days_ago(days)} ({short_date(self.last_on, today)}); "
            f"cadence {self.cadence_days} days"
        )


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


# --- what they said would make it better: wishes --------------------------------------------


class WishForm(StrEnum):
    """What a wish becomes once I confirm it."""

    COMMITMENT = "commitment"
    """A promise of mine: something I can do in the relationship."""
    NEED = "need"
    """A need of theirs to keep in mind: something they seek, that I (or an introduction)
    may meet when I can."""


WISH_STATES: tuple[str | None, ...] = (None, "commitment", "need", "set-aside")
"""``checkins.wish_state``: waiting for me, confirmed as one or the other, or set aside."""

LOW_SATISFACTION = 2
"""A side's latest satisfaction at or below this (2 of 5, dissatisfied) is low."""
SATISFACTION_DROP = 2
"""A side's satisfaction falling by this much or more since its answer before is a drop."""

_NEED_CUES = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"\b(hear|learn|know|read) (a bit |a little )?more about\b",
        r"\b(hear|learn) about\b",
        r"\btell me (more )?about\b",
        r"\bintroduc\w* (me )?(to|with)\b",
        r"\bintros? (to|with)\b",
        r"\b(an|some|more) introductions?\b",
        r"\bintroduce me\b",
        r"\bconnect(ed|ing)? (me )?(to|with)\b",
        r"\b(meet|meeting) (people|someone|more people)\b",
        r"\blooking for\b",
        r"\b(advice|feedback|guidance) (on|about|with)\b",
        r"\bhelp (me )?(with|find|finding|to find|get|getting)\b",
        r"\b(recommend\w*|referr?als?)\b",
        r"\bmentor\w*\b",
        r"\b(a|new) (job|role|position|client|clients|customers?|flat|apartment)\b",
    )
)
"""Words that say they are seeking something: a need of theirs to keep in mind."""

_COMMITMENT_CUES = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"\bphones?\b",
        r"\bmore (time|often|notice)\b",
        r"\b(less|fewer)\b",
        r"\b(call|visit|see|text|write|message) (me |each other |us )?more\b",
        r"\b(listen\w*|reply|replies|respond\w*|on time|show up|remember\w*)\b",
        r"\b(dinners?|lunch\w*|breakfasts?|walks?|date nights?|weekends?)\b",
        r"\btogether\b",
        r"\b(every|each) (day|week|month|\w+day)\b",
        r"\b(daily|weekly|monthly)\b",
        r"\b(stop|don'?t|do not|never|always)\b",
        r"\bcheck in\b",
    )
)
"""Words that ask for something between us: a promise of mine fits."""


@dataclass(frozen=True, slots=True)
class Proposal:
    """The form a wish most naturally takes, and why; always overridable."""

    form: WishForm
    reason: str


def proposed_form(text: str) -> Proposal:
    """Whether what they said reads as a promise of mine or as a need of theirs.

    "I'd love to hear more about your research" or "introductions to people in publishing"
    say they are seeking something: a need of theirs to keep in mind (``need``). "Phones
    away at dinner" asks something of how we are together: a promise of mine
    (``commitment``). When both kinds of words appear, the one said first decides; with
    neither, a promise is proposed (they answered what would make *our* relationship
    better). The reason quotes the words that decided.
    """
    found: list[tuple[int, WishForm, str]] = []
    for form, cues in ((WishForm.NEED, _NEED_CUES), (WishForm.COMMITMENT, _COMMITMENT_CUES)):
        for cue in cues:
            match = cue.search(text)
            if match:
                found.append((match.start(), form, match.group(0)))
    if not found:
        return Proposal(
            WishForm.COMMITMENT,
            "it asks something of how you are together, so a promise of yours fits "
            "(keep it as their need instead if it is something they are seeking)",
        )
    _, form, words = min(found, key=lambda hit: (hit[0], hit[1] != WishForm.NEED))
    if form is WishForm.NEED:
        return Proposal(
            form,
            f'it says they are seeking something ("{words}"): keep it in mind as their '
            "need, to meet yourself or through an introduction when you can",
        )
    return Proposal(
        form, f'it asks something of how you are together ("{words}"): a promise of yours fits'
    )


@dataclass(frozen=True, slots=True)
class PendingWish:
    """Their answer to "what would make it better for you", waiting for me to confirm it as
    a commitment of mine or a need of theirs, or to set it aside."""

    checkin_id: int
    person_id: int
    on: date
    text: str
    their_satisfaction: int | None
    """Their satisfaction at that check-in (1 to 5), when they gave it."""
    my_satisfaction: int | None
    source: str
    """``me`` (I recorded it) or ``link`` (they answered through the private link)."""
    proposal: Proposal


def is_pending(checkin: CheckIn) -> bool:
    """A check-in holds a wish waiting for me: they said what would make it better, and I
    have neither confirmed it nor set it aside."""
    return bool(checkin.their_better and checkin.their_better.strip()) and (
        checkin.wish_state is None
    )


def pending_wish(checkin: CheckIn) -> PendingWish:
    """The wish a check-in holds (see :func:`is_pending`), with its proposed form."""
    text = " ".join((checkin.their_better or "").split())
    return PendingWish(
        checkin_id=checkin.id,
        person_id=checkin.person_id,
        on=checkin.on,
        text=text,
        their_satisfaction=checkin.their_satisfaction,
        my_satisfaction=checkin.my_satisfaction,
        source=checkin.source,
        proposal=proposed_form(text),
    )


def pending_wishes(checkins: Sequence[CheckIn]) -> list[PendingWish]:
    """Every wish still waiting for me among ``checkins`` (in any order), newest first."""
    waiting = [c for c in checkins if is_pending(c)]
    waiting.sort(key=lambda c: (c.on, c.id), reverse=True)
    return [pending_wish(c) for c in waiting]


def open_wish(checkins: Sequence[CheckIn]) -> PendingWish | None:
    """The latest wish still waiting for me among one person's ``checkins`` (in any
    order), or ``None``: what they said would make it better, to quote in "why" and act
    on in "next" until I confirm it or set it aside."""
    waiting = pending_wishes(checkins)
    return waiting[0] if waiting else None


def satisfaction_alarm(checkins: Sequence[CheckIn], today: date | None = None) -> str | None:
    """Words for a satisfaction that should lead the next action, or ``None``.

    Looks at one person's ``checkins`` (in any order) answered on or before ``today``
    (all of them when ``None``), each side on its own answers: a side whose latest answer
    fell by :data:`SATISFACTION_DROP` or more since its answer before ("their satisfaction
    fell from 5 to 3"), or whose latest answer is :data:`LOW_SATISFACTION` of 5 or less
    ("your satisfaction is 2 of 5 (dissatisfied)"). Their side comes first; both sides
    are joined with "and".
    """
    seen = sorted(
        (c for c in checkins if today is None or c.on <= today), key=lambda c: (c.on, c.id)
    )
    parts = []
    for whose, name in (("their", "their_satisfaction"), ("your", "my_satisfaction")):
        answers = [value for c in seen if (value := getattr(c, name)) is not None]
        if not answers:
            continue
        latest = answers[-1]
        if len(answers) >= 2 and answers[-2] - latest >= SATISFACTION_DROP:
            parts.append(f"{whose} satisfaction fell from {answers[-2]} to {latest}")
        elif latest <= LOW_SATISFACTION:
            parts.append(f"{whose} satisfaction is {latest} of 5 ({SATISFACTION[latest]})")
    return " and ".join(parts) or None


# --- the private link's reciprocal question -------------------------------------------------

RECIPROCAL_QUESTION = "Would you like to hear what would make it better for me?"
"""Asked on the private link, after what would make it better for them (the seed's
"ask if they would be willing to hear what would make the friendship better for you")."""

_WOULD_HEAR = re.compile(r"\A\[would hear: (yes|no|-)\](?:\n|\Z)")
_WOULD_HEAR_WORDS = {True: "yes", False: "no", None: "-"}


def message_with_answer(message: str | None, would_hear: bool | None) -> str:
    """What a link's answer stores in ``checkins.message``: a first line holding their
    answer to :data:`RECIPROCAL_QUESTION` (``[would hear: yes|no|-]``), then their
    message. Every answer through a link carries the line, so a message that happens to
    begin the same way is never mistaken for it."""
    head = f"[would hear: {_WOULD_HEAR_WORDS[would_hear]}]"
    return f"{head}\n{message}" if message else head


def message_and_answer(stored: str | None) -> tuple[str | None, bool | None]:
    """The message and the answer to :data:`RECIPROCAL_QUESTION` from what
    :func:`message_with_answer` stored (a message without the line is returned as it is)."""
    if stored is None:
        return None, None
    found = _WOULD_HEAR.match(stored)
    if found is None:
        return stored, None
    answer = {"yes": True, "no": False, "-": None}[found.group(1)]
    return stored[found.end() :] or None, answer


def would_hear_words(would_hear: bool | None) -> str | None:
    """How the owner is told their answer to :data:`RECIPROCAL_QUESTION`."""
    if would_hear is None:
        return None
    if would_hear:
        return "they would like to hear what would make it better for you"
    return "they would rather not hear, for now, what would make it better for you"


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
