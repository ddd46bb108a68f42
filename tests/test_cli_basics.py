"""`feedbackloop init`, `export` and `import`, and the CLI's error contract."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from subprocess import PIPE

import pytest
import sqlalchemy as sa
from sqlmodel import Session
from typer.testing import CliRunner

from db.cli import app
from db.engine import make_engine
from db.models import Message, Quarantine
from tests.factories import NOW, make_ceo, make_contact, make_message

runner = CliRunner()


def test_init_creates_the_schema_and_is_repeatable(db_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    first = runner.invoke(app, ["init"])
    second = runner.invoke(app, ["init"])
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    engine = make_engine(db_url)
    tables = set(sa.inspect(engine).get_table_names())
    engine.dispose()
    assert {"message", "item", "event", "outbox", "quarantine", "alembic_version"} <= tables


def test_unreachable_database_is_one_line_and_exit_2(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    result = runner.invoke(app, ["init"])
    assert result.exit_code == 2
    assert result.output.startswith("error: cannot open database")
    assert "Traceback" not in result.output


def test_export_then_import_restores_every_row(db_url, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert runner.invoke(app, ["init"]).exit_code == 0
    from sqlmodel import Session

    engine = make_engine(db_url)
    with Session(engine) as s:
        make_ceo(s)
        contact = make_contact(s, email="ada@example.org", display_name="Ada")
        make_message(
            s,
            external_id="m1@example.org",
            contact_id=contact.id,
            headers={"precedence": "bulk"},
            reasons=["reach: 12 followers"],
        )
    backup = tmp_path / "backup.json"
    assert runner.invoke(app, ["export", str(backup)]).exit_code == 0
    doc = json.loads(backup.read_text())
    assert len(doc["tables"]["message"]) == 1

    refused = runner.invoke(app, ["import", str(backup)])
    assert refused.exit_code == 2 and "not empty" in refused.output

    with engine.begin() as conn:
        for table in ("message", "contact", "user"):
            conn.execute(sa.text(f'DELETE FROM "{table}"'))
    restored = runner.invoke(app, ["import", str(backup)])
    assert restored.exit_code == 0, restored.output
    with engine.connect() as conn:
        row = conn.execute(sa.text("SELECT external_id, headers FROM message")).one()
    engine.dispose()
    assert row[0] == "m1@example.org"
    headers = row[1] if isinstance(row[1], dict) else json.loads(row[1])
    assert headers == {"precedence": "bulk"}


def test_import_of_a_non_backup_file_is_refused(db_url, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", db_url)
    bogus = tmp_path / "x.json"
    bogus.write_text("[1, 2")
    result = runner.invoke(app, ["import", str(bogus)])
    assert result.exit_code == 2
    assert "cannot read backup" in result.output


CLI = "from db.cli import main\nmain()\n"


def _cli(url: str, *args: str, limit_file_size: int | None = None) -> subprocess.CompletedProcess:
    """Run `feedbackloop` in a child process, optionally unable to write past a file size."""

    def limit() -> None:  # a write past the limit fails with EFBIG, like a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_file_size, resource.RLIM_INFINITY))

    return subprocess.run(
        [sys.executable, "-c", CLI, *args],
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limit if limit_file_size else None,
    )


def _one_error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    return lines[0]


def test_export_on_a_full_disk_keeps_the_old_file(db_url, tmp_path):
    assert _cli(db_url, "init").returncode == 0
    engine = make_engine(db_url)
    big = {"source": "big.eml", "reason": "test", "raw": bytes(1_000_000), "created_at": NOW}
    with engine.begin() as conn:  # a backup of ~1.3 MB, far past the 256 KB the child may write
        conn.execute(Quarantine.__table__.insert(), [big])
    engine.dispose()
    backup = tmp_path / "out" / "backup.json"
    backup.parent.mkdir()
    backup.write_text('{"old": true}')
    done = _cli(db_url, "export", str(backup), limit_file_size=256 * 1024)
    assert done.returncode == 2, done.stderr
    assert _one_error_line(done.stderr) == f"error: cannot write {backup}: File too large"
    assert backup.read_text() == '{"old": true}'
    assert [p.name for p in backup.parent.iterdir()] == ["backup.json"]  # no temporary file left


def test_export_replaces_an_existing_file_when_complete(db_url, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", db_url)
    backup = tmp_path / "out" / "backup.json"
    backup.parent.mkdir()
    backup.write_text("old")
    assert runner.invoke(app, ["export", str(backup)]).exit_code == 0
    assert json.loads(backup.read_text())["format"] == "feedbackloop-backup/1"
    assert [p.name for p in backup.parent.iterdir()] == ["backup.json"]


@pytest.mark.parametrize(
    "target, reason",
    [("missing/dir/x.json", "No such file or directory"), (".", "Is a directory")],
)
def test_export_to_an_unwritable_place_is_one_line_and_exit_2(
    db_url, monkeypatch, tmp_path, target, reason
):
    monkeypatch.setenv("DATABASE_URL", db_url)
    path = tmp_path / target
    result = runner.invoke(app, ["export", str(path)])
    assert result.exit_code == 2
    assert _one_error_line(result.stderr) == f"error: cannot write {path}: {reason}"


def _backup_of_one_message(db_url: str, tmp_path) -> dict:
    """Export a database holding one contact and their message; return the JSON document."""
    from sqlmodel import Session

    engine = make_engine(db_url)
    with Session(engine) as s:
        contact = make_contact(s, email="ada@example.org", display_name="Ada")
        make_message(s, external_id="m1@example.org", contact_id=contact.id)
    assert runner.invoke(app, ["export", str(tmp_path / "backup.json")]).exit_code == 0
    with engine.begin() as conn:
        for table in ("message", "contact"):
            conn.execute(sa.text(f'DELETE FROM "{table}"'))
    engine.dispose()
    return json.loads((tmp_path / "backup.json").read_text())


def _without_tables(doc: dict) -> dict:
    return {"format": doc["format"]}


def _message(**changes):
    def edit(doc: dict) -> dict:
        doc["tables"]["message"][0].update(changes)
        return doc

    return edit


def _rows_of(table: str, rows):
    def edit(doc: dict) -> dict:
        doc["tables"][table] = rows
        return doc

    return edit


@pytest.mark.parametrize(
    "edit, message",
    [
        (_without_tables, 'has no "tables" object'),
        (_rows_of("contact", {"id": 1}), "table contact must be a list of row objects"),
        (_rows_of("contact", [1, 2]), "table contact must be a list of row objects"),
        (_message(received_at="yesterday"),
         "table message, row 1: received_at is 'yesterday', not an ISO 8601 time with offset"),
        (_message(received_at="2026-03-02T09:00:00"),
         "table message, row 1: received_at is '2026-03-02T09:00:00', "
         "not an ISO 8601 time with offset"),
        (_message(contact_id=999),
         "table message, row 1: contact_id 999 refers to no contact in the backup"),
        (_message(channel=None), "table message: NOT NULL constraint failed: message.channel"),
    ],
    ids=["no-tables", "rows-not-a-list", "rows-not-objects", "bad-time", "naive-time",
         "missing-contact", "missing-channel"],
)  # fmt: skip
def test_a_hand_edited_backup_is_refused_whole_in_one_line(
    db_url, monkeypatch, tmp_path, edit, message
):
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert runner.invoke(app, ["init"]).exit_code == 0
    doc = edit(_backup_of_one_message(db_url, tmp_path))
    if "NOT NULL" in message and db_url.startswith("postgresql"):
        message = 'table message: null value in column "channel"'
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(doc))
    result = runner.invoke(app, ["import", str(edited)])
    assert result.exit_code == 2, result.output
    assert message in _one_error_line(result.stderr)
    engine = make_engine(db_url)
    with engine.connect() as conn:  # one transaction: the contacts before the bad row are gone
        count = "SELECT (SELECT COUNT(*) FROM contact), (SELECT COUNT(*) FROM message)"
        counts = list(conn.execute(sa.text(count)).one())
    engine.dispose()
    assert counts == [0, 0]


def test_ctrl_c_says_what_was_kept_and_exits_130(db_url):
    assert _cli(db_url, "init").returncode == 0
    env = {**os.environ, "DATABASE_URL": db_url, "PYTHONUNBUFFERED": "1"}
    env.pop("SMTP_HOST", None)
    argv = [sys.executable, "-c", CLI, "worker", "--interval", "600"]
    with subprocess.Popen(argv, env=env, stdout=PIPE, stderr=PIPE, text=True) as child:
        try:
            first = child.stdout.readline()  # the first round has run: now it sleeps
            child.send_signal(signal.SIGINT)
            _, stderr = child.communicate(timeout=60)
        finally:
            child.kill()
    assert "SMTP is not configured" in first
    assert child.returncode == 130
    assert stderr == "interrupted; work committed so far is kept\n"


def test_demo_refuses_a_database_with_users_of_its_own_unless_forced(db_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert runner.invoke(app, ["init"]).exit_code == 0
    engine = make_engine(db_url)
    with Session(engine) as s:
        make_ceo(s)
    refused = runner.invoke(app, ["demo"])
    assert refused.exit_code == 2
    assert refused.output.startswith("error: this database has users of its own")
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(Message)).scalar() == 0
    engine.dispose()
    assert runner.invoke(app, ["demo", "--force"]).exit_code == 0
