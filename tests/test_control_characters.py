"""Control characters in what people type (issue #15): one rule in ``core/fields.py`` cleans
every free-text field on the way in, and the CLI writes whatever a ledger already holds
visibly (``\\u001b``), never raw, on the way out to a terminal."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import open_app
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import update
from typer.testing import CliRunner

from mutuality.cli.main import app as cli
from mutuality.core import fields
from mutuality.core.contacts import (
    Attendee,
    Birthday,
    CalendarMeeting,
    ContactCard,
    ContactDate,
    PostalAddress,
    WebLink,
)
from mutuality.services.ledger import Direction
from mutuality.services.settings import Settings
from mutuality.store.tables import (
    CheckInRow,
    CommitmentRow,
    ExchangeRow,
    IntroductionRow,
    NeedRow,
    PersonRow,
    PersonStateRow,
    RequestRow,
)

PAYLOAD = "\x1b[2J\x07\x1b]0;pwned\x07"
"""Clears the screen, rings the bell and sets the window title in a terminal."""
STRONGER = PAYLOAD + "\x9b31m\x7f\x00\r\u202egnp.exe\u2066x\u2069"
"""C1's one-byte CSI, DEL, NUL, a bare carriage return, a right-to-left override and an isolate."""
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""What must never reach a terminal (tab and line break are text)."""
LEGITIMATE = (
    "First line\nsecond\tline with a tab\n"
    "👩\u200d👩\u200d👧 a family (joined), 🏳️\u200d🌈\n"
    "שלום, מה שלומך?\n"
    "مرحبا بك\n"
    "\u200fa right-to-left mark, accents: ça, ñ, Zoë; CJK 你好; 한국어"
)

runner = CliRunner()


def strings(value: object) -> Iterator[str]:
    """Every string inside ``value``: records, mappings, sequences."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from strings(getattr(value, field.name))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(key)
            yield from strings(item)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from strings(item)


def no_controls(value: object) -> None:
    """No unsafe character in any text ``value`` holds."""
    for text in strings(value):
        found = UNSAFE.search(text)
        assert found is None, f"{found.group()!r} in {text[:300]!r}"


# --- the rule -----------------------------------------------------------------------------------


def test_text_keeps_lines_tabs_emoji_and_every_script() -> None:
    assert fields.clean_text(LEGITIMATE) == LEGITIMATE
    assert fields.clean_text("a\r\nb\rc") == "a\nb\nc"
    assert fields.optional_text(f"  {LEGITIMATE}  ", "note") == LEGITIMATE


def test_text_loses_terminal_controls_and_direction_overrides() -> None:
    assert fields.clean_text(f"Thanks{PAYLOAD}!") == "Thanks[2J]0;pwned!"
    assert fields.clean_text("invoice\u202egnp.exe") == "invoicegnp.exe"
    assert fields.clean_text("a\u2066b\u2069c\u202ad\u202ce") == "abcde"
    assert fields.clean_text("page\x0cbreak\x0bvertical\x85next") == "page break vertical next"
    assert fields.required_text(f"{PAYLOAD} ok", "description") == "[2J]0;pwned ok"


def test_one_line_fields_lose_every_control() -> None:
    assert fields.clean_line(f"Chief\n\t{PAYLOAD}Officer ") == "Chief [2J]0;pwnedOfficer"
    assert fields.optional_line("  \x1b\x07 ", "title") is None
    assert fields.tags(["\x1bclients\x07"]) == ("clients",)
    assert fields.person_name(f"Ana{PAYLOAD} Lima") == "Ana[2J]0;pwned Lima"
    assert fields.person_name("Zoë \u202eLima\u202c") == "Zoë Lima"


def test_joiners_marks_and_right_to_left_letters_stay_in_one_line_fields() -> None:
    for value in ("نور الهدى", "דוד לוי", "👨\u200d💻 Dev", "Ana\u200dLima", "\u200fسارة"):
        assert fields.clean_line(value) == value


def test_an_email_with_a_control_character_is_no_email() -> None:
    with pytest.raises(Exception, match="not an email"):
        fields.email("ana\x1b@example.com")


def test_visible_writes_controls_out() -> None:
    assert fields.visible(PAYLOAD) == "\\u001b[2J\\u0007\\u001b]0;pwned\\u0007"
    assert fields.visible("\u202eevil") == "\\u202eevil"
    assert fields.visible(LEGITIMATE) == LEGITIMATE


SAFE_TEXT = st.text(
    st.characters(
        blacklist_categories=("Cc", "Cs"),
        blacklist_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
    )
    | st.sampled_from("\n\t")
)


@given(st.text())
def test_cleaning_is_idempotent_and_leaves_no_control(value: str) -> None:
    text = fields.clean_text(value)
    assert fields.clean_text(text) == text
    assert UNSAFE.search(text) is None and "\r" not in text
    line = fields.clean_line(value)
    assert fields.clean_line(line) == line
    assert UNSAFE.search(line) is None and not ({"\n", "\t"} & set(line))
    shown = fields.visible(value)
    assert UNSAFE.search(shown) is None and fields.visible(shown) == shown


@given(SAFE_TEXT)
def test_cleaning_leaves_text_without_controls_as_it_is(value: str) -> None:
    assert fields.clean_text(value) == value
    assert fields.visible(value) == value


# --- every way in -------------------------------------------------------------------------------


@pytest.fixture
def ledger(tmp_path: Path):
    with open_app(tmp_path / "controls.db", Settings(owner_name="Sam Reyes")) as opened:
        opened.people.add("Ana Lima")
        opened.people.add("Bo Chen")
        yield opened


def test_people_are_stored_clean(ledger) -> None:
    added = ledger.people.add(
        f"Cy{PAYLOAD} Park",
        organisation=f"Acme{STRONGER}",
        title=f"Chief\n{PAYLOAD}",
        private_note=f"Met at{STRONGER}\nthe fair",
        tags=["vip\x1b\x07"],
    )
    no_controls(ledger.people.get(added.id).person)
    assert ledger.people.get(added.id).person.private_note is not None
    assert "\n" in ledger.people.get(added.id).person.private_note  # type: ignore[operator]


def test_exchanges_touches_and_check_ins_are_stored_clean(ledger) -> None:
    ledger.ledger.log(
        "ana",
        Direction.GAVE,
        kind="time",
        what=f"Coffee{PAYLOAD}",
        outcome=STRONGER,
        private_note=STRONGER,
        tags=["x\x1b\x07"],
    )
    ledger.ledger.touch("ana", private_note=STRONGER)
    ledger.checkins.record(
        "ana", my_better=STRONGER, their_better=STRONGER, note=STRONGER, my_satisfaction=4
    )
    no_controls(ledger.ledger.timeline("ana"))
    no_controls(ledger.checkins.list("ana"))
    no_controls(ledger.backups.snapshot())


def test_requests_needs_states_dates_wishes_and_introductions_are_stored_clean(ledger) -> None:
    request = ledger.requests.ask("ana", f"Review{PAYLOAD}", benefit=3, cost=1)
    ledger.requests.decide(request.id, "negotiate", third_option=STRONGER)
    ledger.needs.add("need", "ana", f"A designer{STRONGER}", tags=["design\x1b"])
    ledger.needs.add("offer", "bo", f"Design reviews{STRONGER}")
    ledger.needs.note_state("ana", "challenge", f"Moving house{STRONGER}")
    ledger.occasions.add("ana", f"Wedding{PAYLOAD}", "2020-06-01")
    link = ledger.checkins.make_link("bo", first_name=f"Sam{PAYLOAD}")
    assert ledger.checkins.link_first_name(link.token) == "Sam[2J]0;pwned"
    ledger.checkins.answer_link(
        link.token, satisfaction=4, better=f"More notice{STRONGER}", equity=0, message=STRONGER
    )
    ledger.wishes.adopt(ledger.checkins.list("bo")[0].id, "commitment", text=f"Call{PAYLOAD}")
    intro = ledger.introductions.propose(
        "ana", "bo", reason=f"Both design{PAYLOAD}", a_gains=STRONGER, b_gains=STRONGER
    )
    ledger.introductions.edit(intro.introduction.id, a_message=f"Hi{STRONGER}")
    ledger.owner.set_name(f"Sam{PAYLOAD} Reyes")
    no_controls(ledger.backups.snapshot())


def test_contact_records_from_files_are_clean() -> None:
    card = ContactCard(
        name=f"Ana{PAYLOAD}",
        organisation=STRONGER,
        title=STRONGER,
        note=f"line one{STRONGER}\r\nline two",
        dates=(ContactDate(f"Anniversary{PAYLOAD}", day=Birthday(month=6, day=1)),),
        addresses=(
            PostalAddress(
                label=PAYLOAD,
                street=f"1 Main St{PAYLOAD}\nFlat 2",
                locality=STRONGER,
                region=STRONGER,
                postcode=STRONGER,
                country=STRONGER,
            ),
        ),
        urls=(WebLink(f"https://example.com/{PAYLOAD}", label=STRONGER),),
    )
    no_controls(card)
    assert card.note == "line one[2J]0;pwned31m\ngnp.exex\nline two"
    assert card.addresses[0].street == "1 Main St[2J]0;pwned\nFlat 2"
    meeting = CalendarMeeting(
        uid="u1",
        recurrence_id="",
        start=datetime(2026, 1, 1, tzinfo=UTC),
        attendees=(Attendee("ana@example.com", name=f"Ana{PAYLOAD}"),),
        organiser="sam@example.com",
        summary=f"Lunch{STRONGER}",
    )
    no_controls(meeting)


def test_a_vcard_and_a_csv_import_store_clean_text(ledger, tmp_path: Path) -> None:
    from mutuality.services.importing.service import ImportOptions

    vcard = tmp_path / "people.vcf"
    vcard.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\n"
        f"FN:Dee{PAYLOAD} Fox\r\nN:Fox;Dee;;;\r\n"
        f"ORG:Fox{PAYLOAD} Ltd\r\nTITLE:CEO{PAYLOAD}\r\n"
        f"NOTE:Note{PAYLOAD}\\nsecond line\r\n"
        f"CATEGORIES:friends{PAYLOAD}\r\n"
        f"ADR;TYPE=home:;;1 High St{PAYLOAD};Town{PAYLOAD};;;\r\n"
        "END:VCARD\r\n",
        encoding="utf-8",
    )
    ledger.imports.run(vcard, ImportOptions(format="vcard"))
    csv = tmp_path / "people.csv"
    csv.write_text(
        f'Name,Organization,Notes\r\n"Eve{PAYLOAD} Moss","Moss{PAYLOAD}","Hello{STRONGER}"\r\n',
        encoding="utf-8",
    )
    ledger.imports.run(csv, ImportOptions(format="csv"))
    no_controls(ledger.backups.snapshot())
    names = {p.name for p in ledger.people.list()}
    assert {"Dee[2J]0;pwned Fox", "Eve[2J]0;pwned Moss"} <= names


# --- on the way out to a terminal ---------------------------------------------------------------


@pytest.fixture
def legacy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A ledger whose rows hold control characters and Rich markup, as one written before
    the rule could: every text column set straight in the database."""
    monkeypatch.setenv("MUTUALITY_CONFIG", str(tmp_path / "no-config.toml"))
    path = tmp_path / "legacy.db"
    with open_app(path, Settings(owner_name="Sam Reyes")) as made:
        made.people.add("Ana Lima", organisation="Acme", private_note="note")
        made.people.add("Bo Chen")
        made.ledger.log("ana", Direction.GAVE, kind="time", what="Coffee", outcome="Met")
        made.ledger.log("bo", Direction.GOT, kind="knowledge", what="Advice")
        made.checkins.record("ana", my_better="b", their_better="t", note="n", my_satisfaction=3)
        request = made.requests.ask("ana", "Review", benefit=3, cost=1)
        made.requests.decide(request.id)
        made.needs.add("need", "ana", "A designer")
        made.needs.add("offer", "bo", "Design reviews")
        made.needs.note_state("ana", "challenge", "Moving")
        made.introductions.propose("ana", "bo", reason="Both design")
        evil = f"[bold red]x[/]{STRONGER}"
        with made.database.write() as session:
            session.execute(
                update(PersonRow)
                .where(PersonRow.name == "Ana Lima")
                .values(name=f"Ana {evil}", organisation=evil, title=evil, private_note=evil)
            )
            session.execute(update(ExchangeRow).values(description=evil, outcome=evil))
            session.execute(
                update(CheckInRow).values(
                    my_better=evil, their_better=evil, private_note=evil, message=evil
                )
            )
            for table in (RequestRow, CommitmentRow, NeedRow, PersonStateRow):
                session.execute(update(table).values(text=evil))  # type: ignore[arg-type]
            session.execute(update(IntroductionRow).values(reason=evil))
    return str(path)


def cli_output(db: str, *args: str) -> str:
    result = runner.invoke(cli, ["--db", db, *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize(
    "args",
    [
        ("checkin", "list", "ana"),
        ("timeline", "ana"),
        ("person", "show", "ana"),
        ("person", "list"),
        ("ask", "list"),
        ("need", "list"),
        ("offer", "list"),
        ("state", "list"),
        ("intro", "list"),
        ("why", "ana"),
        ("balance",),
        ("health",),
        ("next",),
        ("digest",),
    ],
)
def test_stored_controls_never_reach_the_terminal(legacy: str, args: tuple[str, ...]) -> None:
    shown = cli_output(legacy, *args)
    assert UNSAFE.search(shown) is None, repr(shown)


@pytest.mark.parametrize("args", [("checkin", "list", "ana"), ("timeline", "ana")])
def test_stored_controls_are_shown_visibly_and_markup_literally(
    legacy: str, args: tuple[str, ...]
) -> None:
    shown = " ".join(cli_output(legacy, *args).split())
    assert "\\u001b[2J" in shown and "\\u0007" in shown
    assert "[bold red]x[/]" in shown


@pytest.mark.parametrize("args", [("checkin", "list", "ana"), ("timeline", "ana")])
def test_json_output_escapes_every_control(legacy: str, args: tuple[str, ...]) -> None:
    shown = cli_output(legacy, *args, "--format", "json")
    assert UNSAFE.search(shown) is None
    assert any(STRONGER in text for text in strings(json.loads(shown)))  # nothing lost


def test_an_error_message_is_written_visibly(legacy: str) -> None:
    result = runner.invoke(cli, ["--db", legacy, "timeline", f"nobody{PAYLOAD}"])
    assert result.exit_code == 2
    assert UNSAFE.search(result.output) is None
