"""``mutuality gave|got|timeline|balance|scale``: log exchanges and see where things stand."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from mutuality.cli.render import LEANING_STYLE, age, err, escape, out, print_json, signed
from mutuality.cli.state import OutputFormat, open_app

if TYPE_CHECKING:
    from rich.console import JustifyMethod

    from mutuality.core.capacity import CapacityUse
    from mutuality.core.model import Exchange

from mutuality.cli.views import balance_view, exchange_view, health_view, person_view

FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="table or json")]
HalfLife = Annotated[
    float | None,
    typer.Option("--half-life", help="Days after which an exchange counts half (default 180)."),
]

KIND_HELP = (
    "time, knowledge, introduction, referral, feedback, support, resource, opportunity, "
    "appreciation, money or other (a unique prefix will do)"
)


def _log(
    ctx: typer.Context, direction: str, name: str, fmt: OutputFormat, **options: object
) -> None:
    """Log, warn about capacity, and point to where the relationship now stands.

    The JSON answer carries the relationship's health, computed at once (the incremental
    path); the table answer leaves it to ``mutuality why`` so that logging stays fast (the
    health figures need NumPy, a tenth of a second to import)."""
    from mutuality.services.afterwards import afterwards
    from mutuality.services.ledger import Direction

    app = open_app(ctx)
    person = app.people.get(name).person
    other = person.name
    exchange = app.ledger.log(person.id, Direction(direction), **options)  # type: ignore[arg-type]  # log's own keywords
    # Saved: what follows only adds to the answer, and never turns it into a failure.
    if direction == "gave":
        _warn_capacity(afterwards(app.capacity.use, "the capacity check"), exchange)
    if fmt is OutputFormat.JSON:
        detail = afterwards(lambda: app.health.for_person(person.id), "health")
        health = None if detail is None else health_view(detail.health)
        print_json({**exchange_view(exchange, direction), "health": health})
        return
    arrow = f"You gave {escape(other)}" if direction == "gave" else f"{escape(other)} gave you"
    source = (
        "the kind's defaults; add --benefit and --cost to estimate"
        if exchange.estimated_by.value == "default"
        else f"estimated by {exchange.estimated_by}"
    )
    out.print(
        f"Logged #{exchange.id}: {arrow} [bold]{exchange.kind.value}[/] on "
        f"{exchange.on.isoformat()}: {escape(exchange.description)}. "
        f"Benefit {exchange.benefit:g}, cost {exchange.cost:g} ({source})."
    )
    out.print(f"Where it stands now: `mutuality why {escape(other)}`.")


def _warn_capacity(use: CapacityUse | None, exchange: Exchange) -> None:
    """Boundary and capacity warnings on stderr, whatever the output format."""
    if use is None or use.capacity is None:
        return
    if exchange.kind in use.capacity.boundaries:
        err.print(
            f"[yellow]Note[/]: {exchange.kind.value} is a kind you said you do not "
            "give (`mutuality capacity`)."
        )
    if use.strained:
        err.print(
            f"[yellow]Capacity {use.state.value}[/]: {use.used:.1f} of "
            f"{use.capacity.amount:g} {use.capacity.unit.value} used this "
            f"{use.capacity.period.value}; on this pace {use.projected:.1f}."
        )


def _exchange_command(direction: str, doc: str) -> Callable[..., None]:
    def command(
        ctx: typer.Context,
        name: Annotated[str, typer.Argument(help="Who (forgiving: case, accents, prefix).")],
        kind: Annotated[str, typer.Option("--kind", "-k", help=KIND_HELP)],
        what: Annotated[str, typer.Option("--what", "-w", help="What was given, in words.")],
        benefit: Annotated[
            float | None,
            typer.Option(
                "--benefit", "-b", help="Benefit to the receiver, 0-10 (see `mutuality scale`)."
            ),
        ] = None,
        cost: Annotated[
            float | None, typer.Option("--cost", "-c", help="Cost to the giver, 0-10.")
        ] = None,
        on: Annotated[
            str | None,
            typer.Option(
                "--on", help="Date: YYYY-MM-DD, today, yesterday, '3 days ago' (default today)."
            ),
        ] = None,
        estimated_by: Annotated[
            str | None,
            typer.Option("--estimated-by", help="Who estimated benefit and cost: me, them, both."),
        ] = None,
        by: Annotated[
            str | None, typer.Option("--by", help="Who reached out first: me or them.")
        ] = None,
        hours: Annotated[
            float | None, typer.Option("--hours", help="The giver's time in hours.")
        ] = None,
        tag: Annotated[
            list[str] | None, typer.Option("--tag", "-t", help="Tag (repeatable).")
        ] = None,
        outcome: Annotated[str | None, typer.Option(help="What came of it.")] = None,
        note: Annotated[str | None, typer.Option(help="A private note (never shared).")] = None,
        share: Annotated[
            bool, typer.Option("--share", help="Fit for the portfolio (`mutuality share`).")
        ] = False,
        share_as: Annotated[
            str | None,
            typer.Option("--share-as", help="Share it, in these words for others' eyes."),
        ] = None,
        fmt: FormatOption = OutputFormat.TABLE,
    ) -> None:
        _log(
            ctx,
            direction,
            name,
            fmt,
            kind=kind,
            what=what,
            benefit=benefit,
            cost=cost,
            on=on,
            estimated_by=estimated_by,
            initiated_by=by,
            hours=hours,
            tags=tuple(tag or ()),
            outcome=outcome,
            private_note=note,
            share=share,
            share_as=share_as,
        )

    command.__doc__ = doc
    return command


gave = _exchange_command("gave", "Log something you gave to a person.")
got = _exchange_command("got", "Log something a person gave to you.")


def timeline(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Whose timeline.")],
    limit: Annotated[int | None, typer.Option(help="Show only the newest N.")] = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Everything exchanged with a person, newest first, with how much it still counts."""
    result = open_app(ctx).ledger.timeline(name, limit=limit)
    if fmt is OutputFormat.JSON:
        print_json(
            {
                "person": person_view(result.person),
                "exchanges": [
                    exchange_view(e.exchange, e.direction.value, e.weight) for e in result.entries
                ],
            }
        )
        return
    from rich import box
    from rich.table import Table

    table = Table(
        title=f"Timeline with {escape(result.person.name)}",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("#", "right"),
        ("Date", "left"),
        ("Who", "left"),
        ("Kind", "left"),
        ("What", "left"),
        ("Benefit", "right"),
        ("Cost", "right"),
        ("Counts", "right"),
    )
    for column, justify in columns:
        table.add_column(column, justify=justify, no_wrap=column != "What")
    for entry in result.entries:
        exchange = entry.exchange
        what = escape(exchange.description)
        if exchange.outcome:
            what += f"\n[dim]→ {escape(exchange.outcome)}[/]"
        table.add_row(
            str(exchange.id),
            exchange.on.isoformat(),
            "[yellow]you →[/]" if entry.direction.value == "gave" else "[cyan]→ you[/]",
            exchange.kind.value,
            what,
            f"{exchange.benefit:g}",
            f"{exchange.cost:g}",
            f"{entry.weight:.0%}",
        )
    if not result.entries:
        out.print(f"Nothing logged with {escape(result.person.name)} yet.")
        return
    out.print(table)


def balance(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="One person; everyone when left out.")] = None,
    half_life: HalfLife = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Given, received and each side's net, per relationship, explained in plain words."""
    app = open_app(ctx)
    if name is not None:
        item = app.balances.for_person(name, half_life_days=half_life)
        if fmt is OutputFormat.JSON:
            print_json(
                {
                    "person": person_view(item.person),
                    **balance_view(item.balance),
                    "explanation": item.explanation,
                }
            )
            return
        style = LEANING_STYLE[item.balance.leaning.value]
        out.print(f"[bold]{escape(item.person.name)}[/]: [{style}]{item.balance.leaning.value}[/]")
        for line in item.explanation:
            out.print(f"  {escape(line)}")
        return
    items = app.balances.overview(half_life_days=half_life)
    if fmt is OutputFormat.JSON:
        print_json([{"person": person_view(i.person), **balance_view(i.balance)} for i in items])
        return
    if not items:
        out.print("No one here yet: try `mutuality demo` or `mutuality person add NAME`.")
        return
    from rich import box
    from rich.table import Table

    settings = items[0].balance.settings
    table = Table(
        title=f"Balances ({len(items)} relationships; half-life {settings.half_life_days:g} "
        f"days, balanced within ±{settings.tolerance:g})",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        caption="Given/Got: decayed benefit each way. Mine/Theirs: each side's net, benefit "
        "received minus cost borne. `mutuality balance NAME` explains one.",
        caption_justify="left",
    )
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("Person", "left"),
        ("Given", "right"),
        ("Got", "right"),
        ("Mine", "right"),
        ("Theirs", "right"),
        ("Balance", "right"),
        ("Leaning", "left"),
        ("Last", "left"),
    )
    for column, justify in columns:
        table.add_column(
            column,
            justify=justify,
            no_wrap=column != "Person",
            min_width=12 if column == "Person" else None,
        )
    for item in items:
        b = item.balance
        style = LEANING_STYLE[b.leaning.value]
        table.add_row(
            escape(item.person.name),
            f"{b.given:.1f}",
            f"{b.received:.1f}",
            signed(b.my_net),
            signed(b.their_net),
            "" if b.balance is None else f"{b.balance:+.2f}",
            f"[{style}]{b.leaning.value}[/]",
            age(b.last_on, b.as_of),
        )
    out.print(table)


def scale(fmt: FormatOption = OutputFormat.TABLE) -> None:
    """The 0-10 scale for benefit and cost, and each kind's default values."""
    from mutuality.core.scale import ANCHORS, KIND_DEFAULTS

    if fmt is OutputFormat.JSON:
        print_json(
            {
                "anchors": {str(k): v for k, v in ANCHORS.items()},
                "kind_defaults": {
                    k.value: {"benefit": b, "cost": c} for k, (b, c) in KIND_DEFAULTS.items()
                },
            }
        )
        return
    out.print("[bold]Benefit to the receiver and cost to the giver, on one scale from 0 to 10:[/]")
    for points, meaning in ANCHORS.items():
        out.print(f"  {points:>2}  {meaning}")
    out.print("\n[bold]Defaults when you give neither --benefit nor --cost:[/]")
    for kind, (b, c) in KIND_DEFAULTS.items():
        out.print(f"  {kind.value:<13} benefit {b:g}, cost {c:g}")


def delete_exchange(
    ctx: typer.Context,
    exchange_id: Annotated[int, typer.Argument(help="The exchange's number (see timeline).")],
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Delete one exchange logged by mistake."""
    removed = open_app(ctx).ledger.delete(exchange_id)
    if fmt is OutputFormat.JSON:
        print_json({"deleted": removed.id})
    else:
        out.print(f"Deleted #{removed.id}: {escape(removed.description)}.")
