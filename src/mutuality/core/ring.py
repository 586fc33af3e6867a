"""The guidance for a Reciprocity Ring ask: a request helps most in the SMART form
(specific, meaningful, action-oriented, realistic, time-bound). :func:`ask_hints` reads an
ask the way a facilitator would and says, gently, what could make it easier to help with.
It never refuses: every ask is the asker's to word."""

from __future__ import annotations

import re
from dataclasses import dataclass

GUIDANCE = (
    ("specific", "Say exactly what you need: which kind of help, from whom, about what."),
    ("meaningful", "Say why it matters to you: people help most with what they understand."),
    ("action-oriented", "Ask for something someone can do: meet, introduce, review, lend, teach."),
    ("realistic", "Ask for something one person could help with in the weeks ahead."),
    ("time-bound", "Say when you need it by: a date, or 'within two weeks'."),
)
"""The five qualities of a good ask, each with the line the ask form shows."""

MIN_WORDS = 6
ACTIONS = re.compile(
    r"\b(need|needs|looking|seek|seeking|find|finding|meet|meeting|introduc\w*|connect\w*|"
    r"review\w*|learn\w*|teach\w*|borrow\w*|lend|hire|hiring|recommend\w*|advice|advise|"
    r"help\w*|talk|speak|practise|practice|feedback|mentor\w*|share|get|make|build|fix|"
    r"want|would like|hoping|test|try|read|edit|translate|move|buy|sell|join|ask)\b",
    re.IGNORECASE,
)
TIME = re.compile(
    r"\b(by|before|until|within|this|next|end of|today|tomorrow|tonight|soon|asap|"
    r"day|days|week|weeks|weekend|month|months|quarter|year|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|spring|summer|autumn|"
    r"fall|winter)\b|\d{4}-\d{2}-\d{2}|\b\d{1,2}/\d{1,2}\b|\b20\d{2}\b",
    re.IGNORECASE,
)
WHY = re.compile(
    r"\b(because|so that|so i|so we|in order to|to help|for my|for our|since|as i|as we)\b",
    re.IGNORECASE,
)
VAGUE = re.compile(r"\b(anything|everything|any help|whatever|anyone|all the)\b", re.IGNORECASE)
MAX_WORDS = 120


@dataclass(frozen=True, slots=True)
class Hint:
    """One quality an ask could show more of, and how."""

    quality: str
    words: str


def ask_hints(text: str, has_date: bool = False) -> list[Hint]:
    """What could make ``text`` easier to help with (an empty list when it reads well).
    ``has_date`` says a date was given beside it, which makes it time-bound already."""
    words = text.split()
    found: list[Hint] = []
    if len(words) < MIN_WORDS:
        found.append(Hint("specific", "A few more words would help others see how to help."))
    if VAGUE.search(text):
        found.append(Hint("specific", "Name one thing rather than 'anything' or 'anyone'."))
    if not WHY.search(text):
        found.append(Hint("meaningful", "Say why it matters to you (because …, so that …)."))
    if not ACTIONS.search(text):
        found.append(
            Hint(
                "action-oriented",
                "Say what someone could do for you: meet, introduce, review, lend, teach.",
            )
        )
    if len(words) > MAX_WORDS:
        found.append(Hint("realistic", "Shorter asks are easier to answer in a ring: one need."))
    if not has_date and not TIME.search(text):
        found.append(Hint("time-bound", "Add when you need it by: a date, or 'within a month'."))
    return found
