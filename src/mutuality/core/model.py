"""The ledger's records as immutable values.

These are what the services return and what the pure passes (balances, later
health and matching) consume. They never touch the database: the store maps its
rows onto them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class ExchangeKind(StrEnum):
    """What flowed. Intangible kinds (knowledge, feedback, appreciation) count fully."""

    TIME = "time"
    KNOWLEDGE = "knowledge"
    INTRODUCTION = "introduction"
    REFERRAL = "referral"
    FEEDBACK = "feedback"
    SUPPORT = "support"
    RESOURCE = "resource"
    OPPORTUNITY = "opportunity"
    APPRECIATION = "appreciation"
    MONEY = "money"
    OTHER = "other"


class Estimator(StrEnum):
    """Who estimated an exchange's benefit and cost, so a figure can be weighed and explained."""

    ME = "me"
    THEM = "them"
    BOTH = "both"
    DEFAULT = "default"
    """No one: the kind's default values were used (see :mod:`mutuality.core.scale`)."""


class Who(StrEnum):
    """Who reached out, as I say it: me or them."""

    ME = "me"
    THEM = "them"


class Initiative(StrEnum):
    """Which side reached out first for an exchange: the giver offered, or the receiver asked."""

    GIVER = "giver"
    RECEIVER = "receiver"

    @staticmethod
    def of(who: Who, i_gave: bool) -> Initiative:
        """Who reached out as I say it (``me``, ``them``), for an exchange I gave
        (``i_gave``) or received, as the side of the exchange that did."""
        return Initiative.GIVER if (who is Who.ME) == i_gave else Initiative.RECEIVER

    def said_by_me(self, i_gave: bool) -> Who:
        """The other way round from :meth:`of`: who reached out, from my side."""
        return Who.ME if (self is Initiative.GIVER) == i_gave else Who.THEM


class RelationshipContext(StrEnum):
    """The kind of tie; later issues derive a default check-in cadence from it."""

    FRIEND = "friend"
    FAMILY = "family"
    PARTNER = "partner"
    COLLEAGUE = "colleague"
    CLIENT = "client"
    MENTOR = "mentor"
    MENTEE = "mentee"
    COLLABORATOR = "collaborator"
    ACQUAINTANCE = "acquaintance"
    OTHER = "other"


class Intent(StrEnum):
    """What a relationship is for; :mod:`mutuality.core.intent` says what each changes."""

    RECIPROCAL = "reciprocal"
    """Both sides give and gain over the long arc: the balance is judged."""
    CARE = "care"
    """I choose to give through a hard season (grief, illness, caregiving, a new baby)."""
    MENTORING = "mentoring"
    """One side teaches, both learn: the balance of logged gifts is not the point."""
    SERVICE = "service"
    """Pro bono, volunteering: giving is the purpose."""
    CLOSE = "close"
    """A partner or close family: not a ledger to balance, nor a tie to keep by logging."""


@dataclass(frozen=True, slots=True)
class Person:
    """Someone in the network. The owner of the ledger is a person too (``is_owner``)."""

    id: int
    name: str
    """The name as the user wrote it; matched forgivingly by :mod:`mutuality.core.names`."""
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    organisation: str | None = None
    title: str | None = None
    private_note: str | None = None
    """Never shown in shareable output, logs or other members' views."""
    is_owner: bool = False
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Relationship:
    """The tie between the owner and one person."""

    person_id: int
    context: RelationshipContext = RelationshipContext.OTHER
    started_on: date | None = None
    cadence_days: int | None = None
    """How often to check in; ``None`` until the user or a later default sets one."""
    intent: Intent | None = None
    """The intent I chose; ``None``: worked out by :func:`mutuality.core.intent.intent_of`."""
    intent_until: date | None = None
    intent_reason: str | None = None


@dataclass(frozen=True, slots=True)
class Exchange:
    """One act of giving from ``giver_id`` to ``receiver_id``.

    ``benefit`` is the value to the receiver and ``cost`` the cost to the giver,
    both on the scale of :mod:`mutuality.core.scale`.
    """

    id: int
    giver_id: int
    receiver_id: int
    kind: ExchangeKind
    description: str
    on: date
    benefit: float
    cost: float
    estimated_by: Estimator = Estimator.ME
    tags: tuple[str, ...] = ()
    outcome: str | None = None
    private_note: str | None = None
    """Never shown in shareable output or logs."""
    created_at: datetime | None = None
    initiated_by: Initiative | None = None
    hours: float | None = None
    """The giver's time in hours, when known."""

    @property
    def surplus(self) -> float:
        """Value created: what the receiver gained beyond what the giver spent."""
        return self.benefit - self.cost


class Channel(StrEnum):
    """How a touch happened."""

    CALL = "call"
    MESSAGE = "message"
    EMAIL = "email"
    MEETING = "meeting"
    VIDEO = "video"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Touch:
    """A contact with no exchange logged (a call, a message, a coffee): it resets the
    check-in clock and records who reached out."""

    id: int
    person_id: int
    on: date
    channel: Channel
    initiated_by: str | None
    """``me``, ``them`` or unknown."""
    private_note: str | None = None


@dataclass(frozen=True, slots=True)
class NewExchange:
    """An exchange as the user states it, before it has an id."""

    giver_id: int
    receiver_id: int
    kind: ExchangeKind
    description: str
    on: date
    benefit: float
    cost: float
    estimated_by: Estimator
    tags: tuple[str, ...] = field(default_factory=tuple)
    outcome: str | None = None
    private_note: str | None = None
    initiated_by: Initiative | None = None
    hours: float | None = None
