"""Time-bank hours in team mode: a community may choose hours as its currency, every hour
equal, as time banks do, beside (never instead of) each member's benefit-and-cost record.

The giver logs the hours they gave another member; they count only once the receiver
confirms (both sides agree, as in :mod:`.team_confirmations`), and a mistake is declined or
withdrawn, never deleted. Each member's hours given and received are kept apart, so a
statement shows both, not one balance. The organiser sets how far below zero a balance may
go; confirming locks both members' accounts (``FOR UPDATE``, in id order) and refuses a
transfer that would take the receiver past it, so two confirmations at once cannot both
slip through.

Each member sees their own account and the transfers they are one side of: any other
transfer is "not found". The organiser sees aggregates only, over at least
:data:`~mutuality.services.board_report.MIN_GROUP` members, as the organiser's view does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from mutuality.core import fields
from mutuality.core.dates import past_date
from mutuality.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from mutuality.services.board_report import MIN_GROUP, NOT_SHOWN
from mutuality.store.database import Database
from mutuality.store.team_tables import (
    CommunityRow,
    HourAccountRow,
    HourTransferRow,
    MemberRow,
    TimeBankRow,
)

if TYPE_CHECKING:
    from mutuality.services.team import TeamService

FORMER_MEMBER = "a former member"
MAX_HOURS = 100
DEFAULT_FLOOR_HOURS = 10
ONE_GAVE_MOST = "hours exchanged: one member gave most of them, so not shown"


def hours(minutes: int) -> float:
    """Minutes as hours, to the minute."""
    return round(minutes / 60, 2)


def as_minutes(value: float, field: str = "hours") -> int:
    """Hours given by a person (1.5, 0.25) as whole minutes; refused outside (0, 100]."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= MAX_HOURS:
        raise InvalidInput(
            f"{field} must be more than 0 and at most {MAX_HOURS}, got {value!r}",
            field=field,
            value=value,
        )
    minutes = round(value * 60)
    if minutes < 1:
        raise InvalidInput(f"{field} must be at least one minute", field=field, value=value)
    return minutes


@dataclass(frozen=True, slots=True)
class TimeBank:
    enabled: bool
    floor_hours: float
    """How far below zero a balance may go (10 means down to -10 hours)."""


@dataclass(frozen=True, slots=True)
class HourTransfer:
    """A transfer as one of its two sides sees it."""

    id: int
    other: str
    """The other member's name."""
    i_gave: bool
    hours: float
    what: str
    occurred_on: date
    state: str
    """``pending`` (waiting for the receiver), ``confirmed``, ``declined`` or ``withdrawn``."""
    created_at: datetime

    @property
    def mine_to_confirm(self) -> bool:
        return self.state == "pending" and not self.i_gave


@dataclass(frozen=True, slots=True)
class HourAccount:
    """My hours: given and received apart, the balance, the limit, my statement."""

    enabled: bool
    given: float
    received: float
    floor_hours: float
    statement: list[HourTransfer]

    @property
    def balance(self) -> float:
        return round(self.given - self.received, 2)

    @property
    def waiting(self) -> list[HourTransfer]:
        return [t for t in self.statement if t.mine_to_confirm]


@dataclass(frozen=True, slots=True)
class HoursOverview:
    """The organiser's view of the time bank: aggregates only, each over at least
    :data:`MIN_GROUP` members, else not shown."""

    enabled: bool
    floor_hours: float
    members_taking_part: int | None
    hours_exchanged: float | None
    """Not shown when one member gave most of them (the figure would be about them)."""
    transfers_confirmed: int | None
    transfers_waiting: int | None
    members_below_zero: int | None
    note: str | None
    """Why the figures are not shown, when they are not."""


class HoursService:
    """Time-bank hours; each call one transaction of the registry."""

    def __init__(
        self,
        team: TeamService,
        database: Database,
        today: Callable[[], date],
        now: Callable[[], datetime],
    ) -> None:
        self._team = team
        self._db = database
        self._today = today
        self._now = now

    # --- the organiser --------------------------------------------------------------------

    def configure(
        self, by: int, enabled: bool, floor_hours: float = DEFAULT_FLOOR_HOURS
    ) -> TimeBank:
        """Choose hours as the community's currency (or stop), and the limit below zero."""
        if (
            isinstance(floor_hours, bool)
            or not isinstance(floor_hours, int | float)
            or not 0 <= floor_hours <= 1000
        ):
            raise InvalidInput(
                f"the limit below zero is 0 to 1000 hours, not {floor_hours!r}",
                field="floor_hours",
                value=floor_hours,
            )
        with self._db.write() as session:
            organiser = self._member(session, by)
            if organiser.role != "organiser":
                raise Forbidden("only an organiser can set the time bank up", field="by")
            row = self._bank(session, lock=True)
            if row is None:
                row = TimeBankRow(community_id=organiser.community_id)
                session.add(row)
            row.enabled = enabled
            row.floor_minutes = round(floor_hours * 60)
            row.updated_at = self._now()
            session.flush()
            return TimeBank(row.enabled, hours(row.floor_minutes))

    def overview(self, by: int) -> HoursOverview:
        """Aggregates only, for an organiser; "not found" for anyone else, as the
        organiser's view is."""
        with self._db.read() as session:
            me = self._member(session, by)
            if me.role != "organiser":
                raise NotFound("no such page", field="page")
            bank = self._bank(session)
            enabled = bank is not None and bank.enabled
            floor = hours(bank.floor_minutes) if bank else DEFAULT_FLOOR_HOURS
            sides = session.execute(
                select(HourTransferRow.giver_id, HourTransferRow.receiver_id).where(
                    HourTransferRow.state.in_(("confirmed", "pending"))
                )
            ).all()
            taking_part = {m for pair in sides for m in pair if m is not None}
            if len(taking_part) < MIN_GROUP:
                return HoursOverview(enabled, floor, None, None, None, None, None, NOT_SHOWN)
            confirmed = session.execute(
                select(func.count(), func.coalesce(func.sum(HourTransferRow.minutes), 0)).where(
                    HourTransferRow.state == "confirmed"
                )
            ).one()
            most = session.scalar(select(func.coalesce(func.max(HourAccountRow.given_minutes), 0)))
            total = int(confirmed[1])
            one_gave_most = total > 0 and 2 * int(most or 0) > total
            waiting = session.scalar(select(func.count()).where(HourTransferRow.state == "pending"))
            below = session.scalar(
                select(func.count()).where(
                    HourAccountRow.given_minutes < HourAccountRow.received_minutes
                )
            )
            return HoursOverview(
                enabled,
                floor,
                len(taking_part),
                None if one_gave_most else hours(total),
                int(confirmed[0]),
                int(waiting or 0),
                int(below or 0),
                ONE_GAVE_MOST if one_gave_most else None,
            )

    # --- every member ---------------------------------------------------------------------

    def settings(self) -> TimeBank:
        with self._db.read() as session:
            bank = self._bank(session)
            if bank is None:
                return TimeBank(False, DEFAULT_FLOOR_HOURS)
            return TimeBank(bank.enabled, hours(bank.floor_minutes))

    def account(self, member_id: int) -> HourAccount:
        """My hours given and received, the limit, and every transfer I am a side of."""
        with self._db.read() as session:
            self._member(session, member_id)
            bank = self._bank(session)
            row = session.scalars(
                select(HourAccountRow).where(HourAccountRow.member_id == member_id)
            ).first()
            transfers = session.scalars(
                select(HourTransferRow)
                .where(
                    or_(
                        HourTransferRow.giver_id == member_id,
                        HourTransferRow.receiver_id == member_id,
                    )
                )
                .order_by(HourTransferRow.occurred_on.desc(), HourTransferRow.id.desc())
            ).all()
            return HourAccount(
                enabled=bank is not None and bank.enabled,
                given=hours(row.given_minutes) if row else 0.0,
                received=hours(row.received_minutes) if row else 0.0,
                floor_hours=hours(bank.floor_minutes) if bank else DEFAULT_FLOOR_HOURS,
                statement=[_seen(t, member_id) for t in transfers],
            )

    def give(
        self,
        member_id: int,
        to: int,
        amount: float,
        what: str,
        on: str | date | None = None,
    ) -> HourTransfer:
        """Log hours I gave the member ``to``; they count once ``to`` confirms."""
        minutes = as_minutes(amount)
        words = fields.required_text(what, "what")
        when = past_date(on, self._today(), "on")
        with self._db.write() as session:
            self._open(session)
            me = self._member(session, member_id)
            other = self._member(session, to, field="to")
            if other.id == me.id:
                raise InvalidInput("give hours to another member", field="to", value=to)
            row = HourTransferRow(
                giver_id=me.id,
                receiver_id=other.id,
                giver_name=me.display_name,
                receiver_name=other.display_name,
                minutes=minutes,
                what=words,
                occurred_on=when,
                state="pending",
                created_at=self._now(),
            )
            session.add(row)
            session.flush()
            return _seen(row, member_id)

    def confirm(self, member_id: int, transfer_id: int) -> HourTransfer:
        """The receiver confirms: the hours count now, unless they would take the
        receiver's balance past the community's limit below zero."""
        with self._db.write() as session:
            bank = self._open(session)
            row = self._theirs(session, member_id, transfer_id, lock=True)
            self._receiver(row, member_id)
            if row.giver_id is None:
                raise Conflict(
                    "the giver has left: this transfer can only be declined",
                    field="id",
                    value=transfer_id,
                )
            accounts = self._accounts(session, [row.giver_id, member_id])
            mine = accounts[member_id]
            after = mine.given_minutes - mine.received_minutes - row.minutes
            if after < -bank.floor_minutes:
                raise Conflict(
                    f"this would take your balance to {hours(after):g} hours, past the "
                    f"community's limit of -{hours(bank.floor_minutes):g}: give some hours "
                    "first, or ask an organiser",
                    field="id",
                    value=transfer_id,
                )
            now = self._now()
            mine.received_minutes += row.minutes
            mine.updated_at = now
            giver = accounts[row.giver_id]
            giver.given_minutes += row.minutes
            giver.updated_at = now
            row.state, row.answered_at = "confirmed", now
            return _seen(row, member_id)

    def decline(self, member_id: int, transfer_id: int) -> HourTransfer:
        """The receiver says it did not happen so: it never counts (it stays, declined)."""
        with self._db.write() as session:
            row = self._theirs(session, member_id, transfer_id, lock=True)
            self._receiver(row, member_id)
            row.state, row.answered_at = "declined", self._now()
            return _seen(row, member_id)

    def withdraw(self, member_id: int, transfer_id: int) -> HourTransfer:
        """The giver takes back a transfer still waiting (it stays, withdrawn)."""
        with self._db.write() as session:
            row = self._theirs(session, member_id, transfer_id, lock=True)
            if row.giver_id != member_id:
                raise Conflict(
                    "only the one who gave the hours can withdraw them",
                    field="id",
                    value=transfer_id,
                )
            _pending(row)
            row.state, row.answered_at = "withdrawn", self._now()
            return _seen(row, member_id)

    # --- leaving --------------------------------------------------------------------------

    @staticmethod
    def forget(session: Session, member_id: int) -> None:
        """A member leaves: their account goes with them; the transfers stay on the others'
        statements, naming them only as a former member; one still waiting on them is
        withdrawn."""
        session.execute(delete(HourAccountRow).where(HourAccountRow.member_id == member_id))
        for side in ("giver", "receiver"):
            column = getattr(HourTransferRow, f"{side}_id")
            session.execute(
                update(HourTransferRow)
                .where(column == member_id, HourTransferRow.state == "pending")
                .values(state="withdrawn")
            )
            session.execute(
                update(HourTransferRow)
                .where(column == member_id)
                .values({f"{side}_name": FORMER_MEMBER, f"{side}_id": None})
            )

    # --- the rules in one place -----------------------------------------------------------

    @staticmethod
    def _member(session: Session, member_id: int, field: str = "member") -> MemberRow:
        row = session.get(MemberRow, member_id) if isinstance(member_id, int) else None
        if row is None or row.left_at is not None:
            raise NotFound(f"no member with id {member_id}", field=field, value=member_id)
        return row

    @staticmethod
    def _bank(session: Session, lock: bool = False) -> TimeBankRow | None:
        query = select(TimeBankRow).join(CommunityRow).limit(1)
        return session.scalars(query.with_for_update() if lock else query).first()

    def _open(self, session: Session) -> TimeBankRow:
        bank = self._bank(session)
        if bank is None or not bank.enabled:
            raise Conflict(
                "this community does not keep time-bank hours: an organiser can choose to",
                field="hours",
            )
        return bank

    @staticmethod
    def _theirs(
        session: Session, member_id: int, transfer_id: int, lock: bool = False
    ) -> HourTransferRow:
        """A transfer I am one side of; any other is "not found"."""
        query = select(HourTransferRow).where(
            HourTransferRow.id == transfer_id,
            or_(HourTransferRow.giver_id == member_id, HourTransferRow.receiver_id == member_id),
        )
        row = session.scalars(query.with_for_update() if lock else query).first()
        if row is None:
            raise NotFound("no such transfer", field="id", value=transfer_id)
        return row

    @staticmethod
    def _receiver(row: HourTransferRow, member_id: int) -> None:
        if row.receiver_id != member_id:
            raise Conflict(
                "the member who received the hours confirms or declines them",
                field="id",
                value=row.id,
            )
        _pending(row)

    def _accounts(self, session: Session, members: list[int]) -> dict[int, HourAccountRow]:
        """The members' accounts, made when missing, locked in id order (so two
        confirmations never wait on each other)."""
        now = self._now()
        for member in sorted(members):
            session.execute(
                insert(HourAccountRow)
                .values(member_id=member, given_minutes=0, received_minutes=0, updated_at=now)
                .on_conflict_do_nothing(index_elements=["member_id"])
            )
        rows = session.scalars(
            select(HourAccountRow)
            .where(HourAccountRow.member_id.in_(members))
            .order_by(HourAccountRow.member_id)
            .with_for_update()
        ).all()
        return {row.member_id: row for row in rows}


def _pending(row: HourTransferRow) -> None:
    if row.state != "pending":
        raise Conflict(f"this transfer is {row.state} already", field="id", value=row.id)


def _seen(row: HourTransferRow, member_id: int) -> HourTransfer:
    gave = row.giver_id == member_id
    return HourTransfer(
        id=row.id,
        other=row.receiver_name if gave else row.giver_name,
        i_gave=gave,
        hours=hours(row.minutes),
        what=row.what,
        occurred_on=row.occurred_on,
        state=row.state,
        created_at=row.created_at,
    )
