"""Mentions: telling the people a comment @mentions, by e-mail and in their inbox.

`notify` runs inside `comments.add_comment`'s transaction, so a comment and its notices commit
together or not at all. Each mentioned user who may read what was commented on (an active
executive or manager; never the author, and never staff or admins, who cannot open items or
messages) gets a `Mention` row, their inbox entry, and an e-mail in the outbox, idempotent per
comment and user. `unseen` is the inbox's read side, newest first; `mark_seen` takes an entry
off the inbox (an explicit click: opening the item or answering does not). A mention on a
message that is not part of an item carries the message's text, since no page but the inbox
lets a manager read it. The answer to a forwarded message (`db.answers`) reaches whoever
forwarded it the same way, flagged `answer`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from db.audit import record
from db.auth import can
from db.clock import company_zone, stamp
from db.errors import NotFound
from db.models import Comment, Forward, Item, Mention, Message, User
from db.notify import message_title, queue
from db.sla import base_url


@dataclass(frozen=True)
class MentionRow:
    comment_id: int
    author: str
    at: datetime
    body: str
    item_id: int | None  # the item commented on, or the item the message belongs to
    title: str  # the item's title, or the message's subject (or what it is, without one)
    message_text: str | None = None  # a message outside any item: the inbox shows its text
    answer: bool = False  # the answer to a message this user forwarded (`db.answers`)


def notify(session: Session, note: Comment) -> list[int]:
    """Add inbox entries and queue e-mails for the users `note` mentions; return their ids.

    The caller commits (the comment's own transaction)."""
    wanted = set(note.mentions or []) - {note.author_id}
    if not wanted:
        return []
    action = "item.read" if note.item_id is not None else "message.read"
    users = session.exec(select(User).where(User.id.in_(wanted)).order_by(User.id)).all()
    told = [u for u in users if can(u, action)]
    author = session.get(User, note.author_id)
    zone = company_zone(session)
    what, link = _about(session, note, zone)
    for user in told:
        session.add(Mention(comment_id=note.id, user_id=user.id))
        _queue_email(session, note, user, author=author, what=what, link=link, zone=zone)
    return [u.id for u in told]


def _about(session: Session, note: Comment, zone: tzinfo) -> tuple[str, str]:
    """Return (what was commented on, link to it) for the e-mail."""
    base = base_url(session)
    msg = session.get(Message, note.message_id) if note.message_id is not None else None
    item_id = note.item_id if msg is None else msg.item_id
    if item_id is None:
        what = f"the message “{msg.subject}”" if msg.subject else message_title(msg, zone)
        return what, f"{base}/inbox"
    item = session.get(Item, item_id)
    what = f"item #{item.id} “{item.title}”"
    return (what if msg is None else f"a message on {what}"), f"{base}/item?item={item.id}"


def _queue_email(session, note, user, *, author, what: str, link: str, zone) -> None:
    subject = f"{author.name} mentioned you: {what}"
    queue(
        session,
        "mention",
        key=f"mention:{note.id}:{user.id}",
        to=user.email,
        subject=subject,
        recipient_name=user.name,
        author_name=author.name,
        what=what,
        comment=note.body,
        when=stamp(note.created_at, zone, "%a %d %b %Y, %H:%M", label=True),
        link=link,
    )


def unseen(session: Session, *, user_id: int, limit: int = 50) -> list[MentionRow]:
    """Return the comments mentioning this user that they have not marked seen, newest first."""
    target = sa.func.coalesce(Comment.item_id, Message.item_id)
    answers = sa.exists().where(Forward.answer_id == Comment.id, Forward.sender_id == user_id)
    stmt = (
        select(Comment, User.name, Item.id, Item.title, Message, answers)
        .select_from(Mention)
        .join(Comment, Comment.id == Mention.comment_id)
        .join(User, User.id == Comment.author_id)
        .join(Message, Message.id == Comment.message_id, isouter=True)
        .join(Item, Item.id == target, isouter=True)
        .where(Mention.user_id == user_id, Mention.seen_at.is_(None))
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(limit)
    )
    zone = company_zone(session)
    rows = []
    for note, author, item_id, item_title, msg, answer in session.exec(stmt).all():
        bare = msg is not None and item_id is None
        title = (message_title(msg, zone) if bare else item_title) or ""
        text = msg.body if bare else None
        rows.append(MentionRow(note.id, author, note.created_at, note.body, item_id, title, text,
                               bool(answer)))  # fmt: skip
    return rows


def mark_seen(session: Session, comment_id: int, *, actor: Any, now: datetime) -> Mention:
    """Take a mention off the actor's inbox (seen already: nothing changes)."""
    row = session.get(Mention, (comment_id, actor.id))
    if row is None:
        raise NotFound("This comment does not mention you.")
    if row.seen_at is None:
        row.seen_at = now
        session.add(row)
        record(
            session,
            actor=actor,
            now=now,
            entity="comment",
            entity_id=comment_id,
            action="mention_seen",
        )
        session.commit()
    return row
