"""Requests: propose a decision and record mine; the promises they make are kept in view by
:mod:`mutuality.services.commitments`.

The proposal weighs the relationship by the verdict ``next`` gives it (the health service's,
passed in as ``judgement``), so ``ask`` and ``next`` never contradict each other. A yes, or
a third option they agreed to, becomes a commitment with a due date; a no, a later, or a
third option not agreed becomes an open need on the asker's profile (so the introductions
engine can find someone who can help) and can be decided again. Every rule is in
:mod:`mutuality.core.requests`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from mutuality.core import fields
from mutuality.core.capacity import CapacityUnit, hours_from_cost
from mutuality.core.dates import parse_due_date
from mutuality.core.errors import Conflict, InvalidInput, NotFound
from mutuality.core.model import Person
from mutuality.core.requests import (
    ASK_WINDOW_DAYS,
    Commitment,
    Decision,
    Factor,
    Proposal,
    Request,
    Situation,
    Standing,
    factors_of,
    propose,
)
from mutuality.core.scale import check_points, parse_kind
from mutuality.services.capacity import CapacityService
from mutuality.services.commitments import commitment_record
from mutuality.services.context import ServiceContext, WithPeople
from mutuality.services.health.balances import BalanceService
from mutuality.services.ledger import LedgerService
from mutuality.services.needs import Saved, wish_record
from mutuality.services.owner import own_name
from mutuality.services.people import PeopleService, PersonRef
from mutuality.services.records import person_record
from mutuality.store.tables import (
    CommitmentRow,
    NeedRow,
    PersonRow,
    PersonStateRow,
    RequestRow,
)

if TYPE_CHECKING:
    from mutuality.core.why import RelationshipHealth

Judgement = Callable[[Session, Person], "RelationshipHealth"]
"""The verdict ``next`` gives one relationship, inside the caller's transaction
(:meth:`mutuality.services.health.service.HealthService.verdict_in`)."""

DEFAULT_DUE_DAYS = 14
"""A yes without a due date is due in two weeks: soon enough to stay in view."""


def _request(row: RequestRow) -> Request:
    return Request(
        id=row.id,
        person_id=row.person_id,
        from_me=row.direction == "from_me",
        text=row.text,
        benefit=row.benefit,
        cost=row.cost,
        kind=row.kind,
        made_on=row.made_on,
        due_on=row.due_on,
        proposal=Decision(row.proposal),
        proposal_reason=row.proposal_reason,
        decision=Decision(row.decision) if row.decision else None,
        decided_on=row.decided_on,
        third_option=row.third_option,
        status=row.status,
    )


def standing_of(health: RelationshipHealth) -> Standing:
    """What the request rule reads of a relationship's health verdict."""
    return Standing(health.status, health.action, health.intent, health.balance)


_DECLINE_WHY: dict[Factor, str] = {
    Factor.BOUNDARY: "it is something I have decided not to take on",
    Factor.USED_UP: "my time for this kind of help is fully committed for now",
    Factor.OVER_BUDGET: "it would take more than I have left to give for now",
    Factor.BUDGET_AT_RISK: "I have taken on a lot lately and need to keep some room",
    Factor.COSTS_ME: "I am holding back on taking on more for a while",
    Factor.COST: "it would take more than I can give right now",
}
"""Why, in a decline, for each factor the rule used: the first that holds is said."""
_DECLINE_ORDER = (
    Factor.BOUNDARY,
    Factor.USED_UP,
    Factor.OVER_BUDGET,
    Factor.BUDGET_AT_RISK,
    Factor.COSTS_ME,
    Factor.COST,
)


def decline_text(
    first: str,
    text: str,
    decision: Decision,
    factors: tuple[Factor, ...],
    third_option: str | None,
    *,
    hard_time: bool = False,
    signature: str | None = None,
) -> str:
    """A kind decline that gives only a reason the rule used (none when it used none), in a
    gentler register when they are going through a hard time (never saying what it is), and
    signed only with a real name."""
    why = next((_DECLINE_WHY[f] for f in _DECLINE_ORDER if f in factors), None)
    if hard_time:
        take_on = {
            Decision.NEGOTIATE: f"all of “{text}” myself",
            Decision.LATER: f"“{text}” just now",
        }.get(decision, f"“{text}” myself")
        lines = [
            f"Hi {first},",
            "",
            f"I know this is a hard time for you, and I'm so sorry I can't take on {take_on}"
            + (f", because {why}." if why else "."),
        ]
        if third_option:
            lines.append(f"What I can do: {third_option}.")
        else:
            lines.append(
                "If there's a smaller way I can help, please tell me; and if I meet someone "
                "who could help with this, I'll put you in touch."
            )
        closing = "Thinking of you,"
    else:
        can_not = {
            Decision.NEGOTIATE: "I can't do all of it",
            Decision.LATER: "I can't do it just now",
        }.get(decision, "I can't do it")
        lines = [
            f"Hi {first},",
            "",
            f"Thank you for thinking of me for this: “{text}”. I'm sorry, {can_not}"
            + (f", because {why}." if why else "."),
        ]
        if third_option:
            lines.append(f"What I could do instead: {third_option}.")
        elif decision is Decision.LATER:
            lines.append("I'll keep it in mind and come back to you when I can.")
        else:
            lines.append(
                "I'll keep it in mind, and if I meet someone who could help, I'll introduce you."
            )
        closing = "Best,"
    if signature:
        lines += ["", closing, signature]
    return "\n".join(lines)


class RequestService(WithPeople):
    def __init__(
        self,
        context: ServiceContext,
        people: PeopleService,
        ledger: LedgerService,
        balances: BalanceService,
        capacity: CapacityService,
        judgement: Judgement | None = None,
        saved: Saved | None = None,
    ) -> None:
        super().__init__(context, people)
        self.on_saved = saved
        """Called with the need a no or a later keeps in view, once written (matching
        embeds its text then); it must never raise."""
        self._ledger = ledger
        self._balances = balances
        self._capacity = capacity
        self._rule = context.settings.requests
        self._judgement = judgement
        """Without one (a service built on its own) the relationship is not weighed."""

    # --- asking ------------------------------------------------------------------------------

    def ask(
        self,
        person: PersonRef,
        text: str,
        *,
        benefit: float,
        cost: float,
        due: str | date | None = None,
        kind: str | None = None,
        from_me: bool = False,
    ) -> Request:
        """Record a request and the decision the rule proposes (not yet decided)."""
        what = fields.required_text(text, "request")
        points_benefit = check_points(benefit, "benefit")
        points_cost = check_points(cost, "cost")
        today = self._today()
        due_on = self._due(due, today)
        kind_value = parse_kind(kind).value if kind else None
        with self._db.write() as session:
            other = self._people.resolve(session, person)
            owner = self._people.owner_row(session)
            asks = self._asks(session, other.id, from_me, today) + 1
            proposal = self._propose(
                session, other, points_benefit, points_cost, kind_value, from_me, asks
            )
            row = RequestRow(
                owner_id=owner.id,
                person_id=other.id,
                direction="from_me" if from_me else "to_me",
                text=what,
                kind=kind_value,
                benefit=points_benefit,
                cost=points_cost,
                due_on=due_on,
                made_on=today,
                proposal=proposal.decision.value,
                proposal_reason=proposal.reason,
                status="open",
                created_at=self._now(),
            )
            session.add(row)
            session.flush()
            return _request(row)

    def _propose(
        self,
        session: Session,
        other: PersonRow,
        benefit: float,
        cost: float,
        kind: str | None,
        from_me: bool,
        asks: int = 0,
    ) -> Proposal:
        standing = (
            standing_of(self._judgement(session, person_record(other)))
            if self._judgement is not None
            else None
        )
        if from_me:
            # Asking them: their capacity and boundaries are theirs to weigh; the relationship
            # is seen from their side.
            situation = Situation(standing=standing, asked_by_me=True, asks=asks)
            return propose(benefit, cost, situation, self._rule)
        use = self._capacity.measure(session)
        capacity = use.capacity
        left = load = None
        boundary = None
        if capacity is not None:
            left = capacity.amount - use.used - use.committed
            load = cost if capacity.unit is CapacityUnit.POINTS else hours_from_cost(cost)
            if kind is not None and kind in {k.value for k in capacity.boundaries}:
                boundary = kind
        situation = Situation(boundary, left, load, standing, asks=asks)
        return propose(benefit, cost, situation, self._rule)

    @staticmethod
    def _asks(session: Session, person_id: int, from_me: bool, today: date) -> int:
        """Requests this person made of me (mine of them) in the last
        :data:`~mutuality.core.requests.ASK_WINDOW_DAYS` days, up to today."""
        return (
            session.scalar(
                select(func.count())
                .select_from(RequestRow)
                .where(
                    RequestRow.person_id == person_id,
                    RequestRow.direction == ("from_me" if from_me else "to_me"),
                    RequestRow.made_on > today - timedelta(days=ASK_WINDOW_DAYS),
                    RequestRow.made_on <= today,
                )
            )
            or 0
        )

    # --- deciding ----------------------------------------------------------------------------

    def decide(
        self,
        request_id: int,
        decision: str | None = None,
        *,
        third_option: str | None = None,
        due: str | date | None = None,
        hours: float | None = None,
        agreed: bool = True,
    ) -> tuple[Request, Commitment | None]:
        """Accept the proposal (``decision=None``) or override it. A yes makes a commitment;
        so does a negotiate, of its third option, unless ``agreed`` is false (offered, not
        agreed yet). A no, a later or a third option not agreed keeps the need in view, and
        may be decided again."""
        today = self._today()
        option = fields.optional_text(third_option, "third option")
        due_on = self._due(due, today)
        with self._db.write() as session:
            row = self._get(session, request_id)
            if row.status == "decided" and not self._still_open(session, row):
                raise Conflict(
                    f"request #{request_id} is already decided ({row.decision})",
                    field="request",
                    value=request_id,
                )
            if row.status == "withdrawn":
                raise Conflict(
                    f"request #{request_id} was withdrawn", field="request", value=request_id
                )
            chosen = (
                fields.choice(
                    Decision, decision, "decision", refusal="decision {value!r}: use {either}"
                )
                if decision
                else Decision(row.proposal)
            )
            if chosen is Decision.NEGOTIATE and not (option or row.third_option):
                raise InvalidInput(
                    "negotiate needs a third option: say what you could do "
                    "instead (--third-option)",
                    field="third_option",
                )
            row.decision, row.decided_on, row.status = chosen.value, today, "decided"
            if option:
                row.third_option = option
            commitment = None
            kept: NeedRow | None = None
            if chosen is Decision.YES or (chosen is Decision.NEGOTIATE and agreed):
                self._close_needs(session, row, today)
                what = row.third_option if chosen is Decision.NEGOTIATE else None
                commitment = self._commit(session, row, today, due_on, hours, what)
            else:
                kept = self._keep_in_mind(session, row, today)
            session.flush()
            decided, record = _request(row), wish_record(kept) if kept is not None else None
        if record is not None and self.on_saved is not None:
            self.on_saved([record])
        return decided, commitment

    def ask_and_decide(
        self,
        person: PersonRef,
        text: str,
        *,
        benefit: float,
        cost: float,
        due: str | date | None = None,
        kind: str | None = None,
        from_me: bool = False,
        decision: str | None = None,
        third_option: str | None = None,
        agreed: bool = True,
    ) -> tuple[Request, Commitment | None]:
        """:meth:`ask` and :meth:`decide` at once (``ask --accept``, ``ask --decide``): one
        unit of work, so a decision refused (a negotiate with no third option) leaves no
        request behind."""
        with self._db.write():
            request = self.ask(
                person, text, benefit=benefit, cost=cost, due=due, kind=kind, from_me=from_me
            )
            return self.decide(request.id, decision, third_option=third_option, agreed=agreed)

    @staticmethod
    def _still_open(session: Session, row: RequestRow) -> bool:
        """Whether a decided request may be decided again: a no, a later, or a third option
        that was not agreed (no commitment came of it)."""
        if row.decision in ("no", "later"):
            return True
        if row.decision != "negotiate":
            return False
        made = session.scalar(
            select(CommitmentRow.id).where(CommitmentRow.request_id == row.id).limit(1)
        )
        return made is None

    def _commit(
        self,
        session: Session,
        row: RequestRow,
        today: date,
        due: date | None,
        hours: float | None,
        text: str | None = None,
    ) -> Commitment:
        """The promise a decision makes: the request itself, or the third option (``text``)."""
        due_on = due or row.due_on or today + timedelta(days=DEFAULT_DUE_DAYS)
        if hours is not None and not 0 <= hours <= 1000:
            raise InvalidInput(
                f"hours must be from 0 to 1000, got {hours:g}", field="hours", value=hours
            )
        commitment = CommitmentRow(
            owner_id=row.owner_id,
            person_id=row.person_id,
            request_id=row.id,
            direction="theirs" if row.direction == "from_me" else "mine",
            text=text or row.text,
            kind=row.kind,
            benefit=row.benefit,
            cost=row.cost,
            hours=hours,
            made_on=today,
            due_on=due_on,
            status="open",
        )
        session.add(commitment)
        session.flush()
        return commitment_record(commitment)

    @staticmethod
    def _keep_in_mind(session: Session, row: RequestRow, today: date) -> NeedRow | None:
        """The asker still needs it: an open need on their profile (mine, for my asks).
        Returns the need when it is new."""
        existing = session.scalar(
            select(NeedRow.id).where(NeedRow.request_id == row.id, NeedRow.status == "open")
        )
        if existing is not None:
            return None
        need = NeedRow(
            person_id=row.owner_id if row.direction == "from_me" else row.person_id,
            text=row.text,
            tags="",
            source="request",
            status="open",
            created_on=today,
            request_id=row.id,
        )
        session.add(need)
        return need

    @staticmethod
    def _close_needs(session: Session, row: RequestRow, today: date) -> None:
        for need in session.scalars(
            select(NeedRow).where(NeedRow.request_id == row.id, NeedRow.status == "open")
        ):
            need.status, need.closed_on = "closed", today

    def reconsider(self) -> list[tuple[Request, Proposal]]:
        """Requests I said no or later to whose proposal, re-run now, is more favourable."""
        changed = []
        with self._db.read() as session:
            rows = session.scalars(
                select(RequestRow)
                .where(
                    RequestRow.status == "decided",
                    RequestRow.decision.in_(("no", "later")),
                    RequestRow.direction == "to_me",
                )
                .order_by(RequestRow.made_on, RequestRow.id)
            )
            today = self._today()
            for row in rows:
                other = session.get_one(PersonRow, row.person_id)
                asks = max(self._asks(session, other.id, False, today), 1)
                proposal = self._propose(
                    session, other, row.benefit, row.cost, row.kind, False, asks
                )
                if proposal.decision in (Decision.YES, Decision.NEGOTIATE):
                    changed.append((_request(row), proposal))
        return changed

    def list(self, open_only: bool = False) -> list[Request]:
        with self._db.read() as session:
            query = select(RequestRow).order_by(RequestRow.made_on.desc(), RequestRow.id.desc())
            if open_only:
                query = query.where(RequestRow.status == "open")
            return [_request(row) for row in session.scalars(query)]

    def get(self, request_id: int) -> Request:
        with self._db.read() as session:
            return _request(self._get(session, request_id))

    def decline_draft(self, request_id: int) -> str:
        """A kind decline from the data: what I can't do, why (only a reason the rule used),
        and what I can offer instead; gentler when they are going through a hard time. It
        uses only the request, the first names and whether a challenge is current, never
        a private note or the challenge's own words."""
        today = self._today()
        with self._db.read() as session:
            row = self._get(session, request_id)
            request = _request(row)
            first = session.get_one(PersonRow, row.person_id).name.split()[0]
            hard_time = (
                session.scalar(
                    select(PersonStateRow.id)
                    .where(
                        PersonStateRow.person_id == row.person_id,
                        PersonStateRow.kind == "challenge",
                        PersonStateRow.starts_on <= today,
                        or_(PersonStateRow.ends_on.is_(None), PersonStateRow.ends_on >= today),
                    )
                    .limit(1)
                )
                is not None
            )
            signature = own_name(session).first
        decision = request.decision or request.proposal
        factors = factors_of(request.proposal_reason, request.benefit, request.cost, self._rule)
        return decline_text(
            first,
            request.text,
            decision,
            factors,
            request.third_option,
            hard_time=hard_time,
            signature=signature,
        )

    # --- helpers -----------------------------------------------------------------------------

    @staticmethod
    def _get(session: Session, request_id: int) -> RequestRow:
        row = session.get(RequestRow, request_id)
        if row is None:
            raise NotFound(f"no request with id {request_id}", field="request", value=request_id)
        return row

    @staticmethod
    def _due(due: str | date | None, today: date) -> date | None:
        if due is None:
            return None
        if isinstance(due, date):
            return parse_due_date(due.isoformat(), today)
        return parse_due_date(due, today)
