"""Contacts and meetings as they come from (and go to) other programs' files.

The parsers in :mod:`mutuality.formats` turn vCard, CSV and iCalendar files into these
records; the import service matches them to people. A record that cannot be used is a
:class:`Problem` value carrying where it was and why, so that an import can list every bad
record instead of stopping at the first exception.

Every text a record holds is cleaned as it is made (``__post_init__``), by the rules of
:mod:`mutuality.core.fields` and :mod:`mutuality.core.names`: whichever parser made it, no
control character from a file reaches the ledger.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from mutuality.core.fields import clean_line, clean_text
from mutuality.core.names import clean_name


def _line(value: str | None) -> str | None:
    return None if value is None else clean_line(value) or None


def _text(value: str | None) -> str | None:
    return None if value is None else clean_text(value).strip() or None


def _set(record: object, name: str, value: object) -> None:
    """Replace a field of a frozen record while it is being made."""
    if getattr(record, name) != value:
        object.__setattr__(record, name, value)


@dataclass(frozen=True, slots=True)
class Birthday:
    """A birthday; the year is optional (``BDAY:--0415``, Google's ``--04-15``)."""

    month: int
    day: int
    year: int | None = None

    def iso(self) -> str:
        """``1980-04-15`` or, without a year, ``--04-15`` (the form vCard 4.0 and Google use)."""
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


@dataclass(frozen=True, slots=True)
class ContactDate:
    """A yearly date a contact keeps besides the birthday: vCard 4.0's ``ANNIVERSARY``,
    Apple's ``X-ABDATE`` with its label, Evolution's and Outlook's anniversaries."""

    text: str
    """What it is, as the file labels it (``Anniversary`` when it does not)."""
    day: Birthday
    """The month and day, with the year when it is known."""

    def __post_init__(self) -> None:
        _set(self, "text", clean_line(self.text))


@dataclass(frozen=True, slots=True)
class PostalAddress:
    label: str | None = None
    """``home``, ``work`` or the user's own word, lower case."""
    street: str | None = None
    """Street lines (PO box and extended address folded in), ``\\n`` between lines."""
    locality: str | None = None
    region: str | None = None
    postcode: str | None = None
    country: str | None = None

    def __post_init__(self) -> None:
        _set(self, "street", _text(self.street))
        for name in ("label", "locality", "region", "postcode", "country"):
            _set(self, name, _line(getattr(self, name)))

    @property
    def is_empty(self) -> bool:
        return not any((self.street, self.locality, self.region, self.postcode, self.country))


@dataclass(frozen=True, slots=True)
class WebLink:
    """A URL as text: never fetched, never followed (see docs/import-export.md)."""

    url: str
    label: str | None = None

    def __post_init__(self) -> None:
        _set(self, "url", clean_line(self.url))
        _set(self, "label", _line(self.label))


@dataclass(frozen=True, slots=True)
class Photo:
    media_type: str
    """``image/jpeg``, ``image/png``, ``image/gif`` or ``image/webp``: never SVG."""
    data: bytes


@dataclass(frozen=True, slots=True)
class ContactCard:
    """One contact from an address book file, cleaned but not yet matched to a person."""

    name: str
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    organisation: str | None = None
    title: str | None = None
    birthday: Birthday | None = None
    dates: tuple[ContactDate, ...] = ()
    """Anniversaries and other yearly dates; they become the person's important dates."""
    note: str | None = None
    """Becomes the person's private note."""
    addresses: tuple[PostalAddress, ...] = ()
    urls: tuple[WebLink, ...] = ()
    tags: tuple[str, ...] = ()
    photo: Photo | None = None
    uid: str | None = None
    since: date | None = None
    """When the relationship started, where the file says (LinkedIn's ``Connected On``)."""
    location: str = field(default="", compare=False)
    """Where the record starts, ``file:line``, for messages."""
    warnings: tuple[str, ...] = field(default=(), compare=False)
    """Values left out of an otherwise good record (an email that is not an email ...)."""

    def __post_init__(self) -> None:
        _set(self, "name", clean_name(self.name))
        _set(self, "organisation", _line(self.organisation))
        _set(self, "title", _line(self.title))
        _set(self, "note", _text(self.note))
        _set(self, "tags", tuple(clean_line(tag) for tag in self.tags))


@dataclass(frozen=True, slots=True)
class Problem:
    """A record that could not be used: where it is and why."""

    location: str
    """``file:line`` (and the record number in the reason where it helps)."""
    reason: str
    malformed: bool = True
    """A broken record (stops an import unless ``--skip-bad``); ``False`` for one that is
    well formed but not a person (a group card), which is always left out."""

    def __str__(self) -> str:
        return f"{self.location}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Attendee:
    email: str
    """Lower case, without ``mailto:``."""
    name: str | None = None
    declined: bool = False

    def __post_init__(self) -> None:
        _set(self, "email", clean_line(self.email))
        _set(self, "name", _line(self.name))


@dataclass(frozen=True, slots=True)
class CalendarMeeting:
    """One occurrence of a calendar event (recurring events are expanded, with a cap)."""

    uid: str
    recurrence_id: str
    """The occurrence's original start (ISO) in a recurring series, ``""`` for a single event."""
    start: datetime
    """Aware; a floating time or an all-day event is placed in the importer's zone."""
    all_day: bool = False
    attendees: tuple[Attendee, ...] = ()
    organiser: str | None = None
    summary: str | None = None
    status: str | None = None
    """``CONFIRMED``, ``TENTATIVE``, ``CANCELLED`` or ``None``."""
    is_override: bool = False
    """A moved or changed occurrence (``RECURRENCE-ID``): wins over the series' own."""
    location: str = ""

    def __post_init__(self) -> None:
        _set(self, "organiser", _line(self.organiser))
        _set(self, "summary", _text(self.summary))

    @property
    def cancelled(self) -> bool:
        return self.status == "CANCELLED"


@dataclass(frozen=True, slots=True)
class ImportLimits:
    """What no input file may exceed, so that no file can hang or exhaust the machine."""

    max_line: int = 2_000_000
    """Bytes in one logical (unfolded) line; a photo line is the longest legitimate one."""
    max_field: int = 100_000
    """Characters in one value (a note, a CSV cell)."""
    max_photo: int = 1_000_000
    """Bytes of one decoded photo."""
    max_photo_pixels: int = 40_000_000
    """Width times height of a photo (a 20000x20000 PNG is refused)."""
    max_occurrences: int = 1_000
    """Occurrences one recurring event expands to (the rest are left out, with a warning)."""
    max_properties: int = 5_000
    """Properties in one card or event."""


@dataclass(frozen=True, slots=True)
class Reminder:
    """An all-day calendar reminder: a check-in due (repeating at its cadence) or a
    commitment's due date."""

    uid: str
    """Stable across exports, so a calendar that imports a newer file updates the event."""
    summary: str
    on: date
    description: str = ""
    every_days: int | None = None
