"""Tweet ingestion: X API v2 pages, JSONL, the X archive's tweets.js, and hostile JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from db.ingest.pipeline import ingest_paths
from db.ingest.records import BODY_CAP, RAW_CAP
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


def by_id(engine) -> dict[str, dict]:
    return {r["external_id"]: r for r in rows(engine)}


def user(uid: str, handle: str, followers, **kw) -> dict:
    return {"id": uid, "username": handle, "public_metrics": {"followers_count": followers}, **kw}


def page(tweets: list, users: list) -> dict:
    return {"data": tweets, "includes": {"users": users}}


def tweet(tid, author="1", at="2026-11-19T10:00:00.000Z", **kw) -> dict:
    return {"id": tid, "text": f"tweet {tid}", "author_id": author, "created_at": at, **kw}


def test_x_api_page_imports_reach_engagement_and_thread_links(eng):
    result = ingest_paths(eng, [DATA / "tweets_page.json"], now=NOW)
    assert (result.imported, result.duplicates, result.rejected) == (4, 0, 0)
    t = by_id(eng)
    star = t["1859000000000000001"]
    assert star["sender"] == "starlady" and star["followers"] == 8_900_000
    counts = (star["likes"], star["reposts"], star["replies"], star["quotes"])
    assert counts == (15000, 1200, 340, 95)
    assert star["received_at"] == datetime(2026, 11, 19, 18, 2, 11, tzinfo=UTC)
    assert star["recipients"] == ["acme"] and star["lang"] == "en"
    assert star["headers"]["verified"] is True and star["headers"]["display_name"] == "Star Lady"
    assert json.loads(star["raw"])["id"] == "1859000000000000001"
    reply = t["1859000000000000002"]
    assert reply["in_reply_to"] == "1859000000000000001"
    assert reply["thread_key"] == "1859000000000000001"
    assert t["1859000000000000003"]["is_retweet"] is True
    assert t["1859000000000000004"]["headers"]["quoted_id"] == "1859000000000000001"
    assert not t["1859000000000000004"]["is_retweet"]


def test_tweet_authors_become_contacts_matched_by_lowercase_handle(eng):
    ingest_paths(eng, [DATA / "tweets_page.json"], now=NOW)
    contacts = {c["handle"]: c for c in rows(eng, Contact.__table__)}
    assert set(contacts) == {"starlady", "acme_ceo", "sam_k"}
    assert contacts["starlady"]["followers"] == 8_900_000 and contacts["starlady"]["verified"]
    sam = [r for r in rows(eng) if r["sender"] == "sam_k"]
    assert len(sam) == 2 and {r["contact_id"] for r in sam} == {contacts["sam_k"]["id"]}


def test_contact_reach_follows_the_newest_figures_only(eng, tmp_path):
    def write(name: str, tid: str, at: str, followers: int) -> Path:
        path = tmp_path / name
        doc = page([tweet(tid, at=at)], [user("1", "Grower", followers, name=f"G {followers}")])
        path.write_text(json.dumps(doc))
        return path

    ingest_paths(eng, [write("a.json", "1", "2026-11-10T00:00:00Z", 100)], now=NOW)
    ingest_paths(eng, [write("b.json", "2", "2026-11-15T00:00:00Z", 5000)], now=NOW)
    ingest_paths(eng, [write("c.json", "3", "2026-11-01T00:00:00Z", 7)], now=NOW)  # older
    [contact] = rows(eng, Contact.__table__)
    assert (contact["handle"], contact["followers"], contact["display_name"]) == (
        "grower",
        5000,
        "G 5000",
    )


def test_jsonl_imports_good_lines_and_quarantines_each_bad_line(eng):
    result = ingest_paths(eng, [DATA / "tweets.jsonl"], now=NOW)
    assert (result.imported, result.duplicates, result.rejected) == (3, 1, 4)
    t = by_id(eng)
    assert t["2001"]["sender"] == "evdriver" and t["2001"]["followers"] == 1200
    assert t["2002"]["sender"] == "bristol_bob" and t["2003"]["sender"] == "liner"
    assert t["2001"]["body"] == "Chargers at Leeds blocked by parked cars again"
    bad = {q["locator"]: q for q in rows(eng, Quarantine.__table__)}
    assert set(bad) == {"line 5", "line 7", "line 8", "line 9"}
    assert bad["line 5"]["reason"].startswith("invalid JSON")
    assert bad["line 5"]["raw"].startswith(b'{"id": "2004", "text": "truncated line"')
    assert bad["line 7"]["reason"] == "id is missing or not a string"
    assert bad["line 8"]["reason"] == "created_at is missing or not a string"
    assert bad["line 9"]["reason"] == "tweet is not a JSON object"


def test_archive_tweets_js_reads_string_counts_and_old_dates(eng):
    result = ingest_paths(eng, [DATA / "tweets.js"], now=NOW)
    assert (result.imported, result.rejected) == (2, 1)
    t = by_id(eng)
    first = t["1050118621198921728"]
    assert first["received_at"] == datetime(2018, 10, 10, 20, 19, 24, tzinfo=UTC)
    assert (first["likes"], first["reposts"]) == (12, 3)
    assert first["body"].endswith("on hold for 50 minutes & the line dropped")
    assert first["recipients"] == ["acme"]
    second = t["1050118621198921729"]
    assert second["is_retweet"] and second["in_reply_to"] == "1050118621198921728"
    [bad] = rows(eng, Quarantine.__table__)
    assert bad["locator"] == "[2]" and "favorite_count" in bad["reason"]


def test_truncated_x_api_file_is_quarantined_whole_with_its_bytes(eng, tmp_path):
    path = tmp_path / "cut.json"
    text = json.dumps(page([tweet("1"), tweet("2")], [user("1", "a", 1)]))
    path.write_text(text[: len(text) // 2])
    result = ingest_paths(eng, [path], now=NOW)
    assert (result.imported, result.rejected) == (0, 1)
    [bad] = rows(eng, Quarantine.__table__)
    assert bad["reason"].startswith("invalid JSON") and bad["raw"] == path.read_bytes()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"id": {"nested": 1}}, "id is missing or not a string"),
        ({"text": None}, "text is missing or not a string"),
        ({"created_at": 1700000000}, "created_at is missing or not a string"),
        ({"created_at": "yesterday"}, "created_at is not a date: 'yesterday'"),
        ({"public_metrics": [1, 2]}, "public_metrics is not an object"),
        ({"public_metrics": {"like_count": "lots"}}, "like_count is not a number: 'lots'"),
        ({"referenced_tweets": "x"}, "referenced_tweets is not a list"),
        ({"author_id": "2"}, "author 2: followers_count is not a number: 'lots'"),
    ],
)
def test_wrong_field_types_reject_only_that_tweet_naming_the_field(eng, tmp_path, change, reason):
    path = tmp_path / "p.json"
    users = [user("1", "good", 10), user("2", "liar", "lots")]
    path.write_text(json.dumps(page([tweet("1"), {**tweet("2"), **change}], users)))
    result = ingest_paths(eng, [path], now=NOW)
    assert (result.imported, result.rejected) == (1, 1)
    [bad] = rows(eng, Quarantine.__table__)
    assert (bad["locator"], bad["reason"]) == ("data[1]", reason)
    assert json.loads(bad["raw"])["text"] == change.get("text", "tweet 2")


def test_duplicate_ids_within_one_file_are_counted_once(eng, tmp_path):
    path = tmp_path / "dup.json"
    path.write_text(json.dumps(page([tweet("7"), tweet("7"), tweet(7)], [user("1", "a", 1)])))
    result = ingest_paths(eng, [path], now=NOW)
    assert (result.imported, result.duplicates, result.rejected) == (1, 2, 0)


def test_huge_jsonl_line_is_imported_with_capped_body_and_raw(eng, tmp_path):
    path = tmp_path / "big.jsonl"
    big = {"id": "9", "text": "x" * 5_000_000, "created_at": "2026-11-19T10:00:00Z"}
    path.write_text(json.dumps(tweet("8")) + "\n" + json.dumps(big) + "\n")
    assert ingest_paths(eng, [path], now=NOW).imported == 2
    row = by_id(eng)["9"]
    assert len(row["body"]) == BODY_CAP and len(row["raw"]) == RAW_CAP


def test_x_api_error_response_is_quarantined(eng, tmp_path):
    path = tmp_path / "err.json"
    path.write_text(json.dumps({"errors": [{"title": "Unauthorized"}]}))
    result = ingest_paths(eng, [path], now=NOW)
    assert result.rejected == 1
    assert rows(eng, Quarantine.__table__)[0]["reason"] == "X API error response without data"


def test_terminal_escape_sequences_in_customer_text_are_not_stored(eng, tmp_path):
    hostile = "\x1b]0;PWNED\x07\x1b[2J\x1b[31mMy charger\x9b is broken\x00\nsecond line\ttab"
    path = tmp_path / "page.json"
    path.write_text(json.dumps(page([tweet("7", text=hostile)], [user("1", "kim", 5)])))
    assert ingest_paths(eng, [path], now=NOW).imported == 1
    assert rows(eng)[0]["body"] == "My charger is broken\nsecond line\ttab"
