"""``mutuality need ...``, ``mutuality offer ...`` and ``mutuality state ...``: what people
seek and can give, and their current challenges and busy periods."""

from __future__ import annotations

from typing import Annotated

import typer

from mutuality.cli.render import escape, out, print_json
from mutuality.cli.state import OutputFormat, command_group, open_app
from mutuality.presenters.needs import state_json as state_view
from mutuality.presenters.needs import wish_json as wish_view

FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="table or json")]


def _wish_app(kind: str, seeking: str) -> typer.Typer:
    group = command_group(
        no_args_is_help=True,
        help=f"{kind.capitalize()}s: {seeking}. `{kind} add NAME TEXT` (NAME may be `me`).",
    )

    @group.command("add", help=f"Record a {kind} of someone (or of you).")
    def add(
        ctx: typer.Context,
        name: Annotated[str, typer.Argument(help="Whose (a name, or `me`).")],
        text: Annotated[str, typer.Argument(help="What, in a sentence or two.")],
        tag: Annotated[
            list[str] | None, typer.Option("--tag", "-t", help="A tag (repeat).")
        ] = None,
        source: Annotated[
            str | None, typer.Option(help="them (said by them) or me (noted by me; default).")
        ] = None,
        expires: Annotated[
            str | None, typer.Option(help="No longer matched after: YYYY-MM-DD, 'in 30 days'.")
        ] = None,
        fmt: FormatOption = OutputFormat.TABLE,
    ) -> None:
        app = open_app(ctx)
        wish = app.needs.add(
            kind, name, text, tags=tuple(tag or ()), source=source, expires=expires
        )
        person = app.needs.names([wish.person_id]).get(wish.person_id)
        if fmt is OutputFormat.JSON:
            print_json(wish_view(wish, person))
            return
        out.print(f"{kind.capitalize()} #{wish.id} of {escape(person or '?')}: {escape(wish.text)}")

    @group.command("list", help=f"Open {kind}s, newest first.")
    def list_(
        ctx: typer.Context,
        name: Annotated[str | None, typer.Argument(help="Only this person's (or `me`).")] = None,
        include_closed: Annotated[
            bool, typer.Option("--all", help="Closed and expired ones too.")
        ] = False,
        tag: Annotated[str | None, typer.Option("--tag", "-t", help="Only with this tag.")] = None,
        fmt: FormatOption = OutputFormat.TABLE,
    ) -> None:
        app = open_app(ctx)
        wishes = app.needs.list(kind, name, include_closed=include_closed, tag=tag)
        names = app.needs.names(w.person_id for w in wishes)
        if fmt is OutputFormat.JSON:
            print_json([wish_view(w, names.get(w.person_id)) for w in wishes])
            return
        from rich import box
        from rich.table import Table

        table = Table(title=f"{len(wishes)} {kind}s", title_justify="left", box=box.SIMPLE_HEAD)
        for column in ("#", "Who", kind.capitalize(), "Tags", "Since", "Status"):
            table.add_column(column, no_wrap=column in ("#", "Since", "Status"))
        for w in wishes:
            status = w.status
            if w.expires_on:
                status += f" (expires {w.expires_on.isoformat()})"
            table.add_row(
                str(w.id),
                escape(names.get(w.person_id, "?")),
                escape(w.text),
                escape(", ".join(w.tags)),
                w.created_on.isoformat(),
                status,
            )
        out.print(table)

    @group.command("close", help=f"Close a {kind}: met, withdrawn or no longer true.")
    def close(
        ctx: typer.Context,
        wish_id: Annotated[int, typer.Argument(help="Its number.")],
        fmt: FormatOption = OutputFormat.TABLE,
    ) -> None:
        app = open_app(ctx)
        wish = app.needs.close(kind, wish_id)
        if fmt is OutputFormat.JSON:
            print_json(wish_view(wish, app.needs.names([wish.person_id]).get(wish.person_id)))
            return
        out.print(f"Closed {kind} #{wish.id}: {escape(wish.text)}")

    return group


need_app = _wish_app("need", "what a person is seeking")
offer_app = _wish_app("offer", "what a person can give")

state_app = command_group(
    no_args_is_help=True,
    help="Current challenges and busy periods: matching avoids people in a saturated moment.",
)


@state_app.command("add")
def add_state(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Whose (a name, or `me`).")],
    kind: Annotated[str, typer.Argument(help="challenge or busy.")],
    text: Annotated[str, typer.Argument(help="What it is, in a few words.")],
    since: Annotated[str | None, typer.Option(help="From (default today).")] = None,
    until: Annotated[str | None, typer.Option(help="Until (default: until cleared).")] = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Note a current challenge or a busy period."""
    app = open_app(ctx)
    state = app.needs.note_state(name, kind, text, since=since, until=until)
    person = app.needs.names([state.person_id]).get(state.person_id)
    if fmt is OutputFormat.JSON:
        print_json(state_view(state, person))
        return
    until_text = f" until {state.ends_on.isoformat()}" if state.ends_on else ""
    out.print(
        f"State #{state.id}: {escape(person or '?')} {state.kind.value}{until_text}: "
        f"{escape(state.text)}"
    )


@state_app.command("list")
def list_states(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="Only this person's (or `me`).")] = None,
    include_past: Annotated[bool, typer.Option("--all", help="Past ones too.")] = False,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Current challenges and busy periods."""
    app = open_app(ctx)
    states = app.needs.states(name, include_past=include_past)
    names = app.needs.names(s.person_id for s in states)
    if fmt is OutputFormat.JSON:
        print_json([state_view(s, names.get(s.person_id)) for s in states])
        return
    for s in states:
        until_text = f" until {s.ends_on.isoformat()}" if s.ends_on else ""
        out.print(
            f"#{s.id} {escape(names.get(s.person_id, '?'))}: {s.kind.value} since "
            f"{s.starts_on.isoformat()}{until_text}: {escape(s.text)}"
        )
    if not states:
        out.print("No current challenges or busy periods.")


@state_app.command("clear")
def clear_state(
    ctx: typer.Context,
    state_id: Annotated[int, typer.Argument(help="The state's number.")],
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """End a challenge or busy period (it stops counting today)."""
    app = open_app(ctx)
    state = app.needs.clear_state(state_id)
    if fmt is OutputFormat.JSON:
        print_json(state_view(state, app.needs.names([state.person_id]).get(state.person_id)))
        return
    out.print(f"Cleared state #{state.id}: {escape(state.text)}")
