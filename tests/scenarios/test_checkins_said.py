"""What people said at a check-in outweighs what the ledger infers (issue 14, "Check-ins
close the loop"): a wish waits for me and leads the next action, quoted in `why` and `next`;
low or falling satisfaction puts listening first.
"""

from __future__ import annotations

from scenario_helpers import (
    BOUNDARY_WORDS,
    Ledger,
    Scenario,
    Surfaces,
    flat,
    on,
    scene,  # noqa: F401  (the fixture, for this module)
)
from test_close_ties import life_together

PHONES = "Phones away at dinner"


def daniel_said_phones_away(ledger: Ledger) -> None:
    """Daniel, my live-in partner, rated us 3 of 5 and said what would make it better; I
    chose to decide about it later (it waits in `checkin wishes`)."""
    ledger.person("Daniel Reyes", context="partner")
    life_together(ledger, "Daniel Reyes", quiet_days=4)
    ledger.cli(
        "checkin",
        "new",
        "Daniel Reyes",
        "--mine",
        "4",
        "--theirs",
        "3",
        "--their-better",
        PHONES,
        "--wish-as",
        "later",
        "--on",
        "3 days ago",
    )


class TestPartnerAskedForPhonesAway(Scenario):
    person = "Daniel Reyes"
    status = "balanced"
    action = "act on what they said"
    must = on(
        why=(f'"{PHONES}"', "Act on what they said"),
        next=("Daniel Reyes: act on what they said", PHONES),
        next_json=(PHONES,),
        digest=("Daniel Reyes: act on what they said", PHONES),
    )
    must_not = ("thank them with specifics", "fading", "overdue", *BOUNDARY_WORDS)

    def build(self, ledger: Ledger) -> None:
        daniel_said_phones_away(ledger)

    def test_the_wish_waits_in_checkin_wishes(self, scene: Surfaces) -> None:
        waiting = flat(scene.ledger.cli("checkin", "wishes"))
        assert "Daniel Reyes" in waiting and PHONES in waiting


class TestPartnerWishMadeACommitment(Scenario):
    """Once I make his wish a commitment of mine, it no longer waits: the next action moves
    on, and the commitment is there to keep."""

    person = "Daniel Reyes"
    status = "balanced"
    action = "thank them with specifics"
    in_next = True
    must_not = ("act on what they said", "fading", *BOUNDARY_WORDS)

    def build(self, ledger: Ledger) -> None:
        daniel_said_phones_away(ledger)
        wish = ledger.json("checkin", "wishes")[0]
        ledger.cli("checkin", "wishes", "adopt", str(wish["checkin_id"]), "--as", "commitment")

    def test_the_commitment_is_open(self, scene: Surfaces) -> None:
        commitments = flat(scene.ledger.cli("commitments"))
        assert PHONES in commitments
        assert PHONES not in flat(scene.ledger.cli("checkin", "wishes"))


class TestFriendWhoseSatisfactionFell(Scenario):
    """Marta said 5 of 5 in the summer and 3 of 5 last week, with nothing else to say."""

    person = "Marta Silva"
    status = "balanced"
    action = "check in"
    must = on(
        why=("listen first", "fell from 5 to 3"),
        next=("Marta Silva: check in",),
    )
    must_not = ("thank them with specifics", *BOUNDARY_WORDS)

    def build(self, ledger: Ledger) -> None:
        ledger.person("Marta Silva", context="friend")
        ledger.gave("Marta Silva", "Helped with her garden", days_ago=120, benefit=4, cost=2)
        ledger.got(
            "Marta Silva",
            "Lent me her car for a week",
            days_ago=80,
            kind="resource",
            benefit=5,
            cost=2,
        )
        ledger.gave("Marta Silva", "Cooked for her birthday", days_ago=30, benefit=4, cost=2)
        ledger.checkin("Marta Silva", days_ago=100, my_satisfaction=5, their_satisfaction=5)
        ledger.checkin("Marta Silva", days_ago=6, my_satisfaction=4, their_satisfaction=3)


class TestFriendWhoSaysTwoOfFive(Scenario):
    """Jo answered my check-in link: 2 of 5, and what would help: "I'd love to hear more
    about your work, not just mine". Her words lead, and wait for me."""

    person = "Jo Brennan"
    status = "balanced"
    action = "act on what they said"
    must = on(
        why=("I'd love to hear more about your work", "satisfaction is 2 of 5"),
        next=("Jo Brennan: act on what they said",),
    )
    must_not = BOUNDARY_WORDS

    def build(self, ledger: Ledger) -> None:
        ledger.person("Jo Brennan", context="friend")
        ledger.got(
            "Jo Brennan",
            "Brought soup when I had flu",
            days_ago=70,
            kind="support",
            benefit=5,
            cost=2,
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
        link = ledger.app.checkins.make_link("Jo Brennan", first_name="Sam")
        ledger.app.checkins.answer_link(
            link.token,
            satisfaction=2,
            better="I'd love to hear more about your work, not just mine",
            equity=None,
            message=None,
            would_hear=True,
        )
