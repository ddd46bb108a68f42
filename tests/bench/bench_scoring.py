"""Scoring and theming cost alone: `enrich_batch` on N generated tweet rows, no file parsing.

Separates the feed's brain from the rest of ingestion: prints messages/s (wall and CPU time) for
`score_rows` alone and for the whole `enrich_batch` (score + themes), median of --repeat runs,
on an in-memory SQLite database in batches like the pipeline's. Run by hand:

    python tests/bench/bench_scoring.py --n 100000 --repeat 3
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

from sqlmodel import SQLModel

from db import models  # noqa: F401
from db.engine import make_engine
from db.enrich import enrich_batch, score_rows
from db.ingest.records import message_row

try:
    from tests.bench.generate import _text
except ImportError:  # run as a script: the sibling module
    from generate import _text

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def rows(n: int) -> list[dict]:
    """Return n tweet rows like the ingest benchmark's (templated customer texts)."""
    rng = random.Random(42)
    return [
        message_row(channel="tweet", external_id=str(i), body=_text(rng), raw=None,
                    received_at=NOW - timedelta(seconds=30 * i), sender=f"u{i % 20_000}",
                    followers=int(rng.lognormvariate(5, 2)), likes=rng.randint(0, 50),
                    thread_key=str(i))
        for i in range(n)
    ]  # fmt: skip


def one_run(n: int, batch: int, fn) -> tuple[float, float]:
    """Return (wall, CPU) messages/s of `fn` over n fresh rows."""
    engine = make_engine("sqlite://")
    SQLModel.metadata.create_all(engine)
    data = rows(n)
    wall, cpu = time.perf_counter(), time.process_time()
    with engine.begin() as conn:
        for i in range(0, n, batch):
            fn(conn, data[i : i + batch])
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    engine.dispose()
    return n / wall, n / cpu


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=100_000)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--batch-size", type=int, default=2000)
    a = p.parse_args()
    for name, fn in (
        ("score_rows (scoring only)", score_rows),
        ("enrich_batch (score + themes)", lambda c, r: enrich_batch(c, r, now=NOW)),
    ):
        runs = [one_run(a.n, a.batch_size, fn) for _ in range(a.repeat)]
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        print(f"{name:32s} {wall:>9,.0f}/s wall {cpu:>9,.0f}/s CPU   (median of {a.repeat})")


if __name__ == "__main__":
    main()
