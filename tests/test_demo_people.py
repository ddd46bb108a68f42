"""Demo users and items: one user per role with a random password, items at every stage made
through the workflow, and a second run that changes nothing."""

from __future__ import annotations

import io

from rich.console import Console
from sqlmodel import select

from db import mentions
from db.auth import authenticate
from db.models import Event, Forward, Item, ItemStatus, Message, User
from seeds.loader import load_demo
from tests.factories import NOW

AFTERNOON = NOW.replace(hour=15, minute=30)


def test_demo_users_items_and_a_second_run(engine, session):
    out = io.StringIO()
    console = Console(file=out, width=120)
    load_demo(engine, now=AFTERNOON, console=console)
    printed = out.getvalue()
    users = session.exec(select(User)).all()
    assert sorted(u.role for u in users) == ["admin", "executive", "manager", "manager", "staff"]
    ceo = next(u for u in users if u.role == "executive")
    line = next(x for x in printed.splitlines() if ceo.email in x)
    assert authenticate(session, email=ceo.email, password=line.split()[-1], now=AFTERNOON)

    items = {i.title: i for i in session.exec(select(Item)).all()}
    stages = {title.split()[0]: i.status for title, i in items.items()}
    assert stages == {
        "Charging": ItemStatus.SHIPPED,
        "Screen": ItemStatus.IN_PROGRESS,
        "Missed": ItemStatus.NEW,
        "Free": ItemStatus.DECLINED,
        "Call-centre": ItemStatus.ACKNOWLEDGED,
        "Unruly": ItemStatus.LOOP_CLOSED,
    }
    parking = items["Charging stalls used as parking"]
    assert "idle fee" in parking.public_text and parking.first_signal_at is not None
    assert items["Free flight demanded after a delayed trip"].public_text == (
        "We're sorry to lose your business"
    )
    bins = session.exec(
        select(Forward).where(Forward.item_id == items["Missed bin collections nobody owns"].id)
    ).one()
    assert bins.note == "?" and bins.acknowledged_at is None
    linked = session.exec(select(Message).where(Message.item_id == parking.id)).all()
    assert len(linked) == 15
    [answer] = mentions.unseen(session, user_id=ceo.id)  # the "?" forward, answered
    assert (answer.author, answer.answer) == ("Laura Finch", True)
    assert answer.title == "Your customer care phone line" and "Called Max" in answer.body

    events = len(session.exec(select(Event)).all())
    out.truncate(0)
    load_demo(engine, now=AFTERNOON, console=console)
    assert "exists; its password is unchanged" in out.getvalue()
    assert "Demo sign-ins" not in out.getvalue()
    assert len(session.exec(select(User)).all()) == 5
    assert len(session.exec(select(Item)).all()) == 6
    assert len(session.exec(select(Event)).all()) == events
