"""The dashboard: this week's next actions, the check-in agenda, birthdays and dates coming
up, the network at a glance, and recent activity."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from mutuality.formats.charts import flows_chart
from mutuality.web.deps import AppDep, CurrentAccount
from mutuality.web.render import page

router = APIRouter(include_in_schema=False)


@router.get("/")
def dashboard(request: Request, app: AppDep, _: CurrentAccount) -> HTMLResponse:
    overview = app.overview.dashboard()
    return page(
        request,
        "dashboard.html",
        {
            "d": overview,
            "flows_chart": Markup(flows_chart(overview.flows)),
            "coming_up": app.occasions.upcoming(),
        },
    )
