"""The quarterly contribution report: every section's figures for the owner, for one quarter
against the one before.

Health, the network figures and the playbook come from the health service as of each
quarter's end (a :class:`~mutuality.services.health.service.HealthService` whose today is that
day), so they are the figures ``mutuality health --as-of`` and ``network --as-of`` show.
What flowed is summed from the ledger in one read of the owner's exchanges over the two
quarters; introductions, requests, commitments and check-ins are read by their dates.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select

from mutuality.core.capacity import CapacityUse
from mutuality.core.errors import InvalidInput
from mutuality.core.health import Status
from mutuality.core.report import (
    STATUS_RANK,
    NetworkSummary,
    Play,
    Quarter,
    Report,
    Standing,
    StatusChange,
    healthier,
    quarter_of,
)
from mutuality.core.why import explain_health
from mutuality.services.capacity import CapacityService
from mutuality.services.context import Service, ServiceContext
from mutuality.services.report import ledger as report_ledger
from mutuality.services.settings import Settings
from mutuality.store.tables import PersonRow

if TYPE_CHECKING:
    from mutuality.services.health.service import HealthService
    from mutuality.services.health.views import PersonHealth

TOP_STANDINGS = 12
PLAYBOOK = 5


class ReportService(Service):
    def __init__(
        self,
        context: ServiceContext,
        capacity: CapacityService,
        health_as_of: Callable[[date], HealthService],
    ) -> None:
        super().__init__(context)
        self._capacity = capacity
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
        if progress is None:  # a page asks again and again: kept until the next write
            chosen = quarter
            return self._db.cached(
                ("report.quarter", chosen.label, today), lambda: self._build(chosen, today)
            )
        return self._build(quarter, today, progress)

    def _build(
        self, quarter: Quarter, today: date, progress: Callable[[str], None] | None = None
    ) -> Report:
        step = progress or (lambda _name: None)
        as_of = min(quarter.end, today)
        previous = quarter.previous()
        with self._db.read() as session:  # one consistent state: the reads below join it
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
            owner = session.execute(
                select(PersonRow.id, PersonRow.name).where(PersonRow.is_owner)
            ).first()
            owner_id = -1 if owner is None else owner.id
            flows = report_ledger.flows(session, owner_id, previous.start, as_of, quarter.start)
            introductions = report_ledger.introductions(session, owner_id, quarter.start, as_of)
            requests = report_ledger.requests(session, owner_id, quarter.start, as_of)
            commitments = report_ledger.commitments(session, owner_id, quarter.start, as_of)
            checkins = (
                report_ledger.checkins(session, owner_id, quarter.start, as_of),
                report_ledger.checkins(session, owner_id, previous.start, previous.end),
            )
            capacity = report_ledger.capacity_periods(
                session, self._capacity.load(session), owner_id, quarter.start, as_of
            )
        totals, kinds, people, months = flows
        changes = _changes(before, after, self._settings, health)
        figures = network.figures
        at_risk = set(network.figures.burnout_risk)
        warnings = burnout_warnings(capacity, network.my_giving, owner_id in at_risk)
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
                len(at_risk - {owner_id}),
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


def burnout_warnings(capacity: list[CapacityUse], my_giving: str, among_at_risk: bool) -> list[str]:
    """Every burnout warning for me, from one place: each strained period's warning, each
    boundary crossed, a self-sacrificing giving style, and my being among the network's
    people at risk of burnout. None of them, and the report says there is no warning."""
    lines = []
    if among_at_risk:
        lines.append(
            "You are at risk of burnout: you give far more than you receive, at a higher cost "
            "than almost anyone in your network."
        )
    for use in capacity:
        if use.capacity is None:
            continue
        if (warning := use.warning()) is not None:
            lines.append(warning)
        for give in use.boundary_hits:
            lines.append(f"Boundary crossed: {give.kind.value} given on {give.on}.")
    if my_giving == "self-sacrificing":
        lines.append(
            "You give like a self-sacrificing giver: much, beyond your budget. "
            "Pause or renegotiate before it wears you out."
        )
    return lines
