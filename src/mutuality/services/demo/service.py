"""A demo network, so that a newcomer sees what mutuality shows in the first minute.

A new ledger is empty, and an empty page teaches nothing. ``mutuality serve`` fills an
empty ledger on its first run (unless ``--no-demo``), as ``mutuality demo`` does on
request, with forty invented people (see :mod:`mutuality.services.demo.data`) and about a
year of exchanges ending today: balanced relationships, one-sided ones in both
directions, fading and new ones, and a few that run on appreciation and advice alone,
so that every part of the overview has something to show and explain.

Then the weeks before today are written as the owner would have lived them, day by day:
needs and offers (some matching, so that the board suggests introductions), introductions
at every step of the double opt-in, requests decided each way, the commitments they made
(kept on time, kept late, open, overdue), check-ins (some answered through the private
link) with wishes waiting, a giving budget, birthdays and dates in the coming week, and a
few things shared for the portfolio. So no page is empty on the first run.

The rules it keeps:

* **Deterministic.** One fixed seed and dates counted back from ``app.today()``: the
  same day gives the same data, and every day gives the same shapes. Each day of the
  story runs on its own clock (from nine in the morning, a minute a step), so even the
  timestamps of steps, links and shares are the same on every load.
* **Only into an empty ledger.** ``mutuality demo`` may be run again on a ledger in use;
  if anyone but the owner is already there, nothing is written and the report says why,
  so a second run never touches the user's data.
* **Through the services.** Everything is written by the same service calls a person's
  own input goes through, so the demo keeps every rule. A day before today is the same
  application over ``context`` with that day as today (:meth:`Mutuality.within`).
* **All or nothing.** The whole demo is one transaction: every service call inside it
  joins the outer :meth:`~mutuality.store.database.Database.write`, so if any step fails
  nothing at all is written and the error is raised.

Only the service APIs are used; the demo does no I/O of its own.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from mutuality.core.errors import InvalidInput
from mutuality.core.model import Estimator, ExchangeKind, Initiative, NewExchange
from mutuality.core.scale import KIND_DEFAULTS
from mutuality.core.value import DEFAULT_HALF_LIFE_DAYS
from mutuality.services.app import Mutuality
from mutuality.services.checkins.service import FollowUp
from mutuality.services.demo.data import (
    BIRTHDAYS,
    CAPACITY,
    CAPACITY_DAYS_AGO,
    CHECKINS,
    DATES,
    DEMO_TAG,
    GET,
    GIVE,
    INITIATIVE_KNOWN,
    INTANGIBLE_KINDS,
    INTRODUCTIONS,
    ME,
    PEOPLE,
    PRONOUNS,
    REACHING_OUT,
    REQUESTS,
    SHARES,
    WISHES,
    DemoCheckIn,
    DemoDate,
    DemoIntroduction,
    DemoPerson,
    DemoRequest,
    DemoShare,
    DemoWish,
    IntroStage,
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
    """Exchanges logged, those the story's kept commitments and made introductions log
    included."""
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
    story_steps: int = 0
    """How many steps the weeks before today take (see :func:`story`)."""

    @property
    def total(self) -> int:
        """How many items a progress bar counts: people, exchanges, then the story's steps."""
        return len(self.people) + len(self.exchanges) + self.story_steps


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
    return DemoPlan(today, PEOPLE, tuple(started), tuple(planned), len(story(today)))


def _who_reached_out(planned: list[PlannedExchange], rng: random.Random) -> list[PlannedExchange]:
    """Who reached out first, for most exchanges, by each person's pattern
    (:data:`~mutuality.services.demo.data.REACHING_OUT`). A stream of its own, two draws
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


# --- the weeks before today (written through the services, day by day) ------------------------


@dataclass(slots=True)
class Written:
    """What the story has written so far, by which later steps find it."""

    people: dict[str, int]
    """Each demo person's id by name, and the owner's under :data:`ME`."""
    introductions: dict[int, int] = field(default_factory=dict)
    """Introduction ids by position in :data:`INTRODUCTIONS`."""
    commitments: dict[int, int] = field(default_factory=dict)
    """Commitment ids by position in :data:`REQUESTS`."""
    checkins: dict[int, int] = field(default_factory=dict)
    """Check-in ids by position in :data:`CHECKINS`."""


@dataclass(frozen=True, slots=True)
class Step:
    """One thing the owner did on ``day``: it returns how many exchanges it logged."""

    day: date
    what: str
    do: Callable[[Mutuality, Written], int]


def story(today: date) -> list[Step]:
    """The weeks before today as dated steps, oldest first (steps of one day in the order
    given). Pure: nothing is written until :func:`load_demo` runs them."""
    steps: list[Step] = [
        Step(today - timedelta(days=CAPACITY_DAYS_AGO), "giving budget", _set_capacity)
    ]
    steps += [_wish_step(today, wish) for wish in WISHES]
    for index, intro in enumerate(INTRODUCTIONS):
        steps += _introduction_steps(today, index, intro)
    for index, request in enumerate(REQUESTS):
        steps += _request_steps(today, index, request)
    for index, checkin in enumerate(CHECKINS):
        steps += _checkin_steps(today, index, checkin)
    steps += [_date_step(today, kept) for kept in DATES]
    steps += [_share_step(today, share) for share in SHARES]
    steps.sort(key=lambda step: step.day)  # stable: one day's steps keep their order
    return steps


def _days(today: date, days_ago: int) -> date:
    return today - timedelta(days=days_ago)


def _set_capacity(app: Mutuality, _written: Written) -> int:
    amount, unit, period, boundaries = CAPACITY
    app.capacity.set(amount, unit, period, boundaries)
    return 0


def _wish_step(today: date, wish: DemoWish) -> Step:
    def add(app: Mutuality, written: Written) -> int:
        app.needs.add(
            wish.kind, written.people[wish.person], wish.text, tags=wish.tags, source=wish.source
        )
        return 0

    return Step(_days(today, wish.days_ago), f"{wish.kind} of {wish.person}", add)


_IntroAction = Callable[[Mutuality, int, DemoIntroduction], int]


def _ask_a(app: Mutuality, intro_id: int, intro: DemoIntroduction) -> int:
    app.introductions.ask(intro_id, intro.a)
    return 0


def _ask_both(app: Mutuality, intro_id: int, _intro: DemoIntroduction) -> int:
    app.introductions.ask(intro_id)
    return 0


def _a_yes(app: Mutuality, intro_id: int, intro: DemoIntroduction) -> int:
    app.introductions.answer(intro_id, intro.a, yes=True)
    return 0


def _b_yes(app: Mutuality, intro_id: int, intro: DemoIntroduction) -> int:
    app.introductions.answer(intro_id, intro.b, yes=True)
    return 0


def _b_no(app: Mutuality, intro_id: int, intro: DemoIntroduction) -> int:
    app.introductions.answer(intro_id, intro.b, yes=False, note=intro.note)
    return 0


def _make(app: Mutuality, intro_id: int, _intro: DemoIntroduction) -> int:
    app.introductions.make(intro_id)
    return 2  # an introduction given to each side


def _outcome(app: Mutuality, intro_id: int, intro: DemoIntroduction) -> int:
    if intro.outcome is not None:
        app.introductions.log_outcome(intro_id, intro.outcome, need_met=True, share=True)
    return 0


def _withdraw(app: Mutuality, intro_id: int, intro: DemoIntroduction) -> int:
    app.introductions.withdraw(intro_id, intro.note)
    return 0


_AFTER_PROPOSING: dict[IntroStage, tuple[_IntroAction, ...]] = {
    IntroStage.PROPOSED: (),
    IntroStage.ASKED_ONE: (_ask_a,),
    IntroStage.ONE_AGREED: (_ask_both, _a_yes),
    IntroStage.AGREED: (_ask_both, _a_yes, _b_yes),
    IntroStage.MADE: (_ask_both, _a_yes, _b_yes, _make, _outcome),
    IntroStage.DECLINED: (_ask_both, _a_yes, _b_no),
    IntroStage.WITHDRAWN: (_ask_a, _withdraw),
}
"""The steps after proposing that take an introduction to each stage (the real
transitions, :mod:`mutuality.core.introductions`, refuse any other order)."""


def _introduction_steps(today: date, index: int, intro: DemoIntroduction) -> list[Step]:
    actions = _AFTER_PROPOSING[intro.stage]
    if intro.stage is IntroStage.MADE and intro.outcome is None:
        actions = actions[:-1]
    if len(intro.days) != 1 + len(actions):
        raise InvalidInput(
            f"the demo's introduction of {intro.a} to {intro.b} needs {1 + len(actions)} days",
            field="days",
            value=len(intro.days),
        )
    title = f"introduction of {intro.a} to {intro.b}"

    def propose(app: Mutuality, written: Written) -> int:
        made = app.introductions.propose(intro.a, intro.b, reason=intro.reason)
        written.introductions[index] = made.introduction.id
        return 0

    def later(action: _IntroAction) -> Callable[[Mutuality, Written], int]:
        return lambda app, written: action(app, written.introductions[index], intro)

    steps = [Step(_days(today, intro.days[0]), title, propose)]
    steps += [
        Step(_days(today, days_ago), title, later(action))
        for days_ago, action in zip(intro.days[1:], actions, strict=True)
    ]
    return steps


def _request_steps(today: date, index: int, request: DemoRequest) -> list[Step]:
    made_on = _days(today, request.days_ago)
    due = made_on + timedelta(days=request.due_in)
    title = f"request of {request.person}"

    def ask(app: Mutuality, written: Written) -> int:
        person = written.people[request.person]
        if request.decision is None:
            app.requests.ask(
                person,
                request.text,
                benefit=request.benefit,
                cost=request.cost,
                due=due,
                kind=request.kind,
                from_me=request.from_me,
            )
            return 0
        _, commitment = app.requests.ask_and_decide(
            person,
            request.text,
            benefit=request.benefit,
            cost=request.cost,
            due=due,
            kind=request.kind,
            from_me=request.from_me,
            decision=request.decision,
            third_option=request.third_option,
        )
        if commitment is not None:
            written.commitments[index] = commitment.id
        return 0

    def keep(app: Mutuality, written: Written) -> int:
        app.commitments.keep(written.commitments[index])
        return 1

    steps = [Step(made_on, title, ask)]
    if request.kept_days_ago is not None:
        steps.append(Step(_days(today, request.kept_days_ago), title, keep))
    return steps


def _checkin_steps(today: date, index: int, checkin: DemoCheckIn) -> list[Step]:
    on = _days(today, checkin.days_ago)
    title = f"check-in with {checkin.person}"

    def answered_by_them(app: Mutuality, written: Written) -> int:
        link = app.checkins.make_link(written.people[checkin.person])
        app.checkins.answer_link(
            link.token,
            satisfaction=checkin.their_satisfaction or 3,
            better=checkin.their_better,
            equity=checkin.their_equity,
            message=checkin.message,
            would_hear=checkin.would_hear,
        )
        written.checkins[index] = app.checkins.list(written.people[checkin.person])[-1].id
        return 0

    def recorded_by_me(app: Mutuality, written: Written) -> int:
        follow = checkin.follow_up
        recorded, _ = app.checkins.record(
            written.people[checkin.person],
            my_satisfaction=checkin.my_satisfaction,
            their_satisfaction=checkin.their_satisfaction,
            my_better=checkin.my_better,
            their_better=checkin.their_better,
            their_equity=checkin.their_equity,
            note=checkin.note,
            follow_ups=(FollowUp(follow[0], on + timedelta(days=follow[1])),) if follow else (),
        )
        written.checkins[index] = recorded.id
        return 0

    steps = [Step(on, title, answered_by_them if checkin.by_link else recorded_by_me)]
    if checkin.wish is not None:
        adopted_on = on + timedelta(days=1)
        due = (
            adopted_on + timedelta(days=checkin.wish_due_in)
            if checkin.wish_due_in is not None
            else None
        )

        def adopt(app: Mutuality, written: Written) -> int:
            app.wishes.adopt(written.checkins[index], checkin.wish, due=due, text=checkin.wish_text)
            return 0

        steps.append(Step(adopted_on, title, adopt))
    return steps


def _date_step(today: date, kept: DemoDate) -> Step:
    day = today + timedelta(days=kept.in_days)
    if not kept.yearly:
        on = day.isoformat()
    else:
        on = _yearly(day, None if kept.years is None else day.year - kept.years)

    def add(app: Mutuality, written: Written) -> int:
        app.occasions.add(written.people[kept.person], kept.text, on, yearly=kept.yearly)
        return 0

    return Step(_days(today, 40), f"date of {kept.person}", add)


def _yearly(day: date, year: int | None) -> str:
    """``day``'s month and day in ``year`` (``MM-DD`` when the year is not known, or when
    29 February does not fall in it)."""
    if year is not None:
        try:
            return date(year, day.month, day.day).isoformat()
        except ValueError:
            pass
    return f"{day.month:02d}-{day.day:02d}"


def _share_step(today: date, share: DemoShare) -> Step:
    def mark(app: Mutuality, written: Written) -> int:
        person = written.people[share.person]
        if share.description is None:
            app.sharing.share("person", person)
            return 0
        found = [
            entry.exchange.id
            for entry in app.ledger.timeline(person).entries
            if entry.exchange.description == share.description
        ]
        if not found:
            raise InvalidInput(
                f"the demo shares an exchange with {share.person} that is not there",
                field="description",
                value=share.description,
            )
        app.sharing.share("exchange", found[0])
        return 0

    return Step(_days(today, share.days_ago), f"share with {share.person}", mark)


def _on_day(app: Mutuality, day: date) -> Mutuality:
    """The same application over the same database (so its writes join the demo's one
    transaction), with ``day`` as today and that day's own clock."""
    return Mutuality.within(replace(app.context, today=lambda: day, now=_Clock(day)))


class _Clock:
    """One story day's clock: nine in the morning, a minute later at each call, so the
    stamps (steps, links, shares) are the same on every load and in the order written."""

    def __init__(self, day: date) -> None:
        self._next = datetime.combine(day, time(9))

    def __call__(self) -> datetime:
        now, self._next = self._next, self._next + timedelta(minutes=1)
        return now


def _birthday(name: str, today: date) -> str | None:
    found = BIRTHDAYS.get(name)
    if found is None:
        return None
    in_days, year = found
    return _yearly(today + timedelta(days=in_days), year)


# --- loading ----------------------------------------------------------------------------------


def load_demo(app: Mutuality, progress: Progress | None = None) -> DemoReport:
    """Load the demo into an empty ledger in one transaction; skip, changing nothing, when
    anyone is already there.

    ``progress`` is called with the number of items (people, then exchanges, then the
    story's steps) just written; the total to expect is ``build_demo(app.today()).total``.
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
        today = app.today()
        plan = build_demo(today)
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
                birthday=_birthday(person.name, today),
            )
            ids.append(record.id)
            if progress:
                progress(1)
        owner_id = app.people.owner().id
        written = Written({person.name: id_ for person, id_ in zip(PEOPLE, ids, strict=True)})
        written.people[ME] = owner_id
        year = [planned.to_new(owner_id, ids[planned.person]) for planned in plan.exchanges]
        logged = 0  # the year's exchanges (in date order) logged so far

        def log_until(day: date, on: Mutuality) -> int:
            """Log the year's exchanges up to ``day``, so that each step of the story sees
            the relationship as it stood then, and the ledger's order is the order of days."""
            nonlocal logged
            end = logged
            while end < len(year) and year[end].on <= day:
                end += 1
            if end == logged:
                return 0
            count = on.ledger.bulk_add(year[logged:end], progress=progress)
            logged = end
            return count

        exchanges = 0
        days: dict[date, Mutuality] = {}
        for step in story(today):
            if step.day not in days:
                days[step.day] = _on_day(app, step.day)
            exchanges += log_until(step.day, days[step.day])
            exchanges += step.do(days[step.day], written)
            if progress:
                progress(1)
        exchanges += log_until(today, app)
    return DemoReport(loaded=True, people=len(ids), exchanges=exchanges)


__all__ = [
    "SEED",
    "DemoPlan",
    "DemoReport",
    "PlannedExchange",
    "Step",
    "Written",
    "build_demo",
    "load_demo",
    "story",
]
