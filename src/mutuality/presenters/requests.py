"""Requests and commitments: the Request and Commitment objects of docs/json-output.md
(``ask``, ``commitments``; ``/api/requests``, ``/api/commitments``). ``name`` is the other
person's name (``None`` when not looked up)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mutuality.presenters import iso

if TYPE_CHECKING:
    from mutuality.core.requests import Commitment, Request


def request_json(request: Request, name: str | None = None) -> dict[str, Any]:
    return {
        "id": request.id,
        "person_id": request.person_id,
        "person": name,
        "from_me": request.from_me,
        "text": request.text,
        "benefit": request.benefit,
        "cost": request.cost,
        "kind": request.kind,
        "made_on": request.made_on.isoformat(),
        "due_on": iso(request.due_on),
        "proposal": request.proposal.value,
        "reason": request.proposal_reason,
        "decision": request.decision.value if request.decision else None,
        "decided_on": iso(request.decided_on),
        "third_option": request.third_option,
        "status": request.status,
    }


def commitment_json(commitment: Commitment, name: str | None = None) -> dict[str, Any]:
    return {
        "id": commitment.id,
        "person_id": commitment.person_id,
        "person": name,
        "mine": commitment.mine,
        "text": commitment.text,
        "kind": commitment.kind,
        "benefit": commitment.benefit,
        "cost": commitment.cost,
        "hours": commitment.hours,
        "made_on": commitment.made_on.isoformat(),
        "due_on": commitment.due_on.isoformat(),
        "status": commitment.status,
        "closed_on": iso(commitment.closed_on),
        "late": commitment.late,
        "request_id": commitment.request_id,
        "exchange_id": commitment.exchange_id,
    }
