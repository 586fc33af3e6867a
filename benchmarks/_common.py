"""Shared helpers for the benchmark scripts: child processes, memory, machine description."""

from __future__ import annotations

import json
import os
import platform
import resource
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

RESULT_MARK = "BENCH-RESULT "


def peak_rss_mib() -> float:
    """This process's peak resident set size so far (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def current_rss_mib() -> float:
    """This process's resident set size now (Linux only; falls back to the peak)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak_rss_mib()


def report(result: dict[str, Any]) -> None:
    """Hand a child's result to the parent (one marked JSON line on stdout)."""
    print(RESULT_MARK + json.dumps(result), flush=True)


def run_child(script: str, *args: str) -> dict[str, Any]:
    """Run ``script`` in a fresh interpreter (so that its peak RSS is its own) and read its
    result; the child's progress bars and messages go straight to the terminal."""
    command = [sys.executable, str(Path(__file__).with_name(script)), *args]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    for line in done.stdout.splitlines():
        if line.startswith(RESULT_MARK):
            return json.loads(line[len(RESULT_MARK) :])
        print(line)
    raise SystemExit(f"{' '.join(command)} failed (exit {done.returncode})")


def progress_bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        transient=True,
    )


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "os": platform.platform(terse=True),
    }


def describe_machine() -> str:
    info = machine()
    return (
        f"{info['cpu']}, {info['cores']} cores, {info['memory']} RAM, "
        f"Python {info['python']}, SQLite {info['sqlite']}, {info['os']}"
    )
