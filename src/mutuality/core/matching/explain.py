"""The short composed explanation of a match: what the seeker needs, what the helper
offers, the words that matched, what each side gains, and any need running the other way.

Only the texts of needs and offers and the people's names are used, never private notes.
The reason shown here names the matched words for me; an introduction's own words, which
its messages show, are composed without them (:func:`mutuality.core.introductions.match_words`).
"""

from __future__ import annotations

from dataclasses import dataclass

from mutuality.core.introductions import match_words, quoted
from mutuality.core.matching.scoring import Question
from mutuality.core.matching.text import analyse, surface_words


@dataclass(frozen=True, slots=True)
class Explanation:
    summary: str
    """One line for a table."""
    reason: str
    """Why the link matters: the need, the offer, the words that matched."""
    seeker_gains: str
    helper_gains: str
    matched: tuple[str, ...]
    two_way: str | None = None


def matched_words(need_text: str, offer_text: str, limit: int = 5) -> tuple[str, ...]:
    """The need's own words whose terms the offer shares (synonyms count), rarest last."""
    offer_terms = set(analyse(offer_text))
    words = surface_words(need_text)
    shared = [words[term] for term in dict.fromkeys(analyse(need_text)) if term in offer_terms]
    return tuple(shared[:limit])


CLOSE_IN_MEANING = 0.6
"""From this cosine on, a match by meaning is called close. Measured on the development set
of labelled needs and offers (the best offer for each need): 86% of those this close were a
right helper, 69% of those from :data:`IN_MEANING` to here, 55% of those below it."""
IN_MEANING = 0.5
"""Below this cosine a match by meaning is called loose, and the reason asks to check it."""


def how_matched(words: tuple[str, ...], semantic: bool, similarity: float | None = None) -> str:
    """The reason's last words: what made the match, true to the method that found it and,
    by meaning, to how sure it is (:data:`CLOSE_IN_MEANING`)."""
    if semantic:
        if similarity is None or IN_MEANING <= similarity < CLOSE_IN_MEANING:
            kind = "a match in meaning"
        elif similarity >= CLOSE_IN_MEANING:
            kind = "a close match in meaning"
        else:
            kind = "a loose match in meaning, worth checking"
        return f" ({kind}; shared words: {', '.join(words)})" if words else f" ({kind})"
    return f" (matched: {', '.join(words)})" if words else " (similar in meaning)"


def explain(
    question: Question,
    seeker: str,
    helper: str,
    need_text: str,
    offer_text: str,
    reverse: tuple[str, str] | None = None,
    semantic: bool = False,
    similarity: float | None = None,
) -> Explanation:
    """Compose the explanation; ``reverse`` is (the helper's need, the seeker's offer) when the
    match runs both ways; ``semantic`` when the texts were compared by meaning, which the
    reason then says with how close their ``similarity`` is (shared words are cited only
    where there are some)."""
    words = matched_words(need_text, offer_text)
    matched = how_matched(words, semantic, similarity)
    two_way = None
    if reverse is not None:
        their_need, my_offer = reverse
        two_way = (
            f"Two-way: {helper} needs {quoted(their_need)}, and {seeker} offers {quoted(my_offer)}."
        )
    if question is Question.HELP_ME:
        summary = f"{helper} can help with your need {quoted(need_text, 60)}"
        reason = f"You need {quoted(need_text)}; {helper} offers {quoted(offer_text)}{matched}."
        seeker_gains = f"help with {quoted(need_text)}"
        helper_gains = (
            f"your help in return: you can meet their need {quoted(reverse[0])}"
            if reverse
            else "a chance to use what they offer, and your thanks"
        )
    elif question is Question.I_HELP:
        summary = f"you can help {seeker} with {quoted(need_text, 60)}"
        reason = f"{seeker} needs {quoted(need_text)}; you offer {quoted(offer_text)}{matched}."
        seeker_gains = f"your help: {quoted(offer_text)}"
        helper_gains = (
            f"help in return: {seeker} offers {quoted(reverse[1])} for your need"
            if reverse
            else "a stronger relationship with them"
        )
    else:
        summary = f"introduce {seeker} to {helper}: {quoted(need_text, 60)}"
        reason = (
            f"{seeker} needs {quoted(need_text)}; {helper} offers {quoted(offer_text)}{matched}."
        )
        gains = match_words(seeker, helper, need_text, offer_text, reverse)
        seeker_gains, helper_gains = gains.seeker_gains, gains.helper_gains
    if two_way:
        reason = f"{reason} {two_way}"
    return Explanation(summary, reason, seeker_gains, helper_gains, words, two_way)
