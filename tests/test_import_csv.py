"""CSV import: LinkedIn (with its preamble), Google, Outlook, any CSV with a mapping, and the
bad-CSV cases of I6, each with its message and the database unchanged."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import table_counts
from importing_helpers import OWN, REAL, needs_real

from mutuality.core.errors import BadFile
from mutuality.services.importing.service import ImportOptions


def write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "c.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def names(app) -> list[str]:
    return [p.name for p in app.people.list()]


def test_linkedin_connections_with_preamble(app) -> None:
    report = app.imports.run(OWN / "linkedin-connections.csv")
    assert report.format == "csv" and report.rejected == ()
    assert names(app) == [
        "Ada Quill",
        "Mira Kovalenko🇺🇦",
        "Rajesh ( Raj ) Nair, CFA, FRM",
        "Tom Baker",
        "Tom Baker (Globex)",
        "張 偉",
    ]
    ada = app.people.get("Ada Quill")
    assert (ada.person.organisation, ada.person.title) == ("Quill & Co", "Founder, CEO")
    assert ada.relationship.started_on == date(2024, 10, 9)
    assert app.people.get("張 偉").person.organisation is None  # LinkedIn's " -"
    before = table_counts(app)
    again = app.imports.run(OWN / "linkedin-connections.csv")
    assert again.added == () and again.merged == () and len(again.unchanged) == 6
    assert table_counts(app) == before


@needs_real("csv")
def test_the_shared_linkedin_fixture_with_a_bom(app) -> None:
    report = app.imports.run(REAL / "csv" / "linkedin-connections-fixture-bom.csv")
    assert [p.name for p in report.added] == ["José García", "Æsop Fontaine"]
    assert app.people.get("aesop@example.com").person.title == "Director, Operations"


def test_google_contacts_csv(app) -> None:
    app.imports.run(OWN / "google-contacts.csv")
    lena = app.people.get("Lena Okafor").person
    assert lena.emails == (
        "lena@brightwater.example",
        "lena.okafor@example.org",
        "lena.home@example.org",
    )
    assert lena.tags == ("friends", "starred")
    assert lena.private_note == "Met at the Lisbon summit.\nLikes long walks."
    card = next(c for c in app.exports.cards() if c.name == "Kenji Watanabe")
    assert card.birthday.iso() == "--03-14"
    assert "Northwind Traders" in names(app)


def test_outlook_csv_in_windows_1252_is_detected(app) -> None:
    app.imports.run(OWN / "outlook-contacts-cp1252.csv")
    jurgen = app.people.get("Jürgen Müller").person
    assert jurgen.organisation == "Bäckerei Müller" and jurgen.tags == ("kunden", "köln")
    card = next(c for c in app.exports.cards() if c.name == "Jürgen Müller")
    assert card.addresses[0].label == "work" and card.addresses[0].locality == "Köln"
    assert card.birthday.iso() == "1975-03-14"


def test_utf16_with_semicolons_and_quoted_newlines(app, tmp_path) -> None:
    text = 'Name;E-mail;Notes\r\n"Åsa Berg";asa@example.se;"first line\r\nsecond; line"\r\n'
    path = write(tmp_path, "\ufeff" + text, "utf-16-le")
    app.imports.run(path)
    assert app.people.get("Åsa Berg").person.private_note == "first line\nsecond; line"


def test_separators_inside_quoted_cells_do_not_pick_the_delimiter(app, tmp_path) -> None:
    """A name full of semicolons, quoted in a comma file (our own export writes such a
    row), once made ``;`` the delimiter and the file unreadable (found by fuzzing)."""
    text = 'Name,Organization,Labels\r\n"Semi;;;;;;;;;;;;;;colon; Jones",Acme,friends\r\n'
    app.imports.run(write(tmp_path, text))
    person = app.people.get("Semi;;;;;;;;;;;;;;colon; Jones").person
    assert person.organisation == "Acme"
    unquoted = "Name,Organization,Labels\r\nSemi;;;;;;;;;;;;;;colon Smith,Acme,friends\r\n"
    app.imports.run(write(tmp_path, unquoted, name="unquoted.csv"))
    assert app.people.get("Semi;;;;;;;;;;;;;;colon Smith").person.organisation == "Acme"


def test_latin1_named_and_utf8_bom(app, tmp_path) -> None:
    app.imports.run(
        write(tmp_path, "Name,Email\nRenée Côté,renee@example.ca\n", "latin-1"),
        ImportOptions(encoding="latin-1"),
    )
    app.imports.run(
        write(tmp_path, "\ufeffName,Email\nÉmile Zola,emile@example.fr\n", name="bom.csv")
    )
    assert names(app) == ["Émile Zola", "Renée Côté"]


def test_column_mapping(app, tmp_path) -> None:
    path = write(tmp_path, "Who,Mail,Firm\nIris Adler,iris@example.org,Baker Street\n")
    with pytest.raises(BadFile, match="no header row with a name"):
        app.imports.run(path)
    app.imports.run(
        path, ImportOptions(mapping={"name": "Who", "email": "Mail", "organisation": "Firm"})
    )
    assert app.people.get("iris").person.organisation == "Baker Street"
    with pytest.raises(BadFile, match="holds the mapped columns 'Nope'"):
        app.imports.run(path, ImportOptions(mapping={"name": "Nope"}))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'Name,Email\nAna,ana@example.org\n"Bo,bo@example.com\n',
            r"c\.csv:3: line 3, column Name: the quote that opens this cell is never closed",
        ),
        (
            "Name,Email,Email\nAna,a@example.org,b@example.org\n",
            r"c\.csv: line 1: column 'Email' appears twice \(columns 2 and 3\)",
        ),
        (
            "Name,Email\nAna,ana@example.org,extra,cells\n",
            r"c\.csv:2: line 2: 4 cells but the header has 2 columns",
        ),
        (
            "Name,Notes\nAna," + "x" * 200_000 + "\n",
            r"c\.csv:2: line 2, column Notes: 200,000 characters, more than the limit of 100,000",
        ),
    ],
    ids=["unmatched-quote", "duplicate-header", "too-many-cells", "huge-field"],
)
def test_bad_csv_is_refused_with_its_place_and_nothing_written(
    populated, tmp_path, text, message
) -> None:
    path = write(tmp_path, text)
    before = table_counts(populated)
    with pytest.raises(BadFile, match=message):
        populated.imports.run(path)
    assert table_counts(populated) == before


def test_dry_run_of_a_bad_csv_lists_the_problem(populated, tmp_path) -> None:
    path = write(tmp_path, "Name,Email\nNew One,new@example.org\nToo,many,cells\n")
    before = table_counts(populated)
    report = populated.imports.run(path, ImportOptions(dry_run=True))
    assert [p.name for p in report.added] == ["New One"]
    assert [str(p) for p in report.rejected] == [
        "c.csv:3: line 3: 3 cells but the header has 2 columns"
    ]
    assert report.stopped and table_counts(populated) == before


def test_a_row_quoted_whole_by_a_spreadsheet(app, tmp_path) -> None:
    path = write(tmp_path, 'First Name,Last Name,Company\n"Nia,Hart,""Hart, Inc."""\n')
    app.imports.run(path)
    assert app.people.get("Nia Hart").person.organisation == "Hart, Inc."


def test_a_file_with_no_header_is_refused(app, tmp_path) -> None:
    with pytest.raises(BadFile, match="no header row"):
        app.imports.run(write(tmp_path, "1,2,3\n4,5,6\n"))


def test_namesakes_at_one_company_with_their_own_emails_stay_apart(app, tmp_path) -> None:
    """Issue 15: a merge by name never overrides different emails; doubts are listed."""
    path = write(
        tmp_path,
        "Name,Email,Company\n"
        "Jon Smith,jon@alpha.example,Acme\n"
        "John Smith,john@beta.example,Acme\n"
        "John Smith,john.smith@gamma.example,Acme\n"
        "John Smith,JOHN@beta.example,Acme\n",
    )
    report = app.imports.run(path)
    assert [p.name for p in report.added] == ["Jon Smith", "John Smith", "John Smith (Acme)"]
    assert [p.duplicate.reason for p in report.possible_duplicates] == [
        "a similar name at Acme, but a different email",
        "the same name and organisation, but a different email",
    ]
    assert [(p.into, p.why) for p in report.unchanged] == [
        ("John Smith", "same email john@beta.example")
    ]
    assert app.people.get("John Smith (Acme)").person.emails == ("john.smith@gamma.example",)
    assert [(e.format, e.added, e.merged) for e in app.imports.history()] == [("csv", 3, 0)]
