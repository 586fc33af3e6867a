"""``mutuality capacity``: set or show the giving budget and boundaries, with how much of
it is used (the Capacity object of ``mutuality.presenters.capacity``, which ``mutuality network
--format json`` holds as ``capacity`` too)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from mutuality.cli.render import escape, out, print_json
from mutuality.cli.state import FormatOption, OutputFormat, open_app
from mutuality.presenters.capacity import capacity_json

if TYPE_CHECKING:
    from mutuality.core.capacity import CapacityUse


def capacity(
    ctx: typer.Context,
    amount: Annotated[float | None, typer.Argument(help="Budget per period.")] = None,
    unit: Annotated[str, typer.Option(help="points or hours.")] = "points",
    per: Annotated[str, typer.Option("--per", help="week or month.")] = "month",
    no: Annotated[
        list[str] | None,
        typer.Option("--no", help="A kind you do not give (repeatable); --no '' clears."),
    ] = None,
    clear: Annotated[bool, typer.Option(help="Remove the budget.")] = False,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Set or show your giving budget and boundaries, with how much of it you have used."""
    app = open_app(ctx)
    if clear:
        app.capacity.clear()
    elif amount is not None:
        boundaries = None if no is None else tuple(k for k in no if k.strip())
        app.capacity.set(amount, unit, per, boundaries)
    elif no is not None:
        raise typer.BadParameter("give the budget amount too, e.g. `capacity 20 --no money`")
    use = app.capacity.use()
    if fmt is OutputFormat.JSON:
        print_json(capacity_json(use))
        return
    print_capacity(use)


def print_capacity(use: CapacityUse) -> None:
    cap = use.capacity
    if cap is None:
        out.print(
            f"No budget set. You gave {use.used:.1f} points' worth of cost this month. "
            "Set one with `mutuality capacity 20 --per month`."
        )
        return
    colour = {"within budget": "green", "at risk": "yellow", "over budget": "red"}
    state = use.state.value
    out.print(
        f"Budget: {cap.amount:g} {cap.unit.value} per {cap.period.value} "
        f"({use.start} to {use.end})."
    )
    out.print(
        f"Used: {use.used:.1f}"
        + (f" + {use.committed:.1f} committed" if use.committed else "")
        + f" ({use.share:.0%}); at this pace {use.projected:.1f} by "
        f"{use.end}: [{colour.get(state, 'white')}]{state}[/]. "
        f"Previous {cap.period.value}: {use.previous_used:.1f}."
    )
    if cap.boundaries:
        out.print("You do not give: " + ", ".join(sorted(k.value for k in cap.boundaries)))
    for give in use.boundary_hits:
        out.print(
            f"[yellow]Boundary crossed[/]: #{give.exchange_id} was {give.kind.value} on {give.on}."
        )
    if (warning := use.warning()) is not None:
        out.print(f"[{colour.get(state, 'white')}]{escape(warning)}[/]")
