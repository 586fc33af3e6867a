"""The matching pipeline (core/matching/*) and the matching service
(services/matching/service.py)."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from mutuality.core.errors import BadFile, InvalidInput
from mutuality.core.matching.assignment import assign
from mutuality.core.matching.candidates import recall_at, top_k, top_k_dense
from mutuality.core.matching.evaluate import metrics, parse
from mutuality.core.matching.explain import explain, matched_words
from mutuality.core.matching.pipeline import tie_strength
from mutuality.core.matching.scoring import PeopleFacts, Question, Weights, pair_keys, score
from mutuality.core.matching.text import analyse
from mutuality.core.matching.vectors import Lexical, fit, transform
from mutuality.services.matching.evaluation import evaluate, load
from mutuality.services.matching.evaluation import main as evaluation_main

# --- text ---------------------------------------------------------------------------------------


def test_analyse_drops_asking_words_stems_and_folds_synonyms() -> None:
    assert analyse("Looking for a UX designer to review our onboarding") == [
        "ux",
        "design",
        "review",
        "onboard",
    ]
    assert analyse("Happy to give feedback on user experience and app design") == [
        "feedback",
        "ux",
        "app",
        "design",
    ]
    assert analyse("Hiring a recruiter") == ["recruit", "recruit"]
    assert analyse("Machine-learning and K8S") == analyse("ML & kubernetes")
    assert analyse("Café logo, São Paulo") == analyse("cafe LOGO sao paulo")
    assert analyse("", tags=("design",)) == ["design"]
    assert analyse("I need help, please!") == []


def test_matched_words_name_the_need_s_own_words() -> None:
    assert matched_words(
        "Looking for a UX designer to review our onboarding",
        "Feedback on user experience and app design",
    ) == ("ux", "designer")
    assert matched_words("Grant application help", "Reviewing grant applications") == (
        "grant application",
    )


# --- vectors and candidates ---------------------------------------------------------------------


def test_tfidf_rows_have_length_one_and_rare_terms_weigh_more() -> None:
    docs = [["design", "app"], ["design", "kubernet"], ["design"], []]
    vocabulary = fit(docs)
    matrix = transform(vocabulary, docs)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    assert norms[:3] == pytest.approx([1, 1, 1]) and norms[3] == 0
    row = matrix[1].toarray().ravel()
    assert row[vocabulary.terms["kubernet"]] > row[vocabulary.terms["design"]]


def test_sparse_and_dense_top_k_agree_with_brute_force() -> None:
    rng = np.random.default_rng(1)
    dense_q = rng.random((40, 30)) * (rng.random((40, 30)) < 0.2)
    dense_d = rng.random((70, 30)) * (rng.random((70, 30)) < 0.2)
    found, scores = top_k(sparse.csr_matrix(dense_q), sparse.csr_matrix(dense_d), 5)
    expected = dense_q @ dense_d.T
    for row in range(40):
        best = found[row][found[row] >= 0]
        assert np.all(np.diff(scores[row][: len(best)]) <= 1e-6)  # best first
        top = np.sort(expected[row])[::-1][: len(best)]
        assert expected[row][best] == pytest.approx(top, rel=1e-5)
        assert len(best) == min(5, int((expected[row] > 0).sum()))
    indices, _ = top_k_dense(dense_q.astype(np.float32), dense_d.astype(np.float32), 5)
    reference, _ = top_k(dense_q.astype(np.float32), dense_d.astype(np.float32), 5)
    assert recall_at(indices, reference) == 1.0
    empty, _ = top_k(sparse.csr_matrix((0, 30)), sparse.csr_matrix(dense_d), 5)
    assert empty.shape == (0, 5)


def test_min_score_drops_weak_candidates() -> None:
    q = sparse.csr_matrix(np.array([[1.0, 0.0], [0.6, 0.8]], dtype=np.float32))
    d = sparse.csr_matrix(np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32))
    indices, scores = top_k(q, d, 2, min_score=0.7)
    assert indices.tolist() == [[0, -1], [1, -1]]
    assert scores[1, 0] == pytest.approx(0.8)


# --- assignment ---------------------------------------------------------------------------------


def _best_by_brute_force(need, helper, value, capacity) -> float:
    best = 0.0
    for chosen in itertools.product([False, True], repeat=len(need)):
        mask = np.array(chosen)
        if np.bincount(need[mask], minlength=4).max(initial=0) > 1:
            continue
        used = np.bincount(helper[mask], minlength=3)
        if np.any(used > capacity):
            continue
        best = max(best, float(value[mask].sum()))
    return best


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_the_assignment_is_optimal_and_respects_capacity(data) -> None:
    edges = data.draw(st.integers(1, 9))
    need = np.array(data.draw(st.lists(st.integers(0, 3), min_size=edges, max_size=edges)))
    helper = np.array(data.draw(st.lists(st.integers(0, 2), min_size=edges, max_size=edges)))
    value = np.array(
        data.draw(st.lists(st.floats(0.01, 1.0), min_size=edges, max_size=edges))
    ).round(3)
    capacity_of = np.array(data.draw(st.lists(st.integers(0, 2), min_size=3, max_size=3)))
    chosen = assign(need, helper, value, capacity_of[helper])
    assert np.bincount(need[chosen], minlength=4).max(initial=0) <= 1
    assert np.all(np.bincount(helper[chosen], minlength=3) <= capacity_of)
    optimum = _best_by_brute_force(need, helper, value, capacity_of)
    assert value[chosen].sum() == pytest.approx(optimum, abs=1e-5)
    greedy = assign(need, helper, value, capacity_of[helper], method="greedy")
    assert value[greedy].sum() <= optimum + 1e-9


def test_the_assignment_prefers_two_matches_to_one_greedy_one() -> None:
    # Helper 0 is the best for both needs but has one slot; helper 1 suits need 0 nearly as well.
    need = np.array([0, 1, 0])
    helper = np.array([0, 0, 1])
    value = np.array([0.9, 0.8, 0.85])
    exact = assign(need, helper, value, np.array([1, 1, 1]))
    assert exact.tolist() == [False, True, True]
    assert assign(need, helper, value, np.array([1, 1, 1]), method="greedy").tolist() == [
        True,
        False,
        False,
    ]
    with pytest.raises(ValueError, match="unknown assignment"):
        assign(need, helper, value, np.array([1, 1, 1]), method="magic")


# --- scoring ------------------------------------------------------------------------------------


def _facts(**overrides) -> PeopleFacts:
    ids = np.array([1, 2, 3, 4])
    base = dict(
        ids=ids,
        tie=np.array([1.0, 0.5, 0.5, 0.5]),
        free=np.array([3, 2, 2, 2]),
        asked=np.zeros(4),
        challenge=np.zeros(4, dtype=bool),
        busy=np.zeros(4, dtype=bool),
    )
    base.update(overrides)
    return PeopleFacts(**base)


def test_scoring_filters_and_the_three_questions() -> None:
    need_person = np.array([1, 2, 3])  # my need, then 2's and 3's
    offer_person = np.array([2, 1, 3, 4])  # 2's offer, mine, 3's own offer, 4's offer
    need = np.array([0, 1, 2, 2, 2])
    offer = np.array([0, 1, 2, 0, 3])
    sims = np.full(5, 0.5)
    scored = score(need, offer, sims, need_person, offer_person, 1, _facts(), np.zeros(0, int))
    pairs = list(zip(scored.seeker.tolist(), scored.helper.tolist(), strict=True))
    assert (3, 3) not in pairs  # one's own offer never matches
    assert dict(zip(pairs, scored.question.tolist(), strict=True)) == {
        (1, 2): Question.HELP_ME,
        (2, 1): Question.I_HELP,
        (3, 2): Question.INTRODUCE,
        (3, 4): Question.INTRODUCE,
    }
    excluded = pair_keys(np.array([4]), np.array([3]))
    excluded = np.concatenate([excluded, pair_keys(np.array([3]), np.array([4]))])
    kept = score(need, offer, sims, need_person, offer_person, 1, _facts(), excluded)
    assert (3, 4) not in zip(kept.seeker.tolist(), kept.helper.tolist(), strict=True)
    busy = score(
        need,
        offer,
        sims,
        need_person,
        offer_person,
        1,
        _facts(busy=np.array([False, False, True, False])),
        np.zeros(0, int),
    )
    assert 3 not in busy.seeker.tolist()  # a busy person is not introduced
    full = score(
        need,
        offer,
        sims,
        need_person,
        offer_person,
        1,
        _facts(free=np.array([0, 2, 2, 2])),
        np.zeros(0, int),
    )
    assert 1 not in full.helper.tolist()  # no capacity left: not asked


def test_two_way_fairness_ties_and_timing_move_the_score() -> None:
    need_person = np.array([2, 3, 2])
    offer_person = np.array([3, 2, 4])
    need = np.array([0, 1, 2])
    offer = np.array([0, 1, 2])
    sims = np.array([0.5, 0.5, 0.5])
    plain = score(need, offer, sims, need_person, offer_person, 1, _facts(), np.zeros(0, int))
    by_pair = dict(
        zip(
            zip(plain.seeker.tolist(), plain.helper.tolist(), strict=True),
            plain.score.tolist(),
            strict=True,
        )
    )
    assert plain.two_way.tolist() == [True, True, False]
    assert by_pair[(2, 3)] == pytest.approx(by_pair[(2, 4)] * 1.25)
    assert plain.reverse_need[0] == 1 and plain.reverse_offer[0] == 1
    asked = score(
        need,
        offer,
        sims,
        need_person,
        offer_person,
        1,
        _facts(asked=np.array([0, 0, 0, 2.0])),
        np.zeros(0, int),
    )
    assert asked.score[2] == pytest.approx(plain.score[2] / 2)
    weak = score(
        need,
        offer,
        sims,
        need_person,
        offer_person,
        1,
        _facts(tie=np.array([1.0, 0.0, 0.0, 0.0])),
        np.zeros(0, int),
    )
    assert np.all(weak.score < plain.score)
    timely = score(
        need,
        offer,
        sims,
        need_person,
        offer_person,
        1,
        _facts(challenge=np.array([False, True, False, False])),
        np.zeros(0, int),
    )
    assert timely.score[0] == pytest.approx(plain.score[0] * 1.1)
    assert Weights().min_similarity > 0


def test_tie_strength_grows_with_what_flows_and_falls_with_fading() -> None:
    ties = tie_strength(np.array([0.0, 5.0, 50.0, 50.0]), np.zeros(4), np.array([1, 1, 1, 0.4]))
    assert ties[0] == pytest.approx(0.2)
    assert ties[0] < ties[1] < ties[2] <= 1.0
    assert ties[3] == pytest.approx(ties[2] * 0.4)


def test_explanations_say_what_each_side_gains() -> None:
    words = explain(
        Question.INTRODUCE,
        "Ana",
        "Bo",
        "A UX designer for our onboarding",
        "User experience reviews",
        ("Seed investors", "Angel investor intros"),
    )
    assert words.reason.startswith("Ana needs “A UX designer for our onboarding”; Bo offers")
    assert "matched: ux" in words.reason and words.two_way is not None
    assert "Seed investors" in words.helper_gains
    one_way = explain(Question.INTRODUCE, "Ana Lima", "Bo Chen", "A UX designer", "UX reviews")
    assert one_way.seeker_gains == "help from Bo, who offers “UX reviews”"
    assert "new contact" not in one_way.helper_gains and "Ana" in one_way.helper_gains
    mine = explain(Question.HELP_ME, "Me", "Cy", "Python tutor", "Python lessons")
    assert mine.summary == "Cy can help with your need “Python tutor”"


def test_a_match_by_meaning_says_how_close_it_is() -> None:
    """Closeness in words true to what the development set measured: close from 0.6 (most
    such suggestions were right), loose below 0.5 (about half were), said so to check."""
    from mutuality.core.matching.explain import CLOSE_IN_MEANING, IN_MEANING

    need, offer = "Someone to look over my CV", "Recruiter: CV feedback"
    reasons = {
        similarity: explain(
            Question.INTRODUCE, "Ana", "Bo", need, offer, semantic=True, similarity=similarity
        ).reason
        for similarity in (0.3, IN_MEANING, 0.55, CLOSE_IN_MEANING, 0.9)
    }
    assert reasons[0.3].endswith("(a loose match in meaning, worth checking; shared words: cv).")
    assert reasons[IN_MEANING].endswith("(a match in meaning; shared words: cv).")
    assert reasons[0.55] == reasons[IN_MEANING]
    assert reasons[CLOSE_IN_MEANING].endswith("(a close match in meaning; shared words: cv).")
    assert reasons[0.9] == reasons[CLOSE_IN_MEANING]
    by_words = explain(Question.INTRODUCE, "Ana", "Bo", need, offer, similarity=0.3)
    assert by_words.reason.endswith("(matched: cv).")  # closeness is said of meaning only


def test_a_match_by_meaning_says_so_and_cites_only_words_really_shared() -> None:
    need, offer = "Someone to look over my CV", "Recruiter for tech roles: résumé feedback"
    by_meaning = explain(
        Question.INTRODUCE, "Ana", "Bo", need, "Help with job applications", semantic=True
    )
    assert by_meaning.reason.endswith("(a match in meaning).") and by_meaning.matched == ()
    with_words = explain(Question.I_HELP, "Ana", "Me", need, offer, semantic=True)
    assert with_words.reason.endswith("(a match in meaning; shared words: cv).")
    by_words = explain(Question.INTRODUCE, "Ana", "Bo", need, offer)
    assert by_words.reason.endswith("(matched: cv).")


# --- the service --------------------------------------------------------------------------------


@pytest.fixture
def network(populated):
    app = populated
    app.needs.add("need", "me", "Looking for a Python tutor for data analysis")
    app.needs.add("offer", "josé", "Can teach Python and statistics")
    app.needs.add("offer", "me", "Happy to review grant applications")
    app.needs.add("need", "dana", "Need help writing a grant application for my charity")
    app.needs.add("need", "ana", "Looking for a UX designer to review our onboarding")
    app.needs.add("offer", "bo", "Feedback on user experience and app design")
    return app


def test_match_answers_the_three_questions(network) -> None:
    report = network.matching.match()
    assert report.method == "lexical" and report.needs == 3 and report.offers == 3
    assert [(m.seeker, m.helper) for m in report.help_me] == [("Me", "José Álvarez")]
    assert [(m.seeker, m.helper) for m in report.i_help] == [("Dana Smith", "Me")]
    [intro] = report.introductions
    assert (intro.seeker, intro.helper) == ("Ana Lima", "Bo Chen")
    assert intro.explanation.matched and 0 < intro.score <= intro.similarity * 1.5
    assert intro.tie > 0  # I know both Ana and Bo


def test_match_leaves_out_busy_people_and_my_offers_when_my_capacity_is_strained(network) -> None:
    network.needs.note_state("bo", "busy", "Launch week", until="in 5 days")
    network.capacity.set(1, "points", "month")
    network.ledger.log("bo", "gave", kind="time", what="A long day of help", benefit=5, cost=5)
    report = network.matching.match()
    assert report.introductions == [] and report.i_help == []
    assert any("Bo Chen is in a busy period" in note for note in report.notes)
    assert any("capacity" in note for note in report.notes)


def test_the_same_generous_helper_is_not_asked_every_time(populated) -> None:
    app = populated
    app.needs.add("offer", "bo", "Feedback on pitch decks")
    app.needs.add("offer", "josé", "Feedback on pitch decks")
    app.needs.add("need", "ana", "Feedback on my pitch deck")
    first = app.matching.match().introductions[0].helper
    for other in ("dana",):
        app.introductions.propose(other, first, reason="Earlier ask")
    app.needs.add("need", "dana", "Feedback on my pitch deck")
    later = app.matching.match()
    ana = next(m for m in later.introductions if m.seeker == "Ana Lima")
    assert ana.helper != first


def test_match_refuses_bad_options(network) -> None:
    with pytest.raises(InvalidInput, match="lexical or semantic"):
        network.matching.match("fuzzy")
    with pytest.raises(InvalidInput, match="limit"):
        network.matching.match(limit=0)
    with pytest.raises(ValueError, match="unknown assignment"):
        network.matching.match(assignment="magic")


def test_matching_an_empty_network(app) -> None:
    report = app.matching.match()
    assert report.chosen == 0 and "nothing to match" in report.notes[-1]


def test_lexical_method_never_loads_the_semantic_stack(tmp_path) -> None:
    code = (
        "import sys; from mutuality.services.app import Mutuality; "
        f"app = Mutuality.open({str(tmp_path / 'x.db')!r}); "
        "app.people.add('Ana'); app.needs.add('need', 'ana', 'design help'); "
        "app.needs.add('offer', 'me', 'design reviews'); app.matching.match(); "
        "print([m for m in ('sentence_transformers', 'torch', 'faiss') if m in sys.modules])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_lexical_method_behind_the_interface() -> None:
    needs, offers = Lexical().vectors(["python tutor"], ["python lessons", "gardening"])
    similarity = (needs @ offers.T).toarray()
    assert similarity[0, 0] > 0.3 and similarity[0, 1] == 0


# --- the labelled evaluation set ----------------------------------------------------------------

EVAL_SET = Path(__file__).parent / "data" / "matching_eval.txt"

LEXICAL_FLOOR = {"precision_at_1": 0.65, "recall_at_5": 0.85, "ndcg_at_5": 0.75}
"""Set from the measured 0.725 / 0.900 / 0.823 (benchmarks/README.md) with a margin, so that
a change to tokenising, stemming, synonyms or weighting that loses quality fails here."""


def test_the_evaluation_set_is_large_and_well_formed() -> None:
    labelled = load(EVAL_SET)
    assert len(labelled.needs) >= 150 and len(labelled.offers) >= 150
    assert len(set(labelled.fields)) >= 25
    assert all(labelled.helpers)


def test_the_lexical_method_stays_above_its_floor() -> None:
    result = evaluate(load(EVAL_SET), Lexical())
    assert result.precision_at_1 >= LEXICAL_FLOOR["precision_at_1"]
    assert result.recall_at_5 >= LEXICAL_FLOOR["recall_at_5"]
    assert result.ndcg_at_5 >= LEXICAL_FLOOR["ndcg_at_5"]


def test_metrics_on_a_hand_worked_ranking() -> None:
    figures = metrics([["a", "x", "b"], ["x", "y"]], [frozenset({"a", "b"}), frozenset({"y"})])
    assert figures.precision_at_1 == pytest.approx(0.5)
    assert figures.recall_at_5 == pytest.approx(1.0)
    first = (1 + 1 / np.log2(4)) / (1 + 1 / np.log2(3))
    second = (1 / np.log2(3)) / 1
    assert figures.ndcg_at_5 == pytest.approx((first + second) / 2)


def test_a_malformed_labelled_set_names_the_line() -> None:
    with pytest.raises(BadFile, match="line 2: expected `need: TEXT => ID, ID`"):
        parse("offer a: Design\nneed: Help with design")
    with pytest.raises(BadFile, match="unknown offers: b"):
        parse("offer a: Design\nneed: Help => b")


def test_the_evaluation_command_prints_the_figures(capsys) -> None:
    assert evaluation_main(["--method", "lexical", "--file", str(EVAL_SET)]) == 0
    printed = capsys.readouterr().out
    assert "P@1" in printed and "lexical" in printed
    assert evaluation_main(["--method", "lexical", "--file", "/nowhere/set.txt"]) == 2


def test_two_way_matches_are_proposed_before_stronger_one_way_ones(populated) -> None:
    add = populated.needs.add
    add("need", "ana", "Design review of an onboarding flow")
    add("offer", "bo", "Design review of an onboarding flow")  # the same words: similarity 1
    add("need", "dana", "Python tutoring for data analysis")
    add("offer", "josé", "Python tutoring, pandas and notebooks for analysis")
    add("need", "josé", "Spanish conversation practice")
    add("offer", "dana", "Spanish conversation practice over coffee, weekly")
    report = populated.matching.match("lexical")
    first, *rest = report.introductions
    assert first.reverse_need is not None and {first.seeker, first.helper} == {
        "Dana Smith",
        "José Álvarez",
    }
    one_way = next(m for m in rest if m.seeker == "Ana Lima")
    assert one_way.score > first.score  # listed later all the same
