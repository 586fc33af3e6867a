"""What a relationship is for, and so whether its balance is mine to judge.

Seed 001: "Never assume that the relationship is one-sided... That is not for you to
judge", and "if you are doing your best and being generous with your gifts... you can be
comfortable that you are giving more than you are receiving. Stick with that." Only a
reciprocal tie is judged on its balance. For the others the check moves to me: my own
capacity, and who is supporting me while I support them.

The intent a relationship has, in order (the first that holds):

1. the one I chose (``person edit --intent``), until its end date;
2. care, while the person has a current ``challenge`` state (grief, illness, a new baby);
3. service, when the person or the relationship is tagged ``pro-bono``, ``volunteer``,
   ``volunteering``, ``charity`` or ``service``;
4. mentoring, when the context is mentor or mentee;
5. close, when the context is partner or family;
6. reciprocal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from mutuality.core.model import Intent, RelationshipContext

INTENT_ORDER = tuple(Intent)
"""Codes for the vectorised rules: the index of each intent."""

SERVICE_TAGS = frozenset({"pro-bono", "probono", "volunteer", "volunteering", "charity", "service"})
"""Tags that say a tie is service."""


INTENT_SYNONYMS = {
    "family": Intent.CLOSE,
    "partner": Intent.CLOSE,
    "mentor": Intent.MENTORING,
    "mentee": Intent.MENTORING,
    "pro-bono": Intent.SERVICE,
    "pro_bono": Intent.SERVICE,
    "volunteering": Intent.SERVICE,
    "caring": Intent.CARE,
}
"""Other words for an intent, as a user types it (:func:`~mutuality.core.fields.choice`'s
``aliases``): "family" and "partner" mean close, "mentor" and "mentee" mean mentoring."""


@dataclass(frozen=True, slots=True)
class IntentReading:
    """A relationship's intent and, in words, where it comes from."""

    intent: Intent
    reason: str
    chosen: bool = False
    """``True`` when I set it; ``False`` when it was worked out from what the ledger knows."""
    until: date | None = None

    @property
    def judges_balance(self) -> bool:
        return self.intent is Intent.RECIPROCAL


def intent_of(
    *,
    context: RelationshipContext,
    tags: Iterable[str] = (),
    chosen: Intent | None = None,
    chosen_until: date | None = None,
    chosen_reason: str | None = None,
    challenge: str | None = None,
    challenge_until: date | None = None,
    today: date,
) -> IntentReading:
    """The relationship's intent by the order in this module's docstring, with its reason.

    ``challenge`` is the text of the person's current challenge state, if any (a state that
    ended before ``today`` is not current and should not be passed)."""
    if chosen is not None and (chosen_until is None or chosen_until >= today):
        because = f"you set it ({chosen_reason})" if chosen_reason else "you set it"
        return IntentReading(chosen, because, chosen=True, until=chosen_until)
    if challenge is not None:
        return IntentReading(
            Intent.CARE,
            f"they are going through a hard time ({challenge})",
            until=challenge_until,
        )
    service = sorted(SERVICE_TAGS.intersection(tag.lower() for tag in tags))
    if service:
        return IntentReading(Intent.SERVICE, f"tagged {service[0]}")
    if context in (RelationshipContext.MENTOR, RelationshipContext.MENTEE):
        return IntentReading(Intent.MENTORING, f"the context is {context.value}")
    if context in (RelationshipContext.PARTNER, RelationshipContext.FAMILY):
        return IntentReading(Intent.CLOSE, f"the context is {context.value}")
    return IntentReading(Intent.RECIPROCAL, "the default: both sides give and gain")


INTENT_WORDS: dict[Intent, str] = {
    Intent.RECIPROCAL: "a reciprocal tie: both of you give and gain over the long arc, so the "
    "balance is weighed",
    Intent.CARE: "a time of care: you choose to give while they go through something hard. "
    "Giving more than you receive is the point, so the balance is not judged; the check is "
    "on your own capacity and on who supports you",
    Intent.MENTORING: 'mentoring: one side teaches and both learn ("the teacher learns as much '
    'from the student"), so the balance of logged gifts is not judged',
    Intent.SERVICE: "service: you give by choice (pro bono, volunteering), so the balance is "
    "not judged; the check is on your own capacity",
    Intent.CLOSE: "a close tie (partner or family): not a ledger to balance, and not kept "
    "alive by logging; check-ins say how it is going",
}
"""What each intent means and changes, in the words ``why`` shows."""
