"""Every unsafe route of the API, read from the OpenAPI document: refused with 403 when
the browser says it comes from another site and with 401 when not signed in, writing
nothing either way (so a new route is covered the day it is added)."""

from __future__ import annotations

import re
from typing import Any

from conftest import table_counts

from mutuality.services.app import Mutuality

UNSAFE = ("post", "put", "patch", "delete")


def unsafe_routes(client: Any) -> list[tuple[str, str]]:
    paths = client.get("/api/openapi.json").json()["paths"]
    return [
        (method, re.sub(r"\{[^}]+\}", "1", path))
        for path, item in paths.items()
        for method in item
        if method in UNSAFE and path != "/api/session"
    ]


def test_cross_site_and_signed_out_changes_are_refused(
    client: Any, anonymous: Any, populated: Mutuality
) -> None:
    populated.needs.add("need", "Ana Lima", "a designer")
    populated.requests.ask("Ana Lima", "Review my deck", benefit=6, cost=2)
    routes = unsafe_routes(client)
    assert ("post", "/api/introductions/1/make") in routes and len(routes) >= 25
    before = table_counts(populated)
    for method, path in routes:
        forged = client.request(method, path, json={}, headers={"Sec-Fetch-Site": "cross-site"})
        assert forged.status_code == 403 and forged.json()["field"] == "origin", path
        signed_out = anonymous.request(method, path, json={})
        assert signed_out.status_code == 401 and signed_out.json()["field"] == "session", path
    assert table_counts(populated) == before
