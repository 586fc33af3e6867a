"""``mutuality health|next|why|thanks|touch``: each relationship's judgement, what to do
next and why, and a contact logged. The network as a whole is ``cli/network.py``; the giving
budget, ``cli/capacity.py``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from mutuality.cli.render import age, escape, out, print_json
from mutuality.cli.state import AsOfOption, FormatOption, OutputFormat, open_app, open_as_of
from mutuality.cli.views import (
    balance_view,
    exchange_view,
    health_view,
    person_view,
)

if TYPE_CHECKING:
    from mutuality.services.health.views import NextStep

STATUS_STYLE = {
    "thriving": "bold green",
    "balanced": "green",
    "over-giving": "yellow",
    "over-receiving": "cyan",
    "fading": "magenta",
    "overdue": "red",
    "new": "blue",
    "quiet": "dim",
    "uneven by choice": "green",
}


def health(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option(help="Only this status.")] = None,
    by_status: Annotated[
        bool,
        typer.Option(
            "--by-status",
            help="Group by status (in the order of the value model), most urgent first in each.",
        ),
    ] = False,
    fmt: FormatOption = OutputFormat.TABLE,
    as_of: AsOfOption = None,
) -> None:
    """Every relationship's status and next action, most urgent first, with how often you
    are the one who reaches out."""
    from mutuality.core.fields import choice
    from mutuality.core.health_rules import STATUS_ORDER, Status
    from mutuality.core.network import reaches_out_first

    wanted = choice(Status, status, "status") if status else None
    app = open_as_of(ctx, as_of)
    items = app.health.relationships()
    if wanted is not None:
        items = [i for i in items if i.health.status is wanted]
    if by_status:  # a stable sort keeps the urgency order within each status
        items = sorted(items, key=lambda i: STATUS_ORDER.index(i.health.status))
    first = reaches_out_first(
        [i.health.my_initiatives for i in items],
        [i.health.their_initiatives for i in items],
        app.settings.network,
    )
    if fmt is OutputFormat.JSON:
        print_json(
            [
                {
                    "person": person_view(i.person),
                    "pattern": i.style.pattern,
                    **health_view(i.health),
                    "reach_out_first": bool(always),
                }
                for i, always in zip(items, first, strict=True)
            ]
        )
        return
    from collections import Counter

    from rich import box
    from rich.table import Table

    counts = Counter(i.health.status.value for i in items)
    summary = "  ".join(f"[{STATUS_STYLE[s]}]{s}[/] {n}" for s, n in counts.most_common())
    if first.any():
        summary += (
            f"  [bold]*[/] you reach out first: {app.settings.network.reach_out_share:.0%} or more"
            f" of at least {app.settings.network.reach_out_min} known times"
        )
    table = Table(
        title=f"Health of {len(items)} relationships",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        show_edge=False,
        collapse_padding=True,
        caption=summary,
        caption_justify="left",
    )
    # "You reach out" stacked over three lines, so that it is as narrow as its figures and
    # six columns fit 80 characters.
    for column in ("Person", "Status", "Next action", "Last", "Balance", "You\nreach\nout"):
        table.add_column(
            column,
            no_wrap=column != "Person",
            justify="right" if column in ("Balance", "You\nreach\nout") else "left",
        )
    for item, always in zip(items, first, strict=True):
        h = item.health
        table.add_row(
            escape(item.person.name),
            f"[{STATUS_STYLE[h.status.value]}]{h.status.value}[/]",
            h.action.value,
            age(h.last_on, app.today()),
            "" if h.balance is None else f"{h.balance:+.2f}",
            reach_out_cell(h.initiative_share, bool(always)),
        )
    out.print(table)


def reach_out_cell(share: float | None, always: bool) -> str:
    """The share of known times I reached out first; blank where none is known."""
    if share is None:
        return ""
    return f"[bold]{share:.0%} *[/]" if always else f"{share:.0%}"


def next_steps(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many.")] = 7,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """The short list of what to do this week, most urgent first, each with its reason."""
    steps = open_app(ctx).health.next_actions(limit)
    if fmt is OutputFormat.JSON:
        print_json([next_step_view(s) for s in steps])
        return
    if not steps:
        out.print("Nothing to do: add people and log exchanges first.")
        return
    for number, step in enumerate(steps, 1):
        style = STATUS_STYLE[step.health.status.value]
        out.print(
            f"{number}. [bold]{escape(step.person.name)}[/]: [{style}]{step.health.action.value}[/]"
        )
        out.print(f"   {escape(step.detail)}")
        for gift in step.cite:
            out.print(f"   - {escape(gift.description)} ({gift.on.isoformat()})")
    # Birthdays and important dates this week, after the actions (JSON: `date upcoming`).
    from mutuality.cli.occasions import print_coming_up

    print_coming_up(open_app(ctx).occasions.upcoming())


def why(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Whose relationship to explain.")],
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Why a relationship has its status: the rule, the figures and the arithmetic."""
    detail = open_app(ctx).health.for_person(name)
    if fmt is OutputFormat.JSON:
        print_json(
            {
                "person": person_view(detail.person),
                "pattern": detail.style.pattern,
                **health_view(detail.health),
                "balance": balance_view(detail.balance),
                "explanation": detail.explanation,
                "gifts": [exchange_view(e, "got") for e in detail.gifts],
                "my_gifts": [exchange_view(e, "gave") for e in detail.my_gifts],
            }
        )
        return
    style = STATUS_STYLE[detail.health.status.value]
    out.print(
        f"[bold]{escape(detail.person.name)}[/]: [{style}]{detail.health.status.value}[/]"
        f", next: [bold]{detail.health.action.value}[/]"
    )
    said = f"{detail.person.name}: {detail.health.status.value}. "  # the heading says it
    for line in detail.explanation:
        out.print(f"  {escape(line.removeprefix(said))}")
    for heading, gifts in (
        ("What they gave you that a thank-you can cite:", detail.gifts),
        ("What you gave them:", detail.my_gifts),
    ):
        if gifts:
            out.print(f"  {heading}")
        for gift in gifts:
            out.print(
                f"   - {escape(gift.description)} ({gift.on.isoformat()}, benefit {gift.benefit:g})"
            )


def thanks(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many.")] = 5,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Who to thank, citing the concrete things they gave you."""
    steps = open_app(ctx).health.appreciation(limit)
    if fmt is OutputFormat.JSON:
        print_json(
            [
                {
                    "person": person_view(s.person),
                    "reason": s.reason,
                    "cite": [exchange_view(e, "got") for e in s.cite],
                }
                for s in steps
            ]
        )
        return
    if not steps:
        out.print("No thank-you is due: you have thanked everyone who gave you much lately.")
        return
    for step in steps:
        name, reason = step.person.name, step.reason
        # the reason names them first ("Ana Lima gave you ..."): said once, in bold
        said = reason.removeprefix(name) if reason.startswith(name) else f": {reason}"
        out.print(f"[bold]{escape(name)}[/]{escape(said)}")
        things = "; ".join(g.description for g in step.cite)
        if things:
            out.print(f"  Tell them what it meant to you: {escape(things)}.")


def next_step_view(step: NextStep) -> dict[str, object]:
    return {
        "person": person_view(step.person),
        **health_view(step.health),
        "reason": step.reason,
        "cite": [exchange_view(e, "got") for e in step.cite],
    }


def touch(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Who you were in touch with.")],
    on: Annotated[str | None, typer.Option(help="When (default today).")] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who reached out: me or them.")] = None,
    channel: Annotated[
        str, typer.Option(help="call, message, email, meeting, video, other")
    ] = "other",
    note: Annotated[str | None, typer.Option(help="A private note.")] = None,
) -> None:
    """Log a contact that exchanged nothing of note: it resets the check-in clock."""
    app = open_app(ctx)
    logged = app.ledger.touch(name, on=on, initiated_by=by, channel=channel, private_note=note)
    out.print(
        f"Logged {TOUCH_WORDS[logged.channel.value]} with "
        f"{escape(app.people.get(name).person.name)} on {logged.on}."
    )


TOUCH_WORDS = {
    "call": "a call",
    "message": "a message",
    "email": "an email",
    "meeting": "a meeting",
    "video": "a video call",
    "other": "a contact",
}
"""A touch's channel as a noun with its article (``other`` is just a contact)."""
