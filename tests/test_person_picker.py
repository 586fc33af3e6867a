"""The person picker and the command palette: whom a typed name will match, asked before
saving (``GET /api/people/suggest``, the rule the forms follow when saved), the exact name a
choice fills in, a person added inline, and both in a real browser (Debian's Chromium)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from web_helpers import post_form

from mutuality.core.names import initials
from mutuality.services.app import Mutuality
from mutuality.web.tour import chromium, launched_browser, serving, sign_in


def suggest(client: Any, text: str, **params: Any) -> dict[str, Any]:
    answer = client.get("/api/people/suggest", params={"q": text, **params})
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


@pytest.fixture
def two_anas(populated: Mutuality) -> Mutuality:
    """The populated ledger (Ana Lima at Studio Lima) with a second Ana."""
    populated.people.add("Ana Souza", organisation="Casa Souza", private_note="owes me a call")
    return populated


SERIOUS = {"serious", "critical"}


# --- initials -----------------------------------------------------------------------------------


def test_initials_take_the_first_and_last_word_and_any_script() -> None:
    assert initials("Ana Lima") == "AL"
    assert initials("josé de la Álvarez") == "JÁ"
    assert initials("Ana Lima (Lisbon)") == "AL"
    assert initials("王小明") == "王"
    assert initials("Cher") == "C"
    assert initials("🙂") == "🙂"


# --- the suggestions ----------------------------------------------------------------------------


def test_one_match_names_the_person_with_initials_and_organisation(
    client: Any, populated: Mutuality
) -> None:
    found = suggest(client, "ana l")
    assert found["verdict"] == "one"
    assert found["total"] == 1
    (ana,) = found["people"]
    assert ana["name"] == "Ana Lima"
    assert ana["initials"] == "AL"
    assert ana["organisation"] == "Studio Lima"
    assert ana["id"] == populated.people.get("Ana Lima").person.id
    assert found["message"] == "Will match: Ana Lima (Studio Lima)"


def test_a_shared_first_name_offers_the_choice_the_form_would_refuse(
    client: Any, two_anas: Mutuality
) -> None:
    found = suggest(client, "ana")
    assert found["verdict"] == "several"
    assert [p["name"] for p in found["people"]] == ["Ana Lima", "Ana Souza"]
    assert [p["organisation"] for p in found["people"]] == ["Studio Lima", "Casa Souza"]
    assert found["message"] == "2 people match: choose one"
    # the same text saved in the log form is refused for the same reason
    refused = post_form(client, "/log", {"person": "ana", "description": "tea", "kind": "time"})
    assert refused.status_code == 409
    assert "Ana Lima" in refused.text and "Ana Souza" in refused.text


def test_names_that_start_with_the_text_come_first(client: Any, two_anas: Mutuality) -> None:
    two_anas.people.add("Mariana Costa")
    two_anas.people.add("Bo Anand")
    found = suggest(client, "an")
    assert found["verdict"] == "several"
    names = [p["name"] for p in found["people"]]
    assert names[:2] == ["Ana Lima", "Ana Souza"]
    assert set(names[2:]) == {"Bo Anand"}  # "Mariana" holds "an" but no word starts with it


def test_many_matches_say_how_many_and_show_the_first(client: Any, app: Mutuality) -> None:
    for n in range(12):
        app.people.add(f"Sam Person {n:02}")
    found = suggest(client, "sam")
    assert found["verdict"] == "several"
    assert found["total"] == 12
    assert len(found["people"]) == 8
    assert found["message"] == "12 people match: choose one, or type more of the name"


def test_no_match_offers_to_add_the_person(client: Any) -> None:
    found = suggest(client, "  Zoë Quartz ")
    assert found == {
        "query": "Zoë Quartz",
        "verdict": "none",
        "message": "No one yet: add Zoë Quartz as a new person",
        "total": 0,
        "people": [],
    }


def test_the_name_offered_is_the_name_as_it_would_be_kept(client: Any) -> None:
    found = suggest(client, "Zoë\t  Quartz\u200b")
    assert found["query"] == "Zoë Quartz"
    assert found["message"] == "No one yet: add Zoë Quartz as a new person"


def test_nothing_typed_suggests_nothing(client: Any) -> None:
    assert suggest(client, " ")["verdict"] == "empty"
    assert suggest(client, " ")["people"] == []


def test_an_email_and_a_close_spelling_match_as_they_do_when_saved(
    client: Any, populated: Mutuality
) -> None:
    populated.people.add("Rafaela Mendes", emails=("rafa@example.org",))
    assert [p["name"] for p in suggest(client, "rafa@example.org")["people"]] == ["Rafaela Mendes"]
    close = suggest(client, "Jose Alvares")
    assert close["verdict"] == "one"
    assert close["people"][0]["name"] == "José Álvarez"


def test_me_means_you_only_where_the_form_takes_it(client: Any) -> None:
    assert suggest(client, "me", me="true")["verdict"] == "you"
    assert suggest(client, "Me", me="true")["message"] == "Will match: you"
    assert suggest(client, "me")["verdict"] != "you"


def test_a_private_note_never_appears_in_suggestions(client: Any, two_anas: Mutuality) -> None:
    for text in ("ana", "Ana Souza", "souza", "Ana Lima", "lima"):
        answer = client.get("/api/people/suggest", params={"q": text})
        assert answer.json()["people"], text
        assert "owes me a call" not in answer.text
        assert "prefers mornings" not in answer.text
        for person in answer.json()["people"]:
            assert set(person) == {"id", "name", "organisation", "initials"}
    # a note's words match no one: names are what a form matches
    for text in ("owes me", "prefers mornings"):
        assert suggest(client, text)["people"] == []


def test_suggestions_need_a_signed_in_account(anonymous: Any) -> None:
    answer = anonymous.get("/api/people/suggest", params={"q": "ana"})
    assert answer.status_code == 401


# --- the forms take the exact name a choice fills in ----------------------------------------------


def test_the_exact_name_a_choice_fills_in_logs_for_that_person(
    client: Any, two_anas: Mutuality
) -> None:
    souza = two_anas.people.get("Ana Souza").person.id
    saved = post_form(
        client,
        "/log",
        {"person": "Ana Souza", "description": "lent a ladder", "kind": "time"},
    )
    assert saved.status_code == 303
    assert saved.headers["location"].startswith(f"/people/{souza}?logged=")
    assert [e.exchange.description for e in two_anas.ledger.timeline(souza).entries] == [
        "lent a ladder"
    ]


def test_a_person_added_inline_is_then_matched_exactly(client: Any, app: Mutuality) -> None:
    assert suggest(client, "Zoë Quartz")["verdict"] == "none"
    added = client.post("/api/people", json={"name": "Zoë Quartz"})
    assert added.status_code == 201
    found = suggest(client, "Zoë Quartz")
    assert found["verdict"] == "one"
    assert found["people"][0]["id"] == added.json()["id"]


# --- in a real browser ------------------------------------------------------------------------

browser_only = pytest.mark.skipif(
    chromium() is None, reason="Debian's chromium is not installed (apt-get install chromium)"
)


@pytest.fixture
def signed_in(two_anas: Mutuality) -> Iterator[tuple[Any, str, list[str]]]:
    """A signed-in Chromium page over the ledger with two Anas, its base URL and the
    errors its console reports."""
    pytest.importorskip("playwright.sync_api")
    with serving(two_anas) as base, launched_browser() as browser:
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        page = sign_in(context, base, two_anas)
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        try:
            yield page, base, errors
        finally:
            context.close()


@browser_only
def test_choose_the_second_ana_with_the_keyboard_and_log_for_her(
    signed_in: tuple[Any, str, list[str]], two_anas: Mutuality
) -> None:
    page, base, errors = signed_in
    souza = two_anas.people.get("Ana Souza").person.id
    page.goto(f"{base}/log")
    who = page.locator("input[name=person]")
    assert who.get_attribute("role") == "combobox"
    who.press_sequentially("ana")
    options = page.locator("#" + who.get_attribute("aria-controls") + " [role=option]")
    options.first.wait_for()
    assert who.get_attribute("aria-expanded") == "true"
    assert options.nth(0).inner_text().split("\n")[:3] == ["AL", "Ana Lima", "Studio Lima"]
    assert options.nth(1).inner_text().split("\n")[:3] == ["AS", "Ana Souza", "Casa Souza"]
    assert page.locator(".picker-verdict").inner_text() == "2 people match: choose one"
    assert "2 people match" in page.locator("#picker-announce").inner_text()
    who.press("ArrowDown")
    who.press("ArrowDown")
    assert who.get_attribute("aria-activedescendant") == options.nth(1).get_attribute("id")
    who.press("Enter")
    assert who.input_value() == "Ana Souza"
    assert who.get_attribute("aria-expanded") == "false"
    assert page.locator(".picker-verdict").inner_text() == "Will match: Ana Souza (Casa Souza)"
    page.fill("input[name=description]", "lent a ladder")
    page.click("form.exchange button[type=submit]")
    page.wait_for_url(f"{base}/people/{souza}?logged=*")
    assert [e.exchange.description for e in two_anas.ledger.timeline(souza).entries] == [
        "lent a ladder"
    ]
    assert errors == []


@browser_only
def test_escape_closes_the_suggestions_and_a_new_name_is_added_inline(
    signed_in: tuple[Any, str, list[str]], two_anas: Mutuality
) -> None:
    page, base, errors = signed_in
    page.goto(f"{base}/requests")
    who = page.locator("input[name=person][data-person-picker]")
    who.press_sequentially("Zoë Quartz")
    page.locator(".picker-verdict", has_text="No one yet").wait_for()
    assert who.get_attribute("aria-expanded") == "true"
    who.press("Escape")
    assert who.get_attribute("aria-expanded") == "false"
    who.press("ArrowDown")  # opens the list again
    who.press("ArrowDown")  # the one choice: add them
    who.press("Enter")
    page.locator(".picker-verdict", has_text="Added Zoë Quartz").wait_for()
    assert two_anas.people.get("Zoë Quartz").person.name == "Zoë Quartz"
    assert who.input_value() == "Zoë Quartz"
    assert errors == []


@browser_only
def test_ctrl_k_then_net_and_enter_goes_to_the_network(
    signed_in: tuple[Any, str, list[str]],
) -> None:
    page, base, errors = signed_in
    page.goto(f"{base}/people")
    page.keyboard.press("Control+k")
    dialog = page.locator("dialog.palette")
    dialog.wait_for()
    assert page.evaluate("document.activeElement.id") == "palette-input"
    page.keyboard.type("net")
    first = dialog.locator("[role=option]").first
    assert first.inner_text().strip().endswith("Network")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/network")
    assert errors == []


@browser_only
def test_the_palette_finds_a_person_traps_the_focus_and_gives_it_back(
    signed_in: tuple[Any, str, list[str]], two_anas: Mutuality
) -> None:
    page, base, errors = signed_in
    lima = two_anas.people.get("Ana Lima").person.id
    page.goto(f"{base}/")
    opener = page.locator("header.top .palette-open")
    opener.click()
    dialog = page.locator("dialog.palette")
    dialog.wait_for()
    for _ in range(3):  # Tab stays inside the dialog
        page.keyboard.press("Tab")
        assert page.evaluate("!!document.activeElement.closest('dialog.palette')")
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('palette-open')")
    opener.click()
    page.keyboard.type("ana lima")
    dialog.locator("[role=option]", has_text="Studio Lima").wait_for()
    # no page is named by "ana lima": the person is the first choice
    assert "Ana Lima" in dialog.locator("[aria-selected=true]").inner_text()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/people/{lima}")
    assert errors == []


@browser_only
def test_without_the_scripts_the_field_is_plain_text(two_anas: Mutuality) -> None:
    pytest.importorskip("playwright.sync_api")
    with serving(two_anas) as base, launched_browser() as browser:
        context = browser.new_context(java_script_enabled=False)
        try:
            page = sign_in(context, base, two_anas)
            page.goto(f"{base}/log")
            who = page.locator("input[name=person]")
            assert who.get_attribute("role") is None
            who.fill("Ana Souza")
            page.fill("input[name=description]", "walked the dog")
            page.click("form.exchange button[type=submit]")
            souza = two_anas.people.get("Ana Souza").person.id
            page.wait_for_url(f"{base}/people/{souza}?logged=*")
        finally:
            context.close()


@browser_only
@pytest.mark.parametrize("width", [1366, 390])
def test_an_open_picker_and_an_open_palette_pass_axe_and_fit_the_screen(
    two_anas: Mutuality, width: int, tmp_path: Path
) -> None:
    """axe-core finds no serious or critical fault with the picker's list or the palette
    open, at a desktop's and a phone's width; neither reaches past the screen's edge.
    Screenshots of both are left in ``tmp_path`` to look at."""
    axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe()
    with serving(two_anas) as base, launched_browser() as browser:
        context = browser.new_context(viewport={"width": width, "height": 844})
        try:
            page = sign_in(context, base, two_anas)
            page.goto(f"{base}/log")
            page.locator("input[name=person]").press_sequentially("an")
            page.locator(".picker-panel:not([hidden]) [role=option]").first.wait_for()
            page.keyboard.press("ArrowDown")
            page.screenshot(path=str(tmp_path / f"picker-{width}.png"))
            assert serious(axe, page) == []
            assert fits(page, ".picker-panel")
            page.keyboard.press("Control+k")
            page.keyboard.type("a")
            page.locator("dialog.palette [role=option]").first.wait_for()
            page.screenshot(path=str(tmp_path / f"palette-{width}.png"))
            assert serious(axe, page) == []
            assert fits(page, "dialog.palette")
            page.keyboard.type("qqq")
            page.locator(".palette-empty", has_text="Nothing matches").wait_for()
            assert serious(axe, page) == []
        finally:
            context.close()


def serious(axe: Any, page: Any) -> list[str]:
    found = axe.run(page).response["violations"]
    return [f"{v['id']}: {v['nodes'][0]['target']}" for v in found if v["impact"] in SERIOUS]


def fits(page: Any, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    width = page.evaluate("document.documentElement.clientWidth")
    return bool(box) and box["x"] >= 0 and box["x"] + box["width"] <= width
