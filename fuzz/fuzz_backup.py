"""atheris target: the JSON backup reader and checks (a restore without the write).

    python -m fuzz.fuzz_backup WORK_CORPUS fuzz/seeds/backup -dict=fuzz/dicts/backup.dict \
        -max_total_time=60 -timeout=2 -rss_limit_mb=512
"""

from fuzz.target import fuzz

if __name__ == "__main__":
    fuzz("backup")
