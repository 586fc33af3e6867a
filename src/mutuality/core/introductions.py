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


def consent_message(me: Party, to: Party, other: Party, reason: str, gains: str | None) -> str:
    """Asking one side whether they want the introduction: who, why, what they gain, and an
    easy way to say no."""
    lines = [
        f"Hi {to.first},",
        "",
        f"I'd like to introduce you to {other.described()}. {_sentence(reason)}",
    ]
    if gains:
        lines.append(f"What you could gain: {_sentence(gains)}")
    lines += [
        "",
        f"Would you like me to connect you? A no is completely fine, and I won't share your "
        f"details with {other.first} unless you say yes.",
        "",
        me.first,
    ]
    return "\n".join(lines)


def introduction_message(
    me: Party, a: Party, b: Party, reason: str, a_gains: str | None, b_gains: str | None
) -> str:
    """The introduction itself, sent once both said yes."""
    lines = [
        f"{a.first}, meet {b.described()}. {b.first}, meet {a.described()}.",
        "",
        f"Why I'm connecting you: {_sentence(reason)}",
    ]
    if a_gains:
        lines.append(f"For {a.first}: {_sentence(a_gains)}")
    if b_gains:
        lines.append(f"For {b.first}: {_sentence(b_gains)}")
    contacts = [f"{p.first}: {p.email}" for p in (a, b) if p.email]
    if contacts:
        lines += ["", "You can reach each other at " + "; ".join(contacts) + "."]
    lines += ["", "Both of you said you'd welcome this; I'll leave you to it.", "", me.first]
    return "\n".join(lines)


def decline_note(me: Party, declined_by: Party, other: Party) -> str:
    """A kind close for the side that said yes (or was not asked yet): no blame, no detail."""
    return "\n".join(
        [
            f"Hi {other.first},",
            "",
            f"A quick note: the introduction to {declined_by.first} I mentioned won't go ahead "
            "for now. Thank you for being open to it; I'll keep what you're looking for in mind.",
            "",
            me.first,
        ]
    )


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."
