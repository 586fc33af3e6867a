"""The report's formats, its web page and its command: self-contained HTML, Markdown, a real
PDF with charts, JSON; names escaped; private notes in no output."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mutuality.cli.main import app as cli
from mutuality.reports import ReportFormat, render
from mutuality.services.app import Mutuality

CANARY = "CANARY-5e1f"
ODD_NAME = '<script>alert("x")</script> & [Eve](javascript:x) *Bold*'
LEDGER = f"""
gave "Ana Lima" knowledge    2026-08-10 benefit=4 cost=1 note={CANARY}-exchange "Reviewed her deck"
got  "Ana Lima" support      2026-10-05 benefit=6 cost=2 "Listened"
gave "Bo Chen"  time         2026-11-02 benefit=3 cost=3 "Helped him move"
gave "Bo Chen"  knowledge    2026-11-10 benefit=5 cost=1 "Explained taxes"
touch "Bo Chen" 2026-11-12 note={CANARY}-touch
"""
TODAY = date(2026, 11, 23)


@pytest.fixture
def planted(app: Mutuality, ledger: Callable[[str], object]) -> Mutuality:
    """A small ledger with the canary in every private field, and a name full of markup."""
    app.people.add("Ana Lima", context="friend", private_note=f"{CANARY}-person")
    app.people.add("Bo Chen", context="colleague")
    app.people.add(ODD_NAME)
    ledger(LEDGER)
    app.ledger.log(
        ODD_NAME,
        "got",
        kind="feedback",
        what="Notes",
        on="2026-11-03",
        benefit=4,
        cost=1,
        private_note=f"{CANARY}-odd",
    )
    app.checkins.record("Ana Lima", on="2026-11-01", my_satisfaction=4, note=f"{CANARY}-checkin")
    intro = app.introductions.propose("Ana Lima", "Bo Chen", reason="both build furniture")
    app.introductions.ask(intro.introduction.id)
    app.introductions.answer(intro.introduction.id, "Ana Lima", note=f"{CANARY}-answer")
    return app


def outputs(app: Mutuality) -> dict[ReportFormat, bytes]:
    report = app.reports.quarter()
    return {fmt: render(report, fmt, TODAY) for fmt in ReportFormat}


def pdf_text(data: bytes) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def test_no_private_note_in_any_format(planted: Mutuality) -> None:
    for fmt, data in outputs(planted).items():
        text = pdf_text(data) if fmt is ReportFormat.PDF else data.decode()
        assert "Ana Lima" in text, fmt  # the report is there...
        assert CANARY not in text, fmt  # ...and no private note in it


def test_the_html_is_one_self_contained_file_with_names_escaped(planted: Mutuality) -> None:
    html = outputs(planted)[ReportFormat.HTML].decode()
    assert html.startswith("<!doctype html>") and "<style>" in html
    assert "<script" not in html.lower()
    assert not re.search(r"https?://", html.replace('xmlns="http://www.w3.org/2000/svg"', ""))
    assert not re.search(r"\s(src|href)=", html)  # nothing loaded, nowhere to go
    assert html.count('<svg class="chart"') == 3  # by month, by kind, balance by relationship
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; [Eve]" in html


def test_markdown_tables_with_markup_escaped(planted: Mutuality) -> None:
    md = outputs(planted)[ReportFormat.MD].decode()
    assert md.startswith("# Contribution report 2026Q4\n")
    assert "| Bo Chen | 8.0 | 0.0 | 0.0 | 0.0 | 4.0 |" in md
    assert "\\<script\\>" in md and "\\[Eve\\](javascript:x) \\*Bold\\*" in md
    assert "<script>" not in md
    assert "*Chart: Benefit given and received per month (in the HTML and PDF versions).*" in md


def test_json_for_scripts(planted: Mutuality) -> None:
    data = json.loads(outputs(planted)[ReportFormat.JSON])
    assert data["quarter"] == "2026Q4" and data["as_of"] == "2026-11-23"
    assert data["totals"]["now"]["given"] == 8 and data["totals"]["now"]["received"] == 10
    assert data["totals"]["now"]["surplus"] == 8 - 4 + 10 - 3
    assert set(data["status_counts"]) >= {"new", "overdue", "quiet"}
    assert data["playbook"][0]["action"]


def test_the_pdf_renders_with_its_title_figures_and_coloured_charts(planted: Mutuality) -> None:
    import pypdfium2

    data = outputs(planted)[ReportFormat.PDF]
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    for figure in (
        "Contribution report 2026Q4",
        "You gave 8.0 points",
        "received 10.0",
        "Surplus created: 11.0",
        "Playbook for next quarter",
        "Bo Chen",
    ):
        assert figure in text, figure
    image = pypdfium2.PdfDocument(data)[0].render(scale=1, rev_byteorder=True).to_numpy()
    red, green, blue = (image[..., i].astype(int) for i in range(3))
    title = (red + green + blue)[: image.shape[0] // 10]
    assert (title < 200).sum() > 100, "no dark title pixels"
    given = ((red > 140) & (green > 80) & (green < 130) & (blue < 40)).sum()
    received = ((red < 70) & (green > 70) & (green < 110) & (blue > 150)).sum()
    assert given > 50 and received > 50, "no chart colours on the first page"


def test_the_web_page_and_its_downloads(planted: Mutuality, web: Any) -> None:
    from web_helpers import sign_in

    assert web.get("/report", follow_redirects=False).status_code in (303, 401)
    client = sign_in(web, planted)
    page = client.get("/report", params={"quarter": "2026Q4"})
    assert page.status_code == 200
    html = page.text
    assert '<a href="/report" aria-current="page">Report</a>' in html
    assert "Contribution report 2026Q4" in html and '<svg class="chart"' in html
    assert "&lt;script&gt;alert" in html and CANARY not in html
    assert " style=" not in html and "<style" not in html  # the content security policy
    assert not re.search(r"<script(?![^>]*src=\"/static/)", html)
    for fmt in ("html", "pdf", "md", "json"):
        assert f"/report/download?quarter=2026Q4&amp;format={fmt}" in html
    pdf = client.get("/report/download", params={"quarter": "2026Q4", "format": "pdf"})
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert 'filename="mutuality-report-2026Q4.pdf"' in pdf.headers["content-disposition"]
    assert pdf.content.startswith(b"%PDF-")
    md = client.get("/report/download", params={"quarter": "2026Q3", "format": "md"})
    assert md.text.startswith("# Contribution report 2026Q3")
    bad = client.get("/report", params={"quarter": "2026Q5"})
    assert bad.status_code == 422 and "2026Q5" in bad.text


# --- the command --------------------------------------------------------------------------------


runner = CliRunner()


def run(db: str, *args: str) -> Any:
    return runner.invoke(cli, ["--db", db, *args])


@pytest.fixture
def db(planted: Mutuality) -> str:
    return str(planted.database.path)


def test_report_command_writes_each_format(db: str, tmp_path: Path) -> None:
    shown = run(db, "report", "--quarter", "2026Q3")
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.startswith("# Contribution report 2026Q3")
    for name, start in (
        ("r.html", b"<!doctype html>"),
        ("r.pdf", b"%PDF-"),
        ("r.md", b"# "),
        ("r.json", b"{"),
    ):
        done = run(db, "report", "--quarter", "2026Q3", "--out", str(tmp_path / name))
        assert done.exit_code == 0, done.output
        assert (tmp_path / name).read_bytes().startswith(start)
        assert "Wrote the 2026Q3 report" in done.stderr
    forced = run(db, "report", "--quarter", "2026q3", "-f", "html", "-o", str(tmp_path / "x.txt"))
    assert forced.exit_code == 0 and (tmp_path / "x.txt").read_text().startswith("<!doctype")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--quarter", "2026Q5"), "--quarter '2026Q5'"),
        (("--quarter", "26Q1"), "--quarter '26Q1'"),
        (("--format", "docx"), "format 'docx'"),
        (("--out", "report.txt"), "cannot tell the format from 'report.txt'"),
    ],
)
def test_report_command_refuses_bad_options(db: str, args: tuple[str, ...], message: str) -> None:
    result = run(db, "report", *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_health_and_network_as_of_a_day(db: str) -> None:
    report = json.loads(run(db, "report", "--quarter", "2026Q3", "-f", "json").stdout)
    before = json.loads(run(db, "health", "--as-of", "2026-06-30", "-f", "json").stdout)
    assert len(before) == sum(pair[0] for pair in report["status_counts"].values())
    counted: dict[str, int] = {}
    for item in before:
        counted[item["status"]] = counted.get(item["status"], 0) + 1
    assert counted == {s: pair[0] for s, pair in report["status_counts"].items() if pair[0]}
    network = json.loads(run(db, "network", "--as-of", "2026-09-30", "-f", "json").stdout)
    assert network["people"] == report["network"]["people"]
    assert network["relationships"] == report["network"]["relationships"]
    future = run(db, "health", "--as-of", "2999-01-01")
    assert future.exit_code == 2 and "--as-of 2999-01-01 is in the future" in future.stderr
