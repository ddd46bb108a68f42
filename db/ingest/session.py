"""An import's session: one connection tuned for bulk work, and the Batch records go to.

`importing` is what every import runs inside, files (`db.ingest.pipeline`) and mailboxes
(`db.ingest.mailbox`) alike: Python's cycle collector runs less often, SQLite gets a larger page
cache and fewer checkpoints, the theme vocabulary is read once, and leaving it stores and commits
the last batch.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from types import SimpleNamespace

from rich.console import Console
from sqlalchemy.engine import Connection, Engine

from db import enrich
from db.ingest.batch import Batch

BATCH_SIZE = 5000  # records a transaction: 2000 cost ~8% more CPU a message (fixed costs)
SQLITE_CACHE_KIB = -65536  # 64 MiB of SQLite page cache while importing (negative = KiB)
SQLITE_CHECKPOINT_PAGES = 32768  # WAL pages between checkpoints while importing (~128 MiB)
GC_THRESHOLD = 50_000  # allocations between young-generation collections while importing


@contextmanager
def importing(
    engine: Engine, *, now: datetime, console: Console, batch_size: int = BATCH_SIZE
) -> Iterator[Batch]:
    """Open an import: yield the Batch to add records to, on a connection tuned for it.

    Leaving it stores and commits the last batch (an error leaves the committed ones).
    """
    with _collector(), engine.connect() as conn, _cache(conn):
        context = enrich.theme_context(conn)  # text analysis ahead builds theme keys with it
        conn.commit()  # the settings were read: no transaction stays open while reading input
        with Batch(conn, now=now, size=batch_size, console=console, context=context) as batch:
            yield batch


_IMPORTS = SimpleNamespace(lock=threading.Lock(), running=0, before=gc.get_threshold())


@contextmanager
def _collector() -> Iterator[None]:
    """Run Python's cycle collector less often while importing, then restore it.

    An import allocates millions of small containers (parsed JSON, rows, token lists) that die
    young and never form cycles; with the default threshold the collector ran every 700 of
    them and took ~15% of an import's CPU. Memory stays bounded: batches are freed by
    reference counting, and the collector still runs every GC_THRESHOLD allocations.
    """
    with _IMPORTS.lock:  # imports may overlap (the admin page runs them in script threads)
        if not _IMPORTS.running:
            _IMPORTS.before = gc.get_threshold()
            gc.set_threshold(GC_THRESHOLD, *_IMPORTS.before[1:])
        _IMPORTS.running += 1
    try:
        yield
    finally:
        with _IMPORTS.lock:
            _IMPORTS.running -= 1
            if not _IMPORTS.running:  # the last one running restores it
                gc.set_threshold(*_IMPORTS.before)


@contextmanager
def _cache(conn: Connection) -> Iterator[None]:
    """On SQLite, tune the connection for a bulk import, then restore it.

    A larger page cache keeps the index pages hot. A larger WAL between checkpoints means far
    fewer fsyncs (each checkpoint syncs the WAL and the database; by default one ran at nearly
    every batch commit) and index pages rewritten by many batches copied back once; the final
    checkpoint runs inside the import, so its cost is counted. Durability is unchanged: WAL with
    synchronous=NORMAL, as always.
    """
    if conn.dialect.name != "sqlite":
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    checkpoint = conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size={SQLITE_CACHE_KIB}")
    conn.exec_driver_sql(f"PRAGMA wal_autocheckpoint={SQLITE_CHECKPOINT_PAGES}")
    try:
        yield
    finally:
        conn.rollback()  # a batch cut short by an error is undone (the others are committed)
        conn.exec_driver_sql(f"PRAGMA cache_size={int(before)}")
        conn.exec_driver_sql(f"PRAGMA wal_autocheckpoint={int(checkpoint)}")
        conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")  # never blocks readers
