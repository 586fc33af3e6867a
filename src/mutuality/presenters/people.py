"""A person, with their details, birthday and important dates: the Person and Date objects
of docs/json-output.md."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mutuality.presenters import iso

if TYPE_CHECKING:
    from datetime import date

    from mutuality.core.model import Person
    from mutuality.core.occasions import ImportantDate, Upcoming
    from mutuality.services.people import PersonDetails


def person_json(person: Person) -> dict[str, Any]:
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


def person_details_json(details: PersonDetails) -> dict[str, Any]:
    """A Person with the relationship, how many exchanges, the birthday and the dates."""
    relationship = details.relationship
    return {
        **person_json(details.person),
        "context": relationship.context.value if relationship else None,
        "started_on": iso(relationship.started_on) if relationship else None,
        "cadence_days": relationship.cadence_days if relationship else None,
        "exchanges": details.exchange_count,
        "birthday": details.birthday.iso() if details.birthday else None,
        "dates": [important_date_json(d) for d in details.dates],
    }


def important_date_json(kept: ImportantDate, today: date | None = None) -> dict[str, Any]:
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
        view["next_on"] = iso(next_on)
        view["years"] = (
            years_at(kept.day.year, next_on) if next_on is not None and kept.yearly else None
        )
    return view


def upcoming_json(item: Upcoming) -> dict[str, Any]:
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
