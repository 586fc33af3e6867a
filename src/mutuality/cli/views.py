"""The CLI's names for the JSON shapes of ``--format json``: each is written once in
:mod:`mutuality.presenters`, which the REST API answers with too (docs/json-output.md)."""

from __future__ import annotations

from mutuality.presenters.exchanges import exchange_json as exchange_view
from mutuality.presenters.health import balance_json as balance_view
from mutuality.presenters.health import health_json as health_view
from mutuality.presenters.people import important_date_json as important_date_view
from mutuality.presenters.people import person_details_json as person_details_view
from mutuality.presenters.people import person_json as person_view
from mutuality.presenters.people import upcoming_json as upcoming_view

__all__ = [
    "balance_view",
    "exchange_view",
    "health_view",
    "important_date_view",
    "person_details_view",
    "person_view",
    "upcoming_view",
]
