"""Test factories and personas, deterministic (fixed NOW, seeded randomness)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from db.models import Channel, Contact, Message, Role, Setting, Triage, User

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
RNG = random.Random(42)


def make_user(
    session: Session,
    *,
    email: str,
    name: str,
    role: str = Role.STAFF,
    team: str | None = None,
    **kw,
) -> User:
    """Create a user without a password (auth tests set one through db.auth)."""
    user = User(email=email, name=name, role=role, team=team, **kw)
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


def make_ceo(session: Session) -> User:
    return make_user(session, email="ceo@example.com", name="Erin Cole", role=Role.EXECUTIVE)


def make_charging_manager(session: Session) -> User:
    return make_user(
        session, email="mara.lind@example.com", name="Mara Lind", role=Role.MANAGER, team="Charging"
    )


def make_care_lead(session: Session) -> User:
    return make_user(
        session,
        email="laura.finch@example.com",
        name="Laura Finch",
        role=Role.MANAGER,
        team="Customer Care",
    )


def make_contact(session: Session, **kw) -> Contact:
    contact = Contact(**kw)
    session.add(contact)
    session.commit()
    session.refresh(contact)
    return contact


def make_message(
    session: Session,
    *,
    body: str = "My car will not charge.",
    channel: str = Channel.EMAIL,
    received_at: datetime | None = None,
    external_id: str | None = None,
    **kw,
) -> Message:
    """Create a message directly (ingest tests go through the ingester instead)."""
    msg = Message(
        channel=channel,
        external_id=external_id or f"test-{RNG.getrandbits(48):012x}",
        body=body,
        received_at=received_at or NOW - timedelta(hours=2),
        triage=kw.pop("triage", Triage.NEW),
        **kw,
    )
    session.add(msg)
    session.commit()
    session.refresh(msg)
    return msg


def set_time_zone(session: Session, name: str) -> None:
    """Store the company's time zone directly (an empty database: no rollup to recount)."""
    session.merge(Setting(key="time_zone", value=name, updated_at=NOW))
    session.commit()
