"""Introductions between members: a shared introduction as one of its three people sees it
(``team intros --format json``; ``/api/team/introductions``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mutuality.services.team_introductions import SharedIntroduction, SideView


def side_json(side: SideView) -> dict[str, Any]:
    """One side: their name, whether they are a member, their answer and note, and their
    address once both said yes (to the other side only)."""
    return {
        "name": side.name,
        "member": side.member,
        "answer": side.answer,
        "note": side.note,
        "email": side.email,
    }


def shared_introduction_json(item: SharedIntroduction) -> dict[str, Any]:
    return {
        "id": item.id,
        "introducer": item.introducer,
        "status": item.status,
        "a": side_json(item.a),
        "b": side_json(item.b),
        "my_side": item.my_side,
        "asked_in": item.asked_in,
        "mine_to_answer": item.mine_to_answer,
        "version": item.version,
        "created_at": item.created_at.isoformat(),
        "intro_id": item.intro_id,
    }
