"""Match the senders of a batch to Contact rows, creating the new ones, in a few bulk queries.

Contacts are keyed by lowercase email address or handle; one created meanwhile by another
import running at the same time is found and used, not created twice. Reach (followers,
verified, display name) is updated to the newest figures: those from the batch's most recent
message per contact, applied only when that message is newer than the figures already stored.
`Contact.updated_at` records the time the stored figures were observed, so an old archive
imported late never overwrites fresher numbers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection

from db.among import among
from db.ingest.codec import sqlite_time
from db.ingest.records import ContactInfo, Record
from db.models import Contact

_T = Contact.__table__
_CHUNK = 5000


def resolve_contacts(conn: Connection, records: list[Record], *, now: datetime) -> None:
    """Set `contact_id` (and email reach) on each record's row; create or update contacts."""
    newest = _newest(records)
    if not newest:
        return
    known = _load(conn, newest)
    _update(conn, known, newest)
    known.update(_create(conn, [k for k in newest if k not in known], newest, now=now))
    for rec in records:
        info = rec.contact
        if info is None:
            continue
        found = known.get(_key(info))
        if found is not None:
            rec.row["contact_id"] = found["id"]
            if not rec.row["followers"]:
                rec.row["followers"] = found["followers"]


def _key(info: ContactInfo) -> tuple[str, str]:
    return ("email", info.email) if info.email else ("handle", info.handle or "")


def _newest(records: list[Record]) -> dict[tuple[str, str], tuple[datetime, ContactInfo]]:
    newest: dict[tuple[str, str], tuple[datetime, ContactInfo]] = {}
    for rec in records:
        info = rec.contact
        if info is None or not (info.email or info.handle):
            continue
        key = _key(info)
        at = rec.row["received_at"]
        seen = newest.get(key)
        if seen is None or at >= seen[0]:
            newest[key] = (at, info)
    return newest


def _load(conn: Connection, keys: dict) -> dict[tuple[str, str], dict[str, Any]]:
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for kind in ("email", "handle"):
        values = [v for k, v in keys if k == kind]
        column = _T.c[kind]
        for i in range(0, len(values), _CHUNK):
            rows = conn.execute(
                sa.select(_T.c.id, column, _T.c.followers, _T.c.verified)
                .add_columns(_T.c.display_name, _T.c.updated_at)
                .where(among(conn, column, values[i : i + _CHUNK]))
            )
            for cid, value, followers, verified, name, at in rows:
                found[(kind, value)] = {
                    "id": cid,
                    "followers": followers,
                    "verified": verified,
                    "display_name": name,
                    "updated_at": at,
                }
    return found


def _create(conn: Connection, keys: list, newest: dict, *, now: datetime) -> dict:
    rows = []
    for key in keys:
        at, info = newest[key]
        rows.append(
            {
                "email": info.email,
                "handle": info.handle if not info.email else None,
                "display_name": info.display_name,
                "followers": info.followers or 0,
                "verified": bool(info.verified),
                "vip_tier": 0,
                "public_consent": False,
                "created_at": now,
                "updated_at": at,
            }
        )
    if not rows:
        return {}
    if conn.dialect.name == "sqlite":
        returned = _insert_sqlite(conn, rows)
    else:
        stmt = postgresql.insert(_T).on_conflict_do_nothing()
        stmt = stmt.returning(_T.c.id, _T.c.email, _T.c.handle, _T.c.followers)
        returned = conn.execute(stmt, rows)
    created = {}
    for cid, email, handle, followers in returned:
        key = ("email", email) if email else ("handle", handle)
        created[key] = {"id": cid, "followers": followers}
    raced = {k: newest[k] for k in keys if k not in created}
    if raced:  # another import created them since `_load`: use theirs
        created.update(_load(conn, raced))
    return created


_NEW = ("email", "handle", "display_name", "followers", "verified", "vip_tier", "public_consent")
_RETURNED = "id, email, handle, followers"
_PER_INSERT = 500  # rows per multi-row INSERT (9 parameters each)


def _insert_sqlite(conn: Connection, rows: list[dict[str, Any]]) -> list[tuple]:
    """Insert new contacts with the driver, many rows a statement (the first batches of a big
    import create thousands; SQLAlchemy's per-value binding cost more than the insert)."""
    names = ", ".join(f'"{c}"' for c in (*_NEW, "created_at", "updated_at"))
    returned: list[tuple] = []
    for i in range(0, len(rows), _PER_INSERT):
        chunk = rows[i : i + _PER_INSERT]
        values = ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?)"] * len(chunk))
        params: list[Any] = []
        for r in chunk:
            params += [r[c] for c in _NEW]
            params += (sqlite_time(r["created_at"]), sqlite_time(r["updated_at"]))
        sql = f"INSERT INTO contact ({names}) VALUES {values} ON CONFLICT DO NOTHING"
        sql += f" RETURNING {_RETURNED}"
        returned += conn.exec_driver_sql(sql, tuple(params)).all()
    return returned


def _update(conn: Connection, known: dict, newest: dict) -> None:
    changes = []
    for key, current in known.items():
        at, info = newest[key]
        if current["updated_at"] is not None and at < current["updated_at"]:
            continue
        new = {
            "b_id": current["id"],
            "b_followers": current["followers"] if info.followers is None else info.followers,
            "b_verified": current["verified"] if info.verified is None else info.verified,
            "b_name": info.display_name or current["display_name"],
            "b_at": at,
        }
        if (new["b_followers"], new["b_verified"], new["b_name"]) != (
            current["followers"],
            current["verified"],
            current["display_name"],
        ):
            current.update(followers=new["b_followers"])
            changes.append(new)
    if changes:
        stmt = (
            sa.update(_T)
            .where(_T.c.id == sa.bindparam("b_id"))
            .values(
                followers=sa.bindparam("b_followers"),
                verified=sa.bindparam("b_verified"),
                display_name=sa.bindparam("b_name"),
                updated_at=sa.bindparam("b_at"),
            )
        )
        conn.execute(stmt, changes)
