"""The settings page: your own name, which signs what other people read (introduction
drafts, check-in links, the portfolio). Until it is set those go out unsigned; the rule is
in :mod:`mutuality.services.owner`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mutuality.core.errors import MutualityError
from mutuality.services.app import Mutuality
from mutuality.web.deps import AppDep, CheckedForm, CurrentAccount
from mutuality.web.render import page

router = APIRouter(include_in_schema=False)


def settings_page(
    request: Request,
    app: Mutuality,
    name: str | None = None,
    error: str | None = None,
    status: int = 200,
    saved: bool = False,
) -> HTMLResponse:
    own = app.owner.name()
    context = {
        "own": own,
        "name": (own.name or "") if name is None else name,
        "error": error,
        "saved": saved,
    }
    return page(request, "settings.html", context, status=status)


@router.get("/settings")
def settings(request: Request, app: AppDep, _: CurrentAccount, saved: bool = False) -> HTMLResponse:
    return settings_page(request, app, saved=saved)


@router.post("/settings")
def save_settings(
    request: Request,
    app: AppDep,
    _: CheckedForm,
    name: Annotated[str, Form(max_length=400)] = "",
) -> Response:
    try:
        app.owner.set_name(name)
    except MutualityError as error:
        return settings_page(request, app, name, error.message, error.status)
    return RedirectResponse("/settings?saved=1", status_code=303)
