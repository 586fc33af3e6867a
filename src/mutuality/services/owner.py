"""Your own name: set once (``mutuality me --name``, the settings page, or asked on the
first run of a command that writes a message), kept in the ledger as the owner's person,
and used to sign what other people read: introduction drafts, the private check-in link,
the portfolio.

Until it is set the owner's person carries a placeholder (``Me``, or the config file's
``owner_name`` when the ledger was created with one); then nothing another person reads is
signed. This module is the one place that knows whether the name is set.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from mutuality.core import fields
from mutuality.core.errors import Conflict, InvalidInput
from mutuality.core.names import name_key
from mutuality.services.context import WithPeople
from mutuality.services.needs import OWNER_WORDS
from mutuality.services.settings import DEFAULT_OWNER_NAME
from mutuality.store.tables import PersonRow

PLACEHOLDERS = frozenset({DEFAULT_OWNER_NAME.casefold(), *OWNER_WORDS})
"""Names that say nobody in particular: "Me", "myself", "I"."""


def is_placeholder(name: str | None) -> bool:
    """Whether ``name`` is no real name (absent, empty, or a word like "Me")."""
    return name is None or not name.strip() or name.strip().casefold() in PLACEHOLDERS


@dataclass(frozen=True, slots=True)
class OwnName:
    """The owner's name as others may see it: ``None`` until it is set."""

    name: str | None

    @property
    def is_set(self) -> bool:
        return self.name is not None

    @property
    def first(self) -> str | None:
        """The first name, which signs messages; ``None`` (no signature) until set."""
        return self.name.split()[0] if self.name else None


def own_name(session: Session) -> OwnName:
    """The owner's name inside the caller's transaction (never creating the owner)."""
    name = session.scalars(select(PersonRow.name).where(PersonRow.is_owner).limit(1)).first()
    return OwnName(None if is_placeholder(name) else name)


class OwnerService(WithPeople):
    """Read and set your own name; one transaction per call."""

    def name(self) -> OwnName:
        """Your name, or ``OwnName(None)`` while it is the placeholder."""
        with self._db.read() as session:
            found = session.scalars(
                select(PersonRow.name).where(PersonRow.is_owner).limit(1)
            ).first()
        if found is None:  # the owner is created with the configured name on first write
            found = self._settings.owner_name
        return OwnName(None if is_placeholder(found) else found)

    def needs_name(self) -> bool:
        """Whether a message another person reads would go out unsigned."""
        return not self.name().is_set

    def set_name(self, name: str) -> OwnName:
        """Set your name (as others will see it); it signs drafts with its first word."""
        clean = fields.person_name(name, "name")
        if is_placeholder(clean):
            raise InvalidInput(
                f"{clean!r} is not a name others would know you by: give your own name, "
                "for example 'Ana Lima'",
                field="name",
                value=name,
            )
        key = name_key(clean)
        with self._db.write() as session:
            owner = self._people.owner_row(session)
            other = session.scalars(
                select(PersonRow.name).where(
                    PersonRow.name_key == key, PersonRow.is_owner.is_(False)
                )
            ).first()
            if other is not None:
                raise Conflict(
                    f"a person in your network is named {other!r}; add a detail to your own "
                    "name to tell you apart",
                    field="name",
                    value=name,
                )
            owner.name, owner.name_key = clean, key
            session.flush()
            return OwnName(clean)
