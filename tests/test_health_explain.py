"""Relationship health, every figure ``why`` shows is explained: the hand-computed figures
for Tara, the two ratios behind equity and the surplus, what I gave them (most valuable
first), the latest contacts of an overdue or fading relationship, and no invented balance.

Decay weights used in the hand computations, ``w(age) = 0.5 ** (age / 180)``:
w(0) = 1, w(3) = 0.98851, w(5) = 0.98093, w(10) = 0.96222, w(90) = 0.70711, w(180) = 0.5.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from conftest import TODAY, open_app, owner_id
from health_helpers import OTTO, RUI

from mutuality.core import words
from mutuality.core.health import HealthSettings, Status
from mutuality.services.settings import Settings


def assert_explained(detail) -> None:
    """Each figure `why` shows must appear in its explanation, as it is printed."""
    from mutuality.cli.views import balance_view, health_view

    view = health_view(detail.health)
    text = "\n".join(detail.explanation)
    assert view["status"] in detail.explanation[0]
    assert detail.explanation[1].lower().startswith(view["action"])
    if view["balance"] is not None:
        assert f"= {detail.health.balance:+.2f}" in text
        assert f"{detail.health.my_net:+.1f}" in text and f"{detail.health.their_net:+.1f}" in text
    if view["momentum"] is not None:
        momentum = (
            f"({view['recent']} - {view['previous']}) / ({view['recent']} + "
            f"{view['previous']}) = {detail.health.momentum:+.2f}"
        )
        assert momentum in text
    if view["equity"] is not None:
        assert f"{detail.health.equity:+.2f}" in text
    if view["initiative_share"] is not None:
        assert f"({detail.health.initiative_share:.0%} you)" in text
    assert f"every {view['cadence_days']} days" in text
    if view["days_since"] is None:
        assert "never in touch yet" in text
    else:
        assert f"last contact {words.days_ago(view['days_since'])}" in text
    if view["equity"] is not None:
        assert "Equity = (yours - " in text  # the two ratios it comes from
    if detail.health.status in (Status.OVERDUE, Status.FADING):
        assert f"({words.days_ago(detail.health.days_since)})" in text.split("Latest contacts")[1]
    assert f"= {detail.balance.surplus:+.1f}: the value the relationship created" in text
    balance = balance_view(detail.balance)
    assert f"{detail.balance.given:.1f} points of benefit" in text
    assert f"{detail.balance.received:.1f} points of" in text
    assert balance["leaning"] in text or balance["leaning"] == "no exchanges"


def test_why_explains_every_figure_it_shows(app, ledger) -> None:
    app.people.add("Ode", context="friend")
    app.people.add("Quin")
    ledger(
        RUI
        + OTTO
        + """
    gave Ode knowledge 2026-08-01 benefit=3 cost=1 initiated=me "a"
    got  Ode knowledge 2026-10-09 benefit=3 cost=1 initiated=them "b"
    got  Tara knowledge 2026-08-25 benefit=4 cost=1 "c"
    gave Tara knowledge 2026-11-23 benefit=4 cost=1 "d"
    gave Fay knowledge 2026-07-01 benefit=3 cost=1 "e"
    got  Nia knowledge 2026-11-01 benefit=3 cost=1 "f"
    touch Tom 2026-11-20 initiated=me
    """
    )
    seen = set()
    for name in ("Rui", "Otto", "Ode", "Tara", "Fay", "Nia", "Tom", "Quin"):
        detail = app.health.for_person(name)
        seen.add(detail.health.status)
        assert_explained(detail)
    assert seen == {
        Status.OVER_RECEIVING,
        Status.OVER_GIVING,
        Status.OVERDUE,
        Status.THRIVING,
        Status.FADING,
        Status.NEW,
        Status.QUIET,
    }


def test_why_figures_for_tara_are_the_hand_computed_ones(app, ledger) -> None:
    ledger("""
    got  Tara knowledge 2026-08-25 benefit=4 cost=1 "c"
    gave Tara knowledge 2026-11-23 benefit=4 cost=1 "d"
    """)
    text = "\n".join(app.health.for_person("tara").explanation)
    assert "Tara: thriving. Balanced (+0.17 within ±0.25)" in text
    assert "Equity (benefit received per unit of cost borne, each side): -0.33" in text
    assert "Momentum = (recent - previous) / (recent + previous) = (1 - 1) / (1 + 1) = +0.00." in (
        text
    )
    assert "(4.0 - 2.8) / (4.0 + 2.8) = +0.17" in text
    assert "Check-in cadence: every 60 days; last contact today." in text


def test_why_shows_the_two_ratios_behind_tara_s_equity_and_the_surplus(app, ledger) -> None:
    ledger("""
    got  Tara knowledge 2026-08-25 benefit=4 cost=1 "c"
    gave Tara knowledge 2026-11-23 benefit=4 cost=1 "d"
    """)
    # Mine: received 4 w(90) = 2.8284 for my cost 1: 2.83. Hers: given 4 for her cost
    # w(90) = 0.7071: 5.6569. Equity (2.8284 - 5.6569) / (2.8284 + 5.6569) = -1/3.
    # Surplus: my net 2.8284 - 1 = 1.83 plus her net 4 - 0.7071 = 3.29: 5.12.
    text = "\n".join(app.health.for_person("tara").explanation)
    assert (
        "Equity = (yours - Tara's) / (yours + Tara's): yours = what you received / what giving "
        "cost you = 2.83 / 1.00 = 2.83; Tara's = what you gave them / what giving cost them = "
        "4.00 / 0.71 = 5.66; (2.83 - 5.66) / (2.83 + 5.66) = -0.33."
    ) in text
    assert "Surplus created = your net + their net = 1.8 + 3.3 = +5.1: the value" in text


def test_equity_ratios_show_where_a_free_gift_meets_the_floor(app, ledger) -> None:
    ledger("""
    gave Zoe knowledge 2026-11-23 benefit=3 cost=1 "Proofread her essay"
    got  Zoe knowledge 2026-11-23 benefit=2 cost=0 "Lent me a book"
    """)
    # Mine: 2 / max(1, 0.5) = 2. Hers: 3 / max(0, 0.5) = 6. Equity (2 - 6) / (2 + 6) = -0.5.
    detail = app.health.for_person("zoe")
    assert detail.health.equity == pytest.approx(-0.5)
    assert (
        "Zoe's = what you gave them / what giving cost them = 3.00 / 0.5 (the cost, 0.00, "
        "counts as the floor of 0.5) = 6.00; (2.00 - 6.00) / (2.00 + 6.00) = -0.50."
    ) in "\n".join(detail.explanation)


def test_surplus_line_adds_a_negative_net_in_brackets(app, ledger) -> None:
    ledger("""
    gave Bea knowledge 2026-11-23 benefit=2 cost=1 "Notes"
    gave Bea knowledge 2026-11-23 benefit=2 cost=1 "More notes"
    got  Bea time      2026-11-23 benefit=2 cost=3 "Drove me"
    got  Bea time      2026-11-23 benefit=2 cost=3 "Drove me back"
    """)
    # My net 4 - 2 = +2, hers 4 - 6 = -2: nothing created.
    assert "Surplus created = your net + their net = 2.0 + (-2.0) = +0.0:" in "\n".join(
        app.health.for_person("bea").explanation
    )


def test_why_lists_what_i_gave_them_most_valuable_first(app, ledger) -> None:
    ledger(
        OTTO
        + """
    gave Otto time         2026-11-01 benefit=3 cost=1 "Drove him to the airport"
    gave Otto knowledge    2026-10-01 benefit=3 cost=1 "Explained the tax form"
    gave Otto appreciation 2026-11-20 benefit=9 cost=1 "Thank-you card"
    gave Otto knowledge    2026-09-01 benefit=2 cost=1 "Sent notes"
    gave Otto knowledge    2026-09-02 benefit=1 cost=1 "Sent more notes"
    gave Otto knowledge    2026-09-03 benefit=1 cost=1 "Sent the last notes"
    """
    )
    # Over-giving: his one gift, and my five most valuable (a thank-you is not a gift;
    # equal benefit: the later first; the sixth, "Sent more notes", is left out).
    detail = app.health.for_person("otto")
    assert detail.health.status is Status.OVER_GIVING
    assert [g.description for g in detail.gifts] == ["Intro to his team"]
    assert [g.description for g in detail.my_gifts] == [
        "Wrote his grant",
        "Drove him to the airport",
        "Explained the tax form",
        "Sent notes",
        "Sent the last notes",
    ]
    assert {g.giver_id for g in detail.my_gifts} == {owner_id(app)}


def test_an_overdue_why_lists_the_latest_dated_contacts(app, ledger, tmp_path) -> None:
    app.people.add("Ode", context="friend")
    ledger("""
    gave Ode knowledge 2026-08-01 benefit=3 cost=1 "Lent her my notes"
    touch Ode 2026-08-20 channel=email
    got  Ode knowledge 2026-10-09 benefit=3 cost=1 "Explained the lease"
    """)
    app.checkins.record("Ode", on="2026-09-15", my_satisfaction=4)
    ode = next(person.id for person in app.people.list() if person.name == "Ode")
    # Logged as of a later day (say, with --as-of today): not a contact yet, so not listed.
    with open_app(tmp_path / "t.db", today=date(2026, 12, 1)) as later:
        later.ledger.log("Ode", "gave", kind="time", what="Helped her move", on="2026-12-01")
    # friend: cadence 30; the last contact 45 days ago (2026-10-09): overdue; before it the
    # check-in (69 days ago) and the email (95); my notes (114) are the fourth: left out.
    detail = app.health.for_person("ode")
    assert (detail.health.status, detail.health.days_since) == (Status.OVERDUE, 45)
    assert (
        "Latest contacts with Ode, newest first: 9 Oct (45 days ago): Ode gave you "
        '"Explained the lease"; 15 Sep (69 days ago): a check-in; 20 Aug '
        "(95 days ago): an email (no exchange)."
    ) in detail.explanation
    app.health.relationships()  # the kept path says the same
    assert app.overview.person(ode).why.explanation == detail.explanation


def test_a_fading_why_lists_the_latest_contacts(app, ledger) -> None:
    ledger("""
    gave Fay knowledge 2026-07-01 benefit=3 cost=1 "Reviewed her talk"
    got  Fay knowledge 2026-06-15 benefit=3 cost=1 "Sent me a paper"
    """)
    lines = app.health.for_person("fay").explanation
    assert (
        "Latest contacts with Fay, newest first: 1 Jul (145 days ago): you gave Fay "
        '"Reviewed her talk"; 15 Jun (161 days ago): Fay gave you "Sent me a paper".'
    ) in lines


def test_only_overdue_and_fading_list_the_latest_contacts(app, ledger) -> None:
    ledger(RUI + OTTO)
    for name in ("rui", "otto"):
        assert not any(
            line.startswith("Latest contacts") for line in app.health.for_person(name).explanation
        )


def test_latest_contacts_words() -> None:
    from mutuality.core.why import Contact, latest_contacts_line

    assert latest_contacts_line([], "Quin", TODAY) == (
        "No exchange, touch or check-in with Quin is logged: there is no contact yet."
    )
    line = latest_contacts_line(
        [
            Contact(date(2026, 11, 20), "touch", "call"),
            Contact(date(2026, 11, 13), "checkin", "repair"),
            Contact(date(2026, 11, 3), "touch", "other"),
        ],
        "Quin",
        TODAY,
    )
    assert line == (
        "Latest contacts with Quin, newest first: 20 Nov (3 days ago): a call (no "
        "exchange); 13 Nov (10 days ago): a repair conversation; 3 Nov (20 days "
        "ago): a contact (no exchange)."
    )


def test_why_of_an_unknown_person_is_not_found(app) -> None:
    from mutuality.core.errors import NotFound

    app.people.add("Quin")
    with pytest.raises(NotFound):
        app.health.for_person("zed")


def test_why_does_not_invent_a_balance_when_there_is_none(app, ledger) -> None:
    ledger("""
    touch Tom 2026-09-01
    touch Tom 2026-11-18
    """)
    # first contact 83 days ago: not new; last contact 5 days ago; no exchange: no balance.
    detail = app.health.for_person("tom")
    assert detail.health.status is Status.BALANCED and detail.health.balance is None
    assert "+0.00" not in detail.explanation[0]


def test_fading_explanation_states_the_configured_threshold(tmp_path: Path) -> None:
    health = replace(HealthSettings(), fading_factor=3.0)
    with open_app(tmp_path / "f.db", Settings(health=health)) as app:
        from conftest import load_ledger

        load_ledger(app, 'gave Fay knowledge 2026-04-01 benefit=3 cost=1 "a"')  # 236 > 180
        detail = app.health.for_person("fay")
        assert detail.health.status is Status.FADING
        assert "twice" not in detail.explanation[0]
