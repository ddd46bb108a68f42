"""Benchmark the loop's heavy paths on a temp SQLite file (run by hand; noisy on a shared box).

    python tests/bench/bench_loop.py [--items 2000] [--mails 500] [--runs 5]

1. outbox delivery to a local aiosmtpd server: e-mails per second (one connection per round);
2. `public_entries` + every `render_changelog` format with N shipped items (5 customers each);
3. the public "What we changed" page, a full AppTest script run, with the same data.
Prints the median of `--runs` runs for each.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as a script: make `tests.mailsink` importable

from db import schema  # noqa: E402
from db.changelog import public_entries, render_changelog  # noqa: E402
from db.delivery import deliver_due  # noqa: E402
from db.engine import make_engine  # noqa: E402
from db.models import Contact, Event, Item, Message, Outbox  # noqa: E402
from db.notify import enqueue  # noqa: E402
from db.smtp import SmtpSettings  # noqa: E402
from tests.mailsink import MailSink  # noqa: E402

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def _median(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def seed_items(engine, n: int) -> None:
    """N shipped items, each with 5 customers, messages and the shipped event."""
    with Session(engine) as s:
        for i in range(n):
            item = Item(
                title=f"Item {i}",
                status="shipped",
                public_title=f"Fix {i}",
                public_text=f"We changed thing {i}; thanks to everyone who wrote.",
                shipped_at=NOW - timedelta(hours=i),
                first_signal_at=NOW - timedelta(days=9),
            )
            s.add(item)
            s.flush()
            for k in range(5):
                c = Contact(email=f"c{i}_{k}@example.net", display_name=f"Customer {i} {k}")
                s.add(c)
                s.flush()
                s.add(
                    Message(
                        channel="email",
                        external_id=f"m{i}_{k}",
                        contact_id=c.id,
                        item_id=item.id,
                        body="x",
                        received_at=NOW - timedelta(days=9),
                    )
                )
            s.add(Event(at=item.shipped_at, entity="item", entity_id=item.id, action="shipped"))
        s.commit()


def bench_delivery(engine, mails: int, runs: int) -> float:
    sink = MailSink().start()
    settings = SmtpSettings(host="127.0.0.1", port=sink.port, sender="b@co.test")
    rates = []
    try:
        for r in range(runs):
            with Session(engine) as s:
                for i in range(mails):
                    enqueue(
                        s,
                        kind="b",
                        dedupe_key=f"b{r}:{i}",
                        to_addr="x@co.test",
                        subject="s",
                        text="hello " * 40,
                        html="<p>hello</p>",
                    )
                s.commit()
            t0 = time.perf_counter()
            sent = 0
            while sent < mails:
                sent += deliver_due(engine, now=NOW, smtp_settings=settings, limit=mails).sent
            rates.append(mails / (time.perf_counter() - t0))
    finally:
        sink.stop()
    return statistics.median(rates)


def bench_page(url: str, runs: int) -> float:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["DATABASE_URL"] = url
    script = str(ROOT / "dashboard" / "app_pages" / "changes.py")

    def run() -> None:
        st.cache_data.clear()
        at = AppTest.from_file(script, default_timeout=120).run()
        assert not at.exception, at.exception

    run()  # warm imports
    return _median(run, runs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=2000)
    ap.add_argument("--mails", type=int, default=500)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="fl_bench_loop_"))
    url = f"sqlite:///{folder / 'bench.db'}"
    engine = make_engine(url)
    schema.upgrade(engine)
    print(
        f"delivery: {bench_delivery(engine, args.mails, args.runs):.0f} e-mails/s "
        f"({args.mails} per run, local aiosmtpd)"
    )
    with engine.begin() as conn:
        conn.execute(sa.delete(Outbox))
    seed_items(engine, args.items)
    with Session(engine) as s:
        t = _median(lambda: public_entries(s), args.runs)
    print(f"public_entries, {args.items} items: {t * 1000:.0f} ms")
    for fmt in ("md", "html", "atom", "json"):
        t = _median(lambda fmt=fmt: render_changelog(engine, fmt=fmt, now=NOW), args.runs)
        print(f"changelog --format {fmt}, {args.items} items: {t * 1000:.0f} ms")
    print(
        f"public page (AppTest full run), {args.items} items: "
        f"{bench_page(url, args.runs) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
