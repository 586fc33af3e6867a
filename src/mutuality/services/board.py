"""The community's board in team mode: asks and offers, "I can help", accepting, the help
recorded as a two-sided exchange, and thank-yous on the gratitude wall.

Every method takes the member it acts for and shows only what that member may see: an
open, unexpired post of a current member, or their own; the answers to a post reach its
author and, each, the member who wrote it; an anonymous ask never names its author to
anyone else (the organisers neither), except to the helper whose answer the author
accepts, who must know whom they help. A post's ``version`` grows with every change, and a
change or an answer made against an older version is refused with what changed (409),
under a row lock, so two accepts at once, or an answer to an ask edited meanwhile, never
overwrite each other silently.

The help itself becomes an exchange both sides confirm through
:class:`~mutuality.services.team_confirmations.ConfirmationService`: one side logs it in
their own ledger with the person who stands for the other member there, the ledger's hook
offers it to the other member, and the answer keeps the confirmation's id. Nothing of the
confirmation's rules is repeated here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from mutuality.core import fields
from mutuality.core.dates import parse_due_date
from mutuality.core.errors import Conflict, InvalidInput, NotFound
from mutuality.core.introductions import quoted
from mutuality.core.needs import StateKind
from mutuality.core.scale import check_points, parse_kind
from mutuality.services.ledger import Direction
from mutuality.services.team_confirmations import keep_link
from mutuality.store.database import Database
from mutuality.store.team_tables import (
    POST_KINDS,
    BoardAnswerRow,
    BoardPostRow,
    BoardSettingsRow,
    ConfirmationRow,
    GratitudeRow,
    MemberRow,
)

if TYPE_CHECKING:
    from mutuality.services.app import Mutuality
    from mutuality.services.board_matching import BoardMatcher, PostText
    from mutuality.services.board_report import CommunityReport
    from mutuality.services.team import TeamService
    from mutuality.services.team_confirmations import Confirmation

POST_DAYS = 30
"""How long a post stays on the board unless its author says otherwise."""
MAX_POST_DAYS = 180
A_MEMBER = "a member"
"""How an anonymous ask's author is named to everyone else."""
FORMER_MEMBER = "a former member"
MIN_THANKS_WORDS = 4
"""A thank-you names what was done ("reviewed my pitch deck before Friday"), not just
"thanks"."""


@dataclass(frozen=True, slots=True)
class BoardAnswer:
    """An answer as the viewer may see it (its author, or the post's author)."""

    id: int
    helper: str
    note: str
    state: str
    """``offered``, ``accepted`` or ``withdrawn``."""
    mine: bool
    created_at: datetime
    confirmation_id: int | None = None
    confirmation_state: str | None = None
    """``pending``, ``confirmed`` or ``declined`` once the help was recorded."""
    thanked: bool = False


@dataclass(frozen=True, slots=True)
class BoardPost:
    """An ask or an offer as the viewer may see it."""

    id: int
    kind: str
    text: str
    tags: tuple[str, ...]
    author: str
    """The author's name; "a member" for someone else's anonymous ask."""
    mine: bool
    anonymous: bool
    state: str
    """``open``, ``met`` or ``withdrawn``."""
    expires_on: date
    version: int
    changed: str
    created_at: datetime
    answer_count: int
    answers: tuple[BoardAnswer, ...]
    """All answers for the post's author; the viewer's own answer for anyone else."""


@dataclass(frozen=True, slots=True)
class ThankYou:
    """A thank-you on the gratitude wall."""

    id: int
    thanked_by: str
    """The asker's name; "a member" when the ask was anonymous."""
    helper: str
    words: str
    ask: str
    on: date


@dataclass(frozen=True, slots=True)
class Suggestion:
    post: BoardPost
    score: float
    """The cosine of the ask and the member's closest offer (by meaning), or the words'
    TF-IDF similarity to all their offers (by shared words)."""
    matched: tuple[str, ...]
    """The ask's words that the member's own offers share."""
    how: str = ""
    """How it matched, as a match's reason says it: "(a close match in meaning)", "(a loose
    match in meaning, worth checking)", "(matched: design, review)"."""
    offer: str | None = None
    """The member's own offer (on the board or in their ledger) it matched by meaning;
    ``None`` by shared words, where all their offers count at once."""

    @property
    def reason(self) -> str:
        """Why it is suggested: which of the member's offers it matched, and how closely."""
        mine = "your offers" if self.offer is None else f"your offer {quoted(self.offer)}"
        return f"{mine} {self.how}".strip()


@dataclass(frozen=True, slots=True)
class HelperSuggestion:
    """A member who could help with an ask: one of their open offers on the board matches
    it."""

    member: str
    offer_id: int
    offer: str
    score: float
    matched: tuple[str, ...]
    how: str = ""
    """How it matched, as :attr:`Suggestion.how`."""


@dataclass(frozen=True, slots=True)
class Suggestions:
    items: list[Suggestion]
    paused: str | None = None
    """Why there are none for now (a busy period, a stretched giving budget), if so."""
    method: str | None = None
    """Which method made the list: ``semantic`` (by meaning) or ``lexical`` (by shared
    words); ``None`` when nothing was compared."""
    notes: tuple[str, ...] = ()
    """Why the words were used instead of the meaning, where they were."""


@dataclass(frozen=True, slots=True)
class Helpers:
    """The members who could help with an ask, and the method that found them."""

    items: list[HelperSuggestion]
    method: str | None = None
    """As :attr:`Suggestions.method`."""
    notes: tuple[str, ...] = ()


class BoardService:
    """Posts, answers, accepting, recording the help and thanking; each write one
    transaction of the registry (recording the help also writes one in the member's own
    ledger, through the confirmation service)."""

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

    # --- posting ------------------------------------------------------------------------------

    def post(
        self,
        member_id: int,
        kind: str,
        text: str,
        *,
        tags: Sequence[str] = (),
        expires: str | date | None = None,
        anonymous: bool = False,
    ) -> BoardPost:
        """Post an ask or an offer; it stays on the board until ``expires`` (a date, or
        ``in 2 weeks``; default in 30 days). Only an ask may be anonymous."""
        chosen = kind.strip().lower() if isinstance(kind, str) else kind
        if chosen not in POST_KINDS:
            raise InvalidInput(
                f"a post is an ask or an offer, not {kind!r}", field="kind", value=kind
            )
        words = fields.required_text(text, "text")
        labels = fields.tags(list(tags))
        if anonymous and chosen != "ask":
            raise InvalidInput("only an ask can be anonymous", field="anonymous", value=True)
        ends = self._expiry(expires)
        with self._db.write() as session:
            me = _active(session, member_id)
            row = BoardPostRow(
                author_id=me.id,
                kind=chosen,
                text=words,
                tags=",".join(labels),
                anonymous=bool(anonymous),
                expires_on=ends,
                state="open",
                version=1,
                changed="posted",
                created_at=self._now(),
            )
            session.add(row)
            session.flush()
            made = self._seen(session, row, member_id)
        self._embed_saved(made)
        return made

    def edit(
        self,
        member_id: int,
        post_id: int,
        version: int,
        *,
        text: str | None = None,
        tags: Sequence[str] | None = None,
        expires: str | date | None = None,
    ) -> BoardPost:
        """The author changes their open post; refused (409) when it changed since
        ``version``."""
        words = fields.required_text(text, "text") if text is not None else None
        labels = fields.tags(list(tags)) if tags is not None else None
        ends = self._expiry(expires) if expires is not None else None
        with self._db.write() as session:
            row = self._own(session, member_id, post_id)
            _current(row, version)
            _open(row)
            what = []
            if words is not None and words != row.text:
                row.text = words
                what.append("its text")
            if labels is not None and ",".join(labels) != row.tags:
                row.tags = ",".join(labels)
                what.append("its tags")
            if ends is not None and ends != row.expires_on:
                row.expires_on = ends
                what.append("its expiry")
            if what:
                _bump(row, f"the author edited {' and '.join(what)}")
            edited = self._seen(session, row, member_id)
        self._embed_saved(edited)
        return edited

    def withdraw(self, member_id: int, post_id: int, version: int) -> BoardPost:
        """The author takes their open post off the board."""
        with self._db.write() as session:
            row = self._own(session, member_id, post_id)
            _current(row, version)
            _open(row)
            row.state = "withdrawn"
            _bump(row, "the author withdrew it")
            return self._seen(session, row, member_id)

    # --- reading ------------------------------------------------------------------------------

    def board(self, member_id: int, kind: str | None = None, mine: bool = False) -> list[BoardPost]:
        """The open, unexpired posts of current members, newest first (``mine``: the
        member's own, in every state)."""
        if kind is not None and kind not in POST_KINDS:
            raise InvalidInput(f"a post is an ask or an offer, not {kind!r}", field="kind")
        with self._db.read() as session:
            _active(session, member_id)
            query = select(BoardPostRow)
            if mine:
                query = query.where(BoardPostRow.author_id == member_id)
            else:
                query = query.join(MemberRow, MemberRow.id == BoardPostRow.author_id).where(
                    BoardPostRow.state == "open",
                    BoardPostRow.expires_on >= self._today(),
                    MemberRow.left_at.is_(None),
                )
            if kind is not None:
                query = query.where(BoardPostRow.kind == kind)
            rows = session.scalars(
                query.order_by(BoardPostRow.created_at.desc(), BoardPostRow.id.desc())
            ).all()
            return self._seen_all(session, rows, member_id)

    def get(self, member_id: int, post_id: int) -> BoardPost:
        with self._db.read() as session:
            return self._seen(session, self._visible(session, member_id, post_id), member_id)

    def helping(self, member_id: int) -> list[BoardPost]:
        """The posts the member answered, in every state, newest first: what they offered
        to do, and what waits to be recorded or confirmed."""
        with self._db.read() as session:
            _active(session, member_id)
            rows = session.scalars(
                select(BoardPostRow)
                .join(BoardAnswerRow, BoardAnswerRow.post_id == BoardPostRow.id)
                .where(BoardAnswerRow.member_id == member_id)
                .order_by(BoardPostRow.created_at.desc(), BoardPostRow.id.desc())
            ).all()
            return self._seen_all(session, rows, member_id)

    # --- answering and accepting --------------------------------------------------------------

    def answer(self, member_id: int, post_id: int, version: int, note: str) -> BoardPost:
        """ "I can help" (or, to an offer, "I would like that"), with a note for the author;
        refused (409) when the post changed since ``version``."""
        words = fields.required_text(note, "note")
        with self._db.write() as session:
            row = self._visible(session, member_id, post_id, lock=True)
            if row.author_id == member_id:
                raise InvalidInput("this is your own post", field="post", value=post_id)
            _current(row, version)
            _open(row)
            self._unexpired(row)
            taken = session.scalars(
                select(BoardAnswerRow).where(
                    BoardAnswerRow.post_id == row.id, BoardAnswerRow.member_id == member_id
                )
            ).first()
            if taken is not None:
                raise Conflict(
                    f"you answered this {row.kind} already (answer #{taken.id})",
                    field="post",
                    value=post_id,
                )
            session.add(
                BoardAnswerRow(
                    post_id=row.id,
                    member_id=member_id,
                    note=words,
                    state="offered",
                    created_at=self._now(),
                )
            )
            session.flush()
            return self._seen(session, row, member_id)

    def accept(self, member_id: int, post_id: int, answer_id: int, version: int) -> BoardPost:
        """The author accepts one answer (one or more, one call each); refused (409) when
        the post changed since ``version``, another accept included."""
        with self._db.write() as session:
            row = self._own(session, member_id, post_id)
            _current(row, version)
            _open(row)
            answer = session.scalars(
                select(BoardAnswerRow)
                .where(BoardAnswerRow.id == answer_id, BoardAnswerRow.post_id == row.id)
                .with_for_update()
            ).first()
            if answer is None or answer.member_id is None:
                raise NotFound(
                    f"no answer with id {answer_id} to this post", field="answer", value=answer_id
                )
            if answer.state == "accepted":
                raise Conflict("that answer is accepted already", field="answer", value=answer_id)
            answer.state, answer.accepted_at = "accepted", self._now()
            _bump(row, "the author accepted an answer")
            return self._seen(session, row, member_id)

    def met(self, member_id: int, post_id: int, version: int) -> BoardPost:
        """The author marks their ask (or offer) met: it leaves the board."""
        with self._db.write() as session:
            row = self._own(session, member_id, post_id)
            _current(row, version)
            _open(row)
            row.state, row.met_at = "met", self._now()
            _bump(row, "the author marked it met")
            return self._seen(session, row, member_id)

    # --- the help, as an exchange both sides confirm ------------------------------------------

    def record_help(
        self,
        member_id: int,
        answer_id: int,
        *,
        what: str | None = None,
        kind: str = "time",
        benefit: float | None = None,
        cost: float | None = None,
        on: str | date | None = None,
        person: int | str | None = None,
    ) -> Confirmation:
        """The help of an accepted answer happened: either side logs it, in their own
        ledger, with the person who stands for the other member there (``person``, else the
        one linked to them, else the one with their email, else a new person with their
        name and email), and it waits for the other member to confirm with their own
        figure. One call; recorded once per answer."""
        with self._db.write() as session:
            answer = self._answer(session, member_id, answer_id, lock=True)
            post = session.get_one(BoardPostRow, answer.post_id)
            if answer.state != "accepted":
                raise Conflict(
                    "only an accepted answer's help is recorded: accept it first",
                    field="answer",
                    value=answer_id,
                )
            if answer.confirmation_id is not None:
                raise Conflict(
                    f"this help was recorded already (confirmation #{answer.confirmation_id})",
                    field="answer",
                    value=answer_id,
                )
            other_id = post.author_id if answer.member_id == member_id else answer.member_id
            other = _active(session, other_id or 0, field="other")
            giver = answer.member_id if post.kind == "ask" else post.author_id
            direction = Direction.GAVE if giver == member_id else Direction.GOT
            # The exchange's own fields are checked before anyone is linked in the ledger.
            parse_kind(kind)
            for figure, field in ((benefit, "benefit"), (cost, "cost")):
                if figure is not None:
                    check_points(figure, field)
            stands_for = self._stands_for(member_id, other, person)
            ledger = self._team.ledger(member_id)
            # The member's ledger joins this transaction: the exchange, the person made for
            # the other member and the answer's record are saved together or not at all.
            made = stands_for is None
            with ledger.database.joined(session):
                if stands_for is None:
                    stands_for = ledger.people.add(other.display_name, emails=(other.email,)).id
                logged = ledger.ledger.log(
                    stands_for,
                    direction,
                    kind=kind,
                    what=what if what and what.strip() else post.text,
                    benefit=benefit,
                    cost=cost,
                    on=on,
                )
            if made:  # linked as the server, now the ledger's part is done
                keep_link(session, member_id, other.id, stands_for, None, self._now())
            confirmation = self._confirmation(session, member_id, logged.id)
            if confirmation is None:  # not offered yet: the person was linked only now
                self._team.confirmations.offer_logged(member_id, logged, direction)
                confirmation = self._confirmation(session, member_id, logged.id)
            if confirmation is None:
                raise NotFound(
                    "the other member could not be asked to confirm", field="other", value=other.id
                )
            answer.confirmation_id = confirmation
        return self._team.confirmations.get(member_id, confirmation)

    def _stands_for(self, member_id: int, other: MemberRow, person: int | str | None) -> int | None:
        """The person in the member's ledger who is ``other``, linked to them; ``None`` when
        there is nobody yet (the caller makes them inside its transaction)."""
        confirmations = self._team.confirmations
        if person is not None:
            return confirmations.link(member_id, person, other.id).person_id
        for link in confirmations.links(member_id):
            if link.member_id == other.id:
                if not link.saved:
                    confirmations.link(member_id, link.person_id, other.id)
                return link.person_id
        return None

    @staticmethod
    def _confirmation(session: Session, member_id: int, exchange_id: int) -> int | None:
        return session.scalar(
            select(ConfirmationRow.id).where(
                ConfirmationRow.logger_id == member_id,
                ConfirmationRow.logger_exchange_id == exchange_id,
            )
        )

    # --- the gratitude wall -------------------------------------------------------------------

    def thank(self, member_id: int, answer_id: int, words: str) -> ThankYou:
        """The author thanks the helper of an accepted answer in public, saying what they
        did; an anonymous ask's thank-you names "a member" as the one who thanks."""
        text = fields.required_text(words, "words")
        if len(text.split()) < MIN_THANKS_WORDS:
            raise InvalidInput(
                "say what they did, so the thanks is specific "
                '("reviewed my pitch deck and found the gap in the numbers")',
                field="words",
                value=text,
            )
        with self._db.write() as session:
            answer = self._answer(session, member_id, answer_id, lock=True)
            post = session.get_one(BoardPostRow, answer.post_id)
            if post.author_id != member_id:
                raise NotFound(
                    f"no answer with id {answer_id} to your posts", field="answer", value=answer_id
                )
            if answer.state != "accepted":
                raise Conflict(
                    "thank a helper whose answer you accepted", field="answer", value=answer_id
                )
            taken = session.scalars(
                select(GratitudeRow).where(GratitudeRow.answer_id == answer.id)
            ).first()
            if taken is not None:
                raise Conflict("you thanked them for this already", field="answer")
            row = GratitudeRow(answer_id=answer.id, words=text, created_at=self._now())
            session.add(row)
            session.flush()
            return self._thanks(session, [row])[0]

    def wall(self, member_id: int, limit: int = 50) -> list[ThankYou]:
        """The community's thank-yous, newest first (those of members who left go)."""
        with self._db.read() as session:
            _active(session, member_id)
            rows = session.scalars(
                select(GratitudeRow)
                .join(BoardAnswerRow, BoardAnswerRow.id == GratitudeRow.answer_id)
                .join(BoardPostRow, BoardPostRow.id == BoardAnswerRow.post_id)
                .join(MemberRow, MemberRow.id == BoardPostRow.author_id)
                .where(MemberRow.left_at.is_(None))
                .order_by(GratitudeRow.created_at.desc(), GratitudeRow.id.desc())
                .limit(limit)
            ).all()
            return self._thanks(session, rows)

    @staticmethod
    def _thanks(session: Session, rows: Sequence[GratitudeRow]) -> list[ThankYou]:
        """The thank-yous with their asks and names, in two queries for the whole list."""
        if not rows:
            return []
        found = {
            answer: (author, helper, anonymous, text)
            for answer, author, helper, anonymous, text in session.execute(
                select(
                    BoardAnswerRow.id,
                    BoardPostRow.author_id,
                    BoardAnswerRow.member_id,
                    BoardPostRow.anonymous,
                    BoardPostRow.text,
                )
                .join(BoardPostRow, BoardPostRow.id == BoardAnswerRow.post_id)
                .where(BoardAnswerRow.id.in_([row.answer_id for row in rows]))
            )
        }
        names = _names(session, [i for v in found.values() for i in v[:2]])
        made = []
        for row in rows:
            author, helper, anonymous, text = found[row.answer_id]
            made.append(
                ThankYou(
                    id=row.id,
                    thanked_by=A_MEMBER if anonymous else names[author],
                    helper=names[helper],
                    words=row.words,
                    ask=text,
                    on=row.created_at.date(),
                )
            )
        return made

    # --- suggestions --------------------------------------------------------------------------

    def suggestions(self, member_id: int, limit: int = 5) -> Suggestions:
        """The open asks the member could help with, ranked by how well each matches one of
        their own offers (on the board and in their ledger): by meaning where the model
        loads, above the minimum similarity of ``[matching]``, else by the words of all
        their offers at once, saying why (:class:`~.board_matching.BoardMatcher`); none
        while they noted themselves busy or their giving budget is stretched, saying why."""
        ledger = self._team.ledger(member_id)
        paused = _paused(ledger, self._today())
        if paused is not None:
            return Suggestions([], paused)
        offers = [
            post for post in self.board(member_id, "offer", mine=True) if post.state == "open"
        ]
        owner = _owner_id(ledger)
        wishes = [wish for wish in ledger.needs.list("offer") if wish.person_id == owner]
        asks = [post for post in self.board(member_id, "ask") if not post.mine and not post.answers]
        found = self.matcher.asks_for(
            [_compared(p) for p in asks],
            [_compared(p) for p in offers],
            wishes,
            ledger.matching.embeddings if wishes else None,
        )
        texts = [p.text for p in offers] + [w.text for w in wishes]
        return Suggestions(
            [
                Suggestion(
                    asks[c.item],
                    c.score,
                    c.matched,
                    c.how,
                    texts[c.offer] if c.offer is not None else None,
                )
                for c in found.found[:limit]
            ],
            method=found.method,
            notes=found.notes,
        )

    def helpers(self, member_id: int, post_id: int, limit: int = 5) -> Helpers:
        """For the author of an open ask: the members whose open offers on the board match
        it best (one line each, their best offer; by meaning where the model loads, else by
        shared words, as :meth:`suggestions`), leaving out those who answered already
        and those whose own ledger says they are busy or their giving budget is stretched
        (they are left out, never named as such). Only what members posted on the board is
        compared: nothing of anyone's ledger is shown."""
        from mutuality.services.board_matching import PostText

        with self._db.read() as session:
            _active(session, member_id)
            _valid_id(post_id, "post")
            row = session.scalars(
                select(BoardPostRow).where(
                    BoardPostRow.id == post_id, BoardPostRow.author_id == member_id
                )
            ).first()
            if row is None:
                raise NotFound(f"no post of yours with id {post_id}", field="post", value=post_id)
            if row.kind != "ask" or row.state != "open":
                return Helpers([])
            answered = set(
                session.scalars(
                    select(BoardAnswerRow.member_id).where(BoardAnswerRow.post_id == row.id)
                ).all()
            )
            offers = session.execute(
                select(BoardPostRow.id, BoardPostRow.author_id, BoardPostRow.text)
                .add_columns(BoardPostRow.tags, MemberRow.display_name)
                .join(MemberRow, MemberRow.id == BoardPostRow.author_id)
                .where(
                    BoardPostRow.kind == "offer",
                    BoardPostRow.state == "open",
                    BoardPostRow.expires_on >= self._today(),
                    MemberRow.left_at.is_(None),
                    BoardPostRow.author_id != member_id,
                )
                .order_by(BoardPostRow.id)
            ).all()
            ask = PostText(row.id, True, row.text, _tags(row.tags))
        offers = [o for o in offers if o.author_id not in answered]
        found = self.matcher.offers_for(
            ask, [PostText(o.id, False, o.text, _tags(o.tags)) for o in offers]
        )
        best: dict[int, int] = {}
        for i, close in enumerate(found.found):
            best.setdefault(offers[close.item].author_id or 0, i)
        helpers: list[HelperSuggestion] = []
        for author, i in best.items():
            if len(helpers) == limit:
                break
            if _paused(self._team.ledger(author), self._today()) is not None:
                continue
            close = found.found[i]
            offer = offers[close.item]
            helpers.append(
                HelperSuggestion(
                    offer.display_name, offer.id, offer.text, close.score, close.matched, close.how
                )
            )
        return Helpers(helpers, found.method, found.notes)

    def _embed_saved(self, post: BoardPost) -> None:
        """Embed a post just posted or edited, so that no page view has to: where the app
        lives on (the web app: :attr:`TeamService.embed_on_save`), and best effort; else its
        text is embedded the first time it is compared."""
        if self._team.embed_on_save:
            self.matcher.embeddings.embed_saved([_compared(post)])

    @cached_property
    def matcher(self) -> BoardMatcher:
        """Asks against offers, by meaning where the model loads (:mod:`.board_matching`)."""
        from mutuality.services.board_matching import BoardMatcher

        return BoardMatcher(self._db, self._team.settings.matching, self._now)

    # --- the organiser's view -----------------------------------------------------------------

    def report(self, member_id: int, days: int = 90) -> CommunityReport:
        """The organiser's aggregates (:mod:`.board_report`); "not found" for a member."""
        from mutuality.services.board_report import CommunityReportService

        return CommunityReportService(self._team, self._db, self._today).report(member_id, days)

    # --- choices --------------------------------------------------------------------------------

    def name_when_stretched(self, member_id: int, named: bool) -> None:
        """Whether organisers may see the member's name among those giving beyond their
        capacity (else they are only counted)."""
        with self._db.write() as session:
            _active(session, member_id)
            row = session.scalars(
                select(BoardSettingsRow).where(BoardSettingsRow.member_id == member_id)
            ).first()
            if row is None:
                row = BoardSettingsRow(member_id=member_id)
                session.add(row)
            row.named_when_stretched = bool(named)

    def named_when_stretched(self, member_id: int) -> bool:
        with self._db.read() as session:
            return bool(
                session.scalar(
                    select(BoardSettingsRow.named_when_stretched).where(
                        BoardSettingsRow.member_id == member_id
                    )
                )
            )

    # --- leaving --------------------------------------------------------------------------------

    @staticmethod
    def forget(session: Session, member_id: int) -> None:
        """A member leaves (inside the registry transaction that forgets them): their posts
        go, with every answer and thank-you on them, and so do their answers not accepted;
        an accepted answer of theirs stays with its author, no longer naming them."""
        session.execute(delete(BoardPostRow).where(BoardPostRow.author_id == member_id))
        session.execute(
            delete(BoardAnswerRow).where(
                BoardAnswerRow.member_id == member_id, BoardAnswerRow.state != "accepted"
            )
        )
        session.execute(
            update(BoardAnswerRow)
            .where(BoardAnswerRow.member_id == member_id)
            .values(member_id=None)
        )
        session.execute(delete(BoardSettingsRow).where(BoardSettingsRow.member_id == member_id))

    # --- rules --------------------------------------------------------------------------------

    def _expiry(self, expires: str | date | None) -> date:
        today = self._today()
        if expires is None:
            return today + timedelta(days=POST_DAYS)
        day = (
            expires if isinstance(expires, date) else parse_due_date(str(expires), today, "expires")
        )
        if day < today or day > today + timedelta(days=MAX_POST_DAYS):
            raise InvalidInput(
                f"a post expires within {MAX_POST_DAYS} days from today, not on {day:%Y-%m-%d}",
                field="expires",
                value=day.isoformat(),
            )
        return day

    def _unexpired(self, row: BoardPostRow) -> None:
        if row.expires_on < self._today():
            raise Conflict(
                f"this {row.kind} expired on {row.expires_on:%Y-%m-%d}",
                field="post",
                value=row.id,
            )

    def _visible(
        self, session: Session, member_id: int, post_id: int, lock: bool = False
    ) -> BoardPostRow:
        """A post the member may see: their own; one they answered; an open, unexpired one
        of a current member. Any other is "not found", as an id that never existed."""
        _active(session, member_id)
        _valid_id(post_id, "post")
        answered = select(BoardAnswerRow.post_id).where(BoardAnswerRow.member_id == member_id)
        query = (
            select(BoardPostRow)
            .join(MemberRow, MemberRow.id == BoardPostRow.author_id)
            .where(
                BoardPostRow.id == post_id,
                or_(
                    BoardPostRow.author_id == member_id,
                    BoardPostRow.id.in_(answered),
                    (BoardPostRow.state == "open")
                    & (BoardPostRow.expires_on >= self._today())
                    & MemberRow.left_at.is_(None),
                ),
            )
        )
        row = session.scalars(query.with_for_update(of=BoardPostRow) if lock else query).first()
        if row is None:
            raise NotFound(f"no post with id {post_id}", field="post", value=post_id)
        return row

    def _own(self, session: Session, member_id: int, post_id: int) -> BoardPostRow:
        """The member's own post, locked for the change that follows."""
        _active(session, member_id)
        _valid_id(post_id, "post")
        row = session.scalars(
            select(BoardPostRow)
            .where(BoardPostRow.id == post_id, BoardPostRow.author_id == member_id)
            .with_for_update()
        ).first()
        if row is None:
            # Someone else's post the member may see is not theirs to change; one they may
            # not see is not found either way.
            raise NotFound(f"no post of yours with id {post_id}", field="post", value=post_id)
        return row

    @staticmethod
    def _answer(
        session: Session, member_id: int, answer_id: int, lock: bool = False
    ) -> BoardAnswerRow:
        """An answer the member wrote, or one to the member's own post."""
        _active(session, member_id)
        _valid_id(answer_id, "answer")
        query = (
            select(BoardAnswerRow)
            .join(BoardPostRow, BoardPostRow.id == BoardAnswerRow.post_id)
            .where(
                BoardAnswerRow.id == answer_id,
                or_(BoardAnswerRow.member_id == member_id, BoardPostRow.author_id == member_id),
            )
        )
        row = session.scalars(query.with_for_update(of=BoardAnswerRow) if lock else query).first()
        if row is None:
            raise NotFound(f"no answer with id {answer_id}", field="answer", value=answer_id)
        return row

    def _seen(self, session: Session, row: BoardPostRow, member_id: int) -> BoardPost:
        """The post as ``member_id`` may see it."""
        return self._seen_all(session, [row], member_id)[0]

    @staticmethod
    def _seen_all(
        session: Session, rows: Sequence[BoardPostRow], member_id: int
    ) -> list[BoardPost]:
        """The posts as ``member_id`` may see them, with four queries for the whole list."""
        if not rows:
            return []
        answers: dict[int, list[BoardAnswerRow]] = {row.id: [] for row in rows}
        for answer in session.scalars(
            select(BoardAnswerRow)
            .where(BoardAnswerRow.post_id.in_(list(answers)))
            .order_by(BoardAnswerRow.created_at, BoardAnswerRow.id)
        ):
            answers[answer.post_id].append(answer)
        shown = {
            row.id: [
                a for a in answers[row.id] if row.author_id == member_id or a.member_id == member_id
            ]
            for row in rows
        }
        every = [a for found in shown.values() for a in found]
        names = _names(session, [*(row.author_id for row in rows), *(a.member_id for a in every)])
        confirmations = [a.confirmation_id for a in every if a.confirmation_id]
        states = (
            dict(
                session.execute(
                    select(ConfirmationRow.id, ConfirmationRow.state).where(
                        ConfirmationRow.id.in_(confirmations)
                    )
                ).all()
            )
            if confirmations
            else {}
        )
        thanked = (
            set(
                session.scalars(
                    select(GratitudeRow.answer_id).where(
                        GratitudeRow.answer_id.in_([a.id for a in every])
                    )
                ).all()
            )
            if every
            else set()
        )
        made = []
        for row in rows:
            mine = row.author_id == member_id
            accepted_me = any(
                a.member_id == member_id and a.state == "accepted" for a in answers[row.id]
            )
            hidden = row.anonymous and not mine and not accepted_me
            made.append(
                BoardPost(
                    id=row.id,
                    kind=row.kind,
                    text=row.text,
                    tags=_tags(row.tags),
                    author=A_MEMBER if hidden else names[row.author_id],
                    mine=mine,
                    anonymous=row.anonymous,
                    state=row.state,
                    expires_on=row.expires_on,
                    version=row.version,
                    changed=row.changed,
                    created_at=row.created_at,
                    answer_count=sum(1 for a in answers[row.id] if a.state != "withdrawn"),
                    answers=tuple(
                        BoardAnswer(
                            id=a.id,
                            helper=names[a.member_id],
                            note=a.note,
                            state=a.state,
                            mine=a.member_id == member_id,
                            created_at=a.created_at,
                            confirmation_id=a.confirmation_id,
                            confirmation_state=states.get(a.confirmation_id or 0),
                            thanked=a.id in thanked,
                        )
                        for a in shown[row.id]
                    ),
                )
            )
        return made


def _names(session: Session, ids: Sequence[int | None]) -> dict[int | None, str]:
    wanted = {i for i in ids if i is not None}
    found: dict[int | None, str] = {None: FORMER_MEMBER}
    if wanted:
        for number, name, left in session.execute(
            select(MemberRow.id, MemberRow.display_name, MemberRow.left_at).where(
                MemberRow.id.in_(wanted)
            )
        ):
            found[number] = FORMER_MEMBER if left is not None else name
    return found


def _active(session: Session, member_id: int, field: str = "member") -> MemberRow:
    row = session.get(MemberRow, member_id) if isinstance(member_id, int) else None
    if row is None or row.left_at is not None:
        raise NotFound(f"no member with id {member_id}", field=field, value=member_id)
    return row


def _compared(post: BoardPost) -> PostText:
    """What of a post is compared: its text and tags, as an ask or an offer."""
    from mutuality.services.board_matching import PostText

    return PostText(post.id, post.kind == "ask", post.text, post.tags)


def _tags(stored: str) -> tuple[str, ...]:
    """A post's tags as stored (comma-separated), as a tuple."""
    return tuple(t for t in stored.split(",") if t)


def _valid_id(value: int, field: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value < 2**31:
        raise NotFound(f"no {field} with id {value}", field=field, value=value)


def _current(row: BoardPostRow, version: int) -> None:
    """Refuse a change made against an older version of the post, saying what changed."""
    if version != row.version:
        raise Conflict(
            f"this {row.kind} changed since you read it (version {version}, now "
            f"{row.version}): {row.changed}; read it again and retry",
            field="version",
            value=version,
        )


def _open(row: BoardPostRow) -> None:
    if row.state != "open":
        raise Conflict(f"this {row.kind} is {row.state}", field="post", value=row.id)


def _bump(row: BoardPostRow, changed: str) -> None:
    row.version += 1
    row.changed = changed[:200]


def _owner_id(ledger: Mutuality) -> int:
    with ledger.database.read() as session:
        return ledger.people.owner_id(session)


def _paused(ledger: Mutuality, today: date) -> str | None:
    """Why suggestions wait for the member, from their own ledger: a busy period they
    noted about themselves, or a giving budget at risk or over."""
    with ledger.database.read() as session:
        owner = ledger.people.owner_id(session)
        busy = [
            state
            for state in ledger.needs.current_states(session)
            if state.person_id == owner and state.kind is StateKind.BUSY
        ]
        if busy:
            ends = [state.ends_on for state in busy if state.ends_on is not None]
            until = f" until {max(ends):%Y-%m-%d}" if len(ends) == len(busy) else ""
            return f"you noted you are busy{until}: no asks are suggested to you until then"
        if ledger.capacity.strained(session):
            return (
                "your giving budget for this period is stretched: no asks are suggested to "
                "you until it has room"
            )
    return None


def median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def top_tenth_share(counts: Sequence[int]) -> float | None:
    """The share of all help given by the top tenth of helpers (at least one helper)."""
    total = sum(counts)
    if not total:
        return None
    top = math.ceil(len(counts) / 10)
    return sum(sorted(counts, reverse=True)[:top]) / total
