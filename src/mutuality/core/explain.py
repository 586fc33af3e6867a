"""Plain-words explanations of a relationship's balance: every figure comes with its why."""

from __future__ import annotations

from mutuality.core.value import Leaning, RelationshipBalance
from mutuality.core.words import plural

_ADVICE = {
    Leaning.NONE: "Nothing is logged yet: log what you gave and got to see a balance.",
    Leaning.NO_BENEFIT: (
        "Exchanges are logged, but none was estimated to bring any benefit, so there is "
        "no balance to compute: remove them and log them again with the benefit each brought."
    ),
    Leaning.BALANCED: "Within the tolerance band: giving and receiving are in step.",
    Leaning.OVER_GIVING: (
        "You give more than you receive. That can be a choice; watch your capacity "
        "and ask what would make the relationship better for you too."
    ),
    Leaning.OVER_RECEIVING: (
        "You receive more than you give: look for a way to give back, or thank them with specifics."
    ),
}


def explain_balance(
    balance: RelationshipBalance, name: str, instead: str | None = None
) -> list[str]:
    """Sentences that walk from the ledger to the verdict, with the arithmetic shown.

    ``instead`` replaces the band's verdict and its advice where something else decides
    (a tie not judged on its balance, or both sides' view at the band's edge)."""
    settings = balance.settings
    lines = [
        f"Each exchange counts less as it ages: half as much after "
        f"{settings.half_life_days:g} days (as of {balance.as_of.isoformat()}).",
        f"You gave {name} {plural(balance.times_given, 'time')}: {balance.given:.1f} points "
        f"of benefit to them, costing you {balance.my_cost:.1f}.",
        f"{name} gave you {plural(balance.times_received, 'time')}: {balance.received:.1f} "
        f"points of benefit to you, costing them {balance.their_cost:.1f}.",
        f"Your net = received - your cost = {balance.received:.1f} - {balance.my_cost:.1f} "
        f"= {balance.my_net:+.1f}; their net = given - their cost = {balance.given:.1f} - "
        f"{balance.their_cost:.1f} = {balance.their_net:+.1f}.",
        f"Surplus created = your net + their net = {_term(balance.my_net)} + "
        f"{_term(balance.their_net)} = {balance.surplus:+.1f}: the value the relationship "
        "created, the benefit both ways less what giving cost both of you.",
    ]
    value = balance.balance
    if value is not None:
        lines.append(
            f"Balance = (given - received) / (given + received) = "
            f"({balance.given:.1f} - {balance.received:.1f}) / "
            f"({balance.given:.1f} + {balance.received:.1f}) = {value:+.2f}; "
            f"the band of balance is ±{settings.tolerance:g}, so: "
            + (f"{balance.leaning.value}." if instead is None else instead)
        )
        lines.append(
            "Both of you come out ahead: the relationship is mutually beneficial."
            if balance.mutual
            else "Not both of you come out ahead yet: one side's net is zero or negative."
        )
    if instead is None or balance.balance is None:
        lines.append(_ADVICE[balance.leaning])
    return lines


def _term(value: float) -> str:
    """A signed figure inside a sum: ``5.5``, or ``(-1.0)`` so that ``+ (-1.0)`` reads."""
    return f"({value:.1f})" if value < 0 else f"{value:.1f}"
