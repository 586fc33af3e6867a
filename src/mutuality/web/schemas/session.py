"""Shapes of ``/api/session``: signing in and out."""

from __future__ import annotations

from pydantic import BaseModel, Field

from mutuality.web.schemas.common import Input, UtcTime


class SessionIn(Input):
    password: str = Field(max_length=4096)


class SessionOut(BaseModel):
    signed_in: bool
    expires_at: UtcTime | None = None
