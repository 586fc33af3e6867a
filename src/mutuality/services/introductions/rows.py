"""Finding and changing introduction rows: one by id, which side a person is, a state
change applied, each step timestamped, and the pairs that may not be proposed (already
being introduced, already introduced, or declined). The rules between states are in
:mod:`mutuality.core.introductions`; these helpers run inside the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import Session, aliased

from mutuality.core.errors import Conflict, InvalidInput, NotFound
from mutuality.core.introductions import (
    OPEN_STATUSES,
    Introduction,
    IntroStatus,
    Step,
    Transition,
)
from mutuality.core.needs import wish_text
from mutuality.services.introductions.messages import intro_record
from mutuality.services.people import PeopleService, PersonRef
from mutuality.store.prepared import run
from mutuality.store.tables import IntroductionRow, IntroductionStepRow, PersonRow


def described(value: str, label: str) -> str:
    """A reason or a gain: checked as wish text, the error naming its key (``a_gains``)."""
    return wish_text(value, label, label.replace(" ", "_"))


def intro_row(session: Session, intro_id: int) -> IntroductionRow:
    """The row of introduction ``intro_id``; an unknown id is an error."""
    row = session.get(IntroductionRow, intro_id)
    if row is None:
        raise NotFound(f"no introduction with id {intro_id}", field="id", value=intro_id)
    return row


def side_of(
    session: Session, people: PeopleService, row: IntroductionRow, person: PersonRef
) -> str:
    """``a`` or ``b``: which side ``person`` is; anyone else is an error."""
    found = people.resolve(session, person)
    if found.id == row.a_id:
        return "a"
    if found.id == row.b_id:
        return "b"
    a = session.get_one(PersonRow, row.a_id).name
    b = session.get_one(PersonRow, row.b_id).name
    raise InvalidInput(
        f"{found.name} is not part of introduction #{row.id} ({a} and {b})",
        field="person",
        value=person,
    )


def side_id(row: IntroductionRow, side: str) -> int:
    return row.a_id if side == "a" else row.b_id


def apply(row: IntroductionRow, change: Transition) -> None:
    """Write a state change worked out by :mod:`mutuality.core.introductions`."""
    row.status = change.status.value
    row.a_consent = change.a_consent.value if change.a_consent else None
    row.b_consent = change.b_consent.value if change.b_consent else None


def add_step(
    session: Session,
    row: IntroductionRow,
    at: datetime,
    step: Step,
    person_id: int | None = None,
    note: str | None = None,
) -> None:
    """Stamp one step in ``introduction_steps`` with when it was taken (``at``)."""
    session.add(
        IntroductionStepRow(
            introduction_id=row.id,
            step=step.value,
            person_id=person_id,
            at=at,
            note=note,
        )
    )
    session.flush()


def check_pair(session: Session, a: PersonRow, b: PersonRow, again: bool) -> None:
    """Refuse a pair being introduced, already introduced, or declined (unless ``again``)."""
    for earlier in session.scalars(
        select(IntroductionRow)
        .where(
            or_(
                (IntroductionRow.a_id == a.id) & (IntroductionRow.b_id == b.id),
                (IntroductionRow.a_id == b.id) & (IntroductionRow.b_id == a.id),
            )
        )
        .order_by(IntroductionRow.id)
    ):
        status = IntroStatus(earlier.status)
        when = earlier.created_at.date().isoformat()
        if status in OPEN_STATUSES:
            raise Conflict(
                f"{a.name} and {b.name} are already being introduced (#{earlier.id}, "
                f"{status.value})",
                field="person",
                value=b.name,
            )
        if status is IntroStatus.MADE:
            raise Conflict(
                f"{a.name} and {b.name} were already introduced (#{earlier.id}, {when})",
                field="person",
                value=b.name,
            )
        if status is IntroStatus.DECLINED and not again:
            raise Conflict(
                f"an introduction of {a.name} and {b.name} was declined (#{earlier.id}, "
                f"{when}); it is not proposed again (use --again if they asked for it)",
                field="person",
                value=b.name,
            )


@dataclass(frozen=True, slots=True)
class IntroSummary:
    """An introduction as a person's page lists it: both names and its state, without the
    messages (the introductions board shows those)."""

    introduction: Introduction
    a: str
    b: str


_A, _B = aliased(PersonRow), aliased(PersonRow)
_INVOLVING = (
    select(IntroductionRow.__table__, _A.name.label("a_name"), _B.name.label("b_name"))
    .join(_A, _A.id == IntroductionRow.a_id)
    .join(_B, _B.id == IntroductionRow.b_id)
    .where(
        or_(
            IntroductionRow.a_id == bindparam("person"), IntroductionRow.b_id == bindparam("person")
        )
    )
    .order_by(IntroductionRow.id.desc())
)


def involving(session: Session, person_id: int) -> list[IntroSummary]:
    """Every introduction ``person_id`` is a side of, newest first, in one statement."""
    return [
        IntroSummary(intro_record(row), row.a_name, row.b_name)
        for row in run(session, _INVOLVING, person=person_id)
    ]
