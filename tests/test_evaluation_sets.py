"""The labelled sets for matching (a development set and a separate test set) and the
evaluation command over them: sizes, graded relevance, details, two-way pairs, and that
the sets are hard in the ways unseen text is (paraphrases and decoys)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mutuality.core.errors import BadFile
from mutuality.core.matching.evaluate import metrics, parse, two_way_pairs
from mutuality.core.matching.text import analyse
from mutuality.services.matching import evaluation

FOLDER = Path("tests/data/matching")
SETS = {
    name: parse((FOLDER / f"{name}.txt").read_text(encoding="utf-8")) for name in ("dev", "test")
}


def test_the_two_sets_together_are_large_and_varied():
    dev, test = SETS["dev"], SETS["test"]
    assert len(dev.needs) + len(test.needs) >= 400
    assert len(dev.offers) + len(test.offers) >= 600
    for labelled in (dev, test):
        assert len(set(labelled.fields)) >= 20
        assert sum(1 for some in labelled.partial if some) >= 20  # graded: partial helpers
        pairs = zip(labelled.partial, labelled.helpers, strict=True)
        assert all(not (some & right) for some, right in pairs)


def test_the_test_set_was_written_apart_from_the_development_set():
    dev, test = SETS["dev"], SETS["test"]
    assert not set(dev.needs) & set(test.needs)
    assert not set(dev.offers) & set(test.offers)


def test_people_have_tags_titles_and_organisations():
    for labelled in SETS.values():
        details = labelled.offer_details
        assert sum("tags" in d for d in details) / len(details) > 0.9
        assert sum("title" in d for d in details) / len(details) > 0.5
        assert sum("org" in d for d in details) >= 5


@pytest.mark.parametrize("name", ["dev", "test"])
def test_two_way_pairs_are_marked_and_true(name):
    labelled = SETS[name]
    found = two_way_pairs(labelled)
    marked = {
        frozenset((d["person"], d["two-way"])) for d in labelled.need_details if "two-way" in d
    }
    assert len(found) >= 5
    assert marked == found


@pytest.mark.parametrize("name", ["dev", "test"])
def test_needs_are_paraphrased_and_decoys_share_words(name):
    """Half the needs share no term with any right offer, and half have a wrong offer that
    shares more terms than any right one: word overlap alone cannot do well here."""
    labelled = SETS[name]
    index = {offer: row for row, offer in enumerate(labelled.offer_ids)}
    offer_terms = [set(analyse(text)) for text in labelled.offers]
    paraphrased = decoyed = 0
    for need, right in zip(labelled.needs, labelled.helpers, strict=True):
        terms = set(analyse(need))
        best_right = max(len(terms & offer_terms[index[o]]) for o in right)
        best_wrong = max(
            len(terms & offer_terms[row])
            for row, offer in enumerate(labelled.offer_ids)
            if offer not in right
        )
        paraphrased += best_right == 0
        decoyed += best_wrong > best_right
    assert paraphrased / len(labelled.needs) >= 0.45
    assert decoyed / len(labelled.needs) >= 0.45


def test_graded_ndcg_counts_a_partial_helper_at_half():
    right, partly = [frozenset({"a"})], [frozenset({"b"})]
    assert metrics([["a", "b"]], right, partly).ndcg_at_5 == pytest.approx(1.0)
    flipped = metrics([["b", "a"]], right, partly)
    best = 2 + 1 / 1.5849625007211562
    assert flipped.ndcg_at_5 == pytest.approx((1 + 2 / 1.5849625007211562) / best)
    assert flipped.precision_at_1 == 0.0 and flipped.recall_at_5 == 1.0
    # Without grades the figures are those of the ungraded metric.
    assert metrics([["b", "a"]], right).ndcg_at_5 == pytest.approx(1 / 1.5849625007211562)


def test_the_format_reads_grades_and_details_and_refuses_bad_ones():
    labelled = parse(
        "[f]\noffer o1: Resume reviews | tags: careers, cv | title: Recruiter\n"
        "offer o2: UX reviews\n"
        "need: Look over my CV? | person: p1 => o1 ; o2\n"
    )
    assert labelled.helpers == [frozenset({"o1"})] and labelled.partial == [frozenset({"o2"})]
    assert labelled.offer_details[0] == {"tags": "careers, cv", "title": "Recruiter"}
    assert labelled.compared(labelled.offers, labelled.offer_details)[0] == (
        "Resume reviews careers cv"
    )
    with pytest.raises(BadFile, match="unknown offers: o3"):
        parse("offer o1: A\nneed: B => o1 ; o3\n")
    with pytest.raises(BadFile, match="line 1"):
        parse("offer o1: A | tags\n")


def test_the_evaluation_command_scores_a_set_with_the_default_method_first(capsys):
    assert evaluation.main(["--file", str(FOLDER / "test.txt"), "--method", "lexical"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"{FOLDER / 'test.txt'}: {len(SETS['test'].needs)} needs")
    assert lines[1].split() == ["method", "P@1", "R@5", "NDCG@5", "seconds"]
    name, *figures = lines[2].split()
    assert name == "lexical" and all(0.0 <= float(x) <= 1.0 for x in figures[:3])


def test_tags_are_compared_with_the_text_as_matching_does():
    labelled = SETS["dev"]
    method = evaluation.method_named("lexical")
    with_tags = evaluation.evaluate(labelled, method)
    text_only = evaluation.evaluate(labelled, method, tags=False)
    assert with_tags != text_only


SMALL_SET = """
[careers]
offer ca1: Recruiter for tech roles: I read résumés and say what hiring managers skim for
offer ca2: Freelance UX reviews of apps and websites
need: Can someone look over my CV before Friday? => ca1
need: Our app's sign-up flow confuses people, could a designer look at it? => ca2
"""


def test_the_default_method_is_scored_first_and_ranks_by_meaning(tmp_path, capsys):
    small = tmp_path / "small.txt"
    small.write_text(SMALL_SET, encoding="utf-8")
    assert evaluation.main(["--file", str(small)]) == 0
    rows = [line.split() for line in capsys.readouterr().out.splitlines()[2:]]
    assert [row[0] for row in rows] == ["semantic", "lexical"]
    assert float(rows[0][1]) == 1.0  # P@1: both needs find their helper by meaning


def test_semantic_methods_see_texts_phrased_as_needs_and_offers():
    seen: list[list[str]] = []

    class Recording:
        name = "recording"

        def vectors(self, needs, offers):
            seen.append([*needs, *offers])
            rows = np.eye(len(needs) + len(offers), dtype=np.float32)
            return rows[: len(needs)], rows[len(needs) :]

    labelled = parse(SMALL_SET)
    evaluation.evaluate(labelled, Recording())
    assert seen[0][0].startswith("I need help: Can someone look over my CV")
    assert seen[0][2].startswith("I can help: Recruiter for tech roles")


def test_the_evaluation_command_runs_at_the_address_the_issue_keeps_stable(tmp_path):
    """``python -m mutuality.services.evaluation --file F --method M``, as a set kept
    elsewhere is scored: the same table, in a fresh interpreter."""
    import subprocess
    import sys

    labelled = tmp_path / "mine.txt"
    labelled.write_text(
        "offer o1: Python lessons for beginners\n"
        "offer o2: Help with the garden\n"
        "need: A Python tutor for data analysis => o1\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "mutuality.services.evaluation", "--file", str(labelled),
         "--method", "lexical"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"{labelled}: 1 needs, 2 offers, 1 fields"
    assert lines[1].split() == ["method", "P@1", "R@5", "NDCG@5", "seconds"]
    assert lines[2].split()[:2] == ["lexical", "1.000"]
