"""The shareable portfolio: only what was marked shareable, in public words, never a private
field; escaped for HTML and Markdown; written as a folder all at once
(services/introductions/portfolio.py, formats/portfolio.py, store/files.py)."""

from __future__ import annotations

import json
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import open_app
from sqlalchemy import String, Text, text, update
from typer.testing import CliRunner

from mutuality.cli.main import app as cli
from mutuality.core.errors import Conflict, StorageError
from mutuality.core.portfolio import first_name, public_name, public_words
from mutuality.services.app import Mutuality
from mutuality.services.ledger import Direction
from mutuality.services.people import PersonChanges
from mutuality.store import files as files_module
from mutuality.store.tables import Base

CANARY = "zqxcanary"

CODED = {
    "accounts": {"password_hash"},
    "capacities": {"unit", "period", "boundaries"},
    "checkins": {"kind", "source", "wish_state"},
    "checkin_links": {"token_hash"},
    "commitments": {"direction", "kind", "status"},
    "exchanges": {"kind", "estimated_by", "initiated_by"},
    "imported_events": {"recurrence"},
    "introduction_steps": {"step"},
    "introductions": {"status", "a_consent", "b_consent"},
    "login_links": {"token_hash"},
    "needs": {"source", "status"},
    "offers": {"source", "status"},
    "person_photos": {"media_type"},
    "person_states": {"kind"},
    "relationships": {"context", "intent"},
    "requests": {"direction", "kind", "proposal", "decision", "status"},
    "text_embeddings": {"model", "text_hash"},
    "touches": {"initiated_by", "channel"},
    "web_sessions": {"token_hash"},
}
"""Columns that hold codes the program reads back (kinds, states, hashes), not words anyone
wrote; every other text column is free text and gets a canary."""

EMPTY_ALLOWED = {
    "accounts",
    "web_sessions",
    "login_links",
    "imported_events",
    "text_embeddings",
    "person_photos",
    "match_runs",
    "match_run_shards",
    "match_run_matches",
}
"""Tables with no free text a portfolio could show, left empty here (saved match runs hold
ids, scores and codes only)."""


def populate(app: Mutuality) -> dict[str, Any]:
    """A ledger touching every table with free text, with some things shared."""
    app.people.add(
        "Ana Lima",
        emails=("ana@example.org",),
        phones=("+351 912 345 678",),
        tags=("design",),
        organisation="Studio Lima",
        title="Designer",
        private_note="note",
    )
    app.people.add("Bo Chen", organisation="Chen & Co", private_note="note", tags=("ops",))
    app.people.add("Cy Dorn", private_note="note")
    given = app.ledger.log(
        "ana",
        Direction.GAVE,
        kind="knowledge",
        what="Reviewed her pitch deck",
        on="2026-10-01",
        outcome="She closed the round",
        private_note="note",
        tags=("design",),
        share=True,
    )
    received = app.ledger.log(
        "bo",
        Direction.GOT,
        kind="feedback",
        what="Read my draft",
        on="2026-10-05",
        outcome="A clearer essay",
        private_note="note",
        share_as="Sharp notes on my essay",
    )
    app.ledger.log(
        "cy",
        Direction.GAVE,
        kind="time",
        what="Helped move",
        on="2026-10-07",
        outcome="Moved",
        private_note="note",
    )
    app.ledger.touch("cy", channel="call", private_note="note", on="2026-10-08")
    intro = app.introductions.propose(
        "ana", "bo", reason="both in fintech", a_gains="a", b_gains="b"
    ).introduction
    app.introductions.edit(intro.id, a_message="hi a", b_message="hi b", intro_message="hi")
    for person in ("ana", "bo"):
        app.introductions.ask(intro.id, person)
        app.introductions.answer(intro.id, person, yes=True, note="note")
    app.introductions.make(intro.id, on="2026-10-10")
    app.introductions.log_outcome(intro.id, "They built a product together", share=True)
    other = app.introductions.propose("bo", "cy", reason="neighbours").introduction
    app.introductions.withdraw(other.id, note="note")
    app.needs.add("need", "cy", "a new flat", tags=("housing",))
    app.needs.add("offer", "bo", "spare desk", tags=("space",))
    app.needs.note_state("cy", "challenge", "a hard month")
    app.occasions.add("ana", "Wedding anniversary", "2016-06-04")
    app.people.edit("bo", PersonChanges(intent="mentoring", intent_reason="why I mentor"))
    app.checkins.record(
        "ana",
        my_satisfaction=4,
        their_satisfaction=3,
        my_better="more calls",
        their_better="less chat",
        note="note",
        on="2026-10-12",
    )
    app.checkins.make_link("bo")
    yes = app.requests.ask("cy", "help with boxes", benefit=3, cost=2)
    app.requests.decide(yes.id, "yes", due="2026-12-01")
    no = app.requests.ask("bo", "lend the van", benefit=2, cost=5)
    app.requests.decide(no.id, "no", third_option="ask Ana")
    app.capacity.set(10, unit="points", period="week")
    app.sharing.share("person", "ana")
    with tempfile.TemporaryDirectory() as folder:  # an import, recorded: it merges into Ana
        card = Path(folder) / "contacts.vcf"
        card.write_text(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Lima\r\nEMAIL:ana@example.org\r\n"
            "TEL:+351 210 000 000\r\nEND:VCARD\r\n",
            encoding="utf-8",
        )
        app.imports.run(card)
    with app.database.write() as session:
        session.execute(
            text(
                "INSERT INTO person_addresses (person_id, label, street, locality, region, "
                "postcode, country, position) VALUES (2, 'home', 's', 'l', 'r', 'p', 'c', 0)"
            )
        )
        session.execute(
            text(
                "INSERT INTO person_urls (person_id, url, label, position) VALUES (2, 'u', 'l', 0)"
            )
        )
    return {"given": given.id, "received": received.id, "intro": intro.id}


def plant_canaries(app: Mutuality, shared: dict[str, Any]) -> None:
    """A canary in every free-text column of every row, except the words the portfolio may
    show: the shared exchange's what and outcome, the shared introduction's outcome, the
    wording, the owner's name and the name of the person marked fine to name."""
    keep = {
        "exchanges": {"description", "outcome"},
        "introductions": {"outcome"},
        "shares": {"wording"},
        "people": {"name"},
    }
    kept_rows = {
        "exchanges": [shared["given"]],
        "introductions": [shared["intro"]],
        "people": [1, 2],
    }
    with app.database.write() as session:
        for table in Base.metadata.sorted_tables:
            count = session.execute(text(f"SELECT count(*) FROM {table.name}")).scalar()
            if table.name not in EMPTY_ALLOWED:
                assert count, f"populate() leaves {table.name} empty: give it a row"
            for column in table.columns:
                if not isinstance(column.type, String | Text) or column.primary_key:
                    continue
                if column.name in CODED.get(table.name, set()):
                    continue
                value = CANARY if column.name != "name" else f"Pal {CANARY}"
                query = update(table).values({column.name: value})
                if column.name in keep.get(table.name, set()):
                    if table.name not in kept_rows:
                        continue
                    query = query.where(table.c.id.not_in(kept_rows.get(table.name, [])))
                session.execute(query)
        for table, column in (("person_tags", "tag"), ("exchange_tags", "tag")):
            session.execute(text(f"UPDATE {table} SET {column} = '{CANARY}' || rowid"))


def outputs(folder: Path) -> dict[str, str]:
    return {
        name: (folder / name).read_text(encoding="utf-8")
        for name in sorted(p.name for p in folder.iterdir())
    }


def test_no_private_field_reaches_any_format(app, tmp_path) -> None:
    shared = populate(app)
    plant_canaries(app, shared)
    result = CliRunner().invoke(
        cli, ["--db", str(app.database.path), "portfolio", "--out", str(tmp_path / "p")]
    )
    assert result.exit_code == 0, result.output
    written = outputs(tmp_path / "p")
    assert set(written) == {"index.html", "portfolio.md", "portfolio.json"}
    for name, body in written.items():
        assert CANARY not in body.lower(), name
        assert "Reviewed her pitch deck" in body and "She closed the round" in body
        assert "Sharp notes on my essay" in body
        assert "They built a product together" in body
        assert "Ana Lima" in body and "Pal" in body
    document = json.loads(written["portfolio.json"])
    assert [h["to"] for h in document["given"]] == ["Ana Lima"]
    assert document["received"][0] == {
        "from": "Pal",
        "kind": "feedback",
        "on": "2026-10-05",
        "text": "Sharp notes on my essay",
        "outcome": None,
    }
    assert document["introductions"] == [
        {
            "on": "2026-10-10",
            "a": "Ana Lima",
            "b": "Pal",
            "text": None,
            "outcome": "They built a product together",
        }
    ]


def test_only_shared_things_appear(app) -> None:
    shared = populate(app)
    built = app.portfolio.build()
    assert [h.text for h in built.given] == ["Reviewed her pitch deck"]
    assert [h.text for h in built.received] == ["Sharp notes on my essay"]
    assert "Helped move" not in str(built)
    assert app.sharing.unshare("exchange", shared["given"])
    assert app.portfolio.build().given == ()


def test_others_appear_by_first_name_unless_marked(app) -> None:
    populate(app)
    assert app.portfolio.build().received[0].person == "Bo"
    app.sharing.share("person", "bo", "Bo C., ops lead")
    assert app.portfolio.build().received[0].person == "Bo C., ops lead"
    app.sharing.unshare("person", "ana")
    assert app.portfolio.build().given[0].person == "Ana"


def test_owner_name_titles_the_page(app, tmp_path) -> None:
    populate(app)
    app.portfolio.write(tmp_path / "p")
    files = outputs(tmp_path / "p")
    # No name set yet: the page is not titled with the placeholder "Me".
    assert "<title>Collaborative outcomes</title>" in files["index.html"]
    assert json.loads(files["portfolio.json"])["owner"] is None
    app.owner.set_name("Carla Mendes")
    app.portfolio.write(tmp_path / "p")
    files = outputs(tmp_path / "p")
    assert "<title>Carla Mendes: collaborative outcomes</title>" in files["index.html"]
    assert files["portfolio.md"].startswith("# Carla Mendes: collaborative outcomes")


def test_public_rules() -> None:
    assert first_name("  Ana  Lima ") == "Ana"
    assert public_name("Ana Lima", False, "Dr Ana") == "Ana"
    assert public_name("Ana Lima", True, None) == "Ana Lima"
    assert public_name("Ana Lima", True, "Dr Ana") == "Dr Ana"
    assert public_words("said", "what", "outcome") == ("said", None)
    assert public_words(None, "what", "outcome") == ("what", "outcome")


def page_parts(page: str) -> tuple[set[str], set[str]]:
    """The tags and attribute names a page really has (escaped text is not markup)."""
    tags: set[str] = set()
    attributes: set[str] = set()

    class Parser(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            tags.add(tag)
            attributes.update(name for name, _ in attrs)

    Parser().feed(page)
    return tags, attributes


def test_markup_in_any_text_is_escaped(app, tmp_path) -> None:
    app.people.add("Eve <img src=x onerror=alert(1)>")
    app.ledger.log(
        "eve",
        Direction.GAVE,
        kind="time",
        what="<script>alert('x')</script> & [a](http://e.x)",
        outcome="**bold** <b>",
        share=True,
    )
    app.sharing.share("person", "eve")
    app.portfolio.write(tmp_path / "p")
    written = outputs(tmp_path / "p")
    page = written["index.html"]
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp;" in page
    assert page_parts(page) == (
        {"html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "ul", "li", "span"},
        {"lang", "charset", "name", "content", "class"},
    )
    style = page[page.index("<style>") : page.index("</style>")]
    assert "url(" not in style and "@import" not in style
    markdown = written["portfolio.md"]
    assert "\\<script\\>" in markdown and "<script" not in markdown.replace("\\<script", "")
    assert "\\[a\\](http://e.x)" in markdown and "\\*\\*bold\\*\\*" in markdown
    assert json.loads(written["portfolio.json"])["given"][0]["outcome"] == "**bold** <b>"


def test_an_empty_portfolio_says_so(app, tmp_path) -> None:
    result = CliRunner().invoke(
        cli, ["--db", str(app.database.path), "portfolio", "-o", str(tmp_path / "p")]
    )
    assert result.exit_code == 0
    assert "nothing is shared yet" in result.output
    assert "Nothing shared yet." in outputs(tmp_path / "p")["portfolio.md"]


# --- writing the folder -------------------------------------------------------------------------


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


def test_a_failure_midway_leaves_nothing(app, tmp_path, monkeypatch) -> None:
    populate(app)
    calls: list[Path] = []
    real = files_module.write_synced

    def fail_second(path: Path, body: str) -> None:
        calls.append(path)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real(path, body)

    monkeypatch.setattr(files_module, "write_synced", fail_second)
    with pytest.raises(StorageError, match="No space left"):
        app.portfolio.write(tmp_path / "p")
    assert not (tmp_path / "p").exists()
    assert leftovers(tmp_path) == []


def test_a_failure_keeps_the_older_portfolio(app, tmp_path, monkeypatch) -> None:
    populate(app)
    app.portfolio.write(tmp_path / "p")
    before = outputs(tmp_path / "p")
    app.sharing.unshare("exchange", 1)

    def fail(path: Path, body: str) -> None:
        raise OSError(5, "I/O error")

    monkeypatch.setattr(files_module, "write_synced", fail)
    with pytest.raises(StorageError):
        app.portfolio.write(tmp_path / "p")
    assert outputs(tmp_path / "p") == before
    assert leftovers(tmp_path) == []


def test_an_older_portfolio_is_replaced(app, tmp_path) -> None:
    populate(app)
    app.portfolio.write(tmp_path / "p")
    app.sharing.unshare("exchange", 1)
    app.portfolio.write(tmp_path / "p")
    assert "Reviewed her pitch deck" not in outputs(tmp_path / "p")["index.html"]
    assert leftovers(tmp_path) == []


def test_an_empty_folder_is_used(app, tmp_path) -> None:
    (tmp_path / "p").mkdir()
    app.portfolio.write(tmp_path / "p")
    assert (tmp_path / "p" / "index.html").is_file()


@pytest.mark.parametrize(
    "prepare",
    [
        lambda p: (p.mkdir(), (p / "thesis.tex").write_text("mine")),
        lambda p: (p.mkdir(), (p / "portfolio.json").write_text('{"format": "other"}')),
        lambda p: (p.mkdir(), (p / "portfolio.json").write_text("not json")),
    ],
)
def test_a_folder_that_is_not_a_portfolio_is_refused(app, tmp_path, prepare) -> None:
    folder = tmp_path / "p"
    prepare(folder)
    before = outputs(folder)
    with pytest.raises(Conflict, match="holds other files"):
        app.portfolio.write(folder)
    assert outputs(folder) == before


def test_a_file_or_missing_parent_is_refused(app, tmp_path) -> None:
    (tmp_path / "f").write_text("x")
    with pytest.raises(Conflict, match="is a file"):
        app.portfolio.write(tmp_path / "f")
    with pytest.raises(StorageError, match="does not exist"):
        app.portfolio.write(tmp_path / "missing" / "p")


def test_the_cli_refuses_a_foreign_folder_with_one_line(tmp_path) -> None:
    with open_app(tmp_path / "t.db"):
        pass
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "notes.txt").write_text("mine")
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "t.db"), "portfolio", "--out", str(tmp_path / "p")]
    )
    assert result.exit_code == 2
    assert "holds other files" in result.output
