"""Birthdays and important dates: the core's next occurrence (29 February, the turn of the
year, ages), `person --birthday`, `date add|list|remove|upcoming`, vCard anniversaries in
and out, the week ahead in `agenda`, `next`, the dashboard and a person's page, and the
backup keeping them."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, open_app, table_counts
from importing_helpers import REAL, needs_real
from typer.testing import CliRunner

from mutuality.cli.main import app as cli
from mutuality.core.contacts import Birthday, ContactCard, ContactDate
from mutuality.core.errors import BadFile, InvalidInput, NotFound
from mutuality.core.occasions import (
    NO_YEAR,
    ImportantDate,
    OccasionKind,
    next_occurrence,
    parse_birthday,
    parse_day,
    upcoming,
    when_words,
)
from mutuality.formats.vcard import read_vcards, write_vcard
from mutuality.services.app import Mutuality
from mutuality.services.importing.service import ImportOptions
from mutuality.services.people import PersonChanges

runner = CliRunner()

# --- the core -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "day", "after", "expected"),
    [
        (4, 15, date(2026, 4, 15), date(2026, 4, 15)),  # today counts
        (4, 15, date(2026, 4, 16), date(2027, 4, 15)),
        (1, 2, date(2026, 12, 28), date(2027, 1, 2)),  # across the new year
        (12, 31, date(2026, 12, 28), date(2026, 12, 31)),
        (2, 29, date(2027, 1, 10), date(2027, 2, 28)),  # no 29th: the 28th
        (2, 29, date(2027, 2, 28), date(2027, 2, 28)),
        (2, 29, date(2027, 3, 1), date(2028, 2, 29)),  # a leap year keeps its 29th
        (2, 29, date(2028, 2, 1), date(2028, 2, 29)),
    ],
)
def test_next_occurrence(month: int, day: int, after: date, expected: date) -> None:
    assert next_occurrence(month, day, after) == expected


def test_upcoming_wraps_the_year_and_says_ages_and_years() -> None:
    today = date(2026, 12, 28)
    found = upcoming(
        [(1, "Ana", Birthday(1, 2, 1986)), (2, "Bo", Birthday(1, 6)), (3, "Cy", Birthday(12, 27))],
        [
            ImportantDate(7, 1, "Wedding anniversary", date(2016, 12, 30), person="Ana"),
            ImportantDate(8, 2, "Move", date(2026, 12, 29), yearly=False, person="Bo"),
            ImportantDate(9, 2, "Old move", date(2025, 12, 29), yearly=False, person="Bo"),
            ImportantDate(10, 3, "Name day", date(NO_YEAR, 12, 28), year_known=False, person="Cy"),
        ],
        today,
    )
    assert [(u.person, u.text, u.on, u.in_days, u.years) for u in found] == [
        ("Cy", "Name day", date(2026, 12, 28), 0, None),
        ("Bo", "Move", date(2026, 12, 29), 1, None),
        ("Ana", "Wedding anniversary", date(2026, 12, 30), 2, 10),
        ("Ana", "birthday", date(2027, 1, 2), 5, 41),  # Dec 28 -> Jan 2, a new year's age
    ]
    assert [u.summary for u in found] == [
        "Cy: Name day, today",
        "Bo: Move, tomorrow",
        "Ana: Wedding anniversary, in 2 days (10 years)",
        "Ana: birthday, in 5 days (turns 41)",
    ]
    assert found[-1].kind is OccasionKind.BIRTHDAY and found[2].date_id == 7
    # Bo's birthday is 9 days ahead, Cy's was yesterday: neither is this week.
    assert upcoming([(2, "Bo", Birthday(1, 6))], [], today, 9)[0].in_days == 9


def test_a_leap_day_birthday_in_a_common_year() -> None:
    found = upcoming([(1, "Lea", Birthday(2, 29, 2000))], [], date(2027, 2, 25))
    assert [(u.on, u.years, u.when) for u in found] == [(date(2027, 2, 28), 27, "in 3 days")]


def test_parsing_days() -> None:
    assert parse_day("1980-04-15") == Birthday(4, 15, 1980)
    assert parse_day("04-15") == parse_day("--04-15") == parse_day("--0415") == Birthday(4, 15)
    assert parse_day("02-29") == Birthday(2, 29)  # kept without a year
    for bad in ("soon", "1980-02-30", "13-01", "2026-4", "1700-01-01"):
        with pytest.raises(InvalidInput) as caught:
            parse_day(bad, "on")
        assert caught.value.field == "on" and caught.value.value == bad
    assert parse_birthday("", TODAY) is None
    with pytest.raises(InvalidInput, match="in the future"):
        parse_birthday("2030-01-01", TODAY)
    assert [when_words(d) for d in (0, 1, 3)] == ["today", "tomorrow", "in 3 days"]


# --- the service --------------------------------------------------------------------------------


def test_birthdays_and_dates_through_the_service(app: Mutuality) -> None:
    app.people.add("Ana Lima", birthday="1986-11-26")
    app.people.add("Bo Chen", birthday="12-02")  # 9 days ahead of TODAY (2026-11-23)
    kept = app.occasions.add("ana", "Wedding anniversary", "2016-11-25")
    assert (kept.person, kept.iso(), kept.yearly, kept.year_known) == (
        "Ana Lima",
        "2016-11-25",
        True,
        True,
    )
    details = app.people.get("ana")
    assert details.birthday == Birthday(11, 26, 1986) and details.dates == (kept,)
    assert [u.summary for u in app.occasions.upcoming()] == [
        "Ana Lima: Wedding anniversary, in 2 days (10 years)",
        "Ana Lima: birthday, in 3 days (turns 40)",
    ]
    assert len(app.occasions.upcoming(9)) == 3
    app.people.edit("bo", PersonChanges(birthday=""))
    assert app.people.get("bo").birthday is None
    assert app.occasions.remove(kept.id) == kept
    assert app.occasions.list() == []
    with pytest.raises(NotFound):
        app.occasions.remove(kept.id)
    with pytest.raises(InvalidInput, match="needs its year"):
        app.occasions.add("ana", "Surgery", "12-01", yearly=False)
    with pytest.raises(InvalidInput, match="0 to 366"):
        app.occasions.upcoming(400)


def test_forgetting_a_person_forgets_their_dates(app: Mutuality) -> None:
    app.people.add("Ana Lima")
    app.occasions.add("ana", "Anniversary", "06-04")
    app.people.forget("ana")
    assert table_counts(app)["important_dates"] == 0


def test_the_backup_keeps_birthdays_and_dates(app: Mutuality, tmp_path: Path) -> None:
    app.people.add("Ana Lima", birthday="02-29")
    app.occasions.add("ana", "Wedding anniversary", "2016-11-25")
    app.occasions.add("ana", "Name day", "--07-26")
    app.occasions.add("ana", "Surgery", "2026-12-01", yearly=False)
    path = tmp_path / "backup.json"
    app.backups.export_json(path)
    with open_app(tmp_path / "restored.db") as other:
        other.backups.restore_json(path)
        assert other.backups.snapshot() == app.backups.snapshot()
        assert other.occasions.list() == app.occasions.list()
        assert other.people.get("ana").birthday == Birthday(2, 29)
        assert other.occasions.upcoming() == app.occasions.upcoming()


# --- the CLI ------------------------------------------------------------------------------------


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("MUTUALITY_CONFIG", str(tmp_path / "no-config.toml"))
    return str(tmp_path / "cli.db")


def run(db: str, *args: str) -> Any:
    return runner.invoke(cli, ["--db", db, *args])


def ok(db: str, *args: str) -> str:
    result = run(db, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def as_json(db: str, *args: str) -> Any:
    return json.loads(ok(db, *args, "--format", "json"))


def flat(text: str) -> str:
    return " ".join(text.split())


def month_day(days: int) -> str:
    """The month and day ``days`` from the real today (the CLI uses the real date)."""
    return (date.today() + timedelta(days=days)).strftime("%m-%d")


def years_since(year: int, days: int) -> int:
    """The age turned (or the years since) ``days`` from the real today."""
    return (date.today() + timedelta(days=days)).year - year


def refused(db: str, *args: str, words: str) -> None:
    """The command exits 2 with one error line naming the value, and writes nothing."""
    with Mutuality.open(db) as before_app:
        before = before_app.backups.snapshot()
    result = run(db, *args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: ") and words in result.stderr
    with Mutuality.open(db) as after_app:
        assert after_app.backups.snapshot() == before


def test_person_birthday_in_add_edit_and_show(db: str) -> None:
    ok(db, "person", "add", "Ana Lima", "--birthday", "1986-04-15")
    assert as_json(db, "person", "show", "ana")["birthday"] == "1986-04-15"
    assert "Birthday: 1986-04-15" in ok(db, "person", "show", "ana")
    assert as_json(db, "person", "edit", "ana", "--birthday", "--04-15")["birthday"] == "--04-15"
    assert as_json(db, "person", "edit", "ana", "--birthday", "")["birthday"] is None
    assert "Birthday" not in ok(db, "person", "show", "ana")


def test_bad_birthdays_and_dates_exit_2_and_write_nothing(db: str) -> None:
    ok(db, "person", "add", "Ana Lima")
    refused(db, "person", "edit", "ana", "--birthday", "1986-02-30", words="'1986-02-30'")
    refused(db, "person", "edit", "ana", "--birthday", "soon", words="birthday 'soon'")
    refused(db, "person", "edit", "ana", "--birthday", "2999-01-01", words="in the future")
    refused(db, "person", "add", "Bo Chen", "--birthday", "13-45", words="birthday '13-45'")
    refused(db, "date", "add", "ana", "Anniversary", "--on", "2016-13-01", words="on '2016")
    refused(db, "date", "add", "ana", "Surgery", "--on", "12-01", "--once", words="its year")
    refused(db, "date", "add", "ana", "  ", "--on", "12-01", words="say what the date is")
    refused(db, "date", "add", "nobody", "Anniversary", "--on", "12-01", words="nobody")
    refused(db, "date", "remove", "42", words="no important date with id 42")
    assert "Bo Chen" not in ok(db, "person", "list")


def test_date_add_list_and_remove(db: str) -> None:
    ok(db, "person", "add", "Ana Lima")
    ok(db, "person", "add", "Bo Chen")
    added = as_json(db, "date", "add", "ana", "Wedding anniversary", "--on", "2016-06-04")
    assert {k: added[k] for k in ("person", "text", "on", "yearly", "year_known")} == {
        "person": "Ana Lima",
        "text": "Wedding anniversary",
        "on": "2016-06-04",
        "yearly": True,
        "year_known": True,
    }
    assert "Kept date" in ok(db, "date", "add", "bo", "Name day", "--on", "07-26")
    ok(db, "date", "add", "bo", "Surgery", "--on", "2020-01-10", "--once")
    listed = as_json(db, "date", "list")
    assert {d["text"] for d in listed} == {"Wedding anniversary", "Name day", "Surgery"}
    assert listed[-1]["text"] == "Surgery" and listed[-1]["next_on"] is None  # passed: last
    assert [d["text"] for d in as_json(db, "date", "list", "bo")] == ["Name day", "Surgery"]
    name_day = next(d for d in listed if d["text"] == "Name day")
    assert (name_day["on"], name_day["year_known"], name_day["years"]) == ("--07-26", False, None)
    shown = flat(ok(db, "date", "list"))
    assert "Wedding anniversary" in shown and "passed" in shown
    assert "Wedding anniversary: 2016-06-04" in ok(db, "person", "show", "ana")
    assert "Removed date" in ok(db, "date", "remove", str(added["id"]))
    assert [d["text"] for d in as_json(db, "date", "list", "ana")] == []
    assert "No dates kept yet" in ok(db, "date", "list", "ana")


def test_agenda_and_next_show_a_birthday_3_days_ahead_and_not_9(db: str) -> None:
    # 1988 and 2016 are leap years: whatever today is, the days exist in them.
    ok(db, "person", "add", "Ana Lima", "--birthday", f"1988-{month_day(3)}")
    ok(db, "person", "add", "Bo Chen", "--birthday", month_day(9))
    ok(db, "person", "add", "Cy Park")
    ok(db, "date", "add", "cy", "Wedding anniversary", "--on", f"2016-{month_day(0)}")
    age, years = years_since(1988, 3), years_since(2016, 0)
    for command in ("agenda", "next"):
        shown = flat(ok(db, command))
        assert "Coming up" in shown, command
        assert "in 3 days" in shown and f"Ana Lima: birthday (turns {age})" in shown, command
        assert f"today {date.today()} Cy Park: Wedding anniversary ({years} years)" in shown
        assert "Bo Chen: birthday" not in shown, command
        assert shown.index("Coming up") > shown.index("Cy Park")  # after the actions
    assert "Bo Chen: birthday" in flat(ok(db, "agenda", "--days", "9"))
    # JSON: `agenda` and `next` keep their lists; the week's dates are `date upcoming`.
    assert all("due_on" in item for item in as_json(db, "agenda"))
    coming = as_json(db, "date", "upcoming")
    assert [(c["person"], c["kind"], c["in_days"], c["years"]) for c in coming] == [
        ("Cy Park", "date", 0, years),
        ("Ana Lima", "birthday", 3, age),
    ]
    assert coming[1]["summary"] == f"Ana Lima: birthday, in 3 days (turns {age})"
    assert [c["person"] for c in as_json(db, "date", "upcoming", "--days", "9")][-1] == "Bo Chen"


def test_nothing_coming_up_prints_no_block(db: str) -> None:
    ok(db, "person", "add", "Ana Lima", "--birthday", month_day(20))
    assert "Coming up" not in ok(db, "next")
    assert "Coming up" not in ok(db, "agenda")
    assert "No birthdays or dates in the next 7 days." in ok(db, "date", "upcoming")


# --- vCard --------------------------------------------------------------------------------------


def cards(text: str) -> list[ContactCard]:
    found = list(read_vcards(io.BytesIO(text.encode()), "t.vcf"))
    assert all(isinstance(c, ContactCard) for c in found), found
    return found  # type: ignore[return-value]


ANNIVERSARIES = """BEGIN:VCARD
VERSION:4.0
FN:Ana Lima
EMAIL:ana@example.org
BDAY:--0415
ANNIVERSARY:20160604
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Bo Chen
EMAIL:bo@example.org
item1.X-ABDATE;type=pref:2010-09-12
item1.X-ABLabel:_$!<Anniversary>!$_
X-ANNIVERSARY:2010-09-12
item2.X-ABDATE:1604-07-26
item2.X-ABLabel:Name day
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Cy Park
X-EVOLUTION-ANNIVERSARY:not a date
X-MS-ANNIVERSARY:20010101
END:VCARD
"""


def test_vcard_anniversaries_and_labelled_dates_are_read() -> None:
    ana, bo, cy = cards(ANNIVERSARIES)
    assert ana.dates == (ContactDate("Anniversary", Birthday(6, 4, 2016)),)
    assert bo.dates == (  # the same anniversary twice (Nextcloud's way) is one date
        ContactDate("Anniversary", Birthday(9, 12, 2010)),
        ContactDate("Name day", Birthday(7, 26)),
    )
    assert cy.dates == (ContactDate("Anniversary", Birthday(1, 1, 2001)),)
    assert "anniversary 'not a date' is not a date; left out" in cy.warnings


def test_vcard_import_keeps_dates_once_and_all_or_nothing(app: Mutuality, tmp_path: Path) -> None:
    path = tmp_path / "c.vcf"
    path.write_text(ANNIVERSARIES, encoding="utf-8")
    app.imports.run(path)
    listed = {(d.person, d.text, d.iso()) for d in app.occasions.list()}
    assert listed == {
        ("Ana Lima", "Anniversary", "2016-06-04"),
        ("Bo Chen", "Anniversary", "2010-09-12"),
        ("Bo Chen", "Name day", "--07-26"),
        ("Cy Park", "Anniversary", "2001-01-01"),
    }
    report = app.imports.run(path)
    assert not report.added and not report.merged
    assert len(app.occasions.list()) == 4
    # A new date on a known person merges in; a broken card later stops it all.
    path.write_text(
        ANNIVERSARIES.replace("ANNIVERSARY:20160604", "ANNIVERSARY:20160604\nX-ABDATE:2020-02-02")
        + "BEGIN:VCARD\nVERSION:3.0\nFN:Broken\n",
        encoding="utf-8",
    )
    before = table_counts(app)
    with pytest.raises(BadFile, match="not closed"):
        app.imports.run(path)
    assert table_counts(app) == before
    report = app.imports.run(path, ImportOptions(skip_bad=True))
    assert [m.changes for m in report.merged] == [("adds date Important date 2020-02-02",)]
    assert len(app.occasions.list()) == 5


def test_vcard_export_writes_dates_that_import_back(app: Mutuality, tmp_path: Path) -> None:
    app.people.add("Ana Lima", emails=("ana@example.org",), birthday="04-15")
    app.occasions.add("ana", "Anniversary", "2016-06-04")
    app.occasions.add("ana", "Name day", "07-26")
    app.occasions.add("ana", "Surgery", "2020-01-10", yearly=False)  # once: not a vCard date
    (card,) = app.exports.cards()
    text = write_vcard(card)
    assert "ANNIVERSARY:20160604" in text and "item1.X-ABDATE:16040726" in text
    assert "item1.X-ABLabel:Name day" in text and "Surgery" not in text
    (back,) = cards(text)
    assert back.dates == card.dates and back.birthday == Birthday(4, 15)
    path = tmp_path / "out.vcf"
    path.write_text(text, encoding="utf-8")
    report = app.imports.run(path)
    assert not report.added and not report.merged


@needs_real("vcard")
@pytest.mark.parametrize(
    ("name", "who", "dates"),
    [
        ("rfc6350-example-4.0.vcf", "Simon Perreault", {("Anniversary", "2009-08-08")}),
        ("gmail-3.0-full.vcf", None, {("Anniversary", "1975-03-01")}),
        (
            "gmail-3.0-every-field.vcf",
            "VCard Test",
            {
                ("Anniversary", "1930-03-20"),
                ("Important date", "--07-04"),
                ("CustomDateCategory", "2000-09-12"),
            },
        ),
        ("nextcloud-sabre-3.0-escaped-semicolons.vcf", None, {("Anniversary", "2019-02-20")}),
        ("outlook-2007-2.1.vcf", None, {("Anniversary", "2012-08-01")}),
        ("android-2.1-x-android-custom.vcf", "Roid Ando", {("Anniversary", "1999-07-10")}),
        ("thunderbird-cardbook-4.0.vcf", None, {("Hochzeitstag", "2019-07-07")}),
    ],
)
def test_real_vcards_bring_their_anniversaries_once(
    app: Mutuality, name: str, who: str | None, dates: set[tuple[str, str]]
) -> None:
    path = REAL / "vcard" / name
    options = ImportOptions(skip_bad=True)
    app.imports.run(path, options)
    found = app.occasions.list()
    assert {(d.text, d.iso()) for d in found} == dates
    if who is not None:
        assert {d.person for d in found} == {who}
    app.imports.run(path, options)
    assert app.occasions.list() == found


# --- the web ------------------------------------------------------------------------------------


def test_dashboard_and_person_page_show_birthdays_and_dates(
    client: Any, populated: Mutuality
) -> None:
    assert "birthday (turns" not in client.get("/").text
    populated.people.edit("ana", PersonChanges(birthday="1986-11-26"))  # TODAY + 3 days
    populated.occasions.add("ana", "Wedding anniversary", "2016-11-23")
    html = client.get("/").text
    assert 'id="todo"' in html  # dates are items of the to-do list
    assert "birthday (turns 40)" in html and "in 3 days" in html
    assert "Wedding anniversary (10 years)" in html and "today" in html
    ana = populated.people.get("ana").person.id
    page = client.get(f"/people/{ana}").text
    assert "<dt>Birthday</dt><dd>1986-11-26</dd>" in page
    assert "<dt>Wedding anniversary</dt><dd>2016-11-23</dd>" in page
