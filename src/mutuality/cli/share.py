"""``mutuality share|unshare|portfolio``: mark what others may see, and write the portfolio."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from mutuality.cli.render import err, escape, out, print_json
from mutuality.cli.state import OutputFormat, command_group, open_app

if TYPE_CHECKING:
    from mutuality.services.sharing import Share

FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="table or json")]
ExchangeId = Annotated[int, typer.Argument(help="The exchange's number (see `timeline`).")]
IntroId = Annotated[int, typer.Argument(help="The introduction's number (see `intro list`).")]
PersonName = Annotated[str, typer.Argument(help="Who (forgiving: case, accents, prefix).")]
Wording = Annotated[
    str | None,
    typer.Option("--as", help="What you'd say about it publicly (replaces what and outcome)."),
]

share_app = command_group(
    no_args_is_help=True,
    help="Mark an exchange, a made introduction or a person's full name fit for the portfolio.",
)
unshare_app = command_group(no_args_is_help=True, help="Make a shared thing private again.")


def share_view(share: Share) -> dict[str, Any]:
    return {
        "kind": share.kind.value,
        "id": share.id,
        "summary": share.summary,
        "wording": share.wording,
        "shared_at": share.shared_at.isoformat(),
    }


def _shared(ctx: typer.Context, kind: str, item: int | str, wording: str | None) -> None:
    share = open_app(ctx).sharing.share(kind, item, wording)
    shown = f' as "{escape(share.wording)}"' if share.wording else ""
    out.print(f"Shared {share.kind.value} #{share.id}{shown}: {escape(share.summary)}.")


def _unshared(ctx: typer.Context, kind: str, item: int | str) -> None:
    if open_app(ctx).sharing.unshare(kind, item):
        private = "appears by first name only" if kind == "person" else "is private"
        out.print(f"{kind.capitalize()} {escape(str(item))} {private} again.")
    else:
        out.print(f"{kind.capitalize()} {escape(str(item))} was not shared; nothing to do.")


@share_app.command("exchange")
def share_exchange(ctx: typer.Context, exchange_id: ExchangeId, wording: Wording = None) -> None:
    """Share one of your exchanges: what was given and its outcome."""
    _shared(ctx, "exchange", exchange_id, wording)


@share_app.command("intro")
def share_intro(ctx: typer.Context, intro_id: IntroId, wording: Wording = None) -> None:
    """Share a made introduction and its outcome."""
    _shared(ctx, "intro", intro_id, wording)


@share_app.command("person")
def share_person(
    ctx: typer.Context,
    name: PersonName,
    wording: Annotated[
        str | None, typer.Option("--as", help="The name to show (default: the full name).")
    ] = None,
) -> None:
    """Let a person's full name appear (others appear by first name only)."""
    _shared(ctx, "person", name, wording)


@share_app.command("list")
def share_list(ctx: typer.Context, fmt: FormatOption = OutputFormat.TABLE) -> None:
    """Everything you marked shareable."""
    shares = open_app(ctx).sharing.list()
    if fmt is OutputFormat.JSON:
        print_json({"shares": [share_view(share) for share in shares]})
        return
    if not shares:
        out.print("Nothing is shared yet: `mutuality share exchange ID`, `share intro ID`.")
        return
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, title="Shared", title_justify="left")
    table.add_column("What")
    table.add_column("#", justify="right")
    table.add_column("In the ledger")
    table.add_column("Shown as")
    for share in shares:
        table.add_row(
            share.kind.value,
            str(share.id),
            escape(share.summary),
            escape(share.wording) if share.wording else "[dim](its own words)[/]",
        )
    out.print(table)


@unshare_app.command("exchange")
def unshare_exchange(ctx: typer.Context, exchange_id: ExchangeId) -> None:
    """Make an exchange private again."""
    _unshared(ctx, "exchange", exchange_id)


@unshare_app.command("intro")
def unshare_intro(ctx: typer.Context, intro_id: IntroId) -> None:
    """Make an introduction private again."""
    _unshared(ctx, "intro", intro_id)


@unshare_app.command("person")
def unshare_person(ctx: typer.Context, name: PersonName) -> None:
    """Show a person by first name only again."""
    _unshared(ctx, "person", name)


def portfolio(
    ctx: typer.Context,
    folder: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Folder to write (default ./portfolio)."),
    ] = None,
) -> None:
    """Write the shareable portfolio (index.html, portfolio.md, portfolio.json): only what
    you marked with `mutuality share`, never private notes."""
    written = open_app(ctx).portfolio.write(folder)
    shown = written.portfolio
    if shown.empty:
        err.print(
            "[yellow]Note[/]: nothing is shared yet, so the portfolio is empty; mark outcomes "
            "with `mutuality share exchange ID` or `mutuality share intro ID`."
        )
    out.print(
        f"Wrote {escape(str(written.folder))}/ ({', '.join(written.files)}): "
        f"{len(shown.introductions)} introductions, {len(shown.given)} given, "
        f"{len(shown.received)} received."
    )
