"""Settings from the config file, validated on load, with errors that name the file and key.

The file is TOML at ``$MUTUALITY_CONFIG`` or the per-user config directory's
``config.toml``; every key is optional::

    owner_name = "Ana"

    [value]
    half_life_days = 180
    tolerance = 0.25
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from mutuality.core.errors import BadFile, MutualityError
from mutuality.core.value import DEFAULT_HALF_LIFE_DAYS, DEFAULT_TOLERANCE, ValueSettings

CONFIG_ENV_VAR = "MUTUALITY_CONFIG"
DEFAULT_OWNER_NAME = "Me"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a user can configure, with the defaults documented in ``docs/``."""

    value: ValueSettings = field(default_factory=ValueSettings)
    owner_name: str = DEFAULT_OWNER_NAME
    """The name the owner's own person record gets when it is first created."""

    def with_half_life(self, days: float | None) -> Settings:
        if days is None:
            return self
        return replace(self, value=replace(self.value, half_life_days=days))


def config_path() -> Path:
    override = os.environ.get(CONFIG_ENV_VAR)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_path

    return user_config_path("mutuality", appauthor=False) / "config.toml"


def load_settings(path: Path | None = None) -> Settings:
    """Read the config file if there is one; an absent file means the defaults."""
    path = path or config_path()
    if not path.exists():
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise BadFile(f"cannot read the config file: {error}", location=str(path)) from None
    known = {"owner_name", "value"}
    for key in data:
        if key not in known:
            raise BadFile(f"unknown setting {key!r}", field=key, location=str(path))
    value_table = data.get("value", {})
    if not isinstance(value_table, dict):
        raise BadFile("[value] must be a table", field="value", location=str(path))
    for key in value_table:
        if key not in {"half_life_days", "tolerance"}:
            raise BadFile(f"unknown setting value.{key}", field=f"value.{key}", location=str(path))
    try:
        value = ValueSettings(
            half_life_days=float(value_table.get("half_life_days", DEFAULT_HALF_LIFE_DAYS)),
            tolerance=float(value_table.get("tolerance", DEFAULT_TOLERANCE)),
        )
    except (TypeError, ValueError) as error:
        raise BadFile(
            f"[value] holds a non-number: {error}", field="value", location=str(path)
        ) from None
    except MutualityError as error:
        raise BadFile(
            error.message, field=f"value.{error.field}", value=error.value, location=str(path)
        ) from None
    owner_name = data.get("owner_name", DEFAULT_OWNER_NAME)
    if not isinstance(owner_name, str) or not owner_name.strip():
        raise BadFile(
            "owner_name must be a non-empty string", field="owner_name", location=str(path)
        )
    return Settings(value=value, owner_name=owner_name.strip())
