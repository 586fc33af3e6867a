"""The to-do list: one ranking rule (core/todo.py), what the service gathers into it from
every part of the ledger, and the dashboard that shows it with a button per item."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from conftest import TODAY
from web_helpers import post_form, sign_in, web_client

from mutuality.core.todo import Tier, TodoItem, TodoKind, rank
from mutuality.services.app import Mutuality
from mutuality.services.todo import TodoService


def item(kind: TodoKind, tier: Tier, person: str, on: date | None = None, order: int = 0) -> Any:
    return TodoItem(kind, tier, 1, person, "title", "detail", on=on, order=order)


# --- the rule ---------------------------------------------------------------------------------


def test_rank_puts_what_waits_on_you_first_then_today_then_relationships_then_later() -> None:
    later = item(TodoKind.DATE, Tier.COMING_UP, "Ana", TODAY + timedelta(days=3))
    action = item(TodoKind.ACTION, Tier.RELATIONSHIPS, "Bo")
    today = item(TodoKind.DATE, Tier.TODAY, "Cy", TODAY)
    late = item(TodoKind.COMMITMENT, Tier.WAITING_ON_YOU, "Dee", TODAY - timedelta(days=2))
    assert rank([later, action, today, late]) == [late, today, action, later]


def test_rank_within_a_tier_goes_by_day_then_the_sources_order_then_name() -> None:
    undated = item(TodoKind.REQUEST, Tier.WAITING_ON_YOU, "Ana")
    newer = item(TodoKind.REQUEST, Tier.WAITING_ON_YOU, "Bo", TODAY)
    older = item(TodoKind.COMMITMENT, Tier.WAITING_ON_YOU, "Zed", TODAY - timedelta(days=9))
    assert rank([undated, newer, older]) == [older, newer, undated]
    urgent = item(TodoKind.ACTION, Tier.RELATIONSHIPS, "Zoe", order=0)
    next_one = item(TodoKind.ACTION, Tier.RELATIONSHIPS, "Al", order=1)
    assert rank([next_one, urgent]) == [urgent, next_one]
    assert rank([item(TodoKind.ACTION, Tier.RELATIONSHIPS, n) for n in ("bo", "Ana")])[
        0
    ].person == ("Ana")


# --- what the service gathers -----------------------------------------------------------------


def kinds(todo: TodoService) -> list[tuple[str, str, str]]:
    return [(i.kind.value, i.person, i.title) for i in todo.list(100).items]


def test_the_list_carries_every_source_each_in_its_place(populated: Mutuality) -> None:
    app = populated
    # a promise of mine, late; a request asked of me; an agreed introduction; a birthday
    asked = app.requests.ask("Ana", "Review my pitch", benefit=6, cost=2)
    app.requests.decide(asked.id, "yes", due=(TODAY + timedelta(days=1)).isoformat())
    with app.database.write() as session:
        from mutuality.store.tables import CommitmentRow

        session.query(CommitmentRow).update({CommitmentRow.due_on: TODAY - timedelta(days=2)})
    app.requests.ask("Bo", "An intro to a lawyer", benefit=5, cost=1)
    intro = app.introductions.propose("Ana", "Bo", reason="both build studios")
    app.introductions.ask(intro.introduction.id)
    app.introductions.answer(intro.introduction.id, "Ana", yes=True)
    app.introductions.answer(intro.introduction.id, "Bo", yes=True)
    app.people.edit("Dana", _birthday(TODAY + timedelta(days=2)))

    items = app.todo.list(100).items
    found = [(i.kind, i.tier, i.person) for i in items]
    assert found[:3] == [
        (TodoKind.COMMITMENT, Tier.WAITING_ON_YOU, "Ana Lima"),
        (TodoKind.REQUEST, Tier.WAITING_ON_YOU, "Bo Chen"),
        (TodoKind.INTRODUCTION, Tier.WAITING_ON_YOU, "Ana Lima and Bo Chen"),
    ]
    assert (TodoKind.DATE, Tier.COMING_UP, "Dana Smith") in found
    actions = [i for i in items if i.kind is TodoKind.ACTION]
    assert actions, "the relationships' next actions are on the list"
    # the reason, without the name and status the item shows already
    assert all(not i.detail.startswith(f"{i.person}:") for i in actions)
    assert [i.tier for i in items] == sorted(i.tier for i in items)
    assert found.index((TodoKind.DATE, Tier.COMING_UP, "Dana Smith")) > found.index(
        (actions[-1].kind, actions[-1].tier, actions[-1].person)
    )


def _birthday(on: date) -> Any:
    from mutuality.services.people import PersonChanges

    return PersonChanges(birthday=f"--{on.month:02d}-{on.day:02d}")


def test_a_snoozed_person_leaves_the_list_until_their_day(populated: Mutuality) -> None:
    app = populated
    assert "Bo Chen" in [i.person for i in app.todo.list(100).items]
    done = app.todo.snooze("Bo", span="1w")
    assert done.until == TODAY + timedelta(days=7)
    assert "Bo Chen" not in [i.person for i in app.todo.list(100).items]
    assert app.todo.list().snoozed == 1
    later = Mutuality.within(app.context.as_of(TODAY + timedelta(days=7)))
    assert "Bo Chen" in [i.person for i in later.todo.list(100).items], "back on the day"
    app.todo.unsnooze("Bo")
    assert "Bo Chen" in [i.person for i in app.todo.list(100).items]


def test_a_promise_stays_on_the_list_while_its_person_is_snoozed(populated: Mutuality) -> None:
    app = populated
    asked = app.requests.ask("Ana", "Review my pitch", benefit=6, cost=2)
    app.requests.decide(asked.id, "yes", due=(TODAY + timedelta(days=2)).isoformat())
    app.todo.snooze("Ana", span="2w")
    left = [(i.kind, i.person) for i in app.todo.list(100).items if i.person == "Ana Lima"]
    assert left == [(TodoKind.COMMITMENT, "Ana Lima")]


def test_thanking_logs_appreciation_naming_their_gift(populated: Mutuality) -> None:
    thanks = populated.todo.thanked("Ana")
    assert thanks.kind.value == "appreciation"
    assert thanks.description == "Thanked them for Intro to Bo"
    assert thanks.giver_id == populated.people.owner().id


# --- the dashboard ----------------------------------------------------------------------------


@pytest.fixture
def client(populated: Mutuality) -> Any:
    return sign_in(web_client(populated), populated)


def test_the_dashboard_shows_one_list_with_a_button_per_item(
    client: Any, populated: Mutuality
) -> None:
    populated.requests.ask("Bo", "An intro to a lawyer", benefit=5, cost=1)
    html = client.get("/").text
    assert 'id="todo"' in html
    for gone in ('id="next"', 'id="agenda"', 'id="coming-up"'):
        assert gone not in html, f"{gone} is replaced by the to-do list"
    assert 'id="glance"' in html and 'id="recent"' in html
    todo = html[html.index('id="todo"') : html.index('id="glance"')]
    request = populated.requests.list(open_only=True)[0]
    assert f'action="/requests/{request.id}/decide"' in todo
    assert todo.index("decide their request") < todo.index("check in"), "late before nudges"
    headings = re.findall(r'<h3 class="tier">([^<]+)</h3>', todo)
    assert headings == ["Waiting on you", "Your relationships"]
    assert len(re.findall(r'action="/people/\d+/snooze"', todo)) >= 3


def test_the_dashboards_buttons_do_their_work_and_come_back(
    client: Any, populated: Mutuality
) -> None:
    bo = populated.people.get("Bo").person.id
    answer = post_form(client, f"/people/{bo}/checked-in", {"back": "dashboard"})
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/?done=contact&person={bo}#todo"
    assert client.get(answer.headers["location"]).text.count("Bo Chen: Logged") == 1
    answer = post_form(client, f"/people/{bo}/snooze", {"back": "dashboard", "for": "1w"})
    assert answer.headers["location"].startswith("/?done=snoozed")
    todo = client.get("/").text.split('id="glance"')[0]
    assert f'href="/people/{bo}"' not in todo
    assert "1 person is snoozed" in todo


def test_the_to_do_list_costs_no_query_per_person(populated: Mutuality) -> None:
    """Built from kept results: a second list after no write reads nothing again."""
    populated.todo.list()
    statements: list[str] = []
    from sqlalchemy import event

    listen = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(populated.database.engine, "before_cursor_execute", listen)
    try:
        populated.todo.list()
    finally:
        event.remove(populated.database.engine, "before_cursor_execute", listen)
    assert [s for s in statements if "PRAGMA" not in s] == []


def test_accepting_a_request_from_the_list_decides_it(client: Any, populated: Mutuality) -> None:
    asked = populated.requests.ask("Bo", "An intro to a lawyer", benefit=8, cost=1)
    todo = client.get("/").text.split('id="glance"')[0]
    assert f"Accept the proposal: {asked.proposal.value}" in todo
    answer = post_form(client, f"/requests/{asked.id}/decide", {})
    assert answer.status_code == 303
    assert populated.requests.get(asked.id).decision is asked.proposal
    todo = client.get("/").text.split('id="glance"')[0]
    assert f'action="/requests/{asked.id}/decide"' not in todo


def test_a_notice_for_someone_no_longer_there_still_shows_the_dashboard(client: Any) -> None:
    page = client.get("/", params={"done": "snoozed", "person": 999_999})
    assert page.status_code == 200
    assert "Snoozed: off your to-do list" in page.text
    assert client.get("/", params={"done": "deleted"}).status_code == 422
