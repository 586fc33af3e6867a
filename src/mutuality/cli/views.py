"""The JSON shapes of ``--format json``, documented in ``docs/json-output.md``: keep keys stable."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from mutuality.core.figures import balance_figures, health_figures

if TYPE_CHECKING:
    from mutuality.core.model import Exchange, Person
    from mutuality.core.network import NetworkSettings, ReachingOut, StyleEvidence
    from mutuality.core.occasions import ImportantDate, Upcoming
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
        "birthday": details.birthday.iso() if details.birthday else None,
        "dates": [important_date_view(d) for d in details.dates],
    }


def important_date_view(kept: ImportantDate, today: date | None = None) -> dict[str, Any]:
    """An important date; ``today`` adds when it next happens and the years then."""
    view: dict[str, Any] = {
        "id": kept.id,
        "person_id": kept.person_id,
        "person": kept.person,
        "text": kept.text,
        "on": kept.iso(),
        "yearly": kept.yearly,
        "year_known": kept.year_known,
    }
    if today is not None:
        from mutuality.core.occasions import years_at

        next_on = kept.next_on(today)
        view["next_on"] = next_on.isoformat() if next_on else None
        view["years"] = (
            years_at(kept.day.year, next_on) if next_on is not None and kept.yearly else None
        )
    return view


def upcoming_view(item: Upcoming) -> dict[str, Any]:
    """A birthday or an important date coming up."""
    return {
        "person_id": item.person_id,
        "person": item.person,
        "kind": item.kind.value,
        "text": item.text,
        "on": item.on.isoformat(),
        "in_days": item.in_days,
        "when": item.when,
        "years": item.years,
        "date_id": item.date_id,
        "summary": item.summary,
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
    return _iso_dates(health_figures(health))


def _initiator(exchange: Exchange, direction: str) -> str | None:
    """Who reached out, from my side: ``me``, ``them`` or ``None`` when unknown."""
    if exchange.initiated_by is None:
        return None
    giver_reached_out = exchange.initiated_by.value == "giver"
    return "me" if giver_reached_out == (direction == "gave") else "them"


def style_evidence_view(
    evidence: StyleEvidence, names: dict[int, str] | None = None
) -> dict[str, Any]:
    """A style with the figures it was judged on; ``names`` adds who (for the lists), and
    then the style is said as what the ledger shows, never as a label on a person."""
    view: dict[str, Any] = {
        "style" if names is None else "pattern": evidence.style.value
        if names is None
        else evidence.style.pattern,
        "gave": round(evidence.gave, 3),
        "received": round(evidence.received, 3),
        "share": None if evidence.share is None else round(evidence.share, 4),
        "exchanges": evidence.exchanges,
    }
    if names is not None:
        view = {"id": evidence.person, "name": names.get(evidence.person), **view}
    return view


def style_thresholds_view(settings: NetworkSettings) -> dict[str, Any]:
    """The thresholds the styles and the reaching-out count were judged by."""
    return {
        "giver_share": settings.giver_share,
        "taker_share": settings.taker_share,
        "min_exchanges": settings.min_exchanges,
        "reach_out_share": settings.reach_out_share,
        "reach_out_min": settings.reach_out_min,
    }


def reach_out_view(reaching: ReachingOut, names: dict[int, str]) -> dict[str, Any]:
    """The relationships where I (nearly) always reach out first, with the counts."""
    return {
        "count": len(reaching.me_first),
        "judged": reaching.judged,
        "people": [
            {"id": i.person, "name": names.get(i.person), "mine": i.mine, "theirs": i.theirs}
            for i in reaching.me_first
        ],
    }


def balance_view(balance: RelationshipBalance) -> dict[str, Any]:
    return _iso_dates(balance_figures(balance))


def _iso_dates(figures: dict[str, Any]) -> dict[str, Any]:
    """JSON has no dates: ``2026-11-23`` for each, in nested records too (``None`` stays
    ``null``)."""
    return {
        key: value.isoformat()
        if isinstance(value, date)
        else _iso_dates(value)
        if isinstance(value, dict)
        else value
        for key, value in figures.items()
    }
