"""Time-bank hours: a member's own account and statement, a transfer as one side sees it,
and the organiser's aggregates (``team hours ... --format json``; ``/api/team/hours``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mutuality.services.hours import HourAccount, HoursOverview, HourTransfer


def transfer_json(transfer: HourTransfer) -> dict[str, Any]:
    return {
        "id": transfer.id,
        "other": transfer.other,
        "i_gave": transfer.i_gave,
        "hours": transfer.hours,
        "what": transfer.what,
        "occurred_on": transfer.occurred_on.isoformat(),
        "state": transfer.state,
        "mine_to_confirm": transfer.mine_to_confirm,
        "created_at": transfer.created_at.isoformat(),
    }


def account_json(account: HourAccount) -> dict[str, Any]:
    """Given and received apart, the balance beside them, the limit, the statement."""
    return {
        "enabled": account.enabled,
        "given": account.given,
        "received": account.received,
        "balance": account.balance,
        "floor_hours": account.floor_hours,
        "statement": [transfer_json(t) for t in account.statement],
    }


def overview_json(overview: HoursOverview) -> dict[str, Any]:
    return {
        "enabled": overview.enabled,
        "floor_hours": overview.floor_hours,
        "members_taking_part": overview.members_taking_part,
        "hours_exchanged": overview.hours_exchanged,
        "transfers_confirmed": overview.transfers_confirmed,
        "transfers_waiting": overview.transfers_waiting,
        "members_below_zero": overview.members_below_zero,
        "note": overview.note,
    }
