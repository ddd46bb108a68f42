"""Lead times come from the audit events and message times, not from editable columns."""

from __future__ import annotations

from datetime import timedelta

import pytest

from db import workflow as wf
from db.leadtimes import (
    Milestones,
    days_to_close,
    days_to_fix,
    item_milestones,
    median_days_to_fix,
    milestones_for,
)
from tests.factories import NOW
from tests.journeys import cast
from tests.loopdata import T0, customers, shipped_item


@pytest.fixture
def c(session):
    return cast(session)


def test_milestones_follow_the_journey_events(session, c) -> None:
    item = shipped_item(session, c, list(customers(session)))
    m = item_milestones(session, item.id)
    assert m.first_signal == T0
    assert m.first_executive_view == T0 + timedelta(hours=20)
    assert m.forwarded == T0 + timedelta(hours=22)
    assert m.acknowledged == T0 + timedelta(days=1, hours=2)
    assert m.shipped == NOW
    assert m.loop_closed is None
    assert days_to_fix(m) == 6.0


def test_editing_the_shipped_at_column_does_not_change_the_lead_time(session, c) -> None:
    item = shipped_item(session, c, list(customers(session))[:1])
    item.shipped_at = NOW + timedelta(days=30)
    session.add(item)
    session.commit()
    assert days_to_fix(item_milestones(session, item.id)) == 6.0


def test_a_reshipped_item_counts_to_the_last_ship(session, c) -> None:
    item = shipped_item(session, c, list(customers(session))[:1])
    item = wf.reopen(
        session,
        item.id,
        reason="Still blocked",
        actor=c.mara,
        expected_version=item.version,
        now=NOW + timedelta(days=1),
    )
    wf.ship(
        session,
        item.id,
        public_title="Idle fees",
        public_text="Stricter idle fees.",
        actor=c.mara,
        expected_version=item.version,
        now=NOW + timedelta(days=3),
    )
    assert days_to_fix(item_milestones(session, item.id)) == 9.0


def test_loop_closed_milestone_comes_from_its_event(session, c) -> None:
    item = shipped_item(session, c, list(customers(session))[:1])
    wf.transition(session, item, "loop_closed", actor=c.mara, now=NOW + timedelta(days=1, hours=12))
    session.commit()
    m = item_milestones(session, item.id)
    assert m.loop_closed == NOW + timedelta(days=1, hours=12)
    assert days_to_close(m) == 7.5


def test_milestones_for_many_items_and_the_median(session, c) -> None:
    a, b, cc = customers(session)
    one = shipped_item(session, c, [a], ship_at=NOW)
    two = shipped_item(session, c, [b], start=T0 - timedelta(days=4), ship_at=NOW)
    by_id = milestones_for(session, [one.id, two.id])
    assert [days_to_fix(by_id[i]) for i in (one.id, two.id)] == [6.0, 10.0]
    assert median_days_to_fix(by_id.values()) == 8.0
    assert median_days_to_fix([Milestones(item_id=1)]) is None
    assert milestones_for(session, []) == {}


def test_timeline_lists_each_milestone_with_days_since_the_first_complaint(session, c) -> None:
    from db.leadtimes import timeline

    item = shipped_item(session, c, list(customers(session))[:1])
    rows = timeline(item_milestones(session, item.id))
    assert [(label, days) for label, _at, days in rows] == [
        ("first complaint", 0.0),
        ("seen by an executive", 0.8),
        ("forwarded", 0.9),
        ("acknowledged", 1.1),
        ("shipped", 6.0),
        ("loop closed", None),
    ]
