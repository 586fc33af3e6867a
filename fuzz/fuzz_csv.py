"""atheris target: the contacts CSV reader (and the CSV writer on every row it yields).

    python -m fuzz.fuzz_csv WORK_CORPUS fuzz/seeds/csv -dict=fuzz/dicts/csv.dict \
        -max_total_time=60 -timeout=2 -rss_limit_mb=512
"""

from fuzz.target import fuzz

if __name__ == "__main__":
    fuzz("csv")
