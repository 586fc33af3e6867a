"""The community report for organisers, as a file: the organiser's view (aggregates only)
drawn as HTML, Markdown or PDF with the renderers of the personal report, so a group's
report reads and prints like one person's.

The words of each figure come from the caller (the presenter the page and ``team report``
use), so the file says exactly what the organiser's page says.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from mutuality.reports import ReportFormat
from mutuality.reports.document import Bullets, Chart, Document, Section, Table

if TYPE_CHECKING:
    from mutuality.services.board_report import CommunityReport

PRIVACY = (
    "Aggregates only: no figure here is computed over fewer than 5 members, and nothing "
    "reads a member's balance, notes or labels. Members giving beyond their capacity are "
    "named only where they chose to be."
)


def community_document(report: CommunityReport, lines: list[tuple[str, str]]) -> Document:
    """The report's sections: the figures in words, the asks' stages as a chart (when every
    stage may be shown), and how each figure is counted."""
    stages = (
        ("posted", report.asks_posted),
        ("answered", report.asks_answered),
        ("met", report.asks_met),
    )
    bars = [(label, float(f.value)) for label, f in stages if f.shown and f.value is not None]
    glance: list[Table | Chart | str | Bullets] = [
        Table(headers=("Figure", "This period"), rows=list(lines))
    ]
    if len(bars) == len(stages):
        glance.append(Chart(kind="counts", title="Asks on the board, by stage", bars=bars))
    return Document(
        title=f"{report.community}: community report",
        subtitle=(
            f"{report.since:%-d %B %Y} to {report.until:%-d %B %Y}; "
            f"{report.members} members. {PRIVACY}"
        ),
        sections=[
            Section("The community at a glance", glance),
            Section(
                "How each figure is counted",
                [
                    Bullets(
                        [
                            "Active members: members who posted on the board or answered a "
                            "post in the period.",
                            "Asks answered: asks of the period with at least one answer; the "
                            "median time to a first answer is over those.",
                            "Share of the help given by the top tenth of helpers: of the "
                            "answers accepted in the period, the share given by the tenth of "
                            "helpers who gave most (a high share means a few carry the group).",
                            "Members giving beyond their capacity: members whose own giving "
                            "budget is at risk or over, counted from their ledgers.",
                            "Mentoring pairs: two members, one keeping the other as mentor or "
                            "mentee; up to date when no check-in between them is late.",
                        ]
                    )
                ],
            ),
        ],
        source="aggregates of the community's board and of its members' ledgers, counted only",
    )


def render_community(
    report: CommunityReport, lines: list[tuple[str, str]], fmt: ReportFormat, made_on: date
) -> bytes:
    """The community report in ``fmt`` (HTML, Markdown or PDF), as the bytes of a file."""
    doc = community_document(report, lines)
    if fmt is ReportFormat.HTML:
        from mutuality.reports.html import render_html

        return render_html(doc, made_on).encode()
    if fmt is ReportFormat.PDF:
        from mutuality.reports.pdf import render_pdf

        return render_pdf(doc, made_on)
    if fmt is ReportFormat.MD:
        from mutuality.reports.markdown import render_markdown

        return render_markdown(doc).encode()
    from mutuality.core.errors import InvalidInput

    raise InvalidInput(
        "the community report is written as HTML, PDF or Markdown (its figures as JSON come "
        "from `team report --format json`)",
        field="format",
        value=fmt.value,
    )
