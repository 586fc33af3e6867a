"""Times of care: grief, illness, a new baby, looking after a parent. I choose to give; the
balance is not mine to judge (seed 001: "Never assume that the relationship is one-sided...
That is not for you to judge"; "you can be comfortable that you are giving more than you are
receiving. Stick with that."). The check moves to me: my capacity, and who supports me.
"""

from __future__ import annotations

from scenario_helpers import (
    BOUNDARY_WORDS,
    Ledger,
    Scenario,
    ago,
    ahead,
    on,
    scene,  # noqa: F401  (the fixture, for this module)
)

from mutuality.services.people import PersonChanges


def priya_nair(ledger: Ledger) -> None:
    """A friend of years whose mother died: four gifts of support in a month."""
    ledger.person(
        "Priya Nair",
        context="friend",
        private_note="Her mother died on 3 October after a long illness; the will is a mess",
    )
    ledger.got("Priya Nair", "Covered my shifts when I had flu", days_ago=300, benefit=5, cost=3)
    ledger.gave("Priya Nair", "Helped her paint the spare room", days_ago=250, benefit=4, cost=3)
    ledger.got("Priya Nair", "Dinner at hers, and a long talk", days_ago=200, benefit=3, cost=2)
    for week, what in enumerate(
        (
            "Sat with her the night after the funeral",
            "Cooked for her and her father",
            "Sorted the flowers and the cards",
            "Walked with her on Sunday",
        ),
        start=1,
    ):
        ledger.gave("Priya Nair", what, days_ago=7 * week - 4, kind="support", benefit=6, cost=3)
    ledger.cli("state", "add", "priya", "challenge", "Grieving her mother", "--until", "in 90 days")


class TestGrievingFriend(Scenario):
    person = "Priya Nair"
    status = "uneven by choice"
    action = "check in"
    must = on(
        why=(
            "Intent: care",
            "Grieving her mother",
            "not for you to judge",
            "Check in gently",
            "Nothing is owed",
        ),
        next=("Priya Nair: check in",),
        health=("uneven by choice",),
        digest=("Priya Nair: check in",),
    )
    must_not = BOUNDARY_WORDS
    private = ("died on 3 October", "the will is a mess")

    def build(self, ledger: Ledger) -> None:
        priya_nair(ledger)


class TestGrievingFriendOnABudget(Scenario):
    """The same friend while my giving budget is over: the check is on me, never a no to her;
    and my brother, who has been giving to me, is named as support."""

    person = "Priya Nair"
    status = "uneven by choice"
    action = "look after yourself"
    must = on(
        why=("Look after yourself", "Intent: care", "Who supports you: Tom Nair"),
        next=("Priya Nair: look after yourself",),
        digest=("Priya Nair: look after yourself",),
    )
    must_not = BOUNDARY_WORDS
    private = ("died on 3 October", "the will is a mess")

    def build(self, ledger: Ledger) -> None:
        priya_nair(ledger)
        ledger.strained_budget("Priya Nair", "Drove her to the registry office")
        ledger.person("Tom Nair", context="family")
        ledger.got("Tom Nair", "Took my calls late at night", days_ago=12, kind="support")


class TestFriendInChemotherapy(Scenario):
    """Serious illness: I drive Marcus to chemotherapy and cook for him; my sister has been
    looking after me."""

    person = "Marcus Webb"
    status = "uneven by choice"
    action = "check in"
    must = on(
        why=(
            "Intent: care",
            "Chemotherapy for lymphoma",
            "Check in gently",
            "Who supports you: Hannah Cole",
        ),
        next=("Marcus Webb: check in",),
    )
    must_not = BOUNDARY_WORDS
    private = ("prognosis",)

    def build(self, ledger: Ledger) -> None:
        ledger.person(
            "Marcus Webb", context="friend", private_note="The prognosis is uncertain, he says"
        )
        ledger.got("Marcus Webb", "Fixed my bike", days_ago=400, benefit=3, cost=2)
        ledger.gave("Marcus Webb", "Lent him my tent", days_ago=380, kind="resource")
        ledger.got("Marcus Webb", "Helped me move", days_ago=150, benefit=6, cost=5)
        ledger.state("Marcus Webb", "challenge", "Chemotherapy for lymphoma", since=ago(60))
        for days, what in (
            (50, "Drove him to chemo"),
            (36, "Drove him to chemo"),
            (22, "Batch of soups"),
        ):
            ledger.gave("Marcus Webb", what, days_ago=days, kind="support", benefit=7, cost=4)
        ledger.gave(
            "Marcus Webb", "Drove him to chemo", days_ago=8, kind="support", benefit=7, cost=4
        )
        ledger.person("Hannah Cole", context="family")
        ledger.got("Hannah Cole", "Took the kids for the weekend", days_ago=20, benefit=7, cost=5)


class TestNewParents(Scenario):
    """A new baby: meals and a night shift for friends who used to give as much as they got."""

    person = "Aisha Khan"
    status = "uneven by choice"
    action = "check in"
    must = on(
        why=("Intent: care", "New baby", "Check in gently", "Nothing is owed back"),
        next=("Aisha Khan: check in",),
    )
    must_not = BOUNDARY_WORDS

    def build(self, ledger: Ledger) -> None:
        ledger.person("Aisha Khan", context="friend")
        ledger.gave("Aisha Khan", "Reviewed her CV", days_ago=200, kind="feedback")
        ledger.got("Aisha Khan", "Introduced me to her agent", days_ago=170, kind="introduction")
        ledger.state(
            "Aisha Khan",
            "challenge",
            "New baby (Zara, born last month)",
            since=ago(30),
            until=ahead(60),
        )
        for days, what in (
            (28, "Meals for the first week"),
            (14, "Night shift so they could sleep"),
        ):
            ledger.gave("Aisha Khan", what, days_ago=days, kind="support", benefit=8, cost=4)
        ledger.gave(
            "Aisha Khan",
            "Groceries and a hot dinner",
            days_ago=5,
            kind="support",
            benefit=5,
            cost=3,
        )


class TestCaringForMum(Scenario):
    """My mother after a hip operation: care chosen with `person edit --intent care --until`."""

    person = "Margaret Hale"
    status = "uneven by choice"
    action = "check in"
    must = on(
        why=("Intent: care (until", "because you set it", "Check in gently"),
        next=("Margaret Hale: check in",),
    )
    must_not = (*BOUNDARY_WORDS, "fading")

    def build(self, ledger: Ledger) -> None:
        ledger.person("Margaret Hale", context="family")
        ledger.got("Margaret Hale", "Sunday lunch", days_ago=120, benefit=4, cost=3)
        for days in (40, 30, 20, 10, 3):
            ledger.gave(
                "Margaret Hale",
                "Shopping and a visit",
                days_ago=days,
                kind="support",
                benefit=6,
                cost=3,
            )
        ledger.cli(
            "person",
            "edit",
            "Margaret Hale",
            "--intent",
            "care",
            "--until",
            "in 60 days",
            "--reason",
            "Mum's hip operation",
        )


class TestCareSeasonEnded(Scenario):
    """I chose care while Leo went through his divorce, until three weeks ago. Now it is a
    reciprocal tie again: I gave more, I am fine with it, so the first step is an invitation,
    not a boundary."""

    person = "Leo Brandt"
    status = "over-giving"
    action = "invite them to give back their way"
    must = on(
        why=("Intent: reciprocal", "Invite them to give back their way", "not as a debt"),
        next=("Leo Brandt: invite them to give back their way",),
    )
    must_not = ("pause giving", "say no kindly", "set a boundary", "Intent: care")

    def build(self, ledger: Ledger) -> None:
        ledger.person("Leo Brandt", context="friend")
        ledger.got(
            "Leo Brandt",
            "Helped me with my tax return",
            days_ago=150,
            kind="knowledge",
            benefit=5,
            cost=3,
        )
        ledger.gave(
            "Leo Brandt", "Found him a lawyer", days_ago=120, kind="referral", benefit=6, cost=1
        )
        ledger.gave(
            "Leo Brandt",
            "Spare room for two weeks",
            days_ago=100,
            kind="support",
            benefit=6,
            cost=2,
        )
        ledger.got("Leo Brandt", "Cooked for me and my partner", days_ago=60, benefit=3, cost=2)
        ledger.gave("Leo Brandt", "Helped him move into his flat", days_ago=45, benefit=4, cost=2)
        # 81 days ago I chose care "until in 60 days": it ended three weeks ago.
        ledger.as_of(81).people.edit(
            "Leo Brandt",
            PersonChanges(intent="care", intent_until="in 60 days", intent_reason="His divorce"),
        )
        ledger.app.ledger.touch("Leo Brandt", on=ago(6), initiated_by="them", channel="call")
