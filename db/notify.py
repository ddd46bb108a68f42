"""The outbox's write side: every e-mail the product sends, rendered and queued in the causing
transaction.

`render` fills a template pair from `db/templates` (text, and HTML auto-escaped); `queue`
renders and enqueues in one call. `enqueue` adds an Outbox row in the caller's transaction (no
commit), idempotent by `dedupe_key`, so the e-mail exists if and only if the action that caused
it committed. Each row gets its RFC 5322 Message-ID here, at enqueue time, so that every
attempt to send it (`db/delivery.py`) carries the same one. A subject is flattened to one line
and the recipient must be exactly one address: both can carry customer text (a message's
subject, an imported address), and a line break in a header cannot be sent, nor may a customer
add a recipient.
"""

from __future__ import annotations

import os
import uuid
from datetime import tzinfo
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlmodel import Session, select

from db.clock import stamp
from db.errors import InvalidInput
from db.headertext import one_line, single_address
from db.models import Outbox

_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
CHANNEL_NAMES = {"email": "an email", "tweet": "a post on X"}


def render(name: str, *, title: str, **context: object) -> tuple[str, str]:
    """Render templates `<name>.txt.j2` and `<name>.html.j2` (auto-escaped) to text and HTML."""
    text = _ENV.get_template(f"{name}.txt.j2").render(title=title, **context)
    html = _ENV.get_template(f"{name}.html.j2").render(title=title, **context)
    return text.strip() + "\n", html


def queue(
    session: Session, template: str, *, key: str, to: str, subject: str, kind: str = "", **context
) -> Outbox:
    """Render `template` (the subject is its title) and add the e-mail to the outbox in the
    caller's transaction, once per `key`; `kind` defaults to the template's name."""
    subject = one_line(subject)
    text, html = render(template, title=subject, **context)
    return enqueue(session, kind=kind or template, dedupe_key=key, to_addr=to, subject=subject,
                   text=text, html=html)  # fmt: skip


def _message_id(sender: str) -> str:
    domain = sender.rsplit("@", 1)[-1].strip("> ") or "feedbackloop.local"
    return f"<{uuid.uuid4().hex}@{domain}>"


def enqueue(
    session: Session,
    *,
    kind: str,
    dedupe_key: str,
    to_addr: str,
    subject: str,
    text: str,
    html: str | None = None,
) -> Outbox:
    """Add an e-mail to the outbox in the caller's transaction; return the existing row if any.

    The subject is flattened to one line; InvalidInput unless `to_addr` is one address."""
    if single_address(to_addr) is None:
        raise InvalidInput(f"Cannot e-mail {to_addr[:80]!r}: it is not one e-mail address.")
    existing = session.exec(select(Outbox).where(Outbox.dedupe_key == dedupe_key)).first()
    if existing is not None:
        return existing
    sender = os.environ.get("SMTP_FROM") or "feedbackloop@feedbackloop.local"
    row = Outbox(
        kind=kind,
        dedupe_key=dedupe_key,
        to_addr=to_addr,
        subject=one_line(subject)[:500],
        body_text=text,
        body_html=html,
        message_id_header=_message_id(sender),
    )
    session.add(row)
    return row


def message_title(msg: Any, zone: tzinfo) -> str:
    """Return a message's subject, or what it is without one ("a post on X of 20 Nov 2026")."""
    if msg.subject:
        return msg.subject
    kind = CHANNEL_NAMES.get(msg.channel, "a message")
    return f"{kind} of {stamp(msg.received_at, zone, '%d %b %Y')}"
