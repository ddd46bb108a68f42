"""Ingest benchmark: N tweets (X API v2 pages) and N emails (one mbox) into a fresh SQLite file.

Reports messages per second for tweets with the current `db.enrich.enrich_batch` (scoring and
themes), for tweets with enrichment switched off (plain ingest), and for emails; next to each,
the raw `sqlite3.executemany` rate of inserting the very same rows (same columns, same indexes,
same pragmas, batches of the same size) measured in the same run. Run by hand:

    python tests/bench/bench_ingest.py --n 100000 --repeat 3
    python tests/bench/bench_ingest.py --n 1000000 --repeat 1
    python tests/bench/bench_ingest.py --n 100000 --shuffled-times   # tweets out of time order

Tweets arrive in time order, as X's time-ordered ids make every export and search; with
`--shuffled-times` each has a random time in the 30 days instead (the worst case for the
indexes that lead with the received time).
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import SQLModel

import db.enrich
from db import models  # noqa: F401
from db.engine import make_engine
from db.ingest.pipeline import ingest_paths
from db.ingest.session import BATCH_SIZE, SQLITE_CACHE_KIB, SQLITE_CHECKPOINT_PAGES

try:
    from tests.bench.generate import write_mbox, write_tweet_pages
except ImportError:  # run as a script from anywhere: the sibling module
    from generate import write_mbox, write_tweet_pages

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
COLUMNS = [c.name for c in models.Message.__table__.columns if c.name != "id"]


def fresh_db(path: Path) -> str:
    """Create an empty schema in a new SQLite file; return its URL."""
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    SQLModel.metadata.create_all(engine)
    engine.dispose()
    return url


def _cpu() -> float:
    """Return CPU seconds of this process and its finished children (the reader process)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def timed_ingest(url: str, paths: list[Path], batch_size: int, enrich: bool) -> tuple:
    """Import `paths` into `url`; return (messages imported, wall s, CPU s incl. helpers)."""
    engine = make_engine(url)
    original = db.enrich.enrich_batch, db.enrich.theme_context
    if not enrich:  # no scoring, no theming, and no text analysis in the reader process
        db.enrich.enrich_batch = lambda conn, rows, *, now: None
        db.enrich.theme_context = lambda conn: None
    try:
        start, cpu = time.perf_counter(), _cpu()
        result = ingest_paths(engine, paths, now=NOW, batch_size=batch_size)
        seconds, cpu = time.perf_counter() - start, _cpu() - cpu
    finally:
        db.enrich.enrich_batch, db.enrich.theme_context = original
        engine.dispose()
    assert result.rejected == 0 and not result.unreadable, result
    return result.imported, seconds, cpu


def raw_insert(source: Path, target: Path, channel: str, batch_size: int) -> tuple:
    """Insert the `channel` rows of `source` into a fresh database with sqlite3; (n, s, cpu s)."""
    fresh_db(target)
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    pragmas = ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON")
    tuning = (f"cache_size={SQLITE_CACHE_KIB}", f"wal_autocheckpoint={SQLITE_CHECKPOINT_PAGES}")
    for pragma in (*pragmas, *tuning):  # as the import has them
        dst.execute(f"PRAGMA {pragma}")
    for table in ("contact", "theme"):
        rows = src.execute(f"SELECT * FROM {table}").fetchall()
        if rows:
            marks = ",".join("?" * len(rows[0]))
            dst.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
    dst.commit()
    cols = ", ".join(f'"{c}"' for c in COLUMNS)
    cursor = src.execute(f"SELECT {cols} FROM message WHERE channel = ?", (channel,))
    sql = f"INSERT INTO message ({cols}) VALUES ({','.join('?' * len(COLUMNS))})"
    n, seconds, cpu = 0, 0.0, 0.0
    while rows := cursor.fetchmany(batch_size):  # reading is not timed, only the inserts
        start, cpu_start = time.perf_counter(), time.process_time()
        dst.executemany(sql, rows)
        dst.commit()
        seconds += time.perf_counter() - start
        cpu += time.process_time() - cpu_start
        n += len(rows)
    start, cpu_start = time.perf_counter(), time.process_time()
    dst.execute("PRAGMA wal_checkpoint(PASSIVE)")  # as the import ends
    seconds += time.perf_counter() - start
    cpu += time.process_time() - cpu_start
    src.close()
    dst.close()
    return n, seconds, cpu


def one_run(work: Path, tweets: list[Path], mbox: Path | None, run: int, args) -> dict:
    """Measure every rate once, printing each as it comes; return messages/s by name."""
    rates, size = {}, args.batch_size

    def note(name: str, n: int, seconds: float, cpu: float) -> None:
        rates[name], rates[name + " (CPU time)"] = n / seconds, n / cpu
        print(f"  run {run + 1}: {name:32s} {n / seconds:>9,.0f}/s wall {n / cpu:>9,.0f}/s CPU"
              f"  ({n} in {seconds:.1f} s)", flush=True)  # fmt: skip

    plain, full = work / f"plain{run}.db", work / f"full{run}.db"
    note("tweets, plain ingest", *timed_ingest(fresh_db(plain), tweets, size, False))
    if not args.plain_only:
        note("tweets, ingest + enrich", *timed_ingest(fresh_db(full), tweets, size, True))
    source = plain if args.plain_only else full
    note("tweets, raw sqlite3.executemany", *raw_insert(source, work / "rt.db", "tweet", size))
    if mbox is not None:
        note("emails, ingest + enrich", *timed_ingest(f"sqlite:///{full}", [mbox], size, True))
        note("emails, raw sqlite3.executemany", *raw_insert(full, work / "re.db", "email", size))
    for path in work.glob("*.db*"):
        path.unlink()
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="tweets (and emails)")
    parser.add_argument("--emails", type=int, default=None, help="emails, if not --n (0: none)")
    parser.add_argument("--plain-only", action="store_true", help="tweets without enrich only")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    parser.add_argument(
        "--shuffled-times", action="store_true", help="tweets at random times, not in id order"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench_ingest_") as tmp:
        work = Path(tmp)
        start = time.perf_counter()
        tweets = write_tweet_pages(work / "tweets", args.n, shuffled_times=args.shuffled_times)
        emails = args.n if args.emails is None else args.emails
        mbox = write_mbox(work / "mail.mbox", emails) if emails and not args.plain_only else None
        mb = (sum(p.stat().st_size for p in tweets) + (mbox.stat().st_size if mbox else 0)) / 1e6
        took = time.perf_counter() - start
        shown = emails if mbox else 0
        print(f"generated {args.n} tweets + {shown} emails ({mb:.0f} MB) in {took:.0f} s")
        print(f"enrich: {db.enrich.__doc__.splitlines()[0]}")
        runs = [one_run(work, tweets, mbox, i, args) for i in range(args.repeat)]
    print(f"messages/s, median of {args.repeat} (runs in brackets):")
    for name in runs[0]:
        values = [r[name] for r in runs]
        shown = ", ".join(f"{v:,.0f}" for v in values)
        print(f"  {name:46s} {statistics.median(values):>10,.0f}   [{shown}]")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
