"""Storing one batch of an import in one transaction: what the writer thread runs.

`write` inserts the batch's message rows (statements prepared by the reading thread: multi-row
INSERTs on SQLite), quarantines its rejects, and commits. If the database refuses the batch (say
another import stored the same message a moment earlier) its rows are retried one by one: a
row already stored counts as a duplicate, any other row refused goes to quarantine, never
silently lost, and either is taken off Insights' daily counts, which were added ahead.
"""

from __future__ import annotations

from concurrent.futures import Future
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError

from db import rollup
from db.ingest.records import QUARANTINE_CAP
from db.models import Message, Quarantine

_MSG = Message.__table__
_QUAR = Quarantine.__table__

Refused = tuple[str, str, str]  # (source, locator, reason) of a row the database refused
Stored = tuple[int, int, list[Refused]]  # (imported, duplicates after all, refused)


def write(
    conn: Connection,
    rows: list[dict[str, Any]],
    inserts: list[tuple[str | None, Any]],
    rejects: list[dict[str, Any]],
    formats: dict[str, str],
    now: datetime,
) -> Stored:
    """Insert `rows` (by `inserts`: driver SQL and flat parameters, or None and the rows for
    SQLAlchemy) and quarantine `rejects` in one transaction, then commit."""
    imported, duplicates, refused = _insert(conn, rows, inserts) if rows else (0, 0, [])
    bounced = [
        quarantine_row(row["source"], row["external_id"], reason,
                       (row["raw"] or "").encode(), formats.get(row["source"], ""), now)
        for row, reason in refused
    ]  # fmt: skip
    if rejects or bounced:
        _quarantine(conn, [*rejects, *bounced])
    conn.commit()
    return imported, duplicates, [(q["source"], q["locator"], q["reason"]) for q in bounced]


def run_now(fn, *args) -> Future:
    """Run `fn` here; return its outcome as a finished future, as the writer thread would."""
    done: Future = Future()
    try:
        done.set_result(fn(*args))
    except Exception as e:  # raised where the batch settles, as from the writer thread
        done.set_exception(e)
    return done


def quarantine_row(
    source: str, locator: str, reason: str, raw: bytes, fmt: str, now: datetime
) -> dict[str, Any]:
    """Return a Quarantine row; raw bytes beyond the cap are cut, and the reason says so."""
    if len(raw) > QUARANTINE_CAP:
        reason += f" (raw bytes cut to {QUARANTINE_CAP} of {len(raw)})"
        raw = raw[:QUARANTINE_CAP]
    return {"source": source, "locator": locator[:100], "fmt": fmt, "reason": reason,
            "raw": raw, "created_at": now}  # fmt: skip


def _insert(conn: Connection, rows: list[dict[str, Any]], inserts: list) -> tuple[int, int, list]:
    try:
        with conn.begin_nested():
            for sql, params in inserts:
                if sql is None:
                    conn.execute(sa.insert(_MSG), params)
                else:
                    conn.exec_driver_sql(sql, params)
        return len(rows), 0, []
    except DBAPIError:
        pass  # some row is refused: find it below
    imported, duplicates, refused = 0, 0, []
    for row in rows:
        try:
            with conn.begin_nested():
                conn.execute(sa.insert(_MSG), [row])
            imported += 1
            continue
        except SQLAlchemyError as e:
            if isinstance(e, IntegrityError) and _stored(conn, row):
                duplicates += 1  # stored by a concurrent import meanwhile
            else:
                refused.append((row, f"database refused the record: "
                                     f"{str(e.orig or e).splitlines()[0]}"))  # fmt: skip
        rollup.add_rows(conn, [row], sign=-1)  # the batch counted it ahead
    return imported, duplicates, refused


def _stored(conn: Connection, row: dict[str, Any]) -> bool:
    """Return whether a message with the row's channel and external id is stored."""
    query = sa.select(_MSG.c.id).where(
        _MSG.c.channel == row["channel"], _MSG.c.external_id == row["external_id"]
    )
    return conn.execute(query.limit(1)).first() is not None


def _quarantine(conn: Connection, rejects: list[dict[str, Any]]) -> None:
    """Insert the rejects, skipping those quarantined by an earlier run of the same file."""
    sources = {r["source"] for r in rejects}
    locators = {r["locator"] for r in rejects}
    query = sa.select(_QUAR.c.source, _QUAR.c.locator, _QUAR.c.reason).where(
        _QUAR.c.source.in_(sources), _QUAR.c.locator.in_(locators)
    )
    seen = {tuple(r) for r in conn.execute(query)}
    rows = [r for r in rejects if (r["source"], r["locator"], r["reason"]) not in seen]
    if rows:
        conn.execute(sa.insert(_QUAR), rows)
