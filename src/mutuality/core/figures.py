"""A relationship's health and balance as plain figures, rounded once: the keys the CLI's
JSON and the REST API both answer with (documented in docs/json-output.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mutuality.core.value import RelationshipBalance
    from mutuality.core.why import RelationshipHealth


def _rounded(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def health_figures(health: RelationshipHealth) -> dict[str, Any]:
    """Status, action and the figures behind them (dates as dates)."""
    return {
        "status": health.status.value,
        "action": health.action.value,
        "urgency": round(health.urgency, 4),
        "balance": _rounded(health.balance),
        "my_net": round(health.my_net, 3),
        "their_net": round(health.their_net, 3),
        "momentum": _rounded(health.momentum),
        "equity": _rounded(health.equity),
        "initiative_share": _rounded(health.initiative_share),
        "my_initiatives": health.my_initiatives,
        "their_initiatives": health.their_initiatives,
        "recent": health.recent,
        "previous": health.previous,
        "first_on": health.first_on,
        "last_on": health.last_on,
        "days_since": health.days_since,
        "cadence_days": health.cadence_days,
        "appreciation_due": health.appreciation_due,
        "satisfaction": health.satisfaction,
        **context_figures(health),
    }


def context_figures(health: RelationshipHealth) -> dict[str, Any]:
    """What the tie is for and what was said (docs/value-model.md, "When not to count")."""
    context = health.context
    reading = context.intent
    return {
        "intent": reading.intent.value,
        "intent_reason": reading.reason,
        "intent_chosen": reading.chosen,
        "intent_until": reading.until,
        "wish": None
        if context.wish is None
        else {
            "checkin_id": context.wish.checkin_id,
            "on": context.wish.on,
            "text": context.wish.text,
        },
        "alarm": context.alarm,
        "win": None if context.win is None else {"on": context.win.on, "what": context.win.what},
        "stretched": health.stretched,
    }


def balance_figures(balance: RelationshipBalance) -> dict[str, Any]:
    """Each side's decayed benefit and cost, the nets, the surplus and the balance."""
    return {
        "given": round(balance.given, 3),
        "received": round(balance.received, 3),
        "my_cost": round(balance.my_cost, 3),
        "their_cost": round(balance.their_cost, 3),
        "my_net": round(balance.my_net, 3),
        "their_net": round(balance.their_net, 3),
        "surplus": round(balance.surplus, 3),
        "balance": _rounded(balance.balance),
        "leaning": balance.leaning.value,
        "mutual": balance.mutual,
        "times_given": balance.times_given,
        "times_received": balance.times_received,
        "last_on": balance.last_on,
        "half_life_days": balance.settings.half_life_days,
        "tolerance": balance.settings.tolerance,
        "as_of": balance.as_of,
    }
