"""The REST API through the test client: every endpoint, its paging, and its bad-input answers
(clear JSON errors naming the field, 4xx and never 5xx)."""

from __future__ import annotations

from typing import Any

import pytest
from web_helpers import ERROR_KEYS, PASSWORD

from mutuality.services.app import Mutuality


def person_id(client: Any, name: str) -> int:
    found = client.get("/api/people", params={"search": name}).json()["items"]
    return next(item["person"]["id"] for item in found if item["person"]["name"] == name)


def error_of(answer: Any, status: int, field: str | None = None) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert set(body) >= ERROR_KEYS, body
    assert body["message"]
    if field is not None:
        assert body["field"] == field, body
    return body


# --- the error contract (pinned: clients rely on it) ------------------------------------------


def test_every_error_has_the_same_shape(client: Any, anonymous: Any) -> None:
    ana = person_id(client, "Ana Lima")
    cases = [
        (client.get("/api/people/999999"), 404, "id"),
        (client.post("/api/people", json={"name": " "}), 422, "name"),
        (client.post("/api/people", json={"name": "Ana Lima"}), 409, "name"),
        (client.post("/api/people", json={"nom": "x"}), 422, "name"),
        (client.get("/api/people", params={"limit": 501}), 422, "limit"),
        (
            client.post(
                f"/api/people/{ana}/exchanges",
                json={"direction": "gave", "kind": "tea", "description": "x"},
            ),
            422,
            "kind",
        ),
        (client.get("/api/nowhere"), 404, None),
    ]
    for answer, status, field in cases:
        body = error_of(answer, status, field)
        assert set(body) == ERROR_KEYS, body
    body = error_of(anonymous.get("/api/people"), 401, "session")
    assert body == {
        "error": "Unauthorized",
        "message": "sign in first",
        "field": "session",
        "value": None,
        "location": None,
    }


def test_openapi_lists_every_resource_and_each_is_tested(client: Any) -> None:
    schema = client.get("/api/openapi.json").json()
    routes = {(method.upper(), path) for path, item in schema["paths"].items() for method in item}
    assert routes == TESTED
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if path != "/api/ping":
                assert "422" in operation["responses"], (method, path)


TESTED = {
    ("POST", "/api/session"),
    ("DELETE", "/api/session"),
    ("GET", "/api/ping"),
    ("GET", "/api/people"),
    ("POST", "/api/people"),
    ("GET", "/api/people/suggest"),  # tests/test_person_picker.py
    ("POST", "/api/people/{person_id}/snooze"),  # tests/test_snooze.py
    ("DELETE", "/api/people/{person_id}/snooze"),
    ("GET", "/api/people/{person_id}"),
    ("PATCH", "/api/people/{person_id}"),
    ("DELETE", "/api/people/{person_id}"),
    ("GET", "/api/people/{person_id}/balance"),
    ("GET", "/api/people/{person_id}/balance/history"),
    ("GET", "/api/people/{person_id}/health"),
    ("GET", "/api/people/{person_id}/exchanges"),
    ("POST", "/api/people/{person_id}/exchanges"),
    ("POST", "/api/people/{person_id}/touches"),
    ("GET", "/api/exchanges"),
    ("GET", "/api/exchanges/{exchange_id}"),
    ("DELETE", "/api/exchanges/{exchange_id}"),
    ("GET", "/api/health"),
    ("GET", "/api/next"),
    ("GET", "/api/thanks"),
    ("GET", "/api/network"),
    ("GET", "/api/network/graph"),
    ("GET", "/api/flows"),
    ("GET", "/api/capacity"),
    ("PUT", "/api/capacity"),
    ("DELETE", "/api/capacity"),
    ("GET", "/api/commitments"),
    ("POST", "/api/commitments/{commitment_id}/keep"),
    ("POST", "/api/commitments/{commitment_id}/break"),
    *(
        (method, f"/api/{kind}{path}")
        for kind in ("needs", "offers")
        for method, path in (
            ("GET", ""),
            ("POST", ""),
            ("GET", "/{wish_id}"),
            ("POST", "/{wish_id}/close"),
            ("POST", "/{wish_id}/reopen"),
        )
    ),
    ("GET", "/api/matches"),
    ("GET", "/api/requests"),
    ("POST", "/api/requests"),
    ("GET", "/api/requests/reconsider"),
    ("GET", "/api/requests/{request_id}"),
    ("POST", "/api/requests/{request_id}/decision"),
    ("GET", "/api/requests/{request_id}/decline"),
    ("GET", "/api/people/{person_id}/checkins"),
    ("POST", "/api/people/{person_id}/checkins"),
    ("POST", "/api/people/{person_id}/checkin-link"),
    ("GET", "/api/checkins/agenda"),
    ("GET", "/api/checkins/wishes"),
    ("POST", "/api/checkins/{checkin_id}/wish"),
    ("POST", "/api/checkins/{checkin_id}/wish/set-aside"),
    ("GET", "/api/introductions"),
    ("POST", "/api/introductions"),
    ("GET", "/api/introductions/{intro_id}"),
    ("PATCH", "/api/introductions/{intro_id}"),
    *(
        ("POST", f"/api/introductions/{{intro_id}}/{step}")
        for step in ("ask", "consent", "make", "outcome", "withdraw")
    ),
}
"""Every route, each exercised below or in ``test_web_api_*.py`` (needs, requests, check-ins,
introductions); a new route fails the test above until it is tested."""


# --- people ------------------------------------------------------------------------------------


def test_people_list_is_paged_with_health(client: Any) -> None:
    page = client.get("/api/people", params={"limit": 2}).json()
    assert page["total"] == 4 and page["limit"] == 2 and page["offset"] == 0
    assert [i["person"]["name"] for i in page["items"]] == ["Ana Lima", "Bo Chen"]
    assert page["items"][0]["health"]["status"] in {"new", "balanced", "thriving", "overdue"}
    rest = client.get("/api/people", params={"limit": 2, "offset": 2}).json()
    assert [i["person"]["name"] for i in rest["items"]] == ["Dana Smith", "José Álvarez"]
    quiet = client.get("/api/people", params={"status": "quiet"}).json()
    assert [i["person"]["name"] for i in quiet["items"]] == ["Dana Smith"]
    tagged = client.get("/api/people", params={"tag": "lisbon"}).json()
    assert {i["person"]["name"] for i in tagged["items"]} == {"Ana Lima", "José Álvarez"}
    assert client.get("/api/people", params={"search": "studio"}).json()["total"] == 1
    urgent = client.get("/api/people", params={"sort": "urgency"}).json()["items"]
    assert urgent[0]["health"]["urgency"] >= urgent[-1]["health"]["urgency"]
    error_of(client.get("/api/people", params={"status": "sad"}), 422, "status")
    error_of(client.get("/api/people", params={"offset": -1}), 422, "offset")


def test_add_show_edit_and_forget_a_person(client: Any) -> None:
    made = client.post(
        "/api/people",
        json={
            "name": "Eve Moreau",
            "emails": ["Eve@Example.org"],
            "tags": ["Chess"],
            "organisation": "Club",
            "context": "friend",
            "cadence_days": 14,
            "note": "likes tea",
        },
    )
    assert made.status_code == 201, made.text
    eve = made.json()
    assert eve["emails"] == ["eve@example.org"] and eve["tags"] == ["chess"]
    assert eve["context"] == "friend" and eve["cadence_days"] == 14 and eve["exchanges"] == 0
    shown = client.get(f"/api/people/{eve['id']}").json()
    assert shown == eve
    changed = client.patch(
        f"/api/people/{eve['id']}",
        json={"tags": ["go", "chess"], "organisation": None, "title": "Coach"},
    ).json()
    assert changed["tags"] == ["chess", "go"] and changed["organisation"] is None
    assert changed["title"] == "Coach" and changed["note"] == "likes tea"
    error_of(client.patch(f"/api/people/{eve['id']}", json={"cadence_days": 0}), 422, "cadence")
    error_of(client.patch(f"/api/people/{eve['id']}", json={"emails": ["no"]}), 422, "email")
    error_of(client.patch(f"/api/people/{eve['id']}", json={"context": "rival"}), 422, "context")
    gone = client.delete(f"/api/people/{eve['id']}").json()
    assert gone == {"forgotten": "Eve Moreau", "exchanges": 0}
    error_of(client.get(f"/api/people/{eve['id']}"), 404, "id")
    error_of(client.get("/api/people/0"), 422, "person_id")
    error_of(client.get("/api/people/abc"), 422, "person_id")


# --- exchanges and touches -----------------------------------------------------------------------


def test_log_an_exchange_then_see_it_everywhere(client: Any) -> None:
    bo = person_id(client, "Bo Chen")
    logged = client.post(
        f"/api/people/{bo}/exchanges",
        json={
            "direction": "got",
            "kind": "introduction",
            "description": "Intro to <b>Cy</b>",
            "benefit": 6,
            "cost": 1,
            "on": "2026-11-22",
            "initiated_by": "them",
            "tags": ["Fund"],
            "note": "private",
        },
    )
    assert logged.status_code == 201, logged.text
    body = logged.json()
    assert body["direction"] == "got" and body["kind"] == "introduction"
    assert body["description"] == "Intro to <b>Cy</b>" and body["initiated_by"] == "them"
    assert body["tags"] == ["fund"] and body["health"]["status"]
    timeline = client.get(f"/api/people/{bo}/exchanges", params={"limit": 1}).json()
    assert timeline["total"] == 2 and timeline["items"][0]["id"] == body["id"]
    assert 0 < timeline["items"][0]["weight"] <= 1
    assert client.get(f"/api/exchanges/{body['id']}").json()["description"] == "Intro to <b>Cy</b>"
    recent = client.get("/api/exchanges", params={"limit": 1}).json()
    latest = recent["items"][0]
    assert latest["id"] == body["id"] and latest["person"]["name"] == "Bo Chen"
    assert recent["total"] == 5
    assert client.delete(f"/api/exchanges/{body['id']}").json() == {"deleted": body["id"]}
    error_of(client.get(f"/api/exchanges/{body['id']}"), 404, "id")
    error_of(client.delete(f"/api/exchanges/{body['id']}"), 404, "id")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"benefit": 11}, "benefit"),
        ({"cost": -1}, "cost"),
        ({"on": "2026-12-01"}, "date"),
        ({"on": "yesterday"}, "on"),
        ({"description": "  "}, "description"),
        ({"direction": "lent"}, "direction"),
        ({"hours": 5000}, "hours"),
        ({"tags": ["<bad>"]}, "tag"),
        ({"initiated_by": "someone"}, "initiated_by"),
        ({"extra": 1}, "extra"),
    ],
)
def test_bad_exchanges_are_refused_naming_the_field(
    client: Any, populated: Mutuality, change: dict[str, Any], field: str
) -> None:
    ana = person_id(client, "Ana Lima")
    before = client.get(f"/api/people/{ana}/exchanges").json()["total"]
    good = {"direction": "gave", "kind": "time", "description": "coffee"}
    error_of(client.post(f"/api/people/{ana}/exchanges", json={**good, **change}), 422, field)
    assert client.get(f"/api/people/{ana}/exchanges").json()["total"] == before


def test_touches_and_unknown_people(client: Any) -> None:
    dana = person_id(client, "Dana Smith")
    touched = client.post(
        f"/api/people/{dana}/touches", json={"channel": "call", "initiated_by": "me"}
    )
    assert touched.status_code == 201 and touched.json()["channel"] == "call"
    assert client.get(f"/api/people/{dana}/health").json()["health"]["status"] != "quiet"
    error_of(client.post(f"/api/people/{dana}/touches", json={"channel": "pigeon"}), 422, "channel")
    error_of(client.post("/api/people/424242/touches", json={}), 404, "id")
    error_of(
        client.post(
            "/api/people/424242/exchanges",
            json={"direction": "gave", "kind": "time", "description": "x"},
        ),
        404,
        "id",
    )


# --- balances, health, the network, capacity ------------------------------------------------------


def test_balance_history_and_why(client: Any) -> None:
    ana = person_id(client, "Ana Lima")
    balance = client.get(f"/api/people/{ana}/balance").json()
    assert balance["person"]["name"] == "Ana Lima" and balance["times_given"] == 1
    assert any("Balance =" in line for line in balance["explanation"])
    page = client.get(f"/api/people/{ana}/balance/history", params={"months": 3}).json()
    assert (page["total"], page["limit"], page["offset"]) == (3, 50, 0)
    history = page["items"]
    assert [p["on"] for p in history] == ["2026-09-30", "2026-10-31", "2026-11-23"]
    assert history[0]["balance"] is None and history[1]["balance"] == 1.0
    assert history[-1]["balance"] == pytest.approx(balance["balance"], abs=1e-3)
    error_of(client.get(f"/api/people/{ana}/balance/history", params={"months": 0}), 422, "months")
    why = client.get(f"/api/people/{ana}/health").json()
    assert why["person"]["name"] == "Ana Lima" and why["explanation"]
    assert why["balance"]["given"] > 0 and why["health"]["status"]
    assert [g["description"] for g in why["gifts"]] == ["Intro to Bo"]
    assert [(g["description"], g["direction"]) for g in why["my_gifts"]] == [
        ("Reviewed her deck", "gave")
    ]
    assert any(line.startswith("Surplus created = ") for line in why["explanation"])


def test_health_next_thanks_network_and_flows(client: Any) -> None:
    health = client.get("/api/health").json()
    assert health["total"] == 4
    urgencies = [item["urgency"] for item in health["items"]]
    assert urgencies == sorted(urgencies, reverse=True)
    only = client.get("/api/health", params={"status": "quiet"}).json()
    assert [i["person"]["name"] for i in only["items"]] == ["Dana Smith"]
    steps = client.get("/api/next", params={"limit": 2}).json()
    assert steps["total"] == 4 and len(steps["items"]) == 2 and steps["items"][0]["reason"]
    assert [s["person"]["name"] for s in steps["items"]] == [
        i["person"]["name"] for i in health["items"][:2]
    ]
    error_of(client.get("/api/next", params={"limit": 0}), 422, "limit")
    thanks = client.get("/api/thanks").json()
    assert thanks["total"] == 1 and [t["person"]["name"] for t in thanks["items"]] == ["Ana Lima"]
    assert [c["description"] for c in thanks["items"][0]["cite"]] == ["Intro to Bo"]
    network = client.get("/api/network").json()
    assert (network["people"] >= 4 and "giver" in network["styles"]) or network["styles"]
    assert isinstance(network["isolated"], list) and network["isolated_count"] >= 0
    flows = client.get("/api/flows", params={"months": 2}).json()["items"]
    assert [f["month"] for f in flows] == ["2026-10-01", "2026-11-01"]
    assert flows[1]["given"] == 3.0 and flows[1]["received"] == 6.0
    assert flows[0]["given"] == 4.0


def test_the_network_graph_as_data(client: Any, populated: Mutuality) -> None:
    ids = {p.name: p.id for p in populated.people.list()}
    populated.introductions.propose("Bo Chen", "Dana Smith", reason="Pricing")
    graph = client.get("/api/network/graph", params={"limit": 2}).json()
    assert graph["owner"]
    people = {p["id"]: p for p in graph["people"]}
    assert ids["Dana Smith"] in people and ids["Bo Chen"] in people  # her introduction
    assert people[ids["Dana Smith"]]["status"] == "quiet"
    assert graph["introductions"] == [
        {"a": ids["Bo Chen"], "b": ids["Dana Smith"], "status": "proposed"}
    ]
    assert all(link["exchanges"] >= 1 for link in graph["links"])
    assert all(link["giver"] in people and link["receiver"] in people for link in graph["links"])
    error_of(client.get("/api/network/graph", params={"limit": 0}), 422, "limit")


PAGED_LISTS = [
    ("/api/next", {}),
    ("/api/thanks", {}),
    ("/api/flows", {"months": 5}),
    ("/api/people/{ana}/balance/history", {"months": 5}),
    ("/api/requests/reconsider", {}),
]
"""The lists that answered bare arrays before they were paged like every other."""


@pytest.mark.parametrize(("path", "params"), PAGED_LISTS)
def test_every_list_is_paged_the_same_way(
    client: Any, populated: Mutuality, path: str, params: dict[str, Any]
) -> None:
    for text in ("Review my CV", "Lend me a book"):  # easy yeses said no to: to reconsider
        request = populated.requests.ask("Ana Lima", text, benefit=7, cost=1)
        populated.requests.decide(request.id, "no")
    path = path.format(ana=person_id(client, "Ana Lima"))
    whole = client.get(path, params=params).json()
    assert set(whole) == {"items", "total", "limit", "offset"}
    assert (whole["limit"], whole["offset"]) == (50, 0)
    assert whole["total"] == len(whole["items"]) >= 1
    for limit, offset in ((1, 0), (1, 1), (2, 1), (500, whole["total"] - 1)):
        page = client.get(path, params={**params, "limit": limit, "offset": offset}).json()
        assert (page["total"], page["limit"], page["offset"]) == (whole["total"], limit, offset)
        assert page["items"] == whole["items"][offset : offset + limit]
    beyond = client.get(path, params={**params, "offset": whole["total"]}).json()
    assert beyond["items"] == [] and beyond["total"] == whole["total"]
    for bad in ({"limit": 0}, {"limit": 501}, {"limit": "many"}):
        body = error_of(client.get(path, params={**params, **bad}), 422, "limit")
        assert body["location"] == "query"
    error_of(client.get(path, params={**params, "offset": -1}), 422, "offset")


def test_no_get_route_answers_a_bare_list(client: Any) -> None:
    """Every list is paged: no GET in the OpenAPI document answers a JSON array."""
    schema = client.get("/api/openapi.json").json()
    for path, item in schema["paths"].items():
        if "get" not in item:
            continue
        answer = item["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert answer.get("type") != "array", path
        if answer.get("$ref", "").startswith("#/components/schemas/PageOut"):
            names = {p["name"] for p in item["get"]["parameters"] if p["in"] == "query"}
            assert {"limit", "offset"} <= names, path


def test_capacity_set_show_and_clear(client: Any) -> None:
    assert client.get("/api/capacity").json()["state"] == "no budget set"
    set_ = client.put(
        "/api/capacity",
        json={"amount": 10, "unit": "points", "period": "month", "boundaries": ["money"]},
    )
    assert set_.status_code == 200, set_.text
    assert set_.json()["amount"] == 10 and set_.json()["boundaries"] == ["money"]
    error_of(client.put("/api/capacity", json={"amount": 10, "unit": "days"}), 422, "unit")
    assert client.delete("/api/capacity").json()["state"] == "no budget set"


def test_commitments_list_keep_and_break(client: Any, populated: Mutuality) -> None:
    ids = []
    for text in ("Review the deck", "Send the intro"):
        request = populated.requests.ask("Ana Lima", text, benefit=8, cost=1, due="2026-12-01")
        _, commitment = populated.requests.decide(request.id, "yes")
        assert commitment is not None
        ids.append(commitment.id)
    ana = person_id(client, "Ana Lima")
    listed = client.get("/api/commitments", params={"person_id": ana, "limit": 1}).json()
    assert listed["total"] == 2 and len(listed["items"]) == 1
    kept = client.post(f"/api/commitments/{ids[0]}/keep").json()
    assert kept["status"] == "kept" and kept["exchange_id"]
    broken = client.post(f"/api/commitments/{ids[1]}/break").json()
    assert broken["status"] == "broken"
    error_of(client.post(f"/api/commitments/{ids[1]}/keep"), 409, "commitment")
    error_of(client.post("/api/commitments/999/break"), 404, "commitment")
    assert client.get("/api/commitments").json()["total"] == 0
    assert client.get("/api/commitments", params={"include_closed": True}).json()["total"] == 2


# --- sessions ----------------------------------------------------------------------------------


def test_sign_in_and_out_through_the_api(client: Any, anonymous: Any) -> None:
    web = anonymous
    assert web.get("/api/ping").json() == {"ok": True}
    error_of(web.post("/api/session", json={"password": "wrong password"}), 401, "password")
    signed = web.post("/api/session", json={"password": PASSWORD})
    assert signed.status_code == 200 and signed.json()["signed_in"] is True
    assert signed.json()["expires_at"].endswith(("Z", "+00:00"))  # a date-time with its offset
    assert web.get("/api/people").status_code == 200
    assert web.delete("/api/session").json() == {"signed_in": False, "expires_at": None}
    error_of(web.get("/api/people"), 401, "session")


def test_network_carries_the_style_evidence_and_who_reaches_out_first(client: Any) -> None:
    bo = person_id(client, "Bo Chen")
    for by in ("me", "me", "me"):
        client.post(f"/api/people/{bo}/touches", json={"channel": "call", "initiated_by": by})
    network = client.get("/api/network").json()
    # Mine, decayed (half-life 180 days): gave Ana 4 w(53) + Bo 3 w(3) = 3.262 + 2.966;
    # received Ana 6 w(22) + José 4 w(180) = 5.513 + 2.0: share 6.228 / 13.740 = 0.4532.
    assert network["my_style"] == "matcher"
    assert network["my_evidence"] == {
        "style": "matcher",
        "gave": pytest.approx(6.228, abs=1e-3),
        "received": pytest.approx(7.513, abs=1e-3),
        "share": pytest.approx(0.4532, abs=1e-4),
        "exchanges": 4,
    }
    assert network["thresholds"] == {
        "giver_share": 0.6,
        "taker_share": 0.4,
        "min_exchanges": 3,
        "reach_out_share": 0.8,
        "reach_out_min": 3,
    }
    # Everyone else has one or two exchanges: no clear giver or taker.
    assert network["gives_more"] == [] and network["receives_more"] == []
    # Bo: three calls, all mine.
    assert network["reach_out_first"] == {
        "count": 1,
        "judged": 1,
        "people": [{"id": bo, "name": "Bo Chen", "mine": 3, "theirs": 0}],
    }


def test_a_saved_exchange_is_never_answered_as_failed(
    client: Any, populated: Mutuality, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The health shown with a logged exchange is worked out after the commit: when the
    database is too busy for it, the answer is still 201 (a retrying client would log the
    exchange twice), with ``health`` null."""
    from mutuality.core.errors import StorageError

    def busy(*_: object, **__: object) -> None:
        raise StorageError("ledger.db: the database stayed busy; try again", field="db")

    ana = person_id(client, "Ana Lima")
    before = client.get(f"/api/people/{ana}/exchanges").json()["total"]
    monkeypatch.setattr(populated.health, "for_person", busy)
    answer = client.post(
        f"/api/people/{ana}/exchanges",
        json={"direction": "gave", "kind": "time", "description": "Helped her move"},
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["health"] is None
    assert answer.json()["description"] == "Helped her move"
    assert client.get(f"/api/people/{ana}/exchanges").json()["total"] == before + 1
