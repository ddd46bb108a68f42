"""`column IN (many values)` bound as one parameter, for the import's bulk look-ups.

SQLAlchemy's expanding IN renders one bound parameter per value, which costs more Python than
the look-up itself when a batch asks for thousands of keys (message ids, handles, theme keys).
Here the values travel as one parameter: a JSON array unpacked by SQLite's `json_each`, or a
PostgreSQL array compared with `= ANY`. Both use the column's index, like a literal IN list;
results keep their SQLAlchemy types.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection


def among(conn: Connection, column: Any, values: Sequence[Any]) -> Any:
    """Return the WHERE clause `column IN values` for `conn`'s dialect, with one parameter."""
    if conn.dialect.name == "sqlite":
        each = sa.func.json_each(sa.literal(orjson.dumps(list(values)).decode())).table_valued(
            "value"
        )
        return column.in_(sa.select(each.c.value))
    if conn.dialect.name == "postgresql":
        return column == sa.any_(sa.literal(list(values), postgresql.ARRAY(column.type)))
    return column.in_(list(values))
