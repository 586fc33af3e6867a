"""The requests page through the test client: open requests with the rule's proposal and
reason, asking and deciding through its forms, commitments kept and broken, all escaped,
and posts without this session's form token refused."""

from __future__ import annotations

from typing import Any

from web_helpers import form_token, post_form

from mutuality.services.app import Mutuality

PAYLOAD = "<script>alert(1)</script>"


def test_page_shows_open_requests_commitments_and_declines_escaped(
    client: Any, populated: Mutuality
) -> None:
    populated.people.add(f"Eve {PAYLOAD}")
    open_one = populated.requests.ask("Eve", f"Fix my sink {PAYLOAD}", benefit=7, cost=1)
    mine = populated.requests.ask(
        "Bo Chen", "An intro to his fund", benefit=6, cost=1, from_me=True
    )
    kept = populated.requests.ask(
        "Ana Lima", f"Review {PAYLOAD}", benefit=8, cost=1, due="2026-12-01"
    )
    _, commitment = populated.requests.decide(kept.id, "yes")
    declined = populated.requests.ask("José Álvarez", "Lend me your van", benefit=3, cost=8)
    populated.requests.decide(declined.id, "no")
    html = client.get("/requests").text
    assert 'href="/requests" aria-current="page"' in html
    assert PAYLOAD not in html and "Fix my sink &lt;script&gt;" in html
    assert "Eve &lt;script&gt;alert(1)&lt;/script&gt; asked you" in html
    assert "you asked Bo Chen: An intro to his fund" in html
    assert open_one.proposal_reason.replace("'", "&#39;") in html
    assert f'action="/requests/{open_one.id}/decide"' in html
    assert f'action="/requests/{mine.id}/decide"' in html
    assert commitment is not None
    assert f'action="/requests/commitments/{commitment.id}/keep"' in html
    assert "I promised Ana Lima" in html and "2026-12-01" in html
    assert "Lend me your van" in html and "Hi José," in html  # the kind decline
    assert f'action="/requests/{declined.id}/decide"' in html  # say yes now
    assert f'action="/requests/{kept.id}/decide"' not in html  # decided yes: not open


def test_ask_and_decide_through_the_forms(client: Any, populated: Mutuality) -> None:
    answer = post_form(
        client,
        "/requests",
        {
            "direction": "to_me",
            "person": "ana",
            "text": "Proofread my essay",
            "benefit": "7",
            "cost": "1",
            "kind": "feedback",
            "due": "2026-12-05",
        },
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/requests"
    [request] = populated.requests.list()
    assert request.text == "Proofread my essay" and not request.from_me
    assert request.kind == "feedback" and request.proposal.value == "yes"
    mine = post_form(
        client,
        "/requests",
        {
            "direction": "from_me",
            "person": "Bo Chen",
            "text": "Coffee?",
            "benefit": "3",
            "cost": "1",
        },
    )
    assert mine.status_code == 303 and populated.requests.list()[0].from_me
    accepted = post_form(client, f"/requests/{request.id}/decide", {"decision": ""})
    assert accepted.status_code == 303
    [commitment] = populated.commitments.list()
    assert commitment.request_id == request.id and commitment.due_on.isoformat() == "2026-12-05"
    again = post_form(client, f"/requests/{request.id}/decide", {"decision": "no"})
    assert again.status_code == 409 and "already decided" in again.text
    kept = post_form(client, f"/requests/commitments/{commitment.id}/keep", {})
    assert kept.status_code == 303 and populated.commitments.list() == []
    twice = post_form(client, f"/requests/commitments/{commitment.id}/break", {})
    assert twice.status_code == 409 and "already kept" in twice.text


def test_a_third_option_through_the_form(client: Any, populated: Mutuality) -> None:
    """Offered only (the box ticked), their ask stays an open need; agreed, it becomes my
    commitment."""
    request = populated.requests.ask("Ana Lima", "Design my whole site", benefit=6, cost=7)
    assert 'name="not_agreed"' in client.get("/requests").text
    offered = post_form(
        client,
        f"/requests/{request.id}/decide",
        {"decision": "negotiate", "third_option": "Review a draft", "not_agreed": "1"},
    )
    assert offered.status_code == 303 and populated.commitments.list() == []
    [need] = populated.needs.list("need", "Ana Lima")
    assert need.text == "Design my whole site"
    agreed = post_form(
        client, f"/requests/{request.id}/decide", {"decision": "negotiate", "due": "2026-12-02"}
    )
    assert agreed.status_code == 303
    [commitment] = populated.commitments.list()
    assert commitment.text == "Review a draft" and commitment.due_on.isoformat() == "2026-12-02"
    assert populated.needs.list("need", "Ana Lima") == []


def test_bad_forms_are_shown_with_what_was_entered(client: Any, populated: Mutuality) -> None:
    missing = post_form(
        client,
        "/requests",
        {"person": "Ana Lima", "text": "Help me move", "benefit": "", "cost": "6"},
    )
    assert missing.status_code == 422 and "benefit is needed" in missing.text
    assert 'value="Help me move"' in missing.text
    for data, words in (
        ({"person": "Nobody Here", "benefit": "5", "cost": "1"}, "no person matches"),
        ({"person": "Ana Lima", "benefit": "50", "cost": "1"}, "benefit"),
        ({"person": "Ana Lima", "benefit": "x", "cost": "1"}, "not a number"),
        ({"person": "Ana Lima", "benefit": "5", "cost": "1", "kind": "tea"}, "kind"),
    ):
        answer = post_form(client, "/requests", {"text": "Something", **data})
        assert 400 <= answer.status_code < 500 and words in answer.text.lower(), answer.text
    request = populated.requests.ask("Ana Lima", "Design my site", benefit=6, cost=7)
    refused = post_form(client, f"/requests/{request.id}/decide", {"decision": "negotiate"})
    assert refused.status_code == 422 and "third option" in refused.text
    assert post_form(client, "/requests/999/decide", {}).status_code == 404
    assert populated.requests.list(open_only=True) == [request]


def test_posts_without_the_form_token_are_refused(client: Any, populated: Mutuality) -> None:
    request = populated.requests.ask("Ana Lima", "Review my deck", benefit=8, cost=1)
    data = {"person": "Ana Lima", "text": "Forged", "benefit": "5", "cost": "1"}
    assert client.post("/requests", data=data, follow_redirects=False).status_code == 403
    forged = client.post(
        "/requests",
        data={"csrf_token": form_token(client, "/requests"), **data},
        headers={"Origin": "https://evil.example"},
        follow_redirects=False,
    )
    assert forged.status_code == 403
    assert (
        client.post(
            f"/requests/{request.id}/decide", data={"csrf_token": "0" * 64}, follow_redirects=False
        ).status_code
        == 403
    )
    assert [r.text for r in populated.requests.list()] == ["Review my deck"]
    assert populated.requests.get(request.id).status == "open"


def test_signed_out_visitors_are_sent_to_sign_in(anonymous: Any) -> None:
    answer = anonymous.get("/requests", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
