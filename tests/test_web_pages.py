"""The server-rendered pages and forms through the test client: what a person sees and does."""

from __future__ import annotations

import re
from typing import Any

from web_helpers import post_form

from mutuality.services.app import Mutuality


def pid(populated: Mutuality, name: str) -> int:
    return next(p.id for p in populated.people.list() if p.name == name)


def test_dashboard_shows_the_to_do_list_the_glance_and_recent_activity(client: Any) -> None:
    html = client.get("/").text
    for section in ('id="todo"', 'id="glance"', 'id="recent"'):
        assert section in html
    assert "4 relationships" in html
    assert '<svg class="chart"' in html and "Benefit given and received per month" in html
    assert "Helped him move" in html  # the latest exchange, under recent activity
    assert re.search(r"quiet</span> <span class=\"count\">1<", html)


def test_people_list_searches_filters_and_pages(client: Any, populated: Mutuality) -> None:
    html = client.get("/people").text
    assert "4 people" in html
    for name in ("Ana Lima", "Bo Chen", "Dana Smith", "José Álvarez"):
        assert name in html
    assert "30\u00a0days" in html  # Ana's cadence (friend: 30 days)
    found = client.get("/people", params={"search": "jose"}).text
    assert "1 person" in found and "José Álvarez" in found and "Bo Chen" not in found
    quiet = client.get("/people", params={"status": "quiet"}).text
    assert "Dana Smith" in quiet and "Ana Lima" not in quiet
    assert client.get("/people", params={"status": "grumpy"}).status_code == 422
    populated.people.bulk_add([f"Person {n:03}" for n in range(60)])
    first = client.get("/people").text
    assert "64 people" in first and "Page 1 of 2" in first and first.count("<tr>") == 51
    second = client.get("/people", params={"page": 2}).text
    assert "Page 2 of 2" in second and second.count("<tr>") == 15


def test_person_page_has_the_why_the_chart_the_timeline_and_commitments(
    client: Any, populated: Mutuality
) -> None:
    request = populated.requests.ask("Ana Lima", "Review the portfolio", benefit=8, cost=1)
    populated.requests.decide(request.id, "yes", due="2026-12-10")
    html = client.get(f"/people/{pid(populated, 'Ana Lima')}").text
    assert "<h1>Ana Lima" in html and "Studio Lima" in html and "prefers mornings" in html
    assert 'id="why"' in html and "Balance =" in html
    assert "<title>Balance with Ana Lima and each side&#39;s net benefit over time</title>" in html
    assert "Reviewed her deck" in html and "Intro to Bo" in html
    assert "Review the portfolio" in html and "I promised" in html
    assert client.get("/people/999").status_code == 404


def test_add_a_person_then_fix_a_mistake(client: Any, populated: Mutuality) -> None:
    answer = post_form(
        client,
        "/people/new",
        {
            "name": "Eve Moreau",
            "context": "friend",
            "cadence": "14",
            "emails": "eve@example.org",
            "tags": "chess, go",
            "note": "likes tea",
        },
    )
    assert answer.status_code == 303
    page = client.get(answer.headers["location"]).text
    assert "Eve Moreau" in page and "chess" in page and "likes tea" in page
    again = post_form(client, "/people/new", {"name": "Eve Moreau", "emails": "not-an-email"})
    assert again.status_code == 422
    assert "not an email address" in again.text and 'value="not-an-email"' in again.text
    eve = pid(populated, "Eve Moreau")
    edited = post_form(
        client,
        f"/people/{eve}/edit",
        {
            "name": "Eve Moreau-Lund",
            "context": "colleague",
            "emails": "eve@example.org",
            "tags": "chess",
            "organisation": "Club",
            "note": "",
        },
    )
    assert edited.status_code == 303
    details = populated.people.get(eve)
    assert details.person.name == "Eve Moreau-Lund" and details.person.tags == ("chess",)
    assert details.person.private_note is None and details.relationship.context.value == "colleague"
    assert post_form(client, f"/people/{eve}/edit", {"name": ""}).status_code == 422
    assert "Forget Eve Moreau-Lund?" in client.get(f"/people/{eve}/forget").text
    assert post_form(client, f"/people/{eve}/forget", {}).status_code == 303
    assert "Eve" not in {p.name.split()[0] for p in populated.people.list()}


def test_log_an_exchange_from_the_form_and_see_the_dashboard_update(
    client: Any, populated: Mutuality
) -> None:
    form = client.get("/log").text
    assert 'name="person"' in form and 'value="2026-11-23"' in form  # today by default
    answer = post_form(
        client,
        "/log",
        {
            "person": "dana",
            "direction": "got",
            "kind": "knowledge",
            "description": "Explained the new tax rules",
            "benefit": "5",
            "cost": "1",
            "on": "2026-11-22",
            "tags": "tax",
            "by": "me",
        },
    )
    assert answer.status_code == 303 and "logged=" in answer.headers["location"]
    page = client.get(answer.headers["location"]).text
    assert "Logged exchange #" in page and "Explained the new tax rules" in page
    assert "Explained the new tax rules" in client.get("/").text
    quick = post_form(
        client,
        f"/people/{pid(populated, 'Bo Chen')}/exchanges",
        {
            "direction": "gave",
            "kind": "time",
            "description": "Coffee",
            "on": "",
        },
    )
    assert quick.status_code == 303
    assert populated.ledger.timeline("Bo Chen").entries[0].exchange.description == "Coffee"


def test_the_log_form_says_what_is_wrong_and_keeps_what_was_typed(
    client: Any, populated: Mutuality
) -> None:
    for data, message in (
        ({"person": "Nobody Known", "description": "x"}, "no person matches"),
        ({"person": "Ana", "description": "x", "benefit": "eleven"}, "is not a number"),
        ({"person": "Ana", "description": "x", "on": "2027-01-01"}, "in the future"),
        ({"person": "Ana", "description": ""}, "must not be empty"),
    ):
        answer = post_form(client, "/log", {"kind": "time", **data})
        assert answer.status_code in (404, 422), answer.text
        assert message in answer.text
        assert f'value="{data["person"]}"' in answer.text
    on_page = post_form(
        client,
        f"/people/{pid(populated, 'Ana Lima')}/exchanges",
        {"kind": "time", "description": "x", "cost": "12"},
    )
    assert on_page.status_code == 422 and "Ana Lima" in on_page.text and "cost" in on_page.text


def test_touch_unlog_and_commitments_from_the_person_page(
    client: Any, populated: Mutuality
) -> None:
    dana = pid(populated, "Dana Smith")
    assert (
        post_form(
            client, f"/people/{dana}/touches", {"channel": "call", "by": "them", "on": "2026-11-20"}
        ).status_code
        == 303
    )
    assert "last contact 3 days ago" in client.get(f"/people/{dana}").text
    ana = pid(populated, "Ana Lima")
    first = populated.ledger.timeline(ana).entries[0].exchange.id
    unlogged = post_form(client, f"/exchanges/{first}/delete", {})
    assert unlogged.headers["location"] == f"/people/{ana}"
    assert populated.ledger.timeline(ana).total == 1
    request = populated.requests.ask("Ana Lima", "Lend the projector", benefit=6, cost=1)
    _, commitment = populated.requests.decide(request.id, "yes", due="2026-12-01")
    assert commitment is not None
    assert post_form(client, f"/commitments/{commitment.id}/keep", {}).status_code == 303
    assert populated.commitments.list(include_closed=True)[0].status == "kept"


def test_network_and_capacity_pages(client: Any, populated: Mutuality) -> None:
    html = client.get("/network").text
    assert '<svg class="graph"' in html and 'href="/people/' in html and "Reciprocity" in html
    assert client.get("/capacity").status_code == 200
    saved = post_form(
        client,
        "/capacity",
        {"amount": "20", "unit": "hours", "period": "week", "no": ["money", "resource"]},
    )
    assert saved.status_code == 303
    cap = populated.capacity.get()
    assert cap is not None and cap.amount == 20 and len(cap.boundaries) == 2
    assert "You do not give: money, resource" in client.get("/capacity").text
    bad = post_form(client, "/capacity", {"amount": "lots"})
    assert bad.status_code == 422 and "is not a number" in bad.text


def test_the_network_picture_shows_whom_i_introduced_to_whom(
    client: Any, populated: Mutuality
) -> None:
    from mutuality.core.introductions import IntroStatus

    app = populated
    ids = {p.name: p.id for p in app.people.list()}
    made = app.introductions.propose("Ana Lima", "Dana Smith", reason="Both <b>design</b>")
    app.introductions.withdraw(made.introduction.id)
    app.introductions.propose("Bo Chen", "Dana Smith", reason="Pricing")
    graph = app.overview.graph(limit=1)  # Dana (no exchanges) is shown for her introductions
    assert graph.introductions == [
        (ids["Bo Chen"], ids["Dana Smith"], IntroStatus.PROPOSED),
        (ids["Ana Lima"], ids["Dana Smith"], IntroStatus.WITHDRAWN),
    ]
    shown = {item.person.id for item in graph.people}
    assert {ids["Ana Lima"], ids["Bo Chen"], ids["Dana Smith"]} <= shown
    html = client.get("/network").text
    # drawn twice: for a wide screen and for a phone's
    assert html.count('<line class="ch-intro ch-open"') == 2
    assert html.count('<line class="ch-intro ch-closed"') == 2
    assert "Introducing Bo Chen and Dana Smith: proposed" in html
    assert f'<a href="/people/{ids["Dana Smith"]}">Dana Smith</a>' in html


def test_static_files_ship_in_the_package(client: Any) -> None:
    js = client.get("/static/app.js")
    assert js.status_code == 200 and "DOMParser" in js.text
    assert client.get("/static/app.css").status_code == 200
    for page in ("/", "/people", "/log"):
        html = client.get(page).text
        assert "<script>" not in html and " on" not in re.sub(r"<[^>]*>", "", "")
        assert not re.search(r"<script(?![^>]*src=\"/static/)", html)
        assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert "https://" not in html


def test_a_write_from_another_process_shows_on_the_next_page(
    client: Any, populated: Mutuality, tmp_path: Any
) -> None:
    """The dashboard's figures are kept until the next write, from any connection: here a
    second app on the same file stands for ``mutuality gave`` run in a terminal."""
    from conftest import open_app

    assert "Lent her my bike" not in client.get("/").text
    with open_app(tmp_path / "t.db") as other:
        other.ledger.log("Ana Lima", "gave", kind="resource", what="Lent her my bike")
    html = client.get("/").text
    assert "Lent her my bike" in html
    assert "Lent her my bike" in client.get(f"/people/{pid(populated, 'Ana Lima')}").text


def test_the_network_page_shows_who_gives_and_receives_more_without_labels(
    client: Any, populated: Mutuality, ledger: Any
) -> None:
    ledger("""
    gave "Dana Smith" knowledge 2026-11-20 benefit=2 cost=1 initiated=me "Tip one"
    gave "Dana Smith" knowledge 2026-11-21 benefit=2 cost=1 initiated=me "Tip two"
    gave "Dana Smith" knowledge 2026-11-22 benefit=2 cost=1 initiated=me "Tip three"
    """)
    dana = populated.people.get("Dana Smith").person.id
    html = client.get("/network").text
    assert "Clearest takers" not in html and "One-way takers" not in html
    assert "<dt>Receive more than they give</dt>" in html
    assert "not a label on anyone: it may not be the whole story" in html
    # Dana received three tips, 2 (w(3) + w(2) + w(1)) = 5.95, and gave nothing: listed as
    # receiving more, never labelled. The one giver now is me, shown apart.
    assert f'<a href="/people/{dana}">Dana Smith</a>: gave 0.0, received 6.0' in html
    assert '<dt>Give more than they receive</dt><dd><span class="muted">none</span>' in html
    assert f'<a href="/people/{dana}">Dana Smith</a> (3 of 3)' in html
    assert "A giver gives at least 60%, a taker at most 40%" in html


def test_the_log_form_puts_the_cursor_where_typing_starts(
    client: Any, populated: Mutuality
) -> None:
    import re

    ana = next(p.id for p in populated.people.list() if p.name == "Ana Lima")

    def focused(html: str) -> list[str]:
        return re.findall(r'<input [^>]*name="(\w+)"[^>]*\bautofocus\b', html)

    assert focused(client.get("/log").text) == ["person"]
    chosen = client.get("/log", params={"person": ana}).text
    assert 'value="Ana Lima"' in chosen and focused(chosen) == ["description"]
