"""Digest content with a fixed clock (NOW is Friday 20 Nov 2026, 08:00 UTC)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from db import loop
from db import workflow as wf
from db.digest import compose_all, executive_digest, loop_window, manager_digest, queue_digests
from db.models import Forward, Outbox, OutboxStatus
from db.notify import enqueue, render
from tests.factories import NOW, make_message
from tests.journeys import cast
from tests.loopdata import customers, shipped_item

THU = NOW - timedelta(days=1)


@pytest.fixture
def world(session):
    c = cast(session)
    zeb, otti, _ = customers(session)
    shipped = shipped_item(
        session, c, [zeb], public_title="Idle fees", ship_at=THU, start=THU - timedelta(days=4)
    )
    closed = shipped_item(
        session, c, [otti], start=THU - timedelta(days=8), ship_at=THU - timedelta(days=2)
    )
    [row] = loop.outreach_for_item(session, closed.id)
    loop.skip_customer(session, row.id, reason="Answered on the phone", actor=c.mara, now=THU)
    closed = loop.set_customer_track(
        session,
        closed.id,
        status="done",
        note="",
        actor=c.mara,
        expected_version=closed.version,
        now=THU,
    )
    loop.close_loop(
        session,
        closed.id,
        actor=c.mara,
        expected_version=closed.version,
        now=THU + timedelta(hours=4),
    )
    late = wf.forward(
        session,
        item_id=shipped.id,
        to_user_id=c.laura.id,
        note="?",
        respond_by=THU - timedelta(hours=1),
        actor=c.ceo,
        now=THU - timedelta(hours=3),
    )
    make_message(
        session,
        subject="My screen went black",
        body="Screen black on the motorway",
        score=91.0,
        reasons=["safety: lost the screen"],
        received_at=THU,
    )
    return c, shipped, closed, late


def test_loop_window_is_yesterday_or_since_friday_on_mondays() -> None:
    assert loop_window(NOW, UTC) == (
        datetime(2026, 11, 19, tzinfo=UTC),
        datetime(2026, 11, 20, tzinfo=UTC),
    )
    monday = datetime(2026, 11, 23, 7, 30, tzinfo=UTC)
    assert loop_window(monday, UTC)[0] == datetime(2026, 11, 20, tzinfo=UTC)


def test_executive_digest_shows_yesterdays_loop(session, world) -> None:
    c, shipped, closed, late = world
    d = executive_digest(session, c.ceo, now=NOW)
    assert [i.item_id for i in d.shipped] == [shipped.id]
    assert [i.item_id for i in d.closed] == [closed.id]
    assert [f.forward_id for f in d.overdue] == [late.id]
    assert d.overdue[0].recipient == "Laura Finch" and d.overdue[0].overdue
    assert [card.title for card in d.cards][:1] == ["My screen went black"]
    assert d.median_days_to_fix == 5.0  # 4 and 6 days, from the events
    assert d.subject == "Yesterday's loop: 1 shipped, 1 loops closed, 1 overdue"


def test_manager_digest_lists_open_forwards_overdue_first_and_owned_items(session, world) -> None:
    c, shipped, closed, late = world
    on_time = wf.forward(
        session,
        item_id=shipped.id,
        to_user_id=c.laura.id,
        note="look",
        respond_by=NOW + timedelta(days=2),
        actor=c.ceo,
        now=NOW,
    )
    laura = manager_digest(session, c.laura, now=NOW)
    assert [(f.forward_id, f.overdue) for f in laura.forwards] == [
        (late.id, True),
        (on_time.id, False),
    ]
    assert laura.items == ()
    mara = manager_digest(session, c.mara, now=NOW)
    assert [i.item_id for i in mara.items] == [shipped.id]  # the closed loop is not open
    assert mara.forwards == ()  # acknowledged when she took ownership


def test_digest_text_and_html_render_the_content(session, world) -> None:
    c, *_ = world
    d = executive_digest(session, c.ceo, now=NOW)
    text, html = render(d.template, title=d.subject, d=d)
    assert "Median days from first complaint to fix: 5" in text
    assert "My screen went black" in text and "Idle fees" not in text  # internal titles only
    assert "Charging stalls used as parking" in text
    assert "Laura Finch" in text and "escalated" not in text
    assert "<h2" in html and "Overdue forwards (1)" in html


def test_undelivered_emails_are_counted_in_the_executive_digest(session, world) -> None:
    c, *_ = world
    row = enqueue(session, kind="t", dedupe_key="x", to_addr="x@co.test", subject="s", text="t")
    row.status = OutboxStatus.FAILED
    session.commit()
    d = executive_digest(session, c.ceo, now=NOW)
    assert d.undelivered_emails == 1
    assert "1 e-mail(s) could not be delivered" in render(d.template, title="t", d=d)[0]


def test_digests_are_queued_once_per_user_and_day(session, world) -> None:
    digests = compose_all(session, now=NOW)
    assert sorted(d.name for d in digests) == ["Erin Cole", "Laura Finch", "Mara Lind"]
    assert queue_digests(session, digests, now=NOW) == 3
    session.commit()
    assert queue_digests(session, compose_all(session, now=NOW), now=NOW) == 0
    session.commit()
    rows = session.exec(select(Outbox).where(Outbox.kind == "digest")).all()
    assert sorted(r.to_addr for r in rows) == sorted(
        ["ceo@example.com", "laura.finch@example.com", "mara.lind@example.com"]
    )
    assert session.exec(select(Forward)).all()


def test_shipped_and_closed_lists_come_from_the_audit_events(session, world) -> None:
    c, shipped, closed, _ = world
    shipped.shipped_at = NOW - timedelta(days=30)  # an edited column does not move the event
    closed.closed_at = None
    session.add_all([shipped, closed])
    session.commit()
    d = executive_digest(session, c.ceo, now=NOW)
    assert ([i.item_id for i in d.shipped], [i.item_id for i in d.closed]) == (
        [shipped.id],
        [closed.id],
    )
