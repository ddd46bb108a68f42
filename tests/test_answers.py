"""Answering a forwarded message: off the manager's inbox, to the forwarder's inbox and e-mail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from db import mentions, tracking
from db import workflow as wf
from db.errors import InvalidInput, InvalidTransition, PermissionDenied
from db.models import Comment, Event, Forward, Outbox, Role
from tests.factories import NOW, make_message, make_user
from tests.journeys import cast, new_item

LATER = NOW + timedelta(hours=3)
ANSWER = "We checked Brackley: two bays were coned off for repair.\nReopened at 14:00."


@pytest.fixture
def c(session):
    return cast(session)


def _forward(session, c, msg, *, by=None, to=None) -> Forward:
    return wf.forward(session, message_ids=[msg.id], to_user_id=(to or c.mara).id, note="?",
                      respond_by=None, actor=by or c.ceo, now=NOW)  # fmt: skip


def _answers(session) -> list[Outbox]:
    return session.exec(select(Outbox).where(Outbox.kind == "answer").order_by(Outbox.id)).all()


def test_an_answer_takes_the_message_off_the_inbox_and_tells_the_forwarder(session, c):
    msg = make_message(session, subject="Stalls blocked at Brackley")
    fwd = _forward(session, c, msg)
    note = wf.answer_forward(session, fwd.id, body=ANSWER, actor=c.mara, now=LATER)
    assert tracking.inbox(session, user=c.mara, now=LATER) == []
    session.refresh(fwd)
    assert (fwd.answer_id, fwd.acknowledged_at) == (note.id, LATER)  # answering acknowledges
    stored = session.get(Comment, note.id)
    assert (stored.message_id, stored.author_id, stored.body) == (msg.id, c.mara.id, ANSWER)
    [entry] = mentions.unseen(session, user_id=c.ceo.id)
    assert (entry.comment_id, entry.author, entry.answer) == (note.id, "Mara Lind", True)
    assert entry.message_text == msg.body  # the CEO reads what it was about beside the answer
    [mail] = _answers(session)
    assert (mail.to_addr, mail.dedupe_key) == (c.ceo.email, f"answer:{fwd.id}")
    assert mail.subject == "Mara Lind answered your forward: Stalls blocked at Brackley"
    assert "coned off for repair.\n> Reopened at 14:00." in mail.body_text
    assert "Your note: ?" in mail.body_text


def test_answering_is_audited_with_the_acknowledgement_first(session, c):
    fwd = _forward(session, c, make_message(session))
    note = wf.answer_forward(session, fwd.id, body="Done.", actor=c.mara, now=LATER)
    stmt = select(Event).where(Event.entity == "forward", Event.entity_id == fwd.id)
    events = [(e.action, e.actor_id, e.data) for e in session.exec(stmt.order_by(Event.id))]
    assert events[-2:] == [
        ("acknowledged", c.mara.id, {"item_id": None, "message_id": fwd.message_id}),
        ("answered", c.mara.id, {"message_id": fwd.message_id, "comment_id": note.id}),
    ]


def test_an_acknowledged_forward_can_be_answered_later(session, c):
    fwd = _forward(session, c, make_message(session, subject="Hold times"))
    wf.acknowledge_forward(session, fwd.id, actor=c.mara, now=NOW)
    assert [r.kind for r in tracking.inbox(session, user=c.mara, now=LATER)] == ["acknowledged"]
    wf.answer_forward(session, fwd.id, body="Rota fixed for Mondays.", actor=c.mara, now=LATER)
    assert tracking.inbox(session, user=c.mara, now=LATER) == []
    session.refresh(fwd)
    assert fwd.acknowledged_at == NOW  # kept: its SLA was met then


def test_one_answer_serves_a_message_forwarded_twice_and_tells_each_forwarder_once(session, c):
    coo = make_user(session, email="coo@example.com", name="Omar Diaz", role=Role.EXECUTIVE)
    msg = make_message(session, subject="Refund")
    first, second = _forward(session, c, msg), _forward(session, c, msg, by=coo)
    third = _forward(session, c, msg)  # the CEO again
    note = wf.answer_forward(session, second.id, body="Refunded today.", actor=c.mara, now=LATER)
    for fwd in (first, second, third):
        session.refresh(fwd)
        assert fwd.answer_id == note.id
    assert sorted(m.to_addr for m in _answers(session)) == sorted([c.ceo.email, coo.email])
    assert [e.answer for e in mentions.unseen(session, user_id=coo.id)] == [True]


def test_a_forwarder_the_answer_mentions_is_told_once_as_a_mention(session, c):
    fwd = _forward(session, c, make_message(session))
    wf.answer_forward(session, fwd.id, body="@Erin Cole fixed.", actor=c.mara, now=LATER)
    [entry] = mentions.unseen(session, user_id=c.ceo.id)
    assert entry.answer  # it is still flagged as the answer to their forward
    kinds = session.exec(select(Outbox.kind).where(Outbox.to_addr == c.ceo.email)).all()
    assert kinds == ["mention"]


def test_only_the_recipient_may_answer(session, c):
    fwd = _forward(session, c, make_message(session))
    for who in (c.laura, c.ceo):
        with pytest.raises(PermissionDenied, match="Only the person it was forwarded to"):
            wf.answer_forward(session, fwd.id, body="Not mine.", actor=who, now=LATER)
    assert session.exec(select(Comment)).all() == []


@pytest.mark.parametrize("body", ["", "   \n "])
def test_an_empty_answer_is_refused(session, c, body):
    fwd = _forward(session, c, make_message(session))
    with pytest.raises(InvalidInput, match="Write the answer first"):
        wf.answer_forward(session, fwd.id, body=body, actor=c.mara, now=LATER)
    session.refresh(fwd)
    assert fwd.answer_id is None and fwd.acknowledged_at is None


def test_a_forward_is_answered_once_and_a_forwarded_item_not_at_all(session, c):
    fwd = _forward(session, c, make_message(session))
    wf.answer_forward(session, fwd.id, body="Done.", actor=c.mara, now=LATER)
    with pytest.raises(InvalidTransition, match="already answered"):
        wf.answer_forward(session, fwd.id, body="Again.", actor=c.mara, now=LATER)
    item = new_item(session, c)
    item_fwd = wf.forward(session, item_id=item.id, to_user_id=c.mara.id, note="?",
                          respond_by=None, actor=c.ceo, now=NOW)  # fmt: skip
    with pytest.raises(InvalidInput, match="working on the item"):
        wf.answer_forward(session, item_fwd.id, body="Done.", actor=c.mara, now=LATER)
