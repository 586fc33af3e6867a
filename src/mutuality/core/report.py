"""The quarterly contribution report as values: the quarter it covers, and every section's
figures, assembled by :mod:`mutuality.services.report.service` and drawn by
:mod:`mutuality.reports`.

A report compares a quarter with the one before. Relationship health is read as it stood
at each quarter's end (today, for the quarter under way), from what had been logged by
then, so that ``mutuality health --as-of`` shows the same verdicts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from mutuality.core.capacity import CapacityUse
from mutuality.core.errors import InvalidInput
from mutuality.core.health import Status
from mutuality.core.requests import FollowThrough
from mutuality.core.trends import MonthFlow

_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[qQ]([1-4])\s*$")

STATUS_RANK: dict[Status, int] = {
    Status.THRIVING: 6,
    Status.BALANCED: 5,
    Status.UNEVEN_BY_CHOICE: 5,
    Status.NEW: 4,
    Status.OVER_GIVING: 3,
    Status.OVER_RECEIVING: 3,
    Status.FADING: 2,
    Status.OVERDUE: 1,
    Status.QUIET: 0,
}
"""How healthy each status is, to tell a relationship that became healthier from one that
weakened; the two one-sided statuses rank alike (neither is better), and a tie uneven by
choice ranks with balanced (nothing in it is wrong)."""


@dataclass(frozen=True, slots=True, order=True)
class Quarter:
    year: int
    number: int

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        following = self.next()
        return following.start - timedelta(days=1)

    @property
    def label(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def title(self) -> str:
        return f"Q{self.number} {self.year} ({self.start:%d %b} to {self.end:%d %b %Y})"

    def months(self) -> list[date]:
        return [date(self.year, 3 * self.number - 2 + i, 1) for i in range(3)]

    def previous(self) -> Quarter:
        if self.number == 1:
            return Quarter(self.year - 1, 4)
        return Quarter(self.year, self.number - 1)

    def next(self) -> Quarter:
        if self.number == 4:
            return Quarter(self.year + 1, 1)
        return Quarter(self.year, self.number + 1)


def quarter_of(day: date) -> Quarter:
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def parse_quarter(text: str, field: str = "quarter") -> Quarter:
    """``2026Q4`` (also ``2026-Q4`` or ``2026q4``): a four-digit year and a quarter 1 to 4."""
    found = _QUARTER.match(text or "")
    if found is None or not 1900 <= int(found.group(1)) <= 9998:
        raise InvalidInput(
            f"{field} {text!r}: write a year and a quarter 1 to 4, e.g. 2026Q4",
            field=field,
            value=text,
        )
    return Quarter(int(found.group(1)), int(found.group(2)))


def healthier(before: Status | None, after: Status) -> bool | None:
    """``True`` when ``after`` ranks above ``before``, ``False`` below, ``None`` alike."""
    if before is None:
        return None
    change = STATUS_RANK[after] - STATUS_RANK[before]
    return None if change == 0 else change > 0


def mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


@dataclass(frozen=True, slots=True)
class Flows:
    """What flowed between me and others over a period: raw benefit (not decayed), the
    cost each side bore, and how many times."""

    given: float = 0.0
    received: float = 0.0
    my_cost: float = 0.0
    their_cost: float = 0.0
    times_given: int = 0
    times_received: int = 0

    @property
    def surplus(self) -> float:
        """Value created: benefit to the receivers beyond the givers' cost, both ways."""
        return self.given - self.my_cost + self.received - self.their_cost

    def add(self, gave: bool, benefit: float, cost: float) -> Flows:
        if gave:
            return Flows(
                self.given + benefit,
                self.received,
                self.my_cost + cost,
                self.their_cost,
                self.times_given + 1,
                self.times_received,
            )
        return Flows(
            self.given,
            self.received + benefit,
            self.my_cost,
            self.their_cost + cost,
            self.times_given,
            self.times_received + 1,
        )


@dataclass(frozen=True, slots=True)
class Compared:
    """A row of this quarter's flows against the previous quarter's."""

    label: str
    now: Flows
    before: Flows


@dataclass(frozen=True, slots=True)
class StatusChange:
    name: str
    before: Status | None
    after: Status
    reason: str
    """The first line of ``mutuality why`` as of the quarter's end."""


@dataclass(frozen=True, slots=True)
class Standing:
    """One relationship at the quarter's end: the figures ``mutuality health`` shows."""

    name: str
    status: Status
    balance: float | None
    given: float
    """Decayed benefit, as ``mutuality balance`` counts it."""
    received: float


@dataclass(frozen=True, slots=True)
class IntroMade:
    a: str
    b: str
    on: date
    outcome: str | None


@dataclass(frozen=True, slots=True)
class Introductions:
    proposed: int
    made: list[IntroMade]
    declined: int
    with_outcome: int


@dataclass(frozen=True, slots=True)
class Requests:
    """Requests made to me and decided in the quarter."""

    accepted: int = 0
    declined: int = 0
    kept_in_mind: int = 0
    negotiated: int = 0


@dataclass(frozen=True, slots=True)
class CheckIns:
    count: int
    my_satisfaction: float | None
    their_satisfaction: float | None
    my_equity: float | None
    their_equity: float | None


@dataclass(frozen=True, slots=True)
class NetworkSummary:
    """The figures ``mutuality network`` shows, as of the quarter's end."""

    people: int
    relationships: int
    reciprocity: float | None
    mutual_share: float | None
    my_style: str
    my_giving: str
    burnout_risk: int
    """How many other people in the network are at risk of burnout (giving far more than
    they receive, at a high cost); the owner's own risk is one of the report's warnings."""


@dataclass(frozen=True, slots=True)
class Play:
    """One action for next quarter, with its reason."""

    name: str
    action: str
    status: Status
    reason: str


@dataclass(frozen=True, slots=True)
class Report:
    owner: str
    quarter: Quarter
    as_of: date
    """The quarter's end, or today while the quarter is under way."""
    previous_as_of: date
    totals: Compared
    kinds: list[Compared]
    people: list[Compared]
    """Top people by benefit exchanged this quarter."""
    status_counts: dict[Status, tuple[int, int]]
    """Per status: relationships at the previous quarter's end, and at this one's."""
    healthier: list[StatusChange]
    weaker: list[StatusChange]
    standings: list[Standing]
    """Most one-sided first: the balance by relationship."""
    network: NetworkSummary
    introductions: Introductions
    requests: Requests
    commitments: tuple[FollowThrough, FollowThrough]
    """(mine, theirs): closed in the quarter, or still open and overdue at its end."""
    checkins: tuple[CheckIns, CheckIns]
    """(this quarter, the previous one)."""
    capacity: list[CapacityUse]
    """Each budget period of the quarter, up to ``as_of``; empty without a budget."""
    warnings: list[str]
    playbook: list[Play]
    flows: list[MonthFlow]
    """The previous quarter's months and this one's up to ``as_of``, oldest first."""
