"""Run every fuzz target (or some) for a while, one after the other, and report.

    python -m fuzz.run --seconds 60                 # the CI round: a minute per target
    python -m fuzz.run --seconds 1800 --keep corpus # the long round: 30 minutes each
    python -m fuzz.run --seconds 10 --targets vcard,csv

Each target runs as its own process under libFuzzer's limits (the harness's 2 seconds per
input, ``-rss_limit_mb=512``) on a work corpus started from ``fuzz/seeds/<target>`` (a
temporary folder unless ``--keep DIR`` names one to grow across runs). A crash, a slow
input or a memory blow-up leaves the input in ``--artifacts`` (``fuzz-artifacts/`` by
default) and makes the exit status 1; replay one with
``python -m fuzz.fuzz_vcard fuzz-artifacts/vcard-crash-...``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TARGETS = ("vcard", "csv", "ics", "backup")
LIMITS = ("-timeout=10", "-rss_limit_mb=512")
"""The harness times each input itself (``TooSlow`` past 2 s, the input saved, the reason
printed); atheris's own timer is the backstop for an input that never returns. It stays
on: at ``-timeout=0`` atheris stopped any input still running after a second."""


@dataclass(frozen=True)
class Result:
    target: str
    seconds: float
    runs: int
    coverage: int | None
    corpus: int | None
    peak_rss_mb: int | None
    status: int
    artifacts: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.status == 0 and not self.artifacts

    def line(self) -> str:
        verdict = "ok" if self.ok else f"FAILED (exit {self.status})"
        rate = self.runs / self.seconds if self.seconds else 0
        return (
            f"{self.target:7} {self.seconds:6.0f} s {self.runs:>10,} execs "
            f"({rate:,.0f}/s)  cov {self.coverage or 0:>5}  corpus {self.corpus or 0:>5}  "
            f"rss {self.peak_rss_mb or 0:>4} MB  {verdict}"
            + "".join(f"\n        artifact: {a}" for a in self.artifacts)
        )


def command(target: str, corpus: Path, seconds: int, artifacts: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        f"fuzz.fuzz_{target}",
        str(corpus),
        str(HERE / "seeds" / target),
        f"-dict={HERE / 'dicts' / f'{target}.dict'}",
        f"-max_total_time={seconds}",
        *LIMITS,
        f"-artifact_prefix={artifacts}/{target}-",
        "-print_final_stats=1",
    ]


def _last(pattern: str, text: str) -> int | None:
    found = re.findall(pattern, text)
    return int(found[-1]) if found else None


def fuzz_one(
    target: str, seconds: int, keep: Path | None, artifacts: Path, log: Path | None
) -> Result:
    artifacts.mkdir(parents=True, exist_ok=True)
    before = set(artifacts.glob(f"{target}-*"))
    scratch = None
    if keep is not None:
        corpus = keep / target
        corpus.mkdir(parents=True, exist_ok=True)
    else:
        scratch = tempfile.mkdtemp(prefix=f"mutuality-fuzz-{target}-")
        corpus = Path(scratch)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")])}
    started = time.monotonic()
    try:
        done = subprocess.run(
            command(target, corpus, seconds, artifacts),
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=seconds + 300,
        )
        output, status = done.stdout + done.stderr, done.returncode
    except subprocess.TimeoutExpired as expired:
        output, status = f"{expired.stdout or ''}{expired.stderr or ''}", -9
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    spent = time.monotonic() - started
    if log is not None:
        log.mkdir(parents=True, exist_ok=True)
        (log / f"{target}.log").write_text(output)
    runs = _last(r"stat::number_of_executed_units:\s*(\d+)", output)
    if runs is None:
        runs = _last(r"Done (\d+) runs", output) or _last(r"#(\d+)\s", output) or 0
    new = tuple(sorted(str(p) for p in set(artifacts.glob(f"{target}-*")) - before))
    if status != 0 and not new:
        tail = "\n".join(output.splitlines()[-30:])
        print(f"--- {target} exited {status}; the end of its output:\n{tail}", file=sys.stderr)
    return Result(
        target=target,
        seconds=spent,
        runs=runs,
        coverage=_last(r"\bcov: (\d+)", output),
        corpus=_last(r"\bcorp: (\d+)", output),
        peak_rss_mb=_last(r"stat::peak_rss_mb:\s*(\d+)", output)
        or _last(r"\brss: (\d+)Mb", output),
        status=status,
        artifacts=new,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fuzz.run", description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=60, help="per target (default 60)")
    parser.add_argument("--targets", default=",".join(TARGETS), help="comma-separated")
    parser.add_argument("--keep", type=Path, help="a corpus folder kept between runs")
    parser.add_argument("--artifacts", type=Path, default=ROOT / "fuzz-artifacts")
    parser.add_argument("--log", type=Path, help="write each target's full output here")
    args = parser.parse_args(argv)
    chosen = [t.strip() for t in args.targets.split(",") if t.strip()]
    unknown = sorted(set(chosen) - set(TARGETS))
    if unknown:
        parser.error(f"unknown target {unknown[0]!r}; targets: {', '.join(TARGETS)}")
    results = []
    for target in chosen:
        result = fuzz_one(target, args.seconds, args.keep, args.artifacts.resolve(), args.log)
        print(result.line(), flush=True)
        results.append(result)
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
