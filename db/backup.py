"""Full JSON backup and restore (`feedbackloop export` / `import`).

The backup is one JSON object: a format version and, per table, its rows (`db.backupfile`).
Export streams the rows (memory stays flat) into a temporary file beside the target and renames
it over the target once complete, so a full disk never leaves a truncated backup. Restore
streams too, a chunk of rows at a time, into an empty database only, so it can never merge two
histories by accident, and in one transaction: a hand-edited backup with a bad value or a
dangling link is refused whole, naming the table and row. The Insights rollups are derived
data: left out of the backup and recomputed after a restore, so a backup edited by hand still
reads right.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Any, TextIO

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from db import (
    backupfile,
    itemrebuild,
    models,  # noqa: F401  (registers the tables)
    rollup,
)
from db.backupfile import FORMAT
from db.errors import InvalidInput, first_line

EXPORT_CHUNK = 2000  # rows fetched at a time while exporting
IMPORT_CHUNK = 500  # rows checked and inserted at a time while restoring
# Rollups recomputed from the other tables after a restore: never written to a backup.
DERIVED = {"message_day", "item_fact", "item_day", "link_day", "forward_day", "forward_msg"}


def _stored_tables() -> list[sa.Table]:
    return [t for t in SQLModel.metadata.sorted_tables if t.name not in DERIVED]


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
    return {k: backupfile.encode(v) for k, v in row._mapping.items()}


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


def import_all(engine: Engine, path: Path) -> dict[str, int]:
    """Restore a backup into an empty database; return the row count per table."""
    tables = {t.name: t for t in _stored_tables()}
    counts = dict.fromkeys(tables, 0)
    with engine.begin() as conn:
        for table in tables.values():
            if conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one():
                raise InvalidInput(f"table {table.name} is not empty; restore needs an empty db")
        for table, rows in backupfile.in_link_order(path, tables):
            counts[table.name] = _restore(conn, table, rows)
        if conn.dialect.name == "postgresql":
            _reset_sequences(conn)
        rollup.rebuild(conn)
        itemrebuild.rebuild(conn)
    return counts


def _restore(conn: sa.Connection, table: sa.Table, rows: Iterator[dict]) -> int:
    """Check and insert a table's rows, a chunk at a time; return how many there were.

    The tables a row links to are in already, so its links are looked up in the database (no
    set of ids that grows with the backup). Links within the table (an item's duplicate_of) may
    point to a later row: they are checked and set once every row is in."""
    own = [fk for fk in table.foreign_keys if fk.column.table is table]
    pk = next(iter(table.primary_key.columns)).name
    within: list[tuple[int, Any, dict]] = []  # (row number, primary key, links within the table)
    numbered, count = enumerate(rows, 1), 0
    while chunk := list(islice(numbered, IMPORT_CHUNK)):
        with _refused(table):  # a link PostgreSQL cannot compare with an id (true, say)
            found = {
                fk: _present(conn, fk, [row.get(fk.parent.name) for _, row in chunk])
                for fk in table.foreign_keys
                if fk not in own
            }
        values = [_row(table, n, row, found) for n, row in chunk]
        for (n, _), v in zip(chunk, values, strict=True):
            if links := {fk: v[fk.parent.name] for fk in own if v.get(fk.parent.name) is not None}:
                within.append((n, v[pk], links))
        with _refused(table):
            nulls = {fk.parent.name: None for fk in own}
            conn.execute(table.insert(), [{**v, **nulls} for v in values])
        count += len(values)
    _link_within(conn, table, within)
    return count


def _present(conn: sa.Connection, fk: sa.ForeignKey, values: list) -> set:
    """Return which of `values` the column `fk` points to holds (in the rows restored so far)."""
    typed = {v for v in values if isinstance(v, fk.column.type.python_type)}  # others match none
    query = sa.select(fk.column).where(fk.column.in_(list(typed)))
    return set(conn.execute(query).scalars()) if typed else set()


def _row(table: sa.Table, n: int, row: dict, found: dict[sa.ForeignKey, set]) -> dict:
    """Decode row `n` of a table and check its links to other tables."""
    with _at_row(table, n):
        for fk, present in found.items():
            _check_link(fk, row.get(fk.parent.name), present)
        return {k: backupfile.decode(table.c[k], v) for k, v in row.items() if k in table.c}


def _link_within(conn: sa.Connection, table: sa.Table, within: list) -> None:
    """Check and set the links between rows of one table, now that all of them are in."""
    pk = next(iter(table.primary_key.columns))
    for n, key, links in within:
        with _at_row(table, n):
            for fk, value in links.items():
                _check_link(fk, value, _present(conn, fk, [value]))
        with _refused(table):
            conn.execute(
                table.update()
                .where(pk == key)
                .values({fk.parent.name: v for fk, v in links.items()})
            )


def _check_link(fk: sa.ForeignKey, value: Any, present: set) -> None:
    if value is not None and value not in present:
        to = fk.column.table.name
        raise ValueError(f"{fk.parent.name} {value!r} refers to no {to} in the backup")


@contextmanager
def _at_row(table: sa.Table, n: int) -> Iterator[None]:
    """Refuse a bad value or link in one line naming the table and row."""
    try:
        yield
    except ValueError as e:
        raise InvalidInput(f"table {table.name}, row {n}: {e}") from None


@contextmanager
def _refused(table: sa.Table) -> Iterator[None]:
    """Refuse in one line, naming the table, rows the database turns down (a constraint, a type)."""
    try:
        yield
    except sa.exc.StatementError as e:
        raise InvalidInput(f"table {table.name}: {first_line(e.orig or e)}") from None


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
