"""My giving budget and its use: the Capacity object of docs/json-output.md (``capacity``,
``network``'s ``capacity``; ``/api/capacity``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mutuality.presenters import rounded

if TYPE_CHECKING:
    from mutuality.core.capacity import CapacityUse


def capacity_json(use: CapacityUse) -> dict[str, Any]:
    cap = use.capacity
    return {
        "amount": cap.amount if cap else None,
        "unit": cap.unit.value if cap else None,
        "period": cap.period.value if cap else None,
        "boundaries": sorted(k.value for k in cap.boundaries) if cap else [],
        "start": use.start.isoformat(),
        "end": use.end.isoformat(),
        "used": round(use.used, 2),
        "committed": round(use.committed, 2),
        "projected": round(use.projected, 2),
        "previous_used": round(use.previous_used, 2),
        "share": rounded(use.share),
        "state": use.state.value,
        "boundary_hits": [
            {"exchange": g.exchange_id, "kind": g.kind.value, "on": g.on.isoformat()}
            for g in use.boundary_hits
        ],
    }
