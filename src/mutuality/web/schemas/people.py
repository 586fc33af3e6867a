"""Shapes of ``/api/people``: a person, their details, adding, changing and forgetting one."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from mutuality.core.model import Person, RelationshipContext
from mutuality.presenters.people import person_details_json, person_json
from mutuality.services.people import PersonDetails, Suggestions, Verdict
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


class SuggestionOut(BaseModel):
    """A person a typed name may mean: what the picker shows (never a private note)."""

    id: int
    name: str
    organisation: str | None
    initials: str = Field(description="Up to two letters for the avatar circle.")


class SuggestionsOut(BaseModel):
    """Whom a typed name would match if the form were saved now, by the rule the server
    follows when it is."""

    query: str
    verdict: Verdict = Field(
        description="``one``: it names one person; ``several``: choose one; ``none``: no "
        "one yet (add them); ``you``: it means you; ``empty``: nothing typed."
    )
    message: str = Field(description="The verdict in words, as the picker shows it.")
    total: int = Field(description="How many people it matches in all.")
    people: list[SuggestionOut] = Field(description="The first of them, to choose from.")

    @classmethod
    def of(cls, found: Suggestions) -> SuggestionsOut:
        return cls(
            query=found.text,
            verdict=found.verdict,
            message=verdict_words(found),
            total=found.total,
            people=[
                SuggestionOut(
                    id=p.id, name=p.name, organisation=p.organisation, initials=p.initials
                )
                for p in found.people
            ],
        )


def verdict_words(found: Suggestions) -> str:
    """What saving the form now would do, in the words the picker shows under the field."""
    if found.verdict == "one" and found.people:
        person = found.people[0]
        at = f" ({person.organisation})" if person.organisation else ""
        return f"Will match: {person.name}{at}"
    if found.verdict == "several":
        more = "" if found.total <= len(found.people) else ", or type more of the name"
        return f"{found.total} people match: choose one{more}"
    if found.verdict == "none":
        return f"No one yet: add {found.text} as a new person"
    if found.verdict == "you":
        return "Will match: you"
    return ""


class SnoozeIn(Input):
    """Either the day the snooze ends or how long it lasts (``10d``, ``2w``, ``1m``)."""

    until: date | None = None
    span: str | None = Field(
        default=None, alias="for", max_length=20, description="``10d``, ``2w`` or ``1m``."
    )


class SnoozeOut(BaseModel):
    """Who is snoozed, and the day they come back onto the to-do list (null: not snoozed)."""

    person: PersonOut
    snoozed_until: date | None
