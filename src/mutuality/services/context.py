"""What every service works with: one ledger's database, its settings and its clock.

:class:`~mutuality.services.app.Mutuality` builds one context and hands it to each service,
so no service reads the date or the time from anywhere else: a test, ``--as-of`` or the
report's previous quarter gives the services another day (or another clock) by building
another context, never by patching a module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from functools import wraps
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from mutuality.services.settings import Settings
from mutuality.store.database import Database

if TYPE_CHECKING:
    from mutuality.services.people import PeopleService


def utc_now() -> datetime:
    """The system clock as timestamps are stored: naive UTC, to the second (so backups
    round-trip exactly). The default :attr:`ServiceContext.now`."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


@dataclass(frozen=True, slots=True)
class ServiceContext:
    database: Database
    settings: Settings = field(default_factory=Settings)
    today: Callable[[], date] = date.today
    """The day the figures are for: the calendar's, or a fixed one (tests, ``--as-of``)."""
    now: Callable[[], datetime] = utc_now
    """The moment rows are stamped and links and sessions expire by (see :func:`utc_now`)."""

    def as_of(self, day: date) -> ServiceContext:
        """The same ledger and clock, with ``day`` as today."""
        return replace(self, today=lambda: day)


class Service:
    """A service over one ledger, reading what its context holds as ``_db``, ``_settings``,
    ``_today`` and ``_now``."""

    def __init__(self, context: ServiceContext) -> None:
        self._context = context
        self._db = context.database
        self._settings = context.settings
        self._today = context.today
        self._now = context.now


S = TypeVar("S", bound=Service)
P = ParamSpec("P")
T = TypeVar("T")


def in_one_read(method: Callable[Concatenate[S, P], T]) -> Callable[Concatenate[S, P], T]:
    """Run a service method that gathers a page from several services in the database's
    page read (:meth:`~mutuality.store.database.Database.page`): on a server every service
    it calls joins one read, so the page shows one consistent state and a member's ledger is
    entered and its change marker asked once, not once per service. The method must not
    write (a write cannot begin inside a read)."""

    @wraps(method)
    def in_a_read(self: S, /, *args: P.args, **kwargs: P.kwargs) -> T:
        with self._db.page():
            return method(self, *args, **kwargs)

    return in_a_read


class WithPeople(Service):
    """A service that finds the people it is asked about through
    :class:`~mutuality.services.people.PeopleService` (most of them)."""

    def __init__(self, context: ServiceContext, people: PeopleService) -> None:
        super().__init__(context)
        self._people = people
