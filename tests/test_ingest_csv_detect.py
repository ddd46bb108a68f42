"""CSV exports, and telling formats apart by name and content."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from db.ingest.detect import UNKNOWN, detect, expand, sniff
from db.ingest.pipeline import ingest_paths
from db.models import Contact, Message, Quarantine
from tests.factories import NOW

DATA = Path(__file__).parent / "data" / "ingest"


@pytest.fixture
def eng(engine, session):
    """The test database, emptied after the test (by the session fixture)."""
    return engine


def rows(engine, table=Message.__table__) -> list[dict]:
    with engine.connect() as conn:
        query = sa.select(table).order_by(table.c.id)
        return [dict(r) for r in conn.execute(query).mappings()]


def test_csv_rows_import_with_documented_columns(eng):
    result = ingest_paths(eng, [DATA / "helpdesk.csv"], now=NOW)
    assert (result.imported, result.duplicates, result.rejected) == (4, 0, 3)
    got = {r["external_id"]: r for r in rows(eng)}
    ann = got["zd-1001@helpdesk.example"]
    assert ann["channel"] == "email" and ann["sender"] == "ann@example.com"
    assert ann["recipients"] == ["support@acme.example", "ceo@acme.example"]
    assert ann["subject"] == "Hold times" and ann["body"].startswith("I waited 45 minutes")
    loud = got["3001"]
    assert loud["channel"] == "tweet" and loud["sender"] == "loudvoice"
    assert loud["received_at"] == datetime(2026, 11, 18, 8, 0, tzinfo=UTC)
    assert (loud["followers"], loud["likes"], loud["reposts"]) == (25000, 40, 12)
    assert got["zd-1003"]["headers"]["precedence"] == "bulk"
    hashed = [k for k in got if k.startswith("sha256:")]
    assert len(hashed) == 1
    assert got[hashed[0]]["received_at"] == datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
    contacts = {c["handle"] or c["email"]: c for c in rows(eng, Contact.__table__)}
    assert contacts["loudvoice"]["verified"] and contacts["loudvoice"]["followers"] == 25000


def test_csv_bad_rows_are_quarantined_by_row_number(eng):
    ingest_paths(eng, [DATA / "helpdesk.csv"], now=NOW)
    bad = {q["locator"]: q["reason"] for q in rows(eng, Quarantine.__table__)}
    assert bad == {
        "line 5 (row 5)": "channel must be email or tweet, got 'fax'",
        "line 6 (row 6)": "received_at is not a date: 'not a date'",
        "line 7 (row 7)": "followers is not a number: 'lots'",
    }
    raw = {q["locator"]: json.loads(q["raw"]) for q in rows(eng, Quarantine.__table__)}
    assert raw["line 5 (row 5)"]["body"] == "wrong channel"


def test_csv_without_required_columns_is_rejected_once(eng, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("who,what\nann,hello\n")
    result = ingest_paths(eng, [path], now=NOW)
    assert (result.imported, result.rejected) == (0, 1)
    assert "channel, received_at" in rows(eng, Quarantine.__table__)[0]["reason"]


@pytest.mark.parametrize(
    ("name", "head", "fmt"),
    [
        ("a.eml", b"From: a@b.c\n", "eml"),
        ("noext", b"Received: from x\nFrom: a@b.c\n", "eml"),
        ("inbox", b"From a@b.c Thu Nov 19 10:00:00 2026\nFrom: a@b.c\n", "mbox"),
        ("a.mbox", b"Date: x\n", "mbox"),
        ("a.eml", b"From a@b.c Thu Nov 19 10:00:00 2026\n", "mbox"),
        ("page.json", b'{\n  "data": []\n}', "xapi"),
        ("page.json", b'{"data": []}', "xapi"),
        ("lines.json", b'{"id": "1"}\n{"id": "2"}\n', "jsonl"),
        ("lines.ndjson", b'{"id": "1"}', "jsonl"),
        ("dump.txt", b'{"data": [], "includes": {}}', "xapi"),
        ("tweets.js", b"window.YTD.tweets.part0 = [", "tweetsjs"),
        ("export.csv", b"channel,received_at,body\n", "csv"),
        ("export.tsv", b"channel\treceived_at\tbody\n", "csv"),
        ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00", None),
        ("notes.txt", b"just some words", None),
    ],
)
def test_format_is_sniffed_from_name_and_content(name, head, fmt):
    assert sniff(name, head) == fmt


def test_binary_garbage_named_eml_is_quarantined_with_its_bytes(eng, tmp_path):
    path = tmp_path / "garbage.eml"
    path.write_bytes(bytes(range(256)) * 8)
    result = ingest_paths(eng, [path], now=NOW)
    assert (result.imported, result.rejected, result.unreadable) == (0, 1, [])
    [bad] = rows(eng, Quarantine.__table__)
    assert bad["raw"] == path.read_bytes() and bad["reason"].startswith("not an email")


def test_unknown_empty_and_missing_files_are_reported_by_name(eng, tmp_path):
    (tmp_path / "empty.jsonl").write_bytes(b"")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00garbage")
    result = ingest_paths(eng, [tmp_path, tmp_path / "gone.json"], now=NOW)
    assert (result.imported, result.rejected) == (0, 0)
    assert sorted(result.unreadable) == sorted(
        [
            (str(tmp_path / "empty.jsonl"), "empty file"),
            (str(tmp_path / "photo.png"), UNKNOWN),
            (str(tmp_path / "gone.json"), "no such file or folder"),
        ]
    )


def test_folders_are_walked_and_maildirs_recognised(tmp_path):
    shutil.copytree(DATA / "maildir", tmp_path / "mail")
    shutil.copy(DATA / "tweets.jsonl", tmp_path / "tweets.jsonl")
    (tmp_path / ".hidden.eml").write_text("From: x@y.z\n")
    found = [(s.path.name, s.fmt) for s in expand([tmp_path])]
    assert found == [
        ("1700000000.M1P1.host:2,S", "eml"),
        ("1700000100.M2P2.host", "eml"),
        ("tweets.jsonl", "jsonl"),
    ]
    assert detect(DATA / "tweets_page.json").fmt == "xapi"
