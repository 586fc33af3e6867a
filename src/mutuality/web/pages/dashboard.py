"""The dashboard: one prioritised to-do list (what waits on me, each item with its button),
then the network at a glance and recent activity."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from mutuality.formats.charts import flows_chart
from mutuality.web.deps import MAX_ID, AppDep, CurrentAccount
from mutuality.web.pages.people import DONE, Done
from mutuality.web.render import page

router = APIRouter(include_in_schema=False)
SHOWN = 20
"""How many to-do items the dashboard lists before it says how many more there are."""


@router.get("/")
def dashboard(
    request: Request,
    app: AppDep,
    _: CurrentAccount,
    done: Done = None,
    person: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> HTMLResponse:
    overview = app.overview.dashboard()
    notice = None
    if done is not None:
        named = app.people.by_ids([person]) if person is not None else []
        notice = f"{named[0].name}: {DONE[done]}" if named else DONE[done]
    return page(
        request,
        "dashboard.html",
        {
            "d": overview,
            "todo": app.todo.list(SHOWN),
            "notice": notice,
            "flows_chart": Markup(flows_chart(overview.flows, responsive=True)),
        },
    )
