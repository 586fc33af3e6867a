"""The report's sections read straight from the ledger by date: what flowed (totals, by
kind, by person, by month), introductions, requests, commitments, check-ins and capacity
per budget period. Each is one query over the quarter (or the two quarters)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from mutuality.core.capacity import Capacity, CapacityUse, capacity_use, period_bounds
from mutuality.core.report import (
    CheckIns,
    Compared,
    Flows,
    Introductions,
    IntroMade,
    Requests,
    mean,
)
from mutuality.core.requests import FollowThrough
from mutuality.core.trends import MonthFlow, month_to_date
from mutuality.services.capacity import gives_between
from mutuality.services.person_names import person_names
from mutuality.store.tables import (
    CheckInRow,
    CommitmentRow,
    ExchangeRow,
    IntroductionRow,
    IntroductionStepRow,
    PersonRow,
    RequestRow,
)

TOP_PEOPLE = 10


def flows(
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
    names = person_names(session, people)
    by_kind = sorted(
        (Compared(k, *v) for k, v in kinds.items()),
        key=lambda c: (-(c.now.given + c.now.received), c.label),
    )
    top = sorted(people.items(), key=lambda item: -(item[1][0].given + item[1][0].received))
    by_person = [
        Compared(names.get(pid, f"#{pid}"), *v) for pid, v in top[:TOP_PEOPLE] if v[0] != Flows()
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
            month_to_date(m, until),
        )
        for m in month_list
    ]
    return Compared("total", now, before), by_kind, by_person, flows


def introductions(session: Session, owner: int, start: date, end: date) -> Introductions:
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
        select(IntroductionRow.id, a.name, b.name, IntroductionRow.outcome, ExchangeRow.occurred_on)
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


def requests(session: Session, owner: int, start: date, end: date) -> Requests:
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


def commitments(
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
        if closed_on is not None and start <= closed_on <= end:
            if status == "kept":
                tally[1 if closed_on > due_on else 0] += 1
            elif status == "broken":
                tally[2] += 1
        elif (closed_on is None or closed_on > end) and due_on < end:
            tally[3] += 1
    return FollowThrough(*tallies["mine"]), FollowThrough(*tallies["theirs"])


def checkins(session: Session, owner: int, start: date, end: date) -> CheckIns:
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
        return [answer for row in rows if (answer := row[index]) is not None]

    return CheckIns(len(rows), *(mean(answers(i)) for i in range(4)))


def capacity_periods(
    session: Session, capacity: Capacity | None, owner: int, start: date, end: date
) -> list[CapacityUse]:
    """Each budget period that overlaps the quarter, measured by the capacity rule as it
    stood at the period's end (or ``end``, for the period under way)."""
    if capacity is None:
        return []
    first, _ = period_bounds(capacity.period, start)
    since, _ = period_bounds(capacity.period, first - timedelta(days=1))
    gives = gives_between(session, owner, since, end)
    result = []
    period_start = first
    while period_start <= end:
        _, period_end = period_bounds(capacity.period, period_start)
        result.append(capacity_use(capacity, gives, min(period_end, end)))
        period_start = period_end + timedelta(days=1)
    return result


def _moment(day: date) -> datetime:
    return datetime.combine(day, time.min)
