"""Reciprocity Ring sessions as one participant sees them, and their summary
(``team ring show --format json``; ``/api/team/rings``, whose live endpoint the ring page
polls)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mutuality.services.ring import RingAsk, RingLine, RingSummary, RingView, SummaryLine


def ring_line_json(line: RingLine) -> dict[str, Any]:
    return {
        "id": line.id,
        "name": line.name,
        "starts_at": line.starts_at.isoformat(),
        "state": line.state,
        "organiser": line.organiser,
        "participants": line.participants,
        "joined": line.joined,
    }


def ask_json(ask: RingAsk) -> dict[str, Any]:
    return {
        "id": ask.id,
        "name": ask.name,
        "text": ask.text,
        "due_on": ask.due_on.isoformat() if ask.due_on else None,
        "mine": ask.mine,
        "hints": [{"quality": hint.quality, "words": hint.words} for hint in ask.hints],
        "offers": [
            {
                "id": offer.id,
                "name": offer.name,
                "kind": offer.kind,
                "text": offer.text,
                "introduce": offer.introduce,
                "mine": offer.mine,
                "outcome": offer.outcome,
            }
            for offer in ask.offers
        ],
    }


def ring_json(view: RingView) -> dict[str, Any]:
    """The whole session: its asks with their offers, who is presenting and for how long."""
    return {
        "id": view.id,
        "name": view.name,
        "starts_at": view.starts_at.isoformat(),
        "state": view.state,
        "organiser": view.organiser,
        "runs_it": view.runs_it,
        "participants": view.participants,
        "asks": [ask_json(ask) for ask in view.asks],
        "presenting": view.presenting,
        "present_seconds": view.present_seconds,
        "seconds_left": view.seconds_left,
        "version": view.version,
    }


def _line(line: SummaryLine) -> dict[str, Any]:
    return {
        "who": line.who,
        "ask": line.ask,
        "offer": line.offer,
        "kind": line.kind,
        "introduce": line.introduce,
        "outcome": line.outcome,
    }


def summary_json(summary: RingSummary) -> dict[str, Any]:
    return {
        "ring": summary.ring,
        "state": summary.state,
        "asked": summary.asked,
        "offered_me": [_line(line) for line in summary.offered_me],
        "i_offered": [_line(line) for line in summary.i_offered],
    }
