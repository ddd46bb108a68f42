"""The forward rollup behind Insights' forward metrics, kept in step with forwards.

`ForwardDay` (see `db.models`) counts forwards per (day, recipient), in the company's days: on
the day a forward is due (`respond_by`) — `due`, `due_open` (not acknowledged) and `due_late`
(acknowledged after it was due); on the day it is acknowledged — `acked`, `acked_late` and its
whole seconds to acknowledge, appended to `ack_seconds` as 8 hex digits each (`encode`,
`decode`), so percentiles stay exact and a 90-day read is one array conversion, not 60,000
float parses. Keyed by recipient, not team: a person who changes team takes their forwards
along, as the live queries (which join the recipient's current team) do.

`ForwardMsg` lists each forwarded message once with its received day and channel and whether
it is on an item, for the funnel's "forwarded" stage: `follow_new` adds a forward's message,
`follow_item` (after any item Event) marks the item's messages linked — a message is never
unlinked, so that is the only change.

A forward only ever moves from unacknowledged to acknowledged, so `follow_new` (a forward was
made) and `follow_ack` (it was acknowledged) are the only changes; `db.audit.record` calls them
in the same transaction. `rebuild` recomputes the table from the `forward` rows (after a bulk
load or a backup import, through `db.itemrebuild.rebuild`); `snapshot` lets the tests compare.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime, tzinfo
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from db.clock import company_zone
from db.models import Forward, ForwardDay, ForwardMsg, Message
from db.rollup import add_to, as_day, day_of, day_sql

TABLE = ForwardDay.__table__
MSGS = ForwardMsg.__table__
MSG = Message.__table__.c
FWD = Forward.__table__.c
COUNTS = ("due", "due_open", "due_late", "acked", "acked_late")
WIDEST = 2**32 - 1  # 136 years
COLUMNS = (FWD.id, FWD.recipient_id, FWD.created_at, FWD.respond_by, FWD.acknowledged_at)


def seconds(created: datetime, acked: datetime) -> int:
    """Return the whole seconds from forward to acknowledgement (never below 0)."""
    return max(0, round((acked - created).total_seconds()))


def encode(values: Iterable[int]) -> str:
    """Return seconds as the fixed-width hex text `ack_seconds` holds."""
    return "".join(f"{min(v, WIDEST):08x}" for v in values)


def decode(text: str) -> np.ndarray:
    """Return the seconds in an `ack_seconds` text (or several joined) as an unsorted array."""
    return np.frombuffer(bytes.fromhex(text), dtype=">u4").astype(np.float64)


def counts(row: Iterable[Any], zone: tzinfo, *, acked: bool = True) -> Counter:
    """Return one forward's {(day, recipient, column): n}; `acked=False` as if unacknowledged."""
    _id, to, _created, due, ack = row
    ack = ack if acked else None
    out: Counter = Counter()
    if due is not None:
        due_day = day_of(due, zone)
        out[(due_day, to, "due")] += 1
        if ack is None:
            out[(due_day, to, "due_open")] += 1
        elif ack > due:
            out[(due_day, to, "due_late")] += 1
    if ack is not None:
        ack_day = day_of(ack, zone)
        out[(ack_day, to, "acked")] += 1
        if due is not None and ack > due:
            out[(ack_day, to, "acked_late")] += 1
    return out


def _write(conn: Connection, deltas: Counter, values: dict[tuple, list[int]]) -> None:
    """Add counts and append seconds per (day, recipient), inserting missing rows."""
    rows: dict[tuple, dict[str, Any]] = {}
    for (day, to, col), n in deltas.items():
        rows.setdefault((day, to), dict.fromkeys(COUNTS, 0))[col] += n
    for key, hs in values.items():
        rows.setdefault(key, dict.fromkeys(COUNTS, 0))["ack_seconds"] = encode(hs)
    if not rows:
        return
    batch = [
        {"day": d, "recipient_id": to, "ack_seconds": "", **v}
        for (d, to), v in sorted(rows.items())
    ]
    add_to(conn, TABLE, ["day", "recipient_id"], (*COUNTS, "ack_seconds"), batch)  # text: `||`


def _row(conn: Connection, forward_id: int) -> Any:
    return conn.execute(sa.select(*COLUMNS).where(FWD.id == forward_id)).first()


def follow_new(conn: Connection, forward_id: int) -> None:
    """Count a forward just made (already flushed)."""
    found = conn.execute(sa.select(*COLUMNS, FWD.message_id).where(FWD.id == forward_id)).first()
    if found is None:
        return
    row, message_id = found[:-1], found[-1]
    zone = company_zone(conn)
    values = {(day_of(row[4], zone), row[1]): [seconds(row[2], row[4])]} if row[4] else {}
    _write(conn, counts(row, zone), values)
    if message_id is not None:
        _add_message(conn, message_id, zone)


def _add_message(conn: Connection, message_id: int, zone: tzinfo) -> None:
    """List a forwarded message (once), linked or not as it is now."""
    row = conn.execute(
        sa.select(MSG.received_at, MSG.channel, MSG.item_id).where(MSG.id == message_id)
    ).first()
    if row is None:
        return
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    values = {"message_id": message_id, "day": day_of(row[0], zone), "channel": row[1]}
    stmt = dialect.insert(MSGS).values(**values, linked=row[2] is not None)
    conn.execute(stmt.on_conflict_do_nothing(index_elements=["message_id"]))


def follow_item(conn: Connection, item_id: int) -> None:
    """Mark the forwarded messages now on this item as linked (after an item Event)."""
    mine = sa.select(MSG.id).where(MSG.item_id == item_id)
    m = MSGS.c
    conn.execute(
        sa.update(MSGS).where(m.linked.is_(False), m.message_id.in_(mine)).values(linked=True)
    )


def follow_ack(conn: Connection, forward_id: int) -> None:
    """Move a forward just acknowledged (already flushed) from open to acknowledged."""
    row = _row(conn, forward_id)
    if row is None or row[4] is None:
        return
    zone = company_zone(conn)
    deltas = counts(row, zone)
    deltas.subtract(counts(row, zone, acked=False))
    _write(conn, deltas, {(day_of(row[4], zone), row[1]): [seconds(row[2], row[4])]})


def rebuild(conn: Connection) -> int:
    """Recompute the table from every forward; return the forward count."""
    conn.execute(sa.delete(TABLE))
    deltas: Counter = Counter()
    values: dict[tuple, list[int]] = {}
    n, zone = 0, company_zone(conn)
    for row in conn.execute(sa.select(*COLUMNS)):
        n += 1
        deltas.update(counts(row, zone))
        if row[4] is not None:
            values.setdefault((day_of(row[4], zone), row[1]), []).append(seconds(row[2], row[4]))
    _write(conn, deltas, values)
    conn.execute(sa.delete(MSGS))
    day = day_sql(MSG.received_at, conn.dialect.name, zone)
    forwarded = sa.select(FWD.message_id).where(FWD.message_id.is_not(None))
    listed = sa.select(MSG.id, day, MSG.channel, MSG.item_id.is_not(None)).where(
        MSG.id.in_(forwarded)
    )
    conn.execute(sa.insert(MSGS).from_select(["message_id", "day", "channel", "linked"], listed))
    return n


def messages(conn: Connection) -> dict[int, tuple]:
    """Return the forwarded messages listed: {message id: (day, channel, linked)}."""
    rows = conn.execute(sa.select(MSGS))
    return {r.message_id: (as_day(r.day), r.channel, bool(r.linked)) for r in rows}


def snapshot(conn: Connection) -> dict[tuple, tuple]:
    """Return the table's non-empty rows, seconds sorted (to compare follow and rebuild)."""
    out = {}
    for r in conn.execute(sa.select(TABLE)):
        vals = tuple(sorted(int(v) for v in decode(r.ack_seconds)))
        cnt = tuple(getattr(r, k) for k in COUNTS)
        if any(cnt) or vals:
            out[(as_day(r.day), r.recipient_id)] = (*cnt, vals)
    return out
