"""``mutuality date add|list|remove|upcoming``: the dates people keep, and the week's birthdays
and dates (also shown by ``agenda`` and ``next``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from mutuality.cli.render import escape, out, print_json
from mutuality.cli.state import OutputFormat, command_group, open_app
from mutuality.cli.views import important_date_view, upcoming_view

if TYPE_CHECKING:
    from mutuality.core.occasions import Upcoming

FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="table or json")]
date_app = command_group(
    no_args_is_help=True,
    help="Important dates (anniversaries and the like); birthdays are set with "
    "`person add/edit --birthday`.",
)


@date_app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Whose date.")],
    text: Annotated[str, typer.Argument(help="What it is, e.g. 'Wedding anniversary'.")],
    on: Annotated[
        str,
        typer.Option("--on", help="The date: 2016-06-04, or 06-04 for a yearly one with no year."),
    ],
    yearly: Annotated[
        bool, typer.Option("--yearly/--once", help="Comes back every year (default), or once.")
    ] = True,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Keep a date for someone; it shows in `agenda` and `next` a week ahead."""
    app = open_app(ctx)
    kept = app.occasions.add(name, text, on, yearly)
    if fmt is OutputFormat.JSON:
        print_json(important_date_view(kept, app.today()))
        return
    every = "every year" if kept.yearly else "once"
    out.print(
        f"Kept date #{kept.id} for [bold]{escape(kept.person)}[/]: "
        f"{escape(kept.text)} on {kept.iso()} ({every})."
    )


@date_app.command("list")
def list_dates(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="Only this person's dates.")] = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Important dates, the next to come first (one-off dates that have passed last)."""
    app = open_app(ctx)
    found = app.occasions.list(name)
    today = app.today()
    if fmt is OutputFormat.JSON:
        print_json([important_date_view(kept, today) for kept in found])
        return
    if not found:
        out.print("No dates kept yet: `mutuality date add NAME TEXT --on DATE` keeps one.")
        return
    from rich.table import Table

    from mutuality.core.occasions import when_words, years_at

    table = Table(title=f"{len(found)} date(s)", title_justify="left")
    for column in ("ID", "Who", "What", "Date", "Next"):
        table.add_column(column)
    for kept in found:
        next_on = kept.next_on(today)
        if next_on is None:
            upcoming = "passed"
        else:
            years = years_at(kept.day.year, next_on) if kept.yearly else None
            upcoming = f"{next_on} ({when_words((next_on - today).days)}"
            upcoming += f", {years} year{'s' if years != 1 else ''})" if years else ")"
        table.add_row(
            str(kept.id),
            escape(kept.person),
            escape(kept.text),
            kept.iso() + ("" if kept.yearly else " (once)"),
            upcoming,
        )
    out.print(table)


@date_app.command("remove")
def remove(
    ctx: typer.Context,
    date_id: Annotated[int, typer.Argument(metavar="ID", help="The date's id (see `date list`).")],
) -> None:
    """Forget an important date."""
    kept = open_app(ctx).occasions.remove(date_id)
    out.print(f"Removed date #{kept.id} ({escape(kept.text)}) of {escape(kept.person)}.")


@date_app.command("upcoming")
def upcoming(
    ctx: typer.Context,
    days: Annotated[int, typer.Option(help="How many days ahead.")] = 7,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Birthdays and important dates from today to DAYS days ahead, soonest first."""
    items = open_app(ctx).occasions.upcoming(days)
    if fmt is OutputFormat.JSON:
        print_json([upcoming_view(item) for item in items])
        return
    if not items:
        out.print(f"No birthdays or dates in the next {days} days.")
        return
    print_coming_up(items)


def print_coming_up(items: list[Upcoming]) -> None:
    """The "Coming up" block of `agenda` and `next`: nothing at all when nothing is."""
    if not items:
        return
    out.print("\n[bold]Coming up[/]")
    for item in items:
        years = item.detail[len(item.text) :]
        out.print(
            f"  {item.when:<10} {item.on}  [bold]{escape(item.person)}[/]: "
            f"{escape(item.text)}{years}"
        )
