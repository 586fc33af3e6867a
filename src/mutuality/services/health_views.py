"""What the health service answers: one relationship's verdict, the evidence behind it,
the week's next steps and the network view (plain records for every adapter)."""

from __future__ import annotations

from dataclasses import dataclass

from mutuality.core.capacity import CapacityUse
from mutuality.core.model import Exchange, Person
from mutuality.core.network import NetworkFigures, Style
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


@dataclass(frozen=True, slots=True)
class NextStep:
    person: Person
    health: RelationshipHealth
    reason: str
    cite: list[Exchange]


@dataclass(frozen=True, slots=True)
class NetworkReport:
    figures: NetworkFigures
    names: dict[int, str]
    my_style: Style
    my_giving: str
    """``otherish`` (giving within capacity), ``self-sacrificing`` or ``unknown``."""
    capacity: CapacityUse
