"""The SMTP side of sending: settings from the environment, the connection, the message.

`SmtpSettings.from_env` reads `SMTP_HOST`, `SMTP_PORT`, `SMTP_USER`, `SMTP_PASSWORD`,
`SMTP_FROM` and `SMTP_STARTTLS=1`, refusing a malformed one before any work. `email_message`
turns an Outbox row into the RFC 5322 message sent (with the Message-ID fixed at enqueue time):
the subject is flattened to one line (`one_line`) and the To must be exactly one address, so
customer text can neither add a header nor a recipient; a row that cannot be built raises
ValueError. `connect` opens, secures and logs in. Which rows are sent, and when, is
`db/delivery.py`'s.
"""

from __future__ import annotations

import os
import smtplib
from dataclasses import dataclass
from datetime import UTC
from email.message import EmailMessage
from email.utils import format_datetime

from db.errors import InvalidInput
from db.headertext import one_line, single_address
from db.models import Outbox


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    user: str | None = None
    password: str | None = None
    sender: str = "feedbackloop@localhost"
    starttls: bool = False
    timeout: float = 10.0

    @classmethod
    def from_env(cls) -> SmtpSettings | None:
        """Return settings from the SMTP_* environment, or None when SMTP_HOST is unset.

        InvalidInput names a malformed setting (the CLI shows it as a configuration error).
        """
        env = os.environ
        if not env.get("SMTP_HOST", "").strip():
            return None
        return cls(
            host=env["SMTP_HOST"].strip(),
            port=_port(env.get("SMTP_PORT", "").strip() or "25"),
            user=env.get("SMTP_USER") or None,
            password=env.get("SMTP_PASSWORD") or None,
            sender=env.get("SMTP_FROM") or "feedbackloop@localhost",
            starttls=env.get("SMTP_STARTTLS", "").strip().lower() in ("1", "true", "yes"),
        )


def _port(text: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise InvalidInput(f"SMTP_PORT must be a number, got {text!r}")
    if not 1 <= int(text) <= 65535:
        raise InvalidInput(f"SMTP_PORT must be between 1 and 65535, got {text!r}")
    return int(text)


def email_message(row: Outbox, settings: SmtpSettings) -> EmailMessage:
    """Build the e-mail an outbox row stands for, with its Message-ID fixed at enqueue time.

    ValueError when it cannot be (its To is not one address): retrying will not help."""
    if single_address(row.to_addr) is None:
        raise ValueError(f"the recipient is not one e-mail address: {row.to_addr[:80]!r}")
    msg = EmailMessage()
    msg["From"], msg["To"] = settings.sender, row.to_addr
    msg["Subject"] = one_line(row.subject)
    msg["Message-ID"] = row.message_id_header
    msg["Date"] = format_datetime(row.created_at.astimezone(UTC))
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(row.body_text)
    if row.body_html:
        msg.add_alternative(row.body_html, subtype="html")
    return msg


def connect(settings: SmtpSettings) -> smtplib.SMTP:
    """Open a connection to the SMTP server, with STARTTLS and login when the settings ask."""
    smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    if settings.starttls:
        smtp.starttls()
    if settings.user:
        smtp.login(settings.user, settings.password or "")
    return smtp
