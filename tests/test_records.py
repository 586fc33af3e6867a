"""People read as plain rows give exactly the records the ORM path gives."""

from __future__ import annotations

import pytest

from mutuality.core.errors import InvalidInput, NotFound
from mutuality.services.app import Mutuality
from mutuality.services.records import one_person, person_record, person_records
from mutuality.store.tables import PersonRow


def test_plain_people_records_equal_the_orm_records(app: Mutuality) -> None:
    app.people.add(
        "Ana Lima",
        emails=("b@example.org", "a@example.org"),
        phones=("+351 1", "+351 2"),
        tags=("mentor", "design"),
        organisation="Studio",
        title="Lead",
        private_note="knows everyone",
    )
    app.people.add("Bo Chen")
    app.people.add("Cy Dee", tags=("alumni",))
    with app.database.read() as session:
        rows = session.scalars(PersonRow.__table__.select().with_only_columns(PersonRow.id))
        ids = list(rows)
        orm = {row.id: person_record(row) for row in session.query(PersonRow)}
        plain = person_records(session, PersonRow.id.in_(ids))
    assert plain == orm
    ana = next(p for p in plain.values() if p.name == "Ana Lima")
    assert ana.emails == ("b@example.org", "a@example.org")  # in the order given
    assert ana.tags == ("design", "mentor")
    assert app.people.by_ids([ana.id, 10**6]) == [ana]


def test_one_person_read_by_prepared_statements_equals_the_orm_record(app: Mutuality) -> None:
    app.people.add(
        "Ana Lima",
        emails=("b@example.org", "a@example.org"),
        phones=("+351 2", "+351 1"),
        tags=("mentor", "design", "alumni"),
        private_note="knows everyone",
    )
    app.people.add("Bo Chen")
    owner = app.people.owner()
    with app.database.read() as session:
        for row in session.query(PersonRow):
            assert one_person(session, row.id) == person_record(row)
        assert one_person(session, 10**6) is None
        ana = app.people.record(session, "ana lima")
        assert ana.emails == ("b@example.org", "a@example.org")
        assert ana.phones == ("+351 2", "+351 1")
        assert ana.tags == ("alumni", "design", "mentor")
        assert app.people.record(session, ana.id) == ana
        assert app.people.record(session, "a@example.org") == ana
        assert app.people.record(session, "Ana") == ana  # forgiving, through resolve
        with pytest.raises(NotFound):
            app.people.person_id(session, owner.id)  # the owner is not "a person"
        with pytest.raises(NotFound):
            app.people.person_id(session, 10**6)
        with pytest.raises(InvalidInput):
            app.people.person_id(session, "  ")


def test_plain_exchange_records_equal_the_orm_records(app: Mutuality) -> None:
    from sqlalchemy import bindparam, select

    from mutuality.services.ledger import Direction
    from mutuality.services.records import exchange_record, exchange_records
    from mutuality.store.tables import ExchangeRow

    app.people.add("Ana Lima")
    app.ledger.log("ana", Direction.GOT, kind="knowledge", what="Pricing", tags=("b", "a"))
    app.ledger.log("ana", Direction.GOT, kind="time", what="A walk", benefit=7, outcome="ok")
    app.ledger.log("ana", Direction.GAVE, kind="time", what="Coffee", private_note="secret")
    with app.database.read() as session:
        orm = [exchange_record(row) for row in session.query(ExchangeRow).order_by(ExchangeRow.id)]
        every = select(ExchangeRow.__table__).where(ExchangeRow.id > bindparam("after"))
        plain = exchange_records(session, every.order_by(ExchangeRow.id), after=0)
        assert exchange_records(session, every, after=10**6) == []
    assert plain == orm
    assert plain[0].tags == ("a", "b")
