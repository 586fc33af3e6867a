"""The community's board in team mode: a post and its answers as the viewer may see them,
a thank-you on the gratitude wall, suggestions, and the organiser's aggregates
(``board ... --format json``, ``team report --format json``; ``/api/team/board``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mutuality.services.board import (
        BoardAnswer,
        BoardPost,
        HelperSuggestion,
        Suggestions,
        ThankYou,
    )
    from mutuality.services.board_report import CommunityReport, Figure


def answer_json(answer: BoardAnswer) -> dict[str, Any]:
    return {
        "id": answer.id,
        "helper": answer.helper,
        "note": answer.note,
        "state": answer.state,
        "mine": answer.mine,
        "created_at": answer.created_at.isoformat(),
        "confirmation_id": answer.confirmation_id,
        "confirmation_state": answer.confirmation_state,
        "thanked": answer.thanked,
    }


def post_json(post: BoardPost) -> dict[str, Any]:
    """A post: its author is "a member" for someone else's anonymous ask."""
    return {
        "id": post.id,
        "kind": post.kind,
        "text": post.text,
        "tags": list(post.tags),
        "author": post.author,
        "mine": post.mine,
        "anonymous": post.anonymous,
        "state": post.state,
        "expires_on": post.expires_on.isoformat(),
        "version": post.version,
        "changed": post.changed,
        "created_at": post.created_at.isoformat(),
        "answer_count": post.answer_count,
        "answers": [answer_json(a) for a in post.answers],
    }


def thanks_json(thanks: ThankYou) -> dict[str, Any]:
    return {
        "id": thanks.id,
        "thanked_by": thanks.thanked_by,
        "helper": thanks.helper,
        "words": thanks.words,
        "ask": thanks.ask,
        "on": thanks.on.isoformat(),
    }


def suggestions_json(found: Suggestions) -> dict[str, Any]:
    """The asks I could help with: each with my offer it matched and how (``reason``), and
    the method that made the list (``semantic``, ``lexical``; ``null`` with nothing to
    compare) with the note why the words were used, where they were."""
    return {
        "paused": found.paused,
        "method": found.method,
        "notes": list(found.notes),
        "items": [
            {
                "post": post_json(s.post),
                "score": s.score,
                "matched": list(s.matched),
                "how": s.how,
                "offer": s.offer,
                "reason": s.reason,
            }
            for s in found.items
        ],
    }


def helper_json(found: HelperSuggestion) -> dict[str, Any]:
    """A member who could help with my ask, by one of their offers on the board."""
    return {
        "member": found.member,
        "offer_id": found.offer_id,
        "offer": found.offer,
        "score": found.score,
        "matched": list(found.matched),
        "how": found.how,
    }


def figure_json(figure: Figure) -> float | None:
    """The figure, or ``None`` when it is not shown (computed over fewer than 5 members)."""
    return figure.value if figure.shown else None


def report_json(report: CommunityReport) -> dict[str, Any]:
    from mutuality.services.board_report import NOT_SHOWN

    figures = {
        "active_members": report.active,
        "asks_posted": report.asks_posted,
        "asks_answered": report.asks_answered,
        "asks_met": report.asks_met,
        "median_hours_to_first_answer": report.hours_to_first_answer,
        "top_tenth_share_of_help": report.top_tenth_share,
        "members_stretched": report.stretched,
        "mentoring_pairs_checkins_up_to_date": report.mentoring_checkins,
    }
    return {
        "community": report.community,
        "since": report.since.isoformat(),
        "until": report.until.isoformat(),
        "members": report.members,
        **{
            name: (round(v, 3) if isinstance(v := figure_json(f), float) else v)
            for name, f in figures.items()
        },
        "not_shown": sorted(name for name, f in figures.items() if not f.shown),
        "not_shown_reason": NOT_SHOWN,
        "members_stretched_named": list(report.stretched_named),
    }


def report_lines(report: CommunityReport) -> list[tuple[str, str]]:
    """The report's figures in words, one line each, for ``team report`` and the
    organiser's page alike."""
    named = ", ".join(report.stretched_named)
    return [
        ("Active members", report.active.words()),
        ("Asks posted", report.asks_posted.words()),
        ("Asks answered", report.asks_answered.words()),
        ("Asks met", report.asks_met.words()),
        ("Median time to a first answer", report.hours_to_first_answer.words(" hours", 1)),
        ("Share of the help given by the top tenth of helpers", _share(report.top_tenth_share)),
        (
            "Members giving beyond their capacity",
            report.stretched.words() + (f" (named by their choice: {named})" if named else ""),
        ),
        ("Mentoring pairs with their check-ins up to date", _share(report.mentoring_checkins)),
    ]


def _share(figure: Figure) -> str:
    return f"{figure.value:.0%}" if figure.shown and figure.value is not None else figure.words()
