"""The report as a PDF (fpdf2, pure Python): the same sections, tables and charts as the
HTML file, the charts drawn as vector shapes from the same figures.

Names may be in any script, so the text is set in DejaVu Sans when the system has it
(Debian and Ubuntu ship it in ``fonts-dejavu-core``); without it, the PDF's built-in
Helvetica is used and characters it cannot show are reduced to their plain Latin letters
(``é`` to ``e``) or ``?``. No font is fetched or bundled.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from mutuality.reports.document import Bullets, Chart, Document, Table

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/share/fonts/dejavu-sans-fonts"),
    Path("/usr/local/share/fonts"),
)
INK = (29, 36, 48)
MUTED = (93, 103, 118)
LINE = (217, 222, 230)
GIVEN = (168, 107, 0)
RECEIVED = (43, 90, 168)


def _unicode_font() -> tuple[Path, Path] | None:
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


def _latin(text: str) -> str:
    """Text the built-in fonts can show: accents dropped, anything else as ``?``."""
    plain = unicodedata.normalize("NFKD", text.replace("−", "-").replace("…", "..."))
    kept = "".join(c for c in plain if not unicodedata.combining(c))
    return kept.encode("latin-1", "replace").decode("latin-1")


class _Pdf:
    def __init__(self) -> None:
        self.pdf = FPDF(format="A4")
        self.pdf.set_auto_page_break(True, margin=15)
        self.pdf.set_margins(15, 15, 15)
        found = _unicode_font()
        self.text: Callable[[str], str]
        if found is not None:
            self.pdf.add_font("DejaVu", "", str(found[0]))
            self.pdf.add_font("DejaVu", "B", str(found[1]))
            covered = self.pdf.fonts["dejavu"].cmap
            self.family = "DejaVu"
            self.text = lambda text: "".join(c if ord(c) in covered else "?" for c in text)
        else:
            self.family, self.text = "Helvetica", _latin
        self.pdf.add_page()
        self.width = self.pdf.epw

    def font(self, size: float, bold: bool = False, colour: tuple[int, int, int] = INK) -> None:
        self.pdf.set_font(self.family, "B" if bold else "", size)
        self.pdf.set_text_color(*colour)

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
            self.paragraph(f"•  {item}" if self.family == "DejaVu" else f"-  {item}")

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
            self.pdf.text(x + 4.5, y + 2.6, self.text(label))
            x += 8 + self.pdf.get_string_width(self.text(label))

    def _caption(self, chart: Chart, bottom: float) -> None:
        self.pdf.set_y(bottom + 1)
        self.paragraph(chart.title, size=8, colour=MUTED)

    def flows(self, chart: Chart) -> None:
        height = 55.0
        left, top = self._room(height + 8)
        self._legend(left, top, [(GIVEN, "given"), (RECEIVED, "received")])
        x0, x1, y0, y1 = left + 10, left + self.width - 4, top + 8, top + height - 8
        high = max([f.given for f in chart.flows] + [f.received for f in chart.flows] + [1.0])
        self.pdf.set_draw_color(*LINE)
        self.pdf.line(x0, y1, x1, y1)
        self.font(7, colour=MUTED)
        self.pdf.text(left, y0 + 2, f"{high:.0f}")
        self.pdf.text(left + 4, y1, "0")
        step = (x1 - x0) / max(len(chart.flows) - 1, 1)
        for index, flow in enumerate(chart.flows):
            self.pdf.text(x0 + index * step - 3, y1 + 5, flow.month.strftime("%b"))
        for colour, values in (
            (GIVEN, [f.given for f in chart.flows]),
            (RECEIVED, [f.received for f in chart.flows]),
        ):
            points = [(x0 + i * step, y1 - v / high * (y1 - y0)) for i, v in enumerate(values)]
            self.pdf.set_draw_color(*colour)
            self.pdf.set_fill_color(*colour)
            self.pdf.set_line_width(0.6)
            self.pdf.polyline(points)
            for x, y in points:
                self.pdf.circle(x, y, 0.9, style="F")
        self.pdf.set_line_width(0.2)
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
            self.pdf.text(left, y + 3.3, shown)
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
            self.pdf.text(left, y + 4, self.text(kind))
            for offset, colour, value in ((0.0, GIVEN, given), (3.0, RECEIVED, received)):
                width = max(value / high * span, 0.3)
                self.pdf.set_fill_color(*colour)
                self.pdf.rect(left + label, y + offset, width, 2.6, "F")
                self.font(6.5, colour=MUTED)
                self.pdf.text(left + label + width + 1.5, y + offset + 2.3, f"{value:.1f}")
        self._caption(chart, top + height)


def render_pdf(doc: Document, made_on: date) -> bytes:
    out = _Pdf()
    out.pdf.set_title(out.text(doc.title))
    out.pdf.set_creator("mutuality")
    out.font(18, bold=True)
    out.pdf.cell(0, 10, out.text(doc.title), new_x="LMARGIN", new_y="NEXT")
    out.paragraph(doc.subtitle, size=10, colour=MUTED)
    draw = {"flows": out.flows, "balances": out.balances, "kinds": out.kinds}
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
    out.paragraph(
        f"Made by mutuality on {made_on}; figures from your own ledger only.", size=8, colour=MUTED
    )
    return bytes(out.pdf.output())
