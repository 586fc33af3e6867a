"""Accounts for the web app: the one-time login link, the password, and signed-in sessions.

There is no default password. The first run prints a one-time link (``serve``); whoever
opens it sets the password and is signed in. Every secret is stored only as a hash:
passwords with scrypt (salted, memory-hard), link and session tokens with SHA-256 (they
are 256-bit random values, so a fast hash is enough). A session is a random token in a
cookie; signing in issues a new one, signing out deletes it here, and each one expires.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from mutuality.core.errors import Forbidden, InvalidInput, Unauthorized
from mutuality.services.context import WithPeople
from mutuality.store.prepared import changed_rows
from mutuality.store.tables import AccountRow, LoginLinkRow, WebSessionRow

LINK_MINUTES = 60
SESSION_DAYS = 7
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")


@dataclass(frozen=True, slots=True)
class Account:
    id: int
    person_id: int
    has_password: bool


@dataclass(frozen=True, slots=True)
class LoginLink:
    token: str
    """Shown once (printed by ``serve``); only its SHA-256 is stored."""
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class SignedIn:
    account: Account
    token: str
    """The session token for the cookie; only its SHA-256 is stored."""
    expires_at: datetime


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def check_password(password: str) -> str:
    """The password rule: long enough to resist guessing, short enough to hash quickly."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise InvalidInput(
            f"the password needs at least {MIN_PASSWORD} characters", field="password"
        )
    if len(password) > MAX_PASSWORD:
        raise InvalidInput(
            f"the password may have at most {MAX_PASSWORD} characters", field="password"
        )
    return password


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32
    )
    parts = (str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P))
    encoded = (base64.b64encode(salt).decode(), base64.b64encode(digest).decode())
    return "$".join(("scrypt", *parts, *encoded))


def verify_password(password: str, stored: str | None) -> bool:
    """Constant-time check; with no password stored the same work is done and it fails."""
    try:
        scheme, n, r, p, salt, digest = (stored or "").split("$")
        wanted = base64.b64decode(digest)
        salt_bytes = base64.b64decode(salt)
        cost = (int(n), int(r), int(p))
    except ValueError:
        scheme, wanted, salt_bytes, cost = "", b"", b"0" * 16, (SCRYPT_N, SCRYPT_R, SCRYPT_P)
    got = hashlib.scrypt(
        password.encode("utf-8", "replace")[: MAX_PASSWORD * 4],
        salt=salt_bytes,
        n=cost[0],
        r=cost[1],
        p=cost[2],
        dklen=32,
    )
    return scheme == "scrypt" and hmac.compare_digest(got, wanted)


def well_formed(token: str | None) -> bool:
    """Tokens are ``secrets.token_urlsafe(32)``: anything else is refused before any lookup."""
    return bool(token) and _TOKEN.match(token or "") is not None


def _account(row: AccountRow) -> Account:
    return Account(row.id, row.person_id, row.password_hash is not None)


class AccountService(WithPeople):
    """The owner's account (team members later), its login links and sessions."""

    def _row(self, session: Session) -> AccountRow:
        owner = self._people.owner_row(session)
        row = session.scalars(select(AccountRow).where(AccountRow.person_id == owner.id)).first()
        if row is None:
            row = AccountRow(person_id=owner.id, password_hash=None, created_at=self._now())
            session.add(row)
            session.flush()
        return row

    def account(self) -> Account:
        """The owner's account, created (without a password) on first use."""
        with self._db.write() as session:
            return _account(self._row(session))

    def needs_password(self) -> bool:
        """True until someone has set a password through a login link."""
        with self._db.read() as session:
            found = session.scalar(select(AccountRow.password_hash).limit(1))
            return found is None

    # --- one-time links ----------------------------------------------------------------------

    def login_link(self, minutes: int = LINK_MINUTES) -> LoginLink:
        """A new one-time link that lets whoever opens it set the password and sign in.

        It revokes every older link not yet used: only the link printed last works, so one
        left in a terminal's scrollback or a log stops working when a new one is made."""
        if not 1 <= minutes <= 7 * 24 * 60:
            raise InvalidInput("a link lasts 1 minute to 7 days", field="minutes", value=minutes)
        token = secrets.token_urlsafe(32)
        now = self._now()
        expires = now + timedelta(minutes=minutes)
        with self._db.write() as session:
            account = self._row(session)
            session.execute(
                delete(LoginLinkRow).where(
                    (LoginLinkRow.expires_at <= now)
                    | (LoginLinkRow.used_at.is_(None) & (LoginLinkRow.account_id == account.id))
                )
            )
            session.add(
                LoginLinkRow(
                    token_hash=token_hash(token),
                    account_id=account.id,
                    created_at=now,
                    expires_at=expires,
                    used_at=None,
                )
            )
        return LoginLink(token, expires)

    def check_link(self, token: str) -> None:
        """Raise :class:`Forbidden` unless the link is live (looking does not use it up)."""
        with self._db.read() as session:
            self._live_link(session, token)

    def use_link(self, token: str, password: str) -> SignedIn:
        """Use the link once: set the password and sign in. A second use is refused."""
        check_password(password)
        now = self._now()
        with self._db.write() as session:
            link = self._live_link(session, token)
            taken = session.execute(
                update(LoginLinkRow)
                .where(LoginLinkRow.token_hash == link.token_hash, LoginLinkRow.used_at.is_(None))
                .values(used_at=now)
            )
            if changed_rows(taken) != 1:
                raise Forbidden("this login link was already used", field="token")
            account = session.get_one(AccountRow, link.account_id)
            account.password_hash = hash_password(password)
            return self._open_session(session, account, now)

    def _live_link(self, session: Session, token: str) -> LoginLinkRow:
        found = session.get(LoginLinkRow, token_hash(token)) if well_formed(token) else None
        if found is None or found.used_at is not None or found.expires_at <= self._now():
            raise Forbidden(
                "this login link is unknown, used or expired; run `mutuality serve "
                "--login-link` for a new one",
                field="token",
            )
        return found

    # --- passwords and sessions --------------------------------------------------------------

    def sign_in(self, password: str, previous: str | None = None) -> SignedIn:
        """Check the password and open a new session (the ``previous`` one, if any, ends)."""
        now = self._now()
        with self._db.write() as session:
            account = self._row(session)
            if not verify_password(password, account.password_hash):
                raise Unauthorized("wrong password", field="password")
            if previous and well_formed(previous):
                session.execute(
                    delete(WebSessionRow).where(WebSessionRow.token_hash == token_hash(previous))
                )
            return self._open_session(session, account, now)

    def change_password(self, token: str, current: str, new: str) -> SignedIn:
        """A new password ends every session and opens a fresh one for this browser."""
        check_password(new)
        now = self._now()
        with self._db.write() as session:
            account = self._row(session)
            if self.session(token) is None:
                raise Unauthorized("sign in first", field="session")
            if not verify_password(current, account.password_hash):
                raise Unauthorized("wrong password", field="password")
            account.password_hash = hash_password(new)
            session.execute(delete(WebSessionRow).where(WebSessionRow.account_id == account.id))
            return self._open_session(session, account, now)

    def _open_session(self, session: Session, account: AccountRow, now: datetime) -> SignedIn:
        session.execute(delete(WebSessionRow).where(WebSessionRow.expires_at <= now))
        token = secrets.token_urlsafe(32)
        expires = now + timedelta(days=SESSION_DAYS)
        session.add(
            WebSessionRow(
                token_hash=token_hash(token),
                account_id=account.id,
                created_at=now,
                expires_at=expires,
            )
        )
        session.flush()
        return SignedIn(_account(account), token, expires)

    def session(self, token: str | None) -> Account | None:
        """The account signed in with this session token, or ``None`` (unknown, expired)."""
        if not token or not well_formed(token):
            return None
        digest = token_hash(token)
        found = self._db.cached(("accounts.session", digest), lambda: self._lookup(digest))
        if found is None or found[1] <= self._now():
            return None
        return found[0]

    def _lookup(self, digest: str) -> tuple[Account, datetime] | None:
        """Every page asks; the answer is kept until the next write (signing out is one)."""
        with self._db.read() as session:
            found = session.execute(
                select(AccountRow, WebSessionRow.expires_at)
                .join(WebSessionRow, WebSessionRow.account_id == AccountRow.id)
                .where(WebSessionRow.token_hash == digest)
            ).first()
            return None if found is None else (_account(found[0]), found[1])

    def sign_out(self, token: str | None) -> None:
        """End the session here, on the server: the cookie alone no longer signs anyone in."""
        if not token or not well_formed(token):
            return
        with self._db.write() as session:
            session.execute(
                delete(WebSessionRow).where(WebSessionRow.token_hash == token_hash(token))
            )
