"""Message rows as SQLite's driver takes them: serialised as SQLAlchemy would, many to a statement.

SQLAlchemy's own executemany costs more Python per row than SQLite spends storing it. Here a
batch becomes multi-row `INSERT ... VALUES (...), (...)` statements of as many rows as the
connection's bound-parameter limit allows, with every value serialised exactly as SQLAlchemy
stores it (JSON text, naive UTC timestamps), so the rows read back the same either way. One
statement is one step inside SQLite, during which Python's lock is free for the other thread.

Binding holds Python's lock, and the driver binds an int, float or str directly but sends None
and bool through its adapter registry first, several times slower. So flags go in as 0/1 (what
SQLAlchemy stores for them), and a column that is NULL in every row of a statement (a tweet's
subject, every new message's item) is left out of it: SQLite stores NULL there itself.
"""

from __future__ import annotations

import operator
import sqlite3
from functools import lru_cache
from typing import Any

import sqlalchemy as sa

from db.ingest.codec import dumps, sqlite_time
from db.models import Message, UTCDateTime

_COLUMNS = [c for c in Message.__table__.columns if c.name != "id"]
_GET = operator.itemgetter(*(c.name for c in _COLUMNS))
_JSON_AT = [i for i, c in enumerate(_COLUMNS) if isinstance(c.type, sa.JSON)]
_TIME_AT = [i for i, c in enumerate(_COLUMNS) if isinstance(c.type, UTCDateTime)]
_FLAG_AT = [i for i, c in enumerate(_COLUMNS) if isinstance(c.type, sa.Boolean)]
_NULLABLE_AT = [i for i, c in enumerate(_COLUMNS) if c.nullable and c.server_default is None]
ROWS_MAX = 1000  # rows a statement: longer statements gain nothing and cost parsing


def sqlite_params(rows: list[dict[str, Any]]) -> list[tuple]:
    """Serialise rows exactly as SQLAlchemy stores them on SQLite, one tuple a row."""
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
                text = times[value] = sqlite_time(value)
            values[i] = text
        for i in _FLAG_AT:
            values[i] = 1 if values[i] else 0
        params.append(tuple(values))
    return params


def statements(raw: sqlite3.Connection, rows: list[dict[str, Any]]) -> list[tuple[str, tuple]]:
    """Return (SQL, flat parameters) pairs inserting `rows`: as few statements as the driver's
    bound-parameter limit allows."""
    limit = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per = max(1, min(ROWS_MAX, limit // len(_COLUMNS)))
    params = sqlite_params(rows)
    out = []
    for start in range(0, len(params), per):
        chunk = params[start : start + per]
        null = [i for i in _NULLABLE_AT if _all_none(chunk, i)]
        if null:
            kept = operator.itemgetter(*(i for i in range(len(_COLUMNS)) if i not in null))
            chunk = [kept(row) for row in chunk]
        out.append((_head(tuple(null)) + _values(len(_COLUMNS) - len(null), len(chunk)),
                    tuple(v for row in chunk for v in row)))  # fmt: skip
    return out


def _all_none(rows: list[tuple], i: int) -> bool:
    """Return whether column `i` is None in every row (by identity: no text is hashed)."""
    return list(map(operator.itemgetter(i), rows)).count(None) == len(rows)


@lru_cache(maxsize=64)
def _head(left_out: tuple[int, ...]) -> str:
    names = ", ".join(f'"{c.name}"' for i, c in enumerate(_COLUMNS) if i not in left_out)
    return f"INSERT INTO message ({names}) VALUES "


@lru_cache(maxsize=8)  # a full statement's, and a batch's last one
def _values(columns: int, rows: int) -> str:
    return ",".join(["(" + ",".join("?" * columns) + ")"] * rows)
