"""Reciprocal ties, where the balance is weighed: an invitation before a boundary, thanks and
giving back when I receive more, and protection that still holds when a tie costs me and I am
unhappy with it (issue 14: "Keep protective advice where it belongs").
"""

from __future__ import annotations

from scenario_helpers import (
    BOUNDARY_WORDS,
    Ledger,
    Scenario,
    Surfaces,
    ago,
    flat,
    on,
    scene,  # noqa: F401  (the fixture, for this module)
)

NO_BOUNDARY = ("pause giving", "say no kindly", "set a boundary")


class TestColleagueWhoAlwaysAsks(Scenario):
    """Kevin has asked five favours in two months and given once, a quarter ago; this month
    my budget is over. `next` says to say no kindly to his next ask, and `ask` on his sixth
    request must agree with it, with its reasons."""

    person = "Kevin Walsh"
    status = "over-giving"
    action = "say no kindly"
    must = on(
        why=("Your giving budget is at risk", "third option"),
        next=("Kevin Walsh: say no kindly",),
        digest=("Kevin Walsh: say no kindly",),
    )

    def build(self, ledger: Ledger) -> None:
        ledger.person("Kevin Walsh", context="colleague", organisation="Acme")
        ledger.got("Kevin Walsh", "Covered my on-call", days_ago=100, benefit=3, cost=2)
        ledger.app.capacity.set(6, "points", "month")
        for days, what in (
            (55, "Review his pull request over the weekend"),
            (41, "Swap my holiday week with him"),
            (27, "Cover his standup presentation"),
            (13, "Proofread his promotion packet"),
            (0, "Drive him to the airport"),
        ):
            ledger.favour("Kevin Walsh", what, days_ago=days, benefit=4, cost=4)
        ledger.person("Ines Hale", context="family")
        ledger.gave("Ines Hale", "Helped my sister move", days_ago=0, benefit=7, cost=4)

    def test_his_sixth_request_is_not_a_plain_yes(self, scene: Surfaces) -> None:
        asked = scene.ledger.json(
            "ask", "new", "Kevin Walsh", "Cover my Friday on-call", "--benefit", "4", "--cost", "3"
        )
        reason = asked["reason"]
        assert asked["proposal"] != "yes", reason
        for words in ("6th ask in 90 days", "say no kindly", "balance +0.80"):
            assert words in reason


class TestOneSidedAndUnhappy(Scenario):
    """An old classmate who calls only when he needs something. No hardship: he is doing
    well. It costs me (weekends, a loan) and at our check-in I said 2 of 5. Protection holds:
    a conversation first, with my own dissatisfaction named, or a boundary."""

    person = "Nick Foster"
    status = "over-giving"
    action = "pause giving"
    must = on(
        why=(
            "Your satisfaction is 2 of 5",
            "You give more than you receive",
            "That he asks how I am, not only for help",
        ),
        next=("Nick Foster: pause giving",),
    )

    def build(self, ledger: Ledger) -> None:
        ledger.person("Nick Foster", context="friend")
        ledger.got("Nick Foster", "Beers on his birthday", days_ago=170, benefit=2, cost=2)
        for days, what, kind in (
            (120, "Lent him 800 for his car", "money"),
            (80, "Spent a weekend fixing his website", "time"),
            (45, "Drove him to the airport at 5am", "time"),
            (20, "Wrote his reference letter", "time"),
        ):
            ledger.gave("Nick Foster", what, days_ago=days, kind=kind, benefit=6, cost=5)
        ledger.checkin(
            "Nick Foster",
            days_ago=10,
            my_satisfaction=2,
            my_equity=-2,
            my_better="That he asks how I am, not only for help",
        )

    def test_the_conversation_names_my_side(self, scene: Surfaces) -> None:
        advice = flat(scene.text("why").split("\n  Intent:")[0])
        assert scene.verdict[1] == "pause giving" or (
            "That he asks how I am" in advice and "better for you" in advice
        ), advice


class TestFarPastTheBandWithNoHardship(Scenario):
    """A neighbour I keep helping at real cost, who never gives back and has no hardship:
    far past the band, costing me: a kind boundary, not an invitation."""

    person = "Derek Moss"
    status = "over-giving"
    action = "pause giving"
    must = on(why=("Pause giving, and say so kindly",), next=("Derek Moss: pause giving",))
    must_not = ("invite them to give back",)

    def build(self, ledger: Ledger) -> None:
        ledger.person("Derek Moss", context="acquaintance")
        ledger.got(
            "Derek Moss", "Took in a parcel for me", days_ago=150, kind="time", benefit=1, cost=1
        )
        for days, what in (
            (110, "Fixed his fence"),
            (80, "Drove him to the garage"),
            (50, "Lent him my ladder and helped"),
            (15, "Cleared his gutters"),
        ):
            ledger.gave("Derek Moss", what, days_ago=days, benefit=5, cost=5)


class TestFriendIGiveMoreToAndAmFine(Scenario):
    """Maya and I are friends; I give somewhat more, it costs me little, nobody is unhappy:
    invite her to give back her own way. Never a label, never a boundary."""

    person = "Maya Lind"
    status = "over-giving"
    action = "invite them to give back their way"
    must = on(why=("Invite them to give back their way",), next=("Maya Lind: invite them",))
    must_not = NO_BOUNDARY

    def build(self, ledger: Ledger) -> None:
        ledger.person("Maya Lind", context="friend")
        ledger.gave(
            "Maya Lind",
            "Taught her to make bread",
            days_ago=140,
            kind="knowledge",
            benefit=4,
            cost=1,
        )
        ledger.got("Maya Lind", "Watered my plants for a month", days_ago=100, benefit=3, cost=2)
        ledger.gave(
            "Maya Lind",
            "Recommended her for the festival gig",
            days_ago=60,
            kind="referral",
            benefit=6,
            cost=1,
        )
        ledger.gave(
            "Maya Lind", "Lent her my camera", days_ago=25, kind="resource", benefit=4, cost=1
        )
        ledger.got(
            "Maya Lind",
            "Brought soup when I had flu",
            days_ago=12,
            kind="support",
            benefit=3,
            cost=2,
        )


class TestFriendWhoHelpedMeThrough(Scenario):
    """Ana found me a client and helped me move: I receive more, and have not thanked her."""

    person = "Ana Lima"
    status = "over-receiving"
    action = "thank them with specifics"
    must = on(
        why=("Thank them with specifics", "Referred me to the Lisbon studio"),
        next=("Ana Lima: thank them with specifics",),
    )
    must_not = BOUNDARY_WORDS

    def build(self, ledger: Ledger) -> None:
        ledger.person("Ana Lima", context="friend")
        ledger.gave(
            "Ana Lima", "Reviewed her deck", days_ago=90, kind="feedback", benefit=3, cost=1
        )
        ledger.got(
            "Ana Lima",
            "Referred me to the Lisbon studio",
            days_ago=40,
            kind="referral",
            benefit=7,
            cost=1,
        )
        ledger.got("Ana Lima", "Helped me move flat", days_ago=10, kind="time", benefit=6, cost=5)


class TestFriendIThankedAlready(Scenario):
    """The same, but I thanked Ana properly last week: now give back, something of value to
    her."""

    person = "Ana Lima"
    status = "over-receiving"
    action = "give back"
    must = on(why=("Give back",), next=("Ana Lima: give back",))
    must_not = BOUNDARY_WORDS

    def build(self, ledger: Ledger) -> None:
        TestFriendWhoHelpedMeThrough().build(ledger)
        ledger.gave(
            "Ana Lima",
            "Thank-you dinner, and told her what the move meant",
            days_ago=5,
            kind="appreciation",
            benefit=1,
            cost=1,
        )


class TestThrivingClient(Scenario):
    """Olivia's studio hires me and I send her work in return; both ahead, in touch, thanked."""

    person = "Olivia Park"
    status = "thriving"
    action = "make an introduction"
    must = on(why=("both of you come out ahead",), next=("Olivia Park: make an introduction",))
    must_not = NO_BOUNDARY

    def build(self, ledger: Ledger) -> None:
        ledger.person("Olivia Park", context="client", organisation="Park & Ng Studio")
        ledger.got(
            "Olivia Park", "Paid brand project", days_ago=150, kind="opportunity", benefit=6, cost=2
        )
        ledger.gave(
            "Olivia Park",
            "Delivered the brand system",
            days_ago=120,
            kind="time",
            benefit=7,
            cost=4,
        )
        ledger.gave(
            "Olivia Park",
            "Referred a client to her",
            days_ago=70,
            kind="referral",
            benefit=5,
            cost=1,
        )
        ledger.got(
            "Olivia Park",
            "Case study on her site",
            days_ago=30,
            kind="opportunity",
            benefit=5,
            cost=1,
        )
        ledger.gave(
            "Olivia Park",
            "Thanked her for the case study",
            days_ago=28,
            kind="appreciation",
            benefit=1,
            cost=0,
        )


class TestNewAcquaintance(Scenario):
    """Met Tariq at a conference three weeks ago: one coffee since. New: get to know him."""

    person = "Tariq Aziz"
    status = "new"
    action = "check in"
    must = on(why=("New: first contact",))
    must_not = (*BOUNDARY_WORDS, "fading", "overdue")

    def build(self, ledger: Ledger) -> None:
        ledger.person("Tariq Aziz", context="acquaintance")
        ledger.got(
            "Tariq Aziz",
            "Coffee and notes on his research",
            days_ago=20,
            kind="knowledge",
            benefit=2,
            cost=1,
        )


class TestBusyFriend(Scenario):
    """Sofia is launching her company (busy for six more weeks) and we have not spoken for
    40 days. Busy is no verdict on her: overdue by the clock, check in, no label."""

    person = "Sofia Marin"
    status = "overdue"
    action = "check in"
    must = on(next=("Sofia Marin: check in",))
    must_not = (*BOUNDARY_WORDS, "over-receiving")

    def build(self, ledger: Ledger) -> None:
        ledger.person("Sofia Marin", context="friend")
        ledger.gave(
            "Sofia Marin", "Tested her app", days_ago=100, kind="feedback", benefit=4, cost=2
        )
        ledger.got("Sofia Marin", "Designed my wedding invitations", days_ago=70, benefit=5, cost=3)
        ledger.gave(
            "Sofia Marin",
            "Sent her notes on her pitch deck",
            days_ago=40,
            kind="feedback",
            benefit=2,
            cost=1,
        )
        ledger.state("Sofia Marin", "busy", "Launching her company", until=ago(-45))


class TestOldFriendFadingBySilence(Scenario):
    """Sean and I were close at university; the last contact was 200 days ago. Fading, and
    the why says only why: the silence (not a fall in activity that did not happen)."""

    person = "Sean Murphy"
    status = "fading"
    action = "check in"
    must = on(why=("more than 2 times the 30-day cadence",))
    must_not = ("activity fell", *BOUNDARY_WORDS)

    def build(self, ledger: Ledger) -> None:
        ledger.person("Sean Murphy", context="friend")
        ledger.got("Sean Murphy", "Put me up in Dublin", days_ago=500, benefit=6, cost=3)
        ledger.gave("Sean Murphy", "Best man speech", days_ago=380, benefit=7, cost=5)
        ledger.got(
            "Sean Murphy",
            "Called on my birthday",
            days_ago=200,
            kind="appreciation",
            benefit=2,
            cost=1,
        )


class TestFriendFadingByFallingActivity(Scenario):
    """Lena and I met every week last season; this season once, three weeks ago. Fading by
    the fall in activity, and the why says so, not that the silence is long."""

    person = "Lena Voss"
    status = "fading"
    action = "check in"
    must = on(why=("activity fell",))
    must_not = ("times the 30-day cadence", *BOUNDARY_WORDS)

    def build(self, ledger: Ledger) -> None:
        ledger.person("Lena Voss", context="friend")
        for days in (170, 150, 130, 110):
            ledger.gave("Lena Voss", "Climbing, and a lift home", days_ago=days, benefit=2, cost=1)
            ledger.got("Lena Voss", "Belayed me, and dinner", days_ago=days - 2, benefit=2, cost=1)
        ledger.got("Lena Voss", "Coffee, catching up", days_ago=21, benefit=2, cost=1)


class TestLongSteadyFriendship(Scenario):
    """Ruth and I have walked on Sundays for six years; small things both ways, never a
    word of thanks from me logged. Seed 001: "Go tell someone how much you appreciate the
    relationship you have with them... Today.\""""

    person = "Ruth Adler"
    status = "thriving"
    action = "tell them what it means to you"
    must = on(
        why=("Tell them what it means to you, today", "the relationship has lasted since"),
        next=("Ruth Adler: tell them what it means to you",),
    )
    must_not = BOUNDARY_WORDS

    def build(self, ledger: Ledger) -> None:
        ledger.person("Ruth Adler", context="friend")
        ledger.gave("Ruth Adler", "Helped her choose a bike", days_ago=2000, benefit=3, cost=1)
        for days in (160, 100, 45, 12):
            ledger.gave(
                "Ruth Adler",
                "Sunday walk, my turn to bring coffee",
                days_ago=days,
                benefit=1,
                cost=0.5,
            )
            ledger.got(
                "Ruth Adler",
                "Sunday walk, her flask of tea",
                days_ago=days - 1,
                benefit=1,
                cost=0.5,
            )
