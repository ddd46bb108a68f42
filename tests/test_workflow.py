"""The item state machine, message triage, optimistic locking and the audit trail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from db import workflow as wf
from db.errors import Conflict, InvalidInput, InvalidTransition, PermissionDenied
from db.models import Comment, Event, Forward, Item, ItemStatus, Message, Role, Theme, Triage
from tests.factories import NOW, make_message, make_user
from tests.journeys import cast, item_in, new_item

S = ItemStatus


@pytest.fixture
def c(session):
    return cast(session)


def _events(session, entity, entity_id):
    stmt = select(Event).where(Event.entity == entity, Event.entity_id == entity_id)
    return session.exec(stmt.order_by(Event.id)).all()


# --- legal transitions -------------------------------------------------------------------------


def test_acknowledge_makes_the_actor_owner_and_records_who(session, c):
    item = new_item(session, c)
    wf.acknowledge(session, item.id, actor=c.laura, expected_version=1, now=NOW)
    session.expire_all()
    item = session.get(Item, item.id)
    assert (item.status, item.owner_id, item.version) == (S.ACKNOWLEDGED, c.laura.id, 2)
    last = _events(session, "item", item.id)[-1]
    assert (last.action, last.actor_id, last.from_state, last.to_state) == (
        "acknowledged",
        c.laura.id,
        S.NEW,
        S.ACKNOWLEDGED,
    )


def test_acknowledge_also_acknowledges_open_forwards_of_the_item(session, c):
    item = new_item(session, c)
    fwd = wf.forward(
        session,
        item_id=item.id,
        to_user_id=c.mara.id,
        note="?",
        respond_by=None,
        actor=c.ceo,
        now=NOW,
    )
    wf.acknowledge(session, item.id, actor=c.mara, expected_version=1, now=NOW + timedelta(hours=1))
    assert session.get(Forward, fwd.id).acknowledged_at == NOW + timedelta(hours=1)


def test_start_moves_acknowledged_to_in_progress(session, c):
    item = item_in(session, c, S.ACKNOWLEDGED)
    item = wf.start(session, item.id, actor=c.mara, expected_version=item.version, now=NOW)
    assert item.status == S.IN_PROGRESS


def test_ship_stores_public_text_and_shipped_time(session, c):
    item = item_in(session, c, S.IN_PROGRESS)
    later = NOW + timedelta(days=6)
    wf.ship(
        session,
        item.id,
        public_title=" Idle fee ",
        public_text="An idle fee after the charge.",
        actor=c.mara,
        expected_version=item.version,
        now=later,
    )
    session.expire_all()
    item = session.get(Item, item.id)
    assert (item.status, item.public_title, item.shipped_at) == (S.SHIPPED, "Idle fee", later)


@pytest.mark.parametrize("title,text", [("", "text"), ("Title", "  "), (None, None)])
def test_ship_without_public_text_is_refused(session, c, title, text):
    item = item_in(session, c, S.IN_PROGRESS)
    with pytest.raises(InvalidInput, match="public"):
        wf.ship(
            session,
            item.id,
            public_title=title,
            public_text=text,
            actor=c.mara,
            expected_version=item.version,
            now=NOW,
        )
    assert session.get(Item, item.id).status == S.IN_PROGRESS


def test_transition_to_shipped_needs_public_text_even_when_called_directly(session, c):
    item = item_in(session, c, S.IN_PROGRESS)
    with pytest.raises(InvalidInput):
        wf.transition(session, item, S.SHIPPED, actor=c.mara, now=NOW)


def test_reopen_needs_a_reason_and_returns_to_in_progress(session, c):
    item = item_in(session, c, S.SHIPPED)
    with pytest.raises(InvalidInput):
        wf.reopen(
            session, item.id, reason=" ", actor=c.mara, expected_version=item.version, now=NOW
        )
    item = wf.reopen(
        session,
        item.id,
        reason="Complaints continue",
        actor=c.mara,
        expected_version=item.version,
        now=NOW,
    )
    last = _events(session, "item", item.id)[-1]
    assert (item.status, last.action, last.data["reason"]) == (
        S.IN_PROGRESS,
        "reopened",
        "Complaints continue",
    )


@pytest.mark.parametrize("status", [S.NEW, S.ACKNOWLEDGED, S.IN_PROGRESS])
def test_decline_from_each_open_state_keeps_reason_and_wording(session, c, status):
    item = item_in(session, c, status)
    item = wf.decline(
        session,
        item.id,
        reason="Cost",
        public_text="We're sorry to lose your business",
        show_publicly=False,
        actor=c.ceo,
        expected_version=item.version,
        now=NOW,
    )
    assert (item.status, item.decline_reason, item.show_publicly) == (S.DECLINED, "Cost", False)
    assert item.public_text == "We're sorry to lose your business"


@pytest.mark.parametrize("reason,text", [("", "wording"), ("reason", ""), (None, None)])
def test_decline_without_reason_or_wording_is_refused(session, c, reason, text):
    item = new_item(session, c)
    with pytest.raises(InvalidInput):
        wf.decline(
            session,
            item.id,
            reason=reason,
            public_text=text,
            show_publicly=True,
            actor=c.ceo,
            expected_version=1,
            now=NOW,
        )


@pytest.mark.parametrize("status", [S.NEW, S.ACKNOWLEDGED, S.IN_PROGRESS])
def test_duplicate_moves_messages_to_the_original(session, c, status):
    dup = item_in(session, c, status)
    original = new_item(session, c, n_messages=2)
    early = NOW - timedelta(days=30)
    extra = make_message(session, received_at=early)
    wf.attach(session, item_id=dup.id, message_ids=[extra.id], actor=c.ceo, now=NOW)
    dup = session.get(Item, dup.id)
    wf.mark_duplicate(
        session, dup.id, of_item_id=original.id, actor=c.ceo, expected_version=dup.version, now=NOW
    )
    session.expire_all()
    moved = session.exec(select(Message).where(Message.item_id == original.id)).all()
    assert len(moved) == 4
    assert session.get(Item, dup.id).status == S.DUPLICATE
    assert session.get(Item, dup.id).duplicate_of_id == original.id
    assert session.get(Item, original.id).first_signal_at == early
    assert _events(session, "item", original.id)[-1].data["from_item_id"] == dup.id


def test_duplicate_of_itself_is_refused(session, c):
    item = new_item(session, c)
    with pytest.raises(InvalidInput):
        wf.mark_duplicate(
            session, item.id, of_item_id=item.id, actor=c.ceo, expected_version=1, now=NOW
        )


def test_loop_closed_is_reached_through_transition(session, c):
    item = item_in(session, c, S.LOOP_CLOSED)
    session.expire_all()
    assert session.get(Item, item.id).status == S.LOOP_CLOSED
    assert _events(session, "item", item.id)[-1].action == "loop_closed"


# --- illegal transitions -----------------------------------------------------------------------

ALL = list(ItemStatus)
ILLEGAL = [(a, b) for a in ALL for b in ALL if b not in wf.ALLOWED[a]]


@pytest.mark.parametrize("from_state,to_state", ILLEGAL)
def test_every_illegal_transition_is_refused_with_a_plain_message(session, c, from_state, to_state):
    item = item_in(session, c, from_state)
    version = item.version
    with pytest.raises(InvalidTransition, match=r"cannot move to .*Allowed next steps"):
        wf.transition(session, item, to_state, actor=c.ceo, now=NOW)
    session.rollback()
    assert session.get(Item, item.id).status == from_state
    assert session.get(Item, item.id).version == version


def test_ship_from_new_is_refused_by_the_intent(session, c):
    item = new_item(session, c, owner=c.mara)
    with pytest.raises(InvalidTransition, match="new cannot move to shipped"):
        wf.ship(
            session,
            item.id,
            public_title="T",
            public_text="X",
            actor=c.mara,
            expected_version=1,
            now=NOW,
        )


def test_allowed_next_lists_states_in_workflow_order(session, c):
    assert wf.allowed_next(new_item(session, c)) == [S.ACKNOWLEDGED, S.DECLINED, S.DUPLICATE]
    assert wf.allowed_next(item_in(session, c, S.SHIPPED)) == [S.IN_PROGRESS, S.LOOP_CLOSED]


# --- optimistic locking ------------------------------------------------------------------------


def test_second_of_two_concurrent_saves_gets_a_conflict_and_nothing_is_overwritten(
    engine, session, c
):
    item = item_in(session, c, S.IN_PROGRESS)
    with Session(engine) as first, Session(engine) as second:
        v1 = first.get(Item, item.id).version
        v2 = second.get(Item, item.id).version
        assert v1 == v2
        wf.update_item(
            first,
            item.id,
            changes={"fix_plan": "Idle fee"},
            actor=c.mara,
            expected_version=v1,
            now=NOW + timedelta(minutes=5),
        )
        with pytest.raises(Conflict) as err:
            wf.update_item(
                second,
                item.id,
                changes={"fix_plan": "Towing"},
                actor=c.ceo,
                expected_version=v2,
                now=NOW + timedelta(minutes=6),
            )
    assert str(err.value) == (
        "This item changed since you opened it (by Mara Lind at 20 Nov 2026 08:05 UTC). "
        "Reload to see the changes."
    )
    session.expire_all()
    assert session.get(Item, item.id).fix_plan == "Idle fee"
    assert session.get(Item, item.id).version == v1 + 1


def test_guarded_update_refuses_when_row_changed_after_it_was_read(engine, session, c):
    item = new_item(session, c, owner=c.mara)
    with Session(engine) as stale:
        old = stale.get(Item, item.id)
        wf.acknowledge(session, item.id, actor=c.mara, expected_version=1, now=NOW)
        with pytest.raises(Conflict):
            wf.transition(stale, old, S.DECLINED, actor=c.ceo, now=NOW)
    session.expire_all()
    assert session.get(Item, item.id).status == S.ACKNOWLEDGED


def test_update_item_records_old_and_new_values(session, c):
    item = item_in(session, c, S.ACKNOWLEDGED)
    due = datetime(2026, 12, 1, tzinfo=UTC)
    wf.update_item(
        session,
        item.id,
        changes={"due_at": due, "priority": "high"},
        actor=c.mara,
        expected_version=item.version,
        now=NOW,
    )
    data = _events(session, "item", item.id)[-1].data
    assert data["changes"] == {"due_at": [None, due.isoformat()], "priority": ["normal", "high"]}


@pytest.mark.parametrize("changes", [{"status": "shipped"}, {"title": " "}, {"priority": "meh"}])
def test_update_item_refuses_bad_fields(session, c, changes):
    item = new_item(session, c)
    with pytest.raises(InvalidInput):
        wf.update_item(session, item.id, changes=changes, actor=c.ceo, expected_version=1, now=NOW)


def test_assign_names_an_owner_without_acknowledging(session, c):
    item = new_item(session, c)
    item = wf.assign(
        session, item.id, owner_id=c.laura.id, actor=c.ceo, expected_version=1, now=NOW
    )
    assert (item.owner_id, item.status) == (c.laura.id, S.NEW)
    with pytest.raises(InvalidInput):
        wf.assign(session, item.id, owner_id=c.sam.id, actor=c.ceo, expected_version=2, now=NOW)


# --- messages ----------------------------------------------------------------------------------


def test_review_marks_new_messages_reviewed(session, c):
    m = make_message(session)
    wf.review(session, [m.id], actor=c.ceo, now=NOW)
    assert (session.get(Message, m.id).triage, session.get(Message, m.id).reviewed_at) == (
        Triage.REVIEWED,
        NOW,
    )


def test_forward_with_question_mark_sets_default_respond_by_one_business_day(session, c):
    friday = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    m1, m2 = make_message(session), make_message(session)
    fwd = wf.forward(
        session,
        message_ids=[m1.id, m2.id],
        to_user_id=c.mara.id,
        note="?",
        respond_by=None,
        actor=c.ceo,
        now=friday,
    )
    assert (fwd.note, fwd.respond_by, fwd.message_id) == ("?", friday + timedelta(days=3), m1.id)
    assert {session.get(Message, m.id).triage for m in (m1, m2)} == {Triage.FORWARDED}
    assert [e.action for e in _events(session, "message", m2.id)] == ["forwarded"]


def test_forward_to_staff_is_invalid(session, c):
    m = make_message(session)
    with pytest.raises(InvalidInput, match="manager or executive"):
        wf.forward(
            session,
            message_ids=[m.id],
            to_user_id=c.sam.id,
            note="?",
            respond_by=None,
            actor=c.ceo,
            now=NOW,
        )


def test_acknowledge_forward_only_by_its_recipient_and_once(session, c):
    m = make_message(session)
    fwd = wf.forward(
        session,
        message_ids=[m.id],
        to_user_id=c.mara.id,
        note="?",
        respond_by=None,
        actor=c.ceo,
        now=NOW,
    )
    with pytest.raises(PermissionDenied):
        wf.acknowledge_forward(session, fwd.id, actor=c.laura, now=NOW)
    assert wf.acknowledge_forward(session, fwd.id, actor=c.mara, now=NOW).acknowledged_at == NOW
    with pytest.raises(InvalidTransition):
        wf.acknowledge_forward(session, fwd.id, actor=c.mara, now=NOW)


def test_a_forwarded_message_becomes_an_item_its_recipient_owns(session, c):
    m = make_message(session, subject="Bins missed again")
    fwd = wf.forward(session, message_ids=[m.id], to_user_id=c.mara.id, note="?",
                     respond_by=None, actor=c.ceo, now=NOW)  # fmt: skip
    with pytest.raises(PermissionDenied):
        wf.item_from_forward(session, fwd.id, title="Bins", actor=c.laura, now=NOW)
    item = wf.item_from_forward(session, fwd.id, title="Bins", actor=c.mara, now=NOW)
    assert (item.owner_id, item.team) == (c.mara.id, c.mara.team)
    assert session.get(Message, m.id).item_id == item.id
    assert session.get(Forward, fwd.id).acknowledged_at == NOW


def test_create_item_links_messages_and_sets_first_signal(session, c):
    m1 = make_message(session, received_at=NOW - timedelta(days=6))
    m2 = make_message(session, received_at=NOW - timedelta(days=2))
    theme = Theme(key="charging", label="Charging stalls")
    session.add(theme)
    session.commit()
    m2.theme_id = theme.id
    session.add(m2)
    session.commit()
    item = wf.create_item(session, message_ids=[m2.id, m1.id], title="Stalls", actor=c.ceo, now=NOW)
    assert item.first_signal_at == NOW - timedelta(days=6)
    assert {session.get(Message, m.id).triage for m in (m1, m2)} == {Triage.LINKED}
    assert session.get(Theme, theme.id).item_id == item.id
    with pytest.raises(InvalidInput, match="already belongs"):
        wf.create_item(session, message_ids=[m1.id], title="Again", actor=c.ceo, now=NOW)


def test_comment_on_item_resolves_mentions(session, c):
    item = new_item(session, c)
    note = wf.comment(
        session, item_id=item.id, body="@mara.lind can you own this?", actor=c.ceo, now=NOW
    )
    assert session.get(Comment, note.id).mentions == [c.mara.id]
    with pytest.raises(InvalidInput):
        wf.comment(session, item_id=item.id, body="  ", actor=c.ceo, now=NOW)


def test_a_full_name_mention_tells_that_person_only(session, c):
    other = make_user(session, email="mara.stone@example.com", name="Mara Stone",
                      role=Role.MANAGER)  # fmt: skip
    item = new_item(session, c)
    note = wf.comment(session, item_id=item.id, body="@Mara Lind can you own this?",
                      actor=c.ceo, now=NOW)  # fmt: skip
    assert note.mentions == [c.mara.id]
    both = wf.comment(session, item_id=item.id, body="@Mara: who of you has it?",
                      actor=c.ceo, now=NOW)  # fmt: skip
    assert both.mentions == sorted([c.mara.id, other.id])  # a first name alone is ambiguous


def test_dismiss_needs_a_reason_and_refuses_linked_messages(session, c):
    m = make_message(session)
    with pytest.raises(InvalidInput):
        wf.dismiss(session, message_ids=[m.id], reason="", actor=c.ceo, now=NOW)
    assert wf.dismiss(session, message_ids=[m.id], reason="Spam", actor=c.ceo, now=NOW) == 1
    item = new_item(session, c)
    linked = session.exec(select(Message).where(Message.item_id == item.id)).first()
    with pytest.raises(InvalidTransition):
        wf.dismiss(session, message_ids=[linked.id], reason="x", actor=c.ceo, now=NOW)


def test_split_from_theme_moves_the_message_to_a_theme_of_its_own(session, c):
    theme = Theme(key="k", label="Black screens", message_count=2)
    session.add(theme)
    session.commit()
    m = make_message(session, theme_id=theme.id)
    make_message(session, theme_id=theme.id)
    wf.split_from_theme(session, m.id, actor=c.ceo, now=NOW)
    moved = session.get(Message, m.id).theme_id
    assert moved not in (None, theme.id)
    session.expire_all()
    assert session.get(Theme, theme.id).message_count == 1
    assert session.get(Theme, moved).message_count == 1


# --- the audit trail of a full journey ---------------------------------------------------------


def test_full_journey_leaves_every_step_in_order_with_actors_and_states(session, c):
    m = make_message(session, body="Stalls blocked again", received_at=NOW - timedelta(days=7))
    t = [NOW + timedelta(hours=h) for h in range(8)]
    wf.review(session, [m.id], actor=c.ceo, now=t[0])
    wf.forward(
        session,
        message_ids=[m.id],
        to_user_id=c.mara.id,
        note="?",
        respond_by=None,
        actor=c.ceo,
        now=t[1],
    )
    item = wf.create_item(session, message_ids=[m.id], title="Stalls", actor=c.ceo, now=t[2])
    wf.acknowledge(session, item.id, actor=c.mara, expected_version=1, now=t[3])
    wf.comment(session, item_id=item.id, body="Idle fee it is", actor=c.mara, now=t[4])
    wf.start(session, item.id, actor=c.mara, expected_version=2, now=t[5])
    wf.ship(
        session,
        item.id,
        public_title="Idle fee",
        public_text="Fee after charge completes.",
        actor=c.mara,
        expected_version=3,
        now=t[6],
    )
    msg_events = [
        (e.action, e.actor_id, e.from_state, e.to_state) for e in _events(session, "message", m.id)
    ]
    assert msg_events == [
        ("reviewed", c.ceo.id, "new", "reviewed"),
        ("forwarded", c.ceo.id, "reviewed", "forwarded"),
        ("attached", c.ceo.id, "forwarded", "linked"),
    ]
    item_events = [
        (e.action, e.actor_id, e.from_state, e.to_state, e.at)
        for e in _events(session, "item", item.id)
    ]
    assert item_events == [
        ("created", c.ceo.id, None, "new", t[2]),
        ("attached", c.ceo.id, None, None, t[2]),
        ("acknowledged", c.mara.id, "new", "acknowledged", t[3]),
        ("commented", c.mara.id, None, None, t[4]),
        ("started", c.mara.id, "acknowledged", "in_progress", t[5]),
        ("shipped", c.mara.id, "in_progress", "shipped", t[6]),
    ]
