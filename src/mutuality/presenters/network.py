"""The whole network: the Network object of docs/json-output.md (``network``,
``GET /api/network``), with the style evidence, the thresholds and who reaches out first."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mutuality.presenters import rounded
from mutuality.presenters.capacity import capacity_json

if TYPE_CHECKING:
    from mutuality.core.network import NetworkSettings, ReachingOut, StyleEvidence
    from mutuality.services.health.views import NetworkReport

LISTED = 100
"""The most people a long list shows (the isolated, who I reach out to first); its
length is given beside it."""


def network_json(report: NetworkReport) -> dict[str, Any]:
    """People as ``{"id", "name"}``; the isolated by id, the first :data:`LISTED`."""
    figures = report.figures

    def named(ids: list[int]) -> list[dict[str, Any]]:
        return [{"id": i, "name": name_of(report.names, i)} for i in ids]

    return {
        "people": figures.people,
        "relationships": figures.relationships,
        "reciprocity": figures.reciprocity,
        "mutual_share": figures.mutual_share,
        "styles": {style.value: n for style, n in figures.style_counts.items()},
        "burnout_risk": named(figures.burnout_risk),
        "isolated_count": len(figures.isolated),
        "isolated": named(sorted(figures.isolated)[:LISTED]),
        "received_only": named(figures.one_way_takers),
        "my_style": report.my_style.value,
        "my_giving": report.my_giving,
        "my_evidence": style_evidence_json(report.me),
        "gives_more": [style_evidence_json(e, report.names) for e in report.givers],
        "receives_more": [style_evidence_json(e, report.names) for e in report.takers],
        "thresholds": thresholds_json(report.thresholds),
        "reach_out_first": reach_out_json(report.reaching_out, report.names),
        "capacity": capacity_json(report.capacity),
    }


def name_of(names: dict[int, str], person: int) -> str:
    return names.get(person, f"#{person}")


def style_evidence_json(
    evidence: StyleEvidence, names: dict[int, str] | None = None
) -> dict[str, Any]:
    """A style with the figures it was judged on; ``names`` adds who (for the lists), and
    then the style is ``pattern``, said as what the ledger shows, never as a label on a
    person."""
    view: dict[str, Any] = {
        "style" if names is None else "pattern": evidence.style.value
        if names is None
        else evidence.style.pattern,
        "gave": round(evidence.gave, 3),
        "received": round(evidence.received, 3),
        "share": rounded(evidence.share),
        "exchanges": evidence.exchanges,
    }
    if names is not None:
        view = {"id": evidence.person, "name": name_of(names, evidence.person), **view}
    return view


def thresholds_json(settings: NetworkSettings) -> dict[str, Any]:
    """The thresholds the styles and the reaching-out count were judged by."""
    return {
        "giver_share": settings.giver_share,
        "taker_share": settings.taker_share,
        "min_exchanges": settings.min_exchanges,
        "reach_out_share": settings.reach_out_share,
        "reach_out_min": settings.reach_out_min,
    }


def reach_out_json(reaching: ReachingOut, names: dict[int, str]) -> dict[str, Any]:
    """The relationships where I (nearly) always reach out first, with the counts: the
    first :data:`LISTED`, most one-sided first."""
    return {
        "count": len(reaching.me_first),
        "judged": reaching.judged,
        "people": [
            {"id": i.person, "name": name_of(names, i.person), "mine": i.mine, "theirs": i.theirs}
            for i in reaching.me_first[:LISTED]
        ],
    }
