"""Server-rendered pages: the Jinja environment (autoescaping on) and its few filters.

Everything a user typed reaches a page through Jinja's escaping; charts escape their own
labels (:mod:`mutuality.formats.charts`). Templates and static files ship inside the package.
"""

from __future__ import annotations

from datetime import date
from importlib import resources
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

STATUS_CLASS = {
    "thriving": "good",
    "balanced": "good",
    "over-giving": "warn",
    "over-receiving": "info",
    "fading": "bad",
    "overdue": "bad",
    "new": "info",
    "quiet": "muted",
    "uneven by choice": "good",
}


def package_dir(name: str) -> str:
    return str(resources.files("mutuality.web") / name)


def age(then: date | None, today: date) -> str:
    """``today``, ``3 days ago``, ``5 weeks ago``, ``4 months ago``, ``2 years ago``."""
    if then is None:
        return "never"
    days = (today - then).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    for size, unit in ((365, "year"), (30, "month"), (7, "week")):
        if days >= 2 * size:
            return f"{days // size} {unit}s ago"
    return f"{days} days ago"


def signed(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:+.{digits}f}"


def build_environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(package_dir("templates")),
        autoescape=select_autoescape(["html"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # templates ship inside the package: no need to stat them per page
    )
    environment.filters["signed"] = signed
    environment.filters["status_class"] = lambda status: STATUS_CLASS.get(str(status), "muted")
    environment.globals["query"] = lambda **params: urlencode(
        {k: v for k, v in params.items() if v not in (None, "")}
    )
    return environment


def page(
    request: Request, template: str, context: dict[str, Any], status: int = 200
) -> HTMLResponse:
    """Render ``template`` with what every page needs: the form token, the date, the path."""
    environment: Environment = request.app.state.templates
    mutuality = request.app.state.mutuality
    today = mutuality.today()
    values = {
        "request_path": request.url.path,
        "csrf": getattr(request.state, "csrf", ""),
        "signed_in": bool(getattr(request.state, "csrf", "")),
        "today": today,
        "age": lambda then: age(then, today),
        **context,
    }
    return HTMLResponse(environment.get_template(template).render(values), status_code=status)
