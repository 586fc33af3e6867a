"""The suite's own checks catch what they are meant to: a label beside a name, in text and
in JSON, however the line is wrapped; and nothing where no name stands."""

from __future__ import annotations

from scenario_helpers import labels_beside, labels_in_json, spoken


def test_a_label_is_found_beside_a_name_in_text() -> None:
    assert labels_beside(
        "Clearest takers (the lowest share given first):\n  Priya Nair: 6%", "Priya Nair"
    )
    assert labels_beside("In your ledger Priya Nair acts as a\ntaker.", "Priya Nair")
    assert labels_beside("Styles: Priya\nNair (taker)", "Priya Nair")


def test_a_label_far_from_any_name_is_not_theirs() -> None:
    text = (
        "Styles: 1 giver, 1 taker.\nYou: giver.\n\nAt risk of burnout: none\n\nPriya Nair: check in"
    )
    assert labels_beside(text, "Priya Nair") == []


def test_a_label_is_found_in_json() -> None:
    assert labels_in_json({"takers": [{"name": "Priya Nair", "share": 0.06}]}, "Priya Nair")
    assert labels_in_json([{"person": {"name": "Priya Nair"}, "style": "taker"}], "Priya Nair")
    assert labels_in_json({"one_way_takers": ["Priya Nair"]}, "Priya Nair")
    assert labels_in_json({"styles": {"taker": 1}, "givers": ["Priya Nair"]}, "Priya Nair") == []


def test_a_measured_direction_is_not_a_verdict_but_a_status_is() -> None:
    said = spoken(
        "why json", '{"balance": {"leaning": "over-giving"}, "status": "uneven by choice"}'
    )
    assert "over-giving" not in said
    assert "over-giving" in spoken("why json", '{"status": "over-giving"}')
