"""Full JSON backup and restore (`feedbackloop export` / `import`).

The backup is one JSON object: a format version and, per table, its rows. Timestamps are ISO
8601 with offset, bytes are base64. Export streams the rows (memory stays flat) into a temporary
file beside the target and renames it over the target once complete, so a full disk never
leaves a truncated backup. Restore reads the whole file into memory (some 7 KB a message), into
an empty database only, so it can never merge two histories by accident, and in one
transaction: a hand-edited backup with a bad value or a dangling link is refused whole, naming
the table and row. The Insights rollups are derived data: left out of the backup and recomputed
after a restore, so a backup edited by hand still reads right.
"""

from __future__ import annotations

import base64
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from db import (
    itemrebuild,
    models,  # noqa: F401  (registers the tables)
    rollup,
)
from db.errors import InvalidInput, first_line

FORMAT = "feedbackloop-backup/1"
EXPORT_CHUNK = 2000  # rows fetched at a time while exporting
# Rollups recomputed from the other tables after a restore: never written to a backup.
DERIVED = {"message_day", "item_fact", "item_day", "link_day", "forward_day", "forward_msg"}


def _stored_tables() -> list[sa.Table]:
    return [t for t in SQLModel.metadata.sorted_tables if t.name not in DERIVED]


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return {"b64": base64.b64encode(value).decode("ascii")}
    return value


def _decode(column: sa.Column, value: Any) -> Any:
    """Turn a JSON value back into the column's; ValueError says what was expected instead."""
    if value is None:
        return None
    if isinstance(column.type, models.UTCDateTime):
        return _parsed(_aware, value, column, "an ISO 8601 time with offset")
    if isinstance(column.type, sa.Date):
        return _parsed(date.fromisoformat, value, column, "a YYYY-MM-DD date")
    if isinstance(column.type, sa.LargeBinary):
        return _parsed(_unbase64, value, column, 'an object {"b64": "<base64>"}')
    return value


def _parsed(parse: Any, value: Any, column: sa.Column, expected: str) -> Any:
    try:
        return parse(value)
    except (ValueError, TypeError, KeyError):  # what the parsers raise for a wrong value
        raise ValueError(f"{column.name} is {value!r}, not {expected}") from None


def _aware(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("no UTC offset")
    return moment


def _unbase64(value: dict) -> bytes:
    return base64.b64decode(value["b64"], validate=True)


def export_all(engine: Engine, path: Path) -> dict[str, int]:
    """Write every table to `path` as JSON, streamed row by row; return the row count per table.

    Memory stays flat whatever the size of the database: rows are fetched in chunks (a
    server-side cursor on PostgreSQL) and written as they come."""
    counts: dict[str, int] = {}
    with engine.connect() as conn, _replacing(path) as out:
        out.write(f'{{"format": {json.dumps(FORMAT)}, "tables": {{')
        for t, table in enumerate(_stored_tables()):
            out.write(f"{', ' if t else ''}{json.dumps(table.name)}: [")
            query = sa.select(table).order_by(*table.primary_key.columns)
            rows = conn.execution_options(stream_results=True, yield_per=EXPORT_CHUNK)
            n = 0
            for n, row in enumerate(rows.execute(query), 1):
                out.write((", " if n > 1 else "") + json.dumps(_encoded(row)))
            out.write("]")
            counts[table.name] = n
        out.write("}}\n")
    return counts


def _encoded(row: sa.Row) -> dict[str, Any]:
    return {k: _encode(v) for k, v in row._mapping.items()}


@contextmanager
def _replacing(path: Path) -> Iterator[TextIO]:
    """Yield a temporary file beside `path`; rename it over `path` once written and synced."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())  # on disk before the rename, or a crash could leave it empty
        os.replace(temp, path)
    except BaseException:  # a failed write or Ctrl-C: leave no half-written file behind
        os.unlink(temp)
        raise


def _read_backup(path: Path) -> dict[str, list[dict]]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InvalidInput(f"cannot read backup {path}: {e}") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise InvalidInput(f"{path} is not a Feedback Loop backup ({FORMAT})")
    tables = doc.get("tables")
    if not isinstance(tables, dict):
        raise InvalidInput(f'{path} has no "tables" object')
    for name, rows in tables.items():
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise InvalidInput(f"{path}: table {name} must be a list of row objects")
    return tables


def import_all(engine: Engine, path: Path) -> dict[str, int]:
    """Restore a backup into an empty database; return the row count per table."""
    tables = _read_backup(path)
    ids = _linked_ids(tables)
    counts: dict[str, int] = {}
    with engine.begin() as conn:
        for table in _stored_tables():
            if conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one():
                raise InvalidInput(f"table {table.name} is not empty; restore needs an empty db")
        for table in _stored_tables():
            rows = [_row(table, n, row, ids) for n, row in enumerate(tables.get(table.name, []), 1)]
            try:
                _insert(conn, table, rows)
            except sa.exc.StatementError as e:  # a constraint or a type the database refused
                raise InvalidInput(f"table {table.name}: {first_line(e.orig or e)}") from None
            counts[table.name] = len(rows)
        if conn.dialect.name == "postgresql":
            _reset_sequences(conn)
        rollup.rebuild(conn)
        itemrebuild.rebuild(conn)
    return counts


def _linked_ids(tables: dict[str, list[dict]]) -> dict[sa.Column, set]:
    """Return the values in the backup of every column a foreign key points to."""
    targets = {fk.column for t in _stored_tables() for fk in t.foreign_keys}
    return {c: {row.get(c.name) for row in tables.get(c.table.name, [])} for c in targets}


def _row(table: sa.Table, n: int, row: dict, ids: dict[sa.Column, set]) -> dict:
    """Decode row `n` of a table and check its links, naming the table and row if either fails."""
    try:
        for fk in table.foreign_keys:
            value = row.get(fk.parent.name)
            if value is not None and value not in ids[fk.column]:
                to = fk.column.table.name
                raise ValueError(f"{fk.parent.name} {value!r} refers to no {to} in the backup")
        return {k: _decode(table.c[k], v) for k, v in row.items() if k in table.c}
    except ValueError as e:
        raise InvalidInput(f"table {table.name}, row {n}: {e}") from None


def _insert(conn: sa.Connection, table: sa.Table, rows: list[dict]) -> None:
    """Insert rows; links within the table (an item's duplicate_of) are set in a second pass."""
    if not rows:
        return
    own = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
    conn.execute(table.insert(), [{**r, **dict.fromkeys(own)} for r in rows])
    pk = next(iter(table.primary_key.columns))
    for row in rows:
        links = {c: row[c] for c in own if row.get(c) is not None}
        if links:
            conn.execute(table.update().where(pk == row[pk.name]).values(**links))


def _reset_sequences(conn: sa.Connection) -> None:
    """Move each serial id sequence past the restored ids."""
    for table in SQLModel.metadata.sorted_tables:
        pk = list(table.primary_key.columns)
        if len(pk) == 1 and isinstance(pk[0].type, sa.Integer):
            conn.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', '{pk[0].name}'), "
                    f'COALESCE((SELECT MAX({pk[0].name}) FROM "{table.name}"), 0) + 1, false)'
                )
            )
