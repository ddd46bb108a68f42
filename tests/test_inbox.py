"""A forwarded message stays in its recipient's inbox until it is acted on, and an item made
from it starts acknowledged by its owner, due when the forward was."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlmodel import select

from db import itemrebuild, tracking
from db import workflow as wf
from db.clock import add_business_days, local_at, zone_named
from db.errors import InvalidInput, InvalidTransition
from db.leadtimes import item_milestones
from db.models import Event, Forward, Item, ItemStatus, Message
from tests.factories import NOW, make_message, set_time_zone
from tests.journeys import cast, new_item

S = ItemStatus


@pytest.fixture
def c(session):
    return cast(session)


def _forward(session, c, msg, *, to=None, respond_by=None, now=NOW) -> Forward:
    return wf.forward(session, message_ids=[msg.id], to_user_id=(to or c.mara).id, note="?",
                      respond_by=respond_by, actor=c.ceo, now=now)  # fmt: skip


def _item_events(session, item_id) -> list[tuple]:
    stmt = select(Event).where(Event.entity == "item", Event.entity_id == item_id)
    rows = session.exec(stmt.order_by(Event.id)).all()
    return [(e.action, e.actor_id, e.from_state, e.to_state) for e in rows]


# --- the inbox after "Acknowledge" ----------------------------------------------------------


def test_an_acknowledged_message_forward_stays_in_the_inbox_to_act_on(session, c):
    msg = make_message(session, subject="Refund for my Model Y, please")
    fwd = _forward(session, c, msg)
    [row] = tracking.inbox(session, user=c.mara, now=NOW)
    assert (row.kind, row.takes_ownership, row.can_make_item) == ("forward", False, True)
    later = NOW + timedelta(hours=1)
    wf.acknowledge_forward(session, fwd.id, actor=c.mara, now=later)
    [row] = tracking.inbox(session, user=c.mara, now=NOW + timedelta(days=5))
    assert (row.kind, row.forward_id, row.title) == ("acknowledged", fwd.id, msg.subject)
    assert (row.acknowledged_at, row.overdue, row.sender) == (later, False, "Erin Cole")
    assert row.can_make_item and not row.takes_ownership


def test_an_acknowledged_message_leaves_the_inbox_once_it_is_an_item_or_dismissed(session, c):
    made, attached, dismissed = (make_message(session, subject=s) for s in ("A", "B", "C"))
    fwds = [_forward(session, c, m) for m in (made, attached, dismissed)]
    for fwd in fwds:
        wf.acknowledge_forward(session, fwd.id, actor=c.mara, now=NOW)
    assert [r.title for r in tracking.inbox(session, user=c.mara, now=NOW)] == ["A", "B", "C"]
    item = wf.item_from_forward(session, fwds[0].id, title="Refunds", actor=c.mara, now=NOW)
    other = new_item(session, c)
    wf.attach(session, item_id=other.id, message_ids=[attached.id], actor=c.ceo, now=NOW)
    wf.dismiss(session, message_ids=[dismissed.id], reason="Spam", actor=c.ceo, now=NOW)
    rows = tracking.inbox(session, user=c.mara, now=NOW)
    assert [(r.kind, r.item_id) for r in rows] == [("owned", item.id)]


def test_a_message_forwarded_twice_waits_once(session, c):
    msg = make_message(session, subject="Refund")
    first = _forward(session, c, msg)
    wf.acknowledge_forward(session, first.id, actor=c.mara, now=NOW)
    again = _forward(session, c, msg, now=NOW + timedelta(hours=1))
    assert [(r.kind, r.forward_id) for r in tracking.inbox(session, user=c.mara, now=NOW)] == [
        ("forward", again.id)
    ]
    wf.acknowledge_forward(session, again.id, actor=c.mara, now=NOW + timedelta(hours=2))
    assert [(r.kind, r.forward_id) for r in tracking.inbox(session, user=c.mara, now=NOW)] == [
        ("acknowledged", first.id)
    ]


def test_only_a_forwarded_new_item_takes_ownership(session, c):
    new, taken = new_item(session, c), new_item(session, c, owner=c.laura)
    taken = wf.acknowledge(session, taken.id, actor=c.laura, expected_version=1, now=NOW)
    for item in (new, taken):
        wf.forward(session, item_id=item.id, to_user_id=c.mara.id, note="?", respond_by=None,
                   actor=c.ceo, now=NOW)  # fmt: skip
    rows = {r.item_id: r for r in tracking.inbox(session, user=c.mara, now=NOW)}
    assert (rows[new.id].takes_ownership, rows[taken.id].takes_ownership) == (True, False)
    assert not rows[new.id].can_make_item
    wf.acknowledge(session, new.id, actor=c.mara, expected_version=1, now=NOW)
    kinds = {r.item_id: r.kind for r in tracking.inbox(session, user=c.mara, now=NOW)}
    assert kinds == {new.id: "owned", taken.id: "forward"}


# --- an item made by its own owner ----------------------------------------------------------


def test_an_item_made_from_a_forward_starts_acknowledged_by_its_owner(session, c):
    msg = make_message(session, subject="Refund")
    fwd = _forward(session, c, msg)
    at = NOW + timedelta(hours=3)
    item = wf.item_from_forward(session, fwd.id, title="Refunds", actor=c.mara, now=at)
    session.expire_all()
    item = session.get(Item, item.id)
    assert (item.status, item.owner_id, item.version) == (S.ACKNOWLEDGED, c.mara.id, 2)
    assert _item_events(session, item.id) == [
        ("created", c.mara.id, None, S.NEW),
        ("attached", c.mara.id, None, None),
        ("acknowledged", c.mara.id, S.NEW, S.ACKNOWLEDGED),
    ]
    assert item_milestones(session, item.id).acknowledged == at
    assert wf.next_steps(item, c.mara) == ["start"]
    assert session.get(Forward, fwd.id).acknowledged_at == at
    conn = session.connection()  # the Insights rollups saw the same two states
    followed = itemrebuild.snapshot(conn)
    itemrebuild.rebuild(conn)
    assert itemrebuild.snapshot(conn) == followed


def test_an_acknowledged_forward_can_still_become_an_item(session, c):
    fwd = _forward(session, c, make_message(session, subject="Refund"))
    wf.acknowledge_forward(session, fwd.id, actor=c.mara, now=NOW)
    item = wf.item_from_forward(
        session, fwd.id, title="Refunds", actor=c.mara, now=NOW + timedelta(days=1)
    )
    assert (item.status, item.owner_id) == (S.ACKNOWLEDGED, c.mara.id)
    assert session.get(Forward, fwd.id).acknowledged_at == NOW  # the first acknowledgement
    with pytest.raises(InvalidTransition, match=f"already part of item #{item.id}"):
        wf.item_from_forward(session, fwd.id, title="Again", actor=c.mara, now=NOW)


def test_a_refused_item_leaves_the_forward_unacknowledged(session, c):
    fwd = _forward(session, c, make_message(session, subject="Refund"))
    with pytest.raises(InvalidInput, match="needs a title"):
        wf.item_from_forward(session, fwd.id, title=" ", actor=c.mara, now=NOW)
    session.rollback()
    assert session.get(Forward, fwd.id).acknowledged_at is None
    assert session.exec(select(Item)).all() == []


def test_an_executive_naming_a_manager_owner_leaves_the_item_new_for_them(session, c):
    item = new_item(session, c, owner=c.mara)
    assert (item.status, item.owner_id) == (S.NEW, c.mara.id)
    assert [e[0] for e in _item_events(session, item.id)] == ["created", "attached"]
    assert item_milestones(session, item.id).acknowledged is None
    assert "acknowledge" in wf.next_steps(item, c.mara)


def test_an_executive_naming_themselves_owner_starts_acknowledged(session, c):
    msg = make_message(session)
    item = wf.create_item(session, message_ids=[msg.id], title="Stalls", owner_id=c.ceo.id,
                          actor=c.ceo, now=NOW)  # fmt: skip
    assert (item.status, item.owner_id) == (S.ACKNOWLEDGED, c.ceo.id)
    assert item_milestones(session, item.id).acknowledged == NOW


# --- the item's respond-by comes from the forward --------------------------------------------


def test_an_item_from_a_forward_keeps_the_forwards_respond_by(session, c):
    set_time_zone(session, "Europe/Berlin")
    zone = zone_named("Europe/Berlin")
    thursday = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)
    friday = date(2026, 11, 20)
    by = local_at(friday, time(17), zone)  # as the forward form sets it
    fwd = _forward(session, c, make_message(session, subject="Refund"), respond_by=by, now=thursday)
    at_night = local_at(friday, time(4, 53), zone)
    item = wf.item_from_forward(session, fwd.id, title="Refunds", actor=c.mara, now=at_night)
    session.expire_all()
    assert session.get(Item, item.id).respond_by == by


def test_an_item_from_a_forward_without_respond_by_is_due_a_business_day_after_it(session, c):
    set_time_zone(session, "America/New_York")
    friday = NOW  # 03:00 in New York: due on Monday at 03:00
    fwd = _forward(session, c, make_message(session), now=friday)
    fwd.respond_by = None  # e.g. restored from an older backup
    session.add(fwd)
    session.commit()
    item = wf.item_from_forward(
        session, fwd.id, title="Refunds", actor=c.mara, now=friday + timedelta(hours=20)
    )
    want = add_business_days(friday, 1, zone_named("America/New_York"))
    assert session.get(Item, item.id).respond_by == want == friday + timedelta(days=3)
    assert session.get(Message, fwd.message_id).item_id == item.id


def test_an_item_made_from_a_forwarded_card_links_every_message_of_the_card(session, c):
    card = [make_message(session, subject=f"Cars left at the stalls ({n})") for n in range(3)]
    other = make_message(session, subject="Forwarded by someone else at the same moment")
    fwd = wf.forward(session, message_ids=[m.id for m in card], to_user_id=c.mara.id, note="?",
                     respond_by=None, actor=c.ceo, now=NOW)  # fmt: skip
    wf.forward(session, message_ids=[other.id], to_user_id=c.laura.id, note="?",
               respond_by=None, actor=c.ceo, now=NOW)  # fmt: skip
    item = wf.item_from_forward(session, fwd.id, title="Stalls", actor=c.mara, now=NOW)
    linked = session.exec(select(Message.id).where(Message.item_id == item.id)).all()
    assert sorted(linked) == sorted(m.id for m in card)  # none left "forwarded" and lost
    assert session.get(Message, other.id).item_id is None


def test_a_card_forwarded_before_forwards_were_named_still_brings_its_messages(session, c):
    card = [make_message(session, subject=f"Screen went black ({n})") for n in range(2)]
    fwd = wf.forward(session, message_ids=[m.id for m in card], to_user_id=c.mara.id, note="?",
                     respond_by=None, actor=c.ceo, now=NOW)  # fmt: skip
    for event in session.exec(select(Event).where(Event.action == "forwarded")).all():
        event.data = {k: v for k, v in event.data.items() if k != "forward"}  # as stored before
        session.add(event)
    session.commit()
    item = wf.item_from_forward(session, fwd.id, title="Black screens", actor=c.mara, now=NOW)
    assert len(session.exec(select(Message.id).where(Message.item_id == item.id)).all()) == 2


# --- what the executive forwarded ------------------------------------------------------------


def test_the_forwards_sent_list_what_still_waits_until_answered_or_acted_on(session, c):
    from db.sentforwards import sent_forwards

    waiting, answered, made, dismissed, old = (
        make_message(session, subject=s) for s in ("Waiting", "Answered", "Made", "Gone", "Old")
    )
    late = NOW - timedelta(days=3)
    fwds = {m.subject: _forward(session, c, m, now=late if m is waiting else NOW)
            for m in (waiting, answered, made, dismissed)}  # fmt: skip
    _forward(session, c, old, now=NOW - timedelta(days=20))  # escalated and digested long ago
    wf.answer_forward(session, fwds["Answered"].id, body="Checked: fine", actor=c.mara, now=NOW)
    wf.item_from_forward(session, fwds["Made"].id, title="Made", actor=c.mara, now=NOW)
    wf.dismiss(session, message_ids=[dismissed.id], reason="spam", actor=c.ceo, now=NOW)
    rows = sent_forwards(session, user=c.ceo, now=NOW)
    assert [(r.title, r.recipient, r.note, r.overdue) for r in rows] == [
        ("Waiting", "Mara Lind", "?", True)]  # fmt: skip
    assert sent_forwards(session, user=c.mara, now=NOW) == []  # only one's own
