"""Wishes: what someone said at a check-in would make it better, waiting for me to make it a
commitment of mine or a need of theirs, or to set it aside. The pure rules (the proposed
form, the latest pending wish, the satisfaction alarm, the link's reciprocal answer), the
service (one transaction each, errors that name the check-in), the backup, the web page
buttons and the API."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, open_app
from sqlalchemy import select
from web_helpers import post_form

from mutuality.core.checkins import (
    CheckIn,
    WishForm,
    message_and_answer,
    message_with_answer,
    open_wish,
    pending_wishes,
    proposed_form,
    satisfaction_alarm,
)
from mutuality.core.errors import Conflict, InvalidInput, NotFound
from mutuality.core.needs import Source
from mutuality.services.app import Mutuality
from mutuality.services.settings import Settings
from mutuality.store.tables import CheckInRow, CommitmentRow, NeedRow

# --- the pure rules -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("Phones away at dinner", WishForm.COMMITMENT),
        ("More notice before intros", WishForm.COMMITMENT),
        ("Call me more often", WishForm.COMMITMENT),
        ("Less talk about work on weekends", WishForm.COMMITMENT),
        ("A walk together now and then", WishForm.COMMITMENT),
        ("I'd love to hear more about your research", WishForm.NEED),
        ("Introductions to people in publishing", WishForm.NEED),
        ("Help me find a new flat", WishForm.NEED),
        ("Some advice on my thesis", WishForm.NEED),
        ("I'm looking for a mentor", WishForm.NEED),
        ("Being more patient", WishForm.COMMITMENT),  # no cue: a promise is proposed
    ],
)
def test_proposed_form(text: str, form: WishForm) -> None:
    proposal = proposed_form(text)
    assert proposal.form is form
    assert proposal.reason


def test_proposal_reason_quotes_the_words_that_decided() -> None:
    assert '"hear more about"' in proposed_form("I'd love to hear more about your research").reason
    assert '"Phones"' in proposed_form("Phones away at dinner").reason
    # both kinds of words: the one said first decides
    assert proposed_form("Phones away so I can hear more about your day").form is (
        WishForm.COMMITMENT
    )
    assert proposed_form("Hear more about your day, phones away").form is WishForm.NEED


def checkin(
    id: int, on: date, *, theirs: int | None = None, mine: int | None = None, **kw: Any
) -> CheckIn:
    return CheckIn(
        id, 2, on, "checkin", "me", my_satisfaction=mine, their_satisfaction=theirs, **kw
    )


def test_open_wish_is_the_latest_waiting_one() -> None:
    old = checkin(1, TODAY - timedelta(days=30), theirs=4, their_better="More walks")
    done = checkin(2, TODAY - timedelta(days=10), their_better="Cook", wish_state="commitment")
    new = checkin(3, TODAY - timedelta(days=2), theirs=3, their_better="Phones away at dinner")
    blank = checkin(4, TODAY, theirs=5, their_better="  ")
    wish = open_wish([new, blank, old, done])  # any order
    assert wish is not None
    assert (wish.checkin_id, wish.text, wish.their_satisfaction) == (3, "Phones away at dinner", 3)
    assert wish.proposal.form is WishForm.COMMITMENT
    assert [w.checkin_id for w in pending_wishes([old, done, new, blank])] == [3, 1]
    assert open_wish([done, blank]) is None
    assert open_wish([]) is None


@pytest.mark.parametrize(
    ("answers", "words"),
    [
        ([(5, None), (3, None)], "their satisfaction fell from 5 to 3"),
        ([(4, None), (2, None)], "their satisfaction fell from 4 to 2"),
        ([(2, None)], "their satisfaction is 2 of 5 (dissatisfied)"),
        ([(None, 1)], "your satisfaction is 1 of 5 (very dissatisfied)"),
        (
            [(5, 4), (3, 2)],
            "their satisfaction fell from 5 to 3 and your satisfaction fell from 4 to 2",
        ),
        ([(3, None)], None),
        ([(5, None), (4, None)], None),
        ([(2, None), (4, None)], None),  # low, then better
        ([(5, None), (None, 4), (4, None)], None),  # each side against its own answer before
        ([], None),
    ],
)
def test_satisfaction_alarm(
    answers: list[tuple[int | None, int | None]], words: str | None
) -> None:
    checkins = [
        checkin(n, TODAY - timedelta(days=10 * (len(answers) - n)), theirs=t, mine=m)
        for n, (t, m) in enumerate(answers)
    ]
    assert satisfaction_alarm(list(reversed(checkins)), TODAY) == words


def test_satisfaction_alarm_as_of_a_day() -> None:
    checkins = [checkin(1, TODAY - timedelta(days=20), theirs=5), checkin(2, TODAY, theirs=2)]
    assert satisfaction_alarm(checkins, TODAY - timedelta(days=1)) is None
    assert satisfaction_alarm(checkins) == "their satisfaction fell from 5 to 2"


@pytest.mark.parametrize("answer", [True, False, None])
@pytest.mark.parametrize("message", [None, "Thanks", "[would hear: yes]\nmine", "two\nlines"])
def test_the_reciprocal_answer_rides_with_the_message(
    answer: bool | None, message: str | None
) -> None:
    assert message_and_answer(message_with_answer(message, answer)) == (message, answer)


def test_a_message_without_the_answer_line_is_left_as_it_is() -> None:
    assert message_and_answer("Thanks") == ("Thanks", None)
    assert message_and_answer(None) == (None, None)


# --- the service ----------------------------------------------------------------------------


@pytest.fixture
def lena(tmp_path: Path) -> Any:
    with open_app(tmp_path / "wishes.db") as app:
        app.people.add("Lena Park")
        app.people.add("Omar Diaz")
        yield app


def rows(app: Mutuality, table: Any) -> list[Any]:
    """Plain rows (usable after the read ends), in id order."""
    with app.database.read() as session:
        return list(session.execute(select(table.__table__).order_by(table.id)))


def test_a_partner_at_three_of_five_gets_a_proposed_commitment_that_i_adopt(
    lena: Mutuality,
) -> None:
    made, _ = lena.checkins.record(
        "lena", their_satisfaction=3, their_better="Phones away at dinner"
    )
    [(person, wish)] = lena.wishes.pending()
    assert person.name == "Lena Park"
    assert (wish.checkin_id, wish.text, wish.their_satisfaction) == (
        made.id,
        "Phones away at dinner",
        3,
    )
    assert wish.proposal.form is WishForm.COMMITMENT
    assert open_wish(lena.checkins.list("lena")) == wish

    adopted = lena.wishes.adopt(made.id)
    assert adopted.form is WishForm.COMMITMENT and adopted.due_on == TODAY + timedelta(days=14)
    [commitment] = lena.commitments.list()
    assert (commitment.id, commitment.mine, commitment.text, commitment.status) == (
        adopted.commitment_id,
        True,
        "Phones away at dinner",
        "open",
    )
    [row] = rows(lena, CommitmentRow)
    assert row.checkin_id == made.id
    assert lena.wishes.pending() == []
    [after] = lena.checkins.list("lena")
    assert after.wish_state == "commitment"


def test_adopting_as_a_need_with_my_words_and_a_due_date(lena: Mutuality) -> None:
    made, _ = lena.checkins.record("omar", their_better="Phones away at dinner")
    with pytest.raises(InvalidInput, match=f"check-in #{made.id}: a need has no due date"):
        lena.wishes.adopt(made.id, "need", due="in 3 days")
    adopted = lena.wishes.adopt(made.id, "need", text="  Time without screens  ")
    [need] = rows(lena, NeedRow)
    assert (need.id, need.text, need.source, need.status, need.checkin_id) == (
        adopted.need_id,
        "Time without screens",
        "checkin",
        "open",
        made.id,
    )
    [wish] = lena.needs.list("need")
    assert wish.source is Source.CHECKIN
    assert lena.matching.embeddings.count() == 1  # embedded for matching as it was saved
    other, _ = lena.checkins.record("omar", their_better="More calls")
    due = lena.wishes.adopt(other.id, "commitment", due="2026-12-31").due_on
    assert due == date(2026, 12, 31)


def test_set_aside_leaves_the_list_and_changes_nothing_else(lena: Mutuality) -> None:
    made, _ = lena.checkins.record("omar", their_better="Introductions to people in publishing")
    assert lena.wishes.pending("omar")[0][1].proposal.form is WishForm.NEED
    wish = lena.wishes.set_aside(made.id)
    assert wish.text == "Introductions to people in publishing"
    assert lena.wishes.pending() == [] and rows(lena, NeedRow) == []
    assert rows(lena, CommitmentRow) == []
    assert lena.checkins.list("omar")[0].wish_state == "set-aside"


def test_refusals_name_the_check_in_and_write_nothing(lena: Mutuality) -> None:
    plain, _ = lena.checkins.record("lena", my_satisfaction=4)
    made, _ = lena.checkins.record("lena", their_better="Phones away at dinner")
    with pytest.raises(NotFound, match="no check-in #999"):
        lena.wishes.adopt(999)
    with pytest.raises(NotFound, match="no check-in #999"):
        lena.wishes.set_aside(999)
    with pytest.raises(InvalidInput, match=f"check-in #{plain.id} holds no wish"):
        lena.wishes.adopt(plain.id)
    with pytest.raises(InvalidInput, match="make a wish a commitment or a need"):
        lena.wishes.adopt(made.id, "promise")
    with pytest.raises(InvalidInput, match="in the past"):
        lena.wishes.adopt(made.id, "commitment", due="2020-01-01")
    with pytest.raises(InvalidInput, match="commitment text must not be empty"):
        lena.wishes.adopt(made.id, "commitment", text="   ")
    assert rows(lena, CommitmentRow) == [] and rows(lena, NeedRow) == []
    assert len(lena.wishes.pending()) == 1
    lena.wishes.set_aside(made.id)
    with pytest.raises(Conflict, match=f"check-in #{made.id}'s wish was set aside"):
        lena.wishes.adopt(made.id)
    with pytest.raises(Conflict, match="was set aside"):
        lena.wishes.set_aside(made.id)


def test_choice_is_checked_before_anything_is_written(lena: Mutuality) -> None:
    assert lena.wishes.choice("later").form is None
    assert lena.wishes.choice("commitment").due_on == TODAY + timedelta(days=14)
    assert lena.wishes.choice("commitment", "tomorrow").due_on == TODAY + timedelta(days=1)
    with pytest.raises(InvalidInput, match="use commitment, need or later"):
        lena.wishes.choice("maybe")
    with pytest.raises(InvalidInput, match="only a commitment has a due date"):
        lena.wishes.choice("need", "tomorrow")


def test_an_answer_through_the_link_waits_as_a_wish_and_promises_nothing(lena: Mutuality) -> None:
    made = lena.checkins.make_link("omar")
    lena.checkins.answer_link(
        made.token,
        satisfaction=4,
        better="I'd love to hear more about your research",
        equity=0,
        message="Thanks for asking",
        would_hear=True,
    )
    [(_, wish)] = lena.wishes.pending()
    assert wish.source == "link" and wish.proposal.form is WishForm.NEED
    assert rows(lena, CommitmentRow) == [] and rows(lena, NeedRow) == []
    [answered] = lena.checkins.list("omar")
    assert (answered.message, answered.would_hear) == ("Thanks for asking", True)


def test_backup_round_trip_keeps_wish_states_and_links(lena: Mutuality, tmp_path: Path) -> None:
    one, _ = lena.checkins.record("lena", their_better="Phones away at dinner")
    two, _ = lena.checkins.record("omar", their_better="Introductions to people in publishing")
    three, _ = lena.checkins.record("omar", their_better="More calls")
    four, _ = lena.checkins.record("omar", their_better="Lunch")
    lena.wishes.adopt(one.id)
    lena.wishes.adopt(two.id)
    lena.wishes.set_aside(three.id)
    link = lena.checkins.make_link("lena")
    lena.checkins.answer_link(
        link.token, satisfaction=5, better=None, equity=None, message=None, would_hear=False
    )
    path = tmp_path / "backup.json"
    lena.backups.export_json(path)
    with open_app(tmp_path / "restored.db") as other:
        other.backups.restore_json(path)
        states = {c.id: c.wish_state for c in rows(other, CheckInRow)}
        assert states[one.id] == "commitment" and states[two.id] == "need"
        assert states[three.id] == "set-aside" and states[four.id] is None
        assert [r.checkin_id for r in rows(other, CommitmentRow)] == [one.id]
        assert [(r.checkin_id, r.source) for r in rows(other, NeedRow)] == [(two.id, "checkin")]
        assert [w.checkin_id for _, w in other.wishes.pending()] == [four.id]
        assert other.checkins.list("lena")[-1].would_hear is False
        assert other.backups.snapshot() == lena.backups.snapshot()


def test_forgetting_the_check_in_keeps_the_commitment(lena: Mutuality) -> None:
    made, _ = lena.checkins.record("lena", their_better="Phones away at dinner")
    lena.wishes.adopt(made.id)
    with lena.database.write() as session:
        session.delete(session.get(CheckInRow, made.id))
    [row] = rows(lena, CommitmentRow)
    assert row.checkin_id is None and row.text == "Phones away at dinner"


# --- the web: the person page, the check-ins page, the API ----------------------------------


@pytest.fixture
def said(populated: Mutuality) -> CheckIn:
    made, _ = populated.checkins.record(
        "Ana Lima", their_satisfaction=3, their_better="Phones away at dinner"
    )
    return made


def test_the_person_page_shows_the_wish_with_its_three_buttons(
    client: Any, populated: Mutuality, said: CheckIn
) -> None:
    html = client.get(f"/people/{said.person_id}").text
    assert "Phones away at dinner" in html and f'action="/checkins/{said.id}/wish"' in html
    for label in ("Make it my commitment", "Keep as their need", "Set aside"):
        assert label in html
    assert 'name="back" value="person"' in html
    answer = post_form(
        client,
        f"/checkins/{said.id}/wish",
        {"choice": "commitment", "due": "2026-12-01", "back": "person"},
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/people/{said.person_id}#checkins"
    [commitment] = populated.commitments.list(person=said.person_id)
    assert commitment.text == "Phones away at dinner" and commitment.due_on == date(2026, 12, 1)
    html = client.get(f"/people/{said.person_id}").text
    assert "Make it my commitment" not in html and "(your commitment)" in html


def test_the_checkins_page_lists_wishes_and_keeps_one_as_a_need(
    client: Any, populated: Mutuality, said: CheckIn
) -> None:
    html = client.get("/checkins").text
    assert 'id="wishes"' in html and "Ana Lima said" in html and "Keep as their need" in html
    answer = post_form(client, f"/checkins/{said.id}/wish", {"choice": "need"})
    assert answer.status_code == 303 and answer.headers["location"] == "/checkins#wishes"
    assert [w.text for w in populated.needs.list("need") if w.source is Source.CHECKIN] == [
        "Phones away at dinner"
    ]
    again = post_form(client, f"/checkins/{said.id}/wish", {"choice": "set-aside"})
    assert again.status_code == 409 and "already kept as their need" in again.text
    assert "No wishes wait for you" in client.get("/checkins").text


def test_a_wish_form_needs_the_form_token(client: Any, populated: Mutuality, said: CheckIn) -> None:
    answer = client.post(
        f"/checkins/{said.id}/wish", data={"choice": "set-aside"}, follow_redirects=False
    )
    assert answer.status_code == 403
    assert len(populated.wishes.pending()) == 1


def test_the_api_lists_adopts_and_sets_aside(
    client: Any, populated: Mutuality, said: CheckIn
) -> None:
    listed = client.get("/api/checkins/wishes", params={"person_id": said.person_id}).json()
    [item] = listed["items"]
    assert listed["total"] == 1
    assert (item["checkin_id"], item["text"], item["proposed"], item["their_satisfaction"]) == (
        said.id,
        "Phones away at dinner",
        "commitment",
        3,
    )
    assert item["person"]["name"] == "Ana Lima"
    adopted = client.post(f"/api/checkins/{said.id}/wish", json={"as": "need"})
    assert adopted.status_code == 201, adopted.text
    body = adopted.json()
    assert body["state"] == "need" and body["need_id"] and body["commitment_id"] is None
    again = client.post(f"/api/checkins/{said.id}/wish")
    assert again.status_code == 409 and again.json()["error"] == "Conflict"
    other, _ = populated.checkins.record("Ana Lima", their_better="More calls")
    assert client.post(f"/api/checkins/{other.id}/wish/set-aside").json()["text"] == "More calls"
    assert client.get("/api/checkins/wishes").json()["total"] == 0
    missing = client.post("/api/checkins/999999/wish", json={"as": "commitment"})
    assert missing.status_code == 404 and "no check-in #999999" in missing.json()["message"]
    listed = client.get(f"/api/people/{said.person_id}/checkins").json()["items"]
    assert {c["id"]: c["wish_state"] for c in listed}[said.id] == "need"


def test_the_owner_name_placeholder_never_greets(tmp_path: Path) -> None:
    with open_app(tmp_path / "me.db", Settings()) as app:
        app.people.add("Ana Lima")
        assert app.checkins.link_name(app.checkins.make_link("ana").token) is None
