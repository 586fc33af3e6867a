"""Wording the web shows: human dates and plurals, and one meaning for each pill and phrase."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from conftest import TODAY as TODAY_POPULATED
from conftest import owner_id
from fastapi.testclient import TestClient
from web_helpers import sign_in, web_client

from mutuality.core.health_rules import Action, Status
from mutuality.core.requests import (
    DECISION_WORDS,
    Decision,
    Factor,
    Situation,
    Standing,
    factors_of,
    propose,
)
from mutuality.core.words import age, due_phrase, plural, relative_day, short_date
from mutuality.services.app import Mutuality
from mutuality.web.render import STATUS_CLASS, STATUS_MEANING, build_environment

TODAY = date(2026, 3, 20)


def render(source: str, **values: object) -> str:
    return build_environment().from_string(source).render(today=TODAY, **values)


def test_plural_says_one_day_and_many_days() -> None:
    assert plural(1, "day") == "1 day"
    assert plural(280, "day") == "280 days"
    assert plural(0, "person", "people") == "0 people"
    assert plural(2, "person", "people") == "2 people"
    assert render('{{ n|plural("exchange") }}', n=1) == "1 exchange"


def test_dates_read_as_words_near_today_and_as_day_and_month_further_away() -> None:
    assert relative_day(TODAY, TODAY) == "today"
    assert relative_day(date(2026, 3, 19), TODAY) == "yesterday"
    assert relative_day(date(2026, 3, 21), TODAY) == "tomorrow"
    assert relative_day(date(2026, 3, 23), TODAY) == "in 3 days"
    assert relative_day(date(2026, 3, 15), TODAY) == "5 days ago"
    assert relative_day(date(2026, 4, 22), TODAY) == "22 Apr"
    assert relative_day(date(2025, 3, 22), TODAY) == "22 Mar 2025"
    assert short_date(date(2027, 1, 2), TODAY) == "2 Jan 2027"


def test_the_day_filter_keeps_the_iso_date_in_a_time_element() -> None:
    html = render("{{ d|day }}", d=date(2025, 3, 22))
    assert html == '<time datetime="2025-03-22" title="2025-03-22">22 Mar 2025</time>'
    assert render("{{ d|day }}", d=None) == "never"
    assert ">today</time>" in render("{{ d|day }}", d=TODAY)
    assert ">20 Mar</time>" in render("{{ d|date }}", d=TODAY)
    assert ">1 Dec 2025</time>" in render("{{ d|date }}", d=date(2025, 12, 1))
    assert render("{{ d|day }}", d="2026-03-19") == render("{{ d|day }}", d=date(2026, 3, 19))
    assert ">yesterday</time>" in render("{{ d|day }}", d="2026-03-19")


def test_ago_uses_the_largest_sensible_unit() -> None:
    assert ">5 weeks ago</time>" in render("{{ d|ago }}", d=date(2026, 2, 13))
    assert ">yesterday</time>" in render("{{ d|ago }}", d=date(2026, 3, 19))
    assert render("{{ d|ago }}", d=None) == "never"
    assert age(date(2026, 3, 19), TODAY) == "yesterday"
    assert age(date(2025, 6, 13), TODAY) == "9 months ago"
    assert age(date(2024, 3, 1), TODAY) == "2 years ago"


def test_lateness_is_said_in_days_not_with_a_pill() -> None:
    assert due_phrase(date(2026, 3, 15), TODAY) == "due 5 days ago"
    assert due_phrase(date(2025, 6, 13), TODAY) == "due 280 days ago"
    assert due_phrase(date(2026, 3, 19), TODAY) == "due yesterday"
    assert due_phrase(TODAY, TODAY) == "due today"
    assert due_phrase(date(2026, 3, 23), TODAY) == "due in 3 days"
    html = render("check-in {{ d|due }}", d=date(2026, 3, 15))
    assert html == 'check-in <time datetime="2026-03-15" title="2026-03-15">due 5 days ago</time>'
    assert "badge" not in html


def test_every_health_status_has_its_own_pill_and_meaning() -> None:
    for status in Status:
        assert status.value in STATUS_CLASS
        assert STATUS_MEANING[status.value]
        html = render("{{ s|status_pill }}", s=status)
        assert f'class="badge {STATUS_CLASS[status.value]}"' in html
        assert f">{status.value}</span>" in html
    assert len(set(STATUS_CLASS.values())) == len(STATUS_CLASS)
    assert render("{{ s|status_pill }}", s="made") == '<span class="badge muted">made</span>'
    assert render('{% from "macros.html" import badge %}{{ badge("fading") }}') == render(
        "{{ s|status_pill }}", s="fading"
    )


# --- a request's pill and its sentence come from the same decision ---------------------------

STANDINGS = [
    None,
    Standing(Status.BALANCED, Action.CHECK_IN, balance=0.1),
    Standing(Status.OVER_RECEIVING, Action.GIVE_BACK, balance=-0.6),
    Standing(Status.OVER_GIVING, Action.INVITE, balance=0.4),
    Standing(Status.OVER_GIVING, Action.SAY_NO_KINDLY, balance=0.8),
    Standing(Status.OVER_GIVING, Action.PAUSE_GIVING, balance=0.9),
]
VERDICTS = {"an easy no": Decision.NO, "an easy yes": Decision.YES}


def test_a_proposal_s_reason_never_reads_as_another_decision() -> None:
    """The base verdict ("an easy no") may stand in the reason only as the starting point
    of a proposal that moved; the reason then ends on the proposal itself."""
    moved = 0
    for benefit in range(0, 11):
        for cost in range(0, 11):
            for standing in STANDINGS:
                for left in (None, 0.5, 0.0):
                    for mine in (False, True):
                        situation = Situation(
                            standing=standing, capacity_left=left, asked_by_me=mine
                        )
                        proposal = propose(benefit, cost, situation)
                        reason = proposal.reason
                        assert "`" not in reason and "mutuality " not in reason
                        for words, verdict in VERDICTS.items():
                            if words in reason and verdict is not proposal.decision:
                                assert reason.startswith("On benefit and cost alone: ")
                        if proposal.decision is not proposal.base:
                            moved += 1
                            assert reason.startswith("On benefit and cost alone: "), reason
                            said = f"So the proposal is {DECISION_WORDS[proposal.decision]}."
                            assert said in reason
    assert moved > 100


def test_an_easy_no_moved_to_negotiate_says_so() -> None:
    received_more = Standing(Status.OVER_RECEIVING, Action.GIVE_BACK, balance=-0.6)
    proposal = propose(1, 8, Situation(standing=received_more))
    assert (proposal.base, proposal.decision) == (Decision.NO, Decision.NEGOTIATE)
    assert proposal.reason.startswith(
        "On benefit and cost alone: a small benefit to them for a major cost to you"
    )
    assert "lean towards yes. So the proposal is negotiate: look for a third option." in (
        proposal.reason
    )


def test_a_reason_stored_in_the_earlier_words_is_still_read_back() -> None:
    earlier = (
        "Benefit and cost are close (benefit to them 5, cost to you 4): look for a third "
        "option. You already give more than you receive here, and your giving budget is at "
        "risk (as `next` says: say no kindly)."
    )
    assert Factor.BUDGET_AT_RISK in factors_of(earlier, 5, 4)
    now = propose(8, 2, Situation(standing=STANDINGS[4]))
    assert Factor.BUDGET_AT_RISK in now.factors
    assert set(factors_of(now.reason, 8, 2)) == set(now.factors)
    assert "its next action: say no kindly" in now.reason


# --- the pages ------------------------------------------------------------------------------


@pytest.fixture
def client(populated: Mutuality) -> TestClient:
    return sign_in(web_client(populated), populated)


def section(html: str, name: str) -> str:
    return html.split(f'id="{name}"')[1].split("</section>")[0]


def test_the_agenda_says_a_late_check_in_in_words_not_with_a_pill(
    client: TestClient, populated: Mutuality
) -> None:
    agenda = section(client.get("/checkins").text, "agenda")
    late = [item for _, item in populated.checkins.agenda() if item.due_on < TODAY_POPULATED]
    assert late, "the populated ledger has someone whose check-in is late"
    for item in late:
        days = (TODAY_POPULATED - item.due_on).days
        assert f">due {days} days ago</time>" in agenda
    assert "<strong><time" in agenda  # late: in bold words
    assert "badge" not in agenda and "overdue" not in agenda and "day(s)" not in agenda
    assert "no contact logged yet" in agenda  # Dana Smith: nothing logged


# --- one source for the burnout warning ---------------------------------------------------------

I_GIVE_TOO_MUCH = """
gave "Ana Lima" time     2026-10-10 benefit=6 cost=8 "Built her site"
gave "Bo Chen"  time     2026-11-02 benefit=5 cost=7 "Moved house"
gave "Cy Park"  time     2026-11-05 benefit=5 cost=7 "Painted the hall"
got  "Cy Park"  feedback 2026-11-06 benefit=1 cost=1 "A thank-you card"
"""


def report_texts(app: Mutuality, client: TestClient, db: Path) -> dict[str, str]:
    """The same quarter's report as the web page, the PDF, and the command line's file."""
    import pypdfium2  # the report tests read PDFs with it too

    page = client.get("/report").text
    pdf = client.get("/report/download?format=pdf").content
    document = pypdfium2.PdfDocument(pdf)
    pdf_text = "\n".join(p.get_textpage().get_text_range() for p in document)
    return {"web": page, "pdf": " ".join(pdf_text.split()), "cli": cli_report(db)}


def cli_report(db: Path) -> str:
    from typer.testing import CliRunner

    from mutuality.cli.main import app as cli_app

    path = db.parent / "report.md"
    result = CliRunner().invoke(cli_app, ["--db", str(db), "report", "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path.read_text()


def test_the_report_never_says_no_warning_while_i_am_at_risk_of_burnout(
    app: Mutuality, ledger: Callable[[str], object], tmp_path: Path
) -> None:
    ledger(I_GIVE_TOO_MUCH)
    assert app.health.network().figures.burnout_risk == [owner_id(app)]
    report = app.reports.quarter()
    assert report.warnings[0].startswith("You are at risk of burnout")
    assert report.network.burnout_risk == 0  # the others: the owner is a warning instead
    client = sign_in(web_client(app), app)
    for where, text in report_texts(app, client, tmp_path / "t.db").items():
        assert "You are at risk of burnout" in text, where
        assert "Nobody else is at risk of burnout." in text, where
        assert "No burnout warning" not in text, where
        assert "mutuality " not in text.replace("Made by mutuality", ""), where


def test_without_a_warning_the_report_says_so_once_and_counts_only_the_others(
    populated: Mutuality, client: TestClient
) -> None:
    report = populated.reports.quarter()
    assert report.warnings == []
    page = client.get("/report").text
    assert "No burnout warning for you." in page
    assert "Nobody else is at risk of burnout." in page or "Others at risk of burnout" in page
    assert "set one on the capacity page" in page


def test_a_strained_budget_says_the_same_warning_on_every_surface(
    populated: Mutuality, client: TestClient, tmp_path: Path
) -> None:
    populated.capacity.set(2, "points", "month")
    use = populated.capacity.use()
    warning = use.warning()
    assert warning is not None and warning.startswith("Over budget")
    assert warning in " ".join(client.get("/capacity").text.split())
    assert warning in populated.reports.quarter().warnings
    assert warning in " ".join(report_texts(populated, client, tmp_path / "t.db")["pdf"].split())


def test_a_late_commitment_says_how_late_in_words(populated: Mutuality, client: TestClient) -> None:
    back_then = Mutuality(populated.database, populated.settings, lambda: date(2026, 11, 1))
    back_then.requests.ask_and_decide(
        "Ana Lima", "Review the plan", benefit=8, cost=1, decision="yes", due="2026-11-18"
    )
    populated.requests.ask_and_decide(
        "Bo Chen", "Lend the ladder", benefit=8, cost=1, decision="yes", due="2026-11-24"
    )
    html = client.get("/requests").text
    table = section(html, "commitments")
    assert '<strong><time datetime="2026-11-18" title="2026-11-18">due 5 days ago</time>' in table
    assert ">due tomorrow</time>" in table
    assert "badge" not in table and "overdue" not in table


def test_forgetting_someone_counts_exchanges_in_words(
    populated: Mutuality, client: TestClient
) -> None:
    bo = populated.people.get("Bo Chen").person.id
    html = client.get(f"/people/{bo}/forget").text
    assert "This deletes Bo Chen and 1 exchange with them." in html
    assert "(s)" not in html


def test_the_people_list_shows_health_pills_and_human_time(
    populated: Mutuality, client: TestClient
) -> None:
    html = client.get("/people").text
    assert '<p class="muted">4 people</p>' in html
    assert client.get("/people", params={"search": "Dana"}).text.count("1 person</p>") == 1
    bo = populated.health.for_person("Bo Chen").health
    assert f'class="badge {STATUS_CLASS[bo.status.value]}" title="' in html
    assert ">3 days ago</time>" in html  # Bo: helped him move three days ago
    assert "Check in every</th>" in html and ">30\u00a0days</td>" in html
    assert " d</td>" not in html


def test_an_introduction_s_state_is_words_not_a_health_pill(
    populated: Mutuality, client: TestClient
) -> None:
    populated.introductions.propose("Ana Lima", "Bo Chen", reason="both build furniture")
    html = client.get("/introductions").text
    card = html.split('class="card intro"')[1].split("</section>")[0]
    assert "badge" not in card
    assert '<span class="muted">· proposed</span>' in card
    assert "<time datetime=" in card
    assert not re.search(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d", card)  # no machine timestamps


def test_the_exchange_form_names_the_receiver_and_the_giver(client: TestClient) -> None:
    """Its direction can be either way, so benefit is the receiver's, not "them"."""
    html = client.get("/log").text
    assert "Benefit to the receiver" in html and "Cost to the giver" in html
    assert "Benefit to them" not in html


def test_the_requests_page_says_the_proposal_and_its_reason_together(
    populated: Mutuality, client: TestClient
) -> None:
    populated.requests.ask("Ana Lima", "Paint my flat", benefit=1, cost=8)
    request = populated.requests.ask("Bo Chen", "Lend the ladder", benefit=8, cost=1)
    html = client.get("/requests").text
    card = html.split(f'id="request-{request.id}"')[1].split("</article>")[0]
    assert f"Proposed: <strong>{request.proposal.value}</strong>. " in card
    assert "badge" not in section(html, "open-requests")
    for article in section(html, "open-requests").split("<article")[1:]:
        proposed = article.split("Proposed: <strong>")[1].split("</strong>")[0]
        reason = article.split("</strong>. ")[1].split("</p>")[0]
        if "an easy no" in reason and proposed != "no":
            assert reason.startswith("On benefit and cost alone") and "So the proposal" in reason


def test_the_board_says_where_a_wish_came_from_and_since_when(
    populated: Mutuality, client: TestClient
) -> None:
    populated.needs.add("need", "Ana Lima", "A printer for the studio", source="them")
    html = client.get("/board").text
    assert "<td>said by them</td>" in html and "<td>them</td>" not in html
    assert '<td>since <time datetime="2026-11-23" title="2026-11-23">today</time>' in html
    assert "<th>Open</th>" in html and "comma, separated" not in html


def test_docs_list_every_pill_with_its_meaning() -> None:
    docs = Path(__file__).parents[1] / "docs" / "web.md"
    words = docs.read_text().split("## Words on the pages")[1].split("\n## ")[0]
    for status in Status:
        row = next(line for line in words.splitlines() if line.startswith(f"| {status.value} |"))
        said = re.sub(r" \([^)]*\)", "", row.split("|")[2].strip())  # asides the tooltip leaves out
        assert said == STATUS_MEANING[status.value], status
