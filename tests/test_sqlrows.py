"""The import's own multi-row INSERT on SQLite stores exactly what SQLAlchemy's insert stores."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import SQLModel

from db import models  # noqa: F401
from db.engine import make_engine
from db.ingest import sqlrows
from db.ingest.records import message_row

_MSG = models.Message.__table__
AT = datetime(2026, 11, 20, 6, 30, 15, 120000, tzinfo=UTC)


def rows() -> list[dict]:
    plain = message_row(channel="tweet", external_id="1", received_at=AT, body="", raw=None)
    full = message_row(
        channel="email", external_id="m@x", received_at=AT.replace(microsecond=0),
        body="Zoë's café — ✓\nline two", raw="From: a@b\n\nbody", subject="",
        sender="a@b.example", lang="en", in_reply_to="p@x", thread_key="p@x", source="in.mbox",
        is_retweet=True, recipients=["ceo@co.example"], headers={"verified": False, "n": 2},
        sentiment=-0.5, complaint=1.0, score=7.25, reasons=["safety: fire"], is_noise=True,
        reviewed_at=AT, attachments=[{"name": "a.pdf", "size": 10}], followers=10**12,
    )  # fmt: skip
    return [plain, full, {**plain, "external_id": "2", "sender": "x", "lang": "\x00x"}]


def stored(engine) -> list[dict]:
    with engine.connect() as conn:
        found = conn.execute(sa.select(_MSG).order_by(_MSG.c.external_id)).mappings().all()
    return [{k: v for k, v in r.items() if k != "id"} for r in found]


def test_the_fast_insert_reads_back_the_same_as_sqlalchemys():
    mine, theirs = make_engine("sqlite://"), make_engine("sqlite://")
    for engine in (mine, theirs):
        SQLModel.metadata.create_all(engine)
    imported = datetime(2026, 11, 21, tzinfo=UTC)
    with mine.begin() as conn:
        batch = [{**r, "imported_at": imported} for r in rows()]
        for sql, params in sqlrows.statements(conn.connection.driver_connection, batch):
            conn.exec_driver_sql(sql, params)
    with theirs.begin() as conn:
        conn.execute(sa.insert(_MSG), [{**r, "imported_at": imported} for r in rows()])
    got, expected = stored(mine), stored(theirs)
    assert got == expected
    plain, odd, full = got  # by external id: "1", "2", "m@x"
    assert plain["subject"] is None and full["subject"] == ""  # NULL and empty kept apart
    assert odd["lang"] == "\x00x" and full["is_retweet"] is True and plain["theme_id"] is None
    with mine.connect() as conn:  # flags stored as SQLAlchemy stores them
        flags = conn.exec_driver_sql("SELECT DISTINCT typeof(is_noise) FROM message").all()
    assert flags == [("integer",)]
