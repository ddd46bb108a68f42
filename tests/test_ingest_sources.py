"""What an import is pointed at: pipes, compressed files, unreadable or looping folders, the X
archive's other files, counts beyond what a column holds, and the archive's own posts."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from db.enrich import rescore_all
from db.ingest.detect import expand
from db.ingest.pipeline import ingest_paths
from db.models import Contact, Message, Quarantine
from tests.factories import NOW


@pytest.fixture
def eng(engine, session):
    """The test database, emptied after the test (by the session fixture)."""
    return engine


def stored(engine, table=Message.__table__) -> list[dict]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(sa.select(table).order_by(table.c.id)).mappings()]


def _page(path: Path, followers: list, likes=7) -> Path:
    users = [{"id": str(i), "username": f"user{i}", "public_metrics": {"followers_count": f}}
             for i, f in enumerate(followers)]  # fmt: skip
    tweets = [{"id": str(100 + i), "text": f"charger {i} is broken", "author_id": str(i),
               "created_at": "2026-11-19T10:00:00Z", "public_metrics": {"like_count": likes}}
              for i in range(len(followers))]  # fmt: skip
    path.write_text(json.dumps({"data": tweets, "includes": {"users": users}}))
    return path


def test_a_count_too_large_for_its_column_rejects_only_that_tweet(eng, tmp_path):
    path = _page(tmp_path / "page.json", [1200, 10**20, "12,345"])
    result = ingest_paths(eng, [path], now=NOW)
    assert (result.imported, result.rejected) == (2, 1)
    assert sorted(r["followers"] for r in stored(eng)) == [1200, 12345]
    [bad] = stored(eng, Quarantine.__table__)
    assert "followers_count is out of range" in bad["reason"]


def test_negative_or_huge_likes_are_rejected_on_every_database(eng, tmp_path):
    assert ingest_paths(eng, [_page(tmp_path / "a.json", [5], likes=-3)], now=NOW).rejected == 1
    assert ingest_paths(eng, [_page(tmp_path / "b.json", [5], likes=3 * 10**9)], now=NOW).rejected
    assert stored(eng) == []


def test_a_pipe_is_refused_by_name_rather_than_read_without_its_start(eng, tmp_path):
    fifo = tmp_path / "mail.mbox"
    os.mkfifo(fifo)
    [source] = expand([fifo])
    assert (source.fmt, source.reason) == (
        None,
        "not a regular file (a pipe or device): save it to a file first",
    )


def test_compressed_files_say_so(tmp_path):
    (tmp_path / "page.json.gz").write_bytes(gzip.compress(b'{"data": []}'))
    [source] = expand([tmp_path / "page.json.gz"])
    assert source.reason == "gzip-compressed: decompress it first"


def test_an_unreadable_folder_is_reported_and_the_rest_imports(eng, tmp_path, monkeypatch):
    _page(tmp_path / "page.json", [10])
    locked = tmp_path / "locked"
    locked.mkdir()
    iterdir = Path.iterdir

    def refuse(self):  # as chmod 000 does for anyone but root (the tests may run as root)
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return iterdir(self)

    monkeypatch.setattr(Path, "iterdir", refuse)
    result = ingest_paths(eng, [tmp_path], now=NOW)
    assert result.imported == 1
    assert result.unreadable == [(str(locked), "cannot open folder: Permission denied")]


def test_a_symlink_back_up_the_tree_is_walked_once(eng, tmp_path):
    _page(tmp_path / "page.json", [10])
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to(tmp_path, target_is_directory=True)
    assert [s.path.name for s in expand([tmp_path])] == ["page.json"]


def _archive(folder: Path) -> Path:
    folder.mkdir()
    tweets = [{"tweet": {"id_str": "900", "full_text": "@starjane So sorry your screen went "
               "black, that is dangerous. We will refund you.", "created_at":
               "Wed Nov 18 10:00:00 +0000 2026", "favorite_count": "3", "retweet_count": "0",
               "in_reply_to_status_id_str": "899"}}]  # fmt: skip
    (folder / "tweets.js").write_text("window.YTD.tweets.part0 = " + json.dumps(tweets))
    (folder / "like.js").write_text('window.YTD.like.part0 = [{"like": {"tweetId": "1"}}]')
    (folder / "follower.js").write_text('window.YTD.follower.part0 = [{"follower": {}}]')
    return folder


def test_the_x_archive_imports_our_own_posts_as_noise_and_skips_its_other_files(eng, tmp_path):
    result = ingest_paths(eng, [_archive(tmp_path / "data")], now=NOW)
    assert (result.imported, result.rejected, result.unreadable) == (1, 0, [])
    [post] = stored(eng)
    assert post["is_noise"] and post["reasons"] == ["noise: our own post (from our X archive)"]
    rescore_all(eng, now=NOW)  # the mark is stored, so a rescore keeps it
    assert stored(eng)[0]["is_noise"]


def test_quarantine_names_a_file_the_same_however_the_path_was_typed(eng, tmp_path, monkeypatch):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n")
    ingest_paths(eng, [bad], now=NOW)
    monkeypatch.chdir(tmp_path)
    ingest_paths(eng, [Path("bad.jsonl")], now=NOW)
    assert [q["source"] for q in stored(eng, Quarantine.__table__)] == [str(bad)]


def test_a_contact_created_meanwhile_by_another_import_is_used_not_duplicated(
    eng, tmp_path, monkeypatch
):
    from db.ingest import contacts

    _page(tmp_path / "first.json", [10])
    ingest_paths(eng, [tmp_path / "first.json"], now=NOW)
    [existing] = stored(eng, Contact.__table__)
    real_load, calls = contacts._load, []

    def late_load(conn, keys):  # the first look misses it, as when the other import commits late
        calls.append(keys)
        return {} if len(calls) == 1 else real_load(conn, keys)

    monkeypatch.setattr(contacts, "_load", late_load)
    path = _page(tmp_path / "second.json", [10])
    data = json.loads(path.read_text())
    data["data"][0]["id"] = "555"
    path.write_text(json.dumps(data))
    assert ingest_paths(eng, [path], now=NOW).imported == 1
    assert [c["id"] for c in stored(eng, Contact.__table__)] == [existing["id"]]
    assert {m["contact_id"] for m in stored(eng)} == {existing["id"]}
