"""A synthetic relationship network, streamed in chunks, for benchmarks and tests.

The model, all of it drawn from one seed (the same arguments give the same network):

* **People.** Person ``0`` is the ledger's owner; persons ``1..people-1`` are everyone
  else, with unique, plausible names (:meth:`SyntheticNetwork.names`).
* **Activity** follows a power law: each person's weight is Pareto-distributed
  (``alpha`` 1.3, capped at 1000 times the least active), so a few people take part in
  a large share of the exchanges and most people in a handful. Both sides of an
  exchange are drawn in proportion to activity.
* **Communities** are contiguous index ranges of random sizes (about ``community_size``
  people on average). The partner of an exchange comes from the initiator's community
  with probability ``within_community``, otherwise from the whole network.
* **Styles**, after Adam Grant's *Give and Take*: about 25% givers, 56% matchers and 19%
  takers. Who gives is decided by the two giving propensities (giver 0.75, matcher 0.5,
  taker 0.25) as in a Bradley-Terry contest, so givers mostly give and takers mostly
  receive. A giver's gifts are worth more (benefit x1.25) and cost them more (x1.1); a
  taker's gifts are small (benefit x0.75) and cheap (cost x0.7).
* **Kinds** come from a fixed mix of :class:`~mutuality.core.model.ExchangeKind`; benefit
  and cost start from the kind's defaults (:data:`mutuality.core.scale.KIND_DEFAULTS`),
  get log-normal noise and the giver's style factor, and are clipped to the 0..10 scale
  and rounded to one decimal. Exchanges estimated by ``default`` keep the defaults.
* **Dates** lie within ``years`` before ``today`` (never after), denser in recent months.
* **The owner** is one side of a share ``owner_share`` of the exchanges (the owner is a
  matcher); every other exchange is between two other people.

Exchanges are produced as :class:`ExchangeChunk` columns of person *indices*; the caller
maps indices to database ids (``ids[index]``) with :meth:`SyntheticNetwork.exchanges`,
which yields :class:`~mutuality.core.model.NewExchange` values lazily. Only one chunk
(``chunk_size`` exchanges) is in memory at a time, plus a few arrays per person.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from mutuality.core.model import Estimator, ExchangeKind, NewExchange
from mutuality.core.scale import KIND_DEFAULTS, SCALE_MAX

OWNER = 0
"""The owner's index in every synthetic network."""


class Style(StrEnum):
    GIVER = "giver"
    MATCHER = "matcher"
    TAKER = "taker"


STYLES: tuple[Style, ...] = (Style.GIVER, Style.MATCHER, Style.TAKER)
STYLE_SHARE = np.array([0.25, 0.56, 0.19])
GIVING_PROPENSITY = np.array([0.75, 0.5, 0.25])
STYLE_BENEFIT = np.array([1.25, 1.0, 0.75])
STYLE_COST = np.array([1.1, 1.0, 0.7])

KIND_MIX: dict[ExchangeKind, float] = {
    ExchangeKind.TIME: 0.15,
    ExchangeKind.KNOWLEDGE: 0.20,
    ExchangeKind.INTRODUCTION: 0.07,
    ExchangeKind.REFERRAL: 0.04,
    ExchangeKind.FEEDBACK: 0.10,
    ExchangeKind.SUPPORT: 0.12,
    ExchangeKind.RESOURCE: 0.06,
    ExchangeKind.OPPORTUNITY: 0.03,
    ExchangeKind.APPRECIATION: 0.15,
    ExchangeKind.MONEY: 0.03,
    ExchangeKind.OTHER: 0.05,
}
KINDS: tuple[ExchangeKind, ...] = tuple(KIND_MIX)
PHRASES: dict[ExchangeKind, tuple[str, str, str]] = {
    ExchangeKind.TIME: ("coffee and a long talk", "helped move house", "an hour on a call"),
    ExchangeKind.KNOWLEDGE: (
        "explained the tax rules",
        "reviewed the pitch deck",
        "walked through the codebase",
    ),
    ExchangeKind.INTRODUCTION: (
        "introduced to an investor",
        "introduced to a designer",
        "introduced to a neighbour",
    ),
    ExchangeKind.REFERRAL: ("referred for a job", "referred a client", "referred to a doctor"),
    ExchangeKind.FEEDBACK: ("feedback on a draft", "notes on a talk", "critique of a portfolio"),
    ExchangeKind.SUPPORT: ("listened after bad news", "cheered on a race", "visited in hospital"),
    ExchangeKind.RESOURCE: ("lent a drill", "shared a flat for a week", "lent a car"),
    ExchangeKind.OPPORTUNITY: ("invited to speak", "offered a project", "a seat at a workshop"),
    ExchangeKind.APPRECIATION: ("a warm thank-you note", "public shout-out", "sent flowers"),
    ExchangeKind.MONEY: ("a small loan", "paid for dinner", "chipped in for a gift"),
    ExchangeKind.OTHER: ("watered the plants", "fed the cat", "picked up a parcel"),
}
ESTIMATORS: tuple[Estimator, ...] = (
    Estimator.ME,
    Estimator.THEM,
    Estimator.BOTH,
    Estimator.DEFAULT,
)
ESTIMATOR_SHARE = np.array([0.6, 0.1, 0.15, 0.15])

FIRST_NAMES = (
    "Ana",
    "Bruno",
    "Carla",
    "Diego",
    "Elena",
    "Farid",
    "Greta",
    "Hugo",
    "Inês",
    "Jonas",
    "Kenji",
    "Lena",
    "Marco",
    "Nadia",
    "Omar",
    "Priya",
    "Quentin",
    "Rosa",
    "Sven",
    "Tariq",
    "Uma",
    "Viktor",
    "Wen",
    "Xenia",
    "Yusuf",
    "Zora",
    "Amara",
    "Björn",
    "Chiara",
    "Dmitri",
    "Esme",
    "Felix",
    "Gloria",
    "Hamid",
    "Ingrid",
    "Jamal",
    "Katya",
    "Luis",
    "Maya",
    "Nils",
    "Olga",
    "Pedro",
    "Rania",
    "Stefan",
    "Tomás",
    "Ulla",
    "Vera",
    "Walter",
    "Yara",
    "Zeynep",
    "Aiko",
    "Bilal",
    "Cora",
    "Dario",
    "Eitan",
    "Fatima",
    "Gustav",
    "Hana",
    "Ivo",
    "Jude",
    "Kofi",
    "Lior",
    "Mirela",
    "Noor",
)
LAST_NAMES = (
    "Lima",
    "Novak",
    "Okafor",
    "Rossi",
    "Tanaka",
    "Silva",
    "Müller",
    "Haddad",
    "Kowalski",
    "Nguyen",
    "Petrov",
    "Andersen",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "García",
    "Horvat",
    "Ivanova",
    "Jensen",
    "Kim",
    "Larsen",
    "Moreau",
    "Nakamura",
    "Olsen",
    "Park",
    "Quispe",
    "Romero",
    "Sato",
    "Torres",
    "Ueda",
    "Varga",
    "Wagner",
    "Xu",
    "Yilmaz",
    "Zhang",
    "Abbas",
    "Berg",
    "Chen",
    "Dias",
    "Ferreira",
    "Grant",
    "Hoffmann",
    "Ito",
    "Jovanović",
    "Kaya",
    "Lopes",
    "Mendes",
    "Nowak",
    "Ortiz",
    "Pereira",
    "Ramos",
    "Santos",
    "Teixeira",
    "Vidal",
    "Weber",
    "Young",
    "Zimmer",
    "Bauer",
    "Cruz",
    "Duarte",
    "Engel",
    "Fontaine",
    "Gomes",
)
CITIES = (
    "Lisbon",
    "Porto",
    "Berlin",
    "Lagos",
    "Kyoto",
    "Oslo",
    "Lyon",
    "Turin",
    "Austin",
    "Quito",
    "Seoul",
    "Cairo",
    "Leeds",
    "Bergen",
    "Gdansk",
    "Hanoi",
    "Izmir",
    "Perth",
    "Cork",
    "Bonn",
    "Nantes",
    "Malmö",
    "Graz",
    "Split",
    "Cusco",
    "Accra",
    "Osaka",
    "Lille",
    "Basel",
    "Tartu",
    "Braga",
    "Ghent",
)


def person_name(index: int, people: int) -> str:
    """The name of person ``index`` (1..people-1): unique within the network, never the owner's.

    A stride coprime to ``people - 1`` spreads the plain names and the qualified ones
    (``"Ana Lima (Porto)"``, then ``"Ana Lima (Porto 2)"``) over the whole index range.
    """
    span = max(people - 1, 1)
    stride = 7919
    while math.gcd(stride, span) != 1:
        stride += 2
    j = ((index - 1) * stride) % span
    bases = len(FIRST_NAMES) * len(LAST_NAMES)
    base, qualifier = j % bases, j // bases
    first = base % len(FIRST_NAMES)
    last = (base // len(FIRST_NAMES) + 7 * first) % len(LAST_NAMES)
    name = f"{FIRST_NAMES[first]} {LAST_NAMES[last]}"
    if qualifier == 0:
        return name
    city, repeat = CITIES[(qualifier - 1) % len(CITIES)], (qualifier - 1) // len(CITIES)
    return f"{name} ({city})" if repeat == 0 else f"{name} ({city} {repeat + 1})"


@dataclass(frozen=True, slots=True)
class ExchangeChunk:
    """A chunk of exchanges as columns; people are network indices, not database ids."""

    giver: NDArray[np.int64]
    receiver: NDArray[np.int64]
    kind: NDArray[np.int64]
    """Index into :data:`KINDS`."""
    phrase: NDArray[np.int64]
    """Index into the kind's :data:`PHRASES`."""
    age_days: NDArray[np.int64]
    """Days before ``today``: 0 is today, never negative."""
    benefit: NDArray[np.float64]
    cost: NDArray[np.float64]
    estimator: NDArray[np.int64]
    """Index into :data:`ESTIMATORS`."""

    def __len__(self) -> int:
        return len(self.giver)


class SyntheticNetwork:
    """The people of a synthetic network and a stream of their exchanges (see module doc)."""

    def __init__(
        self,
        people: int,
        exchanges_per_person: int = 10,
        *,
        seed: int = 0,
        today: date,
        years: float = 3.0,
        owner_share: float = 0.05,
        community_size: int = 150,
        within_community: float = 0.85,
        chunk_size: int = 100_000,
    ) -> None:
        if people < 3:
            raise ValueError("a synthetic network needs at least 3 people")
        if exchanges_per_person < 0 or years <= 0 or chunk_size < 1:
            raise ValueError("exchanges_per_person, years and chunk_size must be positive")
        if not 0 <= owner_share <= 1 or not 0 <= within_community <= 1:
            raise ValueError("owner_share and within_community are probabilities")
        self.people = people
        self.total = people * exchanges_per_person
        self.seed = seed
        self.today = today
        self.span_days = max(int(years * 365.25), 1)
        self.owner_share = owner_share
        self.within_community = within_community
        self.chunk_size = chunk_size

        rng = np.random.default_rng([seed, 0])
        self.style = rng.choice(len(STYLES), size=people, p=STYLE_SHARE).astype(np.int8)
        self.style[OWNER] = STYLES.index(Style.MATCHER)
        activity = np.minimum(rng.pareto(1.3, size=people) + 1.0, 1000.0)
        activity[OWNER] = 0.0  # the owner takes part only through owner_share
        self.activity = activity
        self._cumulative = np.concatenate(([0.0], np.cumsum(activity)))
        communities = min(max(round((people - 1) / community_size), 1), people - 2)
        cuts = np.sort(rng.choice(np.arange(2, people), size=communities - 1, replace=False))
        self.community_start = np.concatenate(([1], cuts)).astype(np.int64)
        self.community_end = np.concatenate((cuts, [people])).astype(np.int64)
        self.community = np.searchsorted(cuts, np.arange(people), side="right").astype(np.int32)

        self._kind_p = np.array([KIND_MIX[k] for k in KINDS])
        self._kind_benefit = np.array([KIND_DEFAULTS[k][0] for k in KINDS])
        self._kind_cost = np.array([KIND_DEFAULTS[k][1] for k in KINDS])

    def names(self) -> Iterator[str]:
        """The names of persons ``1..people-1`` in index order (the owner has its own)."""
        return (person_name(i, self.people) for i in range(1, self.people))

    def chunks(self) -> Iterator[ExchangeChunk]:
        """Every exchange, ``chunk_size`` at a time; chunk ``k`` depends only on the seed and k."""
        for number, start in enumerate(range(0, self.total, self.chunk_size)):
            yield self.chunk(number, min(self.chunk_size, self.total - start))

    def chunk(self, number: int, size: int) -> ExchangeChunk:
        rng = np.random.default_rng([self.seed, 1, number])
        actor = self._draw(rng, np.full(size, -1, dtype=np.int64))
        actor[rng.random(size) < self.owner_share] = OWNER
        within = rng.random(size) < self.within_community
        where = np.where(within, self.community[actor], -1)
        partner = self._draw(rng, where)
        for attempt in range(16):  # redraw self-exchanges, leaving the community at the end
            clash = np.flatnonzero(partner == actor)
            if clash.size == 0:
                break
            scope = where[clash] if attempt < 12 else np.full(clash.size, -1, dtype=np.int64)
            partner[clash] = self._draw(rng, scope)
        clash = partner == actor
        partner[clash] = actor[clash] % (self.people - 1) + 1

        pa = GIVING_PROPENSITY[self.style[actor]]
        pb = GIVING_PROPENSITY[self.style[partner]]
        actor_gives = rng.random(size) < pa * (1 - pb) / (pa * (1 - pb) + pb * (1 - pa))
        giver = np.where(actor_gives, actor, partner)
        receiver = np.where(actor_gives, partner, actor)

        kind = rng.choice(len(KINDS), size=size, p=self._kind_p)
        giver_style = self.style[giver]
        benefit = (
            self._kind_benefit[kind] * STYLE_BENEFIT[giver_style] * rng.lognormal(0.0, 0.45, size)
        )
        cost = self._kind_cost[kind] * STYLE_COST[giver_style] * rng.lognormal(0.0, 0.45, size)
        estimator = rng.choice(len(ESTIMATORS), size=size, p=ESTIMATOR_SHARE)
        default = estimator == ESTIMATORS.index(Estimator.DEFAULT)
        benefit = np.where(default, self._kind_benefit[kind], benefit)
        cost = np.where(default, self._kind_cost[kind], cost)
        age = np.minimum(
            (self.span_days * rng.random(size) ** 1.5).astype(np.int64), self.span_days - 1
        )
        return ExchangeChunk(
            giver=giver,
            receiver=receiver,
            kind=kind,
            phrase=rng.integers(0, 3, size),
            age_days=age,
            benefit=np.round(np.clip(benefit, 0.1, SCALE_MAX), 1),
            cost=np.round(np.clip(cost, 0.0, SCALE_MAX), 1),
            estimator=estimator,
        )

    def _draw(self, rng: np.random.Generator, community: NDArray[np.int64]) -> NDArray[np.int64]:
        """One person per entry, by activity: within ``community`` where it is >= 0, else
        from the whole network (never the owner, whose activity is zero)."""
        local = community >= 0
        where = np.maximum(community, 0)
        low = np.where(local, self._cumulative[self.community_start[where]], 0.0)
        high = np.where(local, self._cumulative[self.community_end[where]], self._cumulative[-1])
        point = low + rng.random(community.size) * (high - low)
        chosen = np.searchsorted(self._cumulative, point, side="right") - 1
        first = np.where(local, self.community_start[where], 1)
        last = np.where(local, self.community_end[where] - 1, self.people - 1)
        drawn: NDArray[np.int64] = np.clip(chosen, first, last)  # NumPy types clip as Any here
        return drawn

    def exchanges(self, ids: Sequence[int] | NDArray[np.int64]) -> Iterator[NewExchange]:
        """Every exchange as a :class:`NewExchange`, with person ``i`` mapped to ``ids[i]``."""
        id_map = np.asarray(ids, dtype=np.int64)
        if id_map.shape != (self.people,):
            raise ValueError(f"need {self.people} ids (owner first), got {id_map.shape}")
        kinds = np.array(KINDS, dtype=object)
        phrases = np.array([PHRASES[k] for k in KINDS], dtype=object)
        estimators = np.array(ESTIMATORS, dtype=object)
        days = np.array(
            [self.today - timedelta(days=d) for d in range(self.span_days)], dtype=object
        )
        for chunk in self.chunks():
            yield from map(
                NewExchange,
                id_map[chunk.giver].tolist(),
                id_map[chunk.receiver].tolist(),
                kinds[chunk.kind].tolist(),
                phrases[chunk.kind, chunk.phrase].tolist(),
                days[chunk.age_days].tolist(),
                chunk.benefit.tolist(),
                chunk.cost.tolist(),
                estimators[chunk.estimator].tolist(),
            )


def generate_network(
    people: int,
    exchanges_per_person: int = 10,
    *,
    seed: int = 0,
    today: date,
    years: float = 3.0,
    owner_share: float = 0.05,
    community_size: int = 150,
    within_community: float = 0.85,
    chunk_size: int = 100_000,
) -> SyntheticNetwork:
    """A synthetic network of ``people`` (owner included) and ``people * exchanges_per_person``
    exchanges over ``years`` before ``today``; see the module documentation for the model."""
    return SyntheticNetwork(
        people,
        exchanges_per_person,
        seed=seed,
        today=today,
        years=years,
        owner_share=owner_share,
        community_size=community_size,
        within_community=within_community,
        chunk_size=chunk_size,
    )
