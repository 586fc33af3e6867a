"""``mutuality intro ...``: double-opt-in introductions, from proposal to outcome."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from mutuality.cli.render import err, escape, out, print_json
from mutuality.cli.state import OutputFormat, command_group, open_app
from mutuality.presenters.introductions import introduction_json as intro_view

if TYPE_CHECKING:
    from mutuality.services.introductions.service import IntroDetail

FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="table or json")]
IdArgument = Annotated[int, typer.Argument(help="The introduction's number.")]

intro_app = command_group(
    no_args_is_help=True,
    help="Introductions with consent and context: propose, ask, consent, make, outcome.",
)


def _consents(detail: IntroDetail) -> str:
    intro = detail.introduction
    a = intro.a_consent.value if intro.a_consent else "not asked"
    b = intro.b_consent.value if intro.b_consent else "not asked"
    return f"{detail.a}: {a}; {detail.b}: {b}"


def _show(detail: IntroDetail, fmt: OutputFormat, *messages: str) -> None:
    if fmt is OutputFormat.JSON:
        print_json(intro_view(detail))
        return
    intro = detail.introduction
    out.print(
        f"Introduction #{intro.id}: {escape(detail.a)} ↔ {escape(detail.b)}, "
        f"[bold]{intro.status.value}[/] ({escape(_consents(detail))})"
    )
    out.print(f"Why: {escape(intro.reason)}")
    if intro.a_gains:
        out.print(f"{escape(detail.a)} gains: {escape(intro.a_gains)}")
    if intro.b_gains:
        out.print(f"{escape(detail.b)} gains: {escape(intro.b_gains)}")
    if intro.outcome:
        out.print(f"Outcome: {escape(intro.outcome)}")
    texts = {
        "a": (f"Message to {detail.a}", detail.a_message),
        "b": (f"Message to {detail.b}", detail.b_message),
        "introduction": ("The introduction", detail.intro_message),
        "decline": ("A kind note to the other side", detail.decline_note),
        "steps": (
            "Steps",
            "\n".join(
                f"{s.at.isoformat(sep=' ')}  {s.step.value}" + (f": {s.note}" if s.note else "")
                for s in detail.steps
            ),
        ),
    }
    for key in messages:
        title, text = texts[key]
        if text:
            out.print(f"\n[bold]{escape(title)}[/]\n{escape(text)}")


@intro_app.command("propose")
def propose(
    ctx: typer.Context,
    a: Annotated[str, typer.Argument(help="One side (the one who needs help, usually).")],
    b: Annotated[str, typer.Argument(help="The other side.")],
    reason: Annotated[
        str | None, typer.Option(help="Why it matters (default: composed from their needs).")
    ] = None,
    a_gains: Annotated[str | None, typer.Option(help="What A gains.")] = None,
    b_gains: Annotated[str | None, typer.Option(help="What B gains.")] = None,
    again: Annotated[
        bool, typer.Option("--again", help="Propose a pair that declined before.")
    ] = False,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Propose introducing A and B, with the composed reason and consent messages."""
    detail = open_app(ctx).introductions.propose(
        a, b, reason=reason, a_gains=a_gains, b_gains=b_gains, again=again
    )
    _show(detail, fmt, "a", "b")
    if detail.matched_by == "by meaning" and fmt is OutputFormat.TABLE:
        out.print("\nThe need and the offer were matched by meaning.")
    elif detail.matched_by:  # the model could not load: said on stderr, as `match` says it
        err.print(f"note: {escape(detail.matched_by)}")
    if fmt is OutputFormat.TABLE:
        out.print(
            f"\nEdit with `mutuality intro edit {detail.introduction.id} ...`; record the ask "
            f"with `mutuality intro ask {detail.introduction.id}`."
        )


@intro_app.command("ask")
def ask(
    ctx: typer.Context,
    intro_id: IdArgument,
    name: Annotated[
        str | None, typer.Argument(help="The side asked (default: both not yet asked).")
    ] = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Record that you asked for consent; prints the message(s) to send."""
    detail = open_app(ctx).introductions.ask(intro_id, name)
    _show(detail, fmt, "a", "b")


@intro_app.command("consent")
def consent(
    ctx: typer.Context,
    intro_id: IdArgument,
    name: Annotated[str, typer.Argument(help="Who answered.")],
    no: Annotated[bool, typer.Option("--no", help="They said no (declines it).")] = False,
    note: Annotated[str | None, typer.Option(help="What they said.")] = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Record one side's answer: yes (default) or --no."""
    detail = open_app(ctx).introductions.answer(intro_id, name, yes=not no, note=note)
    _show(detail, fmt, "decline")
    if fmt is OutputFormat.TABLE and detail.introduction.status.value == "agreed":
        out.print(f"\nBoth said yes: `mutuality intro make {intro_id}`.")


@intro_app.command("decline")
def decline(
    ctx: typer.Context,
    intro_id: IdArgument,
    name: Annotated[str, typer.Argument(help="Who said no.")],
    note: Annotated[str | None, typer.Option(help="What they said.")] = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Record a no: the introduction closes kindly and is not proposed again."""
    detail = open_app(ctx).introductions.answer(intro_id, name, yes=False, note=note)
    _show(detail, fmt, "decline")


@intro_app.command("make")
def make(
    ctx: typer.Context,
    intro_id: IdArgument,
    on: Annotated[str | None, typer.Option(help="When (default today).")] = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Make an agreed introduction: logs it in the ledger for both, prints the message."""
    detail = open_app(ctx).introductions.make(intro_id, on)
    _show(detail, fmt, "introduction")


@intro_app.command("outcome")
def outcome(
    ctx: typer.Context,
    intro_id: IdArgument,
    text: Annotated[str, typer.Argument(help="What came of it.")],
    need_met: Annotated[
        bool, typer.Option("--need-met", help="It met the need: close the need.")
    ] = False,
    share: Annotated[
        bool, typer.Option("--share", help="Fit for the portfolio (`mutuality share`).")
    ] = False,
    share_as: Annotated[
        str | None, typer.Option("--share-as", help="Share it, in these words for others' eyes.")
    ] = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Log what came of a made introduction (also on both ledger entries)."""
    detail = open_app(ctx).introductions.log_outcome(
        intro_id, text, need_met=need_met, share=share, share_as=share_as
    )
    _show(detail, fmt)


@intro_app.command("withdraw")
def withdraw(
    ctx: typer.Context,
    intro_id: IdArgument,
    note: Annotated[str | None, typer.Option(help="Why.")] = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Withdraw an introduction you proposed (before it is made)."""
    _show(open_app(ctx).introductions.withdraw(intro_id, note), fmt)


@intro_app.command("edit")
def edit(
    ctx: typer.Context,
    intro_id: IdArgument,
    reason: Annotated[str | None, typer.Option(help="Why it matters.")] = None,
    a_gains: Annotated[str | None, typer.Option(help="What A gains.")] = None,
    b_gains: Annotated[str | None, typer.Option(help="What B gains.")] = None,
    message_a: Annotated[str | None, typer.Option(help="The consent message to A.")] = None,
    message_b: Annotated[str | None, typer.Option(help="The consent message to B.")] = None,
    message: Annotated[str | None, typer.Option(help="The introduction message.")] = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Edit the reason, the gains or a message before the introduction is made."""
    detail = open_app(ctx).introductions.edit(
        intro_id,
        reason=reason,
        a_gains=a_gains,
        b_gains=b_gains,
        a_message=message_a,
        b_message=message_b,
        intro_message=message,
    )
    _show(detail, fmt, "a", "b", "introduction")


@intro_app.command("show")
def show(ctx: typer.Context, intro_id: IdArgument, fmt: FormatOption = OutputFormat.TABLE) -> None:
    """One introduction: its state, messages and timestamped steps."""
    detail = open_app(ctx).introductions.get(intro_id)
    _show(detail, fmt, "a", "b", "introduction", "decline", "steps")


@intro_app.command("list")
def list_intros(
    ctx: typer.Context,
    status: Annotated[
        str | None, typer.Option(help="open, proposed, asking, agreed, made, declined, withdrawn.")
    ] = None,
    person: Annotated[str | None, typer.Option(help="Only those involving this person.")] = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Introductions, newest first."""
    details = open_app(ctx).introductions.list(status, person)
    if fmt is OutputFormat.JSON:
        print_json([intro_view(d) for d in details])
        return
    from rich import box
    from rich.table import Table

    table = Table(title=f"{len(details)} introductions", title_justify="left", box=box.SIMPLE_HEAD)
    for column in ("#", "Proposed", "Between", "Status", "Consent", "Outcome"):
        table.add_column(column, no_wrap=column in ("#", "Proposed", "Status"))
    for d in details:
        intro = d.introduction
        table.add_row(
            str(intro.id),
            intro.created_at.date().isoformat(),
            escape(f"{d.a} ↔ {d.b}"),
            intro.status.value,
            escape(_consents(d)),
            escape(intro.outcome or ""),
        )
    out.print(table)
