"""Dates users type (core/dates.py), small fields (core/fields.py), the scale (core/scale.py)
and the errors they raise (core/errors.py)."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mutuality.core import fields
from mutuality.core.dates import check_not_future, parse_past_date
from mutuality.core.errors import (
    Ambiguous,
    BadFile,
    Conflict,
    InvalidInput,
    MutualityError,
    NotFound,
    StorageError,
)
from mutuality.core.model import Channel, ExchangeKind
from mutuality.core.scale import ANCHORS, KIND_DEFAULTS, check_points, parse_kind

TODAY = date(2026, 11, 23)


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-10-01", date(2026, 10, 1)),
        (" 2026-11-23 ", TODAY),
        ("2020-02-29", date(2020, 2, 29)),
        ("today", TODAY),
        ("Today", TODAY),
        ("yesterday", date(2026, 11, 22)),
        ("YESTERDAY ", date(2026, 11, 22)),
        ("3 days ago", date(2026, 11, 20)),
        ("1 day ago", date(2026, 11, 22)),
        ("0 days ago", TODAY),
        ("3d", date(2026, 11, 20)),
        ("3 d", date(2026, 11, 20)),
        ("10 days", date(2026, 11, 13)),
        ("2w", date(2026, 11, 9)),
        ("2 weeks ago", date(2026, 11, 9)),
        ("1 week", date(2026, 11, 16)),
    ],
)
def test_parse_past_date(text, expected) -> None:
    assert parse_past_date(text, TODAY) == expected


@pytest.mark.parametrize("text", ["2026-11-24", "2027-01-01", "9999-12-31"])
def test_future_date_is_rejected_with_field_and_value(text) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_past_date(text, TODAY, field="when")
    error = caught.value
    assert error.field == "when"
    assert error.value == text
    assert "future" in error.message
    assert "2026-11-23" in error.message  # says what today is


@pytest.mark.parametrize(
    "text",
    [
        "",
        "tomorrow",
        "next week",
        "2026-13-01",
        "2026-02-30",
        "23/11/2026",
        "3 months ago",
        "-3 days",
        "three days ago",
        "2026-1-1x",
        "\x00",
    ],
)
def test_unparseable_date_is_rejected_with_field_and_value(text) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_past_date(text, TODAY)
    error = caught.value
    assert error.field == "date"
    assert error.value == text
    assert repr(text) in error.message
    assert "YYYY-MM-DD" in error.message


def test_check_not_future() -> None:
    assert check_not_future(TODAY, TODAY) == TODAY
    assert check_not_future(date(1990, 1, 1), TODAY) == date(1990, 1, 1)
    with pytest.raises(InvalidInput) as caught:
        check_not_future(TODAY + timedelta(days=1), TODAY, "on")
    assert (caught.value.field, caught.value.value) == ("on", "2026-11-24")


@given(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
def test_any_past_iso_date_parses_to_itself(day) -> None:
    assert parse_past_date(day.isoformat(), TODAY) == day


@given(st.dates(max_value=date(1899, 12, 31)))
def test_any_date_before_1900_is_refused(day) -> None:
    with pytest.raises(InvalidInput, match="too long ago"):
        parse_past_date(day.isoformat(), TODAY)


@given(st.dates(min_value=TODAY + timedelta(days=1)))
def test_any_future_iso_date_is_rejected(day) -> None:
    with pytest.raises(InvalidInput):
        parse_past_date(day.isoformat(), TODAY)


@given(st.integers(min_value=0, max_value=(TODAY - date(1900, 1, 1)).days))
def test_days_ago_counts_back(days) -> None:
    assert parse_past_date(f"{days} days ago", TODAY) == TODAY - timedelta(days=days)


# --- emails, phones, tags, text -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("ana@example.org", "ana@example.org"),
        ("  Ana.Lima+work@Example.ORG ", "ana.lima+work@example.org"),
        ("josé@exemplo.pt", "josé@exemplo.pt"),
    ],
)
def test_email_accepted_and_lowercased(raw, clean) -> None:
    assert fields.email(raw) == clean


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "ana",
        "ana@",
        "@example.org",
        "ana@example",
        "ana@@example.org",
        "ana lima@example.org",
        "a@b@c.org",
        "x" * 320 + "@example.org",
    ],
)
def test_bad_email_rejected_with_field_and_value(raw) -> None:
    with pytest.raises(InvalidInput) as caught:
        fields.email(raw)
    assert caught.value.field == "email"
    assert caught.value.value == raw


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("+351 912 345 678", "+351 912 345 678"),
        ("  +1  (555)\t010-9999 ", "+1 (555) 010-9999"),
        ("555.0100 x12", "555.0100 x12"),
        ("112", "112"),
    ],
)
def test_phone_accepted_and_spaces_collapsed(raw, clean) -> None:
    assert fields.phone(raw) == clean


@pytest.mark.parametrize("raw", ["", "12", "call me", "+351 912 abc", "1" * 65, "☎ 912 345"])
def test_bad_phone_rejected_with_field_and_value(raw) -> None:
    with pytest.raises(InvalidInput) as caught:
        fields.phone(raw)
    assert caught.value.field == "phone"
    assert caught.value.value == raw


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Lisbon", "lisbon"),
        ("  Design   Team ", "design team"),
        ("ml/ai", "ml/ai"),
        ("c++", "c++"),
        ("q3:2026", "q3:2026"),
        ("café", "café"),
        ("日本", "日本"),
    ],
)
def test_tag_accepted_and_normalized(raw, clean) -> None:
    assert fields.tag(raw) == clean


@pytest.mark.parametrize("raw", ["", "   ", "-lead", "#hash", "a,b", "x" * 101, "tag!", "😀"])
def test_bad_tag_rejected_with_field_and_value(raw) -> None:
    with pytest.raises(InvalidInput) as caught:
        fields.tag(raw)
    assert caught.value.field == "tag"
    assert caught.value.value == raw


def test_tags_are_deduplicated_and_sorted() -> None:
    assert fields.tags(["Lisbon", "design", "lisbon", " Design "]) == ("design", "lisbon")
    assert fields.tags(()) == ()


def test_person_name() -> None:
    assert fields.person_name("  Ana \u200b Lima ") == "Ana Lima"
    with pytest.raises(InvalidInput) as caught:
        fields.person_name("\u200b \x00", field="owner")
    assert caught.value.field == "owner"
    with pytest.raises(InvalidInput) as caught:
        fields.person_name("A" * 201)
    assert caught.value.field == "name"
    assert "200" in caught.value.message
    assert fields.person_name("A" * 200) == "A" * 200


def test_required_and_optional_text() -> None:
    assert fields.required_text("  hello  ", "description") == "hello"
    with pytest.raises(InvalidInput) as caught:
        fields.required_text(" \n\t ", "description")
    assert (caught.value.field, caught.value.value) == ("description", " \n\t ")
    assert fields.optional_text(None, "note") is None
    assert fields.optional_text("   ", "note") is None
    assert fields.optional_text(" x ", "note") == "x"
    assert fields.optional_text("x" * fields.MAX_TEXT, "note") == "x" * fields.MAX_TEXT
    with pytest.raises(InvalidInput) as caught:
        fields.optional_text("x" * (fields.MAX_TEXT + 1), "note")
    assert caught.value.field == "note"
    with pytest.raises(InvalidInput):
        fields.required_text("x" * (fields.MAX_TEXT + 1), "description")


# --- kinds and points ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("knowledge", ExchangeKind.KNOWLEDGE),
        ("  Knowledge ", ExchangeKind.KNOWLEDGE),
        ("INTRODUCTION", ExchangeKind.INTRODUCTION),
        ("intro", ExchangeKind.INTRODUCTION),
        ("in", ExchangeKind.INTRODUCTION),  # the only kind starting with "in"
        ("t", ExchangeKind.TIME),
        ("ref", ExchangeKind.REFERRAL),
        ("res", ExchangeKind.RESOURCE),
        ("app", ExchangeKind.APPRECIATION),
        ("m", ExchangeKind.MONEY),
    ],
)
def test_parse_kind(raw, kind) -> None:
    assert parse_kind(raw) is kind


@pytest.mark.parametrize("raw", ["re", "o", "", "  ", "gift", "introductions", "time!"])
def test_unknown_or_ambiguous_kind_lists_the_kinds(raw) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_kind(raw)
    error = caught.value
    assert (error.field, error.value) == ("kind", raw)
    for kind in ExchangeKind:
        assert kind.value in error.message


def test_a_choice_is_read_forgivingly_and_refused_in_its_own_words() -> None:
    assert fields.choice(Channel, " Email ", "channel") is Channel.EMAIL
    assert fields.choice(Channel, Channel.CALL, "channel") is Channel.CALL
    assert fields.choice(Channel, "phone", "channel", aliases={"phone": Channel.CALL}) is (
        Channel.CALL
    )
    with pytest.raises(InvalidInput) as caught:
        fields.choice(Channel, "pigeon", "channel")
    known = ", ".join(c.value for c in Channel)
    assert caught.value.message == f"unknown channel 'pigeon'; use one of: {known}"
    assert (caught.value.field, caught.value.value) == ("channel", "pigeon")
    calls = (Channel.CALL, Channel.VIDEO)
    assert fields.choice(Channel, "video", "how", among=calls) is Channel.VIDEO
    with pytest.raises(InvalidInput, match=r"^how 'email': use call or video$"):
        fields.choice(
            Channel, "email", "how", among=calls, refusal="{field} {value!r}: use {either}"
        )


def test_every_kind_has_defaults_on_the_scale() -> None:
    assert set(KIND_DEFAULTS) == set(ExchangeKind)
    for benefit, cost in KIND_DEFAULTS.values():
        assert check_points(benefit, "benefit") == benefit
        assert check_points(cost, "cost") == cost
    assert min(ANCHORS) == 0
    assert max(ANCHORS) == 10


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, 0.0), (10, 10.0), (3, 3.0), (2.5, 2.5), (0.1 + 0.2, 0.3), (9.9, 9.9)],
)
def test_check_points_accepts_values_in_steps_of_a_tenth(value, expected) -> None:
    result = check_points(value, "benefit")
    assert result == expected
    assert isinstance(result, float)


@pytest.mark.parametrize(("value", "advice"), [(3.14159, "3.1"), (9.96, "10"), (0.04, "0")])
def test_check_points_refuses_finer_values_and_says_what_to_give(value, advice) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_points(value, "benefit")
    assert (caught.value.field, caught.value.value) == ("benefit", value)
    assert caught.value.message.endswith(
        f"finer than the scale holds (steps of 0.1): give {advice}"
    )


@pytest.mark.parametrize("value", [-1, -0.01, 10.01, 11, 1e9])
def test_points_out_of_scale_rejected(value) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_points(value, "cost")
    assert (caught.value.field, caught.value.value) == ("cost", value)
    assert "0 to 10" in caught.value.message


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, True, False, "5", None])
def test_points_that_are_not_numbers_rejected(value) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_points(value, "benefit")
    assert caught.value.field == "benefit"
    assert "must be a number" in caught.value.message


@given(st.integers(min_value=0, max_value=100))
def test_check_points_keeps_every_step_of_the_scale(tenths) -> None:
    result = check_points(tenths / 10, "benefit")
    assert 0.0 <= result <= 10.0
    assert result == round(result, 1) == tenths / 10


# --- errors -------------------------------------------------------------------------------------


def test_error_str_and_dict() -> None:
    error = InvalidInput("benefit 11 is outside", field="benefit", value=11, location="line 3")
    assert str(error) == "line 3: benefit 11 is outside"
    assert error.to_dict() == {
        "error": "InvalidInput",
        "message": "benefit 11 is outside",
        "field": "benefit",
        "value": "11",
        "location": "line 3",
    }
    assert str(NotFound("no person")) == "no person"
    assert NotFound("x").to_dict()["value"] is None


def test_ambiguous_carries_candidates() -> None:
    error = Ambiguous("two", candidates=["Ana Lima", "Ana Souza"], field="name", value="ana")
    assert error.candidates == ["Ana Lima", "Ana Souza"]
    assert error.to_dict()["candidates"] == ["Ana Lima", "Ana Souza"]
    assert error.field == "name"


@pytest.mark.parametrize(
    ("cls", "status"),
    [(InvalidInput, 422), (NotFound, 404), (Conflict, 409), (BadFile, 422), (StorageError, 503)],
)
def test_error_classes(cls, status) -> None:
    assert issubclass(cls, MutualityError)
    assert cls.status == status
    assert cls.exit_code == 2


@pytest.mark.parametrize("text", ["9999-12-31", "2127-01-01"])
def test_a_due_date_more_than_100_years_ahead_is_refused(text: str) -> None:
    from mutuality.core.dates import parse_due_date

    with pytest.raises(InvalidInput, match="too far ahead: at most 100 years") as raised:
        parse_due_date(text, date(2026, 12, 6), "due")
    assert raised.value.field == "due" and raised.value.value == text


def test_a_due_date_within_100_years_is_kept() -> None:
    from mutuality.core.dates import parse_due_date

    assert parse_due_date("2126-12-31", date(2026, 12, 6)) == date(2126, 12, 31)
    assert parse_due_date("in 9999 days", date(2026, 12, 6)) == date(2054, 4, 22)
