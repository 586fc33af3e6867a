"""What every resource's shapes share: the base of inputs, a free text, a moment in UTC, the
error answer and the page of a list.

Inputs check only types and shape; every rule (lengths, ranges, dates, uniqueness) stays in
the services, whose errors come back as 4xx with the field named. Outputs are the JSON of
:mod:`mutuality.presenters` (the same as the CLI's ``--format json``), validated into the
models with ``of``: the models add the types and descriptions of the OpenAPI schema.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from mutuality.core.fields import MAX_INPUT

T = TypeVar("T")
Text = Field(default=None, max_length=MAX_INPUT)
UtcTime = Annotated[
    datetime, AfterValidator(lambda at: at if at.tzinfo else at.replace(tzinfo=UTC))
]
"""A moment stored as naive UTC, answered with its offset (JSON Schema's date-time)."""


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorOut(BaseModel):
    """Every 4xx and 5xx answer of the API."""

    error: str = Field(description="The kind of problem, e.g. InvalidInput, NotFound.")
    message: str
    field: str | None = None
    value: str | int | float | bool | None = None
    location: str | None = None
    candidates: list[str] | None = None


class PageOut(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(description="How many match in all.")
    limit: int
    offset: int
