"""Comments on a message or an item, and the @mentions they name.

A comment records its Event and tells the users it @mentions (`db.mentions`: inbox entries and
e-mails) in the same transaction. `comment` commits; `add_comment` leaves that to the caller,
so an answer to a forward (`db/answers.py`) commits with its comment.
"""

from __future__ import annotations

import re

from sqlmodel import Session, select

from db import mentions
from db.audit import get_or_404, record
from db.auth import require
from db.errors import InvalidInput
from db.models import Comment, Item, Message, User

_MENTION = re.compile(r"@([\w.+-]+)")


def comment(session, *, message_id=None, item_id=None, body: str, actor, now) -> Comment:
    """Add a comment to a message or an item; the users it @mentions are told (db.mentions)."""
    note = add_comment(
        session, message_id=message_id, item_id=item_id, body=body, actor=actor, now=now
    )
    session.commit()
    return note


def add_comment(session, *, message_id=None, item_id=None, body: str, actor, now) -> Comment:
    """Add a comment, its Event and its mentions' notices; the caller commits."""
    if (message_id is None) == (item_id is None):
        raise InvalidInput("Comment on either a message or an item.")
    if not (body or "").strip():
        raise InvalidInput("A comment cannot be empty.")
    entity = "item" if item_id is not None else "message"
    target = get_or_404(session, Item if item_id is not None else Message, item_id or message_id)
    require(actor, f"{entity}.comment", item=target if entity == "item" else None)
    note = Comment(
        author_id=actor.id,
        body=body.strip(),
        created_at=now,
        item_id=item_id,
        message_id=message_id,
        mentions=_mentions(session, body),
    )
    session.add(note)
    session.flush()
    record(
        session,
        actor=actor,
        now=now,
        entity=entity,
        entity_id=target.id,
        action="commented",
        data={"comment_id": note.id, "mentions": note.mentions},
    )
    mentions.notify(session, note)  # inbox entries and e-mails, in this same transaction
    return note


def _mentions(session: Session, body: str) -> list[int]:
    """Return the users an @mention names: "@Mara Lind" that one person; "@mara.lind",
    "@mara.lind@voltra.example" or "@Mara" whoever has that address or first name."""
    if "@" not in body:
        return []
    users = session.exec(select(User.id, User.email, User.name)).all()
    text = " ".join(body.lower().split())
    named = {uid for uid, _, name in users if f"@{' '.join(name.lower().split())}" in text}
    taken = {name.split()[0].lower() for uid, _, name in users if uid in named}
    words = {n.lower().rstrip(".") for n in _MENTION.findall(body)} - taken
    hits = {
        uid
        for uid, email, name in users
        if email.lower() in words
        or email.split("@")[0].lower() in words
        or name.split()[0].lower() in words
    }
    return sorted(named | hits)
