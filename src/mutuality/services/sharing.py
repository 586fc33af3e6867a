"""Marking things fit for others' eyes: an exchange, a made introduction, or a person whose
full name may appear. Nothing is shareable until marked; the portfolio shows only these.

Sharing again is harmless (it only changes the wording when one is given); unsharing
something not shared does nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from mutuality.core.errors import Conflict, InvalidInput, NotFound
from mutuality.core.fields import choice
from mutuality.core.introductions import IntroStatus
from mutuality.core.needs import wish_text
from mutuality.core.portfolio import ShareKind
from mutuality.services.context import WithPeople
from mutuality.services.people import PersonRef
from mutuality.store.prepared import changed_rows
from mutuality.store.tables import ExchangeRow, IntroductionRow, PersonRow, ShareRow

_COLUMNS = {
    ShareKind.EXCHANGE: ShareRow.exchange_id,
    ShareKind.INTRODUCTION: ShareRow.introduction_id,
    ShareKind.PERSON: ShareRow.person_id,
}


@dataclass(frozen=True, slots=True)
class Share:
    """One shared thing as the owner sees it (full names and the ledger's words)."""

    kind: ShareKind
    id: int
    """The exchange's, introduction's or person's id."""
    summary: str
    wording: str | None
    shared_at: datetime


def parse_share_kind(value: str) -> ShareKind:
    return choice(
        ShareKind, value, "kind", refusal="cannot share a {value!r}; share one of: {known}"
    )


def public_wording(wording: str | None) -> str | None:
    """A sentence or two, trimmed; blank means the ledger's own words."""
    if wording is None or not wording.strip():
        return None
    return wish_text(wording, "public wording")


def mark_shared(
    session: Session, kind: ShareKind, item_id: int, wording: str | None, at: datetime
) -> None:
    """Mark one thing shareable inside the caller's transaction (logging an exchange or an
    introduction's outcome can share it in the same unit of work)."""
    column = _COLUMNS[kind]
    row = session.scalars(select(ShareRow).where(column == item_id)).first()
    if row is None:
        session.add(ShareRow(**{column.key: item_id}, wording=wording, shared_at=at))
    elif wording is not None:
        row.wording = wording
    session.flush()


class ShareService(WithPeople):
    def share(
        self, kind: ShareKind | str, item: int | PersonRef, wording: str | None = None
    ) -> Share:
        """Mark an exchange (by id), a made introduction (by id) or a person (by name or id)
        shareable; ``wording`` is what I'd say about it publicly (for a person: the name)."""
        kind = parse_share_kind(str(kind))
        words = public_wording(wording)
        with self._db.write() as session:
            item_id = self._check(session, kind, item)
            mark_shared(session, kind, item_id, words, self._now())
            return self._listed(session, kind, item_id)

    def unshare(self, kind: ShareKind | str, item: int | PersonRef) -> bool:
        """Make a thing private again; ``False`` when it was not shared."""
        kind = parse_share_kind(str(kind))
        with self._db.write() as session:
            item_id = self._check(session, kind, item, sharing=False)
            done = session.execute(delete(ShareRow).where(_COLUMNS[kind] == item_id))
            return bool(changed_rows(done))

    def list(self) -> list[Share]:
        """Everything shared: exchanges, then introductions, then people, each by id."""
        with self._db.read() as session:
            shares = [self._share(session, row) for row in session.scalars(select(ShareRow))]
        return sorted(shares, key=lambda s: (list(ShareKind).index(s.kind), s.id))

    # --- helpers -----------------------------------------------------------------------------

    def _check(
        self, session: Session, kind: ShareKind, item: int | PersonRef, sharing: bool = True
    ) -> int:
        """The thing's id, after checking it exists and may be shared."""
        if kind is ShareKind.PERSON:
            return self._people.resolve(session, item).id
        if not isinstance(item, int):
            raise InvalidInput(
                f"an {kind.value} is named by its number, not {item!r}", field="id", value=item
            )
        if kind is ShareKind.EXCHANGE:
            owner_id = self._people.owner_id(session)
            exchange = session.get(ExchangeRow, item)
            if exchange is None or owner_id not in (exchange.giver_id, exchange.receiver_id):
                raise NotFound(f"no exchange with id {item}", field="id", value=item)
            return item
        intro = session.get(IntroductionRow, item)
        if intro is None:
            raise NotFound(f"no introduction with id {item}", field="id", value=item)
        if sharing and intro.status != IntroStatus.MADE.value:
            raise Conflict(
                f"introduction #{item} is {intro.status}; only a made introduction can be "
                "shared: make the introduction first",
                field="id",
                value=item,
            )
        return item

    def _listed(self, session: Session, kind: ShareKind, item_id: int) -> Share:
        row = session.scalars(select(ShareRow).where(_COLUMNS[kind] == item_id)).one()
        return self._share(session, row)

    @staticmethod
    def _share(session: Session, row: ShareRow) -> Share:
        if row.person_id is not None:
            person = session.get_one(PersonRow, row.person_id)
            return Share(ShareKind.PERSON, person.id, person.name, row.wording, row.shared_at)
        if row.introduction_id is not None:
            intro = session.get_one(IntroductionRow, row.introduction_id)
            a = session.get_one(PersonRow, intro.a_id).name
            b = session.get_one(PersonRow, intro.b_id).name
            summary = f"introduced {a} to {b}" + (f": {intro.outcome}" if intro.outcome else "")
            return Share(ShareKind.INTRODUCTION, intro.id, summary, row.wording, row.shared_at)
        exchange = session.get_one(ExchangeRow, row.exchange_id)
        giver = session.get_one(PersonRow, exchange.giver_id)
        receiver = session.get_one(PersonRow, exchange.receiver_id)
        summary = (
            f"{exchange.occurred_on.isoformat()} {exchange.kind} "
            + (f"to {receiver.name}" if giver.is_owner else f"from {giver.name}")
            + f": {exchange.description}"
        )
        return Share(ShareKind.EXCHANGE, exchange.id, summary, row.wording, row.shared_at)


def shared_ids(session: Session) -> dict[ShareKind, dict[int, str | None]]:
    """Every shared id by kind, with its wording: the portfolio's one read of the marks."""
    found: dict[ShareKind, dict[int, str | None]] = {kind: {} for kind in ShareKind}
    for row in session.scalars(select(ShareRow)):
        for kind, column in _COLUMNS.items():
            value = getattr(row, column.key)
            if value is not None:
                found[kind][value] = row.wording
    return found
