"""The REST API under ``/api``: one router per resource, JSON in and out, lists paged.

A new resource adds a module here, its shapes in ``mutuality/web/schemas_*.py``, and its
router to ``API_ROUTERS`` in :mod:`mutuality.web.app`.
"""

from __future__ import annotations

from typing import Any

from mutuality.web.schemas.common import ErrorOut

ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": description}
    for status, description in (
        (400, "Refused request (an unknown Host header)"),
        (401, "Not signed in"),
        (403, "Refused: a cross-site request"),
        (404, "Not found"),
        (409, "Conflict with what is stored"),
        (422, "Invalid input; `field` names it"),
        (429, "Too many attempts"),
    )
}
"""The error answers every API route may give, documented with their shape."""
