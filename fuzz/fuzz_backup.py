"""atheris target: the JSON backup reader and checks (a restore without the write).

    python -m fuzz.fuzz_backup WORK_CORPUS fuzz/seeds/backup -dict=fuzz/dicts/backup.dict \
        -max_total_time=60 -timeout=2 -rss_limit_mb=512

Only BadFile may escape; each input must be handled in under 2 s (see fuzz/harness.py).
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["mutuality"]):
    from fuzz.harness import TARGETS

CHECK = TARGETS["backup"]


def test_one_input(data: bytes) -> None:
    CHECK(data)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
