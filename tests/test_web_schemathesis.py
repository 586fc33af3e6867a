"""Schemathesis against the OpenAPI document, in-process: no 5xx, every answer matches the
schema, no undocumented status (RELIABILITY I10). Brief: a few examples per operation."""

from __future__ import annotations

from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import (  # noqa: E402
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from web_helpers import sign_in, web_client  # noqa: E402

from mutuality.web.security import SESSION_COOKIE  # noqa: E402

SKIPPED = {("POST", "/api/session"), ("DELETE", "/api/session")}
"""Signing in and out would only test the rate limiter and end the run's own session."""


def test_the_api_holds_to_its_openapi_document(populated: Any) -> None:
    # Something for the id routes to find: a need, an offer, a request, an introduction.
    populated.needs.add("need", "Ana Lima", "a designer for the studio site")
    populated.needs.add("offer", "Bo Chen", "design reviews for studio sites")
    populated.requests.ask("Ana Lima", "Review my deck", benefit=6, cost=2)
    populated.introductions.propose("Ana Lima", "Bo Chen")
    client = sign_in(web_client(populated), populated)
    token = client.cookies.get(SESSION_COOKIE)
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", client.app)
    checks = [not_a_server_error, status_code_conformance, response_schema_conformance]
    tried = 0
    for operation in schema.get_all_operations():
        op = operation.ok()
        if (op.method.upper(), op.path) in SKIPPED:
            continue
        exercise(op, token, checks)
        tried += 1
    assert tried >= 20


def exercise(op: Any, token: str | None, checks: list[Any]) -> None:
    @given(op.as_strategy())
    @settings(max_examples=8, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        response = case.call(headers={"Cookie": f"{SESSION_COOKIE}={token}", "Host": "localhost"})
        case.validate_response(response, checks=checks)

    run()
