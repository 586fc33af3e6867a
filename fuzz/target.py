"""The one atheris entry point the per-parser targets share (``fuzz/fuzz_<name>.py``).

Only BadFile may escape; each input must be handled in under 2 s (see fuzz/harness.py).
"""

from __future__ import annotations

import sys


def fuzz(name: str) -> None:
    """Fuzz the harness check ``name`` with libFuzzer's command line in ``sys.argv``."""
    import atheris

    with atheris.instrument_imports(include=["mutuality"]):
        from fuzz.harness import TARGETS

    atheris.Setup(sys.argv, TARGETS[name])
    atheris.Fuzz()
