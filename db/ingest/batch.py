"""One batch of an import: de-duplicate, match contacts, score, bulk insert, quarantine, commit.

The pipeline adds records and rejects as it reads; every `size` records the batch is written in
one transaction. New rows go in with one executemany: SQLAlchemy Core, or on SQLite the driver
itself with values serialised exactly as SQLAlchemy would (several times faster). If the
database refuses the batch (say another import stored the same message a moment earlier) the
rows are retried one by one; a row still refused goes to quarantine, never silently lost.
"""

from __future__ import annotations

import operator
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from rich.console import Console
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError

from db import enrich, rollup
from db.ingest.among import among
from db.ingest.contacts import resolve_contacts
from db.ingest.records import QUARANTINE_CAP, Record, Rejected, dumps
from db.ingest.records import sqlite_time as _sqlite_time
from db.models import Message, Quarantine, UTCDateTime

_MSG = Message.__table__
_QUAR = Quarantine.__table__
_SHOWN_PER_FILE = 20


_COLUMNS = [c for c in _MSG.columns if c.name != "id"]
_GET = operator.itemgetter(*(c.name for c in _COLUMNS))
_JSON_AT = [i for i, c in enumerate(_COLUMNS) if isinstance(c.type, sa.JSON)]
_TIME_AT = [i for i, c in enumerate(_COLUMNS) if isinstance(c.type, UTCDateTime)]
_SQLITE_INSERT = "INSERT INTO message ({}) VALUES ({})".format(
    ", ".join(f'"{c.name}"' for c in _COLUMNS), ", ".join("?" * len(_COLUMNS))
)


def sqlite_params(rows: list[dict[str, Any]]) -> list[tuple]:
    """Serialise rows exactly as SQLAlchemy stores them on SQLite, for a driver executemany."""
    params = []
    times: dict[Any, str | None] = {None: None}  # a batch shares its imported_at
    for row in rows:
        values = list(_GET(row))
        for i in _JSON_AT:
            value = values[i]
            values[i] = "[]" if value == [] else dumps(value)
        for i in _TIME_AT:
            value = values[i]
            text = times.get(value)
            if text is None and value is not None:
                text = times[value] = _sqlite_time(value)
            values[i] = text
        params.append(tuple(values))  # SQLAlchemy passes on tuples only
    return params


class Batch:
    """Accumulates records of an import run and writes them `size` at a time."""

    def __init__(self, conn: Connection, *, now: datetime, size: int, console: Console):
        self.conn, self.now, self.size, self.console = conn, now, max(1, size), console
        self.records: list[Record] = []
        self.rejects: list[dict[str, Any]] = []
        self.imported = self.duplicates = self.rejected = 0
        self.source, self.fmt, self.file_rejects = "", "", 0

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
            self.records.append(item)
        else:
            self.reject(item.locator, item.reason, item.raw)
        if len(self.records) + len(self.rejects) >= self.size:
            self.flush()

    def reject(self, locator: str, reason: str, raw: bytes, *, fmt: str | None = None) -> None:
        """Queue a quarantine row and report it on the console."""
        if len(raw) > QUARANTINE_CAP:
            reason += f" (raw bytes cut to {QUARANTINE_CAP} of {len(raw)})"
            raw = raw[:QUARANTINE_CAP]
        self.rejects.append(
            {
                "source": self.source,
                "locator": locator[:100],
                "fmt": fmt or self.fmt,
                "reason": reason,
                "raw": raw,
                "created_at": self.now,
            }
        )
        self.rejected += 1
        self.file_rejects += 1
        if self.file_rejects <= _SHOWN_PER_FILE:
            self._say(f"rejected {self.source} {locator}: {reason}")

    def flush(self) -> None:
        """Write the pending records and rejects in one committed transaction."""
        rows = self._new_rows()
        if rows:
            new = {id(row) for row in rows}
            records = [r for r in self.records if id(r.row) in new]
            resolve_contacts(self.conn, records, now=self.now)
            enrich.enrich_batch(self.conn, rows, now=self.now)
            self._insert(rows)
        if self.rejects:
            self._quarantine()
        self.conn.commit()
        self.records, self.rejects = [], []

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

    def _insert(self, rows: list[dict[str, Any]]) -> None:
        try:
            with self.conn.begin_nested():
                if self.conn.dialect.name == "sqlite":
                    self.conn.exec_driver_sql(_SQLITE_INSERT, sqlite_params(rows))
                else:
                    self.conn.execute(sa.insert(_MSG), rows)
                rollup.add_rows(self.conn, rows)  # Insights' daily counts, same transaction
            self.imported += len(rows)
            return
        except DBAPIError:
            pass  # some row is refused: find it below
        for row in rows:
            try:
                with self.conn.begin_nested():
                    self.conn.execute(sa.insert(_MSG), [row])
                    rollup.add_rows(self.conn, [row])
                self.imported += 1
            except IntegrityError:
                self.duplicates += 1  # stored by a concurrent import meanwhile
            except SQLAlchemyError as e:
                reason = f"database refused the record: {str(e.orig or e).splitlines()[0]}"
                self.reject(row["external_id"], reason, (row["raw"] or "").encode())

    def _quarantine(self) -> None:
        """Insert the rejects, skipping those quarantined by an earlier run of the same file."""
        sources = {r["source"] for r in self.rejects}
        locators = {r["locator"] for r in self.rejects}
        query = sa.select(_QUAR.c.source, _QUAR.c.locator, _QUAR.c.reason).where(
            _QUAR.c.source.in_(sources), _QUAR.c.locator.in_(locators)
        )
        seen = {tuple(r) for r in self.conn.execute(query)}
        rows = [r for r in self.rejects if (r["source"], r["locator"], r["reason"]) not in seen]
        if rows:
            self.conn.execute(sa.insert(_QUAR), rows)

    def _say(self, line: str) -> None:
        self.console.print(line, markup=False, soft_wrap=True, highlight=False)
