"""Helpers for the team-mode web tests: a fresh PostgreSQL database per test, a community
with members, and a browser signed in as one of them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from conftest import TODAY
from test_postgres import SERVER, pg_url  # noqa: F401 (the fixture, one definition)
from web_helpers import PASSWORD, web_client

from mutuality.services.app import Mutuality
from mutuality.services.settings import Settings
from mutuality.services.team import Member

needs_server = pytest.mark.skipif(not SERVER, reason="MUTUALITY_TEST_PG names no PostgreSQL server")
SAFE_HEADERS = {"sec-fetch-site": "same-origin"}


@pytest.fixture
def server(pg_url: str) -> Iterator[Mutuality]:  # noqa: F811
    """The unscoped app over a fresh database (no community yet)."""
    with Mutuality.open(pg_url, Settings(), today=lambda: TODAY) as app:
        yield app
        app.team.close()


@dataclass
class Community:
    server: Mutuality
    organiser: Member
    members: list[Member]

    @property
    def everyone(self) -> list[Member]:
        return [self.organiser, *self.members]


def found_community(server: Mutuality, *names: str) -> Community:
    """A community organised by Olu Ade, with each of ``names`` joined as a member (their
    email is their first name, lower case, at example.org)."""
    team = server.team
    invite = team.init("Riverside Circle", "olu@example.org", "Olu Ade")
    organiser = team.join(invite.token, PASSWORD)
    members = []
    for name in names:
        email = f"{name.split()[0].lower()}@example.org"
        made = team.invite(organiser.id, email, name=name)
        members.append(team.join(made.token, PASSWORD))
    return Community(server, organiser, members)


def signed_in_as(server: Mutuality, member: Member, **settings: Any) -> Any:
    """A browser signed in (through the sign-in form) as ``member``."""
    client = web_client(server, **settings)
    answer = client.post(
        "/login",
        data={"email": member.email, "password": PASSWORD},
        headers=SAFE_HEADERS,
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    return client
