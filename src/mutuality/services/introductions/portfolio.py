"""The shareable portfolio: the outcomes I marked shareable, in public words, written as a
folder (HTML, Markdown, JSON) all at once.

It reads only the columns it may show (names, kinds, dates, what and outcome of shared
exchanges, outcomes of shared introductions): private notes, reasons, messages and
everything else never leave the database on this path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from mutuality.core.introductions import IntroStatus
from mutuality.core.portfolio import (
    FORMAT_NAME,
    Portfolio,
    SharedHelp,
    SharedIntroduction,
    ShareKind,
    public_name,
    public_words,
)
from mutuality.formats.portfolio import FILES, render_all
from mutuality.services.context import Service
from mutuality.services.owner import is_placeholder
from mutuality.services.sharing import shared_ids
from mutuality.store.files import replace_folder
from mutuality.store.tables import ExchangeRow, IntroductionRow, PersonRow

DEFAULT_FOLDER = Path("portfolio")
MAX_MARKER_BYTES = 50 * 1024**2


@dataclass(frozen=True, slots=True)
class WrittenPortfolio:
    folder: Path
    files: tuple[str, ...]
    portfolio: Portfolio


class PortfolioService(Service):
    def build(self) -> Portfolio:
        """What the portfolio says, newest first in each section (kept until the next write:
        its page is asked for far more often than the ledger changes)."""
        return self._db.cached(("portfolio.build", self._today()), self._build)

    def _build(self) -> Portfolio:
        with self._db.read() as session:
            marks = shared_ids(session)
            owner_id, owner = self._owner(session)
            exchanges = session.execute(
                select(
                    ExchangeRow.id,
                    ExchangeRow.giver_id,
                    ExchangeRow.receiver_id,
                    ExchangeRow.kind,
                    ExchangeRow.description,
                    ExchangeRow.outcome,
                    ExchangeRow.occurred_on,
                )
                .where(ExchangeRow.id.in_(marks[ShareKind.EXCHANGE]))
                .where(or_(ExchangeRow.giver_id == owner_id, ExchangeRow.receiver_id == owner_id))
                .order_by(ExchangeRow.occurred_on.desc(), ExchangeRow.id.desc())
            ).all()
            intros = session.execute(
                select(
                    IntroductionRow.id,
                    IntroductionRow.a_id,
                    IntroductionRow.b_id,
                    IntroductionRow.outcome,
                    IntroductionRow.created_at,
                    ExchangeRow.occurred_on,
                )
                .outerjoin(ExchangeRow, ExchangeRow.id == IntroductionRow.a_exchange_id)
                .where(IntroductionRow.id.in_(marks[ShareKind.INTRODUCTION]))
                .where(IntroductionRow.status == IntroStatus.MADE.value)
            ).all()
            wanted = {x.giver_id for x in exchanges} | {x.receiver_id for x in exchanges}
            wanted |= {i.a_id for i in intros} | {i.b_id for i in intros}
            named = marks[ShareKind.PERSON]
            names = {
                row.id: public_name(row.name, row.id in named, named.get(row.id))
                for row in session.execute(
                    select(PersonRow.id, PersonRow.name).where(PersonRow.id.in_(wanted))
                )
            }
        given: list[SharedHelp] = []
        received: list[SharedHelp] = []
        for x in exchanges:
            text, outcome = public_words(marks[ShareKind.EXCHANGE][x.id], x.description, x.outcome)
            i_gave = x.giver_id == owner_id
            person = names[x.receiver_id if i_gave else x.giver_id]
            help_ = SharedHelp(x.occurred_on, person, x.kind, text or "", outcome)
            (given if i_gave else received).append(help_)
        introductions = []
        for i in intros:
            text, outcome = public_words(marks[ShareKind.INTRODUCTION][i.id], None, i.outcome)
            on = i.occurred_on or i.created_at.date()
            introductions.append(
                SharedIntroduction(on, names[i.a_id], names[i.b_id], text, outcome)
            )
        introductions.sort(key=lambda entry: entry.on, reverse=True)
        return Portfolio(owner, self._today(), tuple(introductions), tuple(given), tuple(received))

    def write(self, folder: Path | None = None) -> WrittenPortfolio:
        """Build and write the portfolio folder, replacing an older portfolio there."""
        folder = (folder or DEFAULT_FOLDER).expanduser()
        portfolio = self.build()
        files = render_all(portfolio)
        replace_folder(folder, files, is_portfolio_folder)
        return WrittenPortfolio(folder, tuple(files), portfolio)

    def _owner(self, session: Session) -> tuple[int, str | None]:
        """My id and my name as the page shows it (``None`` while it is not set)."""
        row = session.execute(select(PersonRow.id, PersonRow.name).where(PersonRow.is_owner))
        found = row.first()
        owner_id, name = (found.id, found.name) if found else (-1, self._settings.owner_name)
        return owner_id, None if is_placeholder(name) else name


def is_portfolio_folder(folder: Path) -> bool:
    """Whether ``folder`` holds only a portfolio's files (and so may be replaced)."""
    names = {entry.name for entry in folder.iterdir()}
    if not names <= set(FILES) or "portfolio.json" not in names:
        return False
    marker = folder / "portfolio.json"
    try:
        if marker.stat().st_size > MAX_MARKER_BYTES:
            return False
        document = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(document, dict) and document.get("format") == FORMAT_NAME
