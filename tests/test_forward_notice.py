"""Forwarding queues the manager's email in the same transaction as the forward."""

from __future__ import annotations

from sqlmodel import select

from db import workflow
from db.models import Outbox
from tests.factories import NOW, make_ceo, make_charging_manager, make_message


def test_forward_queues_one_notice_to_the_recipient(session):
    ceo, manager = make_ceo(session), make_charging_manager(session)
    msg = make_message(session, body="Cars parked at the chargers all night.")
    fwd = workflow.forward(
        session,
        message_ids=[msg.id],
        to_user_id=manager.id,
        note="?",
        respond_by=None,
        actor=ceo,
        now=NOW,
    )
    rows = session.exec(select(Outbox)).all()
    assert [(r.kind, r.to_addr, r.dedupe_key) for r in rows] == [
        ("forward", manager.email, f"forward:{fwd.id}")
    ]
    assert "?" in rows[0].body_text and ceo.name in rows[0].subject


def test_a_refused_forward_queues_nothing(session):
    ceo = make_ceo(session)
    msg = make_message(session)
    try:
        workflow.forward(
            session,
            message_ids=[msg.id],
            to_user_id=ceo.id + 99,
            note="?",
            respond_by=None,
            actor=ceo,
            now=NOW,
        )
    except Exception:
        session.rollback()
    assert session.exec(select(Outbox)).all() == []
