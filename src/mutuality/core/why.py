"""One relationship's health as a record, and the plain-words "why" behind its status.

The figures come from :func:`mutuality.core.health.judge`; this module only reads one row
of them and says what they mean, with the arithmetic, so no figure is unexplained.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from mutuality.core.advice import NOTHING_SAID, TieContext
from mutuality.core.analytics import EPOCH, NO_DAY
from mutuality.core.checkins import EQUITY, SATISFACTION, Views
from mutuality.core.health import (
    ACTION_ORDER,
    STATUS_ORDER,
    Action,
    HealthSettings,
    Judgement,
    Oriented,
    Status,
)
from mutuality.core.intent import INTENT_WORDS
from mutuality.core.model import Intent
from mutuality.core.requests import FollowThrough
from mutuality.core.words import days_ago, long_date, plural, short_date


@dataclass(frozen=True, slots=True)
class RelationshipHealth:
    """Everything health knows about one relationship, from my side."""

    person_id: int
    status: Status
    action: Action
    urgency: float
    given: float
    received: float
    my_cost: float
    their_cost: float
    my_net: float
    their_net: float
    balance: float | None
    momentum: float | None
    equity: float | None
    initiative_share: float | None
    my_initiatives: int
    their_initiatives: int
    times_given: int
    times_received: int
    recent: int
    previous: int
    first_on: date | None
    last_on: date | None
    days_since: int | None
    cadence_days: int
    appreciation_due: bool
    satisfaction: float | None = None
    context: TieContext = NOTHING_SAID
    """What the tie is for and what was said: intent, wish, alarm, win."""
    stretched: bool = False
    """The band was widened because both sides said it is about even."""

    @property
    def intent(self) -> Intent:
        return self.context.intent.intent


def _date(day: int) -> date | None:
    return None if day == NO_DAY else EPOCH + timedelta(days=int(day))


def maybe(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def health_at(
    rows: Oriented,
    verdict: Judgement,
    index: int,
    satisfaction: float | None = None,
    context: TieContext = NOTHING_SAID,
) -> RelationshipHealth:
    last_on = _date(int(rows.last_day[index]))
    return RelationshipHealth(
        person_id=int(rows.them[index]),
        status=STATUS_ORDER[int(verdict.status[index])],
        action=ACTION_ORDER[int(verdict.action[index])],
        urgency=float(verdict.urgency[index]),
        given=float(rows.given[index]),
        received=float(rows.received[index]),
        my_cost=float(rows.my_cost[index]),
        their_cost=float(rows.their_cost[index]),
        my_net=float(verdict.my_net[index]),
        their_net=float(verdict.their_net[index]),
        balance=maybe(verdict.balance[index]),
        momentum=maybe(verdict.momentum[index]),
        equity=maybe(verdict.equity[index]),
        initiative_share=maybe(verdict.initiative_share[index]),
        my_initiatives=int(rows.my_initiatives[index]),
        their_initiatives=int(rows.their_initiatives[index]),
        times_given=int(rows.times_given[index]),
        times_received=int(rows.times_received[index]),
        recent=int(rows.recent[index]),
        previous=int(rows.previous[index]),
        first_on=_date(int(rows.first_day[index])),
        last_on=last_on,
        days_since=None if last_on is None else int(verdict.days_since[index]),
        cadence_days=int(verdict.cadence[index]),
        appreciation_due=bool(verdict.appreciation_due[index]),
        satisfaction=satisfaction,
        context=context,
        stretched=bool(verdict.stretched[index]),
    )


_STATUS_WORDS = {
    Status.QUIET: "Nothing is logged with {name} yet: no exchange and no contact.",
    Status.NEW: "New: first contact on {first}, {count} since.",
    Status.FADING: "Fading: {fading}.",
    Status.OVERDUE: "A check-in is overdue: {silence}, longer than the {cadence}-day cadence.",
    Status.OVER_GIVING: "You give more than you receive: balance {balance:+.2f} is above "
    "+{tolerance:g}.",
    Status.OVER_RECEIVING: "You receive more than you give: balance {balance:+.2f} is below "
    "-{tolerance:g}.",
    Status.THRIVING: "Balanced ({balance:+.2f} within ±{tolerance:g}), both of you come out "
    "ahead, and you were in touch recently ({trend}).",
    Status.BALANCED: "Balanced ({balance:+.2f} within ±{tolerance:g}) but not thriving: {missing}.",
    Status.UNEVEN_BY_CHOICE: "{lean} (balance {balance:+.2f}), and in {intent} that is not for "
    "you to judge: nothing is owed.",
}

_ACTION_WORDS = {
    Action.CHECK_IN: "Check in: ask how satisfied they are and what would make the relationship "
    "more valuable for them (and whether they would hear what would make it better for you).",
    Action.GIVE_BACK: "Give back: look at their needs and offer something of value to them.",
    Action.THANK: "Thank them with specifics: tell them what their help meant to you.",
    Action.PAUSE_GIVING: "Pause giving, and say so kindly: it costs you more than it returns, "
    "far past the band or with you unhappy about it. Tell them what would make it better for "
    "you, and hold back new offers until you have talked.",
    Action.INTRODUCE: "Make an introduction: connect them with someone who could help them.",
    Action.SAY_NO_KINDLY: "Your giving budget is at risk: say no kindly to their next ask, "
    "and offer a third option (later, smaller, or someone else who can help).",
    Action.ACT_ON_WISH: 'Act on what they said: "{wish}" (at the check-in on {wish_on}). Make it '
    "a commitment, or keep it in mind as their need.",
    Action.CONGRATULATE: 'Congratulate them: "{win}" ({win_on}). Say what you noticed and '
    "what it took them.",
    Action.LOOK_AFTER_YOURSELF: "Look after yourself: your giving budget is at risk while you "
    "give here by choice. Keep giving what you can sustain, and lean on the people who "
    "support you.",
    Action.INVITE: "Invite them to give back their way: ask what they enjoy offering or are "
    "good at, not as a debt but as a way in. A boundary can wait.",
    Action.APPRECIATE: "Tell them what it means to you, today: the relationship has lasted "
    "since {first}, and you have not thanked them lately.",
}

_GENTLE_CHECK_IN = (
    "Check in gently: ask how they are and what would help right now. Nothing is owed back."
)
_LISTEN_FIRST = (
    "Check in and listen first: {alarm}. Ask what would make it better for them, before "
    "anything else."
)


def action_words(health: RelationshipHealth) -> str:
    """The next action in a sentence, with what it rests on (their words, their win)."""
    context = health.context
    if health.action is Action.CHECK_IN and context.alarm and context.wish is None:
        return _LISTEN_FIRST.format(alarm=context.alarm)
    if health.action is Action.CHECK_IN and health.intent is Intent.CARE:
        return _GENTLE_CHECK_IN
    if health.action is Action.PAUSE_GIVING and context.my_wish:
        return (
            _ACTION_WORDS[health.action]
            + f' You said what would make it better for you: "{context.my_wish}". Say it to them.'
        )
    return _ACTION_WORDS[health.action].format(
        wish=context.wish.text if context.wish else "",
        wish_on=long_date(context.wish.on) if context.wish else "",
        win=context.win.what if context.win else "",
        win_on=long_date(context.win.on) if context.win else "",
        first=health.first_on,
    )


def context_lines(health: RelationshipHealth, name: str, tolerance: float) -> list[str]:
    """What the tie is for and what was said, before the figures: it outweighs them."""
    context = health.context
    reading = context.intent
    until = f" (until {long_date(reading.until)})" if reading.until else ""
    lines = [
        f"Intent: {reading.intent.value}{until}, because {reading.reason}. "
        f"This is {INTENT_WORDS[reading.intent]}."
    ]
    if context.wish is not None:
        lines.append(
            f"At the check-in on {long_date(context.wish.on)}, {name} said what would make it "
            f'better: "{context.wish.text}". It waits for you to make it your commitment, '
            "keep it as their need, or set it aside."
        )
    if context.alarm is not None:
        lines.append(f"{context.alarm}: what they say outweighs what the ledger shows.")
    if context.win is not None:
        lines.append(f'Lately for {name}: "{context.win.what}" ({long_date(context.win.on)}).')
    if health.stretched and health.balance is not None:
        lines.append(
            f"Both of you said you are satisfied and that it is about even, so the ledger's "
            f"{health.balance:+.2f} (past ±{tolerance:g}) yields to your view."
        )
    return lines


def satisfaction_lines(seen: Views, name: str) -> list[str]:
    """The latest check-in answers of both sides, with how they moved."""
    lines = []
    for who, value, change in (
        ("Your", seen.my_satisfaction, seen.my_satisfaction_change),
        (f"{name}'s", seen.their_satisfaction, seen.their_satisfaction_change),
    ):
        if value is not None:
            moved = (
                ""
                if change is None
                else (
                    f", {'up' if change > 0 else 'down'} {abs(change)} since the check-in before"
                    if change
                    else ", unchanged since the check-in before"
                )
            )
            lines.append(f"{who} latest satisfaction: {value} of 5 ({SATISFACTION[value]}{moved}).")
    for who, value, side in (
        ("you see", seen.my_equity, "you"),
        (f"{name} sees", seen.their_equity, "them"),
    ):
        if value is not None:
            answer = EQUITY[value].replace("for me", f"for {side}")
            lines.append(f"Who gets the better deal, as {who} it: {answer}.")
    return lines


def _fall(momentum: float) -> str:
    """The momentum threshold in words: -0.6 means activity fell to a quarter."""
    share = (1 + momentum) / (1 - momentum)
    return "a quarter" if abs(share - 0.25) < 1e-9 else f"{share:.0%} of what it was"


def follow_through_lines(mine: FollowThrough, theirs: FollowThrough, name: str) -> list[str]:
    """Commitments kept on time, late and broken, each way (nothing when none was due)."""
    lines = []
    for who, record in (("You", mine), (name, theirs)):
        if record.rate is not None:
            lines.append(
                f"Follow-through: {who} kept {plural(record.kept, 'commitment')} on time, "
                f"{record.late} late, broke {record.broken}, and {record.overdue} are overdue "
                f"({record.rate:.0%} on time)."
            )
    return lines


def explain_health(
    health: RelationshipHealth, name: str, tolerance: float, settings: HealthSettings
) -> list[str]:
    """Sentences from the verdict down to the figures it rests on."""
    checked_on = health.context.last_checkin
    if health.intent is Intent.CLOSE and checked_on is not None and health.last_on is not None:
        # A close tie's clock is its check-ins (see core/health.py), so say so.
        since = (health.days_since or 0) + (health.last_on - checked_on).days
        silence = f"the last check-in was {days_ago(since)} ({long_date(checked_on)})"
    else:
        last = long_date(health.last_on) if health.last_on is not None else ""
        silence = (
            "no contact logged"
            if health.days_since is None
            else f"the last contact was {days_ago(health.days_since)} ({last})"
        )
    trend = (
        f"{plural(health.recent, 'event')} in the last window against {health.previous} before"
        if health.momentum is not None
        else "no activity in the last two windows"
    )
    missing = []
    if health.my_net <= 0 or health.their_net <= 0:
        missing.append("not both of you come out ahead")
    if health.recent == 0:
        missing.append("no contact in the last window")
    if health.momentum is not None and health.momentum < 0:
        missing.append("activity is declining")
    if health.satisfaction is not None:
        missing.append(f"the latest satisfaction is {health.satisfaction:g}")
    fading = (
        f"{silence}, more than {settings.fading_factor:g} times the {health.cadence_days}-day "
        "cadence"
        if health.days_since is not None
        and health.days_since > settings.fading_factor * health.cadence_days
        else f"activity fell to {_fall(settings.fading_momentum)} or less ({trend})"
    )
    lean = (
        "You give more than you receive"
        if (health.balance or 0.0) > 0
        else "You receive more than you give"
    )
    words = _STATUS_WORDS[health.status].format(
        fading=fading,
        lean=lean,
        intent=INTENT_WORDS[health.intent].split(":")[0],
        name=name,
        first=health.first_on,
        count=plural(health.times_given + health.times_received, "exchange"),
        silence=silence,
        trend=trend,
        cadence=health.cadence_days,
        balance=health.balance if health.balance is not None else 0.0,
        tolerance=tolerance,
        factor=settings.fading_factor,
        fall=_fall(settings.fading_momentum),
        missing=", ".join(missing) or "nothing stands out",
    )
    if health.balance is None and health.status in (Status.BALANCED, Status.THRIVING):
        words = (
            "No benefit is logged either way yet (contact only), so there is no balance to "
            "judge: log what you gave and got."
        )
    lines = [f"{name}: {health.status.value}. {words}"]
    lines.append(action_words(health))
    lines += context_lines(health, name, tolerance)
    if health.initiative_share is not None:
        lines.append(
            f"Who reaches out: you {plural(health.my_initiatives, 'time')}, {name} "
            f"{plural(health.their_initiatives, 'time')} ({health.initiative_share:.0%} you)."
        )
    if health.equity is not None:
        side = "you get the better deal" if health.equity > 0 else f"{name} gets the better deal"
        if not health.context.intent.judges_balance:
            side = f"in {INTENT_WORDS[health.intent].split(':')[0]} this is not weighed"
        lines.append(
            f"Equity (benefit received per unit of cost borne, each side): {health.equity:+.2f}"
            f"; {side}" + (" (about even)." if abs(health.equity) < 0.2 else ".")
        )
        lines.append(equity_arithmetic(health, name, settings.equity_floor))
    if health.momentum is not None:
        lines.append(
            f"Momentum = (recent - previous) / (recent + previous) = ({health.recent} - "
            f"{health.previous}) / ({health.recent} + {health.previous}) = "
            f"{health.momentum:+.2f}."
        )
    lines.append(
        f"Check-in cadence: every {health.cadence_days} days; "
        + (
            "never in touch yet."
            if health.days_since is None
            else f"last contact {days_ago(health.days_since)}."
        )
    )
    return lines


def _per_cost(benefit: float, cost: float, floor: float) -> str:
    """``benefit / cost`` as the equity divides it: a cost below the floor counts as the floor."""
    if cost < floor:
        return f"{benefit:.2f} / {floor:g} (the cost, {cost:.2f}, counts as the floor of {floor:g})"
    return f"{benefit:.2f} / {cost:.2f}"


def equity_arithmetic(health: RelationshipHealth, name: str, floor: float) -> str:
    """The two ratios behind the equity, after Adams: each side's outcome (the benefit it
    received) against its input (the cost it bore), then how far apart they are."""
    mine = health.received / max(health.my_cost, floor)
    theirs = health.given / max(health.their_cost, floor)
    return (
        f"Equity = (yours - {name}'s) / (yours + {name}'s): yours = what you received / what "
        f"giving cost you = {_per_cost(health.received, health.my_cost, floor)} = {mine:.2f}; "
        f"{name}'s = what you gave them / what giving cost them = "
        f"{_per_cost(health.given, health.their_cost, floor)} = {theirs:.2f}; "
        f"({mine:.2f} - {theirs:.2f}) / ({mine:.2f} + {theirs:.2f}) = {health.equity:+.2f}."
    )


@dataclass(frozen=True, slots=True)
class Contact:
    """One dated contact with a person: the evidence behind "days since contact"."""

    on: date
    kind: str
    """``gave`` or ``got`` (an exchange, from my side), ``touch`` or ``checkin``."""
    what: str
    """The exchange's description, the touch's channel, or the check-in's kind."""


CONTACTS_SHOWN = 3
"""How many of the latest contacts an overdue or fading relationship's why lists."""
SHOWS_CONTACTS = frozenset({Status.OVERDUE, Status.FADING})
"""The statuses that rest on the days since contact, whose why lists the latest ones."""

_CHANNEL_WORDS = {
    "call": "a call",
    "message": "a message",
    "email": "an email",
    "meeting": "a meeting",
    "video": "a video call",
}
_CHECKIN_WORDS = {"checkin": "a check-in", "repair": "a repair conversation"}


def _contact_words(contact: Contact, name: str) -> str:
    if contact.kind == "gave":
        return f'you gave {name} "{contact.what}"'
    if contact.kind == "got":
        return f'{name} gave you "{contact.what}"'
    if contact.kind == "touch":
        return _CHANNEL_WORDS.get(contact.what, "a contact") + " (no exchange)"
    return _CHECKIN_WORDS.get(contact.what, "a check-in")


def latest_contacts_line(contacts: Sequence[Contact], name: str, today: date) -> str:
    """The latest dated exchanges, touches and check-ins, newest first: the first one is
    where "N days since contact" counts from."""
    if not contacts:
        return f"No exchange, touch or check-in with {name} is logged: there is no contact yet."
    shown = "; ".join(
        f"{short_date(contact.on, today)} ({days_ago((today - contact.on).days)}): "
        + _contact_words(contact, name)
        for contact in contacts
    )
    return f"Latest contacts with {name}, newest first: {shown}."


_PATTERN_WORDS = {
    "giver": "gives more than they receive",
    "matcher": "gives and receives about evenly",
    "taker": "receives more than they give",
}


def ledger_pattern_line(style: object, name: str) -> str:
    """What the ledger shows of someone's giving across everyone in it, never as a label:
    it may not be the whole story (seed 001: "that is not for you to judge")."""
    value = getattr(style, "value", str(style))
    pattern = _PATTERN_WORDS.get(value, "shows no clear pattern yet")
    return (
        f"Across your ledger, {name} {pattern}. It may not be the whole story: much of what "
        "people give is never logged."
    )


def balance_instead(health: RelationshipHealth) -> str | None:
    """What replaces the balance band's verdict in a relationship's explanation: the intent
    when the tie is not judged on its balance, both sides' view when it widened the band."""
    if not health.context.intent.judges_balance:
        kind = INTENT_WORDS[health.intent].split(":")[0]
        return f"outside it or not, {kind} is not judged on its balance."
    if health.stretched:
        return "past the band, but both of you said it is about even, and that outweighs it."
    return None
