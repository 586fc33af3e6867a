"""The mixed load of ``bench_team_load.py``: each locust user is one signed-in member, reading
their own pages and API three times for every exchange they log. The members' session
cookies and their people's ids come from the file the benchmark names."""

from __future__ import annotations

import itertools
import json
import os
import random
from pathlib import Path
from typing import Any

import locust_answers  # noqa: F401  (counts every write's answer)
from locust import HttpUser, between, task

THINK = [float(s) for s in os.environ.get("BENCH_THINK", "0.05,0.2").split(",")]
"""Seconds each user waits between requests, at least and at most (``--think``)."""
SESSIONS: list[dict[str, Any]] = json.loads(Path(os.environ["BENCH_SESSIONS"]).read_text())
TURN = itertools.count()


class Member(HttpUser):
    wait_time = between(*THINK)

    def on_start(self) -> None:
        mine = SESSIONS[next(TURN) % len(SESSIONS)]
        self.people: list[int] = mine["people"]
        self.client.headers.update({"Cookie": mine["cookie"], "Sec-Fetch-Site": "same-origin"})

    @task(1)
    def dashboard(self) -> None:
        self.client.get("/", name="GET /")

    @task(1)
    def people_api(self) -> None:
        self.client.get("/api/people?limit=50", name="GET /api/people")

    @task(1)
    def person(self) -> None:
        self.client.get(f"/people/{random.choice(self.people)}", name="GET /people/{id}")

    @task(1)
    def log_exchange(self) -> None:
        self.client.post(
            f"/api/people/{random.choice(self.people)}/exchanges",
            json={"direction": "gave", "kind": "time", "description": "load test"},
            name="POST /api/people/{id}/exchanges",
        )
