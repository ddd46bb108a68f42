"""Property: for any batch of valid and invalid records, every record is accounted for once,
nothing valid is lost, and importing the same file again adds nothing."""

from __future__ import annotations

import html
import json
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import SQLModel

from db.ingest.pipeline import ingest_paths
from db.ingest.records import clean
from db.models import Message
from tests.factories import NOW

SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
times = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1))
valid = st.builds(
    lambda tid, text, at, likes: {
        "id": str(tid),
        "text": text,
        "created_at": at.isoformat() + "Z",
        "public_metrics": {"like_count": likes},
    },
    st.integers(1, 15),
    st.text(max_size=60),
    times,
    st.integers(0, 10**6) | st.integers(0, 999).map(str),
)
invalid = st.one_of(
    st.builds(lambda t: {**t, "id": {"nested": t["id"]}}, valid),
    st.builds(lambda t: {k: v for k, v in t.items() if k != "text"}, valid),
    st.builds(lambda t: {**t, "created_at": "not a date"}, valid),
    st.builds(lambda t: {**t, "public_metrics": {"like_count": "lots"}}, valid),
    st.sampled_from([[1, 2], "a string", 42, None]),
)
batches = st.lists(st.one_of(valid, invalid), max_size=40)


def is_valid(record) -> bool:
    return (
        isinstance(record, dict)
        and isinstance(record.get("id"), str)
        and isinstance(record.get("text"), str)
        and record.get("created_at") != "not a date"
        and record["public_metrics"]["like_count"] != "lots"
    )


def empty(engine) -> None:
    with engine.begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            conn.execute(table.delete())


def check(engine, path: Path, records: list, offered: int) -> None:
    empty(engine)
    first = ingest_paths(engine, [path], now=NOW, batch_size=16)
    assert first.imported + first.duplicates + first.rejected == offered
    expected: dict[str, str] = {}
    for record in filter(is_valid, records):
        text = record["text"]
        expected.setdefault(record["id"], clean(html.unescape(text) if "&" in text else text))
    with engine.connect() as conn:
        stored = {i: b for i, b in conn.execute(sa.select(Message.external_id, Message.body))}
    assert stored == expected
    again = ingest_paths(engine, [path], now=NOW, batch_size=16)
    assert again.imported == 0
    assert again.duplicates == first.imported + first.duplicates
    assert again.rejected == first.rejected
    empty(engine)


@SETTINGS
@given(records=batches, garbage=st.lists(st.binary(min_size=1, max_size=30), max_size=3))
def test_jsonl_accounts_for_every_line_and_keeps_every_valid_record(
    engine, tmp_path_factory, records, garbage
):
    lines = [json.dumps(r).encode() for r in records]
    lines += [b"{" + g.replace(b"\n", b" ").replace(b"\r", b" ") for g in garbage]
    path = tmp_path_factory.mktemp("jsonl") / "records.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    check(engine, path, records, offered=len(lines))


@SETTINGS
@given(records=batches)
def test_x_api_page_accounts_for_every_tweet_and_keeps_every_valid_one(
    engine, tmp_path_factory, records
):
    path = tmp_path_factory.mktemp("xapi") / "page.json"
    path.write_text(json.dumps({"data": records, "includes": {"users": []}}))
    check(engine, path, records, offered=len(records))
