"""The backup file's format: how values are written in it, and reading it back as a stream.

Timestamps are ISO 8601 with offset, bytes are base64. Reading parses the file incrementally
(ijson) and builds only the row in hand, so memory stays flat whatever the size of the backup;
it yields each table after the tables it links to, the order a restore inserts them in. The
shape is checked on the way, as `db.backup.export_all` writes it: a JSON object with "format"
and "tables", an object of lists of row objects; a broken or misshapen file raises InvalidInput
with a one-line reason (a restore's single transaction then drops any rows already read).
"""

from __future__ import annotations

import base64
from collections import deque
from collections.abc import Callable, Iterator
from datetime import date, datetime
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any

import ijson
import sqlalchemy as sa
from ijson.common import ObjectBuilder

from db import models
from db.errors import InvalidInput, first_line

FORMAT = "feedbackloop-backup/1"
Events = Iterator[tuple[str, Any]]
_OPEN = {"start_map", "start_array"}
_DEPTH = {"start_map": 1, "start_array": 1, "end_map": -1, "end_array": -1}


def encode(value: Any) -> Any:
    """Return `value` as the backup holds it."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return {"b64": base64.b64encode(value).decode("ascii")}
    return value


def decode(column: sa.Column, value: Any) -> Any:
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


def in_link_order(path: Path, tables: dict[str, sa.Table]) -> Iterator[tuple[sa.Table, Iterator]]:
    """Yield each of `tables` in the backup with its rows, after the others it links to.

    One pass over the file when it lists the tables in that order, as export does; another for
    the tables listed before one they link to (a backup made before a schema change could be).
    Read a table's rows before asking for the next table: they share the pass."""
    needs = {n: {fk.column.table.name for fk in t.foreign_keys} - {n} for n, t in tables.items()}
    done: set[str] = set()
    listed: set[str] = set()

    def take(name: str) -> bool:
        listed.add(name)
        ready = name in needs and name not in done and needs[name] <= done
        if ready:
            done.add(name)  # so a table listed after it may go next
        return ready

    while len(done) < len(tables):
        before = len(done)
        listed.clear()
        for name, pairs in groupby(_rows(path, take), key=itemgetter(0)):
            yield tables[name], (row for _, row in pairs)
        done |= needs.keys() - listed  # tables missing from the file stay empty
        if len(done) == before:
            raise RuntimeError("foreign keys between the tables form a cycle: cannot restore")


def _rows(path: Path, take: Callable[[str], bool]) -> Iterator[tuple[str, dict]]:
    """Yield (table, row) for every row of the tables `take` accepts, in the file's order.

    `take` is asked about each table of the file in turn, once the rows before it are yielded."""
    try:
        with path.open("rb") as f:
            # use_float: numbers come back as json.load gives them (int or float, no Decimal)
            yield from _document(ijson.basic_parse(f, use_float=True), path, take)
    except (OSError, ijson.JSONError) as e:
        raise InvalidInput(f"cannot read backup {path}: {_reason(e)}") from None


def _reason(error: Exception) -> str:
    """Return the error's first line; yajl gives lexical errors as the repr of bytes."""
    text = str(error)
    return text[2:].split("\\n")[0] if text.startswith("b'") else first_line(error)


def _document(events: Events, path: Path, take: Callable[[str], bool]) -> Iterator:
    if next(events)[0] != "start_map":
        deque(events, maxlen=0)  # a file that is not even JSON says so first
        raise _not_a_backup(path)
    found, tables = None, False
    while (item := next(events))[0] == "map_key":
        event, value = next(events)
        if item[1] != "tables":
            found = value if item[1] == "format" else found
            _skip(events, event)
        elif found not in (None, FORMAT):  # refused before any row is read, if it came first
            raise _not_a_backup(path)
        elif event != "start_map":
            raise InvalidInput(f'{path} has no "tables" object')
        else:
            tables = True
            yield from _tables(events, path, take)
    deque(events, maxlen=0)  # refuse trailing garbage, as json.load did
    if found != FORMAT:
        raise _not_a_backup(path)
    if not tables:
        raise InvalidInput(f'{path} has no "tables" object')


def _not_a_backup(path: Path) -> InvalidInput:
    return InvalidInput(f"{path} is not a Feedback Loop backup ({FORMAT})")


def _tables(events: Events, path: Path, take: Callable[[str], bool]) -> Iterator:
    names: set[str] = set()
    while (item := next(events))[0] == "map_key":
        name = item[1]
        if name in names:  # json.load kept the last copy: refuse rather than guess
            raise InvalidInput(f"{path}: table {name} appears twice")
        names.add(name)
        not_rows = InvalidInput(f"{path}: table {name} must be a list of row objects")
        if next(events)[0] != "start_array":
            raise not_rows
        wanted = take(name)
        while (event := next(events)[0]) != "end_array":
            if event != "start_map":
                raise not_rows
            if wanted:
                yield name, _object(events)
            else:
                _skip(events, event)


def _object(events: Events) -> dict:
    """Build the object whose start_map was just read (rows are mostly flat: build them here)."""
    row = {}
    while (item := next(events))[0] == "map_key":
        event, value = next(events)
        row[item[1]] = _value(events, event, value) if event in _OPEN else value
    return row


def _value(events: Events, event: str, value: Any) -> Any:
    """Build the nested list or object that begins with `event`."""
    builder, depth = ObjectBuilder(), 0
    while True:
        builder.event(event, value)
        depth += _DEPTH.get(event, 0)
        if not depth:
            return builder.value
        event, value = next(events)


def _skip(events: Events, event: str) -> None:
    """Read past the rest of a value that began with `event`."""
    depth = _DEPTH.get(event, 0)
    while depth:
        depth += _DEPTH.get(next(events)[0], 0)
