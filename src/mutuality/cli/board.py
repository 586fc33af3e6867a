"""``mutuality board ...``: the community's board in team mode, each command acting for one
member (``--as``): ``post`` an ask or an offer, ``list`` the board (or ``--mine``),
``answer`` one, ``accept`` an answer, ``record`` the help once it happened (the other side
then confirms it with ``team confirm``), ``met``, ``thank`` on the gratitude wall, ``wall``,
``suggest``, ``withdraw``. ``team report`` is the organiser's view. The rules live in
:mod:`mutuality.services.board`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mutuality.cli.render import err, escape, out, print_json
from mutuality.cli.state import FormatOption, OutputFormat, command_group
from mutuality.cli.team import AsOption, DbOption, _member, _team

if TYPE_CHECKING:
    from mutuality.services.board import BoardPost

board_app = command_group(
    no_args_is_help=True,
    help="The community's board in team mode: asks and offers, `board answer` to help, "
    "`board accept`, `board record` once the help happened, `board thank` on the wall.",
)

VersionOption = Annotated[
    int | None,
    typer.Option(
        "--version",
        help="The version you read (from `board list`); a newer one is refused, saying what "
        "changed. Default: the current one.",
    ),
]


def _version(ctx: typer.Context, db: str | None, me: int, post_id: int, given: int | None) -> int:
    return given if given is not None else _team(ctx, db).board.get(me, post_id).version


def _show(post: BoardPost) -> None:
    tags = f" [{escape(', '.join(post.tags))}]" if post.tags else ""
    who = "you" if post.mine else escape(post.author)
    state = "" if post.state == "open" else f" ({post.state})"
    out.print(
        f"#{post.id} v{post.version} {post.kind} by {who}{state}: {escape(post.text)}{tags}"
        f" (until {post.expires_on:%Y-%m-%d}; {post.answer_count} answer"
        f"{'' if post.answer_count == 1 else 's'})",
        soft_wrap=True,
    )
    for answer in post.answers:
        done = f", help recorded: {answer.confirmation_state}" if answer.confirmation_id else ""
        out.print(
            f"    answer #{answer.id} from {'you' if answer.mine else escape(answer.helper)} "
            f"({answer.state}{done}): {escape(answer.note)}",
            soft_wrap=True,
        )


def _print(post: BoardPost, fmt: OutputFormat) -> None:
    from mutuality.presenters.board import post_json

    if fmt is OutputFormat.JSON:
        print_json(post_json(post))
    else:
        _show(post)


@board_app.command("post")
def post(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help="ask or offer")],
    text: Annotated[str, typer.Argument(help="What you need, or what you can give.")],
    as_: AsOption,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="A tag (repeatable).")] = None,
    expires: Annotated[
        str | None,
        typer.Option(help="When it leaves the board: a date, or 'in 2 weeks' (default 30 days)."),
    ] = None,
    anonymous: Annotated[
        bool,
        typer.Option(
            "--anonymous", help="An ask other members see without your name (organisers too)."
        ),
    ] = False,
    db: DbOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Post an ask or an offer on the community's board."""
    team = _team(ctx, db)
    me = _member(team, as_, "--as")
    made = team.board.post(me.id, kind, text, tags=tag or (), expires=expires, anonymous=anonymous)
    _print(made, fmt)


@board_app.command("list")
def list_posts(
    ctx: typer.Context,
    as_: AsOption,
    kind: Annotated[str | None, typer.Option(help="ask or offer (default both).")] = None,
    mine: Annotated[bool, typer.Option("--mine", help="Your own posts, in every state.")] = False,
    helping: Annotated[
        bool, typer.Option("--helping", help="The posts you answered, in every state.")
    ] = False,
    db: DbOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """The open asks and offers of the board, newest first."""
    from mutuality.presenters.board import post_json

    team = _team(ctx, db)
    me = _member(team, as_, "--as")
    found = team.board.helping(me.id) if helping else team.board.board(me.id, kind, mine)
    if fmt is OutputFormat.JSON:
        print_json([post_json(p) for p in found])
        return
    if not found:
        out.print("Nothing on the board.")
    for item in found:
        _show(item)


@board_app.command("answer")
def answer(
    ctx: typer.Context,
    post_id: Annotated[int, typer.Argument(help="The post's number.")],
    note: Annotated[str, typer.Argument(help="How you can help, for the author.")],
    as_: AsOption,
    version: VersionOption = None,
    db: DbOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """ "I can help": answer an ask (or take up an offer), with a note for its author."""
    team = _team(ctx, db)
    me = _member(team, as_, "--as")
    done = team.board.answer(me.id, post_id, _version(ctx, db, me.id, post_id, version), note)
    _print(done, fmt)


@board_app.command("accept")
def accept(
    ctx: typer.Context,
    post_id: Annotated[int, typer.Argument(help="Your post's number.")],
    answer_id: Annotated[int, typer.Argument(help="The answer's number.")],
    as_: AsOption,
    version: VersionOption = None,
    db: DbOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Accept an answer to your post (one or more, one at a time). The helper of an
    anonymous ask then learns who asked; nobody else does."""
    team = _team(ctx, db)
    me = _member(team, as_, "--as")
    done = team.board.accept(me.id, post_id, answer_id, _version(ctx, db, me.id, post_id, version))
    _print(done, fmt)


@board_app.command("record")
def record(
    ctx: typer.Context,
    answer_id: Annotated[int, typer.Argument(help="The accepted answer's number.")],
    as_: AsOption,
    what: Annotated[str | None, typer.Option(help="What was done (default: the post).")] = None,
    kind: Annotated[str, typer.Option(help="The exchange's kind.")] = "time",
    benefit: Annotated[
        float | None, typer.Option(help="The benefit to the one helped, 0 to 10.")
    ] = None,
    cost: Annotated[float | None, typer.Option(help="The cost to the helper, 0 to 10.")] = None,
    on: Annotated[str | None, typer.Option(help="When (default today).")] = None,
    person: Annotated[
        str | None, typer.Option(help="Who the other member is in your ledger (name or email).")
    ] = None,
    db: DbOption = None,
) -> None:
    """The help happened: log it in your ledger as an exchange with the other member, who
    confirms it with their own figure (`team confirm`)."""
    team = _team(ctx, db)
    me = _member(team, as_, "--as")
    made = team.board.record_help(
        me.id, answer_id, what=what, kind=kind, benefit=benefit, cost=cost, on=on, person=person
    )
    err.print(
        f"Logged in your ledger; confirmation #{made.id} waits for {escape(made.other)} to "
        "confirm it with their own figure.",
        soft_wrap=True,
    )


@board_app.command("met")
def met(
    ctx: typer.Context,
    post_id: Annotated[int, typer.Argument(help="Your post's number.")],
    as_: AsOption,
    version: VersionOption = None,
    db: DbOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Mark your ask (or offer) met: it leaves the board."""
    team = _team(ctx, db)
    me = _member(team, as_, "--as")
    _print(team.board.met(me.id, post_id, _version(ctx, db, me.id, post_id, version)), fmt)


@board_app.command("withdraw")
def withdraw(
    ctx: typer.Context,
    post_id: Annotated[int, typer.Argument(help="Your post's number.")],
    as_: AsOption,
    version: VersionOption = None,
    db: DbOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Take your post off the board."""
    team = _team(ctx, db)
    me = _member(team, as_, "--as")
    _print(team.board.withdraw(me.id, post_id, _version(ctx, db, me.id, post_id, version)), fmt)


@board_app.command("thank")
def thank(
    ctx: typer.Context,
    answer_id: Annotated[int, typer.Argument(help="The accepted answer's number.")],
    words: Annotated[str, typer.Argument(help="What they did, in a few words.")],
    as_: AsOption,
    db: DbOption = None,
) -> None:
    """Thank a helper in public, on the community's gratitude wall, naming what they did."""
    team = _team(ctx, db)
    me = _member(team, as_, "--as")
    made = team.board.thank(me.id, answer_id, words)
    err.print(f"On the wall: {escape(made.thanked_by)} thanks {escape(made.helper)}.")


@board_app.command("wall")
def wall(
    ctx: typer.Context, as_: AsOption, db: DbOption = None, fmt: FormatOption = OutputFormat.TABLE
) -> None:
    """The community's gratitude wall, newest first."""
    from mutuality.presenters.board import thanks_json

    team = _team(ctx, db)
    me = _member(team, as_, "--as")
    found = team.board.wall(me.id)
    if fmt is OutputFormat.JSON:
        print_json([thanks_json(t) for t in found])
        return
    if not found:
        out.print("Nothing on the wall yet.")
    for t in found:
        out.print(
            f"{t.on:%Y-%m-%d} {escape(t.thanked_by)} thanks {escape(t.helper)}: {escape(t.words)}",
            soft_wrap=True,
        )


@board_app.command("suggest")
def suggest(
    ctx: typer.Context,
    as_: AsOption,
    post: Annotated[
        int | None,
        typer.Option("--post", help="One of your asks: the members who could help with it."),
    ] = None,
    db: DbOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Asks you could help with, matched to your own offers (none while you are busy or
    your giving budget is stretched); with --post, members whose offers match your ask."""
    from mutuality.presenters.board import helper_json, suggestions_json

    team = _team(ctx, db)
    me = _member(team, as_, "--as")
    if post is not None:
        helpers = team.board.helpers(me.id, post)
        if fmt is OutputFormat.JSON:
            print_json([helper_json(h) for h in helpers.items])
            return
        _matched_by(helpers.method if helpers.items else None, helpers.notes)
        if not helpers.items:
            out.print("No member's offer on the board matches this ask yet.")
        for h in helpers.items:
            how = f" {escape(h.how)}" if h.how else ""
            out.print(
                f"{escape(h.member)} offers #{h.offer_id}: {escape(h.offer)}{how}", soft_wrap=True
            )
        return
    found = team.board.suggestions(me.id)
    if fmt is OutputFormat.JSON:
        print_json(suggestions_json(found))
        return
    _matched_by(found.method if found.items else None, found.notes)
    if found.paused:
        out.print(escape(found.paused[0].upper() + found.paused[1:]) + ".", soft_wrap=True)
    elif not found.items:
        out.print("No open ask matches your offers; post an offer to get suggestions.")
    for item in found.items:
        _show(item.post)
        out.print(f"    {escape(item.reason[0].upper() + item.reason[1:])}", soft_wrap=True)


def _matched_by(method: str | None, notes: tuple[str, ...]) -> None:
    """Which method made the list, as the Matches page says it, and why the words were used
    instead of the meaning where they were, as ``match`` says it."""
    for note in notes:
        err.print(f"note: {escape(note)}")
    if method is not None:
        out.print(f"Matched by {'meaning' if method == 'semantic' else 'shared words'}.")


@board_app.command("share-stretch")
def share_stretch(
    ctx: typer.Context,
    as_: AsOption,
    named: Annotated[
        bool, typer.Option("--named/--counted", help="Named to organisers, or only counted.")
    ] = True,
    db: DbOption = None,
) -> None:
    """Whether organisers may see your name among the members giving beyond their capacity
    (by default you are only counted)."""
    team = _team(ctx, db)
    me = _member(team, as_, "--as")
    team.board.name_when_stretched(me.id, named)
    err.print(
        "Organisers see your name when you give beyond your capacity."
        if named
        else "Organisers only count you when you give beyond your capacity."
    )


def team_report(
    ctx: typer.Context,
    as_: AsOption,
    days: Annotated[int, typer.Option(help="The period, up to today.")] = 90,
    to: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Write the report as a file: .html, .pdf or .md (the quarter's, by "
            "default 90 days).",
        ),
    ] = None,
    db: DbOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """The organiser's view of the community: aggregates only, none over fewer than 5
    members."""
    from mutuality.presenters.board import report_json, report_lines

    team = _team(ctx, db)
    me = _member(team, as_, "--as")
    report = team.board.report(me.id, days)
    if to is not None:
        from mutuality.reports import format_for
        from mutuality.reports.community import render_community
        from mutuality.store.files import atomic_text_file

        data = render_community(report, report_lines(report), format_for(to), report.until)
        with atomic_text_file(to) as handle:  # private (0600), whole or not at all
            handle.buffer.write(data)
        err.print(f"Wrote the community report to {to}.")
        return
    if fmt is OutputFormat.JSON:
        print_json(report_json(report))
        return
    out.print(
        f"[bold]{escape(report.community)}[/], {report.since:%Y-%m-%d} to "
        f"{report.until:%Y-%m-%d}: {report.members} members",
        soft_wrap=True,
    )
    for label, words in report_lines(report):
        out.print(f"  {label}: {escape(words)}", soft_wrap=True)
