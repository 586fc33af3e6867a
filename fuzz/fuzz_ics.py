"""atheris target: the iCalendar reader with recurrence expansion.

    python -m fuzz.fuzz_ics WORK_CORPUS fuzz/seeds/ics -dict=fuzz/dicts/ics.dict \
        -max_total_time=60 -timeout=2 -rss_limit_mb=512
"""

from fuzz.target import fuzz

if __name__ == "__main__":
    fuzz("ics")
