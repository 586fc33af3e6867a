"""The mixed load of ``bench_load.py``: a signed-in person reading pages and the API three
times for every exchange they log (20 users by default). The session cookie and the demo's
person ids come from the environment the benchmark sets."""

from __future__ import annotations

import os
import random

import locust_answers  # noqa: F401  (counts every write's answer)
from locust import HttpUser, between, task

THINK = [float(s) for s in os.environ.get("BENCH_THINK", "0.05,0.2").split(",")]
"""Seconds each user waits between requests, at least and at most (``--think``)."""
COOKIE = os.environ["BENCH_COOKIE"]
PEOPLE = [int(i) for i in os.environ["BENCH_PEOPLE"].split(",")]


class Member(HttpUser):
    wait_time = between(*THINK)

    def on_start(self) -> None:
        self.client.headers.update({"Cookie": COOKIE, "Sec-Fetch-Site": "same-origin"})

    @task(1)
    def dashboard(self) -> None:
        self.client.get("/", name="GET /")

    @task(1)
    def people(self) -> None:
        self.client.get("/api/people?limit=50", name="GET /api/people")

    @task(1)
    def person(self) -> None:
        self.client.get(f"/people/{random.choice(PEOPLE)}", name="GET /people/{id}")

    @task(1)
    def log_exchange(self) -> None:
        self.client.post(
            f"/api/people/{random.choice(PEOPLE)}/exchanges",
            json={"direction": "gave", "kind": "time", "description": "load test"},
            name="POST /api/people/{id}/exchanges",
        )
