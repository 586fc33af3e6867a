"""Matching needs to offers across the network: the I/O around the pure pipeline of
:mod:`mutuality.core.matching`.

One read loads the open, unexpired needs and offers, my ties (from relationship health),
each helper's free capacity (busy periods, introductions they are already asked for, and,
for me, my giving budget), fairness history and the pairs never to propose again
(declined or already introduced); then the pipeline scores candidates and chooses a
capacity-respecting plan, and the chosen matches are explained in words.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TypeVar

import numpy as np
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from mutuality.core.errors import InvalidInput
from mutuality.core.health import Status
from mutuality.core.introductions import OPEN_STATUSES
from mutuality.core.matching.explain import Explanation, explain
from mutuality.core.matching.pipeline import STATUS_TIE, Plan, candidates, run, tie_strength
from mutuality.core.matching.scoring import PeopleFacts, Question, Scored, pair_keys
from mutuality.core.matching.semantic import SemanticUnavailable
from mutuality.core.matching.vectors import Lexical, Vectors
from mutuality.core.matching.weights import Weights
from mutuality.core.needs import StateKind, Wish
from mutuality.core.why import RelationshipHealth
from mutuality.services.capacity import CapacityService
from mutuality.services.context import ServiceContext, WithPeople
from mutuality.services.health.service import HealthService
from mutuality.services.matching.embeddings import EmbeddingStore, configured_encoder
from mutuality.services.matching.results import listed
from mutuality.services.matching.runs import MatchRuns
from mutuality.services.needs import NeedService, WishRow, wish_record
from mutuality.services.people import PeopleService
from mutuality.services.person_names import person_names
from mutuality.store.tables import IntroductionRow, NeedRow, OfferRow

log = logging.getLogger(__name__)
T = TypeVar("T")

METHODS = ("auto", "lexical", "semantic")
"""``auto``: semantic when its model loads here (the default install has it), else lexical."""
FAIRNESS_HALF_LIFE_DAYS = 90
"""An ask to help counts fully today, half after 90 days: recent generosity weighs most."""
MAX_SUGGESTIONS = 500
"""The most matches per question the web's suggestions keep (and page through)."""


@dataclass(frozen=True, slots=True)
class Match:
    question: Question
    seeker_id: int
    seeker: str
    helper_id: int
    helper: str
    need: Wish
    offer: Wish
    similarity: float
    tie: float
    score: float
    reverse_need: Wish | None
    reverse_offer: Wish | None
    explanation: Explanation


@dataclass(frozen=True, slots=True)
class MatchReport:
    method: str
    needs: int
    offers: int
    candidates: int
    scored: int
    chosen: int
    help_me: list[Match]
    i_help: list[Match]
    introductions: list[Match]
    notes: list[str]


@dataclass(frozen=True, slots=True)
class Loaded:
    needs: list[Wish]
    offers: list[Wish]
    names: dict[int, str]


@dataclass(frozen=True, slots=True)
class MatchingInputs:
    """What a plan is made from, read in one transaction (:meth:`MatchingService.inputs`)."""

    loaded: Loaded
    owner: int
    facts: PeopleFacts
    excluded: np.ndarray
    """Pair keys never proposed again (declined, introduced, being introduced)."""
    notes: tuple[str, ...]
    strained: bool
    """My capacity is at risk or over: my offers are left out."""

    def plan_arguments(self) -> tuple[np.ndarray, np.ndarray, int, PeopleFacts, np.ndarray]:
        """The arguments of :func:`~mutuality.core.matching.pipeline.run` after the
        candidates: each need's and offer's person, the owner, the facts, the excluded pairs."""
        return (
            np.array([w.person_id for w in self.loaded.needs], dtype=np.int64),
            np.array([w.person_id for w in self.loaded.offers], dtype=np.int64),
            self.owner,
            self.facts,
            self.excluded,
        )


@dataclass(frozen=True, slots=True)
class PairMatch:
    """The best match between two people, with the method that found it."""

    match: Match
    method: str
    """``semantic`` (by meaning) or ``lexical`` (by shared words)."""
    notes: tuple[str, ...]
    """Why the words were used instead of the meaning, where they were."""


def auto(by_meaning: Callable[[], T], by_words: Callable[[], T], notes: list[str]) -> tuple[str, T]:
    """The ``auto`` method: ``semantic`` (``by_meaning``) when the model loads here, else
    ``lexical`` (``by_words``) with a note why added to ``notes``; the method and its result."""
    try:
        return "semantic", by_meaning()
    except SemanticUnavailable as error:
        notes.append(f"matched by shared words only: {error}")
        return "lexical", by_words()


def wish_texts(wishes: list[Wish]) -> list[str]:
    """What is compared: the text with its tags (a tag is a strong hint)."""
    return [" ".join([w.text, *w.tags]) for w in wishes]


class MatchingService(WithPeople):
    def __init__(
        self,
        context: ServiceContext,
        people: PeopleService,
        needs: NeedService,
        health: HealthService,
        capacity: CapacityService,
    ) -> None:
        super().__init__(context, people)
        self._needs = needs
        self._health = health
        self._capacity = capacity
        self.weights = context.settings.matching
        self.embeddings = EmbeddingStore(
            context.database, configured_encoder(self.weights.model), now=context.now
        )
        self.runs = MatchRuns(context.database, now=context.now)
        """Saved organisation-scale runs (``match --cluster --save``)."""
        self._cache_key = object()
        """This service's part of the database's cache (another may hold other settings)."""

    # --- the three questions -----------------------------------------------------------------

    def match(
        self,
        method: str = "lexical",
        *,
        limit: int = 10,
        approximate: bool | None = None,
        assignment: str = "exact",
    ) -> MatchReport:
        """Who can help me, whom I can help, and which introductions would help: the best
        ``limit`` of each from one capacity-respecting plan. ``approximate=False`` makes a
        large semantic search exact (slower; the reference)."""
        if method not in METHODS:
            raise InvalidInput(
                f"method {method!r}: use auto, lexical or semantic", field="method", value=method
            )
        if limit < 1:
            raise InvalidInput(f"limit must be at least 1, got {limit}", field="limit", value=limit)
        given = self.inputs()
        loaded, notes = given.loaded, list(given.notes)
        if not loaded.needs or not loaded.offers:
            return MatchReport(
                method,
                len(loaded.needs),
                len(loaded.offers),
                0,
                0,
                0,
                [],
                [],
                [],
                [*notes, "nothing to match: record open needs and offers first"],
            )
        if method == "auto":
            method, (need_vectors, offer_vectors) = self._auto_vectors(loaded, notes)
        else:
            need_vectors, offer_vectors = self._vectors(method, loaded)
        # Semantic search from 20,000 offers scans compressed vectors and re-ranks the best
        # exactly unless told otherwise: 10 to 22 times faster than the exact search at 100k
        # x 100k, recall@10 0.96 to 0.99 (benchmarks/README.md). Fewer are searched exactly.
        approximate = method == "semantic" and approximate is not False
        weights = self.weights_for(method)
        indices, sims = candidates(need_vectors, offer_vectors, weights, approximate=approximate)
        plan = run(indices, sims, *given.plan_arguments(), weights, assignment=assignment)
        # the notes of the vectors (why the words were used, where they were) go with it
        return self.report(method, replace(given, notes=tuple(notes)), plan, limit)

    def weights_for(self, method: str) -> Weights:
        """The weights a method plans with: cosines of embeddings (semantic) have a minimum
        similarity of their own."""
        if method == "semantic":
            return replace(self.weights, min_similarity=self.weights.min_meaning)
        return self.weights

    def inputs(self) -> MatchingInputs:
        """What a plan is made from, in one read: the open needs and offers, the people's
        facts (ties, free capacity, fairness, busy periods) and the pairs never proposed
        again. :meth:`match` plans from it; so does the organisation-scale path
        (:mod:`.cluster`), which computes the vectors and the candidates elsewhere."""
        health = {item.person.id: item.health for item in self._health.relationships()}
        with self._db.read() as session:
            owner = self._people.owner_id(session)
            loaded = self._load(session)
            facts, notes = self._facts(session, loaded, owner, health)
            excluded = self._excluded_pairs(session)
            strained = self._capacity.measure(session).strained
        return MatchingInputs(loaded, owner, facts, excluded, tuple(notes), strained)

    def report(self, method: str, given: MatchingInputs, plan: Plan, limit: int) -> MatchReport:
        """The report of ``plan`` (made from ``given``): the best ``limit`` matches of each
        question, explained, two-way matches first, then by score."""
        notes = list(given.notes)
        if given.strained:
            notes.append("your capacity is at risk or over: your offers are left out for now")
        groups: dict[Question, list[Match]] = {q: [] for q in Question}
        scored = plan.scored
        for edge in listed(scored, plan.chosen):
            question = Question(int(scored.question[edge]))
            if len(groups[question]) < limit:
                groups[question].append(
                    self._match(given.loaded, scored, edge, semantic=method == "semantic")
                )
        return MatchReport(
            method,
            len(given.loaded.needs),
            len(given.loaded.offers),
            plan.candidates,
            len(scored),
            int(plan.chosen.sum()),
            groups[Question.HELP_ME],
            groups[Question.I_HELP],
            groups[Question.INTRODUCE],
            notes,
        )

    def suggestions(self) -> MatchReport:
        """The report of ``match``'s default method (``auto``: by meaning when the model
        loads, else by shared words with a note why) with up to :data:`MAX_SUGGESTIONS` per
        question, computed once per change to the ledger (and per day): a page of
        suggestions is a slice of it, so paging and reloading never run the whole pipeline
        again. The work is the pipeline's, bounded as :meth:`match` bounds it (the best
        candidates per need, a capacity-respecting plan); only the explanations grow with
        the limit. Texts are embedded as they are saved (:meth:`embed_saved`); any still
        missing are embedded here, once, and stored."""
        return self._db.cached(
            ("matching.suggestions", self._cache_key, self._today()),
            lambda: self.match("auto", limit=MAX_SUGGESTIONS),
        )

    def best_pair(self, session: Session, a_id: int, b_id: int) -> PairMatch | None:
        """The best reason to introduce A and B, from their open needs and offers (A's need
        met by B's offer, else the other way round; A is then the seeker), compared as
        ``match`` compares them by default: by meaning when the model loads here (only
        their texts are embedded, each once), else by shared words, with a note why."""
        loaded = self._load(session)
        mine = [i for i, w in enumerate(loaded.needs) if w.person_id in (a_id, b_id)]
        theirs = [i for i, w in enumerate(loaded.offers) if w.person_id in (a_id, b_id)]
        if not mine or not theirs:
            return None
        notes: list[str] = []

        def by_meaning() -> tuple[np.ndarray, float]:
            need_vectors, offer_vectors = self.embeddings.vectors(
                [loaded.needs[n] for n in mine], [loaded.offers[o] for o in theirs]
            )
            return need_vectors @ offer_vectors.T, self.weights.min_meaning

        def by_words() -> tuple[np.ndarray, float]:
            all_needs, all_offers = Lexical().vectors(
                wish_texts(loaded.needs), wish_texts(loaded.offers)
            )
            sims = np.asarray((all_needs[mine] @ all_offers[theirs].T).todense())
            return sims, self.weights.min_similarity

        method, (sims, least) = auto(by_meaning, by_words, notes)
        best: tuple[bool, float, int, int] | None = None
        for r, n in enumerate(mine):
            for c, o in enumerate(theirs):
                if loaded.needs[n].person_id == loaded.offers[o].person_id:
                    continue
                # A (named first: the one who needs help, usually) is the seeker where one
                # of A's needs meets one of B's offers; the other way round only if none does
                key = (loaded.needs[n].person_id == a_id, float(sims[r, c]))
                if sims[r, c] >= least and (best is None or key > best[:2]):
                    best = (*key, n, o)
        if best is None:
            return None
        _, similarity, n, o = best
        need, offer = loaded.needs[n], loaded.offers[o]
        reverse = None
        for r, rn in enumerate(mine):
            for c, ro in enumerate(theirs):
                if (
                    loaded.needs[rn].person_id == offer.person_id
                    and loaded.offers[ro].person_id == need.person_id
                    and sims[r, c] >= least
                    and (reverse is None or sims[r, c] > reverse[0])
                ):
                    reverse = (float(sims[r, c]), rn, ro)
        names = loaded.names
        back = (loaded.needs[reverse[1]], loaded.offers[reverse[2]]) if reverse else None
        words = explain(
            Question.INTRODUCE,
            names[need.person_id],
            names[offer.person_id],
            need.text,
            offer.text,
            (back[0].text, back[1].text) if back else None,
            semantic=method == "semantic",
            similarity=similarity,
        )
        match = Match(
            Question.INTRODUCE,
            need.person_id,
            names[need.person_id],
            offer.person_id,
            names[offer.person_id],
            need,
            offer,
            similarity,
            0.0,
            similarity,
            back[0] if back else None,
            back[1] if back else None,
            words,
        )
        return PairMatch(match, method, tuple(notes))

    # --- embedding as texts are saved ----------------------------------------------------------

    def embed_saved(self, wishes: Sequence[Wish]) -> bool:
        """Embed just-saved needs or offers so that no page view has to: best effort, since a
        saved text must never be lost to its embedding. Where the model cannot load or the
        embedding fails, nothing is stored and the text is embedded on first use (the next
        ``match``, the Matches page, ``match embed``). True when they were embedded."""
        try:
            self.embeddings.embed(wishes)
        except Exception as error:  # the write stands whatever the model does
            log.info("embedding left for later: %s", error)
            return False
        return True

    # --- loading -----------------------------------------------------------------------------

    def _load(self, session: Session) -> Loaded:
        today = self._today()
        found: list[list[Wish]] = []
        tables: tuple[type[NeedRow] | type[OfferRow], ...] = (NeedRow, OfferRow)
        for table in tables:
            query: Select[WishRow] = select(table)
            rows = session.scalars(
                query.where(
                    table.status == "open",
                    (table.expires_on.is_(None)) | (table.expires_on >= today),
                ).order_by(table.id)
            )
            found.append([wish_record(row) for row in rows])
        people = {w.person_id for group in found for w in group}
        return Loaded(found[0], found[1], person_names(session, people))

    def _vectors(self, method: str, loaded: Loaded) -> tuple[Vectors, Vectors]:
        if method == "lexical":
            return Lexical().vectors(wish_texts(loaded.needs), wish_texts(loaded.offers))
        return self.embeddings.vectors(loaded.needs, loaded.offers)

    def _auto_vectors(
        self, loaded: Loaded, notes: list[str]
    ) -> tuple[str, tuple[Vectors, Vectors]]:
        """Semantic vectors when the model loads here; else lexical ones, with a note why."""
        return auto(
            lambda: self._vectors("semantic", loaded),
            lambda: self._vectors("lexical", loaded),
            notes,
        )

    def _facts(
        self, session: Session, loaded: Loaded, owner: int, health: dict[int, RelationshipHealth]
    ) -> tuple[PeopleFacts, list[str]]:
        ids = np.unique(
            np.array([w.person_id for w in loaded.needs + loaded.offers] + [owner], dtype=np.int64)
        )
        given = np.zeros(len(ids))
        received = np.zeros(len(ids))
        status_weight = np.full(len(ids), STATUS_TIE[Status.QUIET])
        for row, person in enumerate(ids.tolist()):
            item = health.get(person)
            if item is not None:
                given[row], received[row] = item.given, item.received
                status_weight[row] = STATUS_TIE[item.status]
        tie = tie_strength(given, received, status_weight)
        tie[ids == owner] = 1.0

        challenge = np.zeros(len(ids), dtype=bool)
        busy = np.zeros(len(ids), dtype=bool)
        busy_names = set()
        for state in self._needs.current_states(session):
            at = np.searchsorted(ids, state.person_id)
            if at < len(ids) and ids[at] == state.person_id:
                if state.kind is StateKind.BUSY:
                    busy[at] = True
                    busy_names.add(loaded.names.get(state.person_id, "someone"))
                else:
                    challenge[at] = True

        open_asks = np.zeros(len(ids), dtype=np.int64)
        asked = np.zeros(len(ids))
        now = datetime.combine(self._today(), datetime.min.time())
        for helper, status, created in session.execute(
            select(IntroductionRow.b_id, IntroductionRow.status, IntroductionRow.created_at)
        ):
            at = np.searchsorted(ids, helper)
            if at >= len(ids) or ids[at] != helper:
                continue
            if status in OPEN_STATUSES:
                open_asks[at] += 1
            age = max((now - created).days, 0)
            asked[at] += math.pow(0.5, age / FAIRNESS_HALF_LIFE_DAYS)
        free = np.maximum(self.weights.helper_slots - open_asks, 0)
        owner_row = np.searchsorted(ids, owner)
        strained = self._capacity.measure(session).strained
        free[owner_row] = 0 if strained else self.weights.owner_slots
        free[busy] = 0
        notes = [f"{name} is in a busy period: left out for now" for name in sorted(busy_names)]
        return PeopleFacts(ids, tie, free, asked, challenge, busy), notes

    @staticmethod
    def _excluded_pairs(session: Session) -> np.ndarray:
        """Pairs introduced, being introduced, or declined (either order): never proposed
        again. Withdrawn ones may come back."""
        rows = session.execute(
            select(IntroductionRow.a_id, IntroductionRow.b_id).where(
                IntroductionRow.status != "withdrawn"
            )
        ).all()
        if not rows:
            return np.zeros(0, dtype=np.int64)
        a = np.array([r[0] for r in rows], dtype=np.int64)
        b = np.array([r[1] for r in rows], dtype=np.int64)
        return np.unique(np.concatenate([pair_keys(a, b), pair_keys(b, a)]))

    def _match(self, loaded: Loaded, s: Scored, edge: int, *, semantic: bool = False) -> Match:
        need = loaded.needs[int(s.need[edge])]
        offer = loaded.offers[int(s.offer[edge])]
        reverse_need = reverse_offer = None
        if s.reverse_need[edge] >= 0:
            reverse_need = loaded.needs[int(s.reverse_need[edge])]
            reverse_offer = loaded.offers[int(s.reverse_offer[edge])]
        question = Question(int(s.question[edge]))
        seeker, helper = loaded.names[need.person_id], loaded.names[offer.person_id]
        words = explain(
            question,
            seeker,
            helper,
            need.text,
            offer.text,
            (reverse_need.text, reverse_offer.text) if reverse_need and reverse_offer else None,
            semantic=semantic,
            similarity=float(s.similarity[edge]),
        )
        return Match(
            question,
            need.person_id,
            seeker,
            offer.person_id,
            helper,
            need,
            offer,
            float(s.similarity[edge]),
            float(s.tie[edge]),
            float(s.score[edge]),
            reverse_need,
            reverse_offer,
            words,
        )
