"""SLAs with a fixed clock: business days over weekends, escalation once, flagged until acked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from db.clock import add_business_days
from db.models import Event, Forward, Outbox
from db.sla import escalate_overdue, is_overdue, queue_forward_notices
from tests.factories import NOW, make_ceo, make_charging_manager, make_message

FRI = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)  # NOW's week; a Friday
assert FRI.weekday() == 4


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (FRI, 1, datetime(2026, 11, 23, 16, 0, tzinfo=UTC)),  # Fri → Mon
        (FRI - timedelta(days=1), 1, FRI),  # Thu → Fri
        (FRI + timedelta(days=1), 1, datetime(2026, 11, 23, 16, 0, tzinfo=UTC)),  # Sat → Mon
        (FRI, 5, datetime(2026, 11, 27, 16, 0, tzinfo=UTC)),  # a full week
        (FRI, 0, FRI),
    ],
)
def test_add_business_days_skips_weekends(start, days, expected) -> None:
    assert add_business_days(start, days, UTC) == expected


def _forward(session, ceo, mara, *, created: datetime, respond_by: datetime | None) -> Forward:
    msg = make_message(session, subject="Cars left at the chargers", received_at=created)
    fwd = Forward(
        sender_id=ceo.id,
        recipient_id=mara.id,
        message_id=msg.id,
        note="?",
        created_at=created,
        respond_by=respond_by,
    )
    session.add(fwd)
    session.commit()
    return fwd


def test_forward_without_respond_by_is_due_one_business_day_later(session) -> None:
    ceo, mara = make_ceo(session), make_charging_manager(session)
    fwd = _forward(session, ceo, mara, created=FRI, respond_by=None)
    monday_morning = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    assert not is_overdue(fwd, now=monday_morning, sla=1)  # the weekend does not count
    assert escalate_overdue(session, now=monday_morning) == []
    assert is_overdue(fwd, now=monday_morning + timedelta(hours=8), sla=1)


def test_overdue_forward_is_escalated_once_with_event_and_email_to_sender(session) -> None:
    ceo, mara = make_ceo(session), make_charging_manager(session)
    due = FRI + timedelta(days=3)
    fwd = _forward(session, ceo, mara, created=FRI, respond_by=due)
    late = due + timedelta(hours=5)

    assert escalate_overdue(session, now=due - timedelta(minutes=1)) == []
    [escalated] = escalate_overdue(session, now=late)
    assert escalated.id == fwd.id and escalated.escalated_at == late
    assert escalate_overdue(session, now=late + timedelta(days=2)) == []  # once only

    [event] = session.exec(select(Event).where(Event.action == "escalated")).all()
    assert (event.entity, event.entity_id, event.at) == ("forward", fwd.id, late)
    [mail] = session.exec(select(Outbox).where(Outbox.kind == "escalation")).all()
    assert mail.to_addr == ceo.email
    assert "Mara Lind" in mail.subject and "Cars left at the chargers" in mail.subject
    assert "5 hours overdue" in mail.body_text


def test_escalated_forward_stays_flagged_until_acknowledged(session) -> None:
    ceo, mara = make_ceo(session), make_charging_manager(session)
    fwd = _forward(session, ceo, mara, created=FRI, respond_by=FRI + timedelta(days=3))
    escalate_overdue(session, now=FRI + timedelta(days=4))
    assert is_overdue(fwd, now=FRI + timedelta(days=10), sla=1)
    fwd.acknowledged_at = FRI + timedelta(days=10)
    session.add(fwd)
    session.commit()
    assert not is_overdue(fwd, now=FRI + timedelta(days=11), sla=1)


def test_acknowledged_forward_is_never_escalated(session) -> None:
    ceo, mara = make_ceo(session), make_charging_manager(session)
    fwd = _forward(session, ceo, mara, created=FRI, respond_by=FRI + timedelta(days=3))
    fwd.acknowledged_at = FRI + timedelta(hours=1)
    session.add(fwd)
    session.commit()
    assert escalate_overdue(session, now=FRI + timedelta(days=9)) == []


def test_forward_notice_is_queued_once_for_the_recipient(session) -> None:
    ceo, mara = make_ceo(session), make_charging_manager(session)
    _forward(session, ceo, mara, created=NOW, respond_by=NOW + timedelta(days=3))
    assert queue_forward_notices(session, now=NOW) == 1
    assert queue_forward_notices(session, now=NOW + timedelta(minutes=1)) == 0
    [mail] = session.exec(select(Outbox)).all()
    assert mail.to_addr == mara.email and mail.kind == "forward"
    assert "Erin Cole forwarded to you" in mail.subject
    assert "Note from Erin Cole: ?" in mail.body_text
    assert "Mon 23 Nov 2026" in mail.body_text


def test_forward_notice_of_a_post_on_x_names_it_as_the_inbox_does(session) -> None:
    ceo, mara = make_ceo(session), make_charging_manager(session)
    post = make_message(session, channel="tweet", body="Screen went black", received_at=NOW)
    session.add(Forward(sender_id=ceo.id, recipient_id=mara.id, message_id=post.id, note="?",
                        created_at=NOW))  # fmt: skip
    session.commit()
    queue_forward_notices(session, now=NOW)
    [mail] = session.exec(select(Outbox)).all()
    assert mail.subject == "Erin Cole forwarded to you: a post on X of 20 Nov 2026"
