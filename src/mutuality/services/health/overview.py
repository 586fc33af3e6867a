"""The views a person looks at most: the dashboard, the people list (paged) and a person's
page.

They compose the other services (health, check-ins, capacity, trends, the ledger) without
adding rules of their own, and they cost what they show: network-wide figures come from
the results the other services keep until the next write, and a page of the people list
loads only the people on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from sqlalchemy import bindparam, func, select

from mutuality.core.capacity import CapacityUse
from mutuality.core.checkins import AgendaItem, CheckIn
from mutuality.core.errors import InvalidInput
from mutuality.core.fields import choice
from mutuality.core.health import STATUS_ORDER, Status
from mutuality.core.introductions import IntroStatus
from mutuality.core.model import Exchange, Person
from mutuality.core.needs import Wish
from mutuality.core.network import NetworkFigures, Style
from mutuality.core.requests import Commitment
from mutuality.core.trends import MonthFlow
from mutuality.core.why import RelationshipHealth
from mutuality.services.capacity import CapacityService
from mutuality.services.checkins.service import CheckInService
from mutuality.services.commitments import CommitmentService
from mutuality.services.context import ServiceContext, WithPeople, in_one_read
from mutuality.services.health.service import HealthService
from mutuality.services.health.trends import BalanceHistory, TrendService
from mutuality.services.health.views import HealthDetail, NextStep, PersonHealth
from mutuality.services.introductions.rows import IntroSummary, involving
from mutuality.services.ledger import Direction, LedgerService, Timeline
from mutuality.services.needs import NeedService
from mutuality.services.people import PeopleService, PersonDetails
from mutuality.services.records import everyone_else
from mutuality.store.columns import pair_exchange_columns
from mutuality.store.prepared import run
from mutuality.store.tables import ExchangeRow, IntroductionRow, PersonRow

T = TypeVar("T")

MAX_PAGE = 500
"""The most items one page of any list may hold."""
SORTS = ("name", "urgency")


def check_page(limit: int, offset: int) -> None:
    """Every list is paged: at most :data:`MAX_PAGE` items at a time."""
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"limit must be 1 to {MAX_PAGE}", field="limit", value=limit)
    if offset < 0:
        raise InvalidInput("offset must not be negative", field="offset", value=offset)


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    """How many match in all."""
    limit: int
    offset: int


@dataclass(frozen=True, slots=True)
class PersonSummary:
    """One row of the people list: who, and how the relationship stands."""

    person: Person
    health: RelationshipHealth | None
    """``None`` only for a person added after the figures were computed (never in practice:
    adding someone is a write, and a write renews them)."""
    style: Style


@dataclass(frozen=True, slots=True)
class Activity:
    exchange: Exchange
    person: Person
    direction: Direction


@dataclass(frozen=True, slots=True)
class Graph:
    """A picture's worth of the network: my busiest relationships and who among them
    exchanged with whom."""

    owner: str
    people: list[PersonHealth]
    links: list[tuple[int, int, int]]
    """(giver id, receiver id, how many exchanges)."""
    introductions: list[tuple[int, int, IntroStatus]] = field(default_factory=list)
    """(one side's id, the other's, its state): the introductions I made or proposed,
    the latest first; both sides are among ``people``."""
    average: tuple[float, float] | None = None
    """(given, received): what I gave and received in an average relationship with any
    flow (decayed), where the picture marks "you"; ``None`` before anything flowed."""


@dataclass(frozen=True, slots=True)
class Dashboard:
    people: int
    next_steps: list[NextStep]
    agenda: list[tuple[Person, AgendaItem]]
    status_counts: dict[Status, int]
    """Every status, in the order of :data:`~mutuality.core.health.STATUS_ORDER`."""
    flows: list[MonthFlow]
    burnout_risk: list[tuple[int, str]]
    """(id, name) of the people at risk of burnout across the network."""
    network: NetworkFigures
    capacity: CapacityUse
    recent: list[Activity]


@dataclass(frozen=True, slots=True)
class PersonPage:
    """Everything a person's page shows, read in one consistent state."""

    details: PersonDetails
    why: HealthDetail
    timeline: Timeline
    """One page of it, newest first (``total`` counts them all)."""
    history: BalanceHistory
    commitments: list[Commitment]
    checkins: list[CheckIn]
    """The latest ones, newest first."""
    wishes: list[Wish]
    """Their open needs, then their open offers."""
    introductions: list[IntroSummary]
    """Every introduction they are a side of, newest first."""


_LATEST_INTRODUCTIONS = (
    select(IntroductionRow.a_id, IntroductionRow.b_id, IntroductionRow.status)
    .order_by(IntroductionRow.id.desc())
    .limit(bindparam("limit"))
)


class OverviewService(WithPeople):
    def __init__(
        self,
        context: ServiceContext,
        people: PeopleService,
        ledger: LedgerService,
        health: HealthService,
        capacity: CapacityService,
        checkins: CheckInService,
        trends: TrendService,
        commitments: CommitmentService | None = None,
        needs: NeedService | None = None,
    ) -> None:
        super().__init__(context, people)
        self._needs = needs
        self._ledger = ledger
        self._health = health
        self._capacity = capacity
        self._checkins = checkins
        self._trends = trends
        self._commitments = commitments
        self._cache_key = object()

    @in_one_read
    def dashboard(self, steps: int = 7, months: int = 12, recent: int = 10) -> Dashboard:
        """This week's next actions, the check-in agenda, the network at a glance, what
        flowed each month, and the latest exchanges."""
        people, counts = self._db.cached(
            ("overview.counts", self._cache_key, self._today()), self._count_statuses
        )
        report = self._health.network()
        return Dashboard(
            people=people,
            next_steps=self._health.next_actions(steps),
            agenda=self._checkins.agenda(7),
            status_counts=dict(counts),
            flows=self._trends.flows_by_month(months),
            burnout_risk=[(i, report.names.get(i, f"#{i}")) for i in report.figures.burnout_risk],
            network=report.figures,
            capacity=self._capacity.use(),
            recent=self._db.cached(
                ("overview.recent", self._cache_key, recent),
                lambda: [Activity(*item) for item in self._ledger.recent(recent)],
            ),
        )

    def _count_statuses(self) -> tuple[int, dict[Status, int]]:
        """How many relationships, and how many in each status: kept, so that a dashboard
        does not walk every relationship on every load."""
        everyone = self._health.relationships()
        counts = dict.fromkeys(STATUS_ORDER, 0)
        for item in everyone:
            counts[item.health.status] += 1
        return len(everyone), counts

    @in_one_read
    def people(
        self,
        search: str | None = None,
        tag: str | None = None,
        status: str | None = None,
        sort: str = "name",
        limit: int = 50,
        offset: int = 0,
    ) -> Page[PersonSummary]:
        """One page of the people list with each relationship's health, narrowed by a search
        text, a tag and a status; by name, or most urgent first."""
        check_page(limit, offset)
        if sort not in SORTS:
            raise InvalidInput(
                f"sort by {sort!r}: use {' or '.join(SORTS)}", field="sort", value=sort
            )
        wanted = choice(Status, status, "status") if status else None
        search = (search or "").strip() or None
        tag = (tag or "").strip() or None
        if search is None and tag is None:  # the whole list, in order: kept until a write
            ids = self._db.cached(
                ("overview.ids", self._cache_key, self._today(), wanted, sort),
                lambda: self._ids(None, None, wanted, sort),
            )
        else:
            ids = self._ids(search, tag, wanted, sort)
        health = self._by_person()
        items = [
            PersonSummary(
                person,
                health[person.id].health if person.id in health else None,
                health[person.id].style if person.id in health else Style.UNKNOWN,
            )
            for person in self._kept_people(ids[offset : offset + limit])
        ]
        return Page(items, len(ids), limit, offset)

    def _ids(
        self, search: str | None, tag: str | None, wanted: Status | None, sort: str
    ) -> list[int]:
        if sort == "urgency":
            ranked = [item.person.id for item in self._health.relationships()]
            allowed = set(self._matching(tag, search)) if tag or search else None
            ids = [i for i in ranked if allowed is None or i in allowed]
        else:
            ids = self._matching(tag, search)
        if wanted is not None:
            health = self._by_person()
            ids = [i for i in ids if i in health and health[i].health.status is wanted]
        return ids

    def _kept_people(self, ids: list[int]) -> list[Person]:
        """These people, from the records every relationship's health has read already
        (kept until the next write), so that a page of the list loads no person again."""
        with self._db.read() as session:
            everyone = everyone_else(self._db, session)
        return [everyone[i] for i in ids if i in everyone]

    def person(
        self,
        person_id: int,
        limit: int = 25,
        offset: int = 0,
        months: int = 12,
        checkins: int = 20,
    ) -> PersonPage:
        """A person's page: their details, the "why" of their health (from the kept
        network-wide figures when they are fresh), one page of the timeline, the balance
        at the end of each of the last ``months`` months, commitments and the latest
        check-ins. It costs what the relationship holds, not what the ledger holds."""
        check_page(limit, offset)
        with self._db.read() as session:
            # Each part is read once, by statements built once, and shared: the check-ins
            # and commitments serve their lists and the "why", the history's last point is
            # today's balance.
            person = self._people.record(session, person_id)
            exchanges = pair_exchange_columns(
                session, self._people.owner_id(session), person.id
            )  # every exchange between us: the history's rows, the timeline's count
            history = self._trends.history_in(session, person, months, exchanges)
            checkins_read = self._checkins.of(session, person.id)
            commitments = (
                self._commitments.of(session, person.id) if self._commitments is not None else []
            )
            return PersonPage(
                details=self._people.details(session, person),
                why=self._health.detail_in(
                    session, person, history.points[-1], checkins_read, commitments
                ),
                timeline=self._ledger.timeline_in(
                    session, person, limit, offset, total=len(exchanges)
                ),
                history=history,
                commitments=commitments,
                checkins=list(reversed(checkins_read))[:checkins],
                wishes=self._needs.open_of(session, person.id) if self._needs is not None else [],
                introductions=involving(session, person.id),
            )

    def graph(self, limit: int = 40, introductions: int = 20) -> Graph:
        """The ``limit`` relationships with the most value flowing (decayed), the people of
        my latest ``introductions`` introductions (who I introduced to whom), and the
        exchanges among all of them, counted per direction in the database (kept until the
        next write)."""
        check_page(limit, 0)
        check_page(introductions, 0)
        return self._db.cached(
            ("overview.graph", self._cache_key, self._today(), limit, introductions),
            lambda: self._graph(limit, introductions),
        )

    def _graph(self, limit: int, introductions: int) -> Graph:
        everyone = self._by_person()
        flowing = [
            item for item in everyone.values() if item.health.given + item.health.received > 0
        ]
        average = (
            (
                sum(item.health.given for item in flowing) / len(flowing),
                sum(item.health.received for item in flowing) / len(flowing),
            )
            if flowing
            else None
        )
        ranked = sorted(flowing, key=lambda item: -(item.health.given + item.health.received))[
            :limit
        ]
        with self._db.read() as session:
            owner = session.scalar(select(PersonRow.name).where(PersonRow.is_owner)) or "You"
            made = [
                (int(a), int(b), IntroStatus(status))
                for a, b, status in run(session, _LATEST_INTRODUCTIONS, limit=introductions)
                if a in everyone and b in everyone
            ]
            shown = {item.person.id for item in ranked}
            for a, b, _ in made:
                for side in (a, b):
                    if side not in shown:
                        shown.add(side)
                        ranked.append(everyone[side])
            ids = [item.person.id for item in ranked]
            links = (
                session.execute(
                    select(ExchangeRow.giver_id, ExchangeRow.receiver_id, func.count())
                    .where(ExchangeRow.giver_id.in_(ids), ExchangeRow.receiver_id.in_(ids))
                    .group_by(ExchangeRow.giver_id, ExchangeRow.receiver_id)
                ).all()
                if ids
                else []
            )
        return Graph(owner, ranked, [(int(a), int(b), int(n)) for a, b, n in links], made, average)

    def _matching(self, tag: str | None, search: str | None) -> list[int]:
        if tag is None and search is None:  # the plain list: kept until the next write
            return self._db.cached(
                ("overview.everyone", self._cache_key), lambda: self._people.matching_ids()
            )
        return self._people.matching_ids(tag, search)

    def _by_person(self) -> dict[int, PersonHealth]:
        return self._db.cached(
            ("overview.health", self._cache_key, self._today()),
            lambda: {item.person.id: item for item in self._health.relationships()},
        )
