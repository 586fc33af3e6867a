"""Domain errors: each says what went wrong and where, and carries how the edges report it.

The CLI turns any :class:`MutualityError` into one line on stderr and ``exit_code``
(``cli/main.py``); the web app turns it into ``status``, with the ``to_dict()`` body under
``/api`` and an error page otherwise (``web/errors.py``). Nothing else translates errors;
the few places that catch one for another reason (a form drawn again with the message, a
failed sign-in counted, a place added) are listed under "Errors are values with a place"
in ``docs/architecture.md``.
"""

from __future__ import annotations

from typing import TypedDict, Unpack


class Place(TypedDict, total=False):
    """Where an error is, as :class:`MutualityError` takes it (for subclasses that pass it on)."""

    field: str | None
    value: object
    location: str | None


class MutualityError(Exception):
    """A problem the user can fix: bad input, an unknown name, an unusable file."""

    exit_code = 2
    status = 400

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        value: object = None,
        location: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.value = value
        self.location = location

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message

    def to_dict(self) -> dict[str, object]:
        """A stable, JSON-ready shape for ``--format json`` and the API."""
        return {
            "error": type(self).__name__,
            "message": self.message,
            "field": self.field,
            "value": None if self.value is None else str(self.value),
            "location": self.location,
        }


class InvalidInput(MutualityError):
    """A value outside what the domain accepts (a kind, a score, a date, a name)."""

    status = 422


class NotFound(MutualityError):
    """Nothing matches: an unknown person or record."""

    status = 404


class Ambiguous(MutualityError):
    """Several records match where one was meant; ``candidates`` lists them."""

    status = 409

    def __init__(self, message: str, *, candidates: list[str], **kwargs: Unpack[Place]) -> None:
        super().__init__(message, **kwargs)
        self.candidates = candidates

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "candidates": self.candidates}


class Conflict(MutualityError):
    """The change would break a uniqueness rule or a state rule."""

    status = 409


class BadFile(MutualityError):
    """An input file (backup, import) that is corrupt, foreign or malformed."""

    status = 422


class StorageError(MutualityError):
    """The database cannot be opened or written (path, permissions, disk full)."""

    status = 503


class Unauthorized(MutualityError):
    """Not signed in, or the password is wrong."""

    status = 401


class Forbidden(MutualityError):
    """Signed in or not, this may not be done: a used or expired login link, a cross-site
    request."""

    status = 403


class TooManyAttempts(MutualityError):
    """Too many tries in a short time (logins); ``retry_after`` says how many seconds to wait."""

    status = 429

    def __init__(self, message: str, *, retry_after: int, **kwargs: Unpack[Place]) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after
