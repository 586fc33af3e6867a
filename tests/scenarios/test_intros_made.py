"""Introductions: my contribution to both sides, never a debt of the person introduced (issue
14: "one introduction alone never changes anyone's status"), and a win of theirs to
celebrate when something comes of it (seed 003: "Celebrate others' wins publicly").
"""

from __future__ import annotations

from scenario_helpers import (
    BOUNDARY_WORDS,
    TEXT_SURFACES,
    Ledger,
    Scenario,
    Surfaces,
    ago,
    flat,
    labels_beside,
    on,
    scene,  # noqa: F401  (the fixture, for this module)
)

OUTCOME = "Jo got an interview at Northwind"


def jo_and_mark(ledger: Ledger, last_call: int | None = 8) -> None:
    """Jo, a friend who brought me soup when I had flu, is looking for a design job; Mark,
    a former colleague, is hiring. I introduce them, with both sides' consent, signed with
    my own name."""
    ledger.cli("me", "--name", "Alex Morgan")
    ledger.person("Jo Brennan", context="friend")
    ledger.got(
        "Jo Brennan", "Brought soup when I had flu", days_ago=70, kind="support", benefit=5, cost=2
    )
    ledger.gave(
        "Jo Brennan", "Read her cover letters", days_ago=40, kind="feedback", benefit=4, cost=2
    )
    ledger.gave(
        "Jo Brennan",
        "Thanked her for the soup",
        days_ago=39,
        kind="appreciation",
        benefit=1,
        cost=0,
    )
    if last_call is not None:
        ledger.app.ledger.touch(
            "Jo Brennan", on=ago(last_call), initiated_by="them", channel="call"
        )
    ledger.person("Mark Ellis", context="colleague", organisation="Northwind")
    ledger.got(
        "Mark Ellis", "Coffee and industry gossip", days_ago=30, kind="knowledge", benefit=2, cost=1
    )
    ledger.cli("need", "add", "Jo Brennan", "A job in product design")
    ledger.cli("offer", "add", "Mark Ellis", "Hiring a product designer at Northwind")
    ledger.notes["before"] = Surfaces(ledger, "Jo Brennan").verdict
    ledger.notes["proposed"] = ledger.cli("intro", "propose", "Jo Brennan", "Mark Ellis")
    ledger.notes["asked"] = ledger.cli("intro", "ask", "1")
    ledger.cli("intro", "consent", "1", "Jo Brennan")
    ledger.cli("intro", "consent", "1", "Mark Ellis")
    ledger.notes["made"] = ledger.cli("intro", "make", "1")


class TestJobIntroduction(Scenario):
    person = "Jo Brennan"
    status = "thriving"
    action = "make an introduction"
    must_not = (*BOUNDARY_WORDS, "over-receiving", "give back")

    def build(self, ledger: Ledger) -> None:
        jo_and_mark(ledger)

    def test_the_introduction_alone_changes_nothing(self, scene: Surfaces) -> None:
        assert scene.verdict == scene.ledger.notes["before"]

    def test_the_other_side_is_never_labelled_either(self, scene: Surfaces) -> None:
        mark = Surfaces(scene.ledger, "Mark Ellis")
        assert mark.verdict[0] not in ("over-giving", "over-receiving")
        for surface, text in mark.everywhere(TEXT_SURFACES):
            assert labels_beside(text, "Mark Ellis") == [], surface

    def test_the_drafts_speak_to_them_and_are_signed_with_my_name(self, scene: Surfaces) -> None:
        for step in ("asked", "made"):
            draft = scene.ledger.notes[step]
            assert "Alex" in draft and "(matched" not in draft
            assert not any(line.strip() in ("Me", "Me,") for line in draft.splitlines())
        asked = flat(scene.ledger.notes["asked"])
        assert "Hi Jo, I'd like to introduce you to Mark Ellis" in asked
        assert "You're looking for" in asked


def test_an_introduction_alone_does_not_change_an_overdue_friends_status(tmp_path) -> None:
    ledger = Ledger(tmp_path / "ledger.db")
    try:
        jo_and_mark(ledger, last_call=None)
        assert ledger.notes["before"] == ("overdue", "check in")
        assert Surfaces(ledger, "Jo Brennan").verdict == ledger.notes["before"]
    finally:
        ledger.close()


class TestIntroductionOutcome(Scenario):
    """Jo got an interview through the introduction: congratulate her, with the specific."""

    person = "Jo Brennan"
    status = "thriving"
    action = "congratulate them"
    must = on(
        why=(f'"{OUTCOME}"', "Congratulate them"),
        next=("Jo Brennan: congratulate them",),
        digest=("Jo Brennan: congratulate them",),
    )
    must_not = (*BOUNDARY_WORDS, "over-receiving")

    def build(self, ledger: Ledger) -> None:
        jo_and_mark(ledger)
        ledger.cli("intro", "outcome", "1", OUTCOME)
