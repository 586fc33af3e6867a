"""A person's page, read often: its "why" comes from the kept network-wide figures while
they are fresh, says the same as the relationship's own reading, and shows a write made
just before."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from conftest import TODAY

from mutuality.core import words
from mutuality.core.health import Status
from mutuality.services.app import Mutuality
from mutuality.services.health.service import HealthDetail
from mutuality.synthetic import generate_network


def alike(shown: Any, read: Any) -> None:
    """The same record, floats to within rounding (sums taken in another order)."""
    for field in dataclasses.fields(shown):
        mine, theirs = getattr(shown, field.name), getattr(read, field.name)
        if isinstance(mine, float):
            assert mine == pytest.approx(theirs), field.name
        else:
            assert mine == theirs, field.name


def same_why(shown: HealthDetail, read: HealthDetail) -> None:
    assert shown.person == read.person
    alike(shown.health, read.health)
    alike(shown.balance, read.balance)
    assert shown.style is read.style
    assert shown.explanation == read.explanation
    assert shown.gifts == read.gifts
    assert shown.my_gifts == read.my_gifts


def test_the_kept_figures_give_every_person_the_same_why(app: Mutuality) -> None:
    """Across a generated network (every status, style and balance), a page built from the
    kept network-wide pass says what reading the one relationship says."""
    net = generate_network(80, 30, seed=3, today=TODAY)
    ids = [app.people.owner().id, *app.people.bulk_add(net.names())]
    app.ledger.bulk_add(net.exchanges(ids))
    someone = ids[5]
    app.checkins.record(someone, my_satisfaction=2, their_satisfaction=4)
    name = app.people.by_ids([someone])[0].name
    request = app.requests.ask(name, "Send the draft", benefit=8, cost=1)
    app.requests.decide(request.id, "yes", due="2026-12-10")
    app.health.relationships()  # the kept pass, as the dashboard or the people list makes it
    statuses = set()
    for person in ids[1:]:
        assert app.health._kept(person) is not None  # the kept path is the one under test
        page = app.overview.person(person, limit=5)
        same_why(page.why, app.health.for_person(person))
        # the timeline's count comes from the history's rows: the same as counting them
        assert page.timeline.total == app.ledger.timeline(person, 1).total
        assert page.timeline.entries == app.ledger.timeline(person, 5).entries
        statuses.add(page.why.health.status)
    assert len(statuses) >= 4


def test_a_page_shows_a_write_made_just_before(client: Any, populated: Mutuality) -> None:
    ana = next(p.id for p in populated.people.list() if p.name == "Ana Lima")
    client.get("/")  # the network-wide figures are now kept
    before = populated.overview.person(ana).why
    populated.ledger.log("Ana Lima", "gave", kind="resource", what="Lent her my bike", benefit=9)
    assert populated.health._kept(ana) is None  # the write left the kept figures behind
    html = client.get(f"/people/{ana}").text
    assert "Lent her my bike" in html
    after = populated.overview.person(ana).why
    same_why(after, populated.health.for_person(ana))
    assert after.balance.times_given == before.balance.times_given + 1
    assert f"You gave Ana Lima {words.plural(after.balance.times_given, 'time')}" in html


def test_the_why_lists_the_gifts_each_way(client: Any, populated: Mutuality) -> None:
    ana = next(p.id for p in populated.people.list() if p.name == "Ana Lima")
    populated.ledger.log(
        "Ana Lima", "gave", kind="time", what="Fixed her <b>bike</b>", benefit=2, on="2026-11-20"
    )
    why = client.get(f"/people/{ana}").text.split('id="why"')[1].split("</details>")[0]
    theirs, mine = why.split("What you gave them")
    assert "What they gave you, that a thank-you can cite" in theirs
    assert "Intro to Bo (2026-11-01, benefit 6)" in theirs
    # mine, most valuable first; the description escaped
    assert mine.index("Reviewed her deck (2026-10-01, benefit 4)") < mine.index(
        "Fixed her &lt;b&gt;bike&lt;/b&gt; (2026-11-20, benefit 2)"
    )
    assert "Surplus created = your net + their net = " in why


def test_a_write_from_another_process_renews_the_why(
    client: Any, populated: Mutuality, tmp_path: Any
) -> None:
    from conftest import open_app

    ana = next(p.id for p in populated.people.list() if p.name == "Ana Lima")
    client.get("/people")
    with open_app(tmp_path / "t.db") as other:
        other.checkins.record("Ana Lima", my_satisfaction=1, their_satisfaction=1)
    shown = populated.overview.person(ana)
    assert shown.checkins[0].my_satisfaction == 1
    same_why(shown.why, populated.health.for_person(ana))


def test_kept_figures_are_given_only_while_fresh(populated: Mutuality) -> None:
    database, key = populated.database, ("test.kept",)
    assert database.kept(key) is None  # never computed: not computed now either
    assert database.cached(key, lambda: 42) == 42
    assert database.kept(key) == 42
    with database.write():
        assert database.kept(key) is None  # a write transaction sees its own changes
    assert database.kept(key) is None  # a write came in between


def test_the_dashboard_counts_follow_each_write(client: Any, populated: Mutuality) -> None:
    assert "4 relationships" in client.get("/").text
    populated.people.add("Eve Stone")
    assert "5 relationships" in client.get("/").text
    counts = populated.overview.dashboard().status_counts
    assert sum(counts.values()) == 5 and counts[Status.QUIET] >= 2


def test_the_people_list_shows_an_edit_made_just_before(client: Any, populated: Mutuality) -> None:
    from mutuality.services.people import PersonChanges

    ana = next(p.id for p in populated.people.list() if p.name == "Ana Lima")
    assert "Ana Lima" in client.get("/people").text
    assert "Ana Lima" in client.get("/people", params={"sort": "urgency"}).text
    populated.people.edit(ana, PersonChanges(name="Ana Costa", add_tags=("climbing",)))
    for order in ("name", "urgency"):
        html = client.get("/people", params={"sort": order}).text
        assert "Ana Costa" in html and "Ana Lima" not in html and "climbing" in html


def test_a_page_lists_their_open_needs_offers_and_introductions(
    client: Any, populated: Mutuality
) -> None:
    app = populated
    ana = next(p.id for p in app.people.list() if p.name == "Ana Lima")
    need = app.needs.add("need", "Ana Lima", "A designer for the <b>launch</b>", tags=("design",))
    offer = app.needs.add("offer", "Ana Lima", "Reviews pricing pages")
    closed = app.needs.add("offer", "Ana Lima", "Old offer")
    app.needs.close("offer", closed.id)
    last_day = app.needs.add("need", "Ana Lima", "Last day", expires=TODAY.isoformat())
    app.needs.add("need", "Bo Chen", "Someone else's need")
    intro = app.introductions.propose("Ana Lima", "Bo Chen", reason="Both run studios")
    app.introductions.ask(intro.introduction.id, "Bo Chen")
    app.introductions.propose("Bo Chen", "José Álvarez", reason="Not Ana's")

    page = app.overview.person(ana)
    # needs first, newest first; open ones only (one expiring today is still open)
    assert [w.id for w in page.wishes] == [last_day.id, need.id, offer.id]
    assert [(i.introduction.id, i.a, i.b) for i in page.introductions] == [
        (intro.introduction.id, "Ana Lima", "Bo Chen")
    ]
    assert page.introductions[0].introduction.b_consent is not None  # asked

    html = client.get(f"/people/{ana}").text
    assert "A designer for the &lt;b&gt;launch&lt;/b&gt;" in html  # escaped
    assert "Reviews pricing pages" in html
    assert "Old offer" not in html
    assert f'until <time datetime="{TODAY.isoformat()}"' in html and ">today</time>" in html
    assert "Someone else&#39;s need" not in html and "Not Ana&#39;s" not in html
    assert f'href="/introductions#intro-{intro.introduction.id}"' in html
    assert "Bo Chen: asked" in html and "Ana Lima: not asked" in html

    dana = next(p.id for p in app.people.list() if p.name == "Dana Smith")
    empty = client.get(f"/people/{dana}").text
    assert "No open needs or offers for Dana Smith." in empty
    assert "Dana Smith is not part of any introduction yet." in empty
    assert "No promises between you and Dana Smith yet." in empty
    assert "No check-ins with Dana Smith yet." in empty
    assert f'href="/checkins?person={dana}"' in empty


def test_a_page_of_the_owner_or_of_nobody_is_not_found(client: Any, populated: Mutuality) -> None:
    from mutuality.core.errors import NotFound

    owner = populated.people.owner().id
    for missing in (owner, 10**6):
        with pytest.raises(NotFound):
            populated.overview.person(missing)
        assert client.get(f"/people/{missing}").status_code == 404
