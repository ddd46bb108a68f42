"""The data model: aware UTC timestamps, uniqueness of (channel, external_id)."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from db.models import Message
from tests.factories import NOW, make_message


def test_timestamps_come_back_aware_utc(session):
    cest = timezone(timedelta(hours=2))
    make_message(session, received_at=datetime(2026, 11, 20, 10, 0, tzinfo=cest), external_id="a1")
    session.expire_all()
    msg = session.exec(select(Message)).one()
    assert msg.received_at == datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    assert msg.received_at.utcoffset() == timedelta(0)


def test_naive_timestamp_is_refused(session):
    with pytest.raises(Exception, match="naive datetime"):
        make_message(session, received_at=datetime(2026, 11, 20, 8, 0), external_id="n1")
    session.rollback()


def test_same_channel_and_external_id_is_unique(session):
    make_message(session, external_id="dup@example.com")
    with pytest.raises(IntegrityError):
        make_message(session, external_id="dup@example.com", received_at=NOW)
    session.rollback()
