"""Relationship health through the services (``app.health``): each status and next action
on a small ledger, with today fixed to 2026-11-23 and the default settings (half-life 180
days, tolerance ±0.25, momentum window 90 days, context ``other``, cadence 60 days, unless
a test says otherwise); the right answers were worked out by hand (in the comments) before
the code was run. Also: the list is most urgent first, the owner is no relationship, only
the owner's relationships are judged, and figures are recomputed right after a write.

Decay weights used in the hand computations, ``w(age) = 0.5 ** (age / 180)``:
w(0) = 1, w(3) = 0.98851, w(5) = 0.98093, w(10) = 0.96222, w(90) = 0.70711, w(180) = 0.5.
"""

from __future__ import annotations

import math
from datetime import date

import pytest
from conftest import TODAY, owner_id
from health_helpers import OTTO, RUI, health_of, w

from mutuality.core.health import Action, Status


def test_thriving(app, ledger) -> None:
    ledger("""
    got  Tara knowledge 2026-08-25 benefit=4 cost=1 "Explained index funds"   # age 90
    gave Tara knowledge 2026-11-23 benefit=4 cost=1 "Reviewed her CV"         # today
    """)
    # G = 4, R = 4 w(90) = 2.8284; my cost 1, their cost w(90) = 0.7071.
    # balance = (4 - 2.8284) / 6.8284 = +0.1716 (within ±0.25);
    # my net = 1.8284, their net = 3.2929: both ahead; recent 1 (today), previous 1 (age 90):
    # momentum 0; first contact 90 days ago (> 60): not new; last contact today.
    # equity: mine = 4w / 1, theirs = 4 / w; (w - 1/w) / (w + 1/w) = (0.5 - 1) / 1.5 = -1/3.
    # received 2.83 < 5: no thank-you due, so: make an introduction.
    h = health_of(app, "tara")
    assert (h.status, h.action) == (Status.THRIVING, Action.INTRODUCE)
    assert h.given == pytest.approx(4.0)
    assert h.received == pytest.approx(4 * w(90))
    assert h.balance == pytest.approx((4 - 4 * w(90)) / (4 + 4 * w(90)))
    assert h.balance == pytest.approx(0.171573, abs=1e-6)
    assert h.my_net == pytest.approx(4 * w(90) - 1)
    assert h.their_net == pytest.approx(4 - w(90))
    assert h.equity == pytest.approx(-1 / 3)
    assert (h.recent, h.previous, h.momentum) == (1, 1, 0.0)
    assert (h.first_on, h.last_on, h.days_since) == (date(2026, 8, 25), TODAY, 0)
    assert h.cadence_days == 60 and not h.appreciation_due
    assert h.urgency == pytest.approx(0.3 * (1 + math.log10(1 + 4 + 4 * w(90))))


def test_balanced_but_not_thriving(app, ledger) -> None:
    ledger("""
    gave Bea knowledge 2026-11-23 benefit=2 cost=1 "Notes"
    gave Bea knowledge 2026-11-23 benefit=2 cost=1 "More notes"
    got  Bea time      2026-11-23 benefit=2 cost=3 "Drove me"
    got  Bea time      2026-11-23 benefit=2 cost=3 "Drove me back"
    """)
    # 4 exchanges (not fewer than 4): not new although first contact is today.
    # G = 4, R = 4: balance 0; my net 4 - 2 = +2; their net 4 - 6 = -2: not both ahead:
    # balanced; momentum (4 - 0) / 4 = +1 not declining; received 4 < 5: introduce.
    detail = app.health.for_person("bea")
    h = detail.health
    assert (h.status, h.action) == (Status.BALANCED, Action.INTRODUCE)
    assert (h.balance, h.my_net, h.their_net, h.momentum) == (0.0, 2.0, -2.0, 1.0)
    assert "not both of you come out ahead" in detail.explanation[0]


def test_balanced_and_declining_means_check_in(app, ledger) -> None:
    ledger("""
    gave Dee knowledge 2026-08-15 benefit=3 cost=1 "a"   # age 100: previous window
    got  Dee knowledge 2026-08-05 benefit=3 cost=1 "b"   # age 110: previous
    gave Dee knowledge 2026-07-26 benefit=3 cost=1 "c"   # age 120: previous
    got  Dee knowledge 2026-11-18 benefit=3 cost=1 "d"   # age 5: recent
    touch Dee 2026-11-13                                  # age 10: recent
    """)
    # G = 3 (w(100) + w(120)) = 3.9311, R = 3 (w(110) + w(5)) = 4.9069 (< 5: no thanks due)
    # balance = -0.9758 / 8.8379 = -0.1104: within the band; both nets positive;
    # momentum (2 - 3) / 5 = -0.2: declining (not thriving), above -0.6 (not fading).
    h = health_of(app, "dee")
    assert (h.status, h.action) == (Status.BALANCED, Action.CHECK_IN)
    assert h.balance == pytest.approx(-0.110410, abs=1e-6)
    assert (h.recent, h.previous) == (2, 3) and h.momentum == pytest.approx(-0.2)


def test_over_giving_with_my_net_negative_means_pause(app, ledger) -> None:
    ledger("""
    got  Olga knowledge 2026-08-25 benefit=1 cost=1 "Tip"      # age 90
    gave Olga time      2026-11-23 benefit=4 cost=2 "Moved her sofa"
    """)
    # G = 4, R = w(90) = 0.7071: balance 3.2929 / 4.7071 = +0.6996 > 0.25: over-giving;
    # my net = 0.7071 - 2 = -1.29 < 0: pause giving.
    h = health_of(app, "olga")
    assert (h.status, h.action) == (Status.OVER_GIVING, Action.PAUSE_GIVING)
    assert h.balance == pytest.approx(0.699558, abs=1e-6)
    assert h.my_net == pytest.approx(w(90) - 2)


def test_over_giving_with_my_net_positive_means_invite_them_to_give_back(app, ledger) -> None:
    ledger(OTTO)
    # G = 8, R = 4 w(90) = 2.8284: balance 5.1716 / 10.8284 = +0.4776: over-giving;
    # my net 2.8284 - 1 = +1.83 and no budget set: before any boundary, invite them to give
    # back in their own way (seed 003).
    h = health_of(app, "otto")
    assert (h.status, h.action) == (Status.OVER_GIVING, Action.INVITE)
    assert h.balance == pytest.approx(0.477592, abs=1e-6)


def test_over_giving_with_capacity_strained_means_say_no_kindly(app, ledger) -> None:
    ledger(OTTO)
    app.capacity.set(1, "points", "month")
    # November so far: I gave cost 1 (on the 23rd): used 1, not over 1; pace 1 x 30 / 23 =
    # 1.30 > 1: at risk: strained: say no kindly to their next ask, although my net is
    # positive (with a budget to spare it would be "check in", see above).
    assert app.capacity.use().strained
    h = health_of(app, "otto")
    assert (h.status, h.action) == (Status.OVER_GIVING, Action.SAY_NO_KINDLY)
    [item] = [i for i in app.health.relationships() if i.person.name == "Otto"]
    assert item.health.action is Action.SAY_NO_KINDLY
    assert "say no kindly to their next ask" in " ".join(app.health.for_person("Otto").explanation)
    # over-giving urgency: 1 + |balance| + 1 (strained)
    assert h.urgency == pytest.approx((2 + h.balance) * (1 + math.log10(1 + 8 + 4 * w(90))))


def test_over_receiving_with_appreciation_due_means_thank(app, ledger) -> None:
    ledger(RUI)
    # G = 2 w(90) = 1.4142, R = 6 w(10) = 5.7733: balance -4.3591 / 7.1876 = -0.6065;
    # received 5.77 >= 5, their gift 10 days ago, never thanked: thank them with specifics.
    detail = app.health.for_person("rui")
    h = detail.health
    assert (h.status, h.action) == (Status.OVER_RECEIVING, Action.THANK)
    assert h.balance == pytest.approx(-0.606483, abs=1e-6)
    assert h.appreciation_due
    assert [g.description for g in detail.gifts] == ["Referred me to a client"]


def test_appreciation_is_not_due_after_i_thanked_them_since_their_last_gift(app, ledger) -> None:
    ledger(RUI + 'gave Rui appreciation 2026-11-20 benefit=1 cost=0.5 "Thank-you note"\n')
    # G = 1.4142 + w(3) = 2.4027: balance (2.4027 - 5.7733) / 8.1760 = -0.4123:
    # still over-receiving; I thanked on the 20th, after their gift on the 13th: give back.
    h = health_of(app, "rui")
    assert (h.status, h.action) == (Status.OVER_RECEIVING, Action.GIVE_BACK)
    assert h.balance == pytest.approx(-0.412254, abs=1e-6)
    assert not h.appreciation_due
    assert app.health.appreciation() == []


def test_a_thank_you_before_their_latest_gift_does_not_count(app, ledger) -> None:
    ledger(
        """
    gave Rui appreciation 2026-11-01 benefit=1 cost=0.5 "Thanks for the list"
    """
        + RUI
    )
    h = health_of(app, "rui")
    assert h.appreciation_due and h.action is Action.THANK


def test_thanks_cites_their_gifts_most_valuable_first(app, ledger) -> None:
    ledger(
        RUI
        + """
    got Rui knowledge    2026-11-10 benefit=3 cost=1 "Explained the tax form"
    got Rui appreciation 2026-11-11 benefit=4 cost=1 "Kind words"
    """
    )
    [step] = app.health.appreciation()
    assert step.person.name == "Rui"
    # Appreciation they gave me is not a gift to cite; the rest, most benefit first.
    assert [g.description for g in step.cite] == [
        "Referred me to a client",
        "Explained the tax form",
    ]
    assert f"{step.health.received:.1f}" in step.reason


def test_fading_by_silence(app, ledger) -> None:
    ledger("""
    gave Fay knowledge 2026-07-01 benefit=3 cost=1 "a"   # age 145
    got  Fay knowledge 2026-06-15 benefit=3 cost=1 "b"   # age 161
    """)
    # Silent 145 days > 2 x 60 (context other): fading. (Only 2 events before: the momentum
    # rule would not fire on its own.)
    detail = app.health.for_person("fay")
    h = detail.health
    assert (h.status, h.action, h.days_since, h.cadence_days) == (
        Status.FADING,
        Action.CHECK_IN,
        145,
        60,
    )
    assert (h.recent, h.previous, h.momentum) == (0, 2, -1.0)
    assert "145 days ago" in detail.explanation[0]
    # fading urgency: 1.5 + 145 / 365
    assert h.urgency == pytest.approx(
        (1.5 + 145 / 365) * (1 + math.log10(1 + 3 * w(145) + 3 * w(161)))
    )


def test_fading_by_momentum_drop(app, ledger) -> None:
    ledger("""
    gave  Mo knowledge 2026-08-01 benefit=3 cost=1 "a"   # age 114
    got   Mo knowledge 2026-07-15 benefit=3 cost=1 "b"   # age 131
    gave  Mo knowledge 2026-07-01 benefit=3 cost=1 "c"   # age 145
    got   Mo knowledge 2026-06-15 benefit=3 cost=1 "d"   # age 161
    touch Mo 2026-11-18                                   # age 5
    """)
    # Last contact 5 days ago (not silent), but 1 event recently against 4 before:
    # momentum (1 - 4) / 5 = -0.6 <= -0.6 with 4 >= 3 before: fading.
    h = health_of(app, "mo")
    assert (h.status, h.action) == (Status.FADING, Action.CHECK_IN)
    assert (h.days_since, h.recent, h.previous) == (5, 1, 4)
    assert h.momentum == pytest.approx(-0.6)


def test_overdue_then_a_touch_resets_the_clock(app, ledger) -> None:
    app.people.add("Ode", context="friend")
    ledger("""
    gave Ode knowledge 2026-08-01 benefit=3 cost=1 "a"   # age 114
    got  Ode knowledge 2026-10-09 benefit=3 cost=1 "b"   # age 45
    """)
    # friend: cadence 30; silent 45 days: 30 < 45 <= 60: overdue.
    h = health_of(app, "ode")
    assert (h.status, h.action, h.days_since, h.cadence_days) == (
        Status.OVERDUE,
        Action.CHECK_IN,
        45,
        30,
    )
    # overdue urgency: 2 + (45 - 30) / 30 = 2.5
    assert h.urgency == pytest.approx(2.5 * (1 + math.log10(1 + 3 * w(114) + 3 * w(45))))
    before = app.health.for_person("ode").balance
    app.ledger.touch("ode", on="2026-11-20", initiated_by="them", channel="call")
    # Now 3 days since; recent 2 (45 and 3 days ago) against 1: momentum +1/3;
    # G = 3 w(114) = 1.9341, R = 3 w(45) = 2.5227: balance -0.132; nets +1.88 and +1.09:
    # thriving. The touch carries no value: the balance is unchanged.
    detail = app.health.for_person("ode")
    h = detail.health
    assert (h.status, h.days_since, h.last_on) == (Status.THRIVING, 3, date(2026, 11, 20))
    assert (h.recent, h.previous) == (2, 1) and h.momentum == pytest.approx(1 / 3)
    assert h.balance == pytest.approx(-0.132077, abs=1e-6)
    assert detail.balance == before
    assert (h.my_initiatives, h.their_initiatives) == (0, 1)


def test_touch_only_relationship_is_new_without_a_balance(app, ledger) -> None:
    ledger("touch Tom 2026-11-20 initiated=me channel=message")
    h = health_of(app, "tom")
    assert (h.status, h.action) == (Status.NEW, Action.CHECK_IN)
    assert h.balance is None and (h.times_given, h.times_received) == (0, 0)
    assert (h.first_on, h.days_since, h.my_initiatives) == (date(2026, 11, 20), 3, 1)


def test_new(app, ledger) -> None:
    ledger('got Nia knowledge 2026-11-01 benefit=3 cost=1 "Showed me around"')
    # first contact 22 days ago (<= 60), 1 exchange (< 4): new;
    # urgency 1.2 x (1 + log10(1 + 3 w(22))).
    detail = app.health.for_person("nia")
    h = detail.health
    assert (h.status, h.action) == (Status.NEW, Action.CHECK_IN)
    assert h.urgency == pytest.approx(1.2 * (1 + math.log10(1 + 3 * w(22))))
    assert "first contact on 2026-11-01, 1 exchange since" in detail.explanation[0]


def test_new_wins_over_fading(app, ledger) -> None:
    app.people.add("Pat", context="partner")
    ledger('gave Pat support 2026-10-04 benefit=3 cost=2 "Listened"')
    # partner: cadence 7; silent 50 days > 2 x 7 would be fading, but first contact 50 days
    # ago with 1 exchange is new, and new comes first.
    h = health_of(app, "pat")
    assert (h.status, h.days_since, h.cadence_days) == (Status.NEW, 50, 7)


def test_quiet(app) -> None:
    app.people.add("Quin")
    detail = app.health.for_person("quin")
    h = detail.health
    assert (h.status, h.action) == (Status.QUIET, Action.CHECK_IN)
    assert h.balance is None and h.days_since is None and h.last_on is None
    assert h.urgency == pytest.approx(0.5)
    assert "Nothing is logged with Quin yet" in detail.explanation[0]
    assert "Check-in cadence: every 60 days; never in touch yet." in detail.explanation


def test_relationships_lists_everyone_most_urgent_first(app, ledger) -> None:
    app.people.add("Ode", context="friend")
    app.people.add("Quin")
    ledger(
        """
    gave Ode knowledge 2026-08-01 benefit=3 cost=1 "a"
    got  Ode knowledge 2026-10-09 benefit=3 cost=1 "b"
    """
        + RUI
    )
    items = app.health.relationships()
    names = [i.person.name for i in items]
    # Ode overdue 2.5 x 1.64 = 4.1; Rui over-receiving with thanks due
    # (1.6065 + 0.8) x (1 + log10 8.19) = 4.6; Quin quiet 0.5.
    assert names == ["Rui", "Ode", "Quin"]
    urgencies = [i.health.urgency for i in items]
    assert urgencies == sorted(urgencies, reverse=True)
    by_name = {i.person.name: i.health for i in items}
    for name in names:
        assert by_name[name] == health_of(app, name)  # the one-person path agrees
    steps = app.health.next_actions(2)
    assert [s.person.name for s in steps] == ["Rui", "Ode"]
    assert steps[0].health.action is Action.THANK
    assert [g.description for g in steps[0].cite] == ["Referred me to a client"]
    assert steps[1].cite == [] and steps[1].reason.startswith("Ode: overdue.")


def test_owner_is_not_a_relationship(app, ledger) -> None:
    ledger(RUI)
    me = owner_id(app)
    assert me not in {i.person.id for i in app.health.relationships()}


def test_health_reads_only_the_owners_relationships(app, ledger) -> None:
    # Exchanges between two other people (an organisation's ledger) do not enter my health.
    from mutuality.core.model import Estimator, ExchangeKind, NewExchange

    ledger(RUI)
    a = app.people.add("Ann").id
    b = app.people.add("Ben").id
    app.ledger.bulk_add(
        [NewExchange(a, b, ExchangeKind.TIME, "x", TODAY, 9.0, 1.0, Estimator.ME)] * 3
    )
    items = {i.person.name: i.health for i in app.health.relationships()}
    assert items["Ann"].status is Status.QUIET and items["Ben"].status is Status.QUIET
    assert items["Rui"] == health_of(app, "rui")


def test_figures_are_recomputed_right_after_logging(app, ledger) -> None:
    ledger(RUI)
    assert health_of(app, "rui").status is Status.OVER_RECEIVING
    ledger('gave Rui referral 2026-11-23 benefit=6 cost=1 "Referred him back"')
    # G = 1.4142 + 6 = 7.4142, R = 5.7733: balance +0.1243: thriving now.
    h = health_of(app, "rui")
    assert h.balance == pytest.approx((7.4142136 - 5.7733430) / (7.4142136 + 5.7733430))
    assert h.status is Status.THRIVING
