"""Relationship health, the cadence: its defaults by context, set by the user, and the
``[cadence]`` and ``[health]`` sections of the config file (bad or out-of-range values
name the file and the key)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import open_app
from health_helpers import health_of

from mutuality.core.errors import BadFile, InvalidInput
from mutuality.core.health import DEFAULT_CADENCE_DAYS, Action, HealthSettings, Status, cadence_for
from mutuality.core.model import RelationshipContext
from mutuality.services.settings import load_settings

CY = """
gave Cy knowledge 2026-09-01 benefit=3 cost=1 "a"   # age 83
got  Cy knowledge 2026-11-08 benefit=3 cost=1 "b"   # age 15
"""


def test_cadence_defaults_by_context() -> None:
    assert DEFAULT_CADENCE_DAYS[RelationshipContext.PARTNER] == 7
    assert DEFAULT_CADENCE_DAYS[RelationshipContext.FAMILY] == 14
    assert DEFAULT_CADENCE_DAYS[RelationshipContext.COLLABORATOR] == 21
    assert DEFAULT_CADENCE_DAYS[RelationshipContext.FRIEND] == 30
    assert DEFAULT_CADENCE_DAYS[RelationshipContext.MENTOR] == 45
    assert DEFAULT_CADENCE_DAYS[RelationshipContext.OTHER] == 60
    assert DEFAULT_CADENCE_DAYS[RelationshipContext.ACQUAINTANCE] == 90
    assert set(DEFAULT_CADENCE_DAYS) == set(RelationshipContext)
    s = HealthSettings()
    assert cadence_for(RelationshipContext.FRIEND, None, s) == 30
    assert cadence_for(RelationshipContext.FRIEND, 10, s) == 10


@pytest.mark.parametrize(
    ("context", "cadence", "expected_cadence", "expected"),
    [
        ("friend", None, 30, Status.THRIVING),  # 15 days silent <= 30
        ("friend", 10, 10, Status.OVERDUE),  # the user's 10 wins: 10 < 15 <= 20
        # Close ties are kept by check-ins, not by logging: never overdue before a first
        # check-in, never fading.
        ("family", None, 14, Status.THRIVING),
        ("partner", None, 7, Status.THRIVING),
        ("partner", 40, 40, Status.THRIVING),
    ],
)
def test_cadence_from_context_and_from_the_user(
    app, ledger, context, cadence, expected_cadence, expected
) -> None:
    app.people.add("Cy", context=context, cadence_days=cadence)
    ledger(CY)
    h = health_of(app, "cy")
    assert (h.cadence_days, h.status) == (expected_cadence, expected)


def test_cadence_set_later_through_edit(app, ledger) -> None:
    from mutuality.services.people import PersonChanges

    app.people.add("Cy", context="friend")
    ledger(CY)
    assert health_of(app, "cy").status is Status.THRIVING
    app.people.edit("cy", PersonChanges(cadence_days=12))
    assert (health_of(app, "cy").cadence_days, health_of(app, "cy").status) == (
        12,
        Status.OVERDUE,
    )


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_cadence_section_of_the_config(tmp_path: Path) -> None:
    settings_ = load_settings(_config(tmp_path, "[cadence]\nfriend = 14\nmentor = 90\n"))
    assert settings_.health.cadences[RelationshipContext.FRIEND] == 14
    assert settings_.health.cadences[RelationshipContext.MENTOR] == 90
    assert settings_.health.cadences[RelationshipContext.PARTNER] == 7  # untouched
    with open_app(tmp_path / "c.db", settings_) as app:
        app.people.add("Cy", context="friend")
        app.people.add("Di", context="friend", cadence_days=20)
        from conftest import load_ledger

        load_ledger(app, CY + CY.replace("Cy", "Di"))
        # friend 14 from the config: 15 days silent: overdue; Di's own 20 wins over it.
        assert (health_of(app, "cy").cadence_days, health_of(app, "cy").status) == (
            14,
            Status.OVERDUE,
        )
        assert (health_of(app, "di").cadence_days, health_of(app, "di").status) == (
            20,
            Status.THRIVING,
        )


def test_health_section_of_the_config(tmp_path: Path) -> None:
    settings_ = load_settings(
        _config(
            tmp_path,
            "[health]\nwindow_days = 30\nnew_days = 10\nfading_factor = 3\n"
            "appreciation_min_received = 2.5\n",
        )
    )
    assert settings_.health.window_days == 30 and isinstance(settings_.health.window_days, int)
    assert settings_.health.new_days == 10
    assert settings_.health.fading_factor == 3.0
    assert settings_.health.appreciation_min_received == 2.5
    assert settings_.health.cadences == DEFAULT_CADENCE_DAYS
    with open_app(tmp_path / "h.db", settings_) as app:
        from conftest import load_ledger

        load_ledger(app, 'got Nia knowledge 2026-11-01 benefit=3 cost=1 "Showed me around"')
        # 22 days > new_days 10: not new; window 30: recent (age 22); received 3 >= 2.5:
        # a thank-you is due; balance -1: over-receiving: thank them.
        h = health_of(app, "nia")
        assert (h.status, h.action, h.recent) == (Status.OVER_RECEIVING, Action.THANK, 1)


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        ("[cadence]\nfriend = 0\n", "cadence.friend", "1 to 3650"),
        ("[cadence]\nfriend = 3651\n", "cadence.friend", "1 to 3650"),
        ("[cadence]\nfriend = 7.5\n", "cadence.friend", "whole number"),
        ("[cadence]\nfriend = true\n", "cadence.friend", "whole number"),
        ('[cadence]\nfriend = "7"\n', "cadence.friend", "whole number"),
        ("[cadence]\nneighbour = 7\n", "cadence.neighbour", "unknown context"),
        ("cadence = 7\n", "cadence", "must be a table"),
        ("[health]\nwindow_days = 0\n", "health.window_days", "at least 1"),
        ("[health]\nnew_days = 0\n", "health.new_days", "at least 1"),
        ("[health]\nwindow_days = 1.5\n", "health.window_days", "whole number"),
        ('[health]\nwindow_days = "90"\n', "health.window_days", "must be a number"),
        ("[health]\nwindow_days = false\n", "health.window_days", "must be a number"),
        ("[health]\nfading_factor = 0.5\n", "health.fading_factor", "at least 1"),
        ("[health]\nfading_momentum = 0.5\n", "health.fading_momentum", "-1 to 0"),
        ("[health]\nfading_momentum = -2\n", "health.fading_momentum", "-1 to 0"),
        ("[health]\nappreciation_recent_days = 0\n", "health.appreciation_recent_days", "1"),
        ("[health]\nhalf_life = 3\n", "health.half_life", "unknown setting"),
        ("[health]\ncadences = 3\n", "health.cadences", "unknown setting"),
        ("health = 3\n", "health", "must be a table"),
    ],
)
def test_bad_health_and_cadence_settings_name_the_file_and_key(
    tmp_path: Path, text: str, key: str, words: str
) -> None:
    path = _config(tmp_path, text)
    with pytest.raises(BadFile) as caught:
        load_settings(path)
    assert caught.value.field == key
    assert caught.value.location == str(path)
    message = str(caught.value)
    assert str(path) in message and words in message


@pytest.mark.parametrize(
    "text",
    [
        "[health]\nequity_floor = 0\n",
        "[health]\nequity_floor = -1\n",
        "[health]\nsatisfied_from = 9\n",
        "[health]\nappreciation_min_received = -5\n",
        "[health]\nnew_max_exchanges = -1\n",
    ],
)
def test_out_of_range_health_thresholds_are_rejected(tmp_path: Path, text: str) -> None:
    path = _config(tmp_path, text)
    with pytest.raises(BadFile) as caught:
        load_settings(path)
    assert caught.value.location == str(path)


def test_health_settings_validate_directly() -> None:
    with pytest.raises(InvalidInput, match="window_days"):
        HealthSettings(window_days=0)
    with pytest.raises(InvalidInput, match="fading_factor"):
        HealthSettings(fading_factor=0.9)
