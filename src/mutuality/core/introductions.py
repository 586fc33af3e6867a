"""Double-opt-in introductions: the states, the rules between them, and the messages.

The essays ask for "deliberate introductions ... with consent and context: explain why the
link matters, what you hope to achieve, and what each party stands to gain". So an
introduction is proposed with its reason, each side is asked and answers, and only when
both said yes is it made::

    proposed --ask/consent--> asking --both yes--> agreed --make--> made --outcome--> made
        \\______________________ a no from either side ______________/--> declined
        \\______________________ withdrawn by me _____________________/--> withdrawn

A decline closes it kindly and is remembered, so the same pair is not proposed again.
Messages are composed only from names, titles, organisations, the reason and the gains:
never from private notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from mutuality.core.errors import Conflict


class IntroStatus(StrEnum):
    PROPOSED = "proposed"
    ASKING = "asking"
    AGREED = "agreed"
    MADE = "made"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


OPEN_STATUSES = frozenset({IntroStatus.PROPOSED, IntroStatus.ASKING, IntroStatus.AGREED})
"""Still in progress: the pair is not proposed again while one of these exists."""


class Consent(StrEnum):
    ASKED = "asked"
    YES = "yes"
    NO = "no"


class Step(StrEnum):
    PROPOSED = "proposed"
    ASKED = "asked"
    CONSENTED = "consented"
    DECLINED = "declined"
    MADE = "made"
    OUTCOME = "outcome"
    EDITED = "edited"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True, slots=True)
class Introduction:
    id: int
    a_id: int
    """The side whose need the introduction meets (or simply the first named)."""
    b_id: int
    reason: str
    a_gains: str | None
    b_gains: str | None
    status: IntroStatus
    a_consent: Consent | None
    b_consent: Consent | None
    created_at: datetime
    need_id: int | None = None
    offer_id: int | None = None
    score: float | None = None
    outcome: str | None = None
    a_exchange_id: int | None = None
    b_exchange_id: int | None = None


@dataclass(frozen=True, slots=True)
class IntroStep:
    step: Step
    at: datetime
    person_id: int | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Party:
    """What a message may say about a person: never a private note."""

    name: str
    title: str | None = None
    organisation: str | None = None
    email: str | None = None

    @property
    def first(self) -> str:
        return self.name.split()[0]

    def described(self) -> str:
        role = " at ".join(part for part in (self.title, self.organisation) if part)
        return f"{self.name} ({role})" if role else self.name


@dataclass(frozen=True, slots=True)
class Transition:
    """The state an action leads to, with the consents after it."""

    status: IntroStatus
    a_consent: Consent | None
    b_consent: Consent | None


def _refuse(intro_id: int, status: IntroStatus, action: str) -> Conflict:
    hints = {
        IntroStatus.PROPOSED: "ask both sides and record their consent first",
        IntroStatus.ASKING: "both sides must consent first",
        IntroStatus.AGREED: "it is agreed: make it",
        IntroStatus.MADE: "it is already made; log its outcome",
        IntroStatus.DECLINED: "it was declined and is closed",
        IntroStatus.WITHDRAWN: "it was withdrawn and is closed",
    }
    return Conflict(
        f"introduction #{intro_id} is {status.value}: cannot {action} ({hints[status]})",
        field="status",
        value=status.value,
    )


def after_ask(intro: Introduction, side: str) -> Transition:
    """Asking one side (``a`` or ``b``) for consent; asking again is allowed until they answer."""
    if intro.status not in (IntroStatus.PROPOSED, IntroStatus.ASKING):
        raise _refuse(intro.id, intro.status, "ask for consent")
    current = intro.a_consent if side == "a" else intro.b_consent
    if current in (Consent.YES, Consent.NO):
        raise Conflict(
            f"introduction #{intro.id}: that side already answered {current.value}",
            field="person",
            value=side,
        )
    a, b = (Consent.ASKED, intro.b_consent) if side == "a" else (intro.a_consent, Consent.ASKED)
    return Transition(IntroStatus.ASKING, a, b)


def after_answer(intro: Introduction, side: str, yes: bool) -> Transition:
    """A side's answer: two yeses make it agreed; a no declines it (also after agreeing,
    as long as it is not made: people may change their mind)."""
    allowed = (IntroStatus.PROPOSED, IntroStatus.ASKING) + (
        (IntroStatus.AGREED,) if not yes else ()
    )
    if intro.status not in allowed:
        raise _refuse(intro.id, intro.status, "record consent" if yes else "record a decline")
    current = intro.a_consent if side == "a" else intro.b_consent
    if yes and current is Consent.YES:
        raise Conflict(
            f"introduction #{intro.id}: that side already consented", field="person", value=side
        )
    answer = Consent.YES if yes else Consent.NO
    a, b = (answer, intro.b_consent) if side == "a" else (intro.a_consent, answer)
    if not yes:
        return Transition(IntroStatus.DECLINED, a, b)
    both = a is Consent.YES and b is Consent.YES
    return Transition(IntroStatus.AGREED if both else IntroStatus.ASKING, a, b)


def check_can_make(intro: Introduction) -> None:
    if intro.status is not IntroStatus.AGREED:
        raise _refuse(intro.id, intro.status, "make it")


def check_can_log_outcome(intro: Introduction) -> None:
    if intro.status is not IntroStatus.MADE:
        raise _refuse(intro.id, intro.status, "log an outcome")


def check_can_edit(intro: Introduction) -> None:
    if intro.status not in OPEN_STATUSES:
        raise _refuse(intro.id, intro.status, "edit it")


def check_can_withdraw(intro: Introduction) -> None:
    if intro.status not in OPEN_STATUSES:
        raise _refuse(intro.id, intro.status, "withdraw it")


# --- messages ------------------------------------------------------------------------------------
#
# Each message speaks to the person reading it ("you"), says in plain words why the two should
# meet and what they could gain, and is signed with my first name only when I have set my
# name (``signer``); without one it ends unsigned, never with a placeholder. Nothing of the
# matching shows: no matched words, no scores, no tags.


def quoted(text: str, limit: int = 120) -> str:
    """A need's or an offer's own words in quotation marks, shortened past ``limit``."""
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


@dataclass(frozen=True, slots=True)
class MatchWords:
    """What an introduction composed from a match says: the reason and each side's gain.

    The reason names both sides (``Ana Lima is looking for “…”, and Bo Chen offers “…”.``)
    and each message turns it to its reader (``You're looking for “…”``); a gain says what
    that side would actually get, as a phrase that reads the same to me and to them."""

    reason: str
    seeker_gains: str
    helper_gains: str


_ASKING = re.compile(
    r"(?:(?:i'?m|i am|we'?re|we are)\s+)?looking\s+for|seeking|(?:i|we)?\s*need(?:s)?",
    re.IGNORECASE,
)


def wanted(need: str) -> str:
    """What a need asks for, without a leading "Looking for" or "I need" (so that "is
    looking for “…”" does not say it twice); the need's own words otherwise."""
    text = " ".join(need.split())
    found = _ASKING.match(text)
    if found is None:
        return text
    rest = text[found.end() :].lstrip(" :")
    return rest if rest and text[found.end() : found.end() + 1] in (" ", ":") else text


def match_words(
    seeker: str, helper: str, need: str, offer: str, reverse: tuple[str, str] | None = None
) -> MatchWords:
    """The words of an introduction that meets ``seeker``'s need with ``helper``'s offer;
    ``reverse`` is (the helper's need, the seeker's offer that could meet it). A gain is what
    that side would get, said plainly: help from someone named, with what they offer."""
    seeker_first, helper_first = seeker.split()[0], helper.split()[0]
    if reverse is not None:
        their_need, their_offer = reverse
        helper_gains = (
            f"help in return from {seeker_first}, who offers {quoted(their_offer)}, for "
            f"{quoted(wanted(their_need))}"
        )
    else:
        helper_gains = (
            f"{seeker_first}'s thanks, and a new connection who may return the favour one day"
        )
    return MatchWords(
        reason=f"{seeker} is looking for {quoted(wanted(need))}, and {helper} offers "
        f"{quoted(offer)}.",
        seeker_gains=f"help from {helper_first}, who offers {quoted(offer)}",
        helper_gains=helper_gains,
    )


_COMPOSED = re.compile(
    r"(?P<seeker>.+?) is looking for (?P<need>“.*”), and (?P<helper>.+?) offers (?P<offer>“.*”)\."
)


def why(reason: str, to: Party | None, a: Party, b: Party) -> str:
    """The reason as told to ``to`` (one side), or to both of them (``to`` is ``None``): a
    reason composed from a match turns to its reader; a reason I wrote is said as written."""
    found = _COMPOSED.fullmatch(reason.strip())
    names = {a.name: a, b.name: b}
    if found is None or {found["seeker"], found["helper"]} != set(names) or a.name == b.name:
        return _sentence(reason)
    seeker, helper = names[found["seeker"]], names[found["helper"]]
    need, offer = found["need"], found["offer"]
    if to is None:
        return f"{seeker.first} is looking for {need}, and {helper.first} offers {offer}."
    if to.name == seeker.name:
        return f"You're looking for {need}, and I think {helper.first} could help."
    return f"{seeker.first} is looking for {need}, and I think you could help."


def _signed(lines: list[str], signer: str | None) -> str:
    """The message, signed with ``signer`` when there is one (never a placeholder)."""
    return "\n".join([*lines, "", signer] if signer else lines)


def consent_message(
    to: Party, other: Party, reason: str, gains: str | None, signer: str | None
) -> str:
    """Asking one side whether they want the introduction: who, why, what they could gain,
    and an easy way to say no."""
    lines = [
        f"Hi {to.first},",
        "",
        f"I'd like to introduce you to {other.described()}. {why(reason, to, to, other)}",
    ]
    if gains:
        lines.append(f"What you could gain: {_sentence(gains)}")
    lines += [
        "",
        f"Would you like me to connect you? A no is completely fine, and I won't share your "
        f"details with {other.first} unless you say yes.",
    ]
    return _signed(lines, signer)


def introduction_message(
    a: Party, b: Party, reason: str, a_gains: str | None, b_gains: str | None, signer: str | None
) -> str:
    """The introduction itself, to both, sent once both said yes."""
    lines = [
        f"{a.first}, meet {b.described()}. {b.first}, meet {a.described()}.",
        "",
        f"Why I'm connecting you: {why(reason, None, a, b)}",
    ]
    gains = [(p, g) for p, g in ((a, a_gains), (b, b_gains)) if g]
    if gains:
        lines.append("What you could each gain:")
        lines += [f"- {p.first}: {_sentence(g)}" for p, g in gains]
    contacts = [f"{p.first}: {p.email}" for p in (a, b) if p.email]
    if contacts:
        lines += ["", "You can reach each other at " + "; ".join(contacts) + "."]
    lines += ["", "You both said you'd welcome this; I'll leave you to it."]
    return _signed(lines, signer)


def decline_note(declined_by: Party, other: Party, signer: str | None) -> str:
    """A kind close for the side that said yes (or was not asked yet): no blame, no detail."""
    return _signed(
        [
            f"Hi {other.first},",
            "",
            f"A quick note: the introduction to {declined_by.first} I mentioned won't go ahead "
            "for now. Thank you for being open to it.",
        ],
        signer,
    )


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."
