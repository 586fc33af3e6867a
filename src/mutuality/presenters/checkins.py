"""Check-ins, the agenda of who is due, and the wishes waiting for me: the objects of
docs/json-output.md's "Check-ins" (``checkin ...``, ``agenda``; ``/api/.../checkins``,
``/api/agenda``, ``/api/wishes``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mutuality.presenters import iso
from mutuality.presenters.people import person_json

if TYPE_CHECKING:
    from datetime import date

    from mutuality.core.checkins import AgendaItem, CheckIn, PendingWish
    from mutuality.core.model import Person
    from mutuality.services.wishes import AdoptedWish


def checkin_json(checkin: CheckIn) -> dict[str, Any]:
    """One check-in with both sides' answers (``note`` is my private note), in a list of
    one person's (the API adds whose, ``person_id``)."""
    return {
        "id": checkin.id,
        "on": checkin.on.isoformat(),
        "kind": checkin.kind,
        "source": checkin.source,
        "my_satisfaction": checkin.my_satisfaction,
        "their_satisfaction": checkin.their_satisfaction,
        "my_better": checkin.my_better,
        "their_better": checkin.their_better,
        "my_equity": checkin.my_equity,
        "their_equity": checkin.their_equity,
        "message": checkin.message,
        "note": checkin.private_note,
        "wish_state": checkin.wish_state,
        "would_hear": checkin.would_hear,
    }


def agenda_item_json(person: Person, item: AgendaItem, today: date) -> dict[str, Any]:
    """Who is due a check-in, and why."""
    return {
        "person": person_json(person),
        "due_on": item.due_on.isoformat(),
        "state": item.state.value,
        "last_on": iso(item.last_on),
        "cadence_days": item.cadence_days,
        "why": item.why(today),
    }


def pending_wish_json(person: Person, wish: PendingWish) -> dict[str, Any]:
    """What someone said would make it better, waiting for me to confirm it."""
    return {
        "checkin_id": wish.checkin_id,
        "person": person_json(person),
        "on": wish.on.isoformat(),
        "text": wish.text,
        "their_satisfaction": wish.their_satisfaction,
        "my_satisfaction": wish.my_satisfaction,
        "source": wish.source,
        "proposed": wish.proposal.form.value,
        "reason": wish.proposal.reason,
    }


def adopted_wish_json(adopted: AdoptedWish) -> dict[str, Any]:
    """A wish made a commitment of mine or a need of theirs."""
    return {
        "checkin_id": adopted.wish.checkin_id,
        "person_id": adopted.wish.person_id,
        "state": adopted.form.value,
        "text": adopted.text,
        "commitment_id": adopted.commitment_id,
        "need_id": adopted.need_id,
        "due_on": iso(adopted.due_on),
    }
