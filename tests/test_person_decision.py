"""A person's page leads with the decision: the status in words, the next action, and its
buttons (in touch today, thank them, log an exchange, snooze); the arithmetic waits behind
"Show the arithmetic", collapsed."""

from __future__ import annotations

import re
from typing import Any

import pytest
from web_helpers import post_form, sign_in, web_client

from mutuality.core.health import Action, Status
from mutuality.core.todo import headline
from mutuality.core.why import action_words
from mutuality.services.app import Mutuality


@pytest.fixture
def client(populated: Mutuality) -> Any:
    return sign_in(web_client(populated), populated)


def pid(app: Mutuality, name: str) -> int:
    return app.people.get(name).person.id


def test_every_status_has_words_without_figures(populated: Mutuality) -> None:
    health = populated.health.for_person("Ana").health
    for status in Status:
        words, action = headline(health.__class__(**{**_fields(health), "status": status}), "Ana")
        assert "Ana" in words and not re.search(r"\d", words), status
        assert action == action_words(health)


def _fields(health: Any) -> dict[str, Any]:
    return {name: getattr(health, name) for name in health.__dataclass_fields__}


def test_the_page_opens_with_the_status_the_next_action_and_its_buttons(
    client: Any, populated: Mutuality
) -> None:
    ana = pid(populated, "Ana")
    health = populated.health.for_person("Ana").health
    html = client.get(f"/people/{ana}").text
    decision = html.split('id="decision"')[1].split("</section>")[0]
    words, action = headline(health, "Ana Lima")
    assert words in decision and action.replace('"', "&#34;") in decision
    for button in (
        f'action="/people/{ana}/checked-in"',
        f'action="/people/{ana}/thanked"',
        'href="#quick-log"',
        f'action="/people/{ana}/snooze"',
    ):
        assert button in decision
    # what they gave, to cite in the thanks, and the thanks written for them
    assert "Intro to Bo" in decision and 'value="Thanked them for Intro to Bo"' in decision
    # the arithmetic is still there, behind a closed disclosure, after the decision
    why = re.search(r"<details class=\"card wide arithmetic\" id=\"why\">\s*<summary>", html)
    assert why and html.index('id="decision"') < why.start()
    assert "Balance =" in html.split('id="why"')[1]


def test_the_buttons_log_what_they_say(client: Any, populated: Mutuality) -> None:
    bo = pid(populated, "Bo")
    before = populated.ledger.timeline(bo, 50).total
    answer = post_form(client, f"/people/{bo}/thanked", {"what": "Thanked him for the move"})
    assert answer.status_code == 303 and answer.headers["location"].endswith("done=thanks")
    assert "Logged your thank-you." in client.get(answer.headers["location"]).text
    latest = populated.ledger.timeline(bo, 1).entries[0].exchange
    assert (latest.kind.value, latest.description) == ("appreciation", "Thanked him for the move")
    assert populated.ledger.timeline(bo, 50).total == before + 1
    answer = post_form(client, f"/people/{bo}/checked-in", {})
    assert answer.headers["location"] == f"/people/{bo}?done=contact"
    assert populated.health.for_person("Bo").health.days_since == 0


def test_a_thank_you_clears_thank_them(populated: Mutuality, ledger: Any) -> None:
    ledger('got "Cy Park" support 2026-11-20 benefit=8 cost=3 "Stayed late to fix my launch"')
    assert populated.health.for_person("Cy").health.appreciation_due
    populated.todo.thanked("Cy")
    assert not populated.health.for_person("Cy").health.appreciation_due


def test_the_back_field_goes_only_to_the_page_or_the_dashboard(
    client: Any, populated: Mutuality
) -> None:
    bo = pid(populated, "Bo")
    refused = post_form(client, f"/people/{bo}/checked-in", {"back": "https://elsewhere.example"})
    assert refused.status_code == 422


def test_the_primary_button_follows_the_action(client: Any, populated: Mutuality) -> None:
    """A thank-you due makes "Thank them" the first-class button; a check-in makes it
    "We were in touch today"."""
    for name in ("Ana", "Bo", "José", "Dana"):
        person = pid(populated, name)
        action = populated.health.for_person(name).health.action
        decision = client.get(f"/people/{person}").text.split('id="decision"')[1]
        thank = re.search(r'<summary class="([^"]*)">Thank them', decision)
        assert thank
        if action in (Action.THANK, Action.APPRECIATE):
            assert thank.group(1) == "button"
        elif action is Action.CHECK_IN:
            assert thank.group(1) == "button secondary"
            assert '<button type="submit" class="" title="Logs a contact' in decision
