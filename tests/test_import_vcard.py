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
from mutuality.services.importing import ImportOptions

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


def test_close_name_at_the_same_organisation_is_merged(populated, tmp_path) -> None:
    path = write(tmp_path, card_text("FN:Ana Lyma", "ORG:Studio Lima", "TEL:+351 999 000 111"))
    report = populated.imports.run(path)
    assert report.merged[0].into == "Ana Lima" and report.merged[0].why.startswith("close name")


def test_same_name_elsewhere_is_a_different_person(populated, tmp_path) -> None:
    path = write(tmp_path, card_text("FN:Ana Lima", "ORG:Globex", "EMAIL:ana@globex.example"))
    report = populated.imports.run(path)
    assert [p.name for p in report.added] == ["Ana Lima (Globex)"]
    again = populated.imports.run(path)
    assert again.added == () and again.merged == ()


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
