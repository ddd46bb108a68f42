"""Accounts (`db.users`): own password changes, switching sign-in off and on, and the outbox's
"send again" for e-mails given up on, each checked and recorded."""

from __future__ import annotations

import pytest
from sqlmodel import select

from db import auth, signins, users
from db.errors import InvalidInput, PermissionDenied
from db.models import Event, Outbox, OutboxStatus
from db.notify import enqueue
from db.outbox import failed_emails, retry_failed
from tests.factories import NOW

PASSWORD = "correct horse battery"


def _user(session, email: str, role: str):
    return users.create_user(
        session, email=email, name=email.split("@")[0].title(), role=role, password=PASSWORD,
        now=NOW,
    )  # fmt: skip


@pytest.fixture
def ada(session):
    return _user(session, "ada@example.com", "admin")


@pytest.fixture
def sam(session):
    return _user(session, "sam@example.com", "staff")


def _signs_in(session, email: str, password: str) -> bool:
    try:
        return auth.authenticate(session, email=email, password=password, now=NOW) is not None
    except PermissionDenied:
        return False


def test_changing_ones_own_password_needs_the_current_one(session, sam):
    with pytest.raises(InvalidInput, match="current password is not right"):
        users.change_password(session, sam.id, current="guess guess", new="x" * 12, now=NOW)
    with pytest.raises(InvalidInput, match="same as the current"):
        users.change_password(session, sam.id, current=PASSWORD, new=PASSWORD, now=NOW)
    with pytest.raises(InvalidInput, match="at least 10"):
        users.change_password(session, sam.id, current=PASSWORD, new="short", now=NOW)
    assert _signs_in(session, "sam@example.com", PASSWORD)


def test_a_changed_password_works_and_signs_out_other_browsers(session, sam):
    phone = signins.remember(session, sam, now=NOW)
    users.change_password(session, sam.id, current=PASSWORD, new="a new password 42", now=NOW)
    assert _signs_in(session, "sam@example.com", "a new password 42")
    assert not _signs_in(session, "sam@example.com", PASSWORD)
    assert signins.resume(session, phone, now=NOW) is None
    event = session.exec(select(Event).where(Event.entity_id == sam.id).order_by(Event.id.desc()))
    assert event.first().actor_id == sam.id  # they did it themself


def test_deactivation_is_undone_by_reactivating_with_the_same_password(session, ada, sam):
    users.deactivate_user(session, sam.id, actor=ada, now=NOW)
    assert not _signs_in(session, "sam@example.com", PASSWORD)
    with pytest.raises(InvalidInput, match="already deactivated"):
        users.deactivate_user(session, sam.id, actor=ada, now=NOW)
    users.reactivate_user(session, sam.id, actor=ada, now=NOW)
    assert _signs_in(session, "sam@example.com", PASSWORD)
    with pytest.raises(InvalidInput, match="can already sign in"):
        users.reactivate_user(session, sam.id, actor=ada, now=NOW)
    trail = session.exec(select(Event.action, Event.actor_id).where(Event.entity_id == sam.id))
    assert [a for a in trail.all() if a[0] != "created"] == [
        ("deactivated", ada.id),
        ("reactivated", ada.id),
    ]


def test_only_an_admin_reactivates(session, ada, sam):
    users.deactivate_user(session, sam.id, actor=ada, now=NOW)
    manager = _user(session, "mara@example.com", "manager")
    with pytest.raises(PermissionDenied):
        users.reactivate_user(session, sam.id, actor=manager, now=NOW)
    with pytest.raises(PermissionDenied):
        users.set_password(session, sam.id, password="taken over now", actor=manager, now=NOW)


def _mail(session, key: str, status: str) -> Outbox:
    row = enqueue(session, kind="reply", dedupe_key=key, to_addr=f"{key}@co.test", subject=key,
                  text="x")  # fmt: skip
    row.status, row.attempts = status, 8 if status == OutboxStatus.FAILED else 1
    session.commit()
    return row


def test_failed_emails_are_queued_again_keeping_their_message_id(session, ada):
    gave_up = _mail(session, "a", OutboxStatus.FAILED)
    sent = _mail(session, "b", OutboxStatus.SENT)
    header = gave_up.message_id_header
    assert retry_failed(session, actor=ada, now=NOW) == 1
    session.expire_all()
    again = session.get(Outbox, gave_up.id)
    assert (again.status, again.attempts, again.message_id_header) == ("pending", 0, header)
    assert session.get(Outbox, sent.id).status == "sent"
    assert failed_emails(session) == []
    assert retry_failed(session, actor=ada, now=NOW) == 0


def test_only_an_admin_sends_failed_emails_again(session, sam):
    _mail(session, "a", OutboxStatus.FAILED)
    with pytest.raises(PermissionDenied):
        retry_failed(session, actor=sam, now=NOW)
    assert len(failed_emails(session)) == 1
