"""A relationship's health and balance as plain figures, rounded once: the Health and
Balance objects of docs/json-output.md, and a health item of the list (``health``,
``GET /api/health``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mutuality.presenters import iso, rounded
from mutuality.presenters.people import person_json

if TYPE_CHECKING:
    from mutuality.core.model import Person
    from mutuality.core.value import RelationshipBalance
    from mutuality.core.why import RelationshipHealth


def health_json(health: RelationshipHealth) -> dict[str, Any]:
    """Status, action and the figures behind them."""
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
        "first_on": iso(health.first_on),
        "last_on": iso(health.last_on),
        "days_since": health.days_since,
        "cadence_days": health.cadence_days,
        "appreciation_due": health.appreciation_due,
        "satisfaction": health.satisfaction,
        **context_json(health),
    }


def context_json(health: RelationshipHealth) -> dict[str, Any]:
    """What the tie is for and what was said (docs/value-model.md, "When not to count")."""
    context = health.context
    reading = context.intent
    return {
        "intent": reading.intent.value,
        "intent_reason": reading.reason,
        "intent_chosen": reading.chosen,
        "intent_until": iso(reading.until),
        "wish": None
        if context.wish is None
        else {
            "checkin_id": context.wish.checkin_id,
            "on": iso(context.wish.on),
            "text": context.wish.text,
        },
        "alarm": context.alarm,
        "win": None
        if context.win is None
        else {"on": iso(context.win.on), "what": context.win.what},
        "stretched": health.stretched,
    }


def health_item_json(
    person: Person, pattern: str, health: RelationshipHealth, reach_out_first: bool
) -> dict[str, Any]:
    """A row of the health list: who, what the ledger shows of their giving (never a
    label), the Health object, and whether I (nearly) always reach out first."""
    return {
        "person": person_json(person),
        "pattern": pattern,
        **health_json(health),
        "reach_out_first": bool(reach_out_first),
    }


def balance_json(balance: RelationshipBalance) -> dict[str, Any]:
    """Each side's decayed benefit and cost, the nets, the surplus and the balance."""
    return {
        "given": round(balance.given, 3),
        "received": round(balance.received, 3),
        "my_cost": round(balance.my_cost, 3),
        "their_cost": round(balance.their_cost, 3),
        "my_net": round(balance.my_net, 3),
        "their_net": round(balance.their_net, 3),
        "surplus": round(balance.surplus, 3),
        "balance": rounded(balance.balance),
        "leaning": balance.leaning.value,
        "mutual": balance.mutual,
        "times_given": balance.times_given,
        "times_received": balance.times_received,
        "last_on": iso(balance.last_on),
        "half_life_days": balance.settings.half_life_days,
        "tolerance": balance.settings.tolerance,
        "as_of": iso(balance.as_of),
    }
