"""Output: Rich tables for people, JSON with stable keys for scripts, errors on stderr.

Nothing stored is written to a terminal as it is: a ledger may hold control characters
typed before they were cleaned on the way in (:mod:`mutuality.core.fields`), so every text
the consoles draw, every JSON document and every line written past them goes through
:func:`~mutuality.core.fields.visible`, which writes ESC as ``\\u001b``. Rich markup in
stored text is escaped (:func:`escape`) where it is put into a line, so a name like
``[bold]x[/]`` is printed as it is written."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any, TextIO

from rich.console import Console, ConsoleOptions, RenderHook
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.segment import Segment

from mutuality.core.fields import visible

if TYPE_CHECKING:
    from rich.console import ConsoleRenderable, HighlighterType, JustifyMethod, OverflowMethod
    from rich.style import Style
    from rich.text import Text

__all__ = [
    "age",
    "err",
    "escape",
    "out",
    "print_json",
    "progress_bar",
    "signed",
    "visible",
    "write",
]


class _Visible:
    """A renderable drawn with every control character in its text written out (Rich's
    own cursor and screen controls are kept: they are segments of their own)."""

    def __init__(self, renderable: ConsoleRenderable) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterable[Segment]:
        for segment in console.render(self.renderable, options):
            if segment.control is None and segment.text:
                shown = visible(segment.text)
                if shown is not segment.text:
                    segment = Segment(shown, segment.style)
            yield segment


class _ShowControls(RenderHook):
    def process_renderables(self, renderables: list[ConsoleRenderable]) -> list[ConsoleRenderable]:
        return [_Visible(renderable) for renderable in renderables]


class TerminalConsole(Console):
    """A Rich console that never writes a control character it was given as text.

    Each string is made :func:`visible` before it is parsed for markup and laid out (so
    tables measure what is shown), and every renderable's text once more as it is drawn."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.push_render_hook(_ShowControls())

    def render_str(
        self,
        text: str,
        *,
        style: str | Style = "",
        justify: JustifyMethod | None = None,
        overflow: OverflowMethod | None = None,
        emoji: bool | None = None,
        markup: bool | None = None,
        highlight: bool | None = None,
        highlighter: HighlighterType | None = None,
    ) -> Text:
        return super().render_str(
            visible(text),
            style=style,
            justify=justify,
            overflow=overflow,
            emoji=emoji,
            markup=markup,
            highlight=highlight,
            highlighter=highlighter,
        )


out = TerminalConsole(highlight=False)
err = TerminalConsole(stderr=True, highlight=False)


def write(text: str, stream: TextIO | None = None) -> None:
    """Plain text on stdout (or ``stream``), past Rich, with control characters written out."""
    (stream or sys.stdout).write(visible(text))


def print_json(data: Any) -> None:
    """JSON on stdout: sorted keys, UTF-8, one document per command. JSON escapes C0
    controls itself; DEL, C1 and the bidi controls are written as ``\\u`` escapes too (the
    same JSON)."""
    write(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def age(then: date | None, now: date) -> str:
    """A compact age for narrow tables: ``today``, ``5d``, ``3w``, ``4mo``, ``2y``."""
    if then is None:
        return ""
    days = (now - then).days
    if days <= 0:
        return "today"
    if days < 14:
        return f"{days}d"
    if days < 60:
        return f"{days // 7}w"
    if days < 730:
        return f"{days // 30}mo"
    return f"{days // 365}y"


def signed(value: float) -> str:
    return f"{value:+.1f}"


LEANING_STYLE = {
    "balanced": "green",
    "over-giving": "yellow",
    "over-receiving": "cyan",
    "no exchanges": "dim",
    "no benefit yet": "dim",
}


@contextmanager
def progress_bar(description: str, total: int | None) -> Iterator[Any]:
    """A Rich progress bar on stderr; yields a callback taking the number of items done."""
    bar = Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )
    with bar:
        task = bar.add_task(description, total=total)
        yield lambda done: bar.advance(task, done)
