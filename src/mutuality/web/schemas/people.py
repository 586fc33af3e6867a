"""Shapes of ``/api/people``: a person, their details, adding, changing and forgetting one."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from mutuality.core.model import Person, RelationshipContext
from mutuality.presenters.people import person_details_json, person_json
from mutuality.services.people import PersonDetails
from mutuality.web.schemas.common import Input, Text


class PersonOut(BaseModel):
    id: int
    name: str
    emails: list[str]
    phones: list[str]
    tags: list[str]
    organisation: str | None
    title: str | None
    note: str | None = Field(description="Your private note (never shared).")

    @classmethod
    def of(cls, person: Person) -> PersonOut:
        return cls.model_validate(person_json(person))


class DateOut(BaseModel):
    """An important date a person keeps."""

    id: int
    person_id: int
    person: str
    text: str
    on: str = Field(description="``1986-04-15``, or ``--04-15`` when the year is not known.")
    yearly: bool
    year_known: bool


class PersonDetailOut(PersonOut):
    context: str | None
    started_on: date | None
    cadence_days: int | None
    exchanges: int
    birthday: str | None = Field(
        description="``1986-04-15``, ``--04-15`` when the year is not known, or null."
    )
    dates: list[DateOut] = Field(description="Their important dates, in the order kept.")

    @classmethod
    def of_details(cls, details: PersonDetails) -> PersonDetailOut:
        return cls.model_validate(person_details_json(details))


class PersonCreate(Input):
    name: str = Field(max_length=1000)
    emails: list[str] = Field(default_factory=list, max_length=50)
    phones: list[str] = Field(default_factory=list, max_length=50)
    tags: list[str] = Field(default_factory=list, max_length=100)
    organisation: str | None = Text
    title: str | None = Text
    note: str | None = Text
    context: RelationshipContext = RelationshipContext.OTHER
    cadence_days: int | None = None
    started_on: date | None = None


class PersonUpdate(Input):
    """Only the keys given change; a list replaces the old one; ``null`` clears a text."""

    name: str | None = Field(default=None, max_length=1000)
    emails: list[str] | None = Field(default=None, max_length=50)
    phones: list[str] | None = Field(default=None, max_length=50)
    tags: list[str] | None = Field(default=None, max_length=100)
    organisation: str | None = Text
    title: str | None = Text
    note: str | None = Text
    context: RelationshipContext | None = None
    cadence_days: int | None = None


class ForgottenOut(BaseModel):
    forgotten: str
    exchanges: int
