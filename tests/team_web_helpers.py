"""Helpers for the team-mode web tests: a fresh PostgreSQL database per test, a community
with members, and a browser signed in as one of them."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from conftest import TODAY
from web_helpers import PASSWORD, web_client

from mutuality.services.app import Mutuality
from mutuality.services.settings import Settings
from mutuality.services.team import Member

SERVER = os.environ.get("MUTUALITY_TEST_PG")
needs_server = pytest.mark.skipif(not SERVER, reason="MUTUALITY_TEST_PG names no PostgreSQL server")
SAFE_HEADERS = {"sec-fetch-site": "same-origin"}


@pytest.fixture
def pg_url() -> Iterator[str]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    assert SERVER
    admin = create_engine(SERVER, isolation_level="AUTOCOMMIT")
    name = f"mutuality_test_{secrets.token_hex(6)}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(SERVER).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def server(pg_url: str) -> Iterator[Mutuality]:
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
