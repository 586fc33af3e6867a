"""atheris target: the contacts CSV reader (and the CSV writer on every row it yields).

    python -m fuzz.fuzz_csv WORK_CORPUS fuzz/seeds/csv -dict=fuzz/dicts/csv.dict \
        -max_total_time=60 -timeout=2 -rss_limit_mb=512

Only BadFile may escape; each input must be handled in under 2 s (see fuzz/harness.py).
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["mutuality"]):
    from fuzz.harness import TARGETS

CHECK = TARGETS["csv"]


def test_one_input(data: bytes) -> None:
    CHECK(data)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
