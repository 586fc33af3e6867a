"""The settings page (``/settings``): your own name, which signs introduction drafts; set
with the form token like every other form, refused values shown on the page."""

from __future__ import annotations

from typing import Any

from conftest import table_counts
from web_helpers import post_form

from mutuality.services.app import Mutuality


def test_the_settings_page_sets_my_name_and_the_drafts_are_signed(
    client: Any, populated: Mutuality
) -> None:
    page = client.get("/settings")
    assert page.status_code == 200 and "Your name is not set yet" in page.text
    assert 'href="/settings"' in client.get("/").text  # in the navigation
    populated.needs.add("need", "ana", "Looking for a UX designer to review our onboarding")
    populated.needs.add("offer", "bo", "Happy to give feedback on user experience")
    intro = populated.introductions.propose("ana", "bo").introduction
    board = client.get("/introductions").text
    assert 'id="unsigned"' in board and "\nMe\n" not in board

    saved = post_form(client, "/settings", {"name": "Carla  Mendes"})
    assert saved.status_code == 303 and saved.headers["location"] == "/settings?saved=1"
    page = client.get("/settings?saved=1").text
    assert "Saved." in page and "signed <strong>Carla</strong> (Carla Mendes)" in page
    assert populated.owner.name().name == "Carla Mendes"
    assert populated.introductions.get(intro.id).a_message.endswith("\n\nCarla")
    assert 'id="unsigned"' not in client.get("/introductions").text


def test_a_refused_name_is_shown_on_the_page_and_nothing_changes(
    client: Any, populated: Mutuality
) -> None:
    before = table_counts(populated)
    refused = post_form(client, "/settings", {"name": "me"})
    assert refused.status_code == 422 and "not a name others would know you by" in refused.text
    assert 'value="me"' in refused.text  # what was typed stays in the form
    taken = post_form(client, "/settings", {"name": "Ana Lima"})
    assert taken.status_code == 409 and "a person in your network is named" in taken.text
    assert table_counts(populated) == before and populated.owner.needs_name()


def test_the_settings_form_needs_its_token_and_a_session(client: Any, populated: Mutuality) -> None:
    forged = client.post("/settings", data={"name": "Mallory"}, follow_redirects=False)
    assert forged.status_code == 403
    client.cookies.clear()
    assert client.get("/settings", follow_redirects=False).status_code in (303, 307)
    assert populated.owner.needs_name()
