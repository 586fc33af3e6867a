"""The report as a PDF (fpdf2, pure Python): the same sections, tables and charts as the
HTML file, the charts drawn as vector shapes from the same figures.

Names may be in any script, and the PDF prints them as the web app does. The fonts come
from Python packages that mutuality depends on, so every install has them and nothing is
fetched: FiraGO (Latin, Greek, Cyrillic, Arabic, Hebrew; regular and bold) is the text
face, and fpdf2 falls back, character by character, to Noto Sans CJK (Chinese, Japanese,
Korean), the Noto Sans faces of other scripts (Armenian, Bengali, Tamil...), Noto Emoji
(monochrome), the Noto symbol faces and, last and only where the system has it, DejaVu
Sans. HarfBuzz (uharfbuzz) shapes the text that needs it, so Arabic letters join and
right-to-left names read right to left. fpdf2 embeds only the glyphs a report uses, so
the file stays small. docs/report.md lists the fonts and their licences.

Where the font packages are missing (an install that skipped dependencies), DejaVu Sans
from the system stands in if present, else the PDF's built-in Helvetica with accents
dropped; a character that no font can show is printed as a visible ``?``.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from mutuality.formats.charts import UNIT, month_labels, nice_ticks, number
from mutuality.reports.document import Bullets, Chart, Document, Table

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/share/fonts/dejavu-sans-fonts"),
    Path("/usr/local/share/fonts"),
)
CJK_FACE = 2  # Noto Sans CJK SC in the collection (JP, KR, SC, TC, HK): Chinese forms first
INK = (29, 36, 48)
MUTED = (93, 103, 118)
LINE = (217, 222, 230)
GIVEN = (168, 107, 0)
RECEIVED = (43, 90, 168)


@dataclass(frozen=True)
class Face:
    """One font file registered with fpdf2 under ``family`` (and ``style``, "" or "B")."""

    family: str
    path: Path
    style: str = ""
    number: int = 0  # the face within a font collection (.ttc)


@functools.cache
def _unpacked() -> Path:
    """A private folder for the fonts that pymupdf-fonts ships compressed inside Python
    modules: fpdf2 and HarfBuzz read a font from a file. Removed when the process ends."""
    folder = Path(tempfile.mkdtemp(prefix="mutuality-fonts-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def _packaged(name: str, filename: str) -> Path | None:
    """A font from pymupdf-fonts, written once per process to a private folder."""
    try:
        import pymupdf_fonts
    except ImportError:
        return None
    path = _unpacked() / filename
    if not path.is_file():  # first use, or a cleaner emptied the temporary folder
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside then renamed, so a report built at the same time never reads half a file.
        partial = path.with_name(f"{filename}.{os.getpid()}.{threading.get_ident()}")
        partial.write_bytes(pymupdf_fonts.fontbuffers[name]())
        partial.replace(path)
    return path


def _package_file(package: str, filename: str) -> Path | None:
    try:
        path = Path(str(resources.files(package).joinpath(filename)))
    except ModuleNotFoundError:
        return None
    return path if path.is_file() else None


def _system_dejavu() -> tuple[Path, Path] | None:
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


def _noto_scripts() -> Iterator[Face]:
    """The Noto Sans faces of scripts beyond Latin, Greek and Cyrillic (manimgx-fonts), then
    Noto Emoji and Noto Sans Symbols; the variable fonts' default instance is the regular."""
    try:
        folder = resources.files("manimgx_fonts")
    except ModuleNotFoundError:
        return
    names = sorted(
        entry.name
        for entry in folder.iterdir()
        if entry.name.startswith("NotoSans")
        and entry.name.endswith(".ttf")
        and entry.name not in ("NotoSans[wght].ttf", "NotoSans-Italic[wght].ttf")
    )
    last = ["NotoSansSymbols[wght].ttf"]
    for name in [n for n in names if n not in last] + ["NotoEmoji[wght].ttf", *last]:
        path = Path(str(folder.joinpath(name)))
        if path.is_file():
            yield Face(name.split("[")[0], path)


def faces() -> tuple[list[Face], list[Face]]:
    """The text faces (regular and bold of one family) and the fallbacks, in the order fpdf2
    tries them. Either may be empty: without a text face the PDF uses Helvetica."""
    text: list[Face] = []
    regular, bold = _packaged("figo", "FiraGO-Regular.ttf"), _packaged("figbo", "FiraGO-Bold.ttf")
    system = _system_dejavu()
    if regular and bold:
        text = [Face("FiraGO", regular), Face("FiraGO", bold, "B")]
    elif system:
        text = [Face("DejaVu", system[0]), Face("DejaVu", system[1], "B")]
    fallbacks: list[Face] = []
    cjk = _package_file("noto_cjk_sans_otc", "NotoSansCJK-Regular.ttc")
    if cjk:
        fallbacks.append(Face("NotoSansCJK", cjk, number=CJK_FACE))
    fallbacks.extend(_noto_scripts())
    symbols = _packaged("symbol2", "NotoSansSymbols2-Regular.ttf")
    if symbols:
        fallbacks.append(Face("NotoSansSymbols2", symbols))
    if system and text and text[0].family != "DejaVu":
        fallbacks.append(Face("DejaVu", system[0]))
    return text, fallbacks


def _latin(text: str) -> str:
    """Text the built-in fonts can show: accents dropped, anything else as ``?``."""
    plain = unicodedata.normalize("NFKD", text.replace("−", "-").replace("…", "..."))
    kept = "".join(c for c in plain if not unicodedata.combining(c))
    return kept.encode("latin-1", "replace").decode("latin-1")


def _invisible(char: str) -> bool:
    """A format character (joiner, direction mark) or a variation selector: nothing to see."""
    code = ord(char)
    return (
        unicodedata.category(char) == "Cf" or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF
    )


@functools.cache
def _cmap(path: Path, number: int) -> frozenset[int]:
    """The characters a font file has, read once per process (the CJK collection's takes a
    fifth of a second)."""
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(path, fontNumber=number, lazy=True).getBestCmap())


def _shaper_installed() -> bool:
    try:
        import uharfbuzz  # noqa: F401
    except ImportError:
        return False
    return True


# Text outside these ranges is shaped: Latin, Greek, Cyrillic and Armenian letters, the
# punctuation, symbols and arrows, and Chinese, Japanese and Korean need no shaping engine.
PLAIN = (
    (0x0000, 0x02FF),
    (0x0370, 0x058F),
    (0x2000, 0x200A),
    (0x2010, 0x2027),
    (0x2030, 0x205F),
    (0x2070, 0x2BFF),
    (0x3000, 0x9FFF),
    (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF),
    (0xFF00, 0xFFEF),
    (0x20000, 0x3FFFF),
)


def _needs_shaping(text: str) -> bool:
    """Whether the text has a character that only HarfBuzz sets right: right-to-left and
    joining scripts, the scripts of India and South-East Asia, combining marks, direction
    marks and joiners, flags and other emoji sequences."""
    return any(not any(low <= code <= high for low, high in PLAIN) for code in map(ord, text))


class _Fonts:
    """The text face plus the fallbacks this report needs. A fallback is registered with
    fpdf2 only when some text has a character the faces so far lack: fpdf2 embeds every
    registered font, so registering all two dozen would slow the PDF and grow it."""

    def __init__(self, pdf: FPDF, text: list[Face], fallbacks: list[Face]) -> None:
        self.pdf, self.fallbacks, self.used = pdf, fallbacks, [False] * len(fallbacks)
        for face in text:
            pdf.add_font(face.family, face.style, str(face.path))
        self.covered: set[int] = set(_cmap(text[0].path, text[0].number))
        self.shaper, self.shaping = _shaper_installed(), False

    def shape(self, texts: Iterable[str]) -> None:
        """Turn HarfBuzz on for text that needs it and off for the rest: fpdf2 shapes a line
        again for each character it adds while breaking lines, so shaping all of a report
        takes several times as long as laying it out without, for the same look in Latin.
        Without uharfbuzz installed the text is still printed, unjoined, left to right."""
        wanted = self.shaper and any(_needs_shaping(text) for text in texts)
        if wanted != self.shaping:
            # Lines run left to right, as the report's English does (and its web page): a
            # right-to-left name reads right to left within them, and "דוד כהן: new." keeps
            # the name first rather than turning the whole line around.
            self.pdf.set_text_shaping(wanted, direction="ltr" if wanted else None)
            self.shaping = wanted

    def shown(self, text: str) -> str:
        """The text, after registering the fallbacks it needs: a character that no font has
        is a visible ``?``, unless it is an invisible format character or variation selector
        (those are dropped)."""
        for char in set(text):
            if ord(char) not in self.covered:
                self._fall_back_for(ord(char))
        return "".join(
            c if ord(c) in self.covered else ("" if _invisible(c) else "?") for c in text
        )

    def _fall_back_for(self, code: int) -> None:
        for index, face in enumerate(self.fallbacks):
            if not self.used[index] and code in _cmap(face.path, face.number):
                self.pdf.add_font(
                    face.family, face.style, str(face.path), collection_font_number=face.number
                )
                self.used[index] = True
                self.covered |= _cmap(face.path, face.number)
                chosen = [
                    f.family for f, used in zip(self.fallbacks, self.used, strict=True) if used
                ]
                self.pdf.set_fallback_fonts(chosen, exact_match=False)
                return


class _Pdf:
    def __init__(self) -> None:
        self.pdf = FPDF(format="A4")
        self.pdf.set_auto_page_break(True, margin=15)
        self.pdf.set_margins(15, 15, 15)
        text, fallbacks = faces()
        self.fonts = _Fonts(self.pdf, text, fallbacks) if text else None
        self.family = text[0].family if text else "Helvetica"
        self.pdf.add_page()
        self.width = self.pdf.epw

    def text(self, text: str) -> str:
        """The text ready to be drawn next: the fallback fonts it needs registered, shaping on
        if it needs it, and what no font can show replaced (see :class:`_Fonts`)."""
        if self.fonts is None:
            return _latin(text)
        self.fonts.shape([text])
        return self.fonts.shown(text)

    def font(self, size: float, bold: bool = False, colour: tuple[int, int, int] = INK) -> None:
        self.pdf.set_font(self.family, "B" if bold else "", size)
        self.pdf.set_text_color(*colour)

    def label(self, x: float, baseline: float, text: str) -> None:
        """Text placed by its baseline, as ``FPDF.text`` does, but through a cell so that it
        is shaped and falls back to other fonts like every other line of the report."""
        shown = self.text(text)
        size = self.pdf.font_size
        margin, self.pdf.c_margin = self.pdf.c_margin, 0
        self.pdf.set_xy(x, baseline - 0.8 * size)
        self.pdf.cell(self.pdf.get_string_width(shown), size, shown)
        self.pdf.c_margin = margin

    def paragraph(self, text: str, size: float = 9.5, colour: tuple[int, int, int] = INK) -> None:
        self.font(size, colour=colour)
        self.pdf.multi_cell(0, 5, self.text(text), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1.5)

    def heading(self, text: str) -> None:
        if self.pdf.get_y() > self.pdf.h - 45:
            self.pdf.add_page()
        self.pdf.ln(3)
        self.font(13, bold=True)
        self.pdf.cell(0, 8, self.text(text), new_x="LMARGIN", new_y="NEXT")
        self.pdf.set_draw_color(*LINE)
        y = self.pdf.get_y()
        self.pdf.line(self.pdf.l_margin, y, self.pdf.l_margin + self.width, y)
        self.pdf.ln(2)

    def bullets(self, items: Sequence[str]) -> None:
        for item in items:
            self.paragraph(f"•  {item}" if self.family != "Helvetica" else f"-  {item}")

    def table(self, table: Table) -> None:
        self.font(8.5)
        self.pdf.set_draw_color(*LINE)
        self.pdf.set_fill_color(255, 255, 255)
        count = len(table.headers)
        narrow = 22.0
        wide = [i for i in range(count) if i not in table.numeric]
        longest = {
            i: min(max(len(row[i]) for row in (table.headers, *table.rows)), 70) + 6 for i in wide
        }
        rest = self.width - narrow * (count - len(wide))
        total = sum(longest.values()) or 1
        widths = tuple(
            narrow if i in table.numeric else rest * longest[i] / total for i in range(count)
        )
        align = tuple("RIGHT" if i in table.numeric else "LEFT" for i in range(count))
        with self.pdf.table(
            col_widths=widths,
            text_align=align,
            borders_layout="HORIZONTAL_LINES",
            headings_style=FontFace(emphasis="BOLD", color=MUTED),
            line_height=4.6,
            padding=0.8,
            width=self.width,
        ) as grid:
            for row in (table.headers, *table.rows):
                cells = grid.row()
                for cell in row:
                    cells.cell(self.text(cell))
            if self.fonts is not None:  # the table is laid out as the block ends: shape it all
                self.fonts.shape(cell for row in (table.headers, *table.rows) for cell in row)
        self.pdf.ln(2)

    # --- charts ------------------------------------------------------------------------------

    def _room(self, height: float) -> tuple[float, float]:
        if self.pdf.get_y() + height > self.pdf.h - 15:
            self.pdf.add_page()
        return self.pdf.l_margin, self.pdf.get_y()

    def _legend(
        self, x: float, y: float, entries: Sequence[tuple[tuple[int, int, int], str]]
    ) -> None:
        self.font(7.5, colour=MUTED)
        for colour, label in entries:
            self.pdf.set_fill_color(*colour)
            self.pdf.rect(x, y, 3, 3, style="F")
            self.label(x + 4.5, y + 2.6, label)
            x += 8 + self.pdf.get_string_width(self.text(label))

    def _caption(self, chart: Chart, bottom: float) -> None:
        self.pdf.set_y(bottom + 1)
        self.paragraph(chart.title, size=8, colour=MUTED)

    def flows(self, chart: Chart) -> None:
        """Paired bars per month in points of benefit, gridlines at round values, months
        with their year, and the month to date hollow and dashed, labelled "to date" (the
        same reading as the HTML chart from :mod:`mutuality.formats.charts`)."""
        height = 62.0
        left, top = self._room(height + 8)
        flows = chart.flows
        partial = flows[-1].through is not None
        self._legend(left, top, [(GIVEN, "given"), (RECEIVED, "received")])
        self.font(7, colour=MUTED)
        if partial:
            self.pdf.text(left + 52, top + 2.6, self.text("dashed: this month so far"))
        self.pdf.text(left, top + 8, self.text(f"{UNIT} a month"))
        x0, x1, y0, y1 = left + 10, left + self.width - 2, top + 12, top + height - 10
        ticks = nice_ticks(0.0, max([f.given for f in flows] + [f.received for f in flows]))
        high = ticks[-1]
        for tick in ticks:
            y = y1 - tick / high * (y1 - y0)
            self.pdf.set_draw_color(*LINE)
            self.pdf.line(x0, y, x1, y)
            tick_label = number(tick)
            self.pdf.text(x0 - 1.5 - self.pdf.get_string_width(tick_label), y + 1, tick_label)
        slot = (x1 - x0) / len(flows)
        bar = slot * 0.36
        for index, (flow, label) in enumerate(
            zip(flows, month_labels([f.month for f in flows], 12), strict=True)
        ):
            centre = x0 + slot * (index + 0.5)
            for offset, colour, value in (
                (-bar, GIVEN, flow.given),
                (0.0, RECEIVED, flow.received),
            ):
                tall = value / high * (y1 - y0)
                if flow.through is None:
                    self.pdf.set_fill_color(*colour)
                    if tall > 0:
                        self.pdf.rect(centre + offset, y1 - tall, bar, tall, style="F")
                else:
                    self.pdf.set_draw_color(*colour)
                    self.pdf.set_line_width(0.3)
                    self.pdf.set_dash_pattern(dash=0.8, gap=0.6)
                    self.pdf.rect(centre + offset, y1 - max(tall, 0.4), bar, max(tall, 0.4))
                    self.pdf.set_dash_pattern()
                    self.pdf.set_line_width(0.2)
            self.font(6.5, colour=MUTED)
            if label is not None:
                width = self.pdf.get_string_width(label)
                self.pdf.text(centre - width / 2, y1 + 4, label)
            if flow.through is not None:
                width = self.pdf.get_string_width("to date")
                self.pdf.text(centre - width / 2, y1 + 7.5, "to date")
        self._caption(chart, top + height)

    def balances(self, chart: Chart) -> None:
        row = 5.5
        height = 8 + row * len(chart.bars)
        left, top = self._room(height + 8)
        self._legend(left, top, [(GIVEN, "you give more"), (RECEIVED, "they give more")])
        label = 48.0
        middle = left + label + (self.width - label) / 2
        half = (self.width - label) / 2 - 2
        self.pdf.set_draw_color(*LINE)
        self.pdf.line(middle, top + 6, middle, top + height)
        for index, (name, value) in enumerate(chart.bars):
            y = top + 7 + index * row
            self.font(7.5, colour=MUTED)
            shown = self.text(name)
            while shown and self.pdf.get_string_width(shown) > label - 3:
                shown = shown[:-1]
            self.label(left, y + 3.3, shown)
            width = max(abs(value) * half, 0.4)
            self.pdf.set_fill_color(*(GIVEN if value >= 0 else RECEIVED))
            self.pdf.rect(middle if value >= 0 else middle - width, y, width, row - 1.5, "F")
        self._caption(chart, top + height)

    def kinds(self, chart: Chart) -> None:
        row = 7.0
        height = 8 + row * len(chart.pairs)
        left, top = self._room(height + 8)
        self._legend(left, top, [(GIVEN, "given"), (RECEIVED, "received")])
        label = 30.0
        high = max([max(g, r) for _, g, r in chart.pairs] + [1.0])
        span = self.width - label - 14
        for index, (kind, given, received) in enumerate(chart.pairs):
            y = top + 7 + index * row
            self.font(7.5, colour=MUTED)
            self.label(left, y + 4, kind)
            for offset, colour, value in ((0.0, GIVEN, given), (3.0, RECEIVED, received)):
                width = max(value / high * span, 0.3)
                self.pdf.set_fill_color(*colour)
                self.pdf.rect(left + label, y + offset, width, 2.6, "F")
                self.font(6.5, colour=MUTED)
                self.pdf.text(left + label + width + 1.5, y + offset + 2.3, f"{value:.1f}")
        self._caption(chart, top + height)

    def counts(self, chart: Chart) -> None:
        """One bar per count (the stages of the community's asks), each with its number."""
        row = 7.0
        height = 4 + row * len(chart.bars)
        left, top = self._room(height + 8)
        label = 30.0
        high = max([value for _, value in chart.bars] + [1.0])
        span = self.width - label - 14
        for index, (name, value) in enumerate(chart.bars):
            y = top + 2 + index * row
            self.font(7.5, colour=MUTED)
            self.label(left, y + 3.5, name)
            width = max(value / high * span, 0.3)
            self.pdf.set_fill_color(*RECEIVED)
            self.pdf.rect(left + label, y, width, 4.0, "F")
            self.font(7, colour=MUTED)
            self.pdf.text(left + label + width + 1.5, y + 3.2, f"{value:g}")
        self._caption(chart, top + height)


def render_pdf(doc: Document, made_on: date) -> bytes:
    out = _Pdf()
    out.pdf.set_title(out.text(doc.title))
    out.pdf.set_creator("mutuality")
    out.font(18, bold=True)
    out.pdf.cell(0, 10, out.text(doc.title), new_x="LMARGIN", new_y="NEXT")
    out.paragraph(doc.subtitle, size=10, colour=MUTED)
    draw = {"flows": out.flows, "balances": out.balances, "kinds": out.kinds, "counts": out.counts}
    for section in doc.sections:
        out.heading(section.title)
        for block in section.blocks:
            if isinstance(block, str):
                out.paragraph(block)
            elif isinstance(block, Bullets):
                out.bullets(block.items)
            elif isinstance(block, Table):
                out.table(block)
            elif isinstance(block, Chart) and (block.flows or block.bars or block.pairs):
                draw[block.kind](block)
    out.paragraph(f"Made by mutuality on {made_on}; {doc.source}.", size=8, colour=MUTED)
    return bytes(out.pdf.output())
