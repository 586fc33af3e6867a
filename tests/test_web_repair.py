"""The repair conversation page: who goes first, a break with a time to come back, and
the record as a private check-in of kind repair."""

from __future__ import annotations

from conftest import open_app
from web_helpers import post_form, sign_in, web_client

from mutuality.services.settings import Settings


def _app(tmp_path):
    app = open_app(tmp_path / "repair.db", Settings(owner_name="Alex"))
    app.people.add("Sam Rivera", context="partner")
    return app


FORM = {
    "partner": "sam",
    "me_stress": "3",
    "me_engage": "yes",
    "me_feeling": "hurt",
    "me_need": "to be heard",
    "them_stress": "8",
    "them_engage": "yes",
    "them_feeling": "overwhelmed",
    "them_need": "a pause",
    "raised": "me",
}


def test_the_more_stressed_partner_goes_first(tmp_path) -> None:
    with _app(tmp_path) as app:
        client = sign_in(web_client(app), app)
        assert client.get("/repair").status_code == 200
        answer = post_form(client, "/repair", FORM)
        assert answer.status_code == 200
        text = answer.text
        assert "Sam Rivera is more stressed" in text
        assert text.index("Sam Rivera speaks") < text.index("Alex speaks")
        assert "show you care" in text


def test_a_break_gives_the_time_to_come_back(tmp_path) -> None:
    with _app(tmp_path) as app:
        client = sign_in(web_client(app), app)
        answer = post_form(client, "/repair", {**FORM, "them_engage": "no", "them_minutes": "30"})
        assert answer.status_code == 200
        assert "Come back at" in answer.text and "speaks" not in answer.text


def test_bad_answers_are_shown_and_nothing_is_recorded(tmp_path) -> None:
    with _app(tmp_path) as app:
        client = sign_in(web_client(app), app)
        answer = post_form(client, "/repair", {**FORM, "them_stress": "14"})
        assert answer.status_code == 422 and "0 to 10" in answer.text
        no_minutes = post_form(client, "/repair", {**FORM, "me_engage": "no"})
        assert no_minutes.status_code == 422
        assert app.checkins.list("sam") == []


def test_recording_keeps_it_private_as_a_repair_checkin(tmp_path) -> None:
    with _app(tmp_path) as app:
        client = sign_in(web_client(app), app)
        answer = post_form(
            client,
            "/repair/record",
            {"partner": "sam", "summary": "We talked it through", "me_relieved": "yes"},
        )
        assert answer.status_code == 303
        [record] = app.checkins.list("sam")
        assert record.kind == "repair"
        assert "We talked it through" in (record.private_note or "")
        assert "you yes, them no" in (record.private_note or "")


def test_the_page_needs_sign_in(tmp_path) -> None:
    with _app(tmp_path) as app:
        page = web_client(app).get("/repair", follow_redirects=False)
        assert page.status_code in (303, 401)
