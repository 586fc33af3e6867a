"""Forgiving name matching: case, accents, spacing, unique prefixes and close spellings.

Pure: the store supplies the candidate names, this module decides what matches.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

CLOSE_SPELLING_CUTOFF = 80.0
"""Minimum similarity (0-100, rapidfuzz ``token_sort_ratio``: whole names compared, word
order ignored, so "ana" is not "close" to "Tanaka") for a close spelling to count."""


def name_key(name: str) -> str:
    """The comparable form of a name: accents stripped, case folded, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch) and ch not in _JOINERS)
    return " ".join(bare.casefold().split())


_JOINERS = {"\u200c", "\u200d"}
"""Zero-width non-joiner and joiner: part of how emoji sequences and many scripts are spelt,
so names keep them; keys for comparison drop them."""


def clean_name(name: str) -> str:
    """The name as stored: whitespace (tabs and line breaks too) collapsed to single spaces,
    other control and invisible format characters removed (joiners kept), then NFC."""
    spaced = " ".join(name.split())
    kept = "".join(
        ch for ch in spaced if ch in _JOINERS or unicodedata.category(ch) not in {"Cc", "Cf"}
    )
    return unicodedata.normalize("NFC", " ".join(kept.split()))


@dataclass(frozen=True, slots=True)
class NameMatch:
    """The outcome of matching a query: one id, or the candidates to choose from."""

    ids: tuple[int, ...]
    how: str
    """``exact``, ``prefix``, ``close`` or ``none``."""


def match_name(
    query: str,
    names: Mapping[int, str],
    limit: int = 8,
    keys: Mapping[int, str] | None = None,
) -> NameMatch:
    """Match ``query`` against ``names`` (id to name) in order of strictness.

    Exact key, then a prefix of the whole name or of any word in it, then close
    spellings. A step that finds exactly one wins; one that finds several stops
    the search so that a near-miss never shadows a real ambiguity. ``keys`` are the
    names' :func:`name_key` when the caller has them (the store keeps each one).
    """
    key = name_key(query)
    if not key:
        return NameMatch((), "none")
    if keys is None:
        keys = {pid: name_key(name) for pid, name in names.items()}
    exact = tuple(pid for pid, k in keys.items() if k == key)
    if exact:
        return NameMatch(exact, "exact")
    prefix = tuple(
        pid
        for pid, k in keys.items()
        if k.startswith(key) or any(word.startswith(key) for word in k.split())
    )
    if prefix:
        return NameMatch(prefix, "prefix")
    from rapidfuzz import fuzz, process  # only when no exact or prefix match: keeps start-up lean

    close = process.extract(
        key,
        keys,
        scorer=fuzz.token_sort_ratio,
        score_cutoff=CLOSE_SPELLING_CUTOFF,
        limit=limit,
    )
    if not close:
        return NameMatch((), "none")
    best = close[0][1]
    # A clear winner (5 points ahead of the next) is taken; otherwise offer the choice.
    if len(close) == 1 or best - close[1][1] >= 5:
        return NameMatch((close[0][2],), "close")
    return NameMatch(tuple(item[2] for item in close), "close")


def initials(name: str) -> str:
    """Up to two letters that stand for a person where a picture would (the picker's avatar):
    the first letter of the first and of the last word, a part in brackets left out
    ("Ana Lima (Lisbon)" → "AL"); a name in one word gives its first letter ("王小明" → "王")."""
    words = [
        word
        for word in name.split()
        if not word.startswith("(") and any(ch.isalnum() for ch in word)
    ]
    if not words:
        return name.strip()[:1]
    ends = (words[0], words[-1]) if len(words) > 1 else (words[0],)
    return "".join(next(ch for ch in word if ch.isalnum()) for word in ends).upper()
