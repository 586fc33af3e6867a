"""What the health service answers: one relationship's verdict, the evidence behind it,
the week's next steps and the network view (plain records for every adapter)."""

from __future__ import annotations

from dataclasses import dataclass

from mutuality.core.capacity import CapacityUse
from mutuality.core.model import Exchange, Person
from mutuality.core.network import (
    NetworkFigures,
    NetworkSettings,
    ReachingOut,
    Style,
    StyleEvidence,
)
from mutuality.core.value import RelationshipBalance
from mutuality.core.why import RelationshipHealth


@dataclass(frozen=True, slots=True)
class PersonHealth:
    person: Person
    health: RelationshipHealth
    style: Style


@dataclass(frozen=True, slots=True)
class HealthDetail:
    """Everything ``mutuality why`` shows: the verdict, the balance, and the evidence."""

    person: Person
    health: RelationshipHealth
    style: Style
    balance: RelationshipBalance
    explanation: list[str]
    gifts: list[Exchange]
    """What they gave me, most valuable first: what a thank-you can cite."""
    my_gifts: list[Exchange]
    """What I gave them, most valuable first: the other side of the ledger, in exchanges."""


@dataclass(frozen=True, slots=True)
class NextStep:
    person: Person
    health: RelationshipHealth
    reason: str
    cite: list[Exchange]

    @property
    def detail(self) -> str:
        """The reason without its "Name: status." opening, for a list whose item names the
        person and the action already (the to-do list, `mutuality next`)."""
        return self.reason.removeprefix(f"{self.person.name}: {self.health.status.value}. ")


@dataclass(frozen=True, slots=True)
class NetworkReport:
    figures: NetworkFigures
    names: dict[int, str]
    my_style: Style
    my_giving: str
    """``otherish`` (giving within capacity), ``self-sacrificing`` or ``unknown``."""
    capacity: CapacityUse
    me: StyleEvidence
    """My own style with what I gave and received across the network."""
    givers: list[StyleEvidence]
    """The clearest givers among my relationships, most lopsided first (at most
    :data:`~mutuality.services.health.service.CLEAREST`)."""
    takers: list[StyleEvidence]
    """The clearest takers, most lopsided first."""
    reaching_out: ReachingOut
    """The relationships where I (nearly) always reach out first."""
    thresholds: NetworkSettings
    """What the styles and the reaching-out count were judged by."""
