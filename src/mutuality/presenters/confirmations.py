"""Two-sided exchanges in team mode: a confirmation as one side sees it, and a link between
a person and a fellow member (``team confirmations``, ``team links``;
``/api/team/confirmations``, ``/api/team/links``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mutuality.services.team_confirmations import (
        Confirmation,
        Confirmations,
        MemberLink,
        PairViews,
        TwoViews,
    )


def views_json(views: TwoViews) -> dict[str, Any]:
    """One figure as the giver and the receiver see it, and how far apart they are."""
    return {"giver": views.giver, "receiver": views.receiver, "gap": views.gap}


def confirmation_json(confirmation: Confirmation) -> dict[str, Any]:
    """A confirmation as the viewer sees it: the other side's figures appear once they are
    given (and the logger's to the other side only once that side has given theirs)."""
    return {
        "id": confirmation.id,
        "state": confirmation.state,
        "logged_by_me": confirmation.logged_by_me,
        "other": confirmation.other,
        "on": confirmation.on.isoformat(),
        "i_gave": confirmation.i_gave,
        "kind": confirmation.kind,
        "description": confirmation.description,
        "my_figure": confirmation.my_figure,
        "benefit": views_json(confirmation.benefit),
        "cost": views_json(confirmation.cost),
        "logger_estimated": confirmation.logger_estimated,
        "by_link": confirmation.by_link,
        "expires_at": confirmation.expires_at.isoformat() if confirmation.expires_at else None,
        "my_exchange_id": confirmation.my_exchange_id,
    }


def confirmations_json(found: Confirmations) -> dict[str, Any]:
    return {
        "to_confirm": [confirmation_json(c) for c in found.to_confirm],
        "waiting": [confirmation_json(c) for c in found.waiting],
        "settled": [confirmation_json(c) for c in found.settled],
        "between": [pair_json(pair) for pair in found.between],
    }


def member_link_json(link: MemberLink) -> dict[str, Any]:
    return {
        "person_id": link.person_id,
        "person": link.person_name,
        "member_id": link.member_id,
        "member": link.member_name,
        "linked": link.saved,
    }


def figure_words(confirmation: Confirmation) -> list[str]:
    """Both figures in words, from the viewer's side: who says what, side by side, and how
    far apart they are; never which is right."""
    if not confirmation.logged_by_me and confirmation.state != "confirmed":
        return []  # the other side's figures show once one has given one's own
    you, them = "you", confirmation.other
    giver, receiver = (you, them) if confirmation.i_gave else (them, you)
    lines = []
    for what, views, knower, guesser, own, guess in (
        ("benefit to", confirmation.benefit, receiver, giver, "receiver", "giver"),
        ("cost to", confirmation.cost, giver, receiver, "giver", "receiver"),
    ):
        mine, theirs = getattr(views, own), getattr(views, guess)
        says = "say" if knower == you else "says"
        line = f"{what.capitalize()} {knower}: "
        line += f"{knower} {says} {mine:g}" if mine is not None else f"not given by {knower} yet"
        if theirs is not None:
            line += f"; {guesser} thought {theirs:g}"
        if views.gap is not None:
            line += " (the same)" if views.gap == 0 else f" ({views.gap:g} apart)"
        lines.append(line)
    if not confirmation.logger_estimated:
        logger = you if confirmation.logged_by_me else them
        lines.append(f"The figures {logger} logged are the kind's defaults.")
    return lines


def pair_json(pair: PairViews) -> dict[str, Any]:
    return {
        "other": pair.other,
        "gave": views_json(pair.gave) | {"exchanges": pair.gave_count},
        "received": views_json(pair.received) | {"exchanges": pair.received_count},
    }


def pair_words(pair: PairViews) -> list[str]:
    """Both directions between me and one member, each side's totals side by side."""
    them = pair.other
    lines = []
    if pair.gave_count and pair.gave.giver is not None and pair.gave.receiver is not None:
        lines.append(
            f"What you gave {them} ({_exchanges(pair.gave_count)}): {them} says it was worth "
            f"{pair.gave.receiver:g} to them; you thought {pair.gave.giver:g}."
        )
    if pair.received_count and pair.received.giver is not None:
        lines.append(
            f"What {them} gave you ({_exchanges(pair.received_count)}): you say it was worth "
            f"{pair.received.receiver:g} to you; {them} thought {pair.received.giver:g}."
        )
    return lines


def _exchanges(count: int) -> str:
    return f"{count} exchange" if count == 1 else f"{count} exchanges"
