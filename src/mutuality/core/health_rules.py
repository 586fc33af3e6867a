"""The names and settings of relationship health, without NumPy: statuses, actions, the
thresholds and the check-in cadence. The settings and the everyday commands need only
these; the vectorised rules themselves are in :mod:`mutuality.core.health`."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from mutuality.core import fields
from mutuality.core.errors import InvalidInput
from mutuality.core.model import RelationshipContext


class Status(StrEnum):
    THRIVING = "thriving"
    BALANCED = "balanced"
    OVER_GIVING = "over-giving"
    OVER_RECEIVING = "over-receiving"
    FADING = "fading"
    OVERDUE = "overdue"
    NEW = "new"
    QUIET = "quiet"
    UNEVEN_BY_CHOICE = "uneven by choice"
    """Outside the band, in a tie that is not meant to balance (care, mentoring, service,
    close): no verdict on the other person; the check is on my own capacity."""


class Action(StrEnum):
    CHECK_IN = "check in"
    GIVE_BACK = "give back"
    THANK = "thank them with specifics"
    PAUSE_GIVING = "pause giving"
    INTRODUCE = "make an introduction"
    SAY_NO_KINDLY = "say no kindly"
    ACT_ON_WISH = "act on what they said"
    CONGRATULATE = "congratulate them"
    LOOK_AFTER_YOURSELF = "look after yourself"
    INVITE = "invite them to give back their way"
    APPRECIATE = "tell them what it means to you"


STATUS_ORDER = tuple(Status)


ACTION_ORDER = tuple(Action)

DEFAULT_CADENCE_DAYS: dict[RelationshipContext, int] = {
    RelationshipContext.PARTNER: 7,
    RelationshipContext.FAMILY: 14,
    RelationshipContext.FRIEND: 30,
    RelationshipContext.COLLEAGUE: 30,
    RelationshipContext.CLIENT: 30,
    RelationshipContext.MENTEE: 30,
    RelationshipContext.COLLABORATOR: 21,
    RelationshipContext.MENTOR: 45,
    RelationshipContext.ACQUAINTANCE: 90,
    RelationshipContext.OTHER: 60,
}
"""Check-in cadence by context when the user has not set one: closer ties, shorter."""


@dataclass(frozen=True, slots=True)
class HealthSettings:
    """Thresholds of the health rules (``[health]`` in the config file)."""

    window_days: int = 90
    """Momentum compares the last ``window_days`` with the ``window_days`` before."""
    new_days: int = 60
    new_max_exchanges: int = 4
    fading_factor: float = 2.0
    fading_momentum: float = -0.6
    fading_min_previous: int = 3
    appreciation_min_received: float = 5.0
    """Decayed benefit received before thanking with specifics is suggested."""
    appreciation_recent_days: int = 180
    equity_floor: float = 0.5
    """Input below this counts as this much in equity ratios, so that a gift that cost
    nothing does not make a ratio infinite."""
    satisfied_from: float = 4.0
    """Latest check-in satisfaction (1-5) needed to call a relationship thriving."""
    agreed_stretch: float = 2.0
    """When both sides say they are satisfied and that it is about even, the band is this
    many times wider for that relationship: their view outweighs a verdict at its edge."""
    appreciate_after_days: int = 365
    """A relationship this old, active in both windows, with no thanks from me for
    ``appreciation_recent_days``, gets "tell them what it means to you"."""
    celebrate_days: int = 14
    """An outcome logged for them this recently suggests congratulating them."""
    cadences: dict[RelationshipContext, int] = field(
        default_factory=lambda: dict(DEFAULT_CADENCE_DAYS)
    )

    def __post_init__(self) -> None:
        for name in (
            "window_days",
            "new_days",
            "appreciation_recent_days",
            "appreciate_after_days",
            "celebrate_days",
        ):
            if getattr(self, name) < 1:
                raise InvalidInput(
                    f"{name} must be at least 1", field=name, value=getattr(self, name)
                )
        if self.fading_factor < 1:
            raise InvalidInput(
                "fading_factor must be at least 1", field="fading_factor", value=self.fading_factor
            )
        if not -1 < self.fading_momentum <= 0:
            raise InvalidInput(
                "fading_momentum must be from -1 to 0, above -1",
                field="fading_momentum",
                value=self.fading_momentum,
            )
        fields.within_limits(
            self,
            (
                ("equity_floor", 0.01, 10.0),
                ("satisfied_from", 1.0, 5.0),
                ("agreed_stretch", 1.0, 4.0),
                ("appreciation_min_received", 0.0, 1000.0),
                ("new_max_exchanges", 1, 1000),
                ("fading_min_previous", 0, 1000),
            ),
        )


def cadence_for(
    context: RelationshipContext, cadence_days: int | None, settings: HealthSettings
) -> int:
    """The user's cadence when set, else the context's default."""
    return cadence_days if cadence_days else settings.cadences.get(context, 60)
