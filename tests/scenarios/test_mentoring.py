"""Mentoring and service: ties that are not meant to balance. Seed 001: "the teacher learns as
much from the student as the student learns from the teacher... The same is true for a
mentoring relationship"; seed 003: pro bono and volunteering are giving by choice.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from scenario_helpers import (
    BOUNDARY_WORDS,
    TEXT_SURFACES,
    Ledger,
    Scenario,
    Surfaces,
    flat,
    labels_beside,
    on,
    scene,  # noqa: F401  (the fixture, for this module)
)

EVEN_AND_HAPPY = {"my_satisfaction": 5, "their_satisfaction": 4, "my_equity": 0, "their_equity": 0}
"""A check-in where both are satisfied (mine 5, theirs 4) and both say it is about even."""


def seven_to_four(ledger: Ledger, name: str, gave: tuple[str, str], got: tuple[str, str]) -> None:
    """Two months of exchanges, 7 points given for every 4 received on the same days: a
    balance of (7 - 4) / (7 + 4) = +0.27, just past the band of 0.25."""
    for days, (mine, theirs) in zip((80, 20), zip(gave, got, strict=True), strict=True):
        ledger.gave(name, mine, days_ago=days, kind="knowledge", benefit=7, cost=2)
        ledger.got(name, theirs, days_ago=days, kind="knowledge", benefit=4, cost=2)


class TestHappyMentee(Scenario):
    """Sam, my mentee: both of us satisfied, both "about even"; the ledger says +0.27."""

    person = "Sam Osei"
    status = "uneven by choice"
    action = "thank them with specifics"
    must = on(
        why=(
            "Intent: mentoring",
            "the teacher learns as much from the student",
            "yields to your view",
        ),
        next=("Sam Osei: thank them with specifics", "Honest feedback on my workshop slides"),
    )
    must_not = BOUNDARY_WORDS

    def build(self, ledger: Ledger) -> None:
        ledger.person("Sam Osei", context="mentee")
        seven_to_four(
            ledger,
            "Sam Osei",
            gave=("Mock interview for the analyst role", "Reviewed his portfolio"),
            got=("Showed me how he uses Figma", "Honest feedback on my workshop slides"),
        )
        ledger.checkin("Sam Osei", days_ago=10, **EVEN_AND_HAPPY)

    def test_balance_is_just_past_the_band(self, scene: Surfaces) -> None:
        assert 0.25 < scene.health["balance"] < 0.3


class TestPeersWhoSayItIsEven(Scenario):
    """The same figures with a fellow designer, a reciprocal tie: both satisfied and "about
    even" at the check-in, so the ledger's +0.27 yields to their view: not over-giving."""

    person = "Jonas Berg"
    status = "thriving"
    action = "thank them with specifics"
    must = on(why=("yields to your view", "Intent: reciprocal"))
    must_not = ("over-giving", "pause giving", "say no kindly", "set a boundary")

    def build(self, ledger: Ledger) -> None:
        ledger.person("Jonas Berg", context="collaborator")
        seven_to_four(
            ledger,
            "Jonas Berg",
            gave=("Wrote the client proposal with him", "Reviewed his case study"),
            got=("Lent me his type specimens", "Sketched my logo options"),
        )
        ledger.checkin("Jonas Berg", days_ago=10, **EVEN_AND_HAPPY)


class TestMentorWhoGivesToMe(Scenario):
    """Elena has mentored me for a year: she gives far more than I do. Not a debt to settle
    and not "over-receiving": thank her with specifics."""

    person = "Elena Rossi"
    status = "uneven by choice"
    action = "thank them with specifics"
    must = on(
        why=("Intent: mentoring", "not for you to judge", "Thank them with specifics"),
        next=("Elena Rossi: thank them with specifics",),
    )
    must_not = ("over-receiving", "give back:", "pause giving", "say no kindly")

    def build(self, ledger: Ledger) -> None:
        ledger.person("Elena Rossi", context="mentor", title="Design director")
        for days, what in (
            (300, "Walked me through her first year as a director"),
            (200, "Role-played my salary negotiation"),
            (110, "Reviewed my promotion case"),
            (40, "Introduced me to the head of research"),
            (12, "Feedback on my team's reorg plan"),
        ):
            ledger.got("Elena Rossi", what, days_ago=days, kind="knowledge", benefit=7, cost=2)
        ledger.gave(
            "Elena Rossi",
            "Sent her the paper she was looking for",
            days_ago=90,
            kind="resource",
            benefit=2,
            cost=1,
        )


class TestProBonoClient(Scenario):
    """A small charity I design for without pay, tagged pro-bono."""

    person = "Ben Carter"
    status = "uneven by choice"
    action = "check in"
    must = on(why=("Intent: service", "tagged pro-bono", "not for you to judge"))
    must_not = BOUNDARY_WORDS

    def build(self, ledger: Ledger) -> None:
        ledger.person(
            "Ben Carter", context="client", tags=("pro-bono",), organisation="Riverside Youth Trust"
        )
        for days, what in (
            (75, "Logo and letterhead"),
            (45, "Fundraising leaflet"),
            (15, "Donation page"),
        ):
            ledger.gave("Ben Carter", what, days_ago=days, kind="time", benefit=7, cost=5)
        ledger.got(
            "Ben Carter",
            "Thank-you card from the kids",
            days_ago=14,
            kind="appreciation",
            benefit=3,
            cost=1,
        )


class TestVolunteering(Scenario):
    """Saturday shifts at the food bank; its coordinator, tagged volunteer, gives little back
    and owes nothing."""

    person = "Grace Obi"
    status = "uneven by choice"
    action = "check in"
    must = on(why=("Intent: service", "tagged volunteer"))
    must_not = BOUNDARY_WORDS

    def build(self, ledger: Ledger) -> None:
        ledger.person("Grace Obi", tags=("volunteer",), organisation="Eastside Food Bank")
        for days in (56, 42, 28, 14, 7):
            ledger.gave(
                "Grace Obi",
                "Saturday shift sorting donations",
                days_ago=days,
                kind="time",
                benefit=5,
                cost=4,
            )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ledger]:
    ledger = Ledger(tmp_path_factory.mktemp("demo") / "ledger.db")
    try:
        ledger.cli("demo")
        yield ledger
    finally:
        ledger.close()


@pytest.mark.parametrize(
    ("name", "intent"), [("Amara Okafor", "mentoring"), ("Ben Carter", "service")]
)
def test_the_demos_mentee_and_pro_bono_client_get_no_verdict(
    demo: Ledger, name: str, intent: str
) -> None:
    """The demo's mentee and its client tagged pro-bono were told "pause giving" (issue 14,
    item 2): no verdict on them, no label, and the intent in their why."""
    scene = Surfaces(demo, name)
    status, action = scene.verdict
    assert status not in ("over-giving", "over-receiving")
    assert action not in ("pause giving", "say no kindly")
    assert f"Intent: {intent}" in flat(scene.text("why"))
    for surface, text in scene.everywhere(TEXT_SURFACES):
        assert labels_beside(text, name) == [], surface
