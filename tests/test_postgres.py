"""The same services on PostgreSQL (L6 of the reliability plan, the parts that exist before
team mode): the schema, a ledger round trip, and the concurrency cases L1, L2 and L5.

Runs when ``MUTUALITY_TEST_PG`` names a server (for example
``postgresql+psycopg://postgres@127.0.0.1:5432/test``); each test gets a database of its
own, dropped afterwards. Skipped, saying why, when the variable is unset.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from conftest import TODAY

from mutuality.core.errors import MutualityError
from mutuality.services.app import Mutuality
from mutuality.services.ledger import Direction
from mutuality.services.settings import Settings

SERVER = os.environ.get("MUTUALITY_TEST_PG")
pytestmark = pytest.mark.skipif(not SERVER, reason="MUTUALITY_TEST_PG names no PostgreSQL server")


@pytest.fixture
def pg_url() -> Iterator[str]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    assert SERVER
    admin = create_engine(SERVER, isolation_level="AUTOCOMMIT")
    name = f"mutuality_test_{secrets.token_hex(6)}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(SERVER).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def pg(pg_url: str) -> Iterator[Mutuality]:
    with Mutuality.open(pg_url, Settings(owner_name="Samira Haddad"), today=lambda: TODAY) as app:
        yield app


def race(work: list[Callable[[], Any]]) -> list[Any]:
    """Run every callable at once; each result, or the error it raised."""
    start = threading.Barrier(len(work))
    results: list[Any] = [None] * len(work)

    def run(number: int) -> None:
        start.wait()
        try:
            results[number] = work[number]()
        except Exception as error:  # reported to the test
            results[number] = error

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(work))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_a_ledger_round_trip_on_postgresql(pg: Mutuality) -> None:
    pg.people.add("Ana Lima", emails=("ana@example.org",))
    pg.people.add("Łukasz Żółć")
    pg.ledger.log("ana", Direction.GAVE, kind="knowledge", what="Reviewed her deck", benefit=6)
    pg.ledger.log("ana", Direction.GOT, kind="referral", what="Sent a client", benefit=8, cost=2)
    assert pg.people.get("łukasz").person.name == "Łukasz Żółć"  # Unicode folding as on SQLite
    balance = pg.balances.for_person("ana")
    assert "Ana Lima" in " ".join(balance.explanation)
    detail = pg.health.for_person("ana")
    assert detail.person.name == "Ana Lima"
    snapshot = pg.backups.snapshot()
    assert len(snapshot["exchanges"]) == 2


def test_l1_many_writers_at_once_all_saved(pg_url: str, pg: Mutuality) -> None:
    pg.people.add("Ana Lima")
    apps = [Mutuality.open(pg_url, today=lambda: TODAY) for _ in range(4)]
    try:
        results = race(
            [
                lambda app=app: [
                    app.ledger.log("ana", Direction.GAVE, kind="time", what=f"w{n}")
                    for n in range(25)
                ]
                for app in apps
            ]
        )
    finally:
        for app in apps:
            app.close()
    assert not [r for r in results if isinstance(r, BaseException)]
    assert len(pg.backups.snapshot()["exchanges"]) == 100


def test_l2_read_then_write_loses_no_update(pg_url: str, pg: Mutuality) -> None:
    """Four writers keep one commitment at once: exactly one exchange, the rest refused."""
    pg.people.add("Ana Lima")
    request = pg.requests.ask("ana", "Review my pitch deck", benefit=8, cost=2)
    _, commitment = pg.requests.decide(request.id, "yes")
    assert commitment is not None
    apps = [Mutuality.open(pg_url, today=lambda: TODAY) for _ in range(4)]
    try:
        results = race([lambda app=app: app.commitments.keep(commitment.id) for app in apps])
    finally:
        for app in apps:
            app.close()
    kept = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, MutualityError)]
    assert len(kept) == 1 and len(refused) == 3, results
    assert len(pg.backups.snapshot()["exchanges"]) == 1


def test_l5_one_check_in_link_answered_at_once_is_taken_once(pg_url: str, pg: Mutuality) -> None:
    pg.people.add("Ana Lima")
    link = pg.checkins.make_link("ana")
    apps = [Mutuality.open(pg_url, today=lambda: TODAY) for _ in range(6)]
    try:
        results = race(
            [
                lambda app=app: app.checkins.answer_link(
                    link.token, satisfaction=5, better=None, equity=None, message=None
                )
                for app in apps
            ]
        )
    finally:
        for app in apps:
            app.close()
    answered = [r for r in results if not isinstance(r, BaseException)]
    assert len(answered) == 1, results
    assert all(isinstance(r, MutualityError) for r in results if r not in answered)
    assert len(pg.checkins.list("ana")) == 1


def test_needs_are_embedded_as_saved_and_matched_by_meaning(pg: Mutuality) -> None:
    pg.people.add("Ana Lima")
    pg.people.add("Bo Chen")
    pg.needs.add("need", "ana", "Can someone look over my CV before Friday?")
    with pg.database.write():  # saved inside a larger unit of work, as the demo saves them
        pg.needs.add("offer", "bo", "Recruiter for tech roles: résumé feedback")
    assert pg.matching.embeddings.count() == 2
    report = pg.matching.suggestions()
    assert report.method == "semantic"
    assert [(m.seeker, m.helper) for m in report.introductions] == [("Ana Lima", "Bo Chen")]
    assert pg.introductions.propose("ana", "bo").matched_by == "by meaning"


def test_a_text_two_writers_embed_at_once_is_stored_once(
    pg_url: str, pg: Mutuality, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page embeds a need that its save is embedding too: writers of one ledger take turns
    (an advisory lock), so the second finds the first's vector and updates it in place."""
    import time

    from mutuality.services.matching.embeddings import compared_text

    pg.people.add("Ana Lima")
    pg.needs.on_saved = None  # the save's own embedding is the other writer below
    need = pg.needs.add("need", "ana", "Someone to look over my CV")
    store = pg.matching.embeddings
    encode = store.encoder.encode
    vectors = encode([compared_text(need)])
    inserted = threading.Event()
    with Mutuality.open(pg_url, Settings(owner_name="Samira Haddad"), today=lambda: TODAY) as other:

        def other_writer() -> None:
            with other.database.write():
                other.matching.embeddings.store([need], vectors)
                inserted.set()
                time.sleep(1.0)  # not committed yet when the first writer inserts

        writer = threading.Thread(target=other_writer)

        def while_another_stores(texts: Any, progress: Any = None) -> Any:
            writer.start()
            assert inserted.wait(60)
            return encode(texts)

        monkeypatch.setattr(store.encoder, "encode", while_another_stores)
        report = store.embed([need])
        writer.join(timeout=60)
    assert report.computed == 1 and store.count() == 1
    assert store.embed([need]).computed == 0


def test_names_of_more_people_than_one_statement_may_bind(pg: Mutuality) -> None:
    """An organisation's matching asks for the names of everyone with an open need or offer:
    at a million members that is more ids than PostgreSQL binds in one statement (65,535)."""
    from mutuality.services.person_names import person_names

    ana = pg.people.add("Ana Lima").id
    with pg.database.read() as session:
        names = person_names(session, [*range(100_000, 170_000), ana])
    assert names == {ana: "Ana Lima"}
