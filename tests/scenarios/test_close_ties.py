"""Partners and family: not a ledger to balance and not kept alive by logging (issue 14,
"Close ties and dates"). Their clock is the check-in, or none.
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


def life_together(ledger: Ledger, name: str, quiet_days: int) -> None:
    """Two years of a shared life, logged now and then, the latest ``quiet_days`` ago."""
    for days, (mine, theirs) in {
        700: ("Planned our trip to Porto", "Took care of me after the surgery"),
        420: ("Built the bookshelves", "Organised my fortieth"),
        160: ("Cooked through his exam month", "Covered the investor call when I was ill"),
        70: ("Found us the new flat", "Packed up the old one"),
    }.items():
        ledger.gave(name, mine, days_ago=days, kind="time", benefit=6, cost=3)
        ledger.got(name, theirs, days_ago=days, kind="support", benefit=6, cost=3)
    ledger.gave(name, "Sunday market breakfast", days_ago=quiet_days + 10, benefit=3, cost=1)
    ledger.got(name, "Fixed my bike", days_ago=quiet_days, benefit=3, cost=1)


class TestLiveInPartnerNothingLoggedForTwoWeeks(Scenario):
    """Daniel and I live together; nothing logged for 15 days, no check-in recorded yet. A
    partner is not fading for want of logging, nor overdue without a check-in to count from."""

    person = "Daniel Reyes"
    status = "thriving"
    action = "thank them with specifics"
    must = on(why=("Intent: close", "not kept alive by logging"))
    must_not = ("fading", "overdue", *BOUNDARY_WORDS)

    def build(self, ledger: Ledger) -> None:
        ledger.person("Daniel Reyes", context="partner")
        life_together(ledger, "Daniel Reyes", quiet_days=15)

    def test_not_due_on_the_agenda(self, scene: Surfaces) -> None:
        assert "Daniel Reyes" not in scene.ledger.cli("agenda")


class TestPartnerAfterACheckIn(Scenario):
    """The clock of a close tie is the check-in: the last one was 12 days ago (cadence 7),
    though we logged a breakfast two days ago. Overdue, and the why says it counts from the
    check-in, not from a contact two days ago."""

    person = "Daniel Reyes"
    status = "overdue"
    action = "check in"
    must = on(why=("check-in",), next=("Daniel Reyes: check in",))
    must_not = ("fading", *BOUNDARY_WORDS)

    def build(self, ledger: Ledger) -> None:
        ledger.person("Daniel Reyes", context="partner")
        life_together(ledger, "Daniel Reyes", quiet_days=30)
        ledger.checkin("Daniel Reyes", days_ago=12, my_satisfaction=4, their_satisfaction=4)
        ledger.gave("Daniel Reyes", "Breakfast in bed", days_ago=2, benefit=3, cost=1)

    def test_why_counts_from_the_check_in(self, scene: Surfaces) -> None:
        why = flat(scene.text("why"))
        assert "12 days" in why
        assert "last contact was 2 days ago" not in why


class TestGrandmother(Scenario):
    """Gran sends a parcel now and then; I visited in the summer. Seven weeks of silence in
    the ledger is not a fading family tie (the family cadence is 14 days)."""

    person = "Rose Hale"
    status = "thriving"
    action = "tell them what it means to you"
    must = on(why=("Intent: close",))
    must_not = ("fading", "overdue", *BOUNDARY_WORDS)

    def build(self, ledger: Ledger) -> None:
        ledger.person("Rose Hale", context="family", title="Gran")
        ledger.gave(
            "Rose Hale", "Visited for her birthday weekend", days_ago=400, benefit=7, cost=4
        )
        ledger.got("Rose Hale", "Knitted jumper", days_ago=300, kind="resource", benefit=5, cost=4)
        ledger.gave(
            "Rose Hale", "Set up her video calls", days_ago=120, kind="knowledge", benefit=5, cost=1
        )
        ledger.got(
            "Rose Hale", "Parcel of her shortbread", days_ago=50, kind="resource", benefit=4, cost=2
        )


class TestSisterILendTo(Scenario):
    """I have lent my sister money three times this year and she has had little to give: in
    a family tie that is no verdict on her."""

    person = "Clara Hale"
    status = "uneven by choice"
    action = "check in"
    must = on(why=("Intent: close", "not for you to judge"))
    must_not = (*BOUNDARY_WORDS, "fading")

    def build(self, ledger: Ledger) -> None:
        ledger.person("Clara Hale", context="family")
        for days, what in (
            (200, "Lent her the deposit"),
            (90, "Paid her car repair"),
            (20, "Covered her rent"),
        ):
            ledger.gave("Clara Hale", what, days_ago=days, kind="money", benefit=8, cost=6)
        ledger.got("Clara Hale", "Looked after my cat", days_ago=60, benefit=3, cost=2)


class TestPartnersBirthdayNextWeek:
    """A birthday set with `--birthday` shows in `next` and `agenda` a week ahead."""

    def test_birthday_shows_a_week_ahead(self, tmp_path) -> None:
        ledger = Ledger(tmp_path / "ledger.db")
        try:
            birthday = ago(-5)
            ledger.cli(
                "person", "add", "Daniel Reyes", "--context", "partner", "--birthday", birthday[5:]
            )
            life_together(ledger, "Daniel Reyes", quiet_days=3)
            for command in ("next", "agenda"):
                said = flat(ledger.cli(command))
                assert "Daniel Reyes" in said and "birthday" in said.lower(), command
        finally:
            ledger.close()
