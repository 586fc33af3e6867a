"""Settings from the config file, validated on load, with errors that name the file and key.

The file is TOML at ``$MUTUALITY_CONFIG`` or the per-user config directory's
``config.toml``; every key is optional (``docs/value-model.md`` explains each, or names
the page that does)::

    owner_name = "Ana"

    [value]
    half_life_days = 180
    tolerance = 0.25

    [health]
    window_days = 90
    appreciation_min_received = 5

    [cadence]          # check-in cadence in days, by relationship context
    friend = 21

    [network]
    giver_share = 0.6

    [requests]         # the thresholds for answering a request (docs/requests.md)
    big_benefit = 5

    [email]            # the SMTP server for the weekly digest (docs/checkins.md)
    host = "smtp.example.org"

    [matching]         # the weights of the match score (docs/matching.md)
    tie = 0.5

    [web]              # the address other people's devices reach the web app at (docs/web.md)
    public_url = "https://ledger.example.org"

The web app's settings page changes some of these keys through :mod:`.settings_file`, which
checks the new file here before it is written.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from mutuality.core import fields
from mutuality.core.errors import BadFile, InvalidInput, MutualityError
from mutuality.core.health_rules import HealthSettings
from mutuality.core.matching.weights import Weights
from mutuality.core.model import RelationshipContext
from mutuality.core.network_rules import NetworkSettings
from mutuality.core.requests import RequestRule
from mutuality.core.value import ValueSettings

CONFIG_ENV_VAR = "MUTUALITY_CONFIG"
DEFAULT_OWNER_NAME = "Me"


@dataclass(frozen=True, slots=True)
class EmailSettings:
    """The SMTP server for the weekly digest (``[email]``); the password comes from the
    ``MUTUALITY_SMTP_PASSWORD`` environment variable, never from the file."""

    host: str = ""
    port: int = 587
    sender: str = ""
    to: str = ""
    username: str = ""
    starttls: bool = True
    ssl: bool = False

    def __post_init__(self) -> None:
        for name in ("host", "sender", "to", "username"):
            value = getattr(self, name)
            if any(ch in value for ch in "\r\n\x00"):
                raise InvalidInput(f"{name} must be on one line", field=name, value=value)
        for name in ("sender", "to"):
            value = getattr(self, name)
            for address in filter(None, (part.strip() for part in value.split(","))):
                try:
                    fields.email(address)
                except InvalidInput as error:
                    raise InvalidInput(error.message, field=name, value=address) from None
        if not 1 <= self.port <= 65535:
            raise InvalidInput(
                f"port must be 1 to 65535, got {self.port}", field="port", value=self.port
            )

    @property
    def configured(self) -> bool:
        return bool(self.host and self.sender and self.to)


@dataclass(frozen=True, slots=True)
class LinkSettings:
    """Where links other people open point (``[web]``): the check-in link; empty means the
    address the app is served at (``serve --public-url`` overrides it)."""

    public_url: str = ""

    def __post_init__(self) -> None:
        if self.public_url:
            object.__setattr__(self, "public_url", fields.web_address(self.public_url))


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a user can configure, with the defaults documented in ``docs/``."""

    value: ValueSettings = field(default_factory=ValueSettings)
    health: HealthSettings = field(default_factory=HealthSettings)
    network: NetworkSettings = field(default_factory=NetworkSettings)
    requests: RequestRule = field(default_factory=RequestRule)
    email: EmailSettings = field(default_factory=EmailSettings)
    matching: Weights = field(default_factory=Weights)
    web: LinkSettings = field(default_factory=LinkSettings)
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
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise BadFile(f"cannot read the config file: {error}", location=str(path)) from None
    return settings_from_text(text, str(path))


def settings_from_text(text: str, where: str) -> Settings:
    """The settings a config file's text holds, checked key by key: the one set of rules
    for loading the file and for changing it from the web app."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise BadFile(f"cannot read the config file: {error}", location=where) from None
    for key in data:
        if key not in {
            "owner_name",
            "value",
            "health",
            "network",
            "cadence",
            "requests",
            "email",
            "matching",
            "web",
        }:
            raise BadFile(f"unknown setting {key!r}", field=key, location=where)
    owner_name = data.get("owner_name", DEFAULT_OWNER_NAME)
    if not isinstance(owner_name, str) or not owner_name.strip():
        raise BadFile("owner_name must be a non-empty string", field="owner_name", location=where)
    health = _section(HealthSettings, "health", data, where)
    cadence = _table(data, "cadence", where)
    if cadence:
        cadences = dict(health.cadences)
        for context, days in cadence.items():
            try:
                known = RelationshipContext(context)
            except ValueError:
                raise BadFile(
                    f"unknown context cadence.{context}", field=f"cadence.{context}", location=where
                ) from None
            if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 3650:
                raise BadFile(
                    f"cadence.{context} must be a whole number of days, 1 to 3650",
                    field=f"cadence.{context}",
                    value=days,
                    location=where,
                )
            cadences[known] = days
        health = replace(health, cadences=cadences)
    return Settings(
        value=_section(ValueSettings, "value", data, where),
        health=health,
        network=_section(NetworkSettings, "network", data, where),
        requests=_section(RequestRule, "requests", data, where),
        email=_section(EmailSettings, "email", data, where),
        matching=_section(Weights, "matching", data, where),
        web=_section(LinkSettings, "web", data, where),
        owner_name=owner_name.strip(),
    )


def _table(data: dict[str, Any], name: str, where: str) -> dict[str, Any]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise BadFile(f"[{name}] must be a table", field=name, location=where)
    return table


def _section(kind: type[Any], name: str, data: dict[str, Any], where: str) -> Any:
    """Build one settings dataclass from its table: its scalar keys only, each of its type."""
    table = _table(data, name, where)
    known = {
        f.name: f for f in dataclasses.fields(kind) if f.type in ("int", "float", "str", "bool")
    }
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in known:
            raise BadFile(f"unknown setting {name}.{key}", field=f"{name}.{key}", location=where)
        if known[key].type in ("str", "bool"):
            wanted = str if known[key].type == "str" else bool
            if not isinstance(value, wanted):
                expected = "a string" if wanted is str else "true or false"
                raise BadFile(
                    f"{name}.{key} must be {expected}, got {value!r}",
                    field=f"{name}.{key}",
                    value=value,
                    location=where,
                )
            values[key] = value
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise BadFile(
                f"{name}.{key} must be a number, got {value!r}",
                field=f"{name}.{key}",
                value=value,
                location=where,
            )
        if known[key].type == "int" and not float(value).is_integer():
            raise BadFile(
                f"{name}.{key} must be a whole number, got {value!r}",
                field=f"{name}.{key}",
                value=value,
                location=where,
            )
        values[key] = int(value) if known[key].type == "int" else float(value)
    try:
        return kind(**values)
    except MutualityError as error:
        raise BadFile(
            error.message, field=f"{name}.{error.field}", value=error.value, location=where
        ) from None
