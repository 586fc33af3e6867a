"""Needs, offers and states: the objects of docs/json-output.md's "Needs, offers, states"
(``need``, ``offer``, ``state``; ``/api/needs``, ``/api/offers``). ``name`` is whose."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mutuality.presenters import iso

if TYPE_CHECKING:
    from mutuality.core.needs import PersonState, Wish


def wish_json(wish: Wish, name: str | None) -> dict[str, Any]:
    """A need or an offer (the same shape: different sides of a match)."""
    return {
        "id": wish.id,
        "kind": wish.kind.value,
        "person_id": wish.person_id,
        "person": name,
        "text": wish.text,
        "tags": list(wish.tags),
        "source": wish.source.value,
        "status": wish.status,
        "created_on": wish.created_on.isoformat(),
        "expires_on": iso(wish.expires_on),
        "closed_on": iso(wish.closed_on),
        "request_id": wish.request_id,
    }


def state_json(state: PersonState, name: str | None) -> dict[str, Any]:
    return {
        "id": state.id,
        "person_id": state.person_id,
        "person": name,
        "kind": state.kind.value,
        "text": state.text,
        "starts_on": state.starts_on.isoformat(),
        "ends_on": iso(state.ends_on),
    }
