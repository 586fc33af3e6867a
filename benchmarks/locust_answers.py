"""Imported by the locustfiles: every write's answer, counted as it arrives and saved when
locust stops (``BENCH_ANSWERS``), so the benchmark can hold them against what is stored."""

from __future__ import annotations

import json
import os
from collections import Counter
from typing import Any

from locust import events

ANSWERS: Counter[str] = Counter()


@events.request.add_listener
def _count(request_type: str, response: Any = None, **_: Any) -> None:
    if request_type == "POST":
        ANSWERS[str(getattr(response, "status_code", "none"))] += 1


@events.quitting.add_listener
def _save(**_: Any) -> None:
    with open(os.environ["BENCH_ANSWERS"], "w") as out:
        json.dump(ANSWERS, out)
