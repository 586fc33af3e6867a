"""The PDF report prints every name as the web app shows it: Latin with accents, Cyrillic,
Greek, Arabic and Hebrew (joined, right to left), Chinese, Japanese, Korean and emoji, from
the fonts that mutuality installs (never ``?``, never a box)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from mutuality.reports import ReportFormat, render
from mutuality.reports.pdf import faces
from mutuality.services.app import Mutuality

pypdfium2 = pytest.importorskip("pypdfium2")

NAMES = (
    "Zoë Clarke",
    "Дарья Соколова",
    "Ελένη Παππά",
    "فاطمة الزهراء",
    "דוד כהן",
    "张伟",
    "山田花子",
    "김민준",
    "Sam 🙂",
    "Mira 🇺🇦",
)
TODAY = date(2026, 11, 23)


def the_pdf(app: Mutuality, ledger: Callable[[str], object], names: tuple[str, ...]) -> bytes:
    """A report whose tables, chart and prose hold each name (one exchange each way)."""
    lines = []
    for index, name in enumerate(names):
        app.people.add(name)
        day = 1 + index
        lines.append(
            f'gave "{name}" knowledge 2026-10-{day:02d} benefit={1 + index % 9} cost=1 "Help"'
        )
        lines.append(f'got  "{name}" support   2026-11-{day:02d} benefit=2 cost=1 "Thanks"')
    ledger("\n".join(lines))
    return render(app.reports.quarter(), ReportFormat.PDF, TODAY)


def text_of(data: bytes) -> str:
    document = pypdfium2.PdfDocument(data)
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def fonts_in(data: bytes) -> set[str]:
    """The embedded fonts' names, without fpdf2's subset prefix (``ABCDEF+``)."""
    import re

    return {name.decode().split("+")[-1] for name in re.findall(rb"/BaseFont /([^\s/]+)", data)}


@pytest.fixture
def many_scripts(app: Mutuality, ledger: Callable[[str], object]) -> bytes:
    return the_pdf(app, ledger, NAMES)


def test_every_name_prints_in_its_own_script(many_scripts: bytes) -> None:
    text = text_of(many_scripts)
    for name in NAMES:
        # The text layer gives the name back in reading order: right-to-left names were
        # laid out right to left (a left-to-right run would come back reversed).
        assert name in text, name
    assert "?" not in text  # no character was replaced


def test_each_script_is_set_in_a_font_that_has_it(many_scripts: bytes) -> None:
    fonts = fonts_in(many_scripts)
    assert any(font.startswith("FiraGO") for font in fonts), fonts  # Latin to Hebrew
    assert any("Bold" in font for font in fonts), fonts  # the headings are truly bold
    assert any(font.startswith("NotoSansCJK") for font in fonts), fonts  # 张伟, 山田, 김
    assert any(font.startswith("NotoEmoji") for font in fonts), fonts  # 🙂 and the flag


def font_of_each_char(data: bytes) -> dict[str, set[str]]:
    """For each character on the pages, the fonts pdfium says it is drawn in."""
    import ctypes

    raw = pypdfium2.raw
    drawn: dict[str, set[str]] = {}
    for page in pypdfium2.PdfDocument(data):
        textpage = page.get_textpage()
        high = 0
        for index in range(textpage.count_chars()):
            code = raw.FPDFText_GetUnicode(textpage.raw, index)
            if 0xD800 <= code < 0xDC00:  # pdfium counts in UTF-16: keep the first half
                high = code
                continue
            if 0xDC00 <= code < 0xE000:
                code = 0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00)
            buffer = ctypes.create_string_buffer(200)
            raw.FPDFText_GetFontInfo(textpage.raw, index, buffer, 200, ctypes.c_int())
            drawn.setdefault(chr(code), set()).add(buffer.value.decode().split("+")[-1])
    return drawn


def test_each_character_is_drawn_in_a_font_that_has_it(many_scripts: bytes) -> None:
    """No box: every letter of every name comes from a face made for its script (a missing
    glyph would be drawn from the text face as its empty box)."""
    drawn = font_of_each_char(many_scripts)
    expected = {
        "ë": "FiraGO",
        "Д": "FiraGO",
        "λ": "FiraGO",
        "ف": "FiraGO",
        "ד": "FiraGO",
        "张": "NotoSansCJK",
        "山": "NotoSansCJK",
        "김": "NotoSansCJK",
        "🙂": "NotoEmoji",
    }
    for char, font in expected.items():
        assert drawn.get(char) and all(name.startswith(font) for name in drawn[char]), (
            char,
            drawn.get(char),
        )


def test_a_line_that_starts_with_a_hebrew_name_still_runs_left_to_right(
    many_scripts: bytes,
) -> None:
    """'דוד כהן: new. New: first contact...' reads as on the web page: the name (right to
    left within itself) on the left, the English after it, not the whole line turned round."""
    for page in pypdfium2.PdfDocument(many_scripts):
        textpage = page.get_textpage()
        found = textpage.search(": new. New: first contact on 2026-10-05").get_next()
        if found is None:
            continue
        left, bottom, _, top = textpage.get_charbox(found[0])
        hebrew = []
        for index in range(textpage.count_chars()):
            char = textpage.get_text_range(index, 1)
            if "\u05d0" <= char <= "\u05ea":
                x0, y0, _, y1 = textpage.get_charbox(index)
                if y0 < top and y1 > bottom:  # on the same line
                    hebrew.append(x0)
        assert hebrew and max(hebrew) < left, (hebrew, left)
        return
    raise AssertionError("the line about דוד כהן is not in the report")


def test_a_latin_report_embeds_only_the_text_face(
    app: Mutuality, ledger: Callable[[str], object]
) -> None:
    """Fallback fonts are embedded only when a character needs them, so the PDF stays small."""
    data = the_pdf(app, ledger, ("Ana Lima", "José Álvarez", "Søren Kristensen"))
    assert fonts_in(data) and all(font.startswith("FiraGO") for font in fonts_in(data))
    assert "José Álvarez" in text_of(data) and "Søren Kristensen" in text_of(data)
    assert len(data) < 120_000


def test_a_character_no_font_has_shows_as_a_question_mark(
    app: Mutuality, ledger: Callable[[str], object]
) -> None:
    """Honest degradation: a sign is printed where a glyph is missing; an invisible variation
    selector that no font needs is dropped without a trace."""
    data = the_pdf(app, ledger, ("Linear \U00010000 Ann", "Heart ❤\ufe0f Bo"))
    text = text_of(data)
    assert "Linear ? Ann" in text
    assert "Heart ❤" in text


def test_the_fonts_come_from_installed_packages() -> None:
    """Nothing is read from the system's font folders when the packages are installed."""
    text, fallbacks = faces()
    paths = [face.path for face in (*text, *fallbacks) if face.family != "DejaVu"]
    assert [face.family for face in text] == ["FiraGO", "FiraGO"]
    assert {"NotoSansCJK", "NotoEmoji", "NotoSansArabic", "NotoSansDevanagari"} <= {
        face.family for face in fallbacks
    }
    assert not any(str(path).startswith("/usr/share/fonts") for path in paths)


def test_the_web_download_prints_every_script(
    app: Mutuality, ledger: Callable[[str], object], web: Any
) -> None:
    from web_helpers import sign_in

    the_pdf(app, ledger, NAMES)
    client = sign_in(web, app)
    pdf = client.get("/report/download", params={"quarter": "2026Q4", "format": "pdf"})
    assert pdf.status_code == 200
    text = text_of(pdf.content)
    for name in ("张伟", "فاطمة الزهراء", "דוד כהן", "Дарья Соколова"):
        assert name in text, name


def test_without_the_font_packages_the_pdf_still_builds_and_says_what_it_lacks(
    app: Mutuality, ledger: Callable[[str], object], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An install without the fonts (``--no-deps``, no system DejaVu) falls back to the PDF's
    built-in Helvetica: accents dropped, other scripts as visible question marks."""
    import mutuality.reports.pdf as pdf

    monkeypatch.setattr(pdf, "faces", lambda: ([], []))
    text = text_of(the_pdf(app, ledger, ("Zoë Clarke", "张伟")))
    assert "Zoe Clarke" in text and "??" in text
