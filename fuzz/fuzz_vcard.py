"""atheris target: the vCard reader (and the vCard writer on every card it yields).

    python -m fuzz.fuzz_vcard WORK_CORPUS fuzz/seeds/vcard -dict=fuzz/dicts/vcard.dict \
        -max_total_time=60 -timeout=2 -rss_limit_mb=512
"""

from fuzz.target import fuzz

if __name__ == "__main__":
    fuzz("vcard")
