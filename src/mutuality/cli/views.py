"""The JSON shapes of ``--format json``, documented in ``docs/json-output.md``: keep keys stable."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mutuality.core.model import Exchange, Person
    from mutuality.core.value import RelationshipBalance
    from mutuality.core.why import RelationshipHealth
    from mutuality.services.people import PersonDetails


def person_view(person: Person) -> dict[str, Any]:
    return {
        "id": person.id,
        "name": person.name,
        "emails": list(person.emails),
        "phones": list(person.phones),
        "tags": list(person.tags),
        "organisation": person.organisation,
        "title": person.title,
        "note": person.private_note,
    }


def person_details_view(details: PersonDetails) -> dict[str, Any]:
    relationship = details.relationship
    return {
        **person_view(details.person),
        "context": relationship.context.value if relationship else None,
        "started_on": relationship.started_on.isoformat()
        if relationship and relationship.started_on
        else None,
        "cadence_days": relationship.cadence_days if relationship else None,
        "exchanges": details.exchange_count,
    }


def exchange_view(
    exchange: Exchange, direction: str, weight: float | None = None
) -> dict[str, Any]:
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
        "initiated_by": _initiator(exchange, direction),
        "hours": exchange.hours,
    }
    if weight is not None:
        view["weight"] = round(weight, 4)
    return view


def health_view(health: RelationshipHealth) -> dict[str, Any]:
    def rounded(value: float | None, digits: int = 4) -> float | None:
        return None if value is None else round(value, digits)

    return {
        "status": health.status.value,
        "action": health.action.value,
        "urgency": round(health.urgency, 4),
        "balance": rounded(health.balance),
        "my_net": round(health.my_net, 3),
        "their_net": round(health.their_net, 3),
        "momentum": rounded(health.momentum),
        "equity": rounded(health.equity),
        "initiative_share": rounded(health.initiative_share),
        "my_initiatives": health.my_initiatives,
        "their_initiatives": health.their_initiatives,
        "recent": health.recent,
        "previous": health.previous,
        "first_on": health.first_on.isoformat() if health.first_on else None,
        "last_on": health.last_on.isoformat() if health.last_on else None,
        "days_since": health.days_since,
        "cadence_days": health.cadence_days,
        "appreciation_due": health.appreciation_due,
    }


def _initiator(exchange: Exchange, direction: str) -> str | None:
    """Who reached out, from my side: ``me``, ``them`` or ``None`` when unknown."""
    if exchange.initiated_by is None:
        return None
    giver_reached_out = exchange.initiated_by.value == "giver"
    return "me" if giver_reached_out == (direction == "gave") else "them"


def balance_view(balance: RelationshipBalance) -> dict[str, Any]:
    value = balance.balance
    return {
        "given": round(balance.given, 3),
        "received": round(balance.received, 3),
        "my_cost": round(balance.my_cost, 3),
        "their_cost": round(balance.their_cost, 3),
        "my_net": round(balance.my_net, 3),
        "their_net": round(balance.their_net, 3),
        "surplus": round(balance.surplus, 3),
        "balance": None if value is None else round(value, 4),
        "leaning": balance.leaning.value,
        "mutual": balance.mutual,
        "times_given": balance.times_given,
        "times_received": balance.times_received,
        "last_on": balance.last_on.isoformat() if balance.last_on else None,
        "half_life_days": balance.settings.half_life_days,
        "tolerance": balance.settings.tolerance,
        "as_of": balance.as_of.isoformat(),
    }
