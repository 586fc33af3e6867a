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

Then the modifiers, in order: a boundary (a kind I do not give) is a no; the relationship,
read from the same verdict ``next`` gives (:class:`Standing`: its status, next action and
intent), so that the two can never contradict each other; and, with the last word, my
capacity for the period (used up: later; this request would exceed it: a yes becomes
negotiate). The relationship's modifier, for a request of me:

* a tie of any intent but reciprocal (care, mentoring, service, close): none. Nothing is
  owed back, and only my capacity can move the proposal; the reason names the intent;
* ``next`` says "say no kindly" (I give more and my budget is at risk): a yes becomes
  negotiate (a third option);
* ``next`` says "pause giving" (I give much more, and it costs me): a yes that costs more
  than a minor inconvenience becomes negotiate;
* any other over-giving: the decision stands, and the reason suggests inviting them to give
  back in their own way;
* over-receiving: lean towards yes, one step.

Each modifier only moves the proposal one way, so raising the benefit to them never turns a
yes into a no, and raising my cost never turns a no into a yes. Every reason ends with how
often this person asked lately (from the second ask in :data:`ASK_WINDOW_DAYS`) and the
relationship's intent and balance. The factors that moved the proposal are kept in its
:class:`Factor` list, so that a decline gives only reasons that are true of the decision.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from mutuality.core.errors import InvalidInput
from mutuality.core.health_rules import Action, Status
from mutuality.core.model import Intent


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

DECISION_WORDS: dict[Decision, str] = {
    Decision.YES: "yes",
    Decision.NO: "no",
    Decision.NEGOTIATE: "negotiate: look for a third option",
    Decision.LATER: "later: keep it in mind",
}
"""Each decision in a few words: how a reason names the proposal it ends on."""


ASK_WINDOW_DAYS = 90
"""How far back a person's asks are counted in a proposal's reason ("their 6th ask in 90
days")."""


class Factor(StrEnum):
    """What moved a proposal away from a yes: the only reasons a decline may give."""

    BOUNDARY = "boundary"
    """It asks for a kind I said I do not give."""
    COST = "cost"
    """Its cost to me against its benefit to them (the base was no or negotiate)."""
    USED_UP = "capacity used up"
    """My giving budget for the period is used up."""
    OVER_BUDGET = "over budget"
    """This request alone would take me over what is left of the budget."""
    BUDGET_AT_RISK = "budget at risk"
    """I give more than I receive here and my budget is at risk (``next``: say no kindly)."""
    COSTS_ME = "costs me"
    """I give much more than I receive here and it costs me (``next``: pause giving)."""


@dataclass(frozen=True, slots=True)
class Standing:
    """The relationship as ``next`` judges it: its health verdict from my side. The rule
    reads the same verdict, so ``ask`` and ``next`` never contradict each other."""

    status: Status = Status.BALANCED
    action: Action = Action.INTRODUCE
    """The next action ``next`` gives for this relationship."""
    intent: Intent = Intent.RECIPROCAL
    balance: float | None = None
    """(given - received) / (given + received), from my side; ``None`` with nothing logged."""

    @property
    def judged(self) -> bool:
        """Only a reciprocal tie is judged on its balance."""
        return self.intent is Intent.RECIPROCAL


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
    standing: Standing | None = None
    """The relationship's verdict, as ``next`` gives it; ``None``: not weighed."""
    asked_by_me: bool = False
    """A request I make of them: the rule weighs it from their side, and its words say so
    (benefit to me, cost to them)."""
    asks: int = 0
    """How many requests this person made of me (or I of them, for mine) in the last
    :data:`ASK_WINDOW_DAYS` days, this one included; named in the reason from 2."""


@dataclass(frozen=True, slots=True)
class Proposal:
    decision: Decision
    reason: str
    base: Decision
    """What benefit and cost alone proposed, before the modifiers."""
    factors: tuple[Factor, ...] = ()
    """What held the proposal back from a yes, in the order the rule weighed them."""


_BOUNDARY_WORDS = "which you said you do not give"
_USED_UP_WORDS = "Your giving budget for this period is used up"
_OVER_BUDGET_WORDS = "It would take you over budget"
_AT_RISK_WORDS = "your giving budget is at risk (its next action: say no kindly)"
_COSTS_ME_WORDS = "it costs you (its next action: pause giving)"
_GIVE_MORE_WORDS = "You already give more than you receive here"
FACTOR_WORDS: dict[Factor, str] = {
    Factor.BOUNDARY: _BOUNDARY_WORDS,
    Factor.USED_UP: _USED_UP_WORDS,
    Factor.OVER_BUDGET: _OVER_BUDGET_WORDS,
    Factor.BUDGET_AT_RISK: _AT_RISK_WORDS,
    Factor.COSTS_ME: _COSTS_ME_WORDS,
}
"""Words each factor puts in a proposal's reason, by which a stored reason is read back
(:func:`factors_of`); the cost is read from benefit and cost themselves."""
_EARLIER_FACTOR_WORDS: dict[Factor, str] = {
    Factor.BUDGET_AT_RISK: "your giving budget is at risk (as `next` says: say no kindly)",
    Factor.COSTS_ME: "it costs you (as `next` says: pause giving)",
}
"""The same factors' words in reasons stored before they were reworded (they named a
command), so that an older proposal is still read back truly."""

_NOTHING_OWED = {
    Intent.CARE: "in a time of care, nothing is owed back",
    Intent.MENTORING: "in mentoring, where one side teaches and both learn, nothing is owed back",
    Intent.SERVICE: "in service given by choice, nothing is owed back",
    Intent.CLOSE: "in a close tie, nobody keeps count",
}
_INTENT_NAMES = {
    Intent.RECIPROCAL: "reciprocal",
    Intent.CARE: "a time of care",
    Intent.MENTORING: "mentoring",
    Intent.SERVICE: "service",
    Intent.CLOSE: "a close tie",
}


def propose(
    benefit: float, cost: float, situation: Situation, rule: RequestRule | None = None
) -> Proposal:
    """The decision for a request of ``benefit`` to them at ``cost`` to me, with its reason."""
    rule = rule or RequestRule()
    base, why = _base(benefit, cost, rule, situation.asked_by_me)
    decision, reasons = base, [why]
    factors = [Factor.COST] if base in (Decision.NO, Decision.NEGOTIATE) else []
    if situation.boundary is not None:
        reasons = [
            f"It asks for {situation.boundary}, {_BOUNDARY_WORDS}: a boundary "
            "is a kind no, whatever the benefit."
        ]
        reasons += _context(situation)
        return Proposal(Decision.NO, " ".join(reasons), base, (Factor.BOUNDARY,))
    standing = situation.standing
    if standing is not None:
        if situation.asked_by_me:
            decision, said = _their_side(decision, cost, standing, rule)
        else:
            decision, said, factor = _my_side(decision, cost, standing, rule)
            if factor is not None:
                factors.append(factor)
        reasons += said
    left = situation.capacity_left
    if left is not None and decision in (Decision.YES, Decision.NEGOTIATE):
        if left <= 0:
            decision = Decision.LATER
            factors.append(Factor.USED_UP)
            reasons.append(f"{_USED_UP_WORDS}: keep it in mind for when it frees up.")
        elif (situation.load if situation.load is not None else cost) > left and (
            decision is Decision.YES
        ):
            decision = Decision.NEGOTIATE
            factors.append(Factor.OVER_BUDGET)
            reasons.append(
                f"{_OVER_BUDGET_WORDS} ({left:.1f} left this period): offer a smaller version."
            )
    if decision is not base:
        # The reason must never read as another decision than the one proposed: the base
        # verdict is said as the starting point, and the reason ends on the proposal.
        reasons[0] = f"On benefit and cost alone: {why[0].lower()}{why[1:]}"
        reasons.append(f"So the proposal is {DECISION_WORDS[decision]}.")
    reasons += _context(situation)
    return Proposal(decision, " ".join(reasons), base, tuple(factors))


def _my_side(
    decision: Decision, cost: float, standing: Standing, rule: RequestRule
) -> tuple[Decision, list[str], Factor | None]:
    """The relationship's modifier for a request of me, from the verdict ``next`` gives."""
    if not standing.judged:
        owed = _NOTHING_OWED[standing.intent]
        said = [
            f"{owed[0].upper()}{owed[1:]}: the balance does not move this proposal; only "
            "your capacity can."
        ]
        if standing.action is Action.LOOK_AFTER_YOURSELF:
            said.append("Your giving budget is at risk: give what you can sustain.")
        return decision, said, None
    if standing.action is Action.SAY_NO_KINDLY:
        words = f"{_GIVE_MORE_WORDS}, and {_AT_RISK_WORDS}"
        if decision is Decision.YES:
            return (
                Decision.NEGOTIATE,
                [
                    f"{words}: rather than a full yes, offer a third option (later, smaller, or "
                    "someone else who can help)."
                ],
                Factor.BUDGET_AT_RISK,
            )
        return decision, [f"{words}."], Factor.BUDGET_AT_RISK
    if standing.action is Action.PAUSE_GIVING:
        words = f"{_GIVE_MORE_WORDS}, and {_COSTS_ME_WORDS}"
        if decision is Decision.YES and cost > rule.minor_cost:
            return (
                Decision.NEGOTIATE,
                [f"{words}: ask for what would make it work for you too before you take on more."],
                Factor.COSTS_ME,
            )
        if decision is Decision.YES:
            # Not a factor: the yes stands, so a decline may not give it as the reason.
            return (
                decision,
                [
                    f"{_GIVE_MORE_WORDS} (its next action: pause giving), but a minor favour "
                    "can still be a yes: hold back on anything bigger until you have talked."
                ],
                None,
            )
        return decision, [f"{words}."], Factor.COSTS_ME
    if standing.status is Status.OVER_GIVING:
        return (
            decision,
            [
                f"{_GIVE_MORE_WORDS}: invite them to give back in their own way (ask what they "
                "enjoy offering), not as a debt but as a way in."
            ],
            None,
        )
    if standing.status is Status.OVER_RECEIVING and decision in (
        Decision.NO,
        Decision.NEGOTIATE,
    ):
        return (
            Decision.NEGOTIATE if decision is Decision.NO else Decision.YES,
            ["You have received much from them lately: lean towards yes."],
            None,
        )
    return decision, [], None


def _their_side(
    decision: Decision, cost: float, standing: Standing, rule: RequestRule
) -> tuple[Decision, list[str]]:
    """The relationship's modifier for a request I make: the verdict seen from their side."""
    if not standing.judged:
        kind = _INTENT_NAMES[standing.intent]
        return decision, [
            f"In {kind} the balance is not weighed: whether they can help is theirs to say."
        ]
    if standing.status is Status.OVER_GIVING and decision in (Decision.NO, Decision.NEGOTIATE):
        return (
            Decision.NEGOTIATE if decision is Decision.NO else Decision.YES,
            ["They have received much from you lately: they may lean towards yes."],
        )
    if (
        standing.status is Status.OVER_RECEIVING
        and decision is Decision.YES
        and (cost > rule.minor_cost)
    ):
        return (
            Decision.NEGOTIATE,
            [
                "They already give more than they receive here: expect them to ask for what "
                "would make it work for them too."
            ],
        )
    return decision, []


def _context(situation: Situation) -> list[str]:
    """How often they asked lately, and the relationship in a short clause."""
    said = []
    if situation.asks >= 2:
        said.append(
            f"This is your {ordinal(situation.asks)} ask of them in {ASK_WINDOW_DAYS} days."
            if situation.asked_by_me
            else f"This is their {ordinal(situation.asks)} ask in {ASK_WINDOW_DAYS} days."
        )
    standing = situation.standing
    if standing is not None:
        said.append(f"The relationship: {relationship_clause(standing)}.")
    return said


def relationship_clause(standing: Standing) -> str:
    """The intent and the balance in a few words: "reciprocal, balance +0.62 (you give
    more)"."""
    intent = _INTENT_NAMES[standing.intent]
    balance = standing.balance
    if balance is None:
        return f"{intent}, nothing of value logged yet"
    lean = (
        "you give more" if balance > 0.005 else "you receive more" if balance < -0.005 else "even"
    )
    judged = "" if standing.judged else ", which is not judged"
    return f"{intent}, balance {balance:+.2f} ({lean}{judged})"


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th... 11th, 12th, 13th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def factors_of(
    reason: str, benefit: float, cost: float, rule: RequestRule | None = None
) -> tuple[Factor, ...]:
    """The factors a stored proposal was moved by, read back from its reason's words (and
    the cost from benefit and cost themselves): what a decline may truly say."""
    if _BOUNDARY_WORDS in reason or "do not give" in reason:
        return (Factor.BOUNDARY,)
    base, _ = _base(benefit, cost, rule or RequestRule())
    found = [Factor.COST] if base in (Decision.NO, Decision.NEGOTIATE) else []
    for factor in (Factor.BUDGET_AT_RISK, Factor.COSTS_ME, Factor.USED_UP, Factor.OVER_BUDGET):
        if FACTOR_WORDS[factor] in reason or _EARLIER_FACTOR_WORDS.get(factor, "\0") in reason:
            found.append(factor)
    return tuple(found)


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
