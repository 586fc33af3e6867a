"""The quarterly contribution report: every section's figures for the owner, for one quarter
against the one before.

Health, the network figures and the playbook come from the health service as of each
quarter's end (a :class:`~mutuality.services.health.HealthService` whose today is that
day), so they are the figures ``mutuality health --as-of`` and ``network --as-of`` show.
What flowed is summed from the ledger in one read of the owner's exchanges over the two
quarters; introductions, requests, commitments and check-ins are read by their dates.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from mutuality.core.capacity import CapacityUse, Give, capacity_use, period_bounds
from mutuality.core.errors import InvalidInput
from mutuality.core.health import Status
from mutuality.core.model import ExchangeKind
from mutuality.core.report import (
    STATUS_RANK,
    CheckIns,
    Compared,
    Flows,
    Introductions,
    IntroMade,
    NetworkSummary,
    Play,
    Quarter,
    Report,
    Requests,
    Standing,
    StatusChange,
    healthier,
    mean,
    quarter_of,
)
from mutuality.core.requests import FollowThrough
from mutuality.core.trends import MonthFlow
from mutuality.core.why import explain_health
from mutuality.services.capacity import CapacityService
from mutuality.services.settings import Settings
from mutuality.store.database import Database
from mutuality.store.tables import (
    CheckInRow,
    CommitmentRow,
    ExchangeRow,
    IntroductionRow,
    IntroductionStepRow,
    PersonRow,
    RequestRow,
)

if TYPE_CHECKING:
    from mutuality.services.health import HealthService, PersonHealth

TOP_PEOPLE = 10
TOP_STANDINGS = 12
PLAYBOOK = 5


class ReportService:
    def __init__(
        self,
        database: Database,
        settings: Settings,
        capacity: CapacityService,
        today: Callable[[], date],
        health_as_of: Callable[[date], HealthService],
    ) -> None:
        self._db = database
        self._settings = settings
        self._capacity = capacity
        self._today = today
        self._health_as_of = health_as_of
        self._health: dict[date, HealthService] = {}

    def quarter(
        self, quarter: Quarter | None = None, progress: Callable[[str], None] | None = None
    ) -> Report:
        """The report for ``quarter`` (default: the current one). ``progress`` hears the name
        of each step as it starts, for a progress bar."""
        today = self._today()
        quarter = quarter or quarter_of(today)
        if quarter.start > today:
            raise InvalidInput(
                f"quarter {quarter.label} has not started yet (today is {today})",
                field="quarter",
                value=quarter.label,
            )
        step = progress or (lambda _name: None)
        as_of = min(quarter.end, today)
        previous = quarter.previous()
        step("health at the previous quarter's end")
        before = self._health_at(previous.end).relationships()
        step("health at this quarter's end")
        health = self._health_at(as_of)
        after = health.relationships()
        step("network figures")
        network = health.network()
        step("playbook")
        playbook = health.next_actions(PLAYBOOK)
        step("the ledger")
        with self._db.read() as session:
            owner = session.execute(
                select(PersonRow.id, PersonRow.name).where(PersonRow.is_owner)
            ).first()
            owner_id = -1 if owner is None else owner.id
            flows = self._flows(session, owner_id, previous.start, as_of, quarter.start)
            introductions = self._introductions(session, owner_id, quarter.start, as_of)
            requests = self._requests(session, owner_id, quarter.start, as_of)
            commitments = self._commitments(session, owner_id, quarter.start, as_of)
            checkins = (
                self._checkins(session, owner_id, quarter.start, as_of),
                self._checkins(session, owner_id, previous.start, previous.end),
            )
            capacity = self._capacity_use(session, owner_id, quarter.start, as_of)
        totals, kinds, people, months = flows
        changes = _changes(before, after, self._settings, health)
        figures = network.figures
        warnings = _warnings(capacity, network.my_giving)
        return Report(
            owner="me" if owner is None else owner.name,
            quarter=quarter,
            as_of=as_of,
            previous_as_of=previous.end,
            totals=totals,
            kinds=kinds,
            people=people,
            status_counts=_counts(before, after),
            healthier=[c for c, better in changes if better],
            weaker=[c for c, better in changes if not better],
            standings=_standings(after),
            network=NetworkSummary(
                figures.people,
                figures.relationships,
                figures.reciprocity,
                figures.mutual_share,
                network.my_style.value,
                network.my_giving,
                len(figures.burnout_risk),
            ),
            introductions=introductions,
            requests=requests,
            commitments=commitments,
            checkins=checkins,
            capacity=capacity,
            warnings=warnings,
            playbook=[
                Play(s.person.name, s.health.action.value, s.health.status, s.reason)
                for s in playbook
            ],
            flows=months,
        )

    def _health_at(self, day: date) -> HealthService:
        """A health service whose today is ``day``, kept so that its figures stay cached
        (until the next write) for the next report over the same day. Today's is the
        application's own (not kept here: tomorrow it will be another day's)."""
        if day == self._today():
            return self._health_as_of(day)
        if day not in self._health:
            if len(self._health) > 8:
                self._health.clear()
            self._health[day] = self._health_as_of(day)
        return self._health[day]

    # --- sections ----------------------------------------------------------------------------

    @staticmethod
    def _flows(
        session: Session, owner: int, since: date, until: date, split: date
    ) -> tuple[Compared, list[Compared], list[Compared], list[MonthFlow]]:
        """Totals, by kind, by person and by month, from one read of my exchanges."""
        rows = session.execute(
            select(
                ExchangeRow.giver_id,
                ExchangeRow.receiver_id,
                ExchangeRow.occurred_on,
                ExchangeRow.kind,
                ExchangeRow.benefit,
                ExchangeRow.cost,
            ).where(
                or_(ExchangeRow.giver_id == owner, ExchangeRow.receiver_id == owner),
                ExchangeRow.occurred_on >= since,
                ExchangeRow.occurred_on <= until,
            )
        )
        now, before = Flows(), Flows()
        kinds: dict[str, list[Flows]] = defaultdict(lambda: [Flows(), Flows()])
        people: dict[int, list[Flows]] = defaultdict(lambda: [Flows(), Flows()])
        months: dict[date, Flows] = defaultdict(Flows)
        for giver, receiver, on, kind, benefit, cost in rows:
            gave = giver == owner
            side = 0 if on >= split else 1
            if side == 0:
                now = now.add(gave, benefit, cost)
            else:
                before = before.add(gave, benefit, cost)
            kinds[kind][side] = kinds[kind][side].add(gave, benefit, cost)
            other = receiver if gave else giver
            people[other][side] = people[other][side].add(gave, benefit, cost)
            month = on.replace(day=1)
            months[month] = months[month].add(gave, benefit, cost)
        names = (
            dict(
                session.execute(
                    select(PersonRow.id, PersonRow.name).where(PersonRow.id.in_(list(people)))
                ).all()
            )
            if people
            else {}
        )
        by_kind = sorted(
            (Compared(k, *v) for k, v in kinds.items()),
            key=lambda c: (-(c.now.given + c.now.received), c.label),
        )
        top = sorted(people.items(), key=lambda item: -(item[1][0].given + item[1][0].received))
        by_person = [
            Compared(names.get(pid, f"#{pid}"), *v)
            for pid, v in top[:TOP_PEOPLE]
            if v[0] != Flows()
        ]
        month_list = [since]
        while month_list[-1] < until.replace(day=1):
            month_list.append((month_list[-1] + timedelta(days=32)).replace(day=1))
        flows = [
            MonthFlow(
                m,
                round(months[m].given, 3),
                round(months[m].received, 3),
                months[m].times_given,
                months[m].times_received,
            )
            for m in month_list
        ]
        return Compared("total", now, before), by_kind, by_person, flows

    @staticmethod
    def _introductions(session: Session, owner: int, start: date, end: date) -> Introductions:
        """Made in the quarter: dated by the introduction exchange it logged (the day it was
        made), or by its step when that exchange was deleted; proposals and declines by
        their steps."""
        since, until = _moment(start), _moment(end + timedelta(days=1))
        steps = session.execute(
            select(
                IntroductionStepRow.introduction_id,
                IntroductionStepRow.step,
                IntroductionStepRow.at,
            )
            .join(IntroductionRow, IntroductionRow.id == IntroductionStepRow.introduction_id)
            .where(
                IntroductionRow.owner_id == owner,
                IntroductionStepRow.step.in_(("proposed", "made", "declined")),
            )
        ).all()
        stepped = {(intro, step): at for intro, step, at in steps}
        proposed = sum(
            1 for (_, step), at in stepped.items() if step == "proposed" and since <= at < until
        )
        declined = sum(
            1 for (_, step), at in stepped.items() if step == "declined" and since <= at < until
        )
        a, b = aliased(PersonRow), aliased(PersonRow)
        rows = session.execute(
            select(
                IntroductionRow.id, a.name, b.name, IntroductionRow.outcome, ExchangeRow.occurred_on
            )
            .join(a, a.id == IntroductionRow.a_id)
            .join(b, b.id == IntroductionRow.b_id)
            .outerjoin(ExchangeRow, ExchangeRow.id == IntroductionRow.a_exchange_id)
            .where(IntroductionRow.owner_id == owner, IntroductionRow.status == "made")
        )
        made = []
        for intro, a_name, b_name, outcome, on in rows:
            step_at = stepped.get((intro, "made"))
            day = on if on is not None else (step_at.date() if step_at else None)
            if day is not None and start <= day <= end:
                made.append(IntroMade(a_name, b_name, day, outcome))
        made.sort(key=lambda m: (m.on, m.a, m.b))
        return Introductions(proposed, made, declined, sum(1 for m in made if m.outcome))

    @staticmethod
    def _requests(session: Session, owner: int, start: date, end: date) -> Requests:
        decisions = session.scalars(
            select(RequestRow.decision).where(
                RequestRow.owner_id == owner,
                RequestRow.direction == "to_me",
                RequestRow.decided_on >= start,
                RequestRow.decided_on <= end,
            )
        ).all()
        return Requests(
            accepted=decisions.count("yes"),
            declined=decisions.count("no"),
            kept_in_mind=decisions.count("later"),
            negotiated=decisions.count("negotiate"),
        )

    @staticmethod
    def _commitments(
        session: Session, owner: int, start: date, end: date
    ) -> tuple[FollowThrough, FollowThrough]:
        """Kept (on time or late) and broken in the quarter; still open and overdue at its end,
        counted the way ``follow_through`` counts them."""
        tallies = {"mine": [0, 0, 0, 0], "theirs": [0, 0, 0, 0]}
        rows = session.execute(
            select(
                CommitmentRow.direction,
                CommitmentRow.status,
                CommitmentRow.due_on,
                CommitmentRow.closed_on,
            ).where(CommitmentRow.owner_id == owner, CommitmentRow.made_on <= end)
        )
        for direction, status, due_on, closed_on in rows:
            tally = tallies[direction]
            closed_here = closed_on is not None and start <= closed_on <= end
            if status == "kept" and closed_here:
                tally[1 if closed_on > due_on else 0] += 1
            elif status == "broken" and closed_here:
                tally[2] += 1
            elif (closed_on is None or closed_on > end) and due_on < end:
                tally[3] += 1
        return FollowThrough(*tallies["mine"]), FollowThrough(*tallies["theirs"])

    @staticmethod
    def _checkins(session: Session, owner: int, start: date, end: date) -> CheckIns:
        rows = session.execute(
            select(
                CheckInRow.my_satisfaction,
                CheckInRow.their_satisfaction,
                CheckInRow.my_equity,
                CheckInRow.their_equity,
            ).where(
                CheckInRow.owner_id == owner,
                CheckInRow.occurred_on >= start,
                CheckInRow.occurred_on <= end,
            )
        ).all()

        def answers(index: int) -> list[int]:
            return [row[index] for row in rows if row[index] is not None]

        return CheckIns(len(rows), *(mean(answers(i)) for i in range(4)))

    def _capacity_use(
        self, session: Session, owner: int, start: date, end: date
    ) -> list[CapacityUse]:
        """Each budget period that overlaps the quarter, measured by the capacity rule as it
        stood at the period's end (or ``end``, for the period under way)."""
        capacity = self._capacity.load(session)
        if capacity is None:
            return []
        first, _ = period_bounds(capacity.period, start)
        since, _ = period_bounds(capacity.period, first - timedelta(days=1))
        gives = [
            Give(on, cost, hours, ExchangeKind(kind), exchange_id, receiver)
            for on, cost, hours, kind, exchange_id, receiver in session.execute(
                select(
                    ExchangeRow.occurred_on,
                    ExchangeRow.cost,
                    ExchangeRow.hours,
                    ExchangeRow.kind,
                    ExchangeRow.id,
                    ExchangeRow.receiver_id,
                ).where(
                    ExchangeRow.giver_id == owner,
                    ExchangeRow.occurred_on >= since,
                    ExchangeRow.occurred_on <= end,
                )
            )
        ]
        result = []
        period_start = first
        while period_start <= end:
            _, period_end = period_bounds(capacity.period, period_start)
            result.append(capacity_use(capacity, gives, min(period_end, end)))
            period_start = period_end + timedelta(days=1)
        return result


def _moment(day: date) -> datetime:
    return datetime.combine(day, time.min)


def _counts(before: list[PersonHealth], after: list[PersonHealth]) -> dict[Status, tuple[int, int]]:
    counts = {status: [0, 0] for status in Status}
    for side, items in enumerate((before, after)):
        for item in items:
            counts[item.health.status][side] += 1
    return {status: (pair[0], pair[1]) for status, pair in counts.items()}


def _changes(
    before: list[PersonHealth],
    after: list[PersonHealth],
    settings: Settings,
    health: HealthService,
) -> list[tuple[StatusChange, bool]]:
    was = {item.person.id: item.health.status for item in before}
    result = []
    for item in after:
        earlier = was.get(item.person.id)
        better = healthier(earlier, item.health.status)
        if better is None:
            continue
        reason = explain_health(
            item.health, item.person.name, settings.value.tolerance, health.health_settings
        )[0]
        change = StatusChange(item.person.name, earlier, item.health.status, reason)
        result.append((change, better))
    result.sort(key=lambda pair: (-_step(pair[0]), pair[0].name))
    return result


def _step(change: StatusChange) -> int:
    """How far a status moved: the biggest changes come first."""
    before = STATUS_RANK[change.before] if change.before is not None else 0
    return abs(STATUS_RANK[change.after] - before)


def _standings(after: list[PersonHealth]) -> list[Standing]:
    known = [item for item in after if item.health.balance is not None]
    known.sort(key=lambda item: (-abs(item.health.balance or 0.0), item.person.name))
    return [
        Standing(
            item.person.name,
            item.health.status,
            item.health.balance,
            item.health.given,
            item.health.received,
        )
        for item in known[:TOP_STANDINGS]
    ]


def _warnings(capacity: list[CapacityUse], my_giving: str) -> list[str]:
    lines = []
    for use in capacity:
        if use.capacity is None:
            continue
        span = f"{use.start} to {use.end}"
        if use.state.value == "over budget":
            lines.append(
                f"Over budget {span}: used {use.used:.1f} of {use.capacity.amount:g} "
                f"{use.capacity.unit.value}."
            )
        elif use.state.value == "at risk":
            lines.append(
                f"At risk {span}: {use.used:.1f} used so far, {use.projected:.1f} at this pace "
                f"against {use.capacity.amount:g} {use.capacity.unit.value}."
            )
        for give in use.boundary_hits:
            lines.append(f"Boundary crossed: {give.kind.value} given on {give.on}.")
    if my_giving == "self-sacrificing":
        lines.append(
            "You give like a self-sacrificing giver: much, beyond your budget. "
            "Pause or renegotiate before it wears you out."
        )
    return lines
