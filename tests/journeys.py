"""Test helpers for the workflow: the cast of users, and items driven to any status through the
workflow functions themselves (so every helper call is also a small journey)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from db import workflow as wf
from db.errors import DomainError
from db.models import Item, ItemStatus, Role, User
from tests.factories import NOW, make_care_lead, make_ceo, make_charging_manager, make_message
from tests.factories import make_user as _make_user

S = ItemStatus


@dataclass(frozen=True)
class Cast:
    ceo: User
    mara: User  # charging manager
    laura: User  # customer-care lead
    sam: User  # staff
    ada: User  # admin


def cast(session: Session) -> Cast:
    """Create one user per role (two managers)."""
    return Cast(
        ceo=make_ceo(session),
        mara=make_charging_manager(session),
        laura=make_care_lead(session),
        sam=_make_user(session, email="sam@example.com", name="Sam Staff", role=Role.STAFF),
        ada=_make_user(session, email="ada@example.com", name="Ada Admin", role=Role.ADMIN),
    )


def new_item(session: Session, c: Cast, *, owner: User | None = None, n_messages: int = 1) -> Item:
    """Create an item from fresh messages, by the CEO."""
    msgs = [
        make_message(
            session, body=f"Cars parked at chargers {i}", received_at=NOW - timedelta(days=6 - i)
        )
        for i in range(n_messages)
    ]
    return wf.create_item(
        session,
        message_ids=[m.id for m in msgs],
        title="Charging stalls used as parking",
        problem="Fully charged cars block the stalls.",
        team="Charging",
        owner_id=owner.id if owner else None,
        actor=c.ceo,
        now=NOW,
    )


def item_in(session: Session, c: Cast, status: str, *, owner: User | None = None) -> Item:
    """Return an item owned by `owner` (default Mara) driven to `status` by the workflow."""
    owner = owner or c.mara
    item = new_item(session, c, owner=owner)
    if status == S.NEW:
        return item
    if status in (S.DECLINED, S.DUPLICATE):
        if status == S.DECLINED:
            return wf.decline(
                session,
                item.id,
                reason="Not our policy",
                public_text="We decided not to.",
                show_publicly=True,
                actor=c.ceo,
                expected_version=item.version,
                now=NOW,
            )
        other = new_item(session, c)
        return wf.mark_duplicate(
            session,
            item.id,
            of_item_id=other.id,
            actor=c.ceo,
            expected_version=item.version,
            now=NOW,
        )
    item = wf.acknowledge(session, item.id, actor=owner, expected_version=item.version, now=NOW)
    if status == S.ACKNOWLEDGED:
        return item
    item = wf.start(session, item.id, actor=owner, expected_version=item.version, now=NOW)
    if status == S.IN_PROGRESS:
        return item
    item = wf.ship(
        session,
        item.id,
        public_title="Idle fees",
        public_text="We added an idle fee.",
        actor=owner,
        expected_version=item.version,
        now=NOW,
    )
    if status == S.SHIPPED:
        return item
    assert status == S.LOOP_CLOSED
    wf.transition(session, item, S.LOOP_CLOSED, actor=owner, now=NOW)
    session.commit()
    return item


def play_random(
    session: Session, step, *, seed: int, steps: int, messages: int, start, gap
) -> None:
    """Store `messages` random messages over 20 days from `start`, then take `steps` random
    workflow steps `step(session, cast, rng, now)`, `gap(rng)` apart; a refused step (a
    DomainError, as a real user would meet) is rolled back and the walk goes on."""
    rng, c = random.Random(seed), cast(session)
    for _ in range(messages):
        make_message(
            session,
            channel=rng.choice(["email", "tweet"]),
            received_at=start + timedelta(hours=rng.randrange(20 * 24)),
        )
    now = start
    for _ in range(steps):
        now += gap(rng)
        try:
            step(session, c, rng, now)
        except DomainError:
            session.rollback()
    session.expire_all()


APP = Path(__file__).resolve().parents[1] / "dashboard" / "app.py"


def open_page(user, page: str, **query) -> AppTest:
    """Run the app signed in as `user` and switch to `page` (with query parameters)."""
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.session_state["auth_user_id"] = user.id
    at.run()
    at.query_params.update({k: str(v) for k, v in query.items()})
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, at.exception
    return at
