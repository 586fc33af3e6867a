"""The settings page (``/settings``): your own name, which signs introduction drafts; set
with the form token like every other form, refused values shown on the page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from conftest import table_counts
from web_helpers import post_form

from mutuality.core.errors import BadFile, Conflict
from mutuality.services.app import Mutuality
from mutuality.services.settings import load_settings
from mutuality.services.settings_file import edit_toml


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


# --- the settings kept in the config file -----------------------------------------------------

CONFIG = """# my mutuality settings
owner_name = "Ana"

[value]
half_life_days = 180  # six months, the long arc

[matching]
tie = 0.4

[email]
starttls = false
"""


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG, encoding="utf-8")
    monkeypatch.setenv("MUTUALITY_CONFIG", str(path))
    return path


def test_the_page_shows_the_settings_the_app_runs_with(client: Any, config: Path) -> None:
    page = client.get("/settings").text
    assert 'name="half_life_days" value="180"' in page
    assert 'name="tolerance" value="0.25"' in page and 'name="email_port" value="587"' in page
    assert 'name="public_url" value=""' in page
    assert str(config) in page
    assert 'type="password"' not in page and "MUTUALITY_SMTP_PASSWORD" in page
    assert "No giving budget is set" in page and 'href="/capacity"' in page


def test_saving_writes_only_the_changed_keys_and_the_app_uses_them_at_once(
    client: Any, populated: Mutuality, config: Path
) -> None:
    populated.capacity.set(6, "hours", "week")
    saved = post_form(
        client,
        "/settings",
        {
            "name": "",
            "public_url": "https://ledger.example.org/",
            "half_life_days": "90",
            "tolerance": "0.25",  # unchanged: not written
            "email_host": "smtp.example.org",
            "email_port": "2525",
            "email_username": "ana",
            "email_sender": "ana@example.org",
            "email_to": "ana@example.org, team@example.org",
        },
    )
    assert saved.status_code == 303 and saved.headers["location"] == "/settings?saved=1"
    text = config.read_text(encoding="utf-8")
    assert text.startswith('# my mutuality settings\nowner_name = "Ana"\n')
    assert "half_life_days = 90  # six months, the long arc" in text
    assert "[matching]\ntie = 0.4" in text and "starttls = false" in text
    assert "tolerance" not in text
    assert 'public_url = "https://ledger.example.org/"' in text  # read without the slash
    assert config.stat().st_mode & 0o777 == 0o600
    loaded = load_settings(config)
    assert loaded.email.port == 2525 and loaded.email.to == "ana@example.org, team@example.org"
    assert loaded.matching.tie == 0.4 and not loaded.email.starttls
    running = client.app.state.mutuality
    assert running.settings.value.half_life_days == 90
    assert running.settings.web.public_url == "https://ledger.example.org"
    assert client.app.state.settings.public_url == "https://ledger.example.org"
    assert running.health.relationships()  # the services run over the same ledger
    page = client.get("/settings?saved=1").text
    assert "Saved." in page and 'name="half_life_days" value="90"' in page
    assert "6 hours a week" in page
    # an emptied field goes back to its default: its key leaves the file
    form = re.findall(r'name="(\w+)" value="([^"]*)"', client.get("/settings").text)
    emptied = {**dict(form), "half_life_days": "", "email_port": ""}
    assert emptied["whole_form"] == "true"  # the page's own form, every field sent
    assert post_form(client, "/settings", emptied).status_code == 303
    text = config.read_text(encoding="utf-8")
    assert "half_life_days" not in text and "port" not in text and "# my mutuality" in text
    assert client.app.state.mutuality.settings.value.half_life_days == 180


def test_refused_settings_are_shown_by_their_fields_and_nothing_is_written(
    client: Any, populated: Mutuality, config: Path
) -> None:
    refused = post_form(
        client,
        "/settings",
        {"half_life_days": "soon", "email_port": "70000.5", "name": "Carla Mendes"},
    )
    assert refused.status_code == 422
    page = refused.text
    assert 'id="e-half_life_days"' in page and "is not a number" in page
    assert 'id="e-email_port"' in page and "whole number" in page
    assert 'name="half_life_days" value="soon"' in page  # what was typed stays
    assert page.count('aria-invalid="true"') == 2
    assert page.count("autofocus") == 1  # the first field to fix takes the focus
    assert re.search(r'name="half_life_days"[^>]*aria-invalid="true" autofocus', page)
    assert config.read_text(encoding="utf-8") == CONFIG and populated.owner.needs_name()
    for form, field, words in (
        ({"tolerance": "1.5"}, "tolerance", "tolerance must be at least 0 and below 1"),
        ({"half_life_days": "0"}, "half_life_days", "half-life must be between 1 and 36500"),
        ({"public_url": "ledger.example.org"}, "public_url", "is no web address"),
        ({"email_sender": "not an address"}, "email_sender", "not an address"),
        ({"email_port": "0"}, "email_port", "port must be 1 to 65535"),
    ):
        answer = post_form(client, "/settings", form)
        assert answer.status_code == 422, form
        assert f'id="e-{field}"' in answer.text and words in answer.text, form
        assert config.read_text(encoding="utf-8") == CONFIG
    assert client.app.state.mutuality.settings.value.tolerance == 0.25


def test_a_file_laid_out_inline_is_refused_not_rewritten(
    client: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "inline.toml"
    inline = "value = { half_life_days = 120 }\n"
    path.write_text(inline, encoding="utf-8")
    monkeypatch.setenv("MUTUALITY_CONFIG", str(path))
    answer = post_form(client, "/settings", {"tolerance": "0.3"})
    assert answer.status_code == 409 and "change it by hand" in answer.text
    assert path.read_text(encoding="utf-8") == inline


def test_a_new_config_file_is_made_private_and_a_name_alone_writes_none(
    client: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "fresh" / "config.toml"
    monkeypatch.setenv("MUTUALITY_CONFIG", str(path))
    assert post_form(client, "/settings", {"name": "Carla Mendes"}).status_code == 303
    assert not path.exists()
    assert post_form(client, "/settings", {"tolerance": "0.3"}).status_code == 303
    assert path.read_text(encoding="utf-8") == "[value]\ntolerance = 0.3\n"
    assert path.stat().st_mode & 0o777 == 0o600


def test_the_public_url_in_the_config_file_is_checked_when_it_loads(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[web]\npublic_url = "https://ledger.example.org/"\n', encoding="utf-8")
    assert load_settings(path).web.public_url == "https://ledger.example.org"
    path.write_text('[web]\npublic_url = "ftp://files"\n', encoding="utf-8")
    with pytest.raises(BadFile) as refused:
        load_settings(path)
    assert refused.value.field == "web.public_url" and refused.value.location == str(path)


def test_the_config_file_editor_keeps_what_it_does_not_change() -> None:
    text = (
        '# top\nowner_name = "Ana"  # me\n\n[value]\ntolerance = 0.2 # tight\n# end\n[[x]]\na = 1\n'
    )
    edited = edit_toml(
        text,
        {
            ("value", "tolerance"): 0.3,
            ("value", "half_life_days"): 60.0,
            ("", "owner_name"): 'Ana "A" Lima',
            ("email", "host"): "smtp.example.org",
            ("email", "port"): None,
        },
    )
    assert edited == (
        '# top\nowner_name = "Ana \\"A\\" Lima"  # me\n\n[value]\ntolerance = 0.3 # tight\n'
        '# end\nhalf_life_days = 60\n[[x]]\na = 1\n\n[email]\nhost = "smtp.example.org"\n'
    )
    assert edit_toml("", {}) == ""
    with pytest.raises(Conflict):
        edit_toml('[email]\nhost = """\nsmtp\n"""\n', {("email", "host"): "x"})


def test_serve_links_use_the_configured_address_unless_given_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The address saved on this page is the one ``serve`` starts with next time (and
    records for check-in links made on the command line); ``--public-url`` still wins."""
    from typer.testing import CliRunner

    from mutuality.cli import serve as serve_module
    from mutuality.cli.main import app as cli
    from mutuality.web.links import served_base

    started: list[Any] = []
    listen = serve_module.listen
    monkeypatch.setattr(serve_module, "listen", lambda host, _port: listen(host, 0))
    monkeypatch.setattr(serve_module, "run_server", lambda s, _a, _k: started.append(s))
    config = tmp_path / "config.toml"
    config.write_text('[web]\npublic_url = "https://ledger.example.org/"\n', encoding="utf-8")
    monkeypatch.setenv("MUTUALITY_CONFIG", str(config))
    monkeypatch.delenv("MUTUALITY_PUBLIC_URL", raising=False)
    db = tmp_path / "web.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "serve", "--no-demo"])
    assert result.exit_code == 0, result.output
    assert started[-1].public_url == "https://ledger.example.org"
    assert served_base(db) == "https://ledger.example.org"
    flagged = CliRunner().invoke(
        cli, ["--db", str(db), "serve", "--no-demo", "--public-url", "http://laptop.lan:8765"]
    )
    assert flagged.exit_code == 0, flagged.output
    assert started[-1].public_url == "http://laptop.lan:8765"
