"""``mutuality health|next|why|thanks|network|capacity|touch``: judgement you can act on."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from mutuality.cli.render import age, escape, out, print_json
from mutuality.cli.state import OutputFormat, open_app
from mutuality.cli.views import (
    balance_view,
    exchange_view,
    health_view,
    person_view,
    reach_out_view,
    style_evidence_view,
    style_thresholds_view,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from mutuality.core.capacity import CapacityUse
    from mutuality.core.network import StyleEvidence
    from mutuality.services.app import Mutuality
    from mutuality.services.health import NextStep
    from mutuality.services.health_views import NetworkReport

FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="table or json")]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="As things stood on this day (YYYY-MM-DD): only what was logged by then."
    ),
]


def open_as_of(ctx: typer.Context, as_of: str | None) -> Mutuality:
    """The application, or one whose today is ``as_of`` (to check a past report's figures)."""
    app = open_app(ctx)
    if as_of is None:
        return app
    from mutuality.core.dates import parse_past_date
    from mutuality.services.app import Mutuality

    day = parse_past_date(as_of, app.today(), "--as-of")
    return Mutuality(app.database, app.settings, lambda: day)


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
    from mutuality.core.health_rules import STATUS_ORDER, parse_status
    from mutuality.core.network import reaches_out_first

    wanted = parse_status(status) if status else None
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
        out.print(f"   {escape(step.reason)}")
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
    for line in detail.explanation:
        out.print(f"  {escape(line)}")
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
        out.print(f"[bold]{escape(step.person.name)}[/]: {escape(step.reason)}")
        things = "; ".join(g.description for g in step.cite)
        if things:
            out.print(f"  Tell them what it meant to you: {escape(things)}.")


def network(
    ctx: typer.Context, fmt: FormatOption = OutputFormat.TABLE, as_of: AsOfOption = None
) -> None:
    """The whole network: reciprocity, mutual benefit, styles, burnout risk, isolation."""
    app = open_as_of(ctx, as_of)
    report = app.health.network()
    isolated_days = app.settings.network.isolated_days
    figures = report.figures

    def named(ids: list[int]) -> list[str]:
        return [report.names.get(i, f"#{i}") for i in ids]

    if fmt is OutputFormat.JSON:
        print_json(
            {
                "people": figures.people,
                "relationships": figures.relationships,
                "reciprocity": figures.reciprocity,
                "mutual_share": figures.mutual_share,
                "styles": {style.value: n for style, n in figures.style_counts.items()},
                "burnout_risk": named(figures.burnout_risk),
                "isolated": named(figures.isolated),
                "received_only": named(figures.one_way_takers),
                "my_style": report.my_style.value,
                "my_giving": report.my_giving,
                "my_evidence": style_evidence_view(report.me),
                "gives_more": [style_evidence_view(e, report.names) for e in report.givers],
                "receives_more": [style_evidence_view(e, report.names) for e in report.takers],
                "thresholds": style_thresholds_view(report.thresholds),
                "reach_out_first": reach_out_view(report.reaching_out, report.names),
                "capacity": capacity_view(report.capacity),
            }
        )
        return
    recip = "n/a" if figures.reciprocity is None else f"{figures.reciprocity:.0%}"
    mutual = "n/a" if figures.mutual_share is None else f"{figures.mutual_share:.0%}"
    out.print(
        f"[bold]{figures.people}[/] people, [bold]{figures.relationships}[/] "
        "relationships with an exchange or contact."
    )
    out.print(f"Reciprocity: {recip} of giving links also run the other way.")
    out.print(f"Mutually beneficial: {mutual} of relationships leave both sides ahead.")
    styles = ", ".join(
        f"{n} {s.value}{'' if n == 1 else 's'}"
        if s.value != "not enough evidence"
        else f"{n} without enough evidence"
        for s, n in figures.style_counts.items()
        if n
    )
    out.print(f"Styles: {styles or 'none yet'}.")
    out.print(my_style_line(report))
    for label, shown in (
        (
            "Give more than they receive, in your ledger (the highest share given first)",
            report.givers,
        ),
        (
            "Receive more than they give, in your ledger (the lowest share first; it may not "
            "be the whole story, and ties of care, mentoring, service or close family are left "
            "out)",
            report.takers,
        ),
    ):
        out.print(f"{label}:" + ("" if shown else " none"))
        for evidence in shown:
            out.print(f"  {escape(named([evidence.person])[0])}: {evidence_words(evidence)}")
    out.print(reach_out_line(report, named))
    for label, ids in (
        ("At risk of burnout", figures.burnout_risk),
        (f"Isolated (no contact for {isolated_days} days)", figures.isolated),
        ("Received from two or more people, gave nothing logged", figures.one_way_takers),
    ):
        people = named(ids)
        shown = ", ".join(people[:10]) + (
            f" and {len(people) - 10} more" if len(people) > 10 else ""
        )
        out.print(f"{label}: {escape(shown) if people else 'none'}")


def evidence_words(evidence: StyleEvidence) -> str:
    """What a style was judged on: ``gave 12.0, received 4.0 (decayed), 75% given, 4
    exchanges``."""
    share = "no benefit either way" if evidence.share is None else f"{evidence.share:.0%} given"
    return (
        f"gave {evidence.gave:.1f}, received {evidence.received:.1f} (decayed), {share}, "
        f"{evidence.exchanges} exchange{'' if evidence.exchanges == 1 else 's'}"
    )


def my_style_line(report: NetworkReport) -> str:
    """My style with its evidence and the thresholds it was judged by."""
    from mutuality.core.network_rules import Style

    me, t = report.me, report.thresholds
    rule = (
        f"a giver gives at least {t.giver_share:.0%} of the benefit they take part in, a taker "
        f"at most {t.taker_share:.0%}, over at least {t.min_exchanges} exchanges"
    )
    if me.style is Style.UNKNOWN:
        return (
            f"You: not enough evidence for a style ({me.exchanges} of the "
            f"{t.min_exchanges} exchanges needed; {rule})."
        )
    giving = GIVING_WORDS.get(report.my_giving, "")
    return f"You: {me.style.value}{giving}: across the network you {evidence_words(me)}; {rule}."


GIVING_WORDS = {
    "otherish": " (otherish: your giving stays within your budget)",
    "self-sacrificing": " (self-sacrificing: your giving budget is at risk or over)",
    "unknown": " (set a budget with `mutuality capacity` to tell otherish from self-sacrificing)",
}
"""What kind of giver I am, in words (``not a giver`` needs none)."""


def reach_out_line(report: NetworkReport, named: Callable[[list[int]], list[str]]) -> str:
    """How many of my relationships I (nearly) always start, with whom."""
    t, reaching = report.thresholds, report.reaching_out
    known = f"who reached out is known at least {t.reach_out_min} times"
    if not reaching.judged:
        return (
            f"You reach out first: no relationship yet where {known} "
            "(log it with --by me or --by them)."
        )
    first = reaching.me_first[:10]
    people = [
        f"{escape(name)} ({i.mine} of {i.mine + i.theirs})"
        for name, i in zip(named([i.person for i in first]), first, strict=True)
    ]
    more = len(reaching.me_first) - len(people)
    listed = (
        (": " + ", ".join(people) + (f" and {more} more" if more > 0 else "")) if people else ""
    )
    return (
        f"You reach out first ({t.reach_out_share:.0%} or more of the times) in "
        f"{len(reaching.me_first)} of {reaching.judged} relationship"
        f"{'' if reaching.judged == 1 else 's'} where {known}{listed}."
    )


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
        print_json(capacity_view(use))
        return
    print_capacity(use)


def next_step_view(step: NextStep) -> dict[str, object]:
    return {
        "person": person_view(step.person),
        **health_view(step.health),
        "reason": step.reason,
        "cite": [exchange_view(e, "got") for e in step.cite],
    }


def capacity_view(use: CapacityUse) -> dict[str, object]:
    cap = use.capacity
    return {
        "amount": cap.amount if cap else None,
        "unit": cap.unit.value if cap else None,
        "period": cap.period.value if cap else None,
        "boundaries": sorted(k.value for k in cap.boundaries) if cap else [],
        "start": use.start.isoformat(),
        "end": use.end.isoformat(),
        "used": round(use.used, 2),
        "committed": round(use.committed, 2),
        "projected": round(use.projected, 2),
        "previous_used": round(use.previous_used, 2),
        "share": None if use.share is None else round(use.share, 4),
        "state": use.state.value,
        "boundary_hits": [
            {"exchange": g.exchange_id, "kind": g.kind.value, "on": g.on.isoformat()}
            for g in use.boundary_hits
        ],
    }


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
    if use.state.value == "at risk":
        out.print("[yellow]Burnout risk[/]: slow down before the budget runs out.")
    elif use.state.value == "over budget":
        out.print("[red]Over budget[/]: pause giving or renegotiate commitments.")


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
