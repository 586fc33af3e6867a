"""Time-bank hours on the web (issue #20): the organiser keeps hours from /team/hours, a
member logs hours given, the receiver confirms them on their page, each page shows given and
received apart; the API does the same; a transfer is "not found" to anyone not a side of it,
and a member's page never shows anyone else's balance. PostgreSQL only: skipped, saying why,
when MUTUALITY_TEST_PG is unset."""

from __future__ import annotations

# ruff: noqa: F811 (the fixtures pg_url and server are imported)
import re

from team_web_helpers import (
    SAFE_HEADERS,
    found_community,
    needs_server,
    pg_url,  # noqa: F401 (a fixture)
    server,  # noqa: F401 (a fixture)
    signed_in_as,
)
from web_helpers import form_token

from mutuality.services.app import Mutuality

pytestmark = needs_server


def post(client: object, path: str, data: dict[str, str]) -> object:
    token = form_token(client, "/team/hours")  # type: ignore[arg-type]
    return client.post(  # type: ignore[attr-defined]
        path, data={"csrf_token": token, **data}, headers=SAFE_HEADERS, follow_redirects=False
    )


def test_hours_on_the_pages_and_the_api(server: Mutuality) -> None:
    community = found_community(server, "Bea Costa", "Cal Diaz", "Dee Evans")
    cal = community.members[1]
    organiser, giver, receiver, outsider = (signed_in_as(server, m) for m in community.everyone)
    assert (
        "This community does not keep hours: you can choose to" in organiser.get("/team/hours").text
    )
    assert post(organiser, "/team/hours/setup", {"enabled": "yes", "floor": "3"}).status_code == 303  # type: ignore[attr-defined]
    assert "Log hours you gave" in giver.get("/team/hours").text
    logged = post(
        giver, "/team/hours/give", {"to": str(cal.id), "hours": "1,5", "what": "Fixed a bike"}
    )
    assert logged.status_code == 303  # type: ignore[attr-defined]
    page = receiver.get("/team/hours").text
    assert "Bea Costa gave you 1.5 h" in page
    [transfer] = re.findall(r'action="/team/hours/(\d+)/confirm"', page)

    for client in (outsider, organiser):
        for action in ("confirm", "decline", "withdraw"):
            assert post(client, f"/team/hours/{transfer}/{action}", {}).status_code == 404  # type: ignore[attr-defined]
            answer = client.post(
                f"/api/team/hours/transfers/{transfer}/{action}", headers=SAFE_HEADERS
            )
            assert answer.status_code == 404 and "Fixed a bike" not in answer.text
    assert "Fixed a bike" not in outsider.get("/team/hours").text

    assert post(receiver, f"/team/hours/{transfer}/confirm", {}).status_code == 303  # type: ignore[attr-defined]
    mine = giver.get("/api/team/hours").json()
    assert (mine["given"], mine["received"], mine["balance"]) == (1.5, 0, 1.5)
    theirs = receiver.get("/api/team/hours").json()
    assert (theirs["given"], theirs["received"], theirs["balance"]) == (0, 1.5, -1.5)
    assert theirs["statement"][0]["state"] == "confirmed"

    made = outsider.post(
        "/api/team/hours/transfers",
        json={"member": cal.id, "hours": 2, "what": "Taught a song"},
        headers=SAFE_HEADERS,
    )
    assert made.status_code == 201 and made.json()["state"] == "pending"
    refused = receiver.post(
        f"/api/team/hours/transfers/{made.json()['id']}/confirm", headers=SAFE_HEADERS
    )
    assert refused.status_code == 409 and "limit of -3" in refused.json()["message"]

    view = organiser.get("/team/hours").text
    assert "fewer than 5 members: not shown" in view and "-1.5" not in view
    assert outsider.get("/api/team/hours/overview").status_code == 404
    assert organiser.get("/api/team/hours/overview").json()["hours_exchanged"] is None
    assert (
        outsider.put(
            "/api/team/hours/settings", json={"enabled": False}, headers=SAFE_HEADERS
        ).status_code
        == 403
    )
