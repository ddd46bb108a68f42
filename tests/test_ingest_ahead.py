"""Reading ahead in helper processes (`db.ingest.ahead`): the same import as a read in-process."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from rich.console import Console

from db.ingest import ahead
from db.ingest.files import Unreadable, read_items
from db.ingest.pipeline import ingest_paths
from db.models import Contact, Message, MessageDay, Quarantine, Theme
from seeds.loader import apply_settings, write_shifted
from tests.bench.generate import write_mbox, write_tweet_pages
from tests.conftest import clear_tables
from tests.factories import NOW

DATA = Path(__file__).parent / "data" / "ingest"


@pytest.fixture
def corpus(tmp_path) -> list[Path]:
    """Varied input: every format with its hostile records, generated tweets over many files,
    an mbox of generated mail, and the demo's emails and tweets."""
    tweets = write_tweet_pages(tmp_path / "tweets", 3000, per_page=250, now=NOW)
    mbox = write_mbox(tmp_path / "mail.mbox", 400, now=NOW)
    write_shifted(tmp_path / "demo", now=NOW)
    broken = tmp_path / "broken.json"
    broken.write_text('{"data": [{"id": "1", "text": "cut off')
    unknown = tmp_path / "notes.bin"
    unknown.write_bytes(b"\x00\x01 not a format we read")
    return [DATA, *tweets, mbox, tmp_path / "demo", broken, unknown]


def _prepare(engine) -> None:
    """The company's settings, and contacts known before the import with facts that score."""
    apply_settings(engine, now=NOW)
    with engine.begin() as conn:
        conn.execute(
            sa.insert(Contact.__table__),
            [
                _contact(handle="user5", vip_tier=2),
                _contact(handle="user7", customer_since=date(2019, 3, 1)),
                _contact(handle="user11", verified=True),
                _contact(email="customer3@example.com", followers=250_000),
                _contact(email="customer4@example.org", vip_tier=1),
            ],
        )


def _contact(**kw) -> dict:
    return {"email": None, "handle": None, "display_name": None, "followers": 0,
            "verified": False, "vip_tier": 0, "public_consent": False, "customer_since": None,
            "created_at": NOW, "updated_at": NOW - timedelta(days=400), **kw}  # fmt: skip


def _snapshot(engine) -> dict:
    """Everything an import stores, with database ids replaced by what they stand for."""
    m, t, c = Message.__table__, Theme.__table__, Contact.__table__
    with engine.connect() as conn:
        themes = {r.id: r.key for r in conn.execute(sa.select(t.c.id, t.c.key))}
        people = conn.execute(sa.select(c.c.id, c.c.email, c.c.handle))
        who = {r.id: (r.email, r.handle) for r in people}
        messages = []
        for r in conn.execute(sa.select(m).order_by(m.c.channel, m.c.external_id)).mappings():
            row = {k: v for k, v in r.items() if k not in ("id", "theme_id", "contact_id")}
            messages.append({**row, "theme": themes[r["theme_id"]] if r["theme_id"] else None,
                             "contact": who.get(r["contact_id"])})  # fmt: skip

        def rows(table, drop=("id", "created_at")) -> list[tuple]:
            found = conn.execute(sa.select(table)).mappings()
            return sorted(
                (tuple(v for k, v in r.items() if k not in drop) for r in found), key=repr
            )

        days = [(r.day, r.channel, themes.get(r.theme_id), r.messages, r.complaints, r.notable)
                for r in conn.execute(sa.select(MessageDay.__table__))]  # fmt: skip
        quarantine = rows(Quarantine.__table__, ("id",))
        return {"messages": messages, "themes": rows(t), "contacts": rows(c),
                "quarantine": quarantine, "days": sorted(days, key=repr)}  # fmt: skip


def _import(engine, paths, monkeypatch, mode: str):
    monkeypatch.setenv("FEEDBACKLOOP_READ_AHEAD", mode)
    clear_tables(engine)
    _prepare(engine)
    quiet = Console(file=io.StringIO())
    result = ingest_paths(engine, paths, now=NOW, console=quiet, batch_size=700)
    return result, _snapshot(engine)


def test_reading_ahead_stores_exactly_what_reading_here_stores(
    engine, session, corpus, monkeypatch
):
    here, stored_here = _import(engine, corpus, monkeypatch, "0")
    helped, stored_helped = _import(engine, corpus, monkeypatch, "1")
    assert here.imported > 3500 and here.rejected > 0 and here.unreadable
    assert helped == here
    assert stored_helped["messages"] == stored_here["messages"]
    for table in ("themes", "contacts", "quarantine", "days"):
        assert stored_helped[table] == stored_here[table], table
    vip = [r for r in stored_here["messages"] if r["contact"] == (None, "user5")]
    assert vip and all("VIP customer" in r["reasons"] for r in vip if not r["is_noise"])
    reach = [r for r in stored_here["messages"] if r["contact"] == ("customer3@example.com", None)]
    assert reach and all(r["followers"] == 250_000 for r in reach)


def test_a_helper_that_dies_leaves_the_rest_to_be_read_here(tmp_path, monkeypatch):
    monkeypatch.setattr(ahead, "QUEUE_CHUNKS", 1)  # the helpers cannot finish ahead of us
    files = write_tweet_pages(tmp_path, 2400, per_page=1200, now=NOW)
    jobs = [(str(f), "xapi") for f in files]
    expected = [[item.row["external_id"] for item, _ in read_items(f, "xapi")] for f in files]
    with ahead.Helper(jobs, None) as helper:
        got = [[], []]
        first = helper.items(0)
        for _ in range(700):  # past the first chunk handed over, into the second
            got[0].append(next(first)[0].row["external_id"])
        for worker in helper.workers:
            worker.process.kill()  # a crash, as the OS would kill it
        got[0] += [item.row["external_id"] for item, _ in first]
        got[1] = [item.row["external_id"] for item, _ in helper.items(1)]
        assert helper.workers[1].stopped  # it was killed with chunks still to hand over
    assert got == expected
    assert all(w.process.poll() is not None for w in helper.workers)


def test_a_file_the_helper_cannot_read_gives_the_same_reason(tmp_path):
    good = tmp_path / "good.json"
    good.write_text(
        json.dumps({"data": [{"id": "1", "text": "hi", "created_at": "2026-11-19T10:00:00Z"}]})
    )
    gone = tmp_path / "gone.json"
    with pytest.raises(Unreadable) as here:
        list(read_items(gone, "xapi"))
    with ahead.Helper([(str(good), "xapi"), (str(gone), "xapi")], None) as helper:
        assert [item.row["external_id"] for item, _ in helper.items(0)] == ["1"]
        with pytest.raises(Unreadable) as helped:
            list(helper.items(1))
    assert helped.value.reason == here.value.reason
    assert here.value.reason.startswith("cannot read: No such file")


def test_read_ahead_is_for_large_inputs_on_more_than_one_core(monkeypatch):
    monkeypatch.delenv("FEEDBACKLOOP_READ_AHEAD", raising=False)
    monkeypatch.setattr(ahead.os, "cpu_count", lambda: 2)
    assert ahead.wanted([ahead.AHEAD_FROM // 2, ahead.AHEAD_FROM // 2])
    assert not ahead.wanted([ahead.AHEAD_FROM - 1])
    monkeypatch.setattr(ahead.os, "cpu_count", lambda: 1)
    assert not ahead.wanted([10 * ahead.AHEAD_FROM])
    monkeypatch.setenv("FEEDBACKLOOP_READ_AHEAD", "1")
    assert ahead.wanted([1])
    monkeypatch.setenv("FEEDBACKLOOP_READ_AHEAD", "off")
    monkeypatch.setattr(ahead.os, "cpu_count", lambda: 8)
    assert not ahead.wanted([10 * ahead.AHEAD_FROM])


def test_leaving_early_stops_helpers_and_their_threads(tmp_path, monkeypatch):
    monkeypatch.setattr(ahead, "QUEUE_CHUNKS", 1)  # helpers and threads blocked, waiting on us
    files = write_tweet_pages(tmp_path, 4000, per_page=2000, now=NOW)
    with (
        pytest.raises(KeyboardInterrupt),
        ahead.Helper([(str(f), "xapi") for f in files], None) as h,
    ):
        next(h.items(0))
        raise KeyboardInterrupt  # Ctrl-C in the middle of the first file
    assert all(w.process.poll() is not None for w in h.workers)
    assert not any(w.drainer.is_alive() for w in h.workers)


def test_without_an_interpreter_to_start_everything_is_read_here(tmp_path, monkeypatch):
    monkeypatch.setattr(ahead.sys, "executable", str(tmp_path / "no-python"))
    files = write_tweet_pages(tmp_path / "t", 600, per_page=200, now=NOW)
    jobs = [(str(f), "xapi") for f in files]
    with ahead.Helper(jobs, None) as helper:
        got = [item.row["external_id"] for i in range(3) for item, _ in helper.items(i)]
    assert all(w.stopped and "no-python" in w.stopped for w in helper.workers)
    assert got == [i.row["external_id"] for f in files for i, _ in read_items(f, "xapi")]
