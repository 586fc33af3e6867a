"""The organiser's view of a community: aggregates of the board only.

What an organiser sees is counts, a median and a share, each over a group of members: how
many are active, how many asks were posted, answered and met, how long an ask waits for a
first answer, how much of the helping the busiest tenth of helpers does, and how many
members give beyond their capacity (named only where they chose to be). A figure computed
over fewer than :data:`MIN_GROUP` members is not shown at all, so no figure can be read back
to one person; nothing here reads a balance, a note or a label of anyone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Row, or_, select
from sqlalchemy.orm import Session

from mutuality.core.errors import InvalidInput, NotFound
from mutuality.services.board import median, top_tenth_share
from mutuality.store.database import Database
from mutuality.store.tables import RelationshipRow
from mutuality.store.team_tables import (
    BoardAnswerRow,
    BoardPostRow,
    BoardSettingsRow,
    MemberLinkRow,
    MemberRow,
)

if TYPE_CHECKING:
    from mutuality.services.team import TeamService

MIN_GROUP = 5
"""No figure over fewer members than this is shown."""
NOT_SHOWN = f"fewer than {MIN_GROUP} members: not shown"
REPORT_DAYS = 90


@dataclass(frozen=True, slots=True)
class Figure:
    """One aggregate and how many members it is computed over; ``value`` is ``None`` when
    that is fewer than :data:`MIN_GROUP` (or when there is nothing to measure)."""

    value: float | None
    over: int

    @property
    def shown(self) -> bool:
        return self.over >= MIN_GROUP

    def words(self, unit: str = "", digits: int = 0) -> str:
        if not self.shown:
            return NOT_SHOWN
        if self.value is None:
            return "none yet"
        number = f"{self.value:.{digits}f}" if digits else f"{round(self.value):d}"
        return f"{number}{unit}"


@dataclass(frozen=True, slots=True)
class CommunityReport:
    community: str
    since: date
    until: date
    members: int
    """Current members (the one figure always shown: the organisers see the list anyway)."""
    active: Figure
    """Members who posted or answered in the period."""
    asks_posted: Figure
    asks_answered: Figure
    asks_met: Figure
    hours_to_first_answer: Figure
    """The median, over the period's answered asks."""
    top_tenth_share: Figure
    """The share of the help given (answers accepted) by the top tenth of helpers."""
    stretched: Figure
    """Members whose giving budget is at risk or over."""
    stretched_named: tuple[str, ...]
    mentoring_checkins: Figure = Figure(None, 0)
    """The share of mentoring pairs (two members, one keeping the other as mentor, mentee or
    with the mentoring intent) whose check-ins are up to date; over the members in them."""
    """Those of them who chose to be named to organisers."""


class CommunityReportService:
    """One read of the registry (and of each member's capacity, counted only)."""

    def __init__(
        self,
        team: TeamService,
        database: Database,
        today: Callable[[], date],
    ) -> None:
        self._team = team
        self._db = database
        self._today = today

    def report(self, member_id: int, days: int = REPORT_DAYS) -> CommunityReport:
        """The last ``days`` days up to today; only an organiser may ask (anyone else is
        told there is no such report, as for any page they may not see)."""
        with self._db.read() as session:
            viewer = session.get(MemberRow, member_id) if isinstance(member_id, int) else None
            if viewer is None or viewer.left_at is not None or viewer.role != "organiser":
                raise NotFound("no community report here", field="report")
            if isinstance(days, bool) or not isinstance(days, int) or not 7 <= days <= 366:
                raise InvalidInput("a report covers 7 to 366 days", field="days", value=days)
            until = self._today()
            since = until - timedelta(days=days - 1)
            start = datetime.combine(since, time.min)
            community = self._team.community().name
            current = dict(
                session.execute(
                    select(MemberRow.id, MemberRow.display_name).where(MemberRow.left_at.is_(None))
                ).all()
            )
            figures = _figures(session, set(current), start)
            named = set(
                session.scalars(
                    select(BoardSettingsRow.member_id).where(
                        BoardSettingsRow.named_when_stretched.is_(True)
                    )
                ).all()
            )
            links = session.execute(
                select(MemberLinkRow.member_id, MemberLinkRow.person_id, MemberLinkRow.other_id)
            ).all()
        members = len(current)
        stretched = [m for m in sorted(current) if self._stretched(m)]
        mentoring = self._mentoring(links, set(current))
        shown = members >= MIN_GROUP
        return CommunityReport(
            community=community,
            since=since,
            until=until,
            members=members,
            stretched=Figure(len(stretched), members),
            mentoring_checkins=mentoring if shown else Figure(None, 0),
            stretched_named=tuple(
                sorted(current[m] for m in stretched if m in named) if shown else ()
            ),
            **{k: v if shown else Figure(None, 0) for k, v in figures.items()},
        )

    def _mentoring(self, links: Sequence[Row[int, int, int]], current: set[int]) -> Figure:
        """How many mentoring pairs between members keep their check-ins up to date. A pair
        is one when either member's ledger keeps the other (a person linked to them) as a
        mentor or mentee, or with the mentoring intent; it is up to date when no check-in
        with the other is late in the ledgers that keep it so. Only the count of pairs and
        of the members in them leave each ledger."""
        today = self._today()
        linked: dict[int, dict[int, int]] = {}
        for member, person, other in links:
            if member in current and other in current:
                linked.setdefault(member, {})[person] = other
        late: dict[frozenset[int], bool] = {}
        for member, people in linked.items():
            ledger = self._team.ledger(member)
            with ledger.database.read() as session:
                mentoring = set(
                    session.scalars(
                        select(RelationshipRow.person_id).where(
                            RelationshipRow.person_id.in_(list(people)),
                            or_(
                                RelationshipRow.context.in_(("mentor", "mentee")),
                                RelationshipRow.intent == "mentoring",
                            ),
                        )
                    ).all()
                )
            if not mentoring:
                continue
            overdue = {
                person.id for person, item in ledger.checkins.agenda(0) if item.due_on < today
            }
            for person in mentoring:
                pair = frozenset((member, people[person]))
                late[pair] = late.get(pair, False) or person in overdue
        in_pairs = len({member for pair in late for member in pair})
        if not late:
            return Figure(None, in_pairs)
        return Figure(sum(1 for was in late.values() if not was) / len(late), in_pairs)

    def _stretched(self, member_id: int) -> bool:
        ledger = self._team.ledger(member_id)
        with ledger.database.read() as session:
            return ledger.capacity.strained(session)


def _figures(session: Session, current: set[int], start: datetime) -> dict[str, Figure]:
    posts = session.execute(
        select(BoardPostRow.id, BoardPostRow.author_id, BoardPostRow.kind, BoardPostRow.state)
        .add_columns(BoardPostRow.created_at)
        .where(BoardPostRow.created_at >= start)
    ).all()
    answers = session.execute(
        select(
            BoardAnswerRow.post_id,
            BoardAnswerRow.member_id,
            BoardAnswerRow.state,
            BoardAnswerRow.created_at,
            BoardAnswerRow.accepted_at,
        )
    ).all()
    active = {p.author_id for p in posts} | {a.member_id for a in answers if a.created_at >= start}
    asks = {p.id: p for p in posts if p.kind == "ask"}
    askers = len({p.author_id for p in asks.values()})
    first: dict[int, datetime] = {}
    for a in answers:
        if a.post_id in asks and a.state != "withdrawn":
            first[a.post_id] = min(first.get(a.post_id, a.created_at), a.created_at)
    waits = [(first[i] - asks[i].created_at).total_seconds() / 3600 for i in first]
    answered_askers = len({asks[i].author_id for i in first})
    helped = Counter(
        a.member_id
        for a in answers
        if a.state == "accepted" and a.accepted_at is not None and a.accepted_at >= start
    )
    return {
        "active": Figure(len(active & current), len(current)),
        "asks_posted": Figure(len(asks), askers),
        "asks_answered": Figure(len(first), askers),
        "asks_met": Figure(sum(1 for p in asks.values() if p.state == "met"), askers),
        "hours_to_first_answer": Figure(median(waits), answered_askers),
        "top_tenth_share": Figure(top_tenth_share(list(helped.values())), len(helped)),
    }
