"""One batch of an import: de-duplicate, match contacts, score, then store it in one transaction.

The pipeline adds records and rejects as it reads; every `size` records the batch is written.
While a batch is being stored, the next one is read: on SQLite its rows are inserted and
committed by a writer thread (`db.ingest.store`), and SQLite leaves Python's lock while it
works, so the B-tree work of one batch runs on the second core beside the parsing and text
analysis of the next. The reading thread waits for the writer before it looks anything up
(stored duplicates, contacts, themes), so every batch sees the ones before it exactly as in a
sequential import. On PostgreSQL the batch is stored in the reading thread.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from rich.console import Console
from sqlalchemy.engine import Connection

from db import enrich, rollup
from db.among import among
from db.engine import take_import_lock
from db.ingest import sqlrows, store
from db.ingest.contacts import resolve_contacts
from db.ingest.records import Record, Rejected
from db.models import Message

_MSG = Message.__table__
_SHOWN_PER_FILE = 20


class Batch:
    """Accumulates records of an import run and writes them `size` at a time.

    Use it as a context manager: leaving it waits for the last batch to be committed.
    `context` is what theme keys are built with (`db.enrich.theme_context`; None: no themes).
    """

    def __init__(self, conn: Connection, *, now: datetime, size: int, console: Console,
                 context: enrich.ThemeContext | None = None):  # fmt: skip
        self.conn, self.now, self.size, self.console = conn, now, max(1, size), console
        self.context = context
        self.records: list[Record] = []
        self.rejects: list[dict[str, Any]] = []
        self.formats: dict[str, str] = {}  # source -> format, of this batch's records
        self.imported = self.duplicates = self.rejected = 0
        self.source, self.fmt, self.file_rejects = "", "", 0
        self._writer = (  # SQLite leaves Python's lock while it stores a statement's rows
            ThreadPoolExecutor(1, thread_name_prefix="ingest-writer")
            if conn.dialect.name == "sqlite" else None
        )  # fmt: skip
        self._writing: Future[store.Stored] | None = None

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, kind, error, trace) -> None:
        try:
            if kind is None:
                self.flush()
                self._settle()
        finally:  # the connection closes after this: never while the writer still uses it
            if self._writing is not None:
                _wait_through_interrupts(self._writing)
            if self._writer is not None:
                self._writer.shutdown(wait=True)

    def start_file(self, source: str, fmt: str) -> None:
        """Note which file the next records come from."""
        self.source = source if len(source) <= 500 else "..." + source[-497:]
        self.fmt, self.file_rejects = fmt, 0

    def end_file(self) -> None:
        """Summarise the rejected records of the file not shown one by one."""
        hidden = self.file_rejects - _SHOWN_PER_FILE
        if hidden > 0:
            self._say(f"... and {hidden} more rejected records in {self.source} (see quarantine)")

    def add(self, item: Record | Rejected) -> None:
        """Take one record or reject; write the batch when it is full."""
        if isinstance(item, Record):
            item.row["source"] = self.source
            self.formats[self.source] = self.fmt  # for a row the database refuses
            enrich.prepare(item.row, self.context)  # text analysis while the writer works
            self.records.append(item)
        else:
            self.reject(item.locator, item.reason, item.raw)
        if len(self.records) + len(self.rejects) >= self.size:
            self.flush()

    def reject(self, locator: str, reason: str, raw: bytes, *, fmt: str | None = None) -> None:
        """Queue a quarantine row and report it on the console."""
        row = store.quarantine_row(self.source, locator, reason, raw, fmt or self.fmt, self.now)
        self.rejects.append(row)
        self._count_reject(self.source, locator, reason)

    def flush(self) -> None:
        """Hand the pending records and rejects to the writer, as one transaction."""
        self._settle()  # the batch before is committed: look-ups below see it
        take_import_lock(self.conn)  # and no other import's batch interleaves with it
        rows = self._new_rows()
        if rows:
            new = {id(row) for row in rows}
            records = [r for r in self.records if id(r.row) in new]
            resolve_contacts(self.conn, records, now=self.now)
            enrich.enrich_batch(self.conn, rows, now=self.now)
            rollup.add_rows(self.conn, rows)  # Insights' daily counts, same transaction
        statements = self._statements(rows)
        job = (store.write, self.conn, rows, statements, self.rejects, self.formats, self.now)
        self.records, self.rejects, self.formats = [], [], {}
        self._writing = self._writer.submit(*job) if self._writer else store.run_now(*job)

    def commit(self) -> None:
        """Store the pending records now, and wait until they are committed."""
        self.flush()
        self._settle()

    def _statements(self, rows: list[dict[str, Any]]) -> list[tuple[str | None, Any]]:
        """Return the INSERT statements of `rows`, worked out here: the writer thread spends
        its time inside SQLite, not in Python (where it would wait for the reading thread)."""
        if self._writer is None:
            return [(None, rows)]  # SQLAlchemy's executemany (psycopg batches it)
        return sqlrows.statements(self.conn.connection.driver_connection, rows)

    def _settle(self) -> None:
        """Wait for the batch being written; count what it stored and what it refused."""
        writing = self._writing
        if writing is None:
            return
        try:
            imported, duplicates, refused = writing.result()  # its database error propagates
        finally:  # an interrupt while waiting leaves it unfinished, for `__exit__` to wait on
            if writing.done():
                self._writing = None
        self.imported += imported
        self.duplicates += duplicates
        for source, locator, reason in refused:
            self._count_reject(source, locator, reason)

    def _new_rows(self) -> list[dict[str, Any]]:
        fresh: dict[tuple[str, str], dict[str, Any]] = {}
        for rec in self.records:
            fresh.setdefault((rec.row["channel"], rec.row["external_id"]), rec.row)
        stored = self._stored(list(fresh))
        rows = [row for key, row in fresh.items() if key not in stored]
        self.duplicates += len(self.records) - len(rows)
        for row in rows:
            row["imported_at"] = self.now
        return rows

    def _stored(self, keys: list[tuple[str, str]]) -> set[tuple[str, str]]:
        found: set[tuple[str, str]] = set()
        for channel in {c for c, _ in keys}:
            ids = [i for c, i in keys if c == channel]
            query = sa.select(_MSG.c.external_id).where(
                _MSG.c.channel == channel, among(self.conn, _MSG.c.external_id, ids)
            )
            found.update((channel, i) for i in self.conn.execute(query).scalars())
        return found

    def _count_reject(self, source: str, locator: str, reason: str) -> None:
        self.rejected += 1
        self.file_rejects += 1
        if self.file_rejects <= _SHOWN_PER_FILE:
            self._say(f"rejected {source} {locator}: {reason}")

    def _say(self, line: str) -> None:
        self.console.print(line, markup=False, soft_wrap=True, highlight=False)


def _wait_through_interrupts(writing: Future) -> None:
    """Wait until the writer has finished its batch, even through another Ctrl-C."""
    while True:
        try:
            wait([writing])
            return
        except KeyboardInterrupt:
            continue
