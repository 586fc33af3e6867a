"""The private check-in page /c/{token}: no account, three questions, one answer, nothing
revealed, guessing refused (docs/reliability.md A7, A8, L5)."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from conftest import open_app
from web_helpers import web_client

from mutuality.services.settings import Settings

SAFE_HEADERS = {"sec-fetch-site": "same-origin"}


@pytest.fixture
def ledger(tmp_path):
    with open_app(tmp_path / "link.db", Settings(owner_name="Samira Haddad")) as app:
        app.people.add("Ana Lima", private_note="CANARY-private-note")
        yield app


def test_the_page_shows_only_the_chosen_first_name(ledger) -> None:
    made = ledger.checkins.make_link("ana", first_name="Sam")
    client = web_client(ledger)
    page = client.get(f"/c/{made.token}")
    assert page.status_code == 200
    assert "Sam would like to know" in page.text
    for hidden in ("Samira", "Haddad", "Ana", "Lima", "CANARY"):
        assert hidden not in page.text
    assert page.headers["cache-control"].startswith("no-store")
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "http://" not in page.text and "https://" not in page.text  # no outside assets
    # Looking does not use the link up.
    assert client.get(f"/c/{made.token}").status_code == 200


def test_an_answer_lands_once_and_a_second_gets_already_answered(ledger) -> None:
    made = ledger.checkins.make_link("ana")
    client = web_client(ledger)
    form = {"satisfaction": "4", "better": "More notice", "equity": "-1", "message": "Thanks"}
    answer = client.post(f"/c/{made.token}", data=form, headers=SAFE_HEADERS)
    assert answer.status_code == 200 and "Thank you" in answer.text
    [checkin] = ledger.checkins.list("ana")
    assert (checkin.source, checkin.their_satisfaction, checkin.their_equity) == ("link", 4, -1)
    assert checkin.their_better == "More notice" and checkin.message == "Thanks"
    again = client.post(f"/c/{made.token}", data=form, headers=SAFE_HEADERS)
    assert again.status_code == 410 and "already answered" in again.text
    assert client.get(f"/c/{made.token}").status_code == 404
    assert len(ledger.checkins.list("ana")) == 1


def test_unknown_expired_and_malformed_links_look_the_same(ledger) -> None:
    from sqlalchemy import update

    from mutuality.store.tables import CheckInLinkRow

    client = web_client(ledger)
    expired = ledger.checkins.make_link("ana")
    with ledger.database.write() as session:
        session.execute(update(CheckInLinkRow).values(expires_at=date(2020, 1, 1)))
    pages = [
        client.get(f"/c/{token}") for token in (expired.token, "A" * 43, "short", "bad token!")
    ]
    assert {p.status_code for p in pages} == {404}
    assert len({p.text for p in pages}) == 1


def test_a_bad_answer_is_shown_on_the_form_and_uses_nothing(ledger) -> None:
    made = ledger.checkins.make_link("ana")
    client = web_client(ledger)
    answer = client.post(f"/c/{made.token}", data={"satisfaction": "9"}, headers=SAFE_HEADERS)
    assert answer.status_code == 422 and "1 to 5" in answer.text
    missing = client.post(f"/c/{made.token}", data={}, headers=SAFE_HEADERS)
    assert missing.status_code == 422
    assert ledger.checkins.list("ana") == []
    assert client.get(f"/c/{made.token}").status_code == 200


def test_a_cross_site_answer_is_refused(ledger) -> None:
    made = ledger.checkins.make_link("ana")
    client = web_client(ledger)
    answer = client.post(
        f"/c/{made.token}", data={"satisfaction": "4"}, headers={"sec-fetch-site": "cross-site"}
    )
    assert answer.status_code == 403
    assert ledger.checkins.list("ana") == []


def test_guessing_tokens_is_rate_limited(ledger) -> None:
    client = web_client(ledger)
    codes = [client.get(f"/c/{'x' * 40}{n:03d}").status_code for n in range(30)]
    assert codes[0] == 404
    assert 429 in codes
    made = ledger.checkins.make_link("ana")
    # Even a real link is refused while the client is over the limit: no hit by guessing.
    assert client.get(f"/c/{made.token}").status_code == 429


def test_parallel_answers_of_one_link_exactly_one_wins(ledger) -> None:
    made = ledger.checkins.make_link("ana")
    client = web_client(ledger)
    codes: list[int] = []

    def answer() -> None:
        response = client.post(f"/c/{made.token}", data={"satisfaction": "5"}, headers=SAFE_HEADERS)
        codes.append(response.status_code)

    threads = [threading.Thread(target=answer) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes).count(200) == 1
    assert set(codes) <= {200, 404, 410}
    assert len(ledger.checkins.list("ana")) == 1


def test_the_page_asks_whether_they_would_like_to_hear_what_would_make_it_better(ledger) -> None:
    made = ledger.checkins.make_link("ana", first_name="Sam")
    client = web_client(ledger)
    page = client.get(f"/c/{made.token}").text
    assert "Would you like to hear what would make it better for Sam?" in page
    assert 'name="would_hear" value="yes"' in page and 'name="would_hear" value="no"' in page
    # the radio buttons sit beside their labels; the icon comes from the package
    assert page.count('<label class="choice"><input type="radio"') == 5 + 2 + 5
    assert '<link rel="icon" href="/static/favicon.svg"' in page
    assert client.get("/static/favicon.svg").status_code == 200
    css = client.get("/static/app.css").text
    assert "label.choice { flex-direction: row;" in css


def test_an_answer_through_the_link_waits_as_a_wish_proposed_as_a_need(ledger) -> None:
    made = ledger.checkins.make_link("ana")
    client = web_client(ledger)
    form = {
        "satisfaction": "4",
        "better": "I'd love to hear more about your research",
        "would_hear": "yes",
        "message": "Thanks for asking",
    }
    answer = client.post(f"/c/{made.token}", data=form, headers=SAFE_HEADERS)
    assert answer.status_code == 200 and "Thank you" in answer.text
    [checkin] = ledger.checkins.list("ana")
    assert (checkin.would_hear, checkin.message) == (True, "Thanks for asking")
    [(_, wish)] = ledger.wishes.pending()
    assert wish.text == "I'd love to hear more about your research"
    assert wish.proposal.form.value == "need" and wish.source == "link"
    assert ledger.commitments.list() == []  # nothing promised without me


def test_not_now_is_kept_and_a_strange_answer_is_refused(ledger) -> None:
    made = ledger.checkins.make_link("ana")
    client = web_client(ledger)
    strange = client.post(
        f"/c/{made.token}",
        data={"satisfaction": "4", "would_hear": "perhaps"},
        headers=SAFE_HEADERS,
    )
    assert strange.status_code == 422 and ledger.checkins.list("ana") == []
    client.post(
        f"/c/{made.token}", data={"satisfaction": "4", "would_hear": "no"}, headers=SAFE_HEADERS
    )
    [checkin] = ledger.checkins.list("ana")
    assert checkin.would_hear is False and checkin.message is None


def test_with_no_name_of_mine_the_page_speaks_without_one(tmp_path) -> None:
    """The placeholder owner name never greets anyone: no "Me would like to know"."""
    with open_app(tmp_path / "me.db") as app:
        app.people.add("Ana Lima")
        made = app.checkins.make_link("ana")
        client = web_client(app)
        page = client.get(f"/c/{made.token}").text
        assert "Me would like" not in page and "Only Me" not in page
        assert "I'd like to know how things are between us" in page
        assert "Would you like to hear what would make it better for me?" in page
        bad = client.post(f"/c/{made.token}", data={"satisfaction": "9"}, headers=SAFE_HEADERS)
        assert bad.status_code == 422 and "Me would like" not in bad.text


def test_terminal_escapes_in_an_answer_are_dropped_and_never_printed(
    ledger, tmp_path, monkeypatch
) -> None:
    """Issue #15: ESC and BEL posted through the link used to be kept, and `checkin list`
    printed them raw (clearing the screen, setting the window title)."""
    from typer.testing import CliRunner

    from mutuality.cli.main import app as cli

    payload = "\x1b[2J\x07\x1b]0;pwned\x07"
    made = ledger.checkins.make_link("ana")
    form = {
        "satisfaction": "4",
        "better": f"More notice{payload}\r\nplease\t🙂",
        "message": f"Thanks{payload} شكرا",
    }
    answer = web_client(ledger).post(f"/c/{made.token}", data=form, headers=SAFE_HEADERS)
    assert answer.status_code == 200
    [checkin] = ledger.checkins.list("ana")
    assert checkin.their_better == "More notice[2J]0;pwned\nplease\t🙂"
    assert checkin.message == "Thanks[2J]0;pwned شكرا"
    monkeypatch.setenv("MUTUALITY_CONFIG", str(tmp_path / "no-config.toml"))
    shown = CliRunner().invoke(cli, ["--db", str(tmp_path / "link.db"), "checkin", "list", "ana"])
    assert shown.exit_code == 0, shown.output
    assert "\x1b" not in shown.output and "\x07" not in shown.output
    assert "شكرا" in shown.output
