"""Wording the web shows: human dates and plurals, and one meaning for each pill and phrase."""

from __future__ import annotations

from datetime import date

from mutuality.core.health_rules import Status
from mutuality.core.words import age, due_phrase, plural, relative_day, short_date
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
