"""``mutuality me``: your own name, which signs what other people read; and the one question
commands that write such messages ask while it is not set."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from mutuality.cli.render import err, escape, out, print_json
from mutuality.cli.state import OutputFormat, open_app

if TYPE_CHECKING:
    from mutuality.services.app import Mutuality

SIGNED_COMMANDS = frozenset(
    {
        ("intro", "propose"),
        ("intro", "ask"),
        ("intro", "consent"),
        ("intro", "decline"),
        ("intro", "make"),
        ("ask", "decline"),
        ("checkin", "link"),
        ("portfolio",),
    }
)
"""Commands that write what another person reads: run at a terminal while your name is not
set, they ask for it once (when they open the ledger, so ``--help`` never asks).
``mutuality serve`` asks on its first run."""

NAME_QUESTION = (
    "Your name, as the people you write to know you (it signs introductions and check-in "
    "links; Enter to skip)"
)


def at_terminal() -> bool:
    """Whether someone can answer a question (scripts and pipes are never asked)."""
    return sys.stdin.isatty()


def ask_own_name(app: Mutuality) -> None:
    """Before a command writes a message another person reads: while your name is not set
    and someone is at the terminal, ask for it once; otherwise go on without a signature."""
    if not at_terminal() or not app.owner.needs_name():
        return
    from mutuality.core.errors import MutualityError

    while True:
        answer = typer.prompt(NAME_QUESTION, default="", show_default=False, err=True).strip()
        if not answer:
            err.print(
                "No name set: messages end without a signature. Set it any time with "
                '`mutuality me --name "Your Name"`.'
            )
            return
        try:
            name = app.owner.set_name(answer)
        except MutualityError as error:
            err.print(f"[red]{escape(error.message)}[/]")
            continue
        err.print(f"Messages are signed {escape(name.first or '')} from now on.")
        return


def me(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Option("--name", "-n", help="Set your name, as the people you write to know you."),
    ] = None,
    fmt: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table or json")
    ] = OutputFormat.TABLE,
) -> None:
    """Your own name: it signs introductions and check-in links (set it once with --name)."""
    app = open_app(ctx)
    own = app.owner.set_name(name) if name is not None else app.owner.name()
    if fmt is OutputFormat.JSON:
        print_json({"name": own.name, "signature": own.first, "set": own.is_set})
        return
    if own.name is None:
        out.print(
            "Your name is not set: introductions and check-in links go out without a "
            'signature. Set it with `mutuality me --name "Your Name"`.'
        )
        return
    changed = "is now" if name is not None else "is"
    signed = escape(own.first or "")
    out.print(f"Your name {changed} {escape(own.name)}; messages are signed {signed}.")
