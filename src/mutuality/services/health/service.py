"""Relationship health, next actions, appreciation nudges and the network view.

Each call reads the ledger as columns (:mod:`mutuality.store.columns`) and runs the pure,
vectorised rules of :mod:`mutuality.core.health` and :mod:`mutuality.core.network`. One
person's health reads only that relationship's rows, so it is current the moment an
exchange is logged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
from sqlalchemy import Select, bindparam, case, literal, select, union_all
from sqlalchemy.orm import Session

from mutuality.core.advice import NOTHING_SAID, signals_of
from mutuality.core.analytics import (
    ExchangeColumns,
    TouchColumns,
    day_number,
    pair_figures,
    without_introductions_by,
)
from mutuality.core.checkins import CheckIn, latest_satisfaction
from mutuality.core.explain import explain_balance
from mutuality.core.health import (
    Action,
    HealthSettings,
    cadence_for,
    judge,
    orient,
)
from mutuality.core.ledger_rows import between, involving, with_everyone
from mutuality.core.model import Exchange, ExchangeKind, Person, RelationshipContext
from mutuality.core.network import (
    Style,
    clearest,
    network_figures_of,
    reaching_out,
    style_evidence,
    style_of,
    styles,
    styles_of,
)
from mutuality.core.network_parts import PartSummary
from mutuality.core.requests import Commitment, follow_through
from mutuality.core.value import RelationshipBalance, balance_from_pairs
from mutuality.core.why import (
    CONTACTS_SHOWN,
    SHOWS_CONTACTS,
    Contact,
    RelationshipHealth,
    balance_instead,
    explain_health,
    follow_through_lines,
    health_at,
    latest_contacts_line,
    ledger_pattern_line,
    maybe,
    satisfaction_lines,
)
from mutuality.services.advice import SUPPORT_DAYS, AdviceService
from mutuality.services.capacity import CapacityService
from mutuality.services.checkins.service import CheckInService
from mutuality.services.commitments import CommitmentService
from mutuality.services.context import ServiceContext, WithPeople
from mutuality.services.health.ledger_parts import (
    LedgerSource,
    NetworkPass,
    ledger_exchanges,
    summary_of,
)
from mutuality.services.health.views import HealthDetail, NetworkReport, NextStep, PersonHealth
from mutuality.services.people import PeopleService, PersonRef
from mutuality.services.person_names import person_names
from mutuality.services.records import everyone_else, exchange_records
from mutuality.store.columns import (
    frozen,
    on_or_before,
    pair_exchange_columns,
    person_exchange_columns,
    touch_columns,
)
from mutuality.store.prepared import BETWEEN_OWNER_AND_PERSON, run
from mutuality.store.tables import CheckInRow, ExchangeRow, PersonRow, RelationshipRow, TouchRow

PartsOf = Callable[[Session, NetworkPass], PartSummary]
"""What gives the network's summary (:class:`~mutuality.core.network_parts.PartSummary`),
inside the report's read: this process's pass over the whole ledger by default."""


def _most_valuable_first(columns: Any) -> tuple[Any, ...]:
    """The order of gifts worth citing: the most valuable first, then the latest, then the
    first logged among equals."""
    return (columns.benefit.desc(), columns.occurred_on.desc(), columns.id)


def _most_valuable(giver: str, receiver: str) -> Select[*tuple[Any, ...]]:
    """What the bound ``giver`` gave the bound ``receiver``, the most valuable first; a
    thank-you is not a gift."""
    return (
        select(ExchangeRow.__table__)
        .where(
            ExchangeRow.giver_id == bindparam(giver),
            ExchangeRow.receiver_id == bindparam(receiver),
            ExchangeRow.kind != ExchangeKind.APPRECIATION.value,
        )
        .order_by(*_most_valuable_first(ExchangeRow.__table__.c))
        .limit(bindparam("limit"))
    )


_GIFTS = _most_valuable("giver", "owner")
"""What they gave me, the most valuable first: what a thank-you can cite."""
_EITHER_WAY = union_all(
    *(
        select(_most_valuable(giver, receiver).subquery())
        for giver, receiver in (("person", "owner"), ("owner", "person"))
    )
).subquery()
_GIFTS_BOTH_WAYS = select(_EITHER_WAY).order_by(
    _EITHER_WAY.c.giver_id, *_most_valuable_first(_EITHER_WAY.c)
)
"""What they gave me and what I gave them, each the most valuable first, in one read (a
relationship's "why" shows both)."""
_CONTACTS = union_all(
    select(
        ExchangeRow.occurred_on.label("occurred_on"),
        case((ExchangeRow.giver_id == bindparam("owner"), "gave"), else_="got").label("kind"),
        ExchangeRow.description.label("what"),
        ExchangeRow.id.label("id"),
    ).where(BETWEEN_OWNER_AND_PERSON),
    select(TouchRow.occurred_on, literal("touch"), TouchRow.channel, TouchRow.id).where(
        TouchRow.owner_id == bindparam("owner"), TouchRow.person_id == bindparam("person")
    ),
    select(CheckInRow.occurred_on, literal("checkin"), CheckInRow.kind, CheckInRow.id).where(
        CheckInRow.owner_id == bindparam("owner"), CheckInRow.person_id == bindparam("person")
    ),
).subquery()
# No date bound in the where clauses: beside the pair it makes SQLite walk every exchange
# the owner received by date. Days after today sort last instead, and are dropped on reading.
_LATEST_CONTACTS = (
    select(_CONTACTS.c.occurred_on, _CONTACTS.c.kind, _CONTACTS.c.what)
    .order_by(
        (_CONTACTS.c.occurred_on > bindparam("until")),
        _CONTACTS.c.occurred_on.desc(),
        _CONTACTS.c.kind,
        _CONTACTS.c.id.desc(),
    )
    .limit(bindparam("limit"))
)
"""The latest dated exchanges, touches and check-ins between the owner and one person, up
to today (what "days since contact" counts from)."""
SAID_FIRST = frozenset(
    {Action.ACT_ON_WISH, Action.CONGRATULATE, Action.LOOK_AFTER_YOURSELF, Action.APPRECIATE}
)
"""Actions whose reason is the action's own sentence (their words, their win, my budget), not
the status line."""
CLEAREST = 10
"""How many of the clearest givers and of the clearest takers the network view lists."""
_CADENCES = select(RelationshipRow.person_id, RelationshipRow.context, RelationshipRow.cadence_days)
_CADENCE = select(RelationshipRow.context, RelationshipRow.cadence_days).where(
    RelationshipRow.person_id == bindparam("person")
)


class HealthService(WithPeople):
    def __init__(
        self,
        context: ServiceContext,
        people: PeopleService,
        capacity: CapacityService,
        commitments: CommitmentService | None = None,
        checkins: CheckInService | None = None,
        advice: AdviceService | None = None,
    ) -> None:
        super().__init__(context, people)
        self._advice = advice or AdviceService(lambda: self._settings.health, self._today)
        self._commitments = commitments
        self._checkins = checkins
        self._capacity = capacity
        self._cache_key = object()
        """This service's part of the database's cache (another may hold other settings)."""

    @property
    def health_settings(self) -> HealthSettings:
        return self._settings.health

    # --- every relationship ------------------------------------------------------------------

    def relationships(self) -> list[PersonHealth]:
        """Every relationship's health, most urgent first.

        It reads the whole ledger, so the result is kept until the next write
        (:meth:`~mutuality.store.database.Database.cached`): a web page can ask on every load.
        """
        return list(
            self._db.cached(
                ("health.relationships", self._cache_key, self._today()), self._relationships
            )
        )

    def _relationships(self) -> list[PersonHealth]:
        with self._db.read() as session:
            owner = self._people.owner_id(session)
            every = self._whole_ledger(session)
            exchanges = involving(every, owner)
            pairs = pair_figures(
                exchanges,
                touch_columns(session, owner, until=self._today()),
                self._today(),
                self._settings.value.half_life_days,
                self.health_settings.window_days,
            )
            people = everyone_else(self._db, session)
            rows = with_everyone(orient(pairs, pairs.a == owner), owner, list(people))
            strained = self._capacity.strained(session)
            verdict_satisfaction = self._satisfaction(session, rows.them)
            contexts = self._advice.contexts(session, owner)
            verdict = judge(
                rows,
                day_number(self._today()),
                self._settings.value.tolerance,
                self.health_settings,
                self._cadences(session, rows.them),
                verdict_satisfaction,
                capacity_strained=strained,
                signals=signals_of(rows.them, contexts),
            )
            style_of = styles_of(
                every,
                self._today(),
                self._settings.value.half_life_days,
                self._settings.network,
            )
        result = [
            PersonHealth(
                person=people[int(rows.them[i])],
                health=health_at(
                    rows,
                    verdict,
                    i,
                    maybe(verdict_satisfaction[i]),
                    contexts.get(int(rows.them[i]), NOTHING_SAID),
                ),
                style=style_of.get(int(rows.them[i]), Style.UNKNOWN),
            )
            for i in range(len(rows.them))
        ]
        result.sort(key=lambda item: (-item.health.urgency, item.person.name))
        return result

    def next_actions(self, limit: int = 7) -> list[NextStep]:
        """The short list of what to do this week: the most urgent relationships, each with
        its action, its reason, and the concrete gifts a thank-you can cite."""
        return list(
            self._db.cached(
                ("health.next", self._cache_key, limit, self._today()),
                lambda: self._next_actions(limit),
            )
        )

    def _next_actions(self, limit: int) -> list[NextStep]:
        steps = []
        for item in self.relationships()[:limit]:
            name = item.person.name
            lines = explain_health(
                item.health, name, self._settings.value.tolerance, self.health_settings
            )
            cite = self._gifts(item.person.id, 3) if item.health.action is Action.THANK else []
            reason = lines[1] if item.health.action in SAID_FIRST else lines[0]
            steps.append(NextStep(item.person, item.health, reason, cite))
        return steps

    def appreciation(self, limit: int = 5, offset: int = 0) -> list[NextStep]:
        """Relationships where I received or learned much and have not said thank you since,
        each with the concrete things they gave (``offset`` skips the first ones: only the
        ones shown look up their gifts)."""
        return [
            NextStep(
                item.person,
                item.health,
                f"{item.person.name} gave you {item.health.received:.1f} points of benefit "
                "(decayed) and you have not thanked them since their last gift.",
                self._gifts(item.person.id, 3),
            )
            for item in self._thanks_due()[offset : offset + limit]
        ]

    def appreciation_count(self) -> int:
        """How many relationships :meth:`appreciation` would list in all."""
        return len(self._thanks_due())

    def _thanks_due(self) -> list[PersonHealth]:
        due = [item for item in self.relationships() if item.health.appreciation_due]
        due.sort(key=lambda item: -item.health.received)
        return due

    # --- one relationship --------------------------------------------------------------------

    def for_person(self, query: PersonRef) -> HealthDetail:
        """One relationship, computed from its own rows only (the incremental path): current
        the moment an exchange is logged, at a cost that does not grow with the ledger."""
        with self._db.read() as session:
            return self._for_person(session, self._people.record(session, query))

    def verdict_in(self, session: Session, record: Person) -> RelationshipHealth:
        """The verdict ``next`` gives one relationship (status, action, intent, balance),
        inside the caller's transaction: from the kept network-wide pass while it is fresh,
        else from the relationship's own rows (:meth:`for_person`). The request rule reads
        it, so that ``ask`` and ``next`` never contradict each other."""
        kept = self._kept(record.id)
        if kept is not None:
            return kept.health
        return self._for_person(session, record).health

    def _for_person(
        self,
        session: Session,
        record: Person,
        checkins: list[CheckIn] | None = None,
        commitments: list[Commitment] | None = None,
    ) -> HealthDetail:
        today = self._today()
        owner = self._people.owner_id(session)
        # All of the person's exchanges, read once: the style needs them, and the pair's
        # are among them.
        theirs = without_introductions_by(
            person_exchange_columns(session, record.id, until=today), owner
        )
        pairs = pair_figures(
            between(theirs, owner, record.id),
            touch_columns(session, owner, record.id, until=today),
            today,
            self._settings.value.half_life_days,
            self.health_settings.window_days,
        )
        rows = with_everyone(orient(pairs, pairs.a == owner), owner, [record.id])
        if checkins is None:
            checkins = self._checkins.of(session, record.id) if self._checkins else []
        satisfaction = latest_satisfaction(checkins, today)
        contexts = self._advice.contexts(session, owner, person=record.id, checkins=checkins)
        verdict = judge(
            rows,
            day_number(today),
            self._settings.value.tolerance,
            self.health_settings,
            np.array([self._cadence(session, record.id)], dtype=np.int64),
            np.array([np.nan if satisfaction is None else satisfaction]),
            capacity_strained=self._capacity.strained(session),
            signals=signals_of(rows.them, contexts),
        )
        health = health_at(rows, verdict, 0, satisfaction, contexts.get(record.id, NOTHING_SAID))
        balance = (
            balance_from_pairs(pairs, 0, owner, today, self._settings.value)
            if len(pairs)
            else RelationshipBalance(owner, record.id, today, self._settings.value)
        )
        style = style_of(
            theirs, record.id, today, self._settings.value.half_life_days, self._settings.network
        )
        return self._detail(session, record, health, style, balance, checkins, commitments)

    # --- the network -------------------------------------------------------------------------

    def network(self, parts_of: PartsOf | None = None) -> NetworkReport:
        """Figures over every exchange in the database (an organisation's whole ledger),
        kept until the next write like :meth:`relationships`. ``parts_of`` gives the
        network's summary instead of this process's pass over the whole ledger: the same
        summary added up from parts read and computed on a cluster's workers
        (:mod:`mutuality.services.health.cluster`); that report is not kept."""
        if parts_of is not None:
            return self._network(parts_of)
        return self._db.cached(("health.network", self._cache_key, self._today()), self._network)

    @property
    def ledger_source(self) -> LedgerSource:
        """Where a worker reads this service's ledger (its database and member's ledger)."""
        return LedgerSource(self._db.url, self._db.ledger)

    def _whole_summary(self, session: Session, run: NetworkPass) -> PartSummary:
        """The network's summary from the whole ledger in this process: one part."""
        touches = self._db.cached(("ledger.touches",), lambda: frozen(touch_columns(session)))
        return summary_of(self._whole_ledger(session), on_or_before(touches, run.as_of), run)

    def _network(self, parts_of: PartsOf | None = None) -> NetworkReport:
        today = self._today()
        with self._db.read() as session:
            run = NetworkPass(
                self._people.owner_id(session),
                today,
                self._settings.value.half_life_days,
                self.health_settings.window_days,
            )
            summary = (parts_of or self._whole_summary)(session, run)
            owner = run.owner
            known = np.array(
                list(session.scalars(select(PersonRow.id).where(PersonRow.is_owner.is_(False)))),
                dtype=np.int64,
            )
            totals = summary.totals
            thresholds = self._settings.network
            figures = network_figures_of(
                summary.counts, totals, day_number(today), thresholds, known
            )
            codes = styles(totals, thresholds)
            me = style_evidence(totals, codes, owner)
            givers = clearest(totals, codes, Style.GIVER, CLEAREST, leave_out=owner)
            # Nobody in a tie of care, mentoring, service or close family is listed as
            # receiving more: there it is the point, not a pattern.
            not_judged = {
                person
                for person, reading in self._advice.intents(session).items()
                if not reading.judges_balance
            }
            takers = [
                evidence
                for evidence in clearest(
                    totals, codes, Style.TAKER, CLEAREST + len(not_judged), leave_out=owner
                )
                if evidence.person not in not_judged
            ][:CLEAREST]
            if not_judged:
                figures = replace(
                    figures,
                    one_way_takers=[p for p in figures.one_way_takers if p not in not_judged],
                )
            reaching = reaching_out(summary.owner_pairs, owner, thresholds)
            mentioned = (
                set(figures.burnout_risk)
                | set(figures.isolated)
                | set(figures.one_way_takers)
                | {item.person for item in (*givers, *takers)}
                | {item.person for item in reaching.me_first}
                | {owner}
            )
            names = person_names(session, mentioned)
            use = self._capacity.measure(session)
        my_style = me.style
        if my_style is not Style.GIVER or use.capacity is None:
            giving = "unknown" if my_style is Style.GIVER else "not a giver"
        else:
            giving = "self-sacrificing" if use.strained else "otherish"
        return NetworkReport(
            figures, names, my_style, giving, use, me, givers, takers, reaching, thresholds
        )

    # --- helpers -----------------------------------------------------------------------------

    def _whole_ledger(self, session: Session) -> ExchangeColumns:
        """Every exchange made on or before today, as columns.

        Read once per change of the data and shared (read-only) by every pass that needs the
        whole ledger: the styles, the network, and the same passes as of other days (the
        quarterly report asks for three). About 38 MB per million exchanges, kept until the
        next write like the figures made from it."""
        every = self._db.cached(
            ("ledger.exchanges",),
            lambda: frozen(ledger_exchanges(session, self._people.owner_id(session))),
        )
        return on_or_before(every, self._today())

    def _satisfaction(self, session: Session, people: np.ndarray) -> np.ndarray:
        """The latest satisfaction per person (NaN where no check-in answered it)."""
        if self._checkins is None:
            return np.full(len(people), np.nan)
        latest = self._checkins.latest_satisfaction(session, until=self._today())
        return np.array([latest.get(int(p), np.nan) for p in people], dtype=np.float64)

    def _cadences(self, session: Session, people: np.ndarray) -> np.ndarray:
        found = {
            person: cadence_for(RelationshipContext(context), days, self.health_settings)
            for person, context, days in session.execute(_CADENCES)
        }
        fallback = self.health_settings.cadences[RelationshipContext.OTHER]
        return np.array([found.get(int(p), fallback) for p in people], dtype=np.int64)

    def _cadence(self, session: Session, person_id: int) -> int:
        row = run(session, _CADENCE, person=person_id).first()
        if row is None:
            return self.health_settings.cadences[RelationshipContext.OTHER]
        return cadence_for(RelationshipContext(row.context), row.cadence_days, self.health_settings)

    def _gifts(self, person_id: int, limit: int) -> list[Exchange]:
        with self._db.read() as session:
            return self._gifts_in(session, person_id, self._people.owner_id(session), limit)

    @staticmethod
    def _gifts_in(session: Session, giver: int, owner: int, limit: int) -> list[Exchange]:
        return exchange_records(session, _GIFTS, giver=giver, owner=owner, limit=limit)

    # --- one relationship, for a page read often -----------------------------------------

    _kept_index: tuple[list[PersonHealth], dict[int, PersonHealth]] | None = None

    def detail(self, person_id: int, balance: RelationshipBalance | None = None) -> HealthDetail:
        """:meth:`for_person` for a page read often. While the network-wide pass
        (:meth:`relationships`) is kept and fresh, the health and style come from it (the
        same figures through the same ``judge``) and only the relationship's own rows are
        read; after a write, until something asks for the network again, it is
        :meth:`for_person`, which is current at once. ``balance`` is today's balance when
        the caller has it already (a page that draws the balance's history)."""
        with self._db.read() as session:
            return self.detail_in(session, self._people.record(session, person_id), balance)

    def detail_in(
        self,
        session: Session,
        record: Person,
        balance: RelationshipBalance | None = None,
        checkins: list[CheckIn] | None = None,
        commitments: list[Commitment] | None = None,
    ) -> HealthDetail:
        """:meth:`detail` inside the caller's read, with what the caller read already: a
        person's page reads their check-ins and commitments once, for its lists and this."""
        kept = self._kept(record.id)
        if kept is None:
            return self._for_person(session, record, checkins, commitments)
        if balance is None:
            balance = self._balance(session, self._people.owner_id(session), record.id)
        return self._detail(
            session, record, kept.health, kept.style, balance, checkins, commitments
        )

    def _balance(self, session: Session, owner: int, other: int) -> RelationshipBalance:
        today = self._today()
        pairs = pair_figures(
            without_introductions_by(
                pair_exchange_columns(session, owner, other, until=today), owner
            ),
            TouchColumns.empty(),
            today,
            self._settings.value.half_life_days,
            self.health_settings.window_days,
        )
        if not len(pairs):
            return RelationshipBalance(owner, other, today, self._settings.value)
        return balance_from_pairs(pairs, 0, owner, today, self._settings.value)

    def _kept(self, person_id: int) -> PersonHealth | None:
        """The person's row of the kept network-wide pass, or ``None`` when it is not fresh."""
        everyone = self._db.kept(("health.relationships", self._cache_key, self._today()))
        if everyone is None:
            return None
        index = self._kept_index
        if index is None or index[0] is not everyone:
            index = (everyone, {item.person.id: item for item in everyone})
            self._kept_index = index
        return index[1].get(person_id)

    def _detail(
        self,
        session: Session,
        record: Person,
        health: RelationshipHealth,
        style: Style,
        balance: RelationshipBalance,
        checkins: list[CheckIn] | None,
        commitments: list[Commitment] | None,
    ) -> HealthDetail:
        """The verdict in words: health (with the latest contacts when it rests on the days
        since one), balance, check-ins, follow-through and style, with the most valuable
        gifts each way (theirs are what a thank-you can cite)."""
        owner = self._people.owner_id(session)
        explanation = explain_health(
            health, record.name, self._settings.value.tolerance, self.health_settings
        )
        if health.status in SHOWS_CONTACTS:
            contacts = self._latest_contacts(session, owner, record.id)
            explanation.append(latest_contacts_line(contacts, record.name, self._today()))
        explanation += explain_balance(balance, record.name, balance_instead(health))
        if self._checkins is not None:
            if checkins is None:
                checkins = self._checkins.of(session, record.id)
            seen, disagree = self._checkins.views(record.id, balance.balance, record.name, checkins)
            explanation += satisfaction_lines(seen, record.name) + disagree
        if self._commitments is not None:
            if commitments is None:
                commitments = self._commitments.of(session, record.id)
            mine, theirs = follow_through(commitments, self._today())
            explanation += follow_through_lines(mine, theirs, record.name)
        if not health.context.intent.judges_balance:
            explanation.append(self._support_line(session, owner, record.id))
        elif style is not Style.UNKNOWN:
            explanation.append(ledger_pattern_line(style, record.name))
        both = exchange_records(session, _GIFTS_BOTH_WAYS, owner=owner, person=record.id, limit=5)
        gifts = [gift for gift in both if gift.giver_id == record.id]
        my_gifts = [gift for gift in both if gift.giver_id == owner]
        return HealthDetail(record, health, style, balance, explanation, gifts, my_gifts)

    def _support_line(self, session: Session, owner: int, person: int) -> str:
        """For a tie not judged on its balance, the check moves to me: who supports me."""
        supporters = self._advice.supporters(session, owner, leave_out=person)
        if not supporters:
            return (
                "Who supports you: nobody gave you anything logged in the last "
                f"{SUPPORT_DAYS} days. While you give here, let someone give to you."
            )
        return (
            f"Who supports you: {', '.join(supporters)} gave you the most in the last "
            f"{SUPPORT_DAYS} days. Lean on them while you give here."
        )

    def _latest_contacts(self, session: Session, owner: int, person: int) -> list[Contact]:
        today = self._today()
        rows = run(
            session, _LATEST_CONTACTS, owner=owner, person=person, until=today, limit=CONTACTS_SHOWN
        )
        return [
            Contact(row.occurred_on, row.kind, row.what) for row in rows if row.occurred_on <= today
        ]
