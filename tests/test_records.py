"""People read as plain rows give exactly the records the ORM path gives."""

from __future__ import annotations

from mutuality.services.app import Mutuality
from mutuality.services.records import person_record, person_records
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


def test_plain_exchange_records_equal_the_orm_records(app: Mutuality) -> None:
    from mutuality.services.ledger import Direction
    from mutuality.services.records import exchange_record, exchange_records
    from mutuality.store.tables import ExchangeRow

    app.people.add("Ana Lima")
    app.ledger.log("ana", Direction.GOT, kind="knowledge", what="Pricing", tags=("b", "a"))
    app.ledger.log("ana", Direction.GOT, kind="time", what="A walk", benefit=7, outcome="ok")
    app.ledger.log("ana", Direction.GAVE, kind="time", what="Coffee", private_note="secret")
    with app.database.read() as session:
        orm = [exchange_record(row) for row in session.query(ExchangeRow).order_by(ExchangeRow.id)]
        plain = exchange_records(session, ExchangeRow.id > 0, (ExchangeRow.id,), 10)
        assert exchange_records(session, ExchangeRow.id < 0, (ExchangeRow.id,), 10) == []
    assert plain == orm
    assert plain[0].tags == ("a", "b")
