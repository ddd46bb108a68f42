"""Answering a forwarded message: the recipient's reply to the "?" that came with it.

An executive forwards a message to a manager to find out what happened, not always to start
an improvement item. The manager's answer is a comment on the message; it acknowledges the
forward if need be, takes the message off the manager's inbox, and is the `answer_id` of every
open forward of that message to them. Each person who forwarded it is told: an entry in their
inbox ("answered your forward", through `db.mentions`) and an e-mail with the answer, queued in
the same transaction. Forwarded items are answered by their own steps, not here.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from db.audit import get_or_404, record
from db.clock import company_zone, stamp
from db.comments import add_comment
from db.errors import InvalidInput, InvalidTransition, PermissionDenied
from db.forwards import mark_acknowledged
from db.models import Comment, Forward, Mention, Message, User
from db.notify import message_title, queue
from db.sla import base_url


def answer_forward(
    session: Session, forward_id: int, *, body: str, actor, now: datetime
) -> Comment:
    """Answer the message forwarded by `forward_id` (its recipient only); return the comment."""
    fwd = get_or_404(session, Forward, forward_id)
    if fwd.recipient_id != actor.id:
        raise PermissionDenied("Only the person it was forwarded to can answer it.")
    if fwd.message_id is None:
        raise InvalidInput("A forwarded item is answered by working on the item.")
    if fwd.answer_id is not None:
        raise InvalidTransition("This forward was already answered.")
    if not (body or "").strip():
        raise InvalidInput("Write the answer first.")
    note = add_comment(session, message_id=fwd.message_id, body=body, actor=actor, now=now)
    open_forwards = session.exec(
        select(Forward).where(
            Forward.recipient_id == actor.id,
            Forward.message_id == fwd.message_id,
            Forward.answer_id.is_(None),
        )
    ).all()  # forwarded to them twice: one answer serves both
    told = set(note.mentions or []) | {actor.id}  # those it @mentions were told already
    for f in sorted(open_forwards, key=lambda f: f.id):
        if f.acknowledged_at is None:
            mark_acknowledged(session, f, actor=actor, now=now)
        f.answer_id = note.id
        session.add(f)
        data = {"message_id": f.message_id, "comment_id": note.id}
        record(session, actor=actor, now=now, entity="forward", entity_id=f.id,
               action="answered", data=data)  # fmt: skip
        if f.sender_id not in told:
            told.add(f.sender_id)
            _tell(session, f, note, actor)
    session.commit()
    return note


def _tell(session: Session, fwd: Forward, note: Comment, author) -> None:
    """Give the forward's sender an inbox entry and queue the answer to them by e-mail."""
    sender = session.get(User, fwd.sender_id)
    if sender is None or not sender.is_active:
        return
    session.add(Mention(comment_id=note.id, user_id=sender.id))
    zone = company_zone(session)
    what = message_title(session.get(Message, fwd.message_id), zone)
    queue(
        session,
        "answer",
        key=f"answer:{fwd.id}",
        to=sender.email,
        subject=f"{author.name} answered your forward: {what}",
        recipient_name=sender.name,
        author_name=author.name,
        what=what,
        note=fwd.note,
        forwarded=stamp(fwd.created_at, zone, "%a %d %b", label=True),
        answer=note.body,
        link=f"{base_url(session)}/inbox",
    )
