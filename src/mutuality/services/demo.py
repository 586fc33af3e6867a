"""A demo network, so that a newcomer sees what mutuality shows in the first minute.

A new ledger is empty, and an empty balance overview teaches nothing. ``mutuality serve``
fills an empty ledger on its first run (unless ``--no-demo``), as ``mutuality demo`` does
on request, with forty invented people (see :mod:`mutuality.services.demo_data`) and about a
year of exchanges ending today: balanced relationships, one-sided ones in both
directions, fading and new ones, and a few that run on appreciation and advice alone,
so that every part of the overview has something to show and explain.

The rules it keeps:

* **Deterministic.** One fixed seed and dates counted back from ``app.today()``: the
  same day gives the same data, and every day gives the same shapes.
* **Only into an empty ledger.** ``mutuality demo`` may be run again on a ledger in use;
  if anyone but the owner is already there, nothing is written and the report says why,
  so a second run never touches the user's data.
* **All or nothing.** Everything is checked by the services' own rules before the first
  write. The people are then added one by one (the people service has no bulk path that
  takes emails, tags and start dates, and no transaction spans two services), the
  exchanges in one transaction. If anything fails, the people already added are
  forgotten again and the error is raised, so no half demo is left behind.

Only the service APIs are used; the demo does no I/O of its own.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from mutuality.core.errors import InvalidInput
from mutuality.core.model import Estimator, ExchangeKind, Initiative, NewExchange
from mutuality.core.scale import KIND_DEFAULTS
from mutuality.core.value import DEFAULT_HALF_LIFE_DAYS
from mutuality.services.app import Mutuality
from mutuality.services.demo_data import (
    DEMO_TAG,
    GET,
    GIVE,
    INITIATIVE_KNOWN,
    INTANGIBLE_KINDS,
    PEOPLE,
    PRONOUNS,
    REACHING_OUT,
    DemoPerson,
    Moment,
    Pattern,
    Template,
)
from mutuality.services.ledger import Direction, Progress, initiative

SEED = 20_240_611
"""The one seed: changing it changes every demo."""

_TEMPLATE_ESTIMATORS = (Estimator.ME, Estimator.BOTH, Estimator.THEM, Estimator.DEFAULT)
_TEMPLATE_WEIGHTS = (60, 15, 10, 15)
_BENEFIT_JITTER = (-1.0, -0.5, 0.0, 0.0, 0.5, 1.0)
_COST_JITTER = (-0.5, 0.0, 0.0, 0.5)
_OUTCOME_CHANCE = 0.35
_SMALL = 3.0
"""The most a gesture in the minority direction of a one-sided relationship is worth."""
_MUTUAL_BAND = 0.12
"""How close to even a mutual relationship is kept, well inside the default tolerance."""


@dataclass(frozen=True, slots=True)
class DemoReport:
    """What :func:`load_demo` did."""

    loaded: bool
    people: int
    """People added (the owner not counted)."""
    exchanges: int
    reason: str | None = None
    """Why nothing was loaded, when ``loaded`` is false."""


@dataclass(frozen=True, slots=True)
class PlannedExchange:
    """One demo exchange between the owner and ``PEOPLE[person]``, before anyone has an id."""

    person: int
    direction: Direction
    kind: ExchangeKind
    description: str
    on: date
    benefit: float
    cost: float
    estimated_by: Estimator
    tags: tuple[str, ...] = ()
    outcome: str | None = None
    private_note: str | None = None
    initiated_by: Initiative | None = None

    def to_new(self, owner_id: int, person_id: int) -> NewExchange:
        giver, receiver = (
            (owner_id, person_id) if self.direction is Direction.GAVE else (person_id, owner_id)
        )
        return NewExchange(
            giver_id=giver,
            receiver_id=receiver,
            kind=self.kind,
            description=self.description,
            on=self.on,
            benefit=self.benefit,
            cost=self.cost,
            estimated_by=self.estimated_by,
            tags=self.tags,
            outcome=self.outcome,
            private_note=self.private_note,
            initiated_by=self.initiated_by,
        )


@dataclass(frozen=True, slots=True)
class DemoPlan:
    """The whole demo for one day, computed without touching the database."""

    today: date
    people: tuple[DemoPerson, ...]
    started_on: tuple[date, ...]
    """When each relationship began, parallel to ``people``."""
    exchanges: tuple[PlannedExchange, ...]

    @property
    def total(self) -> int:
        """How many items a progress bar counts: people plus exchanges."""
        return len(self.people) + len(self.exchanges)


# --- planning (pure) --------------------------------------------------------------------------


def build_demo(today: date) -> DemoPlan:
    """The demo as of ``today``: the same day always gives the same plan."""
    rng = random.Random(SEED)
    usage: Counter[str] = Counter()
    started: list[date] = []
    planned: list[PlannedExchange] = []
    for index, person in enumerate(PEOPLE):
        peers = [
            f"{p.short} at {p.organisation}"
            for p in PEOPLE
            if p.organisation and p.organisation != person.organisation
        ]
        picker = _Picker(rng, person, peers, usage)
        dated = _schedule(person, picker, rng)
        for days_ago, moment, estimator in dated:
            planned.append(
                PlannedExchange(
                    person=index,
                    direction=moment.direction,
                    kind=moment.kind,
                    description=moment.text,
                    on=today - timedelta(days=days_ago),
                    benefit=moment.benefit,
                    cost=moment.cost,
                    estimated_by=estimator,
                    tags=moment.tags,
                    outcome=moment.outcome,
                    private_note=moment.private_note,
                )
            )
        oldest = max((days for days, _, _ in dated), default=0)
        started.append(today - timedelta(days=_started_days_ago(person.pattern, oldest, rng)))
    planned.sort(key=lambda item: (item.on, item.person, item.description))
    planned = _who_reached_out(planned, random.Random(SEED + 1))
    return DemoPlan(today, PEOPLE, tuple(started), tuple(planned))


def _who_reached_out(planned: list[PlannedExchange], rng: random.Random) -> list[PlannedExchange]:
    """Who reached out first, for most exchanges, by each person's pattern
    (:data:`~mutuality.services.demo_data.REACHING_OUT`). A stream of its own, two draws
    per exchange in date order, so the rest of the demo is the same with or without it."""
    result = []
    for item in planned:
        known, mine = rng.random() < INITIATIVE_KNOWN, rng.random()
        if known:
            chance = REACHING_OUT[PEOPLE[item.person].pattern]
            who = initiative("me" if mine < chance else "them", item.direction)
            item = replace(item, initiated_by=who)
        result.append(item)
    return result


def _started_days_ago(pattern: Pattern, oldest: int, rng: random.Random) -> int:
    if pattern is Pattern.QUIET:
        return rng.randint(5, 40)
    if pattern is Pattern.NEW:
        return oldest + rng.randint(0, 10)
    return max(oldest, rng.randint(400, 3000))


class _Picker:
    """Turns templates into one person's moments: pronouns, peers, jitter, no repeats."""

    def __init__(
        self, rng: random.Random, person: DemoPerson, peers: Sequence[str], usage: Counter[str]
    ) -> None:
        self._rng = rng
        self._person = person
        self._peers = peers
        self._usage = usage  # uses of each template across the network, to spread them
        self._used = {moment.text for moment in person.moments}

    def pick(self, direction: Direction, small: bool = False) -> tuple[Moment, Estimator]:
        person, rng = self._person, self._rng
        templates = [
            t
            for t in (GIVE if direction is Direction.GAVE else GET)
            if (not t.needs or set(t.needs) & set(person.tags))
            and (person.pattern is not Pattern.INTANGIBLE or t.kind in INTANGIBLE_KINDS)
            and (not small or t.benefit <= _SMALL)
        ]
        for _ in range(50):
            candidates = rng.sample(templates, min(3, len(templates)))
            template = min(candidates, key=lambda t: self._usage[t.text])
            text = self._text(template)
            if text not in self._used:
                self._used.add(text)
                self._usage[template.text] += 1
                return self._moment(direction, template, text, small)
        raise InvalidInput(
            f"the demo ran out of phrasings for {person.name}",
            field="description",
            value=person.name,
        )

    def _text(self, template: Template) -> str:
        peer = self._rng.choice(self._peers)
        return template.text.format(
            short=self._person.short,
            peer=peer,
            peer_org=peer.split(" at ", 1)[1],
            **PRONOUNS[self._person.pronoun],
        )

    def _moment(
        self, direction: Direction, template: Template, text: str, small: bool
    ) -> tuple[Moment, Estimator]:
        rng = self._rng
        estimator = rng.choices(_TEMPLATE_ESTIMATORS, _TEMPLATE_WEIGHTS)[0]
        if estimator is Estimator.DEFAULT:
            benefit, cost = KIND_DEFAULTS[template.kind]
        else:
            top = _SMALL if small else 10.0
            benefit = min(max(template.benefit + rng.choice(_BENEFIT_JITTER), 0.5), top)
            cost = min(max(template.cost + rng.choice(_COST_JITTER), 0.0), 10.0)
        outcome = None
        if template.outcomes and rng.random() < _OUTCOME_CHANCE:
            outcome = rng.choice(template.outcomes)
        moment = Moment(direction, template.kind, text, benefit, cost, outcome, template.tags)
        return moment, estimator

    def own(self, moment: Moment) -> tuple[Moment, Estimator]:
        """A hand-written moment: its figures were thought about, by the owner or together."""
        return moment, self._rng.choices((Estimator.ME, Estimator.BOTH), (70, 30))[0]


Dated = tuple[int, Moment, Estimator]
"""(days before today, what happened, who estimated it)."""


def _schedule(person: DemoPerson, picker: _Picker, rng: random.Random) -> list[Dated]:
    """Every exchange of one person, with how many days ago it happened."""
    pattern = person.pattern
    if pattern is Pattern.QUIET:
        return []
    gave = [picker.own(m) for m in person.moments if m.direction is Direction.GAVE]
    got = [picker.own(m) for m in person.moments if m.direction is Direction.GOT]
    if pattern is Pattern.MUTUAL:
        return _pairs(gave, got, picker, rng)
    if pattern in (Pattern.OVER_GIVING, Pattern.OVER_RECEIVING):
        many, few = (gave, got) if pattern is Pattern.OVER_GIVING else (got, gave)
        many_way, few_way = (
            (Direction.GAVE, Direction.GOT)
            if pattern is Pattern.OVER_GIVING
            else (Direction.GOT, Direction.GAVE)
        )
        count = rng.randint(9, 12)
        few_count = max(len(few), rng.randint(1, 2))
        few += [picker.pick(few_way, small=True) for _ in range(few_count - len(few))]
        many += [picker.pick(many_way) for _ in range(count - few_count - len(many))]
        items = many + few
        rng.shuffle(items)
        days = rng.sample(range(0, 361), len(items))
        return [(d, m, e) for d, (m, e) in zip(days, items, strict=True)]
    window = {
        Pattern.FADING: (range(270, 365), (4, 7)),
        Pattern.NEW: (range(3, 56), (2, 4)),
        Pattern.INTANGIBLE: (range(0, 361), (5, 8)),
    }
    span, (low, high) = window[pattern]
    count = max(rng.randint(low, high), len(gave) + len(got))
    way = rng.choice((Direction.GAVE, Direction.GOT))
    items = gave + got
    for position in range(len(items), count):
        items.append(picker.pick(way if position % 2 else _other(way)))
    rng.shuffle(items)
    days = rng.sample(span, len(items))
    return [(d, m, e) for d, (m, e) in zip(days, items, strict=True)]


def _pairs(
    gave: list[tuple[Moment, Estimator]],
    got: list[tuple[Moment, Estimator]],
    picker: _Picker,
    rng: random.Random,
) -> list[Dated]:
    """Balanced: each give answered by a get within three weeks, spread over the year."""
    count = max(rng.randint(5, 8), len(gave), len(got))
    gave = gave + [picker.pick(Direction.GAVE) for _ in range(count - len(gave))]
    got = got + [picker.pick(Direction.GOT) for _ in range(count - len(got))]
    rng.shuffle(gave)
    rng.shuffle(got)
    dated: list[Dated] = []
    for position, (give, get) in enumerate(zip(gave, got, strict=True)):
        recent = int((position + rng.random()) * 340 / count)
        earlier = recent + rng.randint(2, 20)
        first, second = (give, get) if rng.random() < 0.5 else (get, give)
        dated += [(earlier, *first), (recent, *second)]
    for _ in range(6):
        lean = _lean(dated)
        if abs(lean) <= _MUTUAL_BAND:
            break
        dated.append(
            (rng.randint(0, 340), *picker.pick(Direction.GOT if lean > 0 else Direction.GAVE))
        )
    return dated


def _lean(dated: list[Dated]) -> float:
    """The balance these exchanges give under the default half-life (see core.value)."""
    given = received = 0.0
    for days, moment, _ in dated:
        weighted = moment.benefit * 0.5 ** (days / DEFAULT_HALF_LIFE_DAYS)
        if moment.direction is Direction.GAVE:
            given += weighted
        else:
            received += weighted
    total = given + received
    return 0.0 if total <= 0 else (given - received) / total


def _other(way: Direction) -> Direction:
    return Direction.GOT if way is Direction.GAVE else Direction.GAVE


# --- loading ----------------------------------------------------------------------------------


def load_demo(app: Mutuality, progress: Progress | None = None) -> DemoReport:
    """Load the demo into an empty ledger in one transaction; skip, changing nothing, when
    anyone is already there.

    ``progress`` is called with the number of items (people, then exchanges) just written;
    the total to expect is ``build_demo(app.today()).total``.
    """
    with app.database.write():
        count = app.people.count()
        if count:
            return DemoReport(
                loaded=False,
                people=0,
                exchanges=0,
                reason=(
                    f"the ledger already holds {count} "
                    f"{'person' if count == 1 else 'people'} besides you; the demo only "
                    "loads into an empty ledger, so nothing was changed"
                ),
            )
        plan = build_demo(app.today())
        ids: list[int] = []
        for person, started in zip(plan.people, plan.started_on, strict=True):
            record = app.people.add(
                person.name,
                emails=person.emails,
                phones=person.phones,
                tags=(*person.tags, DEMO_TAG),
                organisation=person.organisation,
                title=person.title,
                private_note=person.private_note,
                context=person.context.value,
                started_on=started,
                cadence_days=person.cadence_days,
            )
            ids.append(record.id)
            if progress:
                progress(1)
        owner_id = app.people.owner().id
        exchanges = app.ledger.bulk_add(
            (planned.to_new(owner_id, ids[planned.person]) for planned in plan.exchanges),
            progress=progress,
        )
    return DemoReport(loaded=True, people=len(ids), exchanges=exchanges)


__all__ = [
    "SEED",
    "DemoPlan",
    "DemoReport",
    "PlannedExchange",
    "build_demo",
    "load_demo",
]
