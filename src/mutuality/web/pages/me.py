"""The settings page: your own name, which signs what other people read (introduction
drafts, check-in links, the portfolio), kept in the ledger (the rule is in
:mod:`mutuality.services.owner`); the address links use, the value model's half-life and
tolerance, and the email server of the weekly digest, kept in the config file; and your
capacity, shown here and changed on its own page.

The config file is changed through :mod:`mutuality.services.settings_file`: only the keys
whose values change are written, checked by the rules the file is loaded with, and the
running app takes the new settings at once (in this process; other worker processes when
they start again)."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mutuality.core.errors import InvalidInput, MutualityError
from mutuality.services.app import Mutuality
from mutuality.services.settings import Settings, config_path
from mutuality.services.settings_file import Key, Value, plan_settings, write_settings
from mutuality.web.deps import AppDep, CheckedForm, CurrentAccount
from mutuality.web.pages import number, whole
from mutuality.web.render import page

router = APIRouter(include_in_schema=False)

FILE_FIELDS: dict[str, Key] = {
    "public_url": ("web", "public_url"),
    "half_life_days": ("value", "half_life_days"),
    "tolerance": ("value", "tolerance"),
    "email_host": ("email", "host"),
    "email_port": ("email", "port"),
    "email_username": ("email", "username"),
    "email_sender": ("email", "sender"),
    "email_to": ("email", "to"),
}
"""The form's fields kept in the config file, and their (section, key) there."""
NUMBERS = {"half_life_days": number, "tolerance": number, "email_port": whole}
Field = Annotated[str | None, Form(max_length=500)]
"""A settings field: empty resets it to its default. A form without ``whole_form`` (one
that posts only a name) leaves the settings it does not send as they are; the page's own
form sends it, because an emptied field reaches the handler as ``None`` too."""


def current(settings: Settings) -> dict[str, str]:
    """What the form shows: the settings the app runs with."""
    shown: dict[str, str] = {}
    for name, (section, key) in FILE_FIELDS.items():
        value = getattr(getattr(settings, section), key)
        shown[name] = f"{value:g}" if isinstance(value, float) else str(value)
    return shown


def settings_page(
    request: Request,
    app: Mutuality,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
    saved: bool = False,
) -> HTMLResponse:
    own = app.owner.name()
    shown = {"name": own.name or "", **current(app.settings), **(values or {})}
    web = request.app.state.settings
    context = {
        "own": own,
        "values": shown,
        "errors": errors or {},
        "first_error": next((f for f in ("name", *FILE_FIELDS) if f in (errors or {})), None),
        "saved": saved,
        "config_file": str(config_path()),
        "capacity": app.capacity.get(),
        "password_env": "MUTUALITY_SMTP_PASSWORD",
        "pinned_url": web.public_url if web.public_url != app.settings.web.public_url else "",
    }
    return page(request, "settings.html", context, status=status)


@router.get("/settings")
def settings(request: Request, app: AppDep, _: CurrentAccount, saved: bool = False) -> HTMLResponse:
    return settings_page(request, app, saved=saved)


def changes_from(form: dict[str, str | None], settings: Settings) -> dict[Key, Value]:
    """The config keys whose submitted values differ from the running ones; an empty field
    removes its key (back to the default). Raises at the first field that is no number."""
    now = current(settings)
    found: dict[Key, Value] = {}
    for name, key in FILE_FIELDS.items():
        text = form.get(name)
        if text is None or text.strip() == now[name]:
            continue
        parse = NUMBERS.get(name)
        found[key] = None if not text.strip() else parse(text, name) if parse else text.strip()
    return found


def field_of(error: MutualityError) -> str:
    """The form field a refusal is about: ``value.tolerance`` is ``tolerance``."""
    by_key = {f"{section}.{key}": name for name, (section, key) in FILE_FIELDS.items()}
    field = error.field or ""
    return by_key.get(field, field if field in FILE_FIELDS or field == "name" else "form")


@router.post("/settings")
def save_settings(
    request: Request,
    app: AppDep,
    _: CheckedForm,
    name: Annotated[str, Form(max_length=400)] = "",
    public_url: Field = None,
    half_life_days: Field = None,
    tolerance: Field = None,
    email_host: Field = None,
    email_port: Field = None,
    email_username: Field = None,
    email_sender: Field = None,
    email_to: Field = None,
    whole_form: Annotated[bool, Form()] = False,
) -> Response:
    """Check every change before any is saved: the numbers, the new config file (by the
    rules it is loaded with), then your name; then write the name and the file."""
    form: dict[str, Any] = {
        "public_url": public_url,
        "half_life_days": half_life_days,
        "tolerance": tolerance,
        "email_host": email_host,
        "email_port": email_port,
        "email_username": email_username,
        "email_sender": email_sender,
        "email_to": email_to,
    }
    if whole_form:
        form = {key: value or "" for key, value in form.items()}
    typed = {"name": name, **{k: v for k, v in form.items() if v is not None}}
    errors: dict[str, str] = {}
    status = 200
    changes: dict[Key, Value] = {}

    def refused(field: str, error: MutualityError) -> None:
        nonlocal status
        errors[field] = error.message
        status = status if status != 200 else error.status

    for field in FILE_FIELDS:  # every number is checked, so each error sits by its field
        try:
            changes.update(changes_from({field: form[field]}, app.settings))
        except InvalidInput as error:
            refused(field, error)
    planned = None
    if changes and request.app.state.team is not None:  # the server's file, not a member's
        errors["form"] = "in a community, only whoever runs the server changes its settings"
        status = 403
    if not errors and changes:
        try:
            planned = plan_settings(changes)
        except MutualityError as error:
            refused(field_of(error), error)
    if not errors and name.strip() and name.strip() != (app.owner.name().name or ""):
        try:
            app.owner.set_name(name)
        except MutualityError as error:
            refused("name", error)
    if errors:
        return settings_page(request, app, typed, errors, status)
    if planned is not None:
        try:
            new = write_settings(planned)
        except MutualityError as error:
            return settings_page(request, app, typed, {"form": error.message}, error.status)
        apply(request, app, new)
    return RedirectResponse("/settings?saved=1", status_code=303)


def apply(request: Request, app: Mutuality, new: Settings) -> None:
    """Run this process's app with the new settings from its next request on: the services
    are built again over the same database (figures kept for the old settings are not
    reused), and the address links use changes unless ``serve`` was given its own."""
    state = request.app.state
    if state.settings.public_url == app.settings.web.public_url:
        state.settings = replace(state.settings, public_url=new.web.public_url)
    state.mutuality = Mutuality.within(replace(app.context, settings=new))
