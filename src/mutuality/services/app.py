"""The Python API: one :class:`Mutuality` per database, holding a service for each area.

The CLI, the web app and tests all drive this same object::

    from mutuality.services.app import Mutuality

    app = Mutuality.open("ledger.db")
    app.people.add("Ana Lima", emails=("ana@example.org",))
    app.ledger.log("ana", Direction.GAVE, kind="knowledge", what="Reviewed her pitch deck")
    print(app.balances.for_person("ana").explanation)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from mutuality.services.accounts import AccountService
from mutuality.services.backup import BackupService
from mutuality.services.balances import BalanceService
from mutuality.services.capacity import CapacityService
from mutuality.services.checkins import CheckInService
from mutuality.services.exporting import ExportService
from mutuality.services.health import HealthService
from mutuality.services.importing import ImportService
from mutuality.services.introductions import IntroductionService
from mutuality.services.ledger import LedgerService
from mutuality.services.matching import MatchingService
from mutuality.services.needs import NeedService
from mutuality.services.overview import OverviewService
from mutuality.services.people import PeopleService
from mutuality.services.requests import CommitmentService, RequestService
from mutuality.services.settings import Settings, load_settings
from mutuality.services.trends import TrendService
from mutuality.store.database import Database
from mutuality.store.schema import ensure_schema


class Mutuality:
    """The application: the database, the settings and the services over them."""

    def __init__(
        self,
        database: Database,
        settings: Settings | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        self.database = database
        self.settings = settings or Settings()
        self.today = today
        self.people = PeopleService(database, self.settings, today)
        self.ledger = LedgerService(database, self.settings, self.people, today)
        self.balances = BalanceService(database, self.settings, self.people, today)
        self.backups = BackupService(database)
        self.capacity = CapacityService(database, self.people, today)
        self.commitments = CommitmentService(database, self.people, self.ledger, today)
        self.checkins = CheckInService(database, self.settings, self.people, today)
        self.imports = ImportService(database, self.people, today)
        self.exports = ExportService(
            database, self.backups, self.checkins, self.commitments, today
        )
        self.health = HealthService(
            database, self.settings, self.people, self.capacity, today, self.commitments,
            self.checkins,
        )
        self.requests = RequestService(
            database,
            self.people,
            self.ledger,
            self.balances,
            self.capacity,
            today,
            self.settings.requests,
        )
        self.needs = NeedService(database, self.people, today)
        self.matching = MatchingService(
            database, self.people, self.needs, self.health, self.capacity, today
        )
        self.introductions = IntroductionService(
            database, self.people, self.ledger, self.matching, today
        )
        self.accounts = AccountService(database, self.people)
        self.trends = TrendService(database, self.settings, self.people, today)
        self.overview = OverviewService(
            database,
            self.people,
            self.ledger,
            self.health,
            self.capacity,
            self.checkins,
            self.trends,
            today,
        )

    @classmethod
    def open(
        cls,
        db: str | None = None,
        settings: Settings | None = None,
        today: Callable[[], date] = date.today,
    ) -> Mutuality:
        """Open (creating or upgrading as needed) the database at ``db``, a path or URL."""
        database = Database.open(db)
        try:
            ensure_schema(database)
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
