"""The daily message rollup: increments at ingest and on a split match a full rebuild."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session

from db import metrics, rollup, themes
from db.ingest.pipeline import ingest_paths
from db.models import Message, Theme
from tests.factories import NOW, make_message

DATA = Path(__file__).parent / "data" / "ingest"


def _random_rows(rng: random.Random, n: int, theme_ids: list[int], start: int) -> list[dict]:
    base = datetime(2026, 11, 1, tzinfo=UTC)
    return [
        {
            "channel": rng.choice(["email", "tweet"]),
            "external_id": f"r{start + i}",
            "body": "b",
            # near midnight on purpose: the UTC day must match the SQL day
            "received_at": base + timedelta(days=rng.randrange(5), seconds=rng.randrange(-5, 5)),
            "complaint": rng.choice([0.0, 0.49, 0.5, 0.9]),
            "score": rng.choice([0.0, 4.99, 5.0, 8.0]),
            "is_noise": rng.random() < 0.2,
            "theme_id": rng.choice([None, *theme_ids]),
        }
        for i in range(n)
    ]


def _themes(session: Session, n: int) -> list[int]:
    made = [Theme(key=f"k{i}", label=f"Theme {i}") for i in range(n)]
    session.add_all(made)
    session.commit()
    return [t.id for t in made]


def test_two_batches_added_equal_a_rebuild_from_the_messages(session):
    rng, ids = random.Random(42), _themes(session, 3)
    conn = session.connection()
    for k in range(2):
        rows = _random_rows(rng, 150, ids, start=1000 * k)
        conn.execute(sa.insert(Message.__table__), rows)
        rollup.add_rows(conn, rows)
    added = rollup.snapshot(conn)
    assert rollup.rebuild(conn) == len(added)
    assert rollup.snapshot(conn) == added
    assert sum(v[0] for v in added.values()) == 300


def test_counts_use_the_insights_thresholds_and_the_utc_day(session):
    conn = session.connection()
    row = {
        "channel": "tweet",
        "received_at": datetime(2026, 11, 2, 23, 30, tzinfo=UTC),
        "complaint": 0.5,
        "score": 5.0,
        "is_noise": False,
        "theme_id": None,
    }
    rollup.add_rows(conn, [row, {**row, "complaint": 0.49, "is_noise": True}])
    assert rollup.snapshot(conn) == {(date(2026, 11, 2), "tweet", 0): (2, 1, 1)}


def test_ingest_keeps_the_rollup_equal_to_a_rebuild(engine, session):
    ingest_paths(engine, [DATA], now=NOW)
    with engine.begin() as conn:
        added = rollup.snapshot(conn)
        rollup.rebuild(conn)
        assert rollup.snapshot(conn) == added
        assert (
            sum(v[0] for v in added.values())
            == conn.execute(sa.select(sa.func.count()).select_from(Message)).scalar_one()
        )


def test_splitting_a_message_moves_it_to_its_new_theme(session):
    (tid,) = _themes(session, 1)
    for hour in (9, 10):
        make_message(session, received_at=NOW - timedelta(hours=hour), theme_id=tid, score=6)
    rollup.rebuild(session.connection())
    msg = session.scalars(sa.select(Message).order_by(Message.id)).first()
    new = themes.split_message(session.connection(), msg.id, now=NOW)
    moved = rollup.snapshot(session.connection())
    rollup.rebuild(session.connection())
    assert moved == rollup.snapshot(session.connection())
    assert moved[(msg.received_at.date(), "email", new)] == (1, 0, 1)


def test_rising_themes_and_volume_read_the_rollup_not_the_messages(session):
    (tid,) = _themes(session, 1)
    make_message(session, received_at=NOW - timedelta(hours=1), theme_id=tid, complaint=0.9)
    week = metrics.Period.days_back(7, today=NOW.date())
    assert metrics.volume(session, period=week) == []  # not rolled up yet
    rollup.rebuild(session.connection())
    assert [
        (p.channel, p.messages, p.complaints) for p in metrics.volume(session, period=week)
    ] == [("email", 1, 1)]
    assert [t.theme_id for t in metrics.rising_themes(session, period=week)] == [tid]
