"""Full JSON backup and restore (`feedbackloop export` / `import`).

The backup is one JSON object: a format version and, per table, its rows. Timestamps are ISO
8601 with offset, bytes are base64. Restore goes into an empty database only, so it can never
merge two histories by accident. The Insights rollups are derived data: left out of the backup
and recomputed after a restore, so a backup edited by hand still reads right.
"""

from __future__ import annotations

import base64
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from db import (
    itemrebuild,
    models,  # noqa: F401  (registers the tables)
    rollup,
)
from db.errors import InvalidInput

FORMAT = "feedbackloop-backup/1"
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
    if value is None:
        return None
    if isinstance(column.type, models.UTCDateTime):
        return datetime.fromisoformat(value)
    if isinstance(column.type, sa.Date):
        return date.fromisoformat(value)
    if isinstance(column.type, sa.LargeBinary):
        return base64.b64decode(value["b64"])
    return value


def export_all(engine: Engine, path: Path) -> dict[str, int]:
    """Write every table to `path` as JSON; return the row count per table."""
    data: dict[str, list[dict]] = {}
    with engine.connect() as conn:
        for table in _stored_tables():
            rows = conn.execute(sa.select(table).order_by(*table.primary_key.columns))
            data[table.name] = [{k: _encode(v) for k, v in r._mapping.items()} for r in rows]
    path.write_text(json.dumps({"format": FORMAT, "tables": data}), encoding="utf-8")
    return {name: len(rows) for name, rows in data.items()}


def _read_backup(path: Path) -> dict[str, list[dict]]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InvalidInput(f"cannot read backup {path}: {e}") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise InvalidInput(f"{path} is not a Feedback Loop backup ({FORMAT})")
    return doc["tables"]


def import_all(engine: Engine, path: Path) -> dict[str, int]:
    """Restore a backup into an empty database; return the row count per table."""
    tables = _read_backup(path)
    counts: dict[str, int] = {}
    with engine.begin() as conn:
        for table in _stored_tables():
            if conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one():
                raise InvalidInput(f"table {table.name} is not empty; restore needs an empty db")
        for table in _stored_tables():
            rows = [
                {k: _decode(table.c[k], v) for k, v in row.items() if k in table.c}
                for row in tables.get(table.name, [])
            ]
            _insert(conn, table, rows)
            counts[table.name] = len(rows)
        if conn.dialect.name == "postgresql":
            _reset_sequences(conn)
        rollup.rebuild(conn)
        itemrebuild.rebuild(conn)
    return counts


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
