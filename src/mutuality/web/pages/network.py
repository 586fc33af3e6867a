"""The network page (figures and a picture of the relationship graph) and capacity."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from mutuality.core.errors import MutualityError
from mutuality.core.model import ExchangeKind
from mutuality.formats.charts import Node, network_graph
from mutuality.web.deps import AppDep, CheckedForm, CurrentAccount, ledger_of
from mutuality.web.pages import number
from mutuality.web.render import page

router = APIRouter(include_in_schema=False)


@router.get("/network")
def network(request: Request, app: AppDep, _: CurrentAccount) -> HTMLResponse:
    graph = app.overview.graph(40)
    nodes = [
        Node(
            item.person.id,
            item.person.name,
            item.health.status.value,
            item.health.given,
            item.health.received,
            item.health.times_given + item.health.times_received,
        )
        for item in graph.people
    ]
    introductions = [(a, b, state.value) for a, b, state in graph.introductions]
    context = {
        "report": app.health.network(),
        "graph": graph,
        "names": {item.person.id: item.person.name for item in graph.people},
        "picture": Markup(
            network_graph(
                nodes,
                introductions,
                tolerance=app.settings.value.tolerance,
                you=graph.average,
                responsive=True,
            )
        ),
        "tolerance": app.settings.value.tolerance,
    }
    return page(request, "network.html", context)


def capacity_page(request: Request, error: str | None = None, status: int = 200) -> HTMLResponse:
    app = ledger_of(request)
    context = {"use": app.capacity.use(), "error": error, "kinds": [k.value for k in ExchangeKind]}
    return page(request, "capacity.html", context, status=status)


@router.get("/capacity")
def capacity(request: Request, _: CurrentAccount) -> HTMLResponse:
    return capacity_page(request)


@router.post("/capacity")
def set_capacity(
    request: Request,
    app: AppDep,
    _: CheckedForm,
    amount: Annotated[str, Form(max_length=50)] = "",
    unit: Annotated[str, Form(max_length=50)] = "points",
    period: Annotated[str, Form(max_length=50)] = "month",
    no: Annotated[list[str] | None, Form(max_length=50)] = None,
) -> Response:
    try:
        value = number(amount, "amount")
        if value is None:
            app.capacity.clear()
        else:
            app.capacity.set(value, unit, period, tuple(no or ()))
    except MutualityError as error:
        return capacity_page(request, str(error), error.status)
    return RedirectResponse("/capacity", status_code=303)
