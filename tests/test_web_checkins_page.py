"""The check-ins page through the test client: the agenda with its reasons, recording a
check-in from the form (and bad values shown with what was typed, nothing written), a person
chosen from a link, the private link shown once, everything escaped, and changes refused
without a session or this session's form token."""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from web_helpers import BASE, form_token, post_form

from mutuality.services.app import Mutuality

PAYLOAD = "<script>alert(1)</script>"
RECORD = {
    "person": "Ana Lima",
    "on": "2026-11-20",
    "my_satisfaction": "4",
    "their_satisfaction": "3",
    "my_better": "more coffee",
    "their_better": "fewer late replies",
    "my_equity": "0",
    "their_equity": "-1",
    "note": "she seemed tired",
}


def person_id(app: Mutuality, name: str) -> int:
    return app.people.get(name).person.id


def test_page_shows_the_agenda_and_both_forms(client: Any, populated: Mutuality) -> None:
    html = client.get("/checkins").text
    assert 'href="/checkins" aria-current="page"' in html
    dana = person_id(populated, "Dana Smith")
    assert f'<a href="/people/{dana}">Dana Smith</a>' in html
    assert "no contact logged yet" in html  # the reason
    jose = person_id(populated, "José Álvarez")
    assert f'href="/checkins?person={jose}#record"' in html
    assert "<strong><time" in html and ">due " in html  # late, said in words
    names = [name for name in ("Dana Smith", "José Álvarez") if name in html]
    due = [p.name for p, _ in populated.checkins.agenda() if p.name in names]
    assert sorted(names, key=html.index) == due  # soonest first, as the service orders them
    assert 'action="/checkins"' in html and 'action="/checkins/link"' in html
    assert html.count('name="csrf_token"') >= 3  # both forms and signing out
    assert 'name="on" value="2026-11-23"' in html  # today by default
    assert "5: very satisfied" in html and "-2: much worse for me" in html
    assert 'name="days" value="14"' in html


def test_recording_a_check_in_goes_to_the_persons_check_ins(
    client: Any, populated: Mutuality
) -> None:
    answer = post_form(client, "/checkins", RECORD)
    ana = person_id(populated, "Ana Lima")
    assert answer.status_code == 303 and answer.headers["location"] == f"/people/{ana}#checkins"
    [checkin] = populated.checkins.list("Ana Lima")
    assert checkin.on.isoformat() == "2026-11-20" and checkin.source == "me"
    assert (checkin.my_satisfaction, checkin.their_satisfaction) == (4, 3)
    assert (checkin.my_equity, checkin.their_equity) == (0, -1)
    assert checkin.my_better == "more coffee" and checkin.their_better == "fewer late replies"
    assert checkin.private_note == "she seemed tired" and checkin.kind == "checkin"
    person_page = client.get(f"/people/{ana}").text
    assert 'id="checkins"' in person_page and "fewer late replies" in person_page
    only = post_form(client, "/checkins", {"person": "bo"})  # every answer is optional
    assert only.status_code == 303
    [bare] = populated.checkins.list("Bo Chen")
    assert bare.on.isoformat() == "2026-11-23" and bare.my_satisfaction is None


@pytest.mark.parametrize(
    ("changes", "status", "words"),
    [
        ({"my_satisfaction": "7"}, 422, "my satisfaction must be 1 to 5"),
        ({"their_satisfaction": "high"}, 422, "their satisfaction &#39;high&#39; is not a number"),
        ({"their_equity": "3"}, 422, "their equity must be -2 to 2"),
        ({"on": "2030-01-01"}, 422, "future"),
        ({"person": "Nobody Here"}, 404, "no person matches"),
        ({"person": ""}, 422, "name is needed"),
    ],
)
def test_bad_check_ins_are_shown_with_what_was_typed(
    client: Any, populated: Mutuality, changes: dict[str, str], status: int, words: str
) -> None:
    answer = post_form(client, "/checkins", {**RECORD, **changes})
    assert answer.status_code == status and words in answer.text.lower(), answer.text
    assert 'role="alert"' in answer.text
    assert ">fewer late replies</textarea>" in answer.text  # what was typed is kept
    assert ">she seemed tired</textarea>" in answer.text
    assert '<option value="0" selected>' in answer.text  # my equity as chosen
    assert populated.checkins.list("Ana Lima") == []  # nothing written


def test_a_person_can_be_chosen_by_link(client: Any, populated: Mutuality) -> None:
    ana = person_id(populated, "Ana Lima")
    html = client.get(f"/checkins?person={ana}").text
    filled = re.findall(r'<input[^>]*name="person"[^>]*value="Ana Lima"', html)
    assert len(filled) == 2  # both forms (each with the person picker)
    assert client.get("/checkins?person=999999").status_code == 404
    assert client.get("/checkins?person=0").status_code == 422


def test_making_a_link_shows_its_address_once(
    client: Any, anonymous: Any, populated: Mutuality, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    answer = post_form(
        client, "/checkins/link", {"person": "Ana Lima", "first_name": "Sam", "days": "3"}
    )
    assert answer.status_code == 200, answer.text
    html = answer.text
    assert f"{BASE}/c/" in html and "A private link for Ana Lima" in html
    assert " UTC" in html  # its expiry
    start = html.index(f"{BASE}/c/")
    url = html[start : html.index("<", start)]
    token = urlsplit(url).path.removeprefix("/c/")
    assert len(token) >= 43 and token not in caplog.text
    page = anonymous.get(f"/c/{token}")
    assert page.status_code == 200 and "Sam" in page.text
    assert token not in client.get("/checkins").text  # shown only on the answer that made it
    for data, status, words in (
        ({"person": "Ana Lima", "days": "0"}, 422, "1 to 90 days"),
        ({"person": "Ana Lima", "days": "two"}, 422, "not a number"),
        ({"person": "Nobody Here"}, 404, "no person matches"),
    ):
        refused = post_form(client, "/checkins/link", data)
        assert refused.status_code == status and words in refused.text, refused.text
        assert "/c/" not in refused.text
    kept = post_form(client, "/checkins/link", {"person": "Ana Lima"})  # days: the default
    assert kept.status_code == 200 and f"{BASE}/c/" in kept.text


def test_signed_out_visitors_are_refused(anonymous: Any, populated: Mutuality) -> None:
    answer = anonymous.get("/checkins", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
    for path in ("/checkins", "/checkins/link"):
        posted = anonymous.post(path, data=RECORD, follow_redirects=False)
        assert posted.status_code == 303 and posted.headers["location"].startswith("/login")
    assert populated.checkins.list("Ana Lima") == []


def test_posts_without_the_form_token_are_refused(client: Any, populated: Mutuality) -> None:
    for path in ("/checkins", "/checkins/link"):
        assert client.post(path, data=RECORD, follow_redirects=False).status_code == 403
        forged = client.post(
            path,
            data={"csrf_token": "0" * 64, **RECORD},
            follow_redirects=False,
        )
        assert forged.status_code == 403 and "/c/" not in forged.text
        elsewhere = client.post(
            path,
            data={"csrf_token": form_token(client, "/checkins"), **RECORD},
            headers={"Origin": "https://evil.example"},
            follow_redirects=False,
        )
        assert elsewhere.status_code == 403
    assert populated.checkins.list("Ana Lima") == []


def test_script_payloads_in_names_are_escaped(client: Any, populated: Mutuality) -> None:
    eve = populated.people.add(f"Eve {PAYLOAD}").id
    html = client.get(f"/checkins?person={eve}").text
    assert PAYLOAD not in html
    assert "Eve &lt;script&gt;alert(1)&lt;/script&gt;" in html  # in the agenda
    assert 'value="Eve &lt;script&gt;alert(1)&lt;/script&gt;"' in html  # in both forms
    made = post_form(client, "/checkins/link", {"person": f"Eve {PAYLOAD}"})
    assert made.status_code == 200 and PAYLOAD not in made.text
    refused = post_form(client, "/checkins", {"person": "Eve", "my_better": PAYLOAD, "on": "x"})
    assert refused.status_code == 422 and PAYLOAD not in refused.text
