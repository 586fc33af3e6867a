"""The Python API: one :class:`Mutuality` per database, holding a service for each area.

The CLI, the web app and tests all drive this same object::

    from mutuality.services.app import Mutuality

    app = Mutuality.open("ledger.db")
    app.people.add("Ana Lima", emails=("ana@example.org",))
    app.ledger.log("ana", Direction.GAVE, kind="knowledge", what="Reviewed her pitch deck")
    print(app.balances.for_person("ana").explanation)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from functools import cached_property
from typing import TYPE_CHECKING

from mutuality.services.capacity import CapacityService
from mutuality.services.checkins.service import CheckInService
from mutuality.services.commitments import CommitmentService
from mutuality.services.context import ServiceContext, utc_now
from mutuality.services.health.balances import BalanceService
from mutuality.services.ledger import LedgerService
from mutuality.services.people import PeopleService
from mutuality.services.requests import RequestService
from mutuality.services.settings import Settings, load_settings
from mutuality.services.wishes import WishService
from mutuality.store.database import Database
from mutuality.store.schema import ensure_schema

if TYPE_CHECKING:
    from mutuality.core.needs import Wish
    from mutuality.services.accounts import AccountService
    from mutuality.services.backup.service import BackupService
    from mutuality.services.checkins.occasions import OccasionService
    from mutuality.services.exporting.calendar import CalendarService
    from mutuality.services.exporting.person import PersonExportService
    from mutuality.services.exporting.service import ExportService
    from mutuality.services.health.overview import OverviewService
    from mutuality.services.health.service import HealthService
    from mutuality.services.health.trends import TrendService
    from mutuality.services.importing.service import ImportService
    from mutuality.services.introductions.portfolio import PortfolioService
    from mutuality.services.introductions.service import IntroductionService
    from mutuality.services.matching.service import MatchingService
    from mutuality.services.needs import NeedService
    from mutuality.services.owner import OwnerService
    from mutuality.services.report.service import ReportService
    from mutuality.services.sharing import ShareService
    from mutuality.services.team import TeamService
    from mutuality.services.todo import TodoService


class Mutuality:
    """The application: the database, the settings and the services over them, which all
    share one :class:`~mutuality.services.context.ServiceContext` (``context``)."""

    def __init__(
        self,
        database: Database,
        settings: Settings | None = None,
        today: Callable[[], date] = date.today,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self.context = context = ServiceContext(database, settings or Settings(), today, now)
        self.database = database
        self.embed_on_save = True
        """Whether a need or offer is embedded for matching as it is saved: so in a process
        that lives on (the web app, where no page view then embeds). A command that ends at
        once sets it off, so that adding a need does not wait for the model to load; the
        next ``match`` embeds what is missing, once."""
        self.settings = context.settings
        self.today = today
        self.people = PeopleService(context)
        self.ledger = LedgerService(context, self.people)
        self.balances = BalanceService(context, self.people)
        self.capacity = CapacityService(context, self.people)
        self.commitments = CommitmentService(context, self.people, self.ledger)
        self.checkins = CheckInService(context, self.people)
        # a need written by a check-in's wish or a declined request is embedded for matching
        # as it is saved, as NeedService's are (best effort, never failing the write)
        self.wishes = WishService(context, self.people, saved=self._embed_saved)
        self.requests = RequestService(
            context,
            self.people,
            self.ledger,
            self.balances,
            self.capacity,
            # the verdict `next` gives, so that `ask` and `next` never disagree; the health
            # service (NumPy) is built on the first request that needs it
            judgement=lambda session, person: self.health.verdict_in(session, person),
            saved=self._embed_saved,
        )

    def _embed_saved(self, wishes: Sequence[Wish]) -> object:
        """Embed needs or offers just saved (the matching service is built on first use),
        unless :attr:`embed_on_save` is off."""
        return self.embed_on_save and self.matching.embed_saved(wishes)

    # Services whose modules are heavy (matching pulls in SciPy, the web's accounts, the
    # importers) are built on first use, so that a command that needs none of them, like
    # `mutuality gave`, does not pay for their imports.

    @cached_property
    def backups(self) -> BackupService:
        from mutuality.services.backup.service import BackupService

        return BackupService(self.database)

    @cached_property
    def health(self) -> HealthService:
        from mutuality.services.health.service import HealthService

        return HealthService(
            self.context, self.people, self.capacity, self.commitments, self.checkins
        )

    @cached_property
    def imports(self) -> ImportService:
        from mutuality.services.importing.service import ImportService

        return ImportService(self.context, self.people)

    @cached_property
    def exports(self) -> ExportService:
        from mutuality.services.exporting.service import ExportService

        return ExportService(self.database, self.backups, self.calendar)

    @cached_property
    def calendar(self) -> CalendarService:
        """Check-in and commitment reminders as iCalendar (``agenda --ics``, ``export``)."""
        from mutuality.services.exporting.calendar import CalendarService

        return CalendarService(self.context, self.people, self.checkins, self.commitments)

    @cached_property
    def person_exports(self) -> PersonExportService:
        """One person's record as a restorable JSON file (``person export``)."""
        from mutuality.services.exporting.person import PersonExportService

        return PersonExportService(self.context, self.people)

    @cached_property
    def needs(self) -> NeedService:
        from mutuality.services.needs import NeedService

        # a saved text is embedded for matching at once (best effort, never failing the write)
        return NeedService(self.context, self.people, saved=self._embed_saved)

    @cached_property
    def matching(self) -> MatchingService:
        from mutuality.services.matching.service import MatchingService

        return MatchingService(self.context, self.people, self.needs, self.health, self.capacity)

    @cached_property
    def introductions(self) -> IntroductionService:
        from mutuality.services.introductions.service import IntroductionService

        return IntroductionService(self.context, self.people, self.ledger, self.matching)

    @cached_property
    def accounts(self) -> AccountService:
        from mutuality.services.accounts import AccountService

        return AccountService(self.context, self.people)

    @cached_property
    def trends(self) -> TrendService:
        from mutuality.services.health.trends import TrendService

        return TrendService(self.context, self.people)

    @cached_property
    def overview(self) -> OverviewService:
        from mutuality.services.health.overview import OverviewService

        return OverviewService(
            self.context,
            self.people,
            self.ledger,
            self.health,
            self.capacity,
            self.checkins,
            self.trends,
            self.commitments,
            self.needs,
        )

    @cached_property
    def reports(self) -> ReportService:
        from mutuality.services.report.service import ReportService

        def health_as_of(day: date) -> HealthService:
            # today's figures are the ones the dashboard keeps: share them
            if day == self.today():
                return self.health
            return Mutuality.within(self.context.as_of(day)).health

        return ReportService(self.context, self.capacity, health_as_of)

    @cached_property
    def sharing(self) -> ShareService:
        from mutuality.services.sharing import ShareService

        return ShareService(self.context, self.people)

    @cached_property
    def portfolio(self) -> PortfolioService:
        from mutuality.services.introductions.portfolio import PortfolioService

        return PortfolioService(self.context)

    @cached_property
    def owner(self) -> OwnerService:
        """Your own name: whether it is set, and setting it (:mod:`.owner`)."""
        from mutuality.services.owner import OwnerService

        return OwnerService(self.context, self.people)

    @cached_property
    def occasions(self) -> OccasionService:
        from mutuality.services.checkins.occasions import OccasionService

        return OccasionService(self.context, self.people)

    @cached_property
    def todo(self) -> TodoService:
        """The to-do list across the ledger, and snoozing someone off it (:mod:`.todo`)."""
        from mutuality.services.todo import TodoService

        return TodoService(
            self.context, self.people, self.ledger, self.health, self.checkins, self.occasions
        )

    @cached_property
    def team(self) -> TeamService:
        """The community on a team's PostgreSQL server: members, roles, each one's private
        ledger (:mod:`.team`); only on an unscoped database."""
        from mutuality.services.team import TeamService

        team = TeamService(self.database, self.settings, self.today, self.context.now)
        team.embed_on_save = self.embed_on_save  # a command's board posts are embedded later
        return team

    @classmethod
    def within(cls, context: ServiceContext) -> Mutuality:
        """The application over ``context`` (another day's, or another clock's)."""
        return cls(context.database, context.settings, context.today, context.now)

    @classmethod
    def open(
        cls,
        db: str | None = None,
        settings: Settings | None = None,
        today: Callable[[], date] = date.today,
        ledger: int | None = None,
    ) -> Mutuality:
        """Open (creating or upgrading as needed) the database at ``db``, a path or URL.

        ``ledger`` opens one member's private ledger on a team's PostgreSQL server: every
        service then sees and writes that ledger's rows only (``store/ledger_scope.py``).
        """
        database = Database.open(db)
        try:
            ensure_schema(database)
            if ledger is not None:
                database = database.scoped(ledger, owns_engine=True)
        except BaseException:
            database.dispose()
            raise
        return cls(database, settings if settings is not None else load_settings(), today)

    def close(self) -> None:
        self.database.dispose()

    def __enter__(self) -> Mutuality:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
