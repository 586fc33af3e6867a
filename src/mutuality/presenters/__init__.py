"""The JSON contract of each resource, written once: pure functions from the services'
frozen records to plain JSON values (dates as ``YYYY-MM-DD`` text, figures rounded here).

``mutuality ... --format json`` prints what they return, and the REST API validates the
same dictionaries into its response models (``mutuality.web.schemas``), so the keys and the
rounding cannot drift apart between the two. The keys are documented in
docs/json-output.md; ``tests/test_json_contract.py`` checks that the CLI, the API and the
docs agree for every resource.

Nothing here reads the database or imports a CLI or web library: records come in, plain
dictionaries go out.
"""

from __future__ import annotations

from datetime import date, datetime


def iso(day: date | datetime | None) -> str | None:
    """``2026-11-23`` (a moment: ``2026-11-23T09:30:00``, as stored), or ``None``."""
    return None if day is None else day.isoformat()


def rounded(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)
