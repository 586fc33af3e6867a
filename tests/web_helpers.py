"""Helpers for the web tests: a test client over an app, signing in, the form token."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from mutuality.services.app import Mutuality
from mutuality.web.app import create_app
from mutuality.web.security import SESSION_COOKIE
from mutuality.web.settings import WebSettings

PASSWORD = "correct horse battery staple"
BASE = "https://testserver"
"""HTTPS so that the client keeps the Secure session cookie."""
ERROR_KEYS = {"error", "message", "field", "value", "location"}


def web_client(app: Mutuality, **settings: Any) -> TestClient:
    web = create_app(WebSettings(allowed_hosts=("testserver",), **settings), app)
    return TestClient(web, base_url=BASE, raise_server_exceptions=False)


def sign_in(client: TestClient, app: Mutuality, password: str = PASSWORD) -> TestClient:
    """Set the password through a fresh one-time link, which also signs the client in."""
    link = app.accounts.login_link()
    answer = client.post(
        f"/login/link/{link.token}",
        data={"password": password, "confirm": password},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    return client


def session_of(client: TestClient) -> str:
    return client.cookies.get(SESSION_COOKIE) or ""


def form_token(client: TestClient, path: str = "/people/new") -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
    assert found, "no form token on the page"
    return found.group(1)


def post_form(client: TestClient, path: str, data: dict[str, Any], **kwargs: Any) -> Any:
    """POST a form as this app's own page does: with the session's form token."""
    return client.post(
        path, data={"csrf_token": form_token(client), **data}, follow_redirects=False, **kwargs
    )
