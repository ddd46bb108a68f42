"""The read side: inbox order, the items board with its filters, and one item's detail."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import select

from db import tracking
from db import workflow as wf
from db.models import Contact, Item, ItemStatus
from tests.factories import NOW, make_message
from tests.journeys import cast, item_in, new_item

S = ItemStatus


def test_inbox_lists_overdue_forwards_first_then_owned_items(session):
    c = cast(session)
    owned = item_in(session, c, S.ACKNOWLEDGED, owner=c.mara)
    m_new, m_old = make_message(session, subject="Bins missed"), make_message(session)
    wf.forward(
        session,
        message_ids=[m_new.id],
        to_user_id=c.mara.id,
        note="?",
        respond_by=None,
        actor=c.ceo,
        now=NOW,
    )
    wf.forward(
        session,
        message_ids=[m_old.id],
        to_user_id=c.mara.id,
        note="Please look",
        respond_by=NOW - timedelta(days=1) + timedelta(days=2),
        actor=c.ceo,
        now=NOW - timedelta(days=1),
    )
    rows = tracking.inbox(session, user=c.mara, now=NOW + timedelta(days=4))
    assert [(r.kind, r.overdue) for r in rows] == [
        ("forward", True),
        ("forward", True),
        ("owned", False),
    ]
    assert rows[0].note == "Please look" and rows[1].title == "Bins missed"
    assert rows[2].item_id == owned.id
    assert tracking.inbox(session, user=c.laura, now=NOW) == []


def test_an_escalated_forward_stays_flagged_in_the_inbox_until_acknowledged(session):
    from db.sla import escalate_overdue

    c = cast(session)
    msg = make_message(session, subject="Bins missed again")
    fwd = wf.forward(
        session,
        message_ids=[msg.id],
        to_user_id=c.mara.id,
        note="?",
        respond_by=NOW + timedelta(hours=4),
        actor=c.ceo,
        now=NOW,
    )
    later = NOW + timedelta(days=2)
    assert [f.id for f in escalate_overdue(session, now=later)] == [fwd.id]
    [row] = tracking.inbox(session, user=c.mara, now=later)
    assert (row.forward_id, row.overdue, row.escalated_at) == (fwd.id, True, later)
    wf.acknowledge_forward(session, fwd.id, actor=c.mara, now=later)
    [row] = tracking.inbox(session, user=c.mara, now=later)  # a message: still to act on
    assert (row.kind, row.overdue, row.escalated_at) == ("acknowledged", False, None)


def test_board_counts_messages_and_flags_unowned_and_overdue(session):
    c = cast(session)
    unowned = new_item(session, c, n_messages=3)
    mine = item_in(session, c, S.IN_PROGRESS, owner=c.mara)
    rows = {r.id: r for r in tracking.items_board(session, now=NOW + timedelta(days=5))}
    assert (rows[unowned.id].messages, rows[unowned.id].unowned, rows[unowned.id].overdue) == (
        3,
        True,
        True,
    )
    assert (rows[mine.id].owner, rows[mine.id].unowned, rows[mine.id].overdue) == (
        "Mara Lind",
        False,
        False,
    )


def test_board_filters_by_status_owner_and_team(session):
    c = cast(session)
    a = item_in(session, c, S.SHIPPED, owner=c.mara)
    b = item_in(session, c, S.NEW, owner=c.laura)
    wf.update_item(
        session, b.id, changes={"team": "Care"}, actor=c.ceo, expected_version=b.version, now=NOW
    )
    ids = lambda **kw: [r.id for r in tracking.items_board(session, now=NOW, **kw)]  # noqa: E731
    assert ids(status=S.SHIPPED) == [a.id]
    assert ids(owner_id=c.laura.id) == [b.id]
    assert ids(team="Care") == [b.id]
    assert sorted(ids()) == sorted([a.id, b.id])


def test_item_detail_has_messages_comments_timeline_and_elapsed_days(session):
    c = cast(session)
    contact = Contact(handle="idlecars", display_name="Dana")
    session.add(contact)
    session.commit()
    m = make_message(
        session, body="<b>stalls</b>", contact_id=contact.id, received_at=NOW - timedelta(days=6)
    )
    item = wf.create_item(session, message_ids=[m.id], title="Stalls", actor=c.ceo, now=NOW)
    wf.comment(session, item_id=item.id, body="On it", actor=c.mara, now=NOW)
    wf.acknowledge(session, item.id, actor=c.mara, expected_version=1, now=NOW)
    d = tracking.item_detail(session, item.id, now=NOW)
    assert (d.owner, d.days_since_first, d.allowed_next) == (
        "Mara Lind",
        6,
        ["in_progress", "declined", "duplicate"],
    )
    assert [(x.who, x.body) for x in d.messages] == [("Dana", "<b>stalls</b>")]
    assert d.comments == [("Mara Lind", NOW, "On it")]
    assert [(e.actor, e.entity, e.action) for e in d.timeline] == [
        ("Erin Cole", "item", "created"),
        ("Erin Cole", "message", "attached"),
        ("Erin Cole", "item", "attached"),
        ("Mara Lind", "item", "commented"),
        ("Mara Lind", "item", "acknowledged"),
    ]


def test_board_uses_a_fixed_number_of_queries(session, engine):
    c = cast(session)
    for _ in range(3):
        new_item(session, c, n_messages=2)
    statements = []
    listen = lambda *a: statements.append(a[2])  # noqa: E731
    sa.event.listen(engine, "before_cursor_execute", listen)
    try:
        rows = tracking.items_board(session, now=NOW)
    finally:
        sa.event.remove(engine, "before_cursor_execute", listen)
    assert len(rows) == 3 and len(statements) == 1
    assert session.exec(select(Item)).all()


def test_board_returns_the_newest_items_up_to_the_limit(session):
    c = cast(session)
    made = [new_item(session, c).id for _ in range(3)]
    rows = tracking.items_board(session, limit=2, now=NOW)
    assert [r.id for r in rows] == made[::-1][:2]


def test_inbox_keeps_shipped_items_until_the_loop_is_closed_and_shows_forwarded_text(session):
    c = cast(session)
    shipped = item_in(session, c, S.SHIPPED, owner=c.mara)
    item_in(session, c, S.LOOP_CLOSED, owner=c.mara)
    msg = make_message(session, subject="Bins", body="Missed three weeks running.")
    wf.forward(
        session, message_ids=[msg.id], to_user_id=c.mara.id, note="?", respond_by=None,
        actor=c.ceo, now=NOW,
    )  # fmt: skip
    rows = tracking.inbox(session, user=c.mara, now=NOW)
    assert [(r.kind, r.item_id, r.status) for r in rows] == [
        ("forward", None, None),
        ("owned", shipped.id, S.SHIPPED),
    ]
    assert rows[0].text == "Missed three weeks running." and rows[1].text is None
    assert (rows[1].respond_by, rows[1].overdue) == (None, False)
