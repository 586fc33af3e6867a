"""Output: Rich tables for people, JSON with stable keys for scripts, errors on stderr."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

__all__ = ["age", "err", "escape", "out", "print_json", "progress_bar", "signed"]

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def print_json(data: Any) -> None:
    """JSON on stdout: sorted keys, UTF-8, one document per command."""
    sys.stdout.write(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


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
