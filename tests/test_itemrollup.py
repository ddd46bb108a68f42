"""The item rollups stay equal to a recomputation from the events, whatever the workflow does.

Random workflow sequences go through the domain functions (so through `db.audit.record`, which
keeps the rollups); afterwards the rollups must equal a full rebuild, and the Insights numbers
read from them must equal the event-based reference queries of `db.metrics.live`.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from db import itemrebuild
from db import workflow as wf
from db.clock import zone_named
from db.itemstate import transition
from db.metrics import STATES, Period, Scope, items, leads, live
from db.models import Item, ItemStatus, Message
from tests.factories import NOW, make_message, set_time_zone
from tests.journeys import cast, play_random

S = ItemStatus
START = NOW - timedelta(days=20)
TEAMS = ["Charging", "Software", None]


def _open(session: Session, rng: random.Random) -> Item | None:
    found = session.exec(select(Item).order_by(Item.id)).all()
    return rng.choice(found) if found else None


def _free_messages(session: Session, rng: random.Random, k: int) -> list[int]:
    ids = session.exec(select(Message.id).where(Message.item_id.is_(None))).all()
    return rng.sample(list(ids), min(k, len(ids)))


def _step(session: Session, c, rng: random.Random, now) -> None:
    """Take one random workflow action; refused transitions are part of the game."""
    item = _open(session, rng)
    action = rng.choice(
        ["create", "create", "attach", "ack", "start", "ship", "ship", "reopen", "close"]
        + ["decline", "duplicate", "team"]
    )
    if action == "create" or item is None:
        wf.create_item(
            session,
            message_ids=_free_messages(session, rng, rng.randrange(3)),
            title="Chargers blocked",
            team=rng.choice(TEAMS),
            actor=c.ceo,
            now=now,
        )
        return
    v = {"actor": c.ceo, "expected_version": item.version, "now": now}
    if action == "attach":
        wf.attach(
            session, item_id=item.id, message_ids=_free_messages(session, rng, 1), actor=c.ceo,
            now=now,
        )  # fmt: skip
    elif action == "ack":
        wf.acknowledge(session, item.id, **{**v, "actor": c.mara})
    elif action == "start":
        wf.start(session, item.id, **v)
    elif action == "ship":
        wf.ship(session, item.id, public_title="Fixed", public_text="We fixed it.", **v)
    elif action == "reopen":
        wf.reopen(session, item.id, reason="Still broken", **v)
    elif action == "close":
        transition(session, item, S.LOOP_CLOSED, actor=c.ceo, now=now)
        session.commit()
    elif action == "decline":
        wf.decline(session, item.id, reason="No", public_text="Not now.", show_publicly=False, **v)
    elif action == "duplicate":
        other = _open(session, rng)
        wf.mark_duplicate(session, item.id, of_item_id=other.id, **v)
    else:
        wf.update_item(session, item.id, changes={"team": rng.choice(TEAMS)}, **v)


def _play(session: Session, seed: int, steps: int) -> None:
    play_random(
        session,
        _step,
        seed=seed,
        steps=steps,
        messages=30,
        start=START,
        gap=lambda rng: timedelta(hours=rng.randrange(1, 30)),
    )


def _scopes() -> list[Scope]:
    return [Scope(), Scope(team="Charging"), Scope(channel="tweet"), Scope(channel="email")]


# New York changes its clocks on 1 November, inside the played weeks; Kathmandu is UTC+5:45
ZONES = ["UTC", "America/New_York", "Asia/Kathmandu"]


@pytest.mark.parametrize(("seed", "zone"), [(1, ZONES[0]), (2, ZONES[1]), (3, ZONES[2])])
def test_random_workflow_keeps_the_rollups_equal_to_a_rebuild(session, seed, zone):
    set_time_zone(session, zone)
    _play(session, seed, steps=80)
    conn = session.connection()
    followed = itemrebuild.snapshot(conn)
    assert followed["facts"] and followed["days"]
    assert itemrebuild.rebuild(conn) == len(followed["facts"])
    assert itemrebuild.snapshot(conn) == followed


@pytest.mark.parametrize(("seed", "zone"), [(4, ZONES[0]), (5, ZONES[1]), (6, ZONES[2])])
def test_metrics_from_the_rollups_equal_the_event_based_reference(session, seed, zone):
    set_time_zone(session, zone)
    _play(session, seed, steps=80)
    for days in (7, 30):
        period = Period.days_back(days, today=NOW.date(), zone=zone_named(zone))
        for scope in _scopes():
            got = items.flow_counts(session, period=period, scope=scope)
            assert got == live.state_flow_counts(session, period=period, scope=scope)
            fast = sorted(leads.lead_rows(session, period=period, scope=scope, ids=True))
            ref = live.lead_rows(session, period=period, scope=scope)
            assert fast == pytest.approx(
                sorted((i, d, v, s == "loop_closed") for i, d, v, s in ref)
            )
            assert items.linked_counts(session, period=period, scope=scope) == (
                live.linked_counts(session, period=period, scope=scope)
            )


def test_changing_an_items_team_moves_its_whole_history(session):
    c = cast(session)
    msg = make_message(session, received_at=START)
    item = wf.create_item(
        session, message_ids=[msg.id], title="T", team="Charging", actor=c.ceo, now=START
    )
    wf.acknowledge(session, item.id, actor=c.mara, expected_version=1, now=START + timedelta(1))
    wf.update_item(
        session, item.id, changes={"team": "Software"}, actor=c.ceo, expected_version=2,
        now=START + timedelta(2),
    )  # fmt: skip
    period = Period.between(START.date(), START.date() + timedelta(days=3))
    flow = items.flow_counts(session, period=period, scope=Scope(team="Software"))
    assert flow[START.date()]["new"] == 1 and flow[START.date() + timedelta(1)]["acknowledged"] == 1
    assert items.flow_counts(session, period=period, scope=Scope(team="Charging")) == {
        d: {s: 0 for s in STATES} for d in flow
    }
    assert items.linked_counts(session, period=period, scope=Scope(team="Software"))[0] == 1


def test_a_duplicates_messages_count_on_the_original_afterwards(session):
    c = cast(session)
    first, second = (
        make_message(session, received_at=START, channel=ch) for ch in ("email", "tweet")
    )
    orig = wf.create_item(session, message_ids=[first.id], title="A", actor=c.ceo, now=START)
    dup = wf.create_item(session, message_ids=[second.id], title="B", actor=c.ceo, now=START)
    wf.mark_duplicate(
        session, dup.id, of_item_id=orig.id, actor=c.ceo, expected_version=1,
        now=START + timedelta(hours=1),
    )  # fmt: skip
    links = itemrebuild.snapshot(session.connection())["links"]
    day = date.fromisoformat(START.date().isoformat())
    assert links == {(day, "email", "", "new"): 1, (day, "tweet", "", "new"): 1}
    period = Period.between(day, day)
    tweet_items = items.flow_counts(session, period=period, scope=Scope(channel="tweet"))
    assert tweet_items[day]["duplicate"] == 0 and tweet_items[day]["new"] == 1  # the original
