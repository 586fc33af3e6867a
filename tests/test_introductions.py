"""Double-opt-in introductions: states, consent, the ledger, messages, bad input
(services/introductions/service.py, core/introductions.py)."""

from __future__ import annotations

import pytest
from conftest import open_app, table_counts

from mutuality.core.errors import Conflict, InvalidInput, NotFound
from mutuality.core.introductions import Consent, IntroStatus, Step
from mutuality.core.model import ExchangeKind


@pytest.fixture
def wishes(populated):
    """Ana needs a UX review, Bo offers one; Bo needs investors, Ana knows some."""
    populated.needs.add("need", "ana", "Looking for a UX designer to review our onboarding")
    populated.needs.add("offer", "bo", "Happy to give feedback on user experience and app design")
    populated.needs.add("need", "bo", "An intro to seed investors for my startup")
    populated.needs.add("offer", "ana", "I know several angel investors")
    return populated


def test_the_whole_flow_from_proposal_to_outcome(wishes) -> None:
    app = wishes
    detail = app.introductions.propose("ana", "bo")
    intro = detail.introduction
    assert intro.status is IntroStatus.PROPOSED and intro.a_consent is None
    assert intro.reason == (
        "Ana Lima is looking for “a UX designer to review our onboarding”, and Bo Chen offers "
        "“Happy to give feedback on user experience and app design”."
    )
    assert intro.need_id is not None and intro.offer_id is not None
    assert "Bo Chen" in detail.a_message and "A no is completely fine" in detail.a_message
    # Two-way: Bo needs investors and Ana knows some, so Bo gains her help in return.
    assert intro.b_gains == (
        "help in return from Ana, who offers “I know several angel investors”, for "
        "“An intro to seed investors for my startup”"
    )

    asked = app.introductions.ask(intro.id)
    assert asked.introduction.status is IntroStatus.ASKING
    assert (asked.introduction.a_consent, asked.introduction.b_consent) == (Consent.ASKED,) * 2
    one = app.introductions.answer(intro.id, "Ana Lima", note="Sounds great")
    assert one.introduction.status is IntroStatus.ASKING
    both = app.introductions.answer(intro.id, "bo")
    assert both.introduction.status is IntroStatus.AGREED

    made = app.introductions.make(intro.id)
    assert made.introduction.status is IntroStatus.MADE
    entries = app.ledger.timeline("ana").entries + app.ledger.timeline("bo").entries
    logged = [e for e in entries if e.exchange.description.startswith("Introduced to")]
    assert [(e.direction.value, e.exchange.kind) for e in logged] == [
        ("gave", ExchangeKind.INTRODUCTION),
        ("gave", ExchangeKind.INTRODUCTION),
    ]
    assert {made.introduction.a_exchange_id, made.introduction.b_exchange_id} == {
        e.exchange.id for e in logged
    }
    assert "Ana, meet Bo Chen" in made.intro_message and "ana@example.org" in made.intro_message

    done = app.introductions.log_outcome(intro.id, "Two investor meetings", need_met=True)
    assert done.introduction.outcome == "Two investor meetings"
    assert app.ledger.timeline("ana").entries[0].exchange.outcome == "Two investor meetings"
    assert app.needs.get("need", intro.need_id).status == "closed"
    steps = [s.step for s in done.steps]
    assert steps == [
        Step.PROPOSED,
        Step.ASKED,
        Step.ASKED,
        Step.CONSENTED,
        Step.CONSENTED,
        Step.MADE,
        Step.OUTCOME,
    ]
    assert all(s.at is not None for s in done.steps)
    assert done.steps[3].note == "Sounds great"


def test_messages_never_include_private_notes(wishes) -> None:
    app = wishes
    app.ledger.log("bo", "gave", kind="time", what="Coffee", private_note="SECRET-EXCHANGE")
    from mutuality.services.people import PersonChanges

    app.people.edit("bo", PersonChanges(private_note="SECRET-PERSON"))
    detail = app.introductions.propose("ana", "bo")
    app.introductions.answer(detail.introduction.id, "ana")
    app.introductions.answer(detail.introduction.id, "bo")
    made = app.introductions.make(detail.introduction.id)
    text = "\n".join([made.a_message, made.b_message, made.intro_message])
    assert "prefers mornings" not in text  # Ana's private note in the populated tier
    assert "SECRET" not in text


def test_making_before_both_consented_is_refused_and_writes_nothing(wishes) -> None:
    app = wishes
    intro = app.introductions.propose("ana", "bo").introduction
    before = table_counts(app)
    with pytest.raises(Conflict, match="is proposed: cannot make it"):
        app.introductions.make(intro.id)
    app.introductions.answer(intro.id, "ana")
    before = table_counts(app)
    with pytest.raises(Conflict, match="is asking: cannot make it"):
        app.introductions.make(intro.id)
    with pytest.raises(Conflict, match="cannot log an outcome"):
        app.introductions.log_outcome(intro.id, "Great")
    with pytest.raises(Conflict, match="already consented"):
        app.introductions.answer(intro.id, "ana")
    with pytest.raises(Conflict, match="already answered"):
        app.introductions.ask(intro.id, "ana")
    assert table_counts(app) == before


def test_a_decline_closes_it_kindly_and_is_remembered(wishes) -> None:
    app = wishes
    intro = app.introductions.propose("ana", "bo").introduction
    app.introductions.answer(intro.id, "ana")
    declined = app.introductions.answer(intro.id, "bo", yes=False, note="Too busy")
    assert declined.introduction.status is IntroStatus.DECLINED
    assert declined.decline_note is not None and declined.decline_note.startswith("Hi Ana")
    assert "won't go ahead" in declined.decline_note
    with pytest.raises(Conflict, match="is declined: cannot make it"):
        app.introductions.make(intro.id)
    with pytest.raises(Conflict, match="was declined"):
        app.introductions.propose("bo", "ana")
    assert app.matching.match().introductions == []
    again = app.introductions.propose("ana", "bo", again=True)
    assert again.introduction.status is IntroStatus.PROPOSED


def test_a_yes_can_still_be_withdrawn_by_a_no_before_it_is_made(wishes) -> None:
    app = wishes
    intro = app.introductions.propose("ana", "bo").introduction
    app.introductions.answer(intro.id, "ana")
    app.introductions.answer(intro.id, "bo")
    assert app.introductions.answer(intro.id, "ana", yes=False).introduction.status is (
        IntroStatus.DECLINED
    )


def test_bad_introductions(wishes) -> None:
    app = wishes
    before = table_counts(app)
    with pytest.raises(InvalidInput, match="to themself"):
        app.introductions.propose("ana", "Ana Lima")
    with pytest.raises(InvalidInput, match="two other people"):
        app.introductions.propose("me", "bo")
    with pytest.raises(NotFound, match="no person matches"):
        app.introductions.propose("ana", "nobody")
    with pytest.raises(InvalidInput, match="--reason"):
        app.introductions.propose("josé", "dana")
    with pytest.raises(InvalidInput, match="reason must not be empty"):
        app.introductions.propose("josé", "dana", reason="  ")
    assert table_counts(app) == before
    intro = app.introductions.propose("ana", "bo").introduction
    before = table_counts(app)
    with pytest.raises(InvalidInput, match=r"José Álvarez is not part of introduction #\d+"):
        app.introductions.answer(intro.id, "josé")
    with pytest.raises(Conflict, match="already being introduced"):
        app.introductions.propose("bo", "ana")
    with pytest.raises(NotFound, match="no introduction with id 99"):
        app.introductions.answer(99, "ana")
    with pytest.raises(InvalidInput, match="nothing to change"):
        app.introductions.edit(intro.id)
    with pytest.raises(InvalidInput, match="status"):
        app.introductions.list("pending")
    assert table_counts(app) == before


def test_drafts_speak_to_their_reader_and_show_no_matching_internals(wishes) -> None:
    app = wishes
    detail = app.introductions.propose("ana", "bo")
    assert detail.a_message == (
        "Hi Ana,\n"
        "\n"
        "I'd like to introduce you to Bo Chen. You're looking for “a UX designer to review our "
        "onboarding”, and I think Bo could help.\n"
        "What you could gain: help from Bo, who offers “Happy to give feedback on user "
        "experience and app design”.\n"
        "\n"
        "Would you like me to connect you? A no is completely fine, and I won't share your "
        "details with Bo unless you say yes."
    )
    assert (
        "Ana is looking for “a UX designer to review our onboarding”, and I think you could "
        "help." in detail.b_message
    )
    assert "Ana Lima" not in detail.a_message and "Bo Chen" not in detail.b_message
    app.introductions.answer(detail.introduction.id, "ana")
    app.introductions.answer(detail.introduction.id, "bo")
    made = app.introductions.make(detail.introduction.id)
    assert "What you could each gain:\n- Ana: help from Bo" in made.intro_message
    assert "- Bo: help in return from Ana" in made.intro_message
    drafts = "\n".join([made.a_message, made.b_message, made.intro_message])
    internals = ("(matched", "matched:", "in meaning", "shared words", "score", "Two-way")
    for internal in internals:
        assert internal not in drafts
    assert str(made.introduction.score) not in drafts
    assert "a new contact" not in drafts and "needs what they offer" not in drafts
    # My name is not set: nothing is signed, least of all with the placeholder "Me".
    for draft in (made.a_message, made.b_message, made.intro_message):
        assert draft.splitlines()[-1] not in ("Me", "")
        assert "\nMe" not in draft


def test_drafts_are_signed_with_my_first_name_once_it_is_set(wishes) -> None:
    app = wishes
    assert app.owner.needs_name() and app.owner.name().first is None
    intro = app.introductions.propose("ana", "bo").introduction
    assert app.introductions.get(intro.id).a_message.endswith("unless you say yes.")
    assert app.owner.set_name("  Carla   Mendes ").first == "Carla"
    assert not app.owner.needs_name()
    detail = app.introductions.get(intro.id)
    assert detail.a_message.endswith("unless you say yes.\n\nCarla")
    assert detail.b_message.endswith("\n\nCarla")
    app.introductions.answer(intro.id, "ana")
    declined = app.introductions.answer(intro.id, "bo", yes=False)
    assert declined.decline_note is not None and declined.decline_note.endswith("\n\nCarla")


def test_my_name_is_checked_before_it_signs_anything(wishes) -> None:
    app = wishes
    with pytest.raises(InvalidInput, match="not a name others would know you by"):
        app.owner.set_name("Me")
    with pytest.raises(InvalidInput, match="must not be empty"):
        app.owner.set_name("   ")
    with pytest.raises(Conflict, match="a person in your network is named 'Ana Lima'"):
        app.owner.set_name("ana lima")
    assert app.owner.needs_name()
    assert app.people.owner().name == "Me"
    app.owner.set_name("Carla Mendes")
    assert app.people.owner().name == "Carla Mendes"  # the owner's own person carries it


def test_a_named_owner_in_the_config_file_is_already_set(tmp_path) -> None:
    from mutuality.services.settings import Settings

    with open_app(tmp_path / "named.db", Settings(owner_name="Carla Mendes")) as named:
        assert named.owner.name().first == "Carla" and not named.owner.needs_name()


def test_a_reason_of_my_own_and_edited_messages(populated) -> None:
    app = populated
    detail = app.introductions.propose(
        "josé", "dana", reason="Both run design meetups in Lisbon", a_gains="a co-host"
    )
    intro = detail.introduction
    assert intro.reason == "Both run design meetups in Lisbon" and intro.need_id is None
    assert "What you could gain: a co-host." in detail.a_message
    edited = app.introductions.edit(intro.id, b_message="Dana, fancy meeting José?")
    assert edited.b_message == "Dana, fancy meeting José?"
    assert edited.steps[-1].step is Step.EDITED and edited.steps[-1].note == "b_message"
    withdrawn = app.introductions.withdraw(intro.id)
    assert withdrawn.introduction.status is IntroStatus.WITHDRAWN
    with pytest.raises(Conflict, match="cannot edit"):
        app.introductions.edit(intro.id, reason="x")
    # A withdrawn pair may be proposed again.
    assert app.introductions.propose("dana", "josé", reason="Meetups").introduction.id > intro.id
    assert [d.introduction.status for d in app.introductions.list()] == [
        IntroStatus.PROPOSED,
        IntroStatus.WITHDRAWN,
    ]
    assert len(app.introductions.list("open")) == 1
    assert len(app.introductions.list(person="dana")) == 2
    assert app.introductions.list(person="ana") == []


def test_introductions_survive_export_and_restore(wishes, tmp_path) -> None:
    app = wishes
    intro = app.introductions.propose("ana", "bo").introduction
    app.introductions.answer(intro.id, "ana")
    app.introductions.answer(intro.id, "bo")
    app.introductions.make(intro.id)
    target = tmp_path / "backup.json"
    app.backups.export_json(target)
    with open_app(tmp_path / "restored.db") as restored:
        restored.backups.restore_json(target)
        assert restored.backups.snapshot() == app.backups.snapshot()
        shown = restored.introductions.get(intro.id)
        assert shown.introduction.status is IntroStatus.MADE
        assert [s.step for s in shown.steps] == [s.step for s in app.introductions.get(1).steps]


def test_a_proposal_finds_its_reason_by_meaning(populated) -> None:
    populated.needs.add("need", "ana", "Can someone look over my CV before Friday?")
    populated.needs.add("offer", "bo", "Recruiter for tech roles: résumé feedback")
    detail = populated.introductions.propose("ana", "bo")  # not one word in common
    assert detail.matched_by == "by meaning"
    assert detail.introduction.reason == (
        "Ana Lima is looking for “Can someone look over my CV before Friday?”, and Bo Chen "
        "offers “Recruiter for tech roles: résumé feedback”."
    )
    with populated.database.read() as session:
        ana, bo = (populated.people.person_id(session, name) for name in ("ana", "bo"))
        found = populated.matching.best_pair(session, ana, bo)
    assert found is not None and found.method == "semantic"
    assert found.match.explanation.reason.endswith(
        "(a loose match in meaning, worth checking; shared words: cv)."
    )


def test_without_the_model_a_proposal_matches_by_words_and_says_why(populated, monkeypatch) -> None:
    from mutuality.services.matching import embeddings, encoder_onnx
    from mutuality.services.matching.embeddings import EmbeddingStore

    monkeypatch.setattr(encoder_onnx, "MODEL_PACKAGE", "no_such_model_package")
    monkeypatch.setattr(embeddings, "missing", lambda: "no torch here")
    monkeypatch.setattr(embeddings, "missing_lite", lambda: "no weights here")
    populated.matching.embeddings = EmbeddingStore(populated.database)
    populated.needs.add("need", "ana", "Looking for a UX designer to review our onboarding")
    populated.needs.add("offer", "bo", "Happy to give UX feedback on onboarding flows")
    detail = populated.introductions.propose("ana", "bo")
    assert detail.matched_by is not None
    assert detail.matched_by.startswith("matched by shared words only: the semantic method")
    assert "UX designer" in detail.introduction.reason
