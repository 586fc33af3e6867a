"""Deciding what to say yes to: the seeds' rule for requests, made explicit.

"What they want has a huge benefit for them but only causes a minor inconvenience for
you: an easy yes. Of small benefit to them but a major cost for you: an easy no.
Sometimes it conflicts, and it takes some effort to find a third option. And what you
can't do now, you keep in mind." The rule below turns that into a proposal with its
reason; ``docs/requests.md`` gives a worked example for each quadrant.

Base, from benefit ``B`` to them and cost ``C`` to me (the 0-10 scale):

* easy yes: ``B >= big_benefit`` and ``C <= minor_cost``;
* easy no: ``B <= small_benefit`` and ``C >= major_cost``;
* conflict: ``B >= big_benefit`` and ``C >= major_cost``: negotiate a third option;
* both small (``B <= small_benefit`` and ``C <= minor_cost``): yes when ``B >= C`` (a cheap
  kindness), else no;
* in between: yes when ``B >= 2C`` or (a minor cost and ``B >= C``), no when ``C >= 2B``
  or (a small benefit and ``C > B``), else negotiate.

Then the modifiers, in order: a boundary (a kind I do not give) is a no; the relationship
(over-receiving: lean towards yes, one step; over-giving: a yes that costs more than a
minor inconvenience becomes negotiate); and, with the last word, my capacity for the
period (used up: later; this request would exceed it: a yes becomes negotiate). Each
modifier only moves the proposal one way, so raising the benefit to them never turns a yes
into a no, and raising my cost never turns a no into a yes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from mutuality.core.errors import InvalidInput


class Decision(StrEnum):
    YES = "yes"
    NO = "no"
    NEGOTIATE = "negotiate"
    LATER = "later"


FAVOUR: dict[Decision, int] = {
    Decision.NO: 0,
    Decision.LATER: 1,
    Decision.NEGOTIATE: 2,
    Decision.YES: 3,
}
"""How favourable each decision is to the asker: the order the modifiers respect."""


class Leaning(StrEnum):
    """The relationship's state as far as the rule cares."""

    NEUTRAL = "neutral"
    I_RECEIVED_MORE = "over-receiving"
    I_GAVE_MORE = "over-giving"


@dataclass(frozen=True, slots=True)
class RequestRule:
    """Thresholds of the rule (``[requests]`` in the config file)."""

    big_benefit: float = 5.0
    small_benefit: float = 3.0
    minor_cost: float = 3.0
    major_cost: float = 6.0
    clear_ratio: float = 2.0
    """In between, one side must be this many times the other for a clear yes or no."""

    def __post_init__(self) -> None:
        if not 0 <= self.small_benefit < self.big_benefit <= 10:
            raise InvalidInput(
                "need 0 <= small_benefit < big_benefit <= 10",
                field="small_benefit",
                value=self.small_benefit,
            )
        if not 0 <= self.minor_cost < self.major_cost <= 10:
            raise InvalidInput(
                "need 0 <= minor_cost < major_cost <= 10", field="minor_cost", value=self.minor_cost
            )
        if self.clear_ratio <= 1:
            raise InvalidInput(
                "clear_ratio must be above 1", field="clear_ratio", value=self.clear_ratio
            )


@dataclass(frozen=True, slots=True)
class Request:
    """A specific ask, with what the rule proposed and what I decided."""

    id: int
    person_id: int
    from_me: bool
    """``True`` for a request I make of them; ``False`` for one they make of me."""
    text: str
    benefit: float
    """Benefit to whoever asked."""
    cost: float
    """Cost to whoever is asked."""
    kind: str | None
    made_on: date
    due_on: date | None
    proposal: Decision
    proposal_reason: str
    decision: Decision | None
    decided_on: date | None
    third_option: str | None
    status: str


@dataclass(frozen=True, slots=True)
class Commitment:
    """A promise with a due date: ``mine`` (I promised them) or ``theirs``."""

    id: int
    person_id: int
    mine: bool
    text: str
    kind: str | None
    benefit: float
    cost: float
    hours: float | None
    made_on: date
    due_on: date
    status: str
    """``open``, ``kept`` or ``broken``."""
    closed_on: date | None
    request_id: int | None
    exchange_id: int | None

    @property
    def late(self) -> bool:
        """Kept after its due date (or still open past it, as of ``closed_on``)."""
        return self.closed_on is not None and self.closed_on > self.due_on


@dataclass(frozen=True, slots=True)
class FollowThrough:
    """How promises went: on time, late, broken, and open past their due date."""

    kept: int = 0
    late: int = 0
    broken: int = 0
    overdue: int = 0

    @property
    def rate(self) -> float | None:
        """Kept on time out of all that were due: ``None`` before any was."""
        due = self.kept + self.late + self.broken + self.overdue
        return None if due == 0 else self.kept / due


def follow_through(
    commitments: Iterable[Commitment], today: date
) -> tuple[FollowThrough, FollowThrough]:
    """(mine, theirs): kept on time, kept late, broken, and still open past the due date."""
    tallies = {True: [0, 0, 0, 0], False: [0, 0, 0, 0]}
    for commitment in commitments:
        tally = tallies[commitment.mine]
        if commitment.status == "kept":
            tally[1 if commitment.late else 0] += 1
        elif commitment.status == "broken":
            tally[2] += 1
        elif commitment.status == "open" and commitment.due_on < today:
            tally[3] += 1
    return FollowThrough(*tallies[True]), FollowThrough(*tallies[False])


@dataclass(frozen=True, slots=True)
class Situation:
    """What else the rule weighs besides benefit and cost."""

    boundary: str | None = None
    """The kind I do not give that this request asks for, if any."""
    capacity_left: float | None = None
    """What is left of my budget this period, in its unit; ``None`` without a budget."""
    load: float | None = None
    """What this request would take of the budget, in its unit (default: the cost)."""
    leaning: Leaning = Leaning.NEUTRAL
    asked_by_me: bool = False
    """A request I make of them: the rule weighs it from their side, and its words say so
    (benefit to me, cost to them)."""


@dataclass(frozen=True, slots=True)
class Proposal:
    decision: Decision
    reason: str
    base: Decision
    """What benefit and cost alone proposed, before the modifiers."""


def propose(
    benefit: float, cost: float, situation: Situation, rule: RequestRule | None = None
) -> Proposal:
    """The decision for a request of ``benefit`` to them at ``cost`` to me, with its reason."""
    rule = rule or RequestRule()
    base, why = _base(benefit, cost, rule, situation.asked_by_me)
    decision, reasons = base, [why]
    if situation.boundary is not None:
        return Proposal(
            Decision.NO,
            f"It asks for {situation.boundary}, which you said you do not give: a boundary "
            "is a kind no, whatever the benefit.",
            base,
        )
    if situation.leaning is Leaning.I_RECEIVED_MORE and decision in (
        Decision.NO,
        Decision.NEGOTIATE,
    ):
        decision = Decision.NEGOTIATE if decision is Decision.NO else Decision.YES
        reasons.append(
            "They have received much from you lately: they may lean towards yes."
            if situation.asked_by_me
            else "You have received much from them lately: lean towards yes."
        )
    elif (
        situation.leaning is Leaning.I_GAVE_MORE
        and decision is Decision.YES
        and cost > rule.minor_cost
    ):
        decision = Decision.NEGOTIATE
        reasons.append(
            "They already give more than they receive here: expect them to ask for "
            "what would make it work for them too."
            if situation.asked_by_me
            else "You already give more than you receive here: take care, and ask "
            "for what would make it work for you too."
        )
    left = situation.capacity_left
    if left is not None and decision in (Decision.YES, Decision.NEGOTIATE):
        if left <= 0:
            decision = Decision.LATER
            reasons.append(
                "Your giving budget for this period is used up: keep it in mind "
                "for when it frees up."
            )
        elif (situation.load if situation.load is not None else cost) > left and (
            decision is Decision.YES
        ):
            decision = Decision.NEGOTIATE
            reasons.append(
                f"It would take you over budget ({left:.1f} left this period): "
                "offer a smaller version."
            )
    return Proposal(decision, " ".join(reasons), base)


def _base(
    benefit: float, cost: float, rule: RequestRule, asked_by_me: bool = False
) -> tuple[Decision, str]:
    # b: who benefits (the asker); c: who bears the cost (the one asked).
    b, c = ("you", "them") if asked_by_me else ("them", "you")
    numbers = f"(benefit to {b} {benefit:g}, cost to {c} {cost:g})"
    if benefit >= rule.big_benefit and cost <= rule.minor_cost:
        return (
            Decision.YES,
            f"A big benefit to {b} for a minor cost to {c} {numbers}: an easy yes.",
        )
    if benefit <= rule.small_benefit and cost >= rule.major_cost:
        return (
            Decision.NO,
            f"A small benefit to {b} for a major cost to {c} {numbers}: an easy no.",
        )
    if benefit >= rule.big_benefit and cost >= rule.major_cost:
        return (
            Decision.NEGOTIATE,
            f"It matters to {b} and costs {c} a lot {numbers}: look "
            "for a third option that gets you both more of what you want.",
        )
    if benefit <= rule.small_benefit and cost <= rule.minor_cost:
        if benefit >= cost:
            return (
                Decision.YES,
                f"A small favour that helps {b} at least as much as it costs {c} {numbers}.",
            )
        return Decision.NO, f"A small favour that costs {c} more than it helps {b} {numbers}."
    if benefit >= rule.clear_ratio * cost:
        return (
            Decision.YES,
            f"It helps {b} at least {rule.clear_ratio:g} times what it costs {c} {numbers}.",
        )
    if cost <= rule.minor_cost and benefit >= cost:
        # Next to the "both small" quadrant its rule carries on, so that a little more
        # benefit never turns a yes into a negotiate.
        return Decision.YES, f"A minor cost to {c} that helps {b} at least as much {numbers}."
    if cost >= rule.clear_ratio * benefit:
        return (
            Decision.NO,
            f"It costs {c} at least {rule.clear_ratio:g} times what it gives {b} {numbers}.",
        )
    if benefit <= rule.small_benefit and cost > benefit:
        return Decision.NO, f"A small benefit to {b} that costs {c} more {numbers}."
    return Decision.NEGOTIATE, f"Benefit and cost are close {numbers}: look for a third option."
