"""The forward rollup stays equal to a recomputation from the forwards, whatever is forwarded.

Random sequences forward messages and items and acknowledge them, through the domain functions
(so through `db.audit.record`, which keeps the rollup); afterwards the rollup must equal a full
rebuild, and the forward metrics read from it must equal the reference queries on the
`forward` table (`db.metrics.fwdlive`), for periods cut at `now` mid-day and periods in the past.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta, tzinfo

import pytest
from sqlmodel import Session, select

from db import forwards as tr
from db import fwdrollup, itemrebuild
from db import workflow as wf
from db.clock import day_start, local_at, zone_named
from db.metrics import Period, Scope, forwards, fwdlive, items
from db.models import Forward, Item, Message
from tests.factories import NOW, make_message, set_time_zone
from tests.journeys import cast, play_random

START = NOW - timedelta(days=25)


def _step(session: Session, c, rng: random.Random, now: datetime) -> None:
    """Take one random forwarding action; refused ones are part of the game."""
    action = rng.choice(
        ["fwd_msg", "fwd_msg", "fwd_item", "ack", "ack", "ack_item", "item", "attach"]
    )
    to = rng.choice([c.mara, c.laura, c.ceo])
    due = now + timedelta(hours=rng.choice([1, 5, 20, 30, 60]))
    if action == "item":
        ids = session.exec(select(Message.id).where(Message.item_id.is_(None))).all()
        wf.create_item(
            session, message_ids=rng.sample(list(ids), min(2, len(ids))), title="T",
            team=rng.choice(["Charging", None]), actor=c.ceo, now=now,
        )  # fmt: skip
    elif action == "attach":
        items = session.exec(select(Item.id)).all()
        ids = session.exec(select(Message.id).where(Message.item_id.is_(None))).all()
        if items and ids:
            wf.attach(session, item_id=rng.choice(items), message_ids=[rng.choice(ids)],
                      actor=c.ceo, now=now)  # fmt: skip
    elif action == "fwd_msg":
        ids = session.exec(select(Message.id)).all()
        picked = rng.sample(list(ids), rng.randrange(1, 3))
        tr.forward(
            session, message_ids=picked, to_user_id=to.id, note="?",
            respond_by=rng.choice([due, None]), actor=c.ceo, now=now,
        )  # fmt: skip
    elif action == "fwd_item":
        items = session.exec(select(Item.id)).all()
        if items:
            tr.forward(
                session, item_id=rng.choice(items), to_user_id=to.id, note="?", respond_by=due,
                actor=c.ceo, now=now,
            )  # fmt: skip
    else:
        open_ = session.exec(select(Forward).where(Forward.acknowledged_at.is_(None))).all()
        if not open_:
            return
        fwd = rng.choice(open_)
        who = next(u for u in (c.mara, c.laura, c.ceo) if u.id == fwd.recipient_id)
        if action == "ack_item" and fwd.item_id:
            item = session.get(Item, fwd.item_id)
            wf.acknowledge(session, item.id, actor=who, expected_version=item.version, now=now)
        else:
            tr.acknowledge_forward(session, fwd.id, actor=who, now=now)


def _play(session: Session, seed: int, steps: int) -> None:
    play_random(
        session,
        _step,
        seed=seed,
        steps=steps,
        messages=60,
        start=START,
        gap=lambda rng: timedelta(hours=rng.randrange(1, 12), minutes=rng.randrange(60)),
    )


# New York changes its clocks on 1 November, inside the played weeks; Kathmandu is UTC+5:45
ZONES = ["UTC", "America/New_York", "Asia/Kathmandu"]


@pytest.mark.parametrize(("seed", "zone"), [(1, ZONES[0]), (2, ZONES[1]), (3, ZONES[2])])
def test_random_forwarding_keeps_the_rollup_equal_to_a_rebuild(session, seed, zone):
    set_time_zone(session, zone)
    _play(session, seed, steps=90)
    conn = session.connection()
    followed, listed = fwdrollup.snapshot(conn), fwdrollup.messages(conn)
    assert sum(v[3] for v in followed.values()) > 5  # acknowledgements were counted
    linked = [m for m, (_, _, on_item) in listed.items() if on_item]
    assert linked and len(linked) < len(listed)  # forwarded messages on items and not
    assert fwdrollup.rebuild(conn) == len(session.exec(select(Forward.id)).all())
    assert fwdrollup.snapshot(conn) == followed and fwdrollup.messages(conn) == listed
    itemrebuild.rebuild(conn)
    assert itemrebuild.snapshot(conn)["forwards"] == {"days": followed, "messages": listed}


def _forwarded_only(session: Session, period: Period, channel: str | None) -> int:
    """The reference: messages received in the period, forwarded at any time, on no item."""
    stmt = select(Message.id).where(
        Message.received_at >= period.start, Message.received_at < period.end,
        Message.item_id.is_(None), Message.id.in_(select(Forward.message_id)),
    )  # fmt: skip
    stmt = stmt.where(Message.channel == channel) if channel else stmt
    return len(session.exec(stmt).all())


def _nows(last: date, zone: tzinfo) -> list[datetime]:
    """Moments to cut at: mid-day on the last day, its midnight, and a day later."""
    noon = local_at(last, time(13, 17), zone)
    return [noon, day_start(last, zone), noon + timedelta(days=1)]


@pytest.mark.parametrize(("seed", "zone"), [(4, ZONES[0]), (5, ZONES[1]), (6, ZONES[2])])
def test_forward_metrics_from_the_rollup_equal_the_reference(session, seed, zone):
    set_time_zone(session, zone)
    tz = zone_named(zone)
    _play(session, seed, steps=90)
    for last in (NOW.date() - timedelta(days=6), NOW.date(), NOW.date() - timedelta(days=12)):
        for days in (3, 7, 30):
            period = Period.days_back(days, today=last, zone=tz)
            ends = [period.first - timedelta(days=1), *period.days()]
            for channel in (None, "email", "tweet"):
                got = items.forwarded_only(session, period=period, scope=Scope(channel=channel))
                assert got == _forwarded_only(session, period, channel)
            for scope in (Scope(), Scope(team="Charging"), Scope(team="Customer Care")):
                fast = forwards.ack_hours(session, period=period, scope=scope)
                ref = fwdlive.ack_hours(session, period=period, scope=scope)
                assert fast.keys() == ref.keys()
                for day, values in fast.items():
                    assert values == pytest.approx(ref[day], abs=1 / 3600)  # whole seconds
                for now in _nows(last, tz):
                    got = forwards.sla_by_team(session, period=period, scope=scope, now=now)
                    want = fwdlive.sla_by_team(session, period=period, scope=scope, now=now)
                    assert [tuple(vars(r).values()) for r in got] == want
                    assert forwards.overdue_by_day(
                        session, days=ends, now=now, scope=scope, zone=tz
                    ) == fwdlive.overdue_by_day(session, days=ends, now=now, scope=scope, zone=tz)


def test_a_late_acknowledgement_counts_on_the_due_day_and_the_acknowledgement_day(session):
    c = cast(session)
    msg = make_message(session, received_at=START)
    sent = datetime.combine(START.date(), time(9), tzinfo=UTC)
    fwd = tr.forward(
        session, message_ids=[msg.id], to_user_id=c.mara.id, note="?",
        respond_by=sent + timedelta(hours=3), actor=c.ceo, now=sent,
    )  # fmt: skip
    rows = fwdrollup.snapshot(session.connection())
    assert rows == {(sent.date(), c.mara.id): (1, 1, 0, 0, 0, ())}
    tr.acknowledge_forward(session, fwd.id, actor=c.mara, now=sent + timedelta(days=1, hours=3))
    rows = fwdrollup.snapshot(session.connection())
    nxt = sent.date() + timedelta(days=1)
    assert rows == {
        (sent.date(), c.mara.id): (1, 0, 1, 0, 0, ()),
        (nxt, c.mara.id): (0, 0, 0, 1, 1, (27 * 3600,)),
    }
    period = Period.between(sent.date(), nxt)
    later = sent + timedelta(days=3)
    assert forwards.overdue_by_day(session, days=period.days(), now=later) == [1, 0]
    assert forwards.ack_spreads(session, period=period).overall.p50 == 27.0


def test_seconds_round_trip_through_the_fixed_width_text():
    text = fwdrollup.encode([0, 59, 97200, 2**32 + 5])
    assert len(text) == 32
    assert fwdrollup.decode(text + fwdrollup.encode([7])).tolist() == [0, 59, 97200, 2**32 - 1, 7]
