"""Message rows as SQLite's driver takes them: serialised as SQLAlchemy would, many to a statement.

SQLAlchemy's own executemany costs more Python per row than SQLite spends storing it. Here a
batch becomes multi-row `INSERT ... VALUES (...), (...)` statements of as many rows as the
connection's bound-parameter limit allows, with every value serialised exactly as SQLAlchemy
stores it (JSON text, naive UTC timestamps), so the rows read back the same either way. One
statement is one step inside SQLite, during which Python's lock is free for the other thread.
"""

from __future__ import annotations

import operator
import sqlite3
from typing import Any

import sqlalchemy as sa

from db.ingest.records import dumps, sqlite_time
from db.models import Message, UTCDateTime

_COLUMNS = [c for c in Message.__table__.columns if c.name != "id"]
_GET = operator.itemgetter(*(c.name for c in _COLUMNS))
_JSON_AT = [i for i, c in enumerate(_COLUMNS) if isinstance(c.type, sa.JSON)]
_TIME_AT = [i for i, c in enumerate(_COLUMNS) if isinstance(c.type, UTCDateTime)]
_HEAD = "INSERT INTO message ({}) VALUES ".format(", ".join(f'"{c.name}"' for c in _COLUMNS))
_ONE = "(" + ",".join("?" * len(_COLUMNS)) + ")"
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
        params.append(tuple(values))
    return params


def statements(raw: sqlite3.Connection, rows: list[dict[str, Any]]) -> list[tuple[str, tuple]]:
    """Return (SQL, flat parameters) pairs inserting `rows`: as few statements as the driver's
    bound-parameter limit allows."""
    limit = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per = max(1, min(ROWS_MAX, limit // len(_COLUMNS)))
    params = sqlite_params(rows)
    return [
        (_HEAD + ",".join([_ONE] * len(chunk)), tuple(v for row in chunk for v in row))
        for chunk in (params[start : start + per] for start in range(0, len(params), per))
    ]
