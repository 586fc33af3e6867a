"""Server-rendered pages: the Jinja environment (autoescaping on) and its few filters.

Human copy comes from the filters, the same on every page: ``{{ d|day }}`` (``today``,
``in 3 days``, ``22 Mar``, ``22 Mar 2025``), ``{{ d|ago }}`` (``5 weeks ago``),
``{{ d|due }}`` (``due 5 days ago``, ``due today``), ``{{ d|date }}`` (always ``22 Mar``: the
ends of a span), each in a ``<time datetime>`` element;
``{{ n|plural("day") }}`` (``1 day``, ``280 days``); ``{{ status|status_pill }}`` (the
health status pill, the one thing a pill shows).

Everything a user typed reaches a page through Jinja's escaping; charts escape their own
labels (:mod:`mutuality.formats.charts`). Templates and static files ship inside the package.
"""

from __future__ import annotations

from datetime import date
from importlib import resources
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from mutuality.core.words import age, as_day, due_phrase, plural, relative_day, short_date

STATUS_CLASS = {
    "thriving": "thriving",
    "balanced": "balanced",
    "over-giving": "over-giving",
    "over-receiving": "over-receiving",
    "fading": "fading",
    "overdue": "overdue",
    "new": "new",
    "quiet": "quiet",
    "uneven by choice": "uneven-by-choice",
}
"""One CSS class per health status, so that each has its own colour (``app.css``) and no
two statuses look alike."""


def package_dir(name: str) -> str:
    return str(resources.files("mutuality.web") / name)


STATUS_MEANING = {
    "thriving": "balanced, both of you come out ahead, and in touch recently",
    "balanced": "within the balanced band, but not thriving",
    "over-giving": "you give more than you receive, beyond the balanced band",
    "over-receiving": "you receive more than you give, beyond the balanced band",
    "fading": "silent for far longer than the check-in cadence, or activity fell sharply",
    "overdue": "silent for longer than the check-in cadence",
    "new": "first contact recently, few exchanges yet",
    "quiet": "nothing logged yet",
    "uneven by choice": "uneven, in a tie where that is not for you to judge",
}
"""What each health status pill means, in a phrase (its ``title``): a pill only ever shows a
relationship's health status (:mod:`mutuality.core.health`); docs/web.md lists them."""


def _day_of(value: date | str | None) -> date | None:
    """A date, a moment, or an ISO date as text (as some records carry it), as a day."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return as_day(value)


def time_element(day: date | None, text: str) -> Markup:
    """``text`` in a ``<time>`` element carrying the ISO date (and as its tooltip)."""
    if day is None:
        return Markup(escape(text))
    iso = as_day(day).isoformat()
    return Markup('<time datetime="{0}" title="{0}">{1}</time>').format(iso, text)


def _today(context: Context) -> date:
    today = context.get("today")
    return today if isinstance(today, date) else date.today()


@pass_context
def day_filter(context: Context, value: date | str | None, never: str = "never") -> Markup:
    """``{{ d|day }}``: :func:`relative_day` in a ``<time>`` element."""
    if (day := _day_of(value)) is None:
        return Markup(escape(never))
    return time_element(day, relative_day(day, _today(context)))


@pass_context
def date_filter(context: Context, value: date | str | None, never: str = "") -> Markup:
    """``{{ d|date }}``: always the day itself (``22 Mar``, ``22 Mar 2025``), for the ends
    of a span, where "5 days ago to 31 Dec" would read wrong."""
    if (day := _day_of(value)) is None:
        return Markup(escape(never))
    return time_element(day, short_date(day, _today(context)))


@pass_context
def ago_filter(context: Context, value: date | str | None, never: str = "never") -> Markup:
    """``{{ d|ago }}``: :func:`age` (``3 days ago``, ``5 weeks ago``) in a ``<time>``."""
    if (day := _day_of(value)) is None:
        return Markup(escape(never))
    return time_element(day, age(day, _today(context)))


@pass_context
def due_filter(context: Context, value: date | str) -> Markup:
    """``{{ d|due }}``: :func:`due_phrase` in a ``<time>`` element."""
    day = _day_of(value)
    if day is None:
        return Markup("")
    return time_element(day, due_phrase(day, _today(context)))


def status_pill(status: object) -> Markup:
    """A health status pill: its own colour and its meaning as a tooltip."""
    name = str(getattr(status, "value", status))
    meaning = STATUS_MEANING.get(name)
    if meaning is None:
        return Markup('<span class="badge muted">{0}</span>').format(name)
    return Markup('<span class="badge {0}" title="{1}">{2}</span>').format(
        STATUS_CLASS[name], meaning, name
    )


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
    environment.filters["status_pill"] = status_pill
    environment.filters["plural"] = plural
    environment.filters["day"] = day_filter
    environment.filters["date"] = date_filter
    environment.filters["ago"] = ago_filter
    environment.filters["due"] = due_filter
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
        "team_mode": getattr(request.app.state, "team", None) is not None,
        "today": today,
        "age": lambda then: age(then, today),
        **context,
    }
    return HTMLResponse(environment.get_template(template).render(values), status_code=status)
