"""One batch of an import: de-duplicate, match contacts, score, bulk insert, quarantine, commit.

The pipeline adds records and rejects as it reads; every `size` records the batch is written in
one transaction. While a batch is being stored, the next one is read: its rows are inserted and
committed by a writer thread, and SQLite and psycopg leave Python's lock while they work, so the
B-tree work of one batch runs on the second core beside the parsing and text analysis of the
next. The reading thread waits for the writer before it looks anything up (stored duplicates,
contacts, themes), so every batch sees the ones before it exactly as in a sequential import.
New rows go in with multi-row INSERT statements: on SQLite through the driver with values
serialised exactly as SQLAlchemy would (several times faster), one statement a thousand rows. If
the database refuses a batch (say another import stored the same message a moment earlier) its
rows are retried one by one; a row still refused goes to quarantine, never silently lost.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from rich.console import Console
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError

from db import enrich, rollup
from db.ingest import sqlrows
from db.ingest.among import among
from db.ingest.contacts import resolve_contacts
from db.ingest.records import QUARANTINE_CAP, Record, Rejected
from db.models import Message, Quarantine

_MSG = Message.__table__
_QUAR = Quarantine.__table__
_SHOWN_PER_FILE = 20

Refused = tuple[str, str, str]  # (source, locator, reason) of a row the database refused


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
        self._writing: Future[tuple[int, int, list[Refused]]] | None = None

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, kind, error, trace) -> None:
        try:
            if kind is None:
                self.flush()
                self._settle()
            elif self._writing is not None:
                self._writing.exception()  # wait, but let the error in flight propagate
        finally:
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
        self.rejects.append(_quarantine_row(self.source, locator, reason, raw, fmt or self.fmt,
                                            self.now))  # fmt: skip
        self._count_reject(self.source, locator, reason)

    def flush(self) -> None:
        """Hand the pending records and rejects to the writer, as one transaction."""
        self._settle()  # the batch before is committed: look-ups below see it
        rows = self._new_rows()
        if rows:
            new = {id(row) for row in rows}
            records = [r for r in self.records if id(r.row) in new]
            resolve_contacts(self.conn, records, now=self.now)
            enrich.enrich_batch(self.conn, rows, now=self.now)
            rollup.add_rows(self.conn, rows)  # Insights' daily counts, same transaction
        job = (self._write, rows, self._statements(rows), self.rejects, self.formats)
        self.records, self.rejects, self.formats = [], [], {}
        self._writing = self._writer.submit(*job) if self._writer else _run_now(*job)

    def _statements(self, rows: list[dict[str, Any]]) -> list[tuple[str | None, Any]]:
        """Return the INSERT statements of `rows`, worked out here: the writer thread spends
        its time inside SQLite, not in Python (where it would wait for the reading thread)."""
        if self._writer is None:
            return [(None, rows)]  # SQLAlchemy's executemany (psycopg batches it)
        return sqlrows.statements(self.conn.connection.driver_connection, rows)

    def _settle(self) -> None:
        """Wait for the batch being written; count what it stored and what it refused."""
        writing, self._writing = self._writing, None
        if writing is None:
            return
        imported, duplicates, refused = writing.result()  # its database error propagates
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

    # -- the writer thread: nothing below touches the batch's state, only the connection --

    def _write(
        self, rows: list[dict[str, Any]], statements: list, rejects: list[dict[str, Any]],
        formats: dict[str, str],
    ) -> tuple[int, int, list[Refused]]:  # fmt: skip
        """Insert `rows` and quarantine `rejects` in one transaction; return how many rows
        were stored, how many were duplicates after all, and the rows the database refused."""
        imported, duplicates, refused = self._insert(rows, statements) if rows else (0, 0, [])
        bounced = [
            _quarantine_row(row["source"], row["external_id"], reason,
                            (row["raw"] or "").encode(), formats.get(row["source"], ""), self.now)
            for row, reason in refused
        ]  # fmt: skip
        if rejects or bounced:
            self._quarantine([*rejects, *bounced])
        self.conn.commit()
        return imported, duplicates, [(q["source"], q["locator"], q["reason"]) for q in bounced]

    def _insert(self, rows: list[dict[str, Any]], inserts: list) -> tuple[int, int, list]:
        try:
            with self.conn.begin_nested():
                for sql, params in inserts:
                    if sql is None:
                        self.conn.execute(sa.insert(_MSG), params)
                    else:
                        self.conn.exec_driver_sql(sql, params)
            return len(rows), 0, []
        except DBAPIError:
            pass  # some row is refused: find it below
        imported, duplicates, refused = 0, 0, []
        for row in rows:
            try:
                with self.conn.begin_nested():
                    self.conn.execute(sa.insert(_MSG), [row])
                imported += 1
                continue
            except IntegrityError:
                duplicates += 1  # stored by a concurrent import meanwhile
            except SQLAlchemyError as e:
                refused.append((row, f"database refused the record: "
                                     f"{str(e.orig or e).splitlines()[0]}"))  # fmt: skip
            rollup.add_rows(self.conn, [row], sign=-1)  # the batch counted it ahead
        return imported, duplicates, refused

    def _quarantine(self, rejects: list[dict[str, Any]]) -> None:
        """Insert the rejects, skipping those quarantined by an earlier run of the same file."""
        sources = {r["source"] for r in rejects}
        locators = {r["locator"] for r in rejects}
        query = sa.select(_QUAR.c.source, _QUAR.c.locator, _QUAR.c.reason).where(
            _QUAR.c.source.in_(sources), _QUAR.c.locator.in_(locators)
        )
        seen = {tuple(r) for r in self.conn.execute(query)}
        rows = [r for r in rejects if (r["source"], r["locator"], r["reason"]) not in seen]
        if rows:
            self.conn.execute(sa.insert(_QUAR), rows)

    def _count_reject(self, source: str, locator: str, reason: str) -> None:
        self.rejected += 1
        self.file_rejects += 1
        if self.file_rejects <= _SHOWN_PER_FILE:
            self._say(f"rejected {source} {locator}: {reason}")

    def _say(self, line: str) -> None:
        self.console.print(line, markup=False, soft_wrap=True, highlight=False)


def _run_now(fn, *args) -> Future:
    """Run `fn` here; return its outcome as a finished future, as the writer thread would."""
    done: Future = Future()
    try:
        done.set_result(fn(*args))
    except Exception as e:  # handed on by `_settle`, as from the writer thread
        done.set_exception(e)
    return done


def _quarantine_row(source: str, locator: str, reason: str, raw: bytes, fmt: str,
                    now: datetime) -> dict[str, Any]:  # fmt: skip
    """Return a Quarantine row; raw bytes beyond the cap are cut, and the reason says so."""
    if len(raw) > QUARANTINE_CAP:
        reason += f" (raw bytes cut to {QUARANTINE_CAP} of {len(raw)})"
        raw = raw[:QUARANTINE_CAP]
    return {"source": source, "locator": locator[:100], "fmt": fmt, "reason": reason,
            "raw": raw, "created_at": now}  # fmt: skip
