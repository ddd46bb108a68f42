"""The import run: idempotence, batches, contacts, interrupted imports, reporting, the CLI."""

from __future__ import annotations

import contextlib
import gc
import io
import json
import threading
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

import pytest
import sqlalchemy as sa
from rich.console import Console
from sqlmodel import Session, SQLModel
from typer.testing import CliRunner

from db import enrich, rollup, scoring
from db.cli import app
from db.engine import make_engine
from db.ingest import batch as batch_module
from db.ingest import pipeline, session, store
from db.ingest.batch import Batch
from db.ingest.pipeline import ingest_paths
from db.memo import Memo
from db.models import Contact, Message, MessageDay, Quarantine, Theme
from tests.factories import NOW, make_contact

DATA = Path(__file__).parent / "data" / "ingest"
runner = CliRunner()


@pytest.fixture
def eng(engine, session):
    """The test database, emptied after the test (by the session fixture)."""
    return engine


def count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


def write_tweets(path: Path, n: int, *, dup_every: int = 0) -> Path:
    users = [{"id": "1", "username": "bulk", "public_metrics": {"followers_count": 3}}]
    ids = [str(i if not dup_every or i % dup_every else i - 1) for i in range(1, n + 1)]
    at = "2026-11-19T10:00:00Z"
    tweets = [{"id": i, "text": "t", "author_id": "1", "created_at": at} for i in ids]
    path.write_text(json.dumps({"data": tweets, "includes": {"users": users}}))
    return path


def test_importing_everything_twice_adds_nothing_the_second_time(eng):
    first = ingest_paths(eng, [DATA], now=NOW)
    stored, quarantined = count(eng, Message.__table__), count(eng, Quarantine.__table__)
    again = ingest_paths(eng, [DATA], now=NOW)
    assert first.imported == stored > 20
    assert (again.imported, again.duplicates) == (0, first.imported + first.duplicates)
    assert again.rejected == first.rejected
    assert count(eng, Message.__table__) == stored
    assert count(eng, Quarantine.__table__) == quarantined  # not quarantined twice


@pytest.mark.parametrize("batch_size", [1, 7, 2000])
def test_batch_size_does_not_change_the_outcome(eng, tmp_path, batch_size):
    path = write_tweets(tmp_path / "t.json", 50, dup_every=5)
    result = ingest_paths(eng, [path], now=NOW, batch_size=batch_size)
    assert (result.imported, result.duplicates, result.rejected) == (40, 10, 0)
    assert count(eng, Message.__table__) == 40 and count(eng, Contact.__table__) == 1


def test_interrupted_import_keeps_committed_batches_and_a_rerun_completes_it(
    eng, tmp_path, monkeypatch
):
    path = write_tweets(tmp_path / "t.json", 30)
    calls = []

    def fail_on_second_batch(conn, rows, *, now):
        calls.append(len(rows))
        if len(calls) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(enrich, "enrich_batch", fail_on_second_batch)
    with pytest.raises(KeyboardInterrupt):
        ingest_paths(eng, [path], now=NOW, batch_size=10)
    assert count(eng, Message.__table__) == 10
    monkeypatch.undo()
    result = ingest_paths(eng, [path], now=NOW, batch_size=10)
    assert (result.imported, result.duplicates) == (20, 10)
    assert count(eng, Message.__table__) == 30


def rollup_rows(engine) -> list[tuple]:
    table = MessageDay.__table__
    with engine.connect() as conn:
        return sorted(tuple(r) for r in conn.execute(sa.select(table)))


def test_a_row_stored_meanwhile_by_another_import_counts_once_and_the_rest_is_kept(
    eng, tmp_path, monkeypatch
):
    path = write_tweets(tmp_path / "t.json", 20)
    single = tmp_path / "one.json"
    single.write_text(json.dumps({**json.loads(path.read_text()), "data": [
        json.loads(path.read_text())["data"][4]]}))  # fmt: skip
    ingest_paths(eng, [single], now=NOW)
    # the look-up for stored messages misses it, as when another import commits it meanwhile
    monkeypatch.setattr(Batch, "_stored", lambda self, keys: set())
    result = ingest_paths(eng, [path], now=NOW)
    assert (result.imported, result.duplicates, result.rejected) == (19, 1, 0)
    assert count(eng, Message.__table__) == 20
    counted = rollup_rows(eng)
    with eng.begin() as conn:
        rollup.rebuild(conn)
    assert counted == rollup_rows(eng)  # the refused row is not counted twice in Insights


@pytest.mark.parametrize(
    "breakage",
    [{"body": object()}, {"triage": None}],  # a value no driver binds; a NOT NULL column
    ids=["unbindable", "constraint"],
)
def test_a_row_the_database_refuses_is_quarantined_and_leaves_no_count_behind(
    eng, tmp_path, monkeypatch, breakage
):
    path = write_tweets(tmp_path / "t.json", 10)
    page = json.loads(path.read_text())
    page["data"][2]["created_at"] = "2026-11-01T10:00:00Z"  # alone on its day
    path.write_text(json.dumps(page))
    prepare = Batch._statements

    def unbindable_third_row(self, rows):
        for row in rows:
            if row["external_id"] == "3":
                row.update(breakage)  # the database refuses the batch, then this row
        return prepare(self, rows)

    monkeypatch.setattr(Batch, "_statements", unbindable_third_row)
    result = ingest_paths(eng, [path], now=NOW)
    assert (result.imported, result.duplicates, result.rejected) == (9, 0, 1)
    with eng.connect() as conn:
        q = Quarantine.__table__
        refused = conn.execute(sa.select(q.c.locator, q.c.fmt, q.c.reason)).one()
    assert refused[:2] == ("3", "xapi") and refused[2].startswith("database refused the record")
    counted = rollup_rows(eng)
    with eng.begin() as conn:
        rollup.rebuild(conn)
    assert counted == rollup_rows(eng)  # no zero row left for the refused message's day


def test_a_database_error_while_storing_stops_the_import_and_keeps_committed_batches(
    eng, tmp_path, monkeypatch
):
    path = write_tweets(tmp_path / "t.json", 30)
    write = store.write
    calls = []

    def disk_full_on_second_batch(*args):
        calls.append(1)
        if len(calls) == 2:
            raise sa.exc.OperationalError("COMMIT", {}, Exception("database or disk is full"))
        return write(*args)

    monkeypatch.setattr(store, "write", disk_full_on_second_batch)
    with pytest.raises(sa.exc.OperationalError, match="disk is full"):
        ingest_paths(eng, [path], now=NOW, batch_size=10)
    assert count(eng, Message.__table__) == 10


def test_each_distinct_text_is_analysed_once_though_batches_are_analysed_ahead(
    eng, tmp_path, monkeypatch
):
    users = [{"id": "1", "username": "bulk", "public_metrics": {"followers_count": 3}}]
    tweets = [{"id": str(i), "text": f"my order {i} arrived broken", "author_id": "1",
               "created_at": "2026-11-19T10:00:00Z"} for i in range(12)]  # fmt: skip
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"data": tweets, "includes": {"users": users}}))
    analysed = []
    monkeypatch.setattr(scoring, "_FACTS", Memo(4))  # smaller than a batch and a half
    monkeypatch.setattr(scoring, "_text_facts", lambda text, f=scoring._text_facts: (
        analysed.append(text), f(text))[1])  # fmt: skip
    result = ingest_paths(eng, [path], now=NOW, batch_size=3)
    assert result.imported == 12
    assert len(analysed) == len(set(analysed)) == 12  # none analysed twice


def test_the_cycle_collector_is_restored_after_an_import(eng):
    before = gc.get_threshold()
    ingest_paths(eng, [DATA / "tweets_page.json"], now=NOW)
    assert gc.get_threshold() == before != (session.GC_THRESHOLD, *before[1:])


def test_overlapping_imports_restore_the_collector_when_the_last_one_ends():
    before = gc.get_threshold()
    first, second = session._collector(), session._collector()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)  # the first ends while the second still runs
    assert gc.get_threshold()[0] == session.GC_THRESHOLD
    second.__exit__(None, None, None)
    assert gc.get_threshold() == before


def test_a_second_interrupt_still_waits_for_the_writer_to_finish_its_batch(monkeypatch):
    release = threading.Event()
    with ThreadPoolExecutor(1) as pool:
        writing = pool.submit(release.wait, 5)
        calls = []

        def interrupted_once(futures):
            calls.append(1)
            if len(calls) == 1:
                release.set()
                raise KeyboardInterrupt  # Ctrl-C again while waiting
            return wait(futures)

        monkeypatch.setattr(batch_module, "wait", interrupted_once)
        batch_module._wait_through_interrupts(writing)
        assert writing.done() and len(calls) == 2


def test_enrich_sees_new_rows_with_contacts_and_its_scores_are_stored(eng, monkeypatch):
    seen = []

    def fake_enrich(conn, rows, *, now):
        for row in rows:
            seen.append((row["external_id"], row["contact_id"]))
            row["score"], row["reasons"] = 4.5, ["reach: test"]

    monkeypatch.setattr(enrich, "enrich_batch", fake_enrich)
    ingest_paths(eng, [DATA / "tweets_page.json"], now=NOW)
    assert len(seen) == 4 and all(cid is not None for _, cid in seen)
    with eng.connect() as conn:
        stored = conn.execute(sa.select(Message.score, Message.reasons)).all()
    assert {(s, tuple(r)) for s, r in stored} == {(4.5, ("reach: test",))}


def test_existing_contacts_are_matched_case_insensitively_and_keep_their_tier(eng, session):
    vip = make_contact(session, email="mia.hart@example.com", vip_tier=2, display_name="Mia")
    ingest_paths(eng, [DATA / "email_plain.eml"], now=NOW)
    assert count(eng, Contact.__table__) == 1
    with eng.connect() as conn:
        contact_id = conn.execute(sa.select(Message.contact_id)).scalar_one()
        tier = conn.execute(sa.select(Contact.vip_tier)).scalar_one()
    assert (contact_id, tier) == (vip.id, 2)


def test_problems_are_one_line_each_and_never_a_traceback(eng):
    buffer = io.StringIO()
    console = Console(file=buffer, width=60, highlight=False)
    ingest_paths(eng, [DATA / "tweets.jsonl", DATA / "nope.json"], now=NOW, console=console)
    lines = buffer.getvalue().splitlines()
    assert lines[0] == f"unreadable {DATA / 'nope.json'}: no such file or folder"
    assert len(lines) == 5 and all(line.startswith("rejected ") for line in lines[1:])
    assert lines[1].endswith(
        "line 5: invalid JSON: Invalid control character at (line 1, column 69)"
    )
    assert "Traceback" not in buffer.getvalue()


def test_progress_bar_on_large_input_does_not_change_results(eng, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "PROGRESS_FROM", 0)
    path = write_tweets(tmp_path / "t.json", 2500)
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=80)
    result = ingest_paths(eng, [path], now=NOW, progress=True, console=console)
    assert result.imported == 2500
    assert "importing" in buffer.getvalue()


def test_jsonl_saved_as_json_is_still_read_line_by_line(eng, tmp_path):
    path = tmp_path / "export.json"
    first = json.dumps({"id": "1", "text": "a" * 9000, "created_at": "2026-11-19T10:00:00Z"})
    second = json.dumps({"id": "2", "text": "b", "created_at": "2026-11-19T10:00:00Z"})
    path.write_text(first + "\n" + second + "\n")
    result = ingest_paths(eng, [path], now=NOW)
    assert (result.imported, result.rejected) == (2, 0)


@pytest.fixture
def cli_db(db_url, monkeypatch):
    """DATABASE_URL for the CLI, with an empty schema."""
    engine = make_engine(db_url)
    SQLModel.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", db_url)
    yield db_url
    engine = make_engine(db_url)
    SQLModel.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    SQLModel.metadata.create_all(engine)
    engine.dispose()


def test_cli_prints_the_summary_and_exits_0_when_all_imported(cli_db):
    result = runner.invoke(app, ["ingest", str(DATA / "tweets_page.json")])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "imported 4, duplicates 0, rejected 0"
    again = runner.invoke(app, ["ingest", str(DATA / "tweets_page.json")])
    assert (again.exit_code, again.stdout.strip()) == (0, "imported 0, duplicates 4, rejected 0")


def test_cli_exits_1_when_some_records_are_rejected(cli_db):
    result = runner.invoke(app, ["ingest", str(DATA / "mixed.mbox")])
    assert result.exit_code == 1
    assert result.stdout.strip() == "imported 3, duplicates 0, rejected 1"
    assert result.stderr.startswith(f"rejected {DATA / 'mixed.mbox'} message 2 (line 11): not an")


def test_cli_exits_2_with_one_line_when_a_path_does_not_exist(cli_db, tmp_path):
    result = runner.invoke(app, ["ingest", str(tmp_path / "missing.mbox")])
    assert result.exit_code == 2
    assert result.stderr == f"error: no such file or folder: {tmp_path / 'missing.mbox'}\n"
    assert "Traceback" not in result.output


def test_sqlite_page_cache_is_restored_after_an_import(eng):
    if eng.dialect.name != "sqlite":
        pytest.skip("a SQLite pragma")
    with eng.connect() as conn:
        before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    ingest_paths(eng, [DATA / "tweets_page.json"], now=NOW)
    with eng.connect() as conn:
        after = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    assert after == before != session.SQLITE_CACHE_KIB


def _problem_tweets(path: Path, first_id: int, n: int) -> Path:
    ids = range(first_id, first_id + n)
    users = [{"id": str(k), "username": f"owner{k}", "public_metrics": {"followers_count": 40}}
             for k in ids]  # fmt: skip
    text = "Idle cars blocking the chargers at the Leeds supercharger again, {k} hours waiting"
    tweets = [{"id": str(k), "text": text.format(k=k % 5 + 2), "author_id": str(k),
               "created_at": "2026-11-19T10:00:00Z"} for k in ids]  # fmt: skip
    path.write_text(json.dumps({"data": tweets, "includes": {"users": users}}))
    return path


@pytest.mark.parametrize("known", [False, True], ids=["new senders", "known senders"])
def test_two_imports_at_once_about_one_problem_grow_one_theme(
    shared_engine, tmp_path, monkeypatch, known
):
    from db import themes

    first = _problem_tweets(tmp_path / "a.json", 100, 6)
    second = _problem_tweets(tmp_path / "b.json", 200, 6)
    if known:  # no contact to insert: nothing makes the second import wait before its look-ups
        with Session(shared_engine) as s:
            for k in [*range(100, 106), *range(200, 206)]:
                make_contact(s, handle=f"owner{k}", followers=40)
    both_looking = threading.Barrier(2, timeout=3)  # without a lock, both look before storing
    existing = themes._existing

    def look_up_together(*args):
        with contextlib.suppress(threading.BrokenBarrierError):
            both_looking.wait()  # times out if the other import waits for this one: the lock
        return existing(*args)

    monkeypatch.setattr(themes, "_existing", look_up_together)
    with ThreadPoolExecutor(2) as pool:
        runs = [pool.submit(ingest_paths, shared_engine, [p], now=NOW) for p in (first, second)]
        results = [r.result(timeout=60) for r in runs]
    assert sum(r.imported for r in results) == 12
    with shared_engine.connect() as conn:
        t, m = Theme.__table__, Message.__table__
        themes_found = conn.execute(sa.select(t.c.key, t.c.message_count)).all()
        members = conn.execute(sa.select(sa.func.count()).where(m.c.theme_id.is_not(None))).scalar()
    assert len(themes_found) == 1, themes_found
    assert themes_found[0][1] == members == 12
