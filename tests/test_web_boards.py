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
    assert 'since <time datetime="2026-11-23"' in html and ">said by them<" in html


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


def test_each_need_and_offer_links_to_whose_it_is(client: Any, populated: Mutuality) -> None:
    need = populated.needs.add("need", "ana", "A printer for the studio")
    populated.needs.add("offer", "me", "Rides to the airport")
    ana = need.person_id
    html = client.get("/board").text
    assert f'<a href="/people/{ana}">Ana Lima</a>' in html
    owner = populated.needs.list("offer")[0].person_id
    assert f'<a href="/board?person={owner}">You</a>' in html  # no "Me" placeholder


def test_the_board_filtered_to_one_person_adds_and_closes_for_them(
    client: Any, populated: Mutuality
) -> None:
    need = populated.needs.add("need", "ana", "A printer for the studio")
    populated.needs.add("need", "bo", "A co-investor for a seed round")
    ana = need.person_id
    html = client.get(f"/board?person={ana}").text
    assert "A printer for the studio" in html and "A co-investor" not in html
    assert "Only Ana Lima's needs and offers" in html and 'href="/board"' in html
    assert re.search(r'name="person"[^>]* value="Ana Lima"', html)  # the form adds for her
    assert f'name="filtered" value="{ana}"' in html
    added = post_form(
        client,
        "/board",
        {"kind": "offer", "person": "Ana Lima", "text": "Portfolio reviews", "filtered": ana},
    )
    assert added.status_code == 303 and added.headers["location"] == f"/board?person={ana}"
    assert [o.text for o in populated.needs.list("offer", ana)] == ["Portfolio reviews"]
    closed = post_form(client, f"/board/need/{need.id}/close", {"filtered": ana})
    assert closed.headers["location"] == f"/board?person={ana}"
    assert populated.needs.list("need", ana) == []
    assert "No open needs for Ana Lima" in client.get(f"/board?person={ana}").text
    assert client.get("/board?person=999999").status_code == 404
    assert client.get("/board?person=nobody").status_code == 422


def test_my_own_board_is_the_owners_needs_and_offers(client: Any, populated: Mutuality) -> None:
    mine = populated.needs.add("need", "me", "Advice on hiring a first engineer")
    populated.needs.add("need", "bo", "A co-investor for a seed round")
    html = client.get(f"/board?person={mine.person_id}").text
    assert "Advice on hiring" in html and "A co-investor" not in html
    assert "Only your own needs and offers" in html
    assert re.search(r'name="person"[^>]* value="me"', html)


def test_the_whole_board_lists_the_newest_and_says_how_many(
    client: Any, populated: Mutuality, monkeypatch: Any
) -> None:
    from mutuality.web.pages import board

    monkeypatch.setattr(board, "SHOWN", 2)
    for n in range(3):
        populated.needs.add("need", "ana", f"Need number {n}")
    html = client.get("/board").text
    assert "Need number 2" in html and "Need number 1" in html and "Need number 0" not in html
    assert "The newest 2 of 3" in html
    assert (
        "Need number 0"
        in client.get(f"/board?person={populated.needs.list('need')[0].person_id}").text
    )


def test_a_persons_page_links_to_the_board_filtered_to_them(
    client: Any, populated: Mutuality
) -> None:
    ana = populated.needs.add("need", "ana", "A printer for the studio").person_id
    html = client.get(f"/people/{ana}").text
    assert f'href="/board?person={ana}"' in html
