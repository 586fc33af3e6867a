"""Accounts: passwords, one-time links and sessions (the service behind the web sign-in),
and the cache that keeps network-wide figures until the next write."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from mutuality.core.errors import Forbidden, InvalidInput, Unauthorized
from mutuality.services.accounts import (
    AccountService,
    hash_password,
    token_hash,
    verify_password,
    well_formed,
)
from mutuality.services.app import Mutuality
from mutuality.store.tables import LoginLinkRow, WebSessionRow

PASSWORD = "a long enough password"


def clocked(app: Mutuality, start: datetime) -> tuple[AccountService, list[datetime]]:
    now = [start]
    return AccountService(replace(app.context, now=lambda: now[0]), app.people), now


def test_passwords_are_salted_scrypt_and_checked_in_constant_time() -> None:
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first != second and first.startswith("scrypt$16384$8$1$")
    assert verify_password(PASSWORD, first) and not verify_password("wrong", first)
    assert not verify_password(PASSWORD, None) and not verify_password(PASSWORD, "garbage")


def test_links_are_one_time_time_limited_and_stored_hashed(app: Mutuality) -> None:
    accounts, now = clocked(app, datetime(2026, 11, 23, 9, 0))
    link = accounts.login_link(minutes=30)
    assert well_formed(link.token)
    with app.database.read() as session:
        stored = session.scalars(select(LoginLinkRow)).one()
        assert stored.token_hash == token_hash(link.token) and link.token not in stored.token_hash
    with pytest.raises(InvalidInput, match="at least 10"):
        accounts.use_link(link.token, "short")
    signed = accounts.use_link(link.token, PASSWORD)  # the short try did not use it up
    assert accounts.session(signed.token) == signed.account
    with pytest.raises(Forbidden):
        accounts.use_link(link.token, PASSWORD)
    late = accounts.login_link(minutes=30)
    now[0] += timedelta(minutes=31)
    with pytest.raises(Forbidden):
        accounts.check_link(late.token)
    with pytest.raises(Forbidden):
        accounts.check_link("not a token")


def test_a_new_link_revokes_the_older_unused_ones(app: Mutuality) -> None:
    """Only the link printed last works: an older one left in a terminal or a log (or
    printed by a ``serve`` that then failed to start) stops working."""
    accounts, _now = clocked(app, datetime(2026, 11, 23, 9, 0))
    first, second = accounts.login_link(), accounts.login_link()
    with pytest.raises(Forbidden):
        accounts.check_link(first.token)
    with pytest.raises(Forbidden):
        accounts.use_link(first.token, PASSWORD)
    accounts.check_link(second.token)
    third = accounts.login_link()
    with pytest.raises(Forbidden):
        accounts.use_link(second.token, PASSWORD)
    signed = accounts.use_link(third.token, PASSWORD)
    assert accounts.session(signed.token) == signed.account
    with app.database.read() as session:
        live = session.scalars(select(LoginLinkRow).where(LoginLinkRow.used_at.is_(None))).all()
    assert live == []


def test_sessions_rotate_expire_and_end_on_sign_out(app: Mutuality) -> None:
    accounts, now = clocked(app, datetime(2026, 11, 23, 9, 0))
    first = accounts.use_link(accounts.login_link().token, PASSWORD)
    with pytest.raises(Unauthorized):
        accounts.sign_in("wrong password")
    second = accounts.sign_in(PASSWORD, previous=first.token)
    assert accounts.session(first.token) is None and accounts.session(second.token)
    with app.database.read() as session:
        hashes = list(session.scalars(select(WebSessionRow.token_hash)))
    assert hashes == [token_hash(second.token)]
    accounts.sign_out(second.token)
    assert accounts.session(second.token) is None
    third = accounts.sign_in(PASSWORD)
    now[0] += timedelta(days=8)
    assert accounts.session(third.token) is None
    renewed = accounts.change_password(accounts.sign_in(PASSWORD).token, PASSWORD, PASSWORD + "!")
    assert accounts.session(renewed.token) is not None
    with pytest.raises(Unauthorized):
        accounts.sign_in(PASSWORD)


def test_cached_results_last_until_any_write(app: Mutuality, tmp_path: object) -> None:
    calls = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert app.database.cached("k", compute) == 1
    assert app.database.cached("k", compute) == 1
    app.people.add("Ana Lima")
    assert app.database.cached("k", compute) == 2
    from conftest import open_app

    with open_app(app.database.path) as other:  # another connection, as another process
        other.people.add("Bo Chen")
    assert app.database.cached("k", compute) == 3
    with app.database.write():
        assert app.database.cached("k", compute) == 4  # inside a write: never cached
    assert app.database.cached("k", compute) == 5
