"""Benchmark the items read side on a large database (run by hand, not collected by pytest).

    python tests/bench/bench_items.py [N_ITEMS] [MESSAGES_PER_ITEM]

Builds a temporary SQLite file with N items (default 100k) and linked messages, then times
`items_board` (newest 300), `item_detail` and `inbox`: the median of 5 runs each.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import Session, SQLModel

from db import models as m
from db.engine import make_engine
from db.tracking import inbox, item_detail, items_board

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def build(engine, n_items: int, per_item: int) -> None:
    """Insert users, items, linked messages and forwards in bulk."""
    rng = random.Random(42)
    SQLModel.metadata.create_all(engine)
    statuses = list(m.ItemStatus)
    with engine.begin() as conn:
        conn.execute(
            m.User.__table__.insert(),
            [
                {
                    "email": f"u{i}@example.com",
                    "name": f"User {i}",
                    "role": "manager",
                    "is_active": True,
                    "failed_logins": 0,
                    "created_at": NOW,
                }
                for i in range(1, 21)
            ],
        )
        for start in range(0, n_items, 10_000):
            rows = [
                {
                    "title": f"Item {i}",
                    "problem": "",
                    "status": rng.choice(statuses),
                    "owner_id": rng.randint(1, 20),
                    "priority": "normal",
                    "version": 1,
                    "fix_plan": "",
                    "customer_track": "open",
                    "customer_track_note": "",
                    "show_publicly": True,
                    "created_at": NOW,
                    "updated_at": NOW,
                    "respond_by": NOW - timedelta(days=rng.randint(-3, 3)),
                }
                for i in range(start, min(n_items, start + 10_000))
            ]
            conn.execute(m.Item.__table__.insert(), rows)
        msgs = [
            {
                "channel": "email",
                "external_id": f"b{i}",
                "body": "My car will not charge.",
                "received_at": NOW - timedelta(hours=i % 500),
                "item_id": 1 + i % n_items,
                "triage": "linked",
                "recipients": [],
                "references": [],
                "headers": {},
                "attachments": [],
                "reasons": [],
                "imported_at": NOW,
            }
            for i in range(n_items * per_item)
        ]
        for start in range(0, len(msgs), 20_000):
            conn.execute(m.Message.__table__.insert(), msgs[start : start + 20_000])
        conn.execute(
            m.Forward.__table__.insert(),
            [
                {
                    "sender_id": 1,
                    "recipient_id": 2,
                    "item_id": rng.randint(1, n_items),
                    "note": "?",
                    "respond_by": NOW,
                    "created_at": NOW,
                }
                for _ in range(200)
            ],
        )


def median_ms(fn, runs: int = 5) -> float:
    """Return the median wall time of `fn()` in milliseconds."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    n_items = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    per_item = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        t0 = time.perf_counter()
        build(engine, n_items, per_item)
        took = time.perf_counter() - t0
        print(f"built {n_items} items, {n_items * per_item} messages in {took:.1f}s")
        with Session(engine) as s:
            user = s.get(m.User, 2)
            print(f"items_board (300 newest): {median_ms(lambda: items_board(s, now=NOW)):.1f} ms")
            board = lambda: items_board(s, status="new", team=None, now=NOW)  # noqa: E731
            print(f"items_board status=new:  {median_ms(board):.1f} ms")
            print(
                f"item_detail:             {median_ms(lambda: item_detail(s, 1, now=NOW)):.1f} ms"
            )
            print(
                f"inbox (manager):         {median_ms(lambda: inbox(s, user=user, now=NOW)):.1f} ms"
            )
        engine.dispose()


if __name__ == "__main__":
    main()
