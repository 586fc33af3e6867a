"""The health, capacity and network commands end to end through Typer's runner.

The CLI uses the real date, so every ledger here is stated with relative dates
("10 days ago"), and every expectation holds whatever today is.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mutuality.cli.main import app
from mutuality.core import words

runner = CliRunner()

HEALTH_KEYS = {
    "status",
    "action",
    "urgency",
    "balance",
    "my_net",
    "their_net",
    "momentum",
    "equity",
    "initiative_share",
    "my_initiatives",
    "their_initiatives",
    "recent",
    "previous",
    "first_on",
    "last_on",
    "days_since",
    "cadence_days",
    "appreciation_due",
    "satisfaction",
    "intent",
    "intent_reason",
    "intent_chosen",
    "intent_until",
    "wish",
    "alarm",
    "win",
    "stretched",
}
PERSON_KEYS = {"id", "name", "emails", "phones", "tags", "organisation", "title", "note"}
EXCHANGE_KEYS = {
    "id",
    "direction",
    "kind",
    "description",
    "on",
    "benefit",
    "cost",
    "surplus",
    "estimated_by",
    "tags",
    "outcome",
    "note",
}
CAPACITY_KEYS = {
    "amount",
    "unit",
    "period",
    "boundaries",
    "start",
    "end",
    "used",
    "committed",
    "projected",
    "previous_used",
    "share",
    "state",
    "boundary_hits",
}
NETWORK_KEYS = {
    "people",
    "relationships",
    "reciprocity",
    "mutual_share",
    "styles",
    "burnout_risk",
    "isolated_count",
    "isolated",
    "received_only",
    "my_style",
    "my_giving",
    "my_evidence",
    "gives_more",
    "receives_more",
    "thresholds",
    "reach_out_first",
    "capacity",
}


NO_CONFIG = {"MUTUALITY_CONFIG": os.devnull}
"""An empty config file: the default settings, whatever the machine's config says."""


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "health.db")


def run(db: str, *args: str):
    return runner.invoke(app, ["--db", db, *args], env=NO_CONFIG)


def ok(db: str, *args: str) -> str:
    result = run(db, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def flat(text: str) -> str:
    """Output with Rich's line wrapping undone."""
    return " ".join(text.split())


def as_json(db: str, *args: str):
    return json.loads(ok(db, *args, "--format", "json"))


def dump(db: str) -> dict[str, list[tuple]]:
    """Every row of every table, to show that a refused command changed nothing."""
    with sqlite3.connect(db) as connection:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {
            name: sorted(map(repr, connection.execute(f'SELECT * FROM "{name}"'))) for name in names
        }


def on_day(days: int) -> str:
    """The day ``days`` before today as the explanation says it (``22 Oct``)."""
    return words.short_date(date.today() - timedelta(days=days), date.today())


def days_ago(days: int) -> str:
    return (date.today() - timedelta(days=days)).isoformat()


@pytest.fixture(scope="module")
def network_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Ana Lima (friend): over-receiving with a thank-you due; Bo Chen: quiet;
    Cy Diaz: new; Dee Evans (friend): a check-in overdue. Built once through the CLI."""
    db = str(tmp_path_factory.mktemp("network") / "template.db")
    ok(db, "person", "add", "Ana Lima", "--context", "friend")
    ok(db, "person", "add", "Bo Chen")
    ok(db, "person", "add", "Cy Diaz")
    ok(db, "person", "add", "Dee Evans", "--context", "friend")
    # Ana: G = 2 w(90) = 1.414, R = 6 w(10) = 5.773: balance -0.61, received >= 5 within
    # 180 days and never thanked: thank them with specifics.
    ok(
        db,
        "gave",
        "ana",
        "-k",
        "knowledge",
        "-w",
        "Reading list",
        "-b",
        "2",
        "-c",
        "1",
        "--on",
        "90 days ago",
    )
    ok(
        db,
        "got",
        "ana",
        "-k",
        "referral",
        "-w",
        "Referred me to a client",
        "-b",
        "6",
        "-c",
        "1",
        "--on",
        "10 days ago",
        "--by",
        "me",
    )
    # Cy: first contact 50 days ago, one exchange: new.
    ok(db, "gave", "cy", "-k", "time", "-w", "Coffee", "--on", "50 days ago")
    # Dee (friend, cadence 30): silent 45 days (30 < 45 <= 60): overdue.
    ok(
        db,
        "gave",
        "dee",
        "-k",
        "knowledge",
        "-w",
        "Notes",
        "-b",
        "3",
        "-c",
        "1",
        "--on",
        "100 days ago",
    )
    ok(
        db,
        "got",
        "dee",
        "-k",
        "knowledge",
        "-w",
        "Tips",
        "-b",
        "3",
        "-c",
        "1",
        "--on",
        "45 days ago",
    )
    return db


@pytest.fixture
def network(network_template: str, db: str) -> str:
    """A copy of the network template, for one test to change."""
    shutil.copyfile(network_template, db)
    return db


def test_health_lists_every_relationship_most_urgent_first(network: str) -> None:
    items = as_json(network, "health")
    for item in items:
        assert set(item) == HEALTH_KEYS | {"person", "pattern", "reach_out_first"}
        assert set(item["person"]) == PERSON_KEYS
    by_name = {i["person"]["name"]: i for i in items}
    assert {name: i["status"] for name, i in by_name.items()} == {
        "Ana Lima": "over-receiving",
        "Bo Chen": "quiet",
        "Cy Diaz": "new",
        "Dee Evans": "overdue",
    }
    assert by_name["Ana Lima"]["action"] == "thank them with specifics"
    assert by_name["Ana Lima"]["balance"] == pytest.approx(-0.6065, abs=1e-4)
    assert by_name["Ana Lima"]["appreciation_due"] is True
    assert by_name["Ana Lima"]["my_initiatives"] == 1  # I asked for the referral
    assert by_name["Dee Evans"]["days_since"] == 45 and by_name["Dee Evans"]["cadence_days"] == 30
    assert by_name["Bo Chen"]["balance"] is None and by_name["Bo Chen"]["days_since"] is None
    urgencies = [i["urgency"] for i in items]
    assert urgencies == sorted(urgencies, reverse=True)
    # Ana (2.41 x 1.91 = 4.6) before Dee (2.5 x 1.66 = 4.2), Cy (new 1.2 x ...), Bo (0.5)
    assert [i["person"]["name"] for i in items] == ["Ana Lima", "Dee Evans", "Cy Diaz", "Bo Chen"]
    table = flat(ok(network, "health"))
    assert "Health of 4 relationships" in table
    for name, status in (("Ana Lima", "over-receiving"), ("Dee Evans", "overdue")):
        assert name in table and status in table
    assert "-0.61" in table and "thank them with specifics" in table
    # Ana: I reached out for the referral (1 of 1 known): 100%, too few times for the star.
    assert "You reach Person" in table and "Balance out" in table  # the header, stacked
    assert "-0.61 100%" in table and "*" not in table
    assert [i["reach_out_first"] for i in items] == [False] * 4


def test_health_and_network_show_who_reaches_out_first(network: str) -> None:
    # Dee: three calls I made and one they made: 3 of 4 known = 75%, below 80%.
    for by in ("me", "me", "them", "me"):
        ok(network, "touch", "dee", "--by", by, "--on", "30 days ago")
    # Ana: the referral I asked for, and three more times I reached out: 4 of 4 = 100%.
    for _ in range(3):
        ok(network, "touch", "ana", "--by", "me", "--on", "20 days ago")
    by_name = {i["person"]["name"]: i for i in as_json(network, "health")}
    assert (by_name["Ana Lima"]["my_initiatives"], by_name["Ana Lima"]["their_initiatives"]) == (
        4,
        0,
    )
    assert by_name["Ana Lima"]["reach_out_first"] is True
    assert by_name["Dee Evans"]["initiative_share"] == 0.75
    assert by_name["Dee Evans"]["reach_out_first"] is False
    assert by_name["Cy Diaz"]["initiative_share"] is None
    table = flat(ok(network, "health"))
    assert "-0.61 100% *" in table  # Ana: balance, then 100% with the star
    assert "75%" in table and "75% *" not in table
    assert "* you reach out first: 80% or more of at least 3 known times" in table
    report = as_json(network, "network")
    # Known at least 3 times: Ana (4) and Dee (4); only Ana at 80% or more.
    assert report["reach_out_first"] == {
        "count": 1,
        "judged": 2,
        "people": [
            {"id": by_name["Ana Lima"]["person"]["id"], "name": "Ana Lima", "mine": 4, "theirs": 0}
        ],
    }
    text = flat(ok(network, "network"))
    assert (
        "You reach out first (80% or more of the times) in 1 of 2 relationships where who "
        "reached out is known at least 3 times: Ana Lima (4 of 4)."
    ) in text


def test_health_by_status_groups_and_keeps_urgency_within(network: str) -> None:
    from mutuality.core.health_rules import STATUS_ORDER, Status

    urgent = as_json(network, "health")
    grouped = as_json(network, "health", "--by-status")
    assert sorted(i["person"]["name"] for i in grouped) == sorted(
        i["person"]["name"] for i in urgent
    )
    ranks = [STATUS_ORDER.index(Status(i["status"])) for i in grouped]
    assert ranks == sorted(ranks) and len(set(ranks)) > 1
    for status in {i["status"] for i in grouped}:
        assert [i["person"]["name"] for i in grouped if i["status"] == status] == [
            i["person"]["name"] for i in urgent if i["status"] == status
        ]


def test_health_status_filter(network: str) -> None:
    assert [i["person"]["name"] for i in as_json(network, "health", "--status", "quiet")] == [
        "Bo Chen"
    ]
    assert [i["person"]["name"] for i in as_json(network, "health", "--status", " NEW ")] == [
        "Cy Diaz"
    ]
    assert as_json(network, "health", "--status", "thriving") == []
    table = flat(ok(network, "health", "--status", "overdue"))
    assert "Health of 1 relationships" in table and "Dee Evans" in table
    assert "Ana Lima" not in table


def test_health_status_filter_rejects_an_unknown_status(network: str) -> None:
    result = run(network, "health", "--status", "overdu")
    assert result.exit_code == 2
    assert "overdu" in result.stderr


def test_next_lists_actions_with_reasons_and_gifts_to_cite(network: str) -> None:
    steps = as_json(network, "next")
    for step in steps:
        assert set(step) == HEALTH_KEYS | {"person", "reason", "cite"}
    assert [s["person"]["name"] for s in steps] == ["Ana Lima", "Dee Evans", "Cy Diaz", "Bo Chen"]
    ana = steps[0]
    assert ana["action"] == "thank them with specifics"
    assert ana["reason"].startswith("Ana Lima: over-receiving.")
    [gift] = ana["cite"]
    assert set(gift) >= EXCHANGE_KEYS
    assert (gift["description"], gift["direction"]) == ("Referred me to a client", "got")
    assert steps[1]["reason"].startswith("Dee Evans: overdue.") and steps[1]["cite"] == []
    assert [s["person"]["name"] for s in as_json(network, "next", "--limit", "2")] == [
        "Ana Lima",
        "Dee Evans",
    ]
    table = flat(ok(network, "next", "-n", "2"))
    assert "1. Ana Lima: thank them with specifics" in table
    assert "- Referred me to a client" in table
    assert "2. Dee Evans: check in" in table and "Cy Diaz" not in table
    # each reason once, not the name and status again ("Dee Evans: overdue. A check-in is
    # overdue: ...")
    assert "Dee Evans: overdue" not in table and "A check-in is overdue" in table
    assert "Ana Lima: over-receiving" not in table


def test_next_refuses_a_negative_limit(network: str) -> None:
    assert run(network, "next", "--limit", "-1").exit_code == 2


def test_why_explains_every_figure_it_shows(network: str) -> None:
    for name in ("ana", "bo", "cy", "dee"):
        detail = as_json(network, "why", name)
        assert set(detail) == HEALTH_KEYS | {
            "person",
            "pattern",
            "balance",
            "explanation",
            "gifts",
            "my_gifts",
        }
        text = "\n".join(detail["explanation"])
        assert detail["status"] in detail["explanation"][0]
        assert detail["explanation"][1].lower().startswith(detail["action"])
        if detail["balance"]["balance"] is not None:
            assert f"= {detail['balance']['balance']:+.2f}" in text
            assert f"{detail['my_net']:+.1f}" in text and f"{detail['their_net']:+.1f}" in text
        if detail["momentum"] is not None:
            assert f"= {detail['momentum']:+.2f}." in text
            assert f"({detail['recent']} - {detail['previous']})" in text
        assert f"every {detail['cadence_days']} days" in text
        if detail["days_since"] is None:
            assert "never in touch yet" in text
        else:
            assert f"last contact {words.days_ago(detail['days_since'])}" in text
        if detail["initiative_share"] is not None:
            assert f"({detail['initiative_share']:.0%} you)" in text
        if detail["equity"] is not None:
            assert f"{detail['equity']:+.2f}" in text
            assert f"= {detail['equity']:+.2f}." in text  # the two ratios' arithmetic
        assert f"= {detail['balance']['surplus']:+.1f}: the value the relationship" in text
        if detail["status"] in ("overdue", "fading"):
            # the newest contact listed is the one the days since contact count from
            latest = text.split("Latest contacts with ")[1].split(": ", 1)[1]
            last_on = date.fromisoformat(detail["last_on"])
            shown = words.short_date(last_on, last_on + timedelta(days=detail["days_since"]))
            assert latest.startswith(f"{shown} ({words.days_ago(detail['days_since'])})")
        assert all(g["direction"] == "got" for g in detail["gifts"])
        assert all(g["direction"] == "gave" for g in detail["my_gifts"])


def test_why_ana(network: str) -> None:
    detail = as_json(network, "why", "ana")
    assert detail["person"]["name"] == "Ana Lima"
    assert detail["balance"]["leaning"] == "over-receiving"
    assert [g["description"] for g in detail["gifts"]] == ["Referred me to a client"]
    assert [g["description"] for g in detail["my_gifts"]] == ["Reading list"]
    assert "Who reaches out: you 1 time, Ana Lima 0 times (100% you)." in (detail["explanation"])
    table = flat(ok(network, "why", "ana"))
    assert "Ana Lima: over-receiving, next: thank them with specifics" in table
    assert "You receive more than you give: balance -0.61 is below -0.25." in table
    assert "What they gave you that a thank-you can cite:" in table
    assert f"- Referred me to a client ({days_ago(10)}, benefit 6)" in table
    assert f"What you gave them: - Reading list ({days_ago(90)}, benefit 2)" in table


def test_why_dee_shows_the_latest_contacts_equity_ratios_and_surplus(network: str) -> None:
    # Dee (friend, cadence 30): I gave Notes (benefit 3, cost 1) 100 days ago, Dee gave Tips
    # (3, 1) 45 days ago. Received 3 w(45) = 2.52 for my cost w(100) = 0.68: 3.71; given
    # 3 w(100) = 2.04 for Dee's cost w(45) = 0.84: 2.43; equity 1.28 / 6.14 = +0.21.
    # Nets: 2.52 - 0.68 = 1.84 and 2.04 - 0.84 = 1.20: surplus 3.04.
    detail = as_json(network, "why", "dee")
    assert (detail["status"], detail["days_since"]) == ("overdue", 45)
    assert (
        f"Latest contacts with Dee Evans, newest first: {on_day(45)} (45 days ago): Dee "
        f'Evans gave you "Tips"; {on_day(100)} (100 days ago): you gave Dee Evans "Notes".'
    ) in detail["explanation"]
    assert (
        "Equity = (yours - Dee Evans's) / (yours + Dee Evans's): yours = what you received / "
        "what giving cost you = 2.52 / 0.68 = 3.71; Dee Evans's = what you gave them / what "
        "giving cost them = 2.04 / 0.84 = 2.43; (3.71 - 2.43) / (3.71 + 2.43) = +0.21."
    ) in detail["explanation"]
    assert "Surplus created = your net + their net = 1.8 + 1.2 = +3.0: the value" in " ".join(
        detail["explanation"]
    )
    assert [(g["description"], g["direction"]) for g in detail["my_gifts"]] == [("Notes", "gave")]
    table = flat(ok(network, "why", "dee"))
    assert f'{on_day(45)} (45 days ago): Dee Evans gave you "Tips"' in table
    assert f"What you gave them: - Notes ({days_ago(100)}, benefit 3)" in table


def test_thanks_then_thanked(network: str) -> None:
    steps = as_json(network, "thanks")
    assert [set(s) for s in steps] == [{"person", "reason", "cite"}]
    assert steps[0]["person"]["name"] == "Ana Lima"
    assert "5.8 points of benefit" in steps[0]["reason"]  # 6 w(10) = 5.77
    assert [g["description"] for g in steps[0]["cite"]] == ["Referred me to a client"]
    table = flat(ok(network, "thanks"))
    assert "Tell them what it meant to you: Referred me to a client." in table
    assert "Ana Lima gave you 5.8 points" in table and "Ana Lima: Ana Lima" not in table
    ok(network, "gave", "ana", "-k", "appreciation", "-w", "Thank-you card")
    assert as_json(network, "thanks") == []
    assert "No thank-you is due" in ok(network, "thanks")
    assert as_json(network, "why", "ana")["action"] == "give back"


def test_network_command(network: str) -> None:
    report = as_json(network, "network")
    assert set(report) == NETWORK_KEYS
    assert set(report["capacity"]) == CAPACITY_KEYS
    # 5 people with the owner; pairs: Ana, Cy, Dee (Bo has nothing): 3 relationships.
    assert (report["people"], report["relationships"]) == (5, 3)
    # links: Me->Ana, Ana->Me, Me->Cy, Me->Dee, Dee->Me: 4 of 5 reciprocated.
    assert report["reciprocity"] == pytest.approx(0.8)
    bo = as_json(network, "person", "show", "bo")["id"]
    assert report["isolated_count"] == 1
    assert report["isolated"] == [{"id": bo, "name": "Bo Chen"}]
    assert report["styles"] == {
        "giver": 0,
        "matcher": 1,
        "taker": 0,
        "not enough evidence": 3,
    }
    assert report["my_style"] == "matcher" and report["my_giving"] == "not a giver"
    # My evidence: gave Ana 2 w(90) = 1.414, Cy 3 w(50) = 2.475 (coffee: time's default
    # benefit 3), Dee 3 w(100) = 2.041: 5.930; received Ana 6 w(10) = 5.773 and Dee
    # 3 w(45) = 2.523: 8.296; share 5.930 / 14.226 = 0.4168 (between 0.4 and 0.6: matcher).
    assert report["my_evidence"] == {
        "style": "matcher",
        "gave": pytest.approx(5.930, abs=1e-3),
        "received": pytest.approx(8.296, abs=1e-3),
        "share": pytest.approx(0.4168, abs=1e-4),
        "exchanges": 5,
    }
    assert report["thresholds"] == {
        "giver_share": 0.6,
        "taker_share": 0.4,
        "min_exchanges": 3,
        "reach_out_share": 0.8,
        "reach_out_min": 3,
    }
    # Ana, Cy and Dee have one or two exchanges each: no clear giver or taker.
    assert report["gives_more"] == [] and report["receives_more"] == []
    assert report["reach_out_first"] == {"count": 0, "judged": 0, "people": []}
    table = flat(ok(network, "network"))
    assert "Styles: 1 matcher, 3 without enough evidence." in table
    assert (
        "You: matcher: across the network you gave 5.9, received 8.3 (decayed), 42% given, "
        "5 exchanges; a giver gives at least 60% of the benefit they take part in, a taker "
        "at most 40%, over at least 3 exchanges."
    ) in table
    assert (
        "Give more than they receive, in your ledger (the highest share given first): none" in table
    )
    assert (
        "Receive more than they give, in your ledger" in table
        and "taker" not in table.split("You: matcher")[0]
    )
    assert "You reach out first: no relationship yet where who reached out is known" in table
    assert "5 people, 3 relationships with an exchange or contact." in table
    assert "Reciprocity: 80% of giving links also run the other way." in table
    assert "Isolated (no contact for 180 days): Bo Chen" in table
    assert "Received from two or more people, gave nothing logged: none" in table
    assert "Clearest takers" not in table and "One-way takers" not in table


def test_capacity_set_then_show(db: str) -> None:
    ok(db, "person", "add", "Ana Lima")
    shown = as_json(db, "capacity")
    assert set(shown) == CAPACITY_KEYS and shown["state"] == "no budget set"
    assert "No budget set" in ok(db, "capacity")
    ok(db, "capacity", "20", "--per", "week", "--no", "money")
    shown = as_json(db, "capacity")
    assert (shown["amount"], shown["unit"], shown["period"], shown["boundaries"]) == (
        20.0,
        "points",
        "week",
        ["money"],
    )
    today = date.today()
    monday = today - timedelta(days=today.weekday())
    assert (shown["start"], shown["end"]) == (
        monday.isoformat(),
        (monday + timedelta(days=6)).isoformat(),
    )
    assert (shown["used"], shown["state"], shown["boundary_hits"]) == (0, "within budget", [])
    table = flat(ok(db, "capacity"))
    assert "Budget: 20 points per week" in table and "You do not give: money" in table
    # Setting the amount again keeps the boundaries; --no '' clears them; --clear removes all.
    assert as_json(db, "capacity", "30")["boundaries"] == ["money"]
    assert as_json(db, "capacity", "30", "--no", "")["boundaries"] == []
    cleared = as_json(db, "capacity", "--clear")
    assert cleared["amount"] is None and cleared["state"] == "no budget set"


def test_gave_prints_the_new_status_and_the_warnings(db: str) -> None:
    ok(db, "person", "add", "Ana Lima")
    ok(db, "capacity", "1", "--unit", "hours", "--per", "week", "--no", "money")
    result = run(
        db, "gave", "ana", "--kind", "money", "--what", "Lent cash", "--by", "me", "--hours", "2"
    )
    assert result.exit_code == 0, result.output
    out, err = flat(result.stdout), flat(result.stderr)
    assert "You gave Ana Lima money" in out and "Lent cash" in out
    # One exchange, today: new; next: check in.
    assert "Where it stands now: `mutuality why Ana Lima`." in out
    assert "Note: money is a kind you said you do not give" in err
    # 2 hours logged against a 1-hour weekly budget: over.
    assert "Capacity over budget: 2.0 of 1 hours used this week" in err
    assert "Note" not in out and "Capacity" not in out
    shown = as_json(db, "capacity")
    assert (shown["used"], shown["state"]) == (2.0, "over budget")
    assert [hit["kind"] for hit in shown["boundary_hits"]] == ["money"]
    table = flat(ok(db, "capacity"))
    assert "Boundary crossed" in table and "Over budget" in table


def test_gave_within_budget_warns_about_nothing(db: str) -> None:
    ok(db, "person", "add", "Ana Lima")
    ok(db, "capacity", "1000", "--unit", "hours", "--per", "month")
    result = run(db, "gave", "ana", "-k", "time", "-w", "Coffee", "--hours", "1")
    assert result.exit_code == 0 and result.stderr == ""


def test_gave_and_got_json_carry_the_health(db: str) -> None:
    ok(db, "person", "add", "Ana Lima")
    logged = as_json(
        db,
        "gave",
        "ana",
        "-k",
        "time",
        "-w",
        "Workshop",
        "--by",
        "them",
        "--hours",
        "2",
        "--on",
        "3 days ago",
    )
    assert set(logged) >= EXCHANGE_KEYS and set(logged["health"]) == HEALTH_KEYS
    assert (logged["initiated_by"], logged["hours"]) == ("them", 2.0)
    assert logged["health"]["status"] == "new" and logged["health"]["days_since"] == 3
    assert logged["health"]["their_initiatives"] == 1
    got = as_json(db, "got", "ana", "-k", "knowledge", "-w", "Tips", "--by", "me")
    assert got["initiated_by"] == "me" and got["health"]["my_initiatives"] == 1
    assert got["health"]["days_since"] == 0


def test_touch_resets_the_check_in_clock(network: str) -> None:
    assert as_json(network, "why", "dee")["status"] == "overdue"
    result = run(network, "touch", "dee", "--by", "them", "--channel", "call")
    assert result.exit_code == 0, result.output
    assert f"Logged a call with Dee Evans on {date.today().isoformat()}." in flat(result.stdout)
    plain = run(network, "touch", "cy")
    assert f"Logged a contact with Cy Diaz on {date.today().isoformat()}." in flat(plain.stdout)
    emailed = run(network, "touch", "cy", "--channel", "email")
    assert "Logged an email with Cy Diaz" in flat(emailed.stdout)
    detail = as_json(network, "why", "dee")
    # Now: last contact today; recent 2 (45 days ago and today) against 1 (100 days ago);
    # G = 3 w(100) = 2.04, R = 3 w(45) = 2.52: balance -0.105, both nets positive: thriving.
    assert (detail["status"], detail["days_since"], detail["their_initiatives"]) == (
        "thriving",
        0,
        1,
    )
    assert (detail["recent"], detail["previous"]) == (2, 1)
    assert detail["balance"]["times_given"] == 1  # a touch is not an exchange
    touched = run(network, "touch", "bo", "--on", "2 days ago", "--by", "me")
    assert touched.exit_code == 0
    bo = as_json(network, "why", "bo")
    assert (bo["status"], bo["days_since"], bo["my_initiatives"]) == ("new", 2, 1)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["why", "nobody"], "no person matches 'nobody'"),
        (["touch", "nobody"], "no person matches 'nobody'"),
        (["touch", "ana", "--by", "someone"], "initiated by 'someone': use 'me' or 'them'"),
        (["touch", "ana", "--channel", "pigeon"], "unknown channel 'pigeon'"),
        (["touch", "ana", "--on", "2999-01-01"], "in the future"),
        (["touch", "ana", "--on", "someday"], "not a date"),
        (["capacity", "20", "--unit", "days"], "unit 'days': use points or hours"),
        (["capacity", "20", "--per", "fortnight"], "period 'fortnight': use week or month"),
        (["capacity", "20", "--no", "gossip"], "unknown kind 'gossip'"),
        (["capacity", "0"], "a budget must be above 0"),
        (["capacity", "--no", "money"], "give the budget amount too"),
        (["gave", "ana", "-k", "time", "-w", "x", "--by", "someone"], "initiated by 'someone'"),
        (["gave", "ana", "-k", "time", "-w", "x", "--hours", "-1"], "hours must be from 0 to"),
        (["gave", "ana", "-k", "time", "-w", "x", "--hours", "1001"], "hours must be from 0 to"),
        (["got", "ana", "-k", "time", "-w", "x", "--by", "us"], "initiated by 'us'"),
    ],
)
def test_bad_input_is_a_clear_error_and_changes_nothing(
    network: str, args: list[str], message: str
) -> None:
    from mutuality.services.app import Mutuality
    from mutuality.services.settings import Settings

    with Mutuality.open(network, Settings()) as opened:
        opened.capacity.set(5, "hours", "month", ("time",))
    before = dump(network)
    result = run(network, *args)
    assert result.exit_code == 2, result.output
    assert message in flat(result.stderr)
    assert "Traceback" not in result.output
    assert dump(network) == before


def test_commands_on_an_empty_database(db: str) -> None:
    assert as_json(db, "health") == []
    assert "Health of 0 relationships" in ok(db, "health")
    assert as_json(db, "next") == []
    assert "Nothing to do" in ok(db, "next")
    assert as_json(db, "thanks") == []
    report = as_json(db, "network")
    assert report["people"] == 0 and report["reciprocity"] is None
    assert "Reciprocity: n/a" in ok(db, "network")


def test_gave_json_still_flags_a_boundary_on_stderr(db: str) -> None:
    ok(db, "person", "add", "Ana Lima")
    ok(db, "capacity", "1", "--unit", "hours", "--per", "week", "--no", "money")
    result = run(
        db, "gave", "ana", "-k", "money", "-w", "Lent cash", "--hours", "2", "--format", "json"
    )
    assert result.exit_code == 0
    json.loads(result.stdout)
    assert "money is a kind you said you do not give" in flat(result.stderr)


def test_network_table_states_the_configured_isolation_threshold(
    network: str, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[network]\nisolated_days = 30\n", encoding="utf-8")
    result = runner.invoke(app, ["--db", network, "network"], env={"MUTUALITY_CONFIG": str(config)})
    assert result.exit_code == 0, result.output
    # Dee's last contact was 45 days ago: isolated under a 30-day threshold.
    assert "Dee Evans" in flat(result.stdout)
    assert "180 days" not in flat(result.stdout)


def test_a_friend_in_grief_is_cared_for_said_once_and_never_weighed(db: str) -> None:
    """A hard situation read as a person reads it: Priya's mother died and I have been
    giving much more than she can give back. `next`, `why` and the digest name her and her
    status once, never call it over-giving, and never ask her to give back."""
    ok(db, "person", "add", "Priya Raman", "--context", "friend")
    for days in (40, 33, 26):
        on = (date.today() - timedelta(days=days)).isoformat()
        ok(db, "gave", "priya", "-k", "support", "-w", "Sat with her at the hospital", "--on", on)
    ok(db, "person", "edit", "priya", "--intent", "care", "--until", "in 90 days")
    ok(db, "person", "edit", "priya", "--reason", "Her mother died")
    told = {
        "next": flat(ok(db, "next")),
        "why": flat(ok(db, "why", "priya")),
        "digest": flat(ok(db, "digest")),
    }
    for name, text in told.items():
        assert "Priya Raman" in text, name
        assert "Priya Raman: overdue." not in text and "Priya Raman: Priya Raman" not in text
        assert "over-giving" not in text and "give back" not in text, name
    assert "care" in told["why"]
    assert "Her mother died" not in told["digest"]  # the reason is mine alone
