"""The daily message rollup behind Insights: messages, complaints and notable ones per day.

Owns `MessageDay` rows keyed by (day, channel, theme id — 0 for none), the day being the
company's (`db.clock`). The ingest batch adds its inserted rows with `add_rows` (grouped in
Python, then one dialect-aware upsert that increments); `move_theme` follows a message split
off its theme; `rebuild` recomputes the whole table from `message` with one INSERT … SELECT
(after a rescore, a change of time zone, or a bulk load that bypassed ingest). The thresholds
are those of `db.metrics`: complaint ≥ 0.5, notable score ≥ 5, not noise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, tzinfo
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from db.clock import company_zone, is_utc, local_day, zone_key
from db.models import Message, MessageDay

COMPLAINT_THRESHOLD = 0.5
NOTABLE_SCORE = 5.0
_DAY = MessageDay.__table__
_MSG = Message.__table__
_COUNTS = ("messages", "complaints", "notable")


def day_of(value: datetime | date | str, zone: tzinfo) -> date:
    """Return the company's day of a timestamp, or a day as read back from a day column
    (SQLite hands back text: 'YYYY-MM-DD' for a day, naive UTC 'YYYY-MM-DD HH:MM:SS' else)."""
    if isinstance(value, str):
        if len(value) == 10:
            return date.fromisoformat(value)
        value = datetime.fromisoformat(value).replace(tzinfo=UTC)
    if isinstance(value, datetime):
        if is_utc(zone):  # the common case, ~3x cheaper than a conversion through zoneinfo
            return (value.astimezone(UTC) if value.tzinfo else value).date()
        return local_day(value if value.tzinfo else value.replace(tzinfo=UTC), zone)
    return value


def as_day(key: str | date) -> date:
    """Return a day as read back from a day column ('YYYY-MM-DD' text on SQLite) as a date."""
    return key if isinstance(key, date) else date.fromisoformat(key)


def day_sql(col: Any, dialect: str, zone: tzinfo) -> Any:
    """Return an SQL expression for the company's day of a timestamp column ('YYYY-MM-DD' text
    on SQLite, a date on PostgreSQL)."""
    if dialect == "postgresql":  # a cast is several times cheaper per row than to_char
        return sa.cast(sa.func.timezone(zone_key(zone), col), sa.Date)
    if is_utc(zone):
        return sa.func.substr(col, 1, 10)  # SQLite stores 'YYYY-MM-DD HH:MM:SS' UTC text
    return sa.func.fl_day(col, zone_key(zone))  # db.engine registers it (db.clock.sqlite_day)


def key_of(row: Mapping[str, Any], zone: tzinfo) -> tuple[date, str, int]:
    """Return the rollup key (day, channel, theme id or 0) of a message row."""
    return day_of(row["received_at"], zone), row["channel"], row.get("theme_id") or 0


def counts_of(row: Mapping[str, Any]) -> tuple[int, int, int]:
    """Return what a message row adds to its rollup row: (1, complaint?, notable?)."""
    complaint = (row.get("complaint") or 0.0) >= COMPLAINT_THRESHOLD
    notable = (row.get("score") or 0.0) >= NOTABLE_SCORE and not row.get("is_noise")
    return 1, int(complaint), int(notable)


def group(
    rows: Iterable[Mapping[str, Any]], zone: tzinfo, *, sign: int = 1
) -> dict[tuple, list[int]]:
    """Return the summed counts of message rows per rollup key."""
    out: dict[tuple, list[int]] = {}
    for row in rows:
        acc = out.setdefault(key_of(row, zone), [0, 0, 0])
        for i, n in enumerate(counts_of(row)):
            acc[i] += sign * n
    return out


def add_rows(conn: Connection, rows: Iterable[Mapping[str, Any]], *, sign: int = 1) -> None:
    """Add (or with sign=-1 remove) inserted message rows to the rollup, in one upsert."""
    values = [
        {"day": d, "channel": ch, "theme_id": t, **dict(zip(_COUNTS, n, strict=True))}
        for (d, ch, t), n in sorted(group(rows, company_zone(conn), sign=sign).items())
    ]
    add_to(conn, _DAY, ["day", "channel", "theme_id"], _COUNTS, values)
    if sign < 0 and values:  # a day row left counting nothing goes, as `rebuild` makes none
        days = sorted({v["day"] for v in values})
        conn.execute(sa.delete(_DAY).where(_DAY.c.messages == 0, _DAY.c.day.in_(days)))


def add_to(
    conn: Connection, table: sa.Table, keys: list[str], columns: Sequence[str], values: list
) -> None:
    """Insert `values` (dicts) into `table`; where a row with the same `keys` exists, add
    their `columns` to it instead (numbers add up, text is appended). One statement."""
    if not values:
        return
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    stmt = dialect.insert(table)
    sums = {k: table.c[k] + stmt.excluded[k] for k in columns}
    conn.execute(stmt.on_conflict_do_update(index_elements=keys, set_=sums), values)


def move_theme(conn: Connection, row: Mapping[str, Any], new_theme_id: int | None) -> None:
    """Move one message row (as it was) from its theme to `new_theme_id` in the rollup."""
    add_rows(conn, [row], sign=-1)
    add_rows(conn, [{**row, "theme_id": new_theme_id}])


def day_expr(conn: Connection) -> Any:
    """Return the SQL expression for a message's day in the company's time zone."""
    return day_sql(_MSG.c.received_at, conn.dialect.name, company_zone(conn))


def rebuild(conn: Connection) -> int:
    """Recompute the whole rollup from the stored messages; return its row count."""
    m = _MSG.c
    day = day_expr(conn)
    theme = sa.func.coalesce(m.theme_id, 0)
    complaint = sa.case((m.complaint >= COMPLAINT_THRESHOLD, 1), else_=0)
    notable = sa.case((sa.and_(m.score >= NOTABLE_SCORE, m.is_noise.is_(False)), 1), else_=0)
    select = sa.select(
        day, m.channel, theme, sa.func.count(), sa.func.sum(complaint), sa.func.sum(notable)
    ).group_by(day, m.channel, theme)
    conn.execute(sa.delete(_DAY))
    conn.execute(sa.insert(_DAY).from_select(["day", "channel", "theme_id", *_COUNTS], select))
    return conn.execute(sa.select(sa.func.count()).select_from(_DAY)).scalar_one()


def snapshot(conn: Connection) -> dict[tuple, tuple[int, int, int]]:
    """Return the non-empty rollup rows as {(day, channel, theme): counts} (for checks)."""
    rows = conn.execute(sa.select(_DAY).where(_DAY.c.messages != 0))
    return {(r.day, r.channel, r.theme_id): (r.messages, r.complaints, r.notable) for r in rows}
