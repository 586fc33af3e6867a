"""The needs and offers board and the introductions board, through the test client."""

from __future__ import annotations

import re
from typing import Any

from web_helpers import form_token, post_form

from mutuality.services.app import Mutuality

PAYLOAD = "<script>alert(1)</script>"


def test_board_shows_open_needs_and_offers_escaped(client: Any, populated: Mutuality) -> None:
    populated.people.add(f"Eve {PAYLOAD}")
    populated.needs.add("need", "Eve", f"A plumber {PAYLOAD}", tags=["home"], source="them")
    populated.needs.add("offer", "Bo Chen", "Can fix sinks", tags=["home", "diy"])
    html = client.get("/board").text
    assert 'href="/board"' in html and 'href="/introductions"' in html
    assert PAYLOAD not in html
    assert "Eve &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "A plumber &lt;script&gt;" in html
    assert "Can fix sinks" in html and "diy, home" in html and "Bo Chen" in html
    assert "since 2026-11-23" in html and ">them<" in html


def test_add_and_close_a_need_through_the_form(client: Any, populated: Mutuality) -> None:
    added = post_form(
        client,
        "/board",
        {
            "kind": "need",
            "person": "dana",
            "text": "Advice on a used car",
            "tags": "car, money",
        },
    )
    assert added.status_code == 303 and added.headers["location"] == "/board"
    [need] = populated.needs.list("need")
    assert need.text == "Advice on a used car" and need.tags == ("car", "money")
    html = client.get("/board").text
    assert "Advice on a used car" in html and "Dana Smith" in html
    assert f'action="/board/need/{need.id}/close"' in html
    offered = post_form(
        client, "/board", {"kind": "offer", "person": "me", "text": "Rides", "source": "them"}
    )
    assert offered.status_code == 303 and populated.needs.list("offer")[0].text == "Rides"
    closed = post_form(client, f"/board/need/{need.id}/close", {})
    assert closed.status_code == 303 and populated.needs.list("need") == []
    again = post_form(client, f"/board/need/{need.id}/close", {})
    assert again.status_code == 409 and "already closed" in again.text


def test_cross_site_posts_to_the_board_are_refused(client: Any, populated: Mutuality) -> None:
    data = {"kind": "need", "person": "Ana", "text": "Forged"}
    no_token = client.post("/board", data=data, follow_redirects=False)
    assert no_token.status_code == 403
    forged = client.post(
        "/board",
        data={"csrf_token": form_token(client, "/board"), **data},
        headers={"Origin": "https://evil.example"},
        follow_redirects=False,
    )
    assert forged.status_code == 403
    need = populated.needs.add("need", "Ana", "Kept")
    assert (
        client.post(
            f"/board/need/{need.id}/close", data={"csrf_token": "0" * 64}, follow_redirects=False
        ).status_code
        == 403
    )
    assert [n.text for n in populated.needs.list("need")] == ["Kept"]


def test_bad_board_input_shows_the_error_and_writes_nothing(
    client: Any, populated: Mutuality
) -> None:
    for data, message in (
        ({"person": "Nobody Known", "text": "x"}, "no person matches"),
        ({"person": "Ana", "text": ""}, "must not be empty"),
        ({"person": "Ana", "text": "x", "kind": "wish"}, "use need or offer"),
    ):
        answer = post_form(client, "/board", {"kind": "need", **data})
        assert 400 <= answer.status_code < 500, answer.text
        assert message in answer.text and 'role="alert"' in answer.text
        assert f'value="{data["person"]}"' in answer.text
    assert populated.needs.list("need") == [] and populated.needs.list("offer") == []
    assert post_form(client, "/board/wish/1/close", {}).status_code == 422
    assert post_form(client, "/board/need/999/close", {}).status_code == 404


def buttons(html: str, intro_id: int) -> list[str]:
    """The step a page offers for one introduction, as ``step`` or ``step:side:answer``."""
    card = html.split(f'id="intro-{intro_id}"', 1)[1].split("</section>", 1)[0]
    found = []
    for form in re.findall(r"<form .*?</form>", card, re.S):
        step = re.search(rf'action="/introductions/{intro_id}/(\w+)"', form)
        assert step
        extra = re.findall(r'name="(?:side|answer)" value="(\w+)"', form)
        found.append(":".join([step.group(1), *extra]))
    return found


def test_introduction_steps_through_the_buttons(client: Any, populated: Mutuality) -> None:
    populated.people.add(f"Eve {PAYLOAD}")
    proposed = post_form(
        client,
        "/introductions",
        {
            "a": "Ana",
            "b": "Eve",
            "reason": f"Both paint {PAYLOAD}",
        },
    )
    assert proposed.status_code == 303
    [detail] = populated.introductions.list()
    iid = detail.introduction.id
    html = client.get("/introductions").text
    assert PAYLOAD not in html and "Both paint &lt;script&gt;" in html
    assert "Ana Lima" in html and "Eve &lt;script&gt;" in html and "proposed" in html
    assert buttons(html, iid) == [
        "ask:a",
        "consent:a:yes",
        "consent:a:no",
        "ask:b",
        "consent:b:yes",
        "consent:b:no",
        "withdraw",
    ]
    for path, data in (
        ("ask", {"side": "a"}),
        ("ask", {"side": "b"}),
        ("consent", {"side": "a", "answer": "yes"}),
    ):
        answer = post_form(client, f"/introductions/{iid}/{path}", data)
        assert answer.status_code == 303, answer.text
    html = client.get("/introductions").text
    assert buttons(html, iid) == ["consent:b:yes", "consent:b:no", "withdraw"]
    assert '<td class="consent-a">yes</td>' in html and '<td class="consent-b">asked</td>' in html
    post_form(client, f"/introductions/{iid}/consent", {"side": "b", "answer": "yes"})
    html = client.get("/introductions").text
    assert "agreed" in html and buttons(html, iid) == ["make", "withdraw"]
    assert post_form(client, f"/introductions/{iid}/make", {}).status_code == 303
    assert buttons(client.get("/introductions").text, iid) == ["outcome"]
    logged = post_form(client, f"/introductions/{iid}/outcome", {"outcome": "They met up"})
    assert logged.status_code == 303
    final = populated.introductions.get(iid).introduction
    assert final.status.value == "made" and final.outcome == "They met up"
    assert "Outcome: They met up" in client.get("/introductions").text


def test_an_out_of_order_step_shows_a_clear_error(client: Any, populated: Mutuality) -> None:
    detail = populated.introductions.propose("Ana", "Bo", reason="Both design")
    iid = detail.introduction.id
    early = post_form(client, f"/introductions/{iid}/make", {})
    assert early.status_code == 409
    assert "cannot make it" in early.text and 'role="alert"' in early.text
    assert "Both design" in early.text  # still the board, not an error page
    outcome = post_form(client, f"/introductions/{iid}/outcome", {"outcome": "x"})
    assert outcome.status_code == 409 and "cannot log an outcome" in outcome.text
    post_form(client, f"/introductions/{iid}/consent", {"side": "a", "answer": "no"})
    declined = post_form(client, f"/introductions/{iid}/ask", {"side": "b"})
    assert declined.status_code == 409 and "declined" in declined.text
    assert populated.introductions.get(iid).introduction.status.value == "declined"
    again = post_form(client, "/introductions", {"a": "Ana", "b": "Bo", "reason": "Again"})
    assert again.status_code == 409 and 'value="Again"' in again.text
    assert post_form(client, "/introductions/999/make", {}).status_code == 404
    assert post_form(client, f"/introductions/{iid}/ask", {"side": "c"}).status_code == 422
