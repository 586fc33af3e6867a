"""An exchange as the Exchange object of docs/json-output.md (``gave``, ``got``,
``timeline``; ``/api/exchanges``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mutuality.core.model import Exchange


def exchange_json(
    exchange: Exchange, direction: str, weight: float | None = None
) -> dict[str, Any]:
    """``direction`` is ``gave`` or ``got``, from my side; ``weight`` (the timeline's: how
    much it counts today) is a key only when given."""
    view: dict[str, Any] = {
        "id": exchange.id,
        "direction": direction,
        "kind": exchange.kind.value,
        "description": exchange.description,
        "on": exchange.on.isoformat(),
        "benefit": exchange.benefit,
        "cost": exchange.cost,
        "surplus": round(exchange.surplus, 1),
        "estimated_by": exchange.estimated_by.value,
        "tags": list(exchange.tags),
        "outcome": exchange.outcome,
        "note": exchange.private_note,
        "initiated_by": initiator(exchange, direction),
        "hours": exchange.hours,
    }
    if weight is not None:
        view["weight"] = round(weight, 4)
    return view


def initiator(exchange: Exchange, direction: str) -> str | None:
    """Who reached out, from my side: ``me``, ``them`` or ``None`` when unknown."""
    if exchange.initiated_by is None:
        return None
    return exchange.initiated_by.said_by_me(direction == "gave").value
