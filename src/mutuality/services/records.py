"""Mapping store rows onto the core's frozen records (the only place that knows both)."""

from __future__ import annotations

from mutuality.core.model import (
    Estimator,
    Exchange,
    ExchangeKind,
    Initiative,
    Person,
    Relationship,
    RelationshipContext,
)
from mutuality.store.tables import ExchangeRow, PersonRow, RelationshipRow


def person_record(row: PersonRow) -> Person:
    return Person(
        id=row.id,
        name=row.name,
        emails=tuple(e.email for e in row.emails),
        phones=tuple(p.phone for p in row.phones),
        tags=tuple(t.tag for t in row.tags),
        organisation=row.organisation,
        title=row.title,
        private_note=row.private_note,
        is_owner=row.is_owner,
        created_at=row.created_at,
    )


def exchange_record(row: ExchangeRow) -> Exchange:
    return Exchange(
        id=row.id,
        giver_id=row.giver_id,
        receiver_id=row.receiver_id,
        kind=ExchangeKind(row.kind),
        description=row.description,
        on=row.occurred_on,
        benefit=row.benefit,
        cost=row.cost,
        estimated_by=Estimator(row.estimated_by),
        tags=tuple(t.tag for t in row.tags),
        outcome=row.outcome,
        private_note=row.private_note,
        created_at=row.created_at,
        initiated_by=Initiative(row.initiated_by) if row.initiated_by else None,
        hours=row.hours,
    )


def relationship_record(row: RelationshipRow) -> Relationship:
    return Relationship(
        person_id=row.person_id,
        context=RelationshipContext(row.context),
        started_on=row.started_on,
        cadence_days=row.cadence_days,
    )
