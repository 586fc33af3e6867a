"""The community report as a file (issue #20): the organiser's view drawn as HTML, PDF and
Markdown with the personal report's renderers, from the command line (`team report --out`)
and the organiser's page (`/team/report.pdf`); the same words as the page; aggregates only,
a member refused. PostgreSQL only: skipped, saying why, when MUTUALITY_TEST_PG is unset."""

from __future__ import annotations

# ruff: noqa: F811 (the fixtures pg_url and server are imported)
from pathlib import Path

from team_web_helpers import (
    found_community,
    needs_server,
    pg_url,  # noqa: F401 (a fixture)
    server,  # noqa: F401 (a fixture)
    signed_in_as,
)
from test_report_output import pdf_text
from typer.testing import CliRunner

from mutuality.cli.main import app
from mutuality.presenters.board import report_lines
from mutuality.reports import ReportFormat
from mutuality.reports.community import render_community
from mutuality.services.app import Mutuality
from mutuality.services.board_report import NOT_SHOWN

pytestmark = needs_server
NAMES = ("Bea Costa", "Cal Diaz", "Dan Eze", "Eve Fox", "Fay Ng")


def busy(server: Mutuality) -> tuple[object, list[object]]:
    """Olu organises five members; each member asks once and Bea answers two of them."""
    community = found_community(server, *NAMES)
    board = server.team.board
    asks = [
        board.post(m.id, "ask", f"Help with the {m.display_name.split()[0]} project")
        for m in community.members
    ]
    for post in asks[1:3]:
        board.answer(community.members[0].id, post.id, post.version, "I can pair on it this week")
    return community.organiser, community.members


def test_every_format_says_what_the_page_says(server: Mutuality) -> None:
    olu, _ = busy(server)
    report = server.team.board.report(olu.id)  # type: ignore[attr-defined]
    lines = report_lines(report)
    for fmt in (ReportFormat.HTML, ReportFormat.MD, ReportFormat.PDF):
        data = render_community(report, lines, fmt, report.until)
        text = " ".join((pdf_text(data) if fmt is ReportFormat.PDF else data.decode()).split())
        assert "community report" in text and "6 members" in text
        for label, words in lines:
            assert label in text and words in text, (fmt, label, words)
        for name in NAMES:  # aggregates only: no member is named
            assert name not in text, (fmt, name)
    assert any(words == "5" for label, words in lines if label == "Asks posted")


def test_team_report_writes_a_file(server: Mutuality, tmp_path: Path) -> None:
    olu, _ = busy(server)
    saved = tmp_path / "circle.pdf"
    url = server.database.url.render_as_string(hide_password=False)
    done = CliRunner().invoke(
        app,
        ["team", "report", "--as", olu.email, "--out", str(saved), "--db", url],  # type: ignore[attr-defined]
    )
    assert done.exit_code == 0, done.output
    assert saved.read_bytes().startswith(b"%PDF") and "Asks posted" in pdf_text(saved.read_bytes())
    wrong = CliRunner().invoke(
        app,
        ["team", "report", "--as", olu.email, "--out", str(tmp_path / "x.txt"), "--db", url],  # type: ignore[attr-defined]
    )
    assert wrong.exit_code == 2 and "end it in .html, .pdf, .md" in " ".join(wrong.output.split())


def test_the_organiser_downloads_it_and_a_member_cannot(server: Mutuality) -> None:
    olu, members = busy(server)
    organiser = signed_in_as(server, olu)
    page = organiser.get("/team/report")
    assert 'href="/team/report.pdf?days=90"' in page.text
    pdf = organiser.get("/team/report.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert "attachment" in pdf.headers["content-disposition"]
    md = organiser.get("/team/report.md")
    assert md.status_code == 200 and "# Circle" not in md.text and "Asks met" in md.text
    assert organiser.get("/team/report.txt").status_code == 404
    member = signed_in_as(server, members[0])
    assert member.get("/team/report.pdf").status_code == 404


def test_a_small_group_shows_no_figure_in_the_file(server: Mutuality) -> None:
    community = found_community(server, "Bea Costa")
    report = server.team.board.report(community.organiser.id)
    text = render_community(report, report_lines(report), ReportFormat.MD, report.until).decode()
    assert NOT_SHOWN in text and "2 members" in text
    assert "Asks on the board, by stage" not in text  # no chart of hidden figures
