"""``mutuality network``: the whole network, with my style and its evidence, who gives
and who receives more, where I always reach out first, burnout risk and isolation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from mutuality.cli.render import err, escape, out, print_json
from mutuality.cli.state import AsOfOption, FormatOption, OutputFormat, open_as_of
from mutuality.presenters.network import network_json

if TYPE_CHECKING:
    from collections.abc import Callable

    from mutuality.core.network import StyleEvidence
    from mutuality.services.health.views import NetworkReport


def network(
    ctx: typer.Context,
    fmt: FormatOption = OutputFormat.TABLE,
    as_of: AsOfOption = None,
    cluster: Annotated[
        str | None,
        typer.Option(
            metavar="ADDRESS",
            help="Compute the pair figures on a Ray cluster (host:port; local, or no value, "
            "starts one here); the same report. Needs mutuality[cluster].",
        ),
    ] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, help="With --cluster: CPUs to use (default: all).")
    ] = None,
    parts: Annotated[
        int | None,
        typer.Option(
            min=1, help="With --cluster: parts the ledger is cut into (default: 2 per worker)."
        ),
    ] = None,
) -> None:
    """The whole network: reciprocity, mutual benefit, styles, burnout risk, isolation."""
    app = open_as_of(ctx, as_of)
    if cluster is None:
        if workers is not None or parts is not None:
            raise typer.BadParameter("only with --cluster", param_hint="--workers/--parts")
        report = app.health.network()
    else:
        from mutuality.services.health.cluster import network_on_cluster
        from mutuality.services.matching.workers import connect, disconnect

        executor = connect(cluster, workers)
        try:
            done = network_on_cluster(app.health, executor, parts)
        finally:
            disconnect()
        err.print(
            f"note: on {done.workers} workers: {done.exchanges} exchanges and contacts in "
            f"{done.parts} parts"
        )
        report = done.report
    isolated_days = app.settings.network.isolated_days
    figures = report.figures

    def named(ids: list[int]) -> list[str]:
        return [report.names.get(i, f"#{i}") for i in ids]

    if fmt is OutputFormat.JSON:
        print_json(network_json(report))
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
        listed = ", ".join(people[:10]) + (
            f" and {len(people) - 10} more" if len(people) > 10 else ""
        )
        out.print(f"{label}: {escape(listed) if people else 'none'}")


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
