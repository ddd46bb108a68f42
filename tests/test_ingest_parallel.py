"""Reading files in a helper process changes nothing: same messages, scores, themes, rejects."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from db.ingest import parallel
from db.ingest.pipeline import ingest_paths
from db.models import Contact, Message, Quarantine, Theme
from tests.factories import NOW

DATA = Path(__file__).parent / "data" / "ingest"


@pytest.fixture
def eng(engine, session):
    """The test database, emptied after the test (by the session fixture)."""
    return engine


def snapshot(engine) -> tuple[list, list]:
    m, t, q = Message.__table__, Theme.__table__, Quarantine.__table__
    cols = [m.c.external_id, m.c.sender, m.c.body, m.c.raw, m.c.score, m.c.reasons, t.c.label]
    with engine.connect() as conn:
        messages = conn.execute(
            sa.select(*cols).outerjoin(t, t.c.id == m.c.theme_id).order_by(m.c.id)
        ).all()
        rejects = conn.execute(
            sa.select(q.c.source, q.c.locator, q.c.reason).order_by(q.c.id)
        ).all()
    return [tuple(r) for r in messages], [tuple(r) for r in rejects]


def wipe(engine) -> None:
    with engine.begin() as conn:
        for table in (Message, Theme, Quarantine, Contact):
            conn.execute(sa.delete(table.__table__))


def tweet_files(folder: Path, files: int) -> list[Path]:
    folder.mkdir()
    users = [{"id": str(u), "username": f"u{u}", "public_metrics": {"followers_count": u}}
             for u in range(5)]  # fmt: skip
    texts = ["my order arrived broken again", "charging bay in Leeds blocked", "love it, thanks"]
    paths = []
    for f in range(files):
        tweets = [
            {"id": str(f * 100 + i), "text": texts[i % 3], "author_id": str(i % 5),
             "created_at": f"2026-11-19T10:{i:02d}:00Z"}
            for i in range(40)
        ]  # fmt: skip
        path = folder / f"page{f}.json"
        path.write_text(json.dumps({"data": tweets, "includes": {"users": users}}))
        paths.append(path)
    (folder / "broken.json").write_text('{"data": [')  # a file that is not JSON
    return [*paths, folder / "broken.json"]


def test_reading_in_a_helper_process_gives_the_same_import(eng, tmp_path, monkeypatch):
    paths = [*tweet_files(tmp_path / "tweets", 4), DATA]
    sequential = ingest_paths(eng, paths, now=NOW, batch_size=50)
    before = snapshot(eng)
    wipe(eng)
    monkeypatch.setattr(parallel, "worth_it", lambda sizes: True)  # even on one core
    futures = []
    original = parallel.read_ahead

    def spy(*args):
        for future in original(*args):
            futures.append(future)
            yield future

    monkeypatch.setattr(parallel, "read_ahead", spy)
    helped = ingest_paths(eng, paths, now=NOW, batch_size=50)
    done = [f for f in futures if f is not None]
    assert done  # the helper process was really used ...
    assert all(f.exception() is None for f in done)  # ... and not read again here after a failure
    assert helped == sequential
    assert sequential.imported > 160 and sequential.rejected >= 1
    assert snapshot(eng) == before


def test_small_inputs_are_read_without_a_helper_process(monkeypatch):
    monkeypatch.setenv("FEEDBACKLOOP_READER_PROCESS", "1")
    assert parallel.worth_it([parallel.PARALLEL_FROM] * 2) == ((os.cpu_count() or 1) > 1)
    assert not parallel.worth_it([1000, 2000])
    assert not parallel.worth_it([parallel.PARALLEL_FROM])  # a single file: nothing to overlap
    assert not parallel.worth_it([parallel.FILE_MAX + 1] * 3)  # too big to hold parsed
    monkeypatch.delenv("FEEDBACKLOOP_READER_PROCESS")
    assert not parallel.worth_it([parallel.PARALLEL_FROM] * 2)  # opt-in


def test_a_file_that_stops_reading_keeps_what_was_read_in_the_helper(tmp_path):
    assert parallel.read_all({}, str(tmp_path / "missing"), "xapi")[1].startswith("cannot read")

    def failing(fh):
        yield from ()
        raise RuntimeError("boom")

    (tmp_path / "f").write_text("x")
    items, reason = parallel.read_all({"x": failing}, str(tmp_path / "f"), "x")
    assert (items, reason) == ([], "stopped reading: RuntimeError: boom")
