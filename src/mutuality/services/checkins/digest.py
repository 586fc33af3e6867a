"""The weekly digest: the check-in agenda and the next actions, as a plain-text email sent
through the SMTP server the user configured (``[email]`` in the config file). It holds
names, dates and suggested actions, never a private note."""

from __future__ import annotations

import os
import smtplib
import ssl
from email.message import EmailMessage
from typing import TYPE_CHECKING

from mutuality.core.errors import InvalidInput, StorageError
from mutuality.services.settings import EmailSettings

if TYPE_CHECKING:
    from mutuality.services.app import Mutuality

PASSWORD_ENV = "MUTUALITY_SMTP_PASSWORD"


def digest_text(app: Mutuality, horizon_days: int = 7, actions: int = 7) -> str:
    today = app.today()
    lines = [f"mutuality: your week from {today.isoformat()}", ""]
    agenda = app.checkins.agenda(horizon_days)
    lines.append(f"Check-ins due ({len(agenda)}):")
    lines += [
        f"- {person.name}: {item.when(today)} ({item.why(today)})" for person, item in agenda
    ] or ["- nobody is due"]
    lines += ["", "Next actions:"]
    steps = app.health.next_actions(actions)
    for step in steps:
        lines.append(f"- {step.person.name}: {step.health.action.value}. {step.detail}")
        lines += [f"    they gave you: {gift.description} ({gift.on})" for gift in step.cite]
    if not steps:
        lines.append("- nothing to do")
    due = [c for c in app.commitments.list() if (c.due_on - today).days <= horizon_days]
    if due:
        names = {p.id: p.name for p in app.people.list()}
        lines += ["", "Commitments due:"]
        lines += [
            f"- {c.due_on}: {'you to' if c.mine else 'from'} "
            f"{names.get(c.person_id, '?')}: {c.text}"
            for c in due
        ]
    return "\n".join(lines) + "\n"


def digest_message(app: Mutuality, email: EmailSettings) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = f"mutuality: your week from {app.today().isoformat()}"
    message["From"] = email.sender
    message["To"] = email.to
    message.set_content(digest_text(app))
    return message


def send_digest(app: Mutuality, email: EmailSettings | None = None) -> EmailMessage:
    """Send the digest; errors name the server and say what went wrong."""
    email = email or app.settings.email
    if not email.configured:
        raise InvalidInput(
            "no email server configured: set host, sender and to under [email] in the config file",
            field="email",
        )
    return send_email(digest_message(app, email), email, "the digest")


def send_email(message: EmailMessage, email: EmailSettings, what: str) -> EmailMessage:
    """Send ``message`` through the configured server (the digest, a team invitation);
    an error names the server, what could not be sent, and what went wrong."""
    password = os.environ.get(PASSWORD_ENV)
    try:
        if email.ssl:
            server: smtplib.SMTP = smtplib.SMTP_SSL(
                email.host, email.port, timeout=30, context=ssl.create_default_context()
            )
        else:
            server = smtplib.SMTP(email.host, email.port, timeout=30)
        with server:
            if email.starttls and not email.ssl:
                server.starttls(context=ssl.create_default_context())
            if email.username:
                server.login(email.username, password or "")
            server.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise StorageError(
            f"could not send {what} through {email.host}:{email.port}: {error}",
            field="email",
            value=email.host,
        ) from None
    return message
