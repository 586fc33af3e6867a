"""vCard import: every real export in shared/fixtures/real/vcard, the quirks corpus (I3),
hostile input (I2, I4, I5), deduplication and merging, dry runs and all-or-nothing."""

from __future__ import annotations

import base64
import io
import struct
from pathlib import Path

import pytest
from conftest import table_counts
from importing_helpers import needs_real, no_network, real

from mutuality.core.contacts import ContactCard, Problem
from mutuality.core.errors import BadFile
from mutuality.formats.vcard import read_vcards
from mutuality.services.importing.service import ImportOptions

REAL_VCARDS = real("vcard")


def cards(text: str | bytes, name: str = "t.vcf") -> list[ContactCard | Problem]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return list(read_vcards(io.BytesIO(data), name))


def one(text: str | bytes) -> ContactCard:
    found = cards(text)
    assert len(found) == 1 and isinstance(found[0], ContactCard), found
    return found[0]


def card_text(*lines: str, version: str = "3.0") -> str:
    return "\r\n".join(["BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD"]) + "\r\n"


def write(tmp_path: Path, text: str | bytes, name: str = "c.vcf") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


# --- every real file ---------------------------------------------------------------------------


@needs_real("vcard")
@pytest.mark.parametrize("path", REAL_VCARDS, ids=[p.name for p in REAL_VCARDS])
def test_every_real_vcard_parses_into_cards_or_located_problems(path: Path) -> None:
    with path.open("rb") as handle:
        found = list(read_vcards(handle, path.name))
    assert found, "no card and no problem"
    for item in found:
        if isinstance(item, Problem):
            assert item.location.startswith(f"{path.name}:")
        else:
            assert item.name and "\x00" not in item.name
            assert all("@" in email for email in item.emails)


EXPECTED = {
    # file: (cards, problems)
    "android-2.1-multi-qp-utf8.vcf": (6, 0),
    "large-1000-contacts-3.0.vcf": (1000, 0),
    "icloud-group-3.0.vcf": (0, 1),
    "truncated-3.0.vcf": (0, 1),
    "rfc2426-examples-3.0.vcf": (2, 0),
    "google-3.0-utf16le-bom.vcf": (2, 0),
    "thunderbird-cardbook-4.0.vcf": (2, 0),
    "gmail-3.0-list-minimal.vcf": (3, 0),
}


@needs_real("vcard")
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_files_hold_the_expected_number_of_cards(name: str) -> None:
    found = cards((REAL_VCARDS[0].parent / name).read_bytes(), name)
    got = (
        sum(isinstance(c, ContactCard) for c in found),
        sum(isinstance(c, Problem) for c in found),
    )
    assert got == EXPECTED[name]


@needs_real("vcard")
def test_all_real_vcards_import_once_and_reimport_changes_nothing(app) -> None:
    options = ImportOptions(skip_bad=True)
    for path in REAL_VCARDS:
        app.imports.run(path, options)
    before = table_counts(app)
    assert before["people"] > 1000
    for path in REAL_VCARDS:
        report = app.imports.run(path, options)
        assert not report.added and not report.merged, path.name
    assert table_counts(app) == before


def real_card(name: str) -> ContactCard:
    found = [
        c
        for c in cards((REAL_VCARDS[0].parent / name).read_bytes(), name)
        if isinstance(c, ContactCard)
    ]
    return found[0]


@needs_real("vcard")
def test_real_quirks_are_read_correctly() -> None:
    # 2.1 quoted-printable with soft breaks that split UTF-8 sequences (Evolution, CJK)
    assert real_card("evolution-2.1-cjk-qp.vcf").name == "十城目管理大型知座"
    # Shift_JIS declared per line, QP over Shift_JIS bytes
    japanese = real_card("japanese-phone-2.1-shift-jis.vcf")
    assert japanese.name.startswith("安藤") and japanese.note == "メモ"
    # Windows-1252 byte with no CHARSET (Outlook)
    assert real_card("outlook-2.1-windows1252-8bit.vcf").addresses[0].street == "Lämmerweg 12"
    # UTF-16LE with a BOM (Google-style)
    assert real_card("google-3.0-utf16le-bom.vcf").name == "Folker Kinzel"
    # BDAY without a year (vCard 4.0) and the 1604 placeholder year (CardBook)
    assert real_card("rfc6350-example-4.0.vcf").birthday.iso() == "--02-03"
    assert real_card("thunderbird-cardbook-3.0-bday-no-year.vcf").birthday.year is None
    # folded base64 photos (ENCODING=b and 2.1 BASE64), and a data: URI with escapes
    assert real_card("iphone-ios5-3.0-photo.vcf").photo.media_type == "image/jpeg"
    assert real_card("outlook-de-2.1-photo.vcf").photo.data.startswith(b"\xff\xd8")
    assert real_card("thunderbird-cardbook-4.0-data-uri-photo.vcf").photo is not None
    # no N and no FN: the email stands in; empty FN: N is used
    assert real_card("sogo-connector-3.0-no-name.vcf").name == "test-misses-n-or-fn@example.com"
    assert real_card("icloud-web-3.0-empty-fn.vcf").name == "Max Mustermann"
    # a photo given as a URL is kept out, with a warning
    fullcontact = real_card("fullcontact-4.0.vcf")
    assert fullcontact.photo is None
    assert any("not fetched" in w for w in fullcontact.warnings)


@needs_real("vcard")
def test_a_group_card_is_left_out_without_stopping_the_import(app) -> None:
    report = app.imports.run(REAL_VCARDS[0].parent / "icloud-group-3.0.vcf")
    assert report.rejected[0].reason == "card 1 is a group, not a person; left out"
    assert app.people.count() == 0


@needs_real("vcard")
def test_truncated_file_stops_the_import_and_names_the_card(app) -> None:
    before = table_counts(app)
    with pytest.raises(BadFile) as error:
        app.imports.run(REAL_VCARDS[0].parent / "truncated-3.0.vcf")
    assert str(error.value).startswith("truncated-3.0.vcf:1: card 1 is not closed")
    assert table_counts(app) == before


# --- the quirks corpus, written here ----------------------------------------------------------


def test_quoted_printable_soft_breaks_and_lf_only_lines() -> None:
    text = (
        "BEGIN:VCARD\nVERSION:2.1\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=81lvar=\n"
        "ez;Jos=C3=A9;;;\nNOTE;ENCODING=QUOTED-PRINTABLE:line one=0D=0Aline =\ntwo\n"
        "END:VCARD\n"
    )
    card = one(text)
    assert card.name == "José Álvarez"
    assert card.note == "line one\nline two"


def test_byte_order_mark_and_yearless_birthday() -> None:
    card = one(b"\xef\xbb\xbf" + card_text("FN:Ana Lima", "BDAY:--0415").encode())
    assert card.name == "Ana Lima" and card.birthday.iso() == "--04-15"


def test_apple_groups_labels_and_x_abcrop_are_tolerated() -> None:
    card = one(
        card_text(
            "FN:Ana Lima",
            "item1.URL:https\\://ana.example.org",
            "item1.X-ABLabel:_$!<HomePage>!$_",
            "X-ABCROP-RECTANGLE:ABClipRect_1&0&0&100&100&abc==",
            "item2.ADR;type=HOME:;;1 Rua;Lisboa;;1100;PT",
            "ITEM2.X-ABLABEL:Casa",
        )
    )
    assert card.urls[0].url == "https://ana.example.org" and card.urls[0].label == "homepage"
    assert card.addresses[0].label == "casa" and card.addresses[0].locality == "Lisboa"


def test_a_bad_card_is_named_and_the_rest_still_parse() -> None:
    text = (
        card_text("FN:Good One")
        + card_text("FN:Broken", "NO COLON HERE")
        + card_text("FN:Good Two")
    )
    found = cards(text)
    assert [c.name for c in found if isinstance(c, ContactCard)] == ["Good One", "Good Two"]
    problem = next(c for c in found if isinstance(c, Problem))
    assert problem.location == "t.vcf:8"
    assert problem.reason.startswith("card 2: malformed property")


def test_skip_bad_imports_the_rest_and_lists_what_it_skipped(app, tmp_path) -> None:
    path = write(
        tmp_path,
        card_text("FN:Good One") + card_text("FN:Broken", "NO COLON") + card_text("FN:Good Two"),
    )
    with pytest.raises(BadFile, match=r"c\.vcf:8: card 2: malformed property"):
        app.imports.run(path)
    assert app.people.count() == 0
    report = app.imports.run(path, ImportOptions(skip_bad=True))
    assert [p.name for p in report.added] == ["Good One", "Good Two"]
    assert [str(p) for p in report.rejected] == [
        "c.vcf:8: card 2: malformed property (no ':' between the name and the value)"
    ]


# --- hostile input --------------------------------------------------------------------------


def test_vobject_backtracking_line_is_refused_at_once(app, tmp_path) -> None:
    """I2: ``B`` then ``;V=C`` repeated, no colon: vobject 0.9.9 takes minutes; we refuse it."""
    path = write(tmp_path, "B" + ";V=C" * 5000 + "\r\n")
    before = table_counts(app)
    with pytest.raises(BadFile) as error:
        app.imports.run(path, ImportOptions(format="vcard"))
    assert "line 1: malformed property" in str(error.value)
    assert table_counts(app) == before


def png_header(width: int, height: int) -> bytes:
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", 13)
        + b"IHDR"
        + struct.pack(">II", width, height)
        + b"\x08\x02\x00\x00\x00"
        + b"\x00" * 16
    )


def test_oversized_and_unsafe_photos_are_refused_but_the_card_kept(tmp_path) -> None:
    """I4: a 50 MB base64 photo, a 20000x20000 PNG and an SVG with a script."""
    huge = tmp_path / "huge.vcf"
    with huge.open("wb") as handle:
        handle.write(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Big Photo\r\nPHOTO;ENCODING=b;TYPE=PNG:")
        chunk = b"A" * 1_000_000
        for _ in range(50):
            handle.write(chunk)
        handle.write(b"\r\nEND:VCARD\r\n")
    with huge.open("rb") as handle:
        (card,) = read_vcards(handle, "huge.vcf")
    assert card.name == "Big Photo" and card.photo is None
    assert any("photo longer than" in w for w in card.warnings)

    giant = base64.b64encode(png_header(20000, 20000)).decode()
    svg = base64.b64encode(
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    ).decode()
    pixels = one(card_text("FN:Giant", f"PHOTO;ENCODING=b;TYPE=PNG:{giant}"))
    assert pixels.photo is None and "20000x20000 pixels is too large" in pixels.warnings[0]
    script = one(card_text("FN:Svg", f"PHOTO:data:image/svg+xml;base64,{svg}", version="4.0"))
    assert script.photo is None and "not a JPEG, PNG, GIF or WebP" in script.warnings[0]
    small = one(
        card_text(
            "FN:Small", "PHOTO;ENCODING=b;TYPE=PNG:" + base64.b64encode(png_header(64, 64)).decode()
        )
    )
    assert small.photo is not None and small.photo.media_type == "image/png"


def test_links_are_never_fetched(app, tmp_path) -> None:
    """I5: PHOTO and URL pointing at loopback, a mapped IPv6 address and a file: URL."""
    path = write(
        tmp_path,
        card_text(
            "FN:Link Person",
            "PHOTO;VALUE=uri:http://127.0.0.1/photo.jpg",
            "URL:http://[::ffff:7f00:1]/",
            "URL:file:///etc/passwd",
        )
        + card_text("FN:Other", "PHOTO:file:///etc/passwd"),
    )
    with no_network() as attempts:
        report = app.imports.run(path)
    assert attempts == []
    assert [p.name for p in report.added] == ["Link Person", "Other"]
    assert any("was not fetched" in note for note in report.added[0].notes)
    assert app.exports.cards()[0].photo is None


# --- deduplication and merging -----------------------------------------------------------------


def test_known_person_is_merged_with_a_preview_not_duplicated(populated, tmp_path) -> None:
    path = write(
        tmp_path,
        card_text(
            "FN:Ana M. Lima",
            "EMAIL:ANA@example.org",
            "TEL:+351 210 000 000",
            "CATEGORIES:Friends",
            "BDAY:1990-04-15",
            "ORG:Other Studio",
        ),
    )
    dry = populated.imports.run(path, ImportOptions(dry_run=True))
    assert dry.added == () and len(dry.merged) == 1
    merged = dry.merged[0]
    assert (merged.into, merged.why) == ("Ana Lima", "same email ana@example.org")
    assert merged.changes == (
        "adds phone +351 210 000 000",
        "adds tag friends",
        "sets birthday 1990-04-15",
    )
    assert "kept organisation 'Studio Lima' (the file says 'Other Studio')" in merged.notes
    before = table_counts(populated)
    populated.imports.run(path)
    after = table_counts(populated)
    assert after["people"] == before["people"]
    assert after["person_phones"] == before["person_phones"] + 1
    ana = populated.people.get("Ana Lima").person
    assert ana.organisation == "Studio Lima" and "friends" in ana.tags


def test_close_name_at_the_same_organisation_is_a_possible_duplicate(populated, tmp_path) -> None:
    path = write(tmp_path, card_text("FN:Ana Lyma", "ORG:Studio Lima", "TEL:+351 999 000 111"))
    report = populated.imports.run(path)
    assert report.merged == () and [p.name for p in report.added] == ["Ana Lyma"]
    ana = populated.people.get("Ana Lima").person
    assert str(report.added[0].duplicate) == (
        f"possible duplicate of Ana Lima (#{ana.id}): a similar name at Studio Lima, "
        "but a different phone"
    )
    assert ana.phones == ("+351 912 345 678",)


def test_same_name_elsewhere_is_a_different_person(populated, tmp_path) -> None:
    path = write(tmp_path, card_text("FN:Ana Lima", "ORG:Globex", "EMAIL:ana@globex.example"))
    report = populated.imports.run(path)
    assert [p.name for p in report.added] == ["Ana Lima (Globex)"]
    assert report.added[0].duplicate.reason == (
        "the same name, but a different email and a different organisation"
    )
    again = populated.imports.run(path)
    assert again.added == () and again.merged == ()


def test_similar_names_at_one_organisation_with_different_emails_stay_two(app, tmp_path) -> None:
    """Issue 15: Jon and John Smith at Acme became one person holding both emails."""
    path = write(
        tmp_path,
        card_text("FN:Jon Smith", "EMAIL:jon@alpha.example", "ORG:Acme")
        + card_text("FN:John Smith", "EMAIL:john@beta.example", "ORG:Acme"),
    )
    dry = app.imports.run(path, ImportOptions(dry_run=True))
    assert [p.name for p in dry.added] == ["Jon Smith", "John Smith"] and dry.merged == ()
    assert str(dry.added[1].duplicate) == (
        "possible duplicate of Jon Smith (new, c.vcf:1): a similar name at Acme, "
        "but a different email"
    )
    report = app.imports.run(path)
    assert [p.name for p in report.added] == ["Jon Smith", "John Smith"] and report.merged == ()
    jon = app.people.get("Jon Smith").person
    assert jon.emails == ("jon@alpha.example",)
    assert app.people.get("John Smith").person.emails == ("john@beta.example",)
    assert str(report.possible_duplicates[0].duplicate).startswith(
        f"possible duplicate of Jon Smith (#{jon.id}): "
    )


def test_the_same_name_never_merges_over_a_different_email(populated, tmp_path) -> None:
    path = write(tmp_path, card_text("FN:Ana Lima", "ORG:Studio Lima", "EMAIL:ana@other.example"))
    report = populated.imports.run(path)
    assert report.merged == () and [p.name for p in report.added] == ["Ana Lima (Studio Lima)"]
    assert report.added[0].duplicate.reason == (
        "the same name and organisation, but a different email"
    )
    assert populated.people.get("Ana Lima").person.emails == ("ana@example.org",)


@pytest.mark.parametrize(
    ("first", "second", "merged"),
    [
        # a shared email merges; a second phone is simply added
        (
            ("EMAIL:kim@acme.example", "TEL:+1 555 0101"),
            ("EMAIL:kim@acme.example", "TEL:+1 555 0199"),
            True,
        ),
        # a shared office line with different emails: two colleagues
        (
            ("EMAIL:kim@acme.example", "TEL:+1 555 0100"),
            ("EMAIL:lee@acme.example", "TEL:+1 555 0100"),
            False,
        ),
        # the same UID with different emails: not certain
        (("UID:card-1", "EMAIL:kim@acme.example"), ("UID:card-1", "EMAIL:kim@home.example"), False),
        # another address book's UID for the same email: the same person
        (("UID:card-1", "EMAIL:kim@acme.example"), ("UID:other-9", "EMAIL:kim@acme.example"), True),
        # the same name and organisation, nothing to tell them apart
        (("ORG:Acme",), ("ORG:Acme", "EMAIL:kim@acme.example"), True),
        # the same name and birthday
        (("BDAY:1990-04-15",), ("BDAY:1990-04-15", "TEL:+1 555 0100"), True),
        # the same name, different phones
        (("ORG:Acme", "TEL:+1 555 0100"), ("ORG:Acme", "TEL:+1 555 0199"), False),
        # the same name, different UIDs
        (("ORG:Acme", "UID:card-1"), ("ORG:Acme", "UID:card-2"), False),
        # the same name and nothing else in common
        (("TEL:+1 555 0100",), ("EMAIL:kim@acme.example",), False),
    ],
    ids=[
        "email-and-second-phone",
        "shared-office-line",
        "same-uid-other-email",
        "other-uid-same-email",
        "name-and-organisation",
        "name-and-birthday",
        "name-different-phones",
        "name-different-uids",
        "name-alone",
    ],
)
def test_what_merges_two_cards_in_one_file(app, tmp_path, first, second, merged) -> None:
    path = write(tmp_path, card_text("FN:Kim Park", *first) + card_text("FN:Kim Park", *second))
    report = app.imports.run(path)
    assert (len(report.added), len(report.merged) + len(report.unchanged)) == (
        (1, 1) if merged else (2, 0)
    )
    if not merged:
        assert report.added[1].duplicate is not None
        assert report.added[1].duplicate.name == "Kim Park"


def test_someone_added_by_name_alone_is_filled_in_when_the_file_agrees(populated, tmp_path) -> None:
    """Dana Smith was added by hand with only a name: the one Dana Smith of a file is her."""
    dana = populated.people.get("Dana Smith").person
    path = write(tmp_path, card_text("FN:Dana Smith", "EMAIL:dana@example.org"))
    report = populated.imports.run(path)
    assert report.added == () and report.merged[0].into == "Dana Smith"
    assert report.merged[0].why == "the same name, and Dana Smith had no contact details yet"
    assert populated.people.get("Dana Smith").person.emails == ("dana@example.org",)
    assert populated.people.get("Dana Smith").person.id == dana.id


def test_two_cards_with_the_name_of_someone_added_by_hand_are_both_doubts(
    populated, tmp_path
) -> None:
    path = write(
        tmp_path,
        card_text("FN:Dana Smith", "EMAIL:dana@example.org")
        + card_text("FN:Dana Smith", "EMAIL:dana.smith@example.net"),
    )
    report = populated.imports.run(path)
    assert report.merged == () and len(report.added) == 2
    dana = populated.people.get("Dana Smith").person
    assert dana.emails == ()
    assert [p.duplicate.id for p in report.added] == [dana.id, dana.id]
    assert report.added[0].duplicate.reason == (
        "the same name; the file has more than one Dana Smith"
    )


def test_possible_duplicates_are_in_the_json_report(populated, tmp_path) -> None:
    path = write(tmp_path, card_text("FN:Ana Lima", "ORG:Globex", "EMAIL:ana@globex.example"))
    data = populated.imports.run(path, ImportOptions(dry_run=True)).to_dict()
    ana = populated.people.get("Ana Lima").person
    expected = {
        "name": "Ana Lima",
        "id": ana.id,
        "location": None,
        "reason": "the same name, but a different email and a different organisation",
        "text": f"possible duplicate of Ana Lima (#{ana.id}): the same name, but a different "
        "email and a different organisation",
    }
    assert data["added"][0]["possible_duplicate"] == expected
    assert data["possible_duplicates"] == [
        {"name": "Ana Lima (Globex)", "location": "c.vcf:1", "of": expected}
    ]
    assert data["import_id"] is None


# --- many similar people -------------------------------------------------------------------


FIRST = ["Ana", "Bo", "Chen", "Dana", "Eli", "Femi", "Gus", "Hana", "Ines", "Jon", "John"]
LAST = ["Smith", "Lima", "Park", "Okafor", "Silva", "Müller", "Nair", "Kovac", "Berg"]


def generated_cards(count: int, organisations: int) -> str:
    """``count`` distinct people: few first and last names, ``organisations`` employers,
    each with an email of their own (and sometimes the office's shared phone line)."""
    lines = []
    for n in range(count):
        first, last = FIRST[n % len(FIRST)], LAST[(n // len(FIRST)) % len(LAST)]
        org = n % organisations
        extra = [f"TEL:+1 555 {org:04d}"] if n % 3 == 0 else []
        lines.append(
            card_text(
                f"FN:{first} {last}",
                f"EMAIL:{first.lower()}.{last.lower()}.{n}@org{org}.example",
                f"ORG:Organisation {org}",
                f"UID:person-{n}",
                *extra,
            )
        )
    return "".join(lines)


def check_all_added(app, tmp_path, count: int) -> None:
    path = write(tmp_path, generated_cards(count, 300))
    report = app.imports.run(path)
    assert (len(report.added), len(report.merged), len(report.unchanged)) == (count, 0, 0)
    assert app.people.count() == count
    assert report.possible_duplicates, "people sharing names should be pointed out"
    again = app.imports.run(path)
    assert (len(again.added), len(again.merged), len(again.unchanged)) == (0, 0, count)


def test_2000_distinct_cards_at_300_organisations_are_all_added(app, tmp_path) -> None:
    check_all_added(app, tmp_path, 2_000)


@pytest.mark.slow
def test_20000_distinct_cards_at_300_organisations_are_all_added(app, tmp_path) -> None:
    """Issue 15: 20,000 distinct cards became 'added 860, merged 19,140'."""
    check_all_added(app, tmp_path, 20_000)


def test_two_cards_for_one_person_in_one_file_become_one(app, tmp_path) -> None:
    path = write(
        tmp_path,
        card_text("FN:Bo Chen", "EMAIL:bo@example.com")
        + card_text("FN:Bo Chen", "TEL:+1 555 0100", "EMAIL:bo@example.com"),
    )
    report = app.imports.run(path)
    assert len(report.added) == 1 and report.merged[0].changes == ("adds phone +1 555 0100",)
    assert app.people.get("Bo Chen").person.phones == ("+1 555 0100",)


def test_dry_run_writes_nothing(populated, tmp_path) -> None:
    path = write(tmp_path, card_text("FN:New Person", "EMAIL:new@example.org"))
    before = table_counts(populated)
    report = populated.imports.run(path, ImportOptions(dry_run=True))
    assert [p.name for p in report.added] == ["New Person"]
    assert table_counts(populated) == before
