"""A double-opt-in introduction with its steps and messages: the Introduction object of
docs/json-output.md (``intro ...``; ``/api/introductions``). Messages never hold private
notes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mutuality.presenters import iso, rounded

if TYPE_CHECKING:
    from mutuality.services.introductions.messages import IntroDetail


def introduction_json(detail: IntroDetail) -> dict[str, Any]:
    """Moments as stored (UTC, without an offset; the API adds it)."""
    intro = detail.introduction
    return {
        "id": intro.id,
        "a_id": intro.a_id,
        "a": detail.a,
        "b_id": intro.b_id,
        "b": detail.b,
        "status": intro.status.value,
        "a_consent": intro.a_consent.value if intro.a_consent else None,
        "b_consent": intro.b_consent.value if intro.b_consent else None,
        "reason": intro.reason,
        "a_gains": intro.a_gains,
        "b_gains": intro.b_gains,
        "need_id": intro.need_id,
        "offer_id": intro.offer_id,
        "score": rounded(intro.score),
        "outcome": intro.outcome,
        "a_exchange_id": intro.a_exchange_id,
        "b_exchange_id": intro.b_exchange_id,
        "created_at": iso(intro.created_at),
        "steps": [
            {"step": s.step.value, "at": iso(s.at), "person_id": s.person_id, "note": s.note}
            for s in detail.steps
        ],
        "messages": {
            "a": detail.a_message,
            "b": detail.b_message,
            "introduction": detail.intro_message,
            "decline_note": detail.decline_note,
        },
    }
