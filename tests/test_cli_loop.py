"""The loop's commands end to end: `changelog`, `digest`, `worker --once`."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from db.changeformats import ATOM
from db.cli import app
from db.engine import make_engine
from db.models import Outbox
from tests.journeys import cast
from tests.loopdata import customers, shipped_item

runner = CliRunner()


def _seed(db_url: str) -> None:
    assert runner.invoke(app, ["init"]).exit_code == 0
    engine = make_engine(db_url)
    with Session(engine) as s:
        c = cast(s)
        shipped_item(s, c, list(customers(s))[:2], public_title="Idle fees")
    engine.dispose()


def test_changelog_command_exports_each_format(db_url, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    _seed(db_url)
    atom = runner.invoke(app, ["changelog", "--format", "atom"])
    assert atom.exit_code == 0, atom.output
    feed = ET.fromstring(atom.stdout.encode())
    assert feed.find(f"{{{ATOM}}}entry/{{{ATOM}}}title").text == "Idle fees"
    out = tmp_path / "changes.json"
    assert runner.invoke(app, ["changelog", "--format", "json", "-o", str(out)]).exit_code == 0
    assert json.loads(out.read_text())["entries"][0]["customers"] == 2
    bad = runner.invoke(app, ["changelog", "--format", "pdf"])
    assert bad.exit_code == 2 and "--format must be" in bad.output


def test_digest_prints_and_worker_once_queues_without_smtp(db_url, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.delenv("SMTP_HOST", raising=False)
    _seed(db_url)
    printed = runner.invoke(app, ["digest"])
    assert printed.exit_code == 0 and "Good morning Erin Cole" in printed.stdout
    worker = runner.invoke(app, ["worker", "--once"])
    assert worker.exit_code == 0, worker.output
    assert "SMTP is not configured" in worker.stdout
    engine = make_engine(db_url)
    with Session(engine) as s:
        statuses = {row.status for row in s.exec(select(Outbox)).all()}
    engine.dispose()
    assert statuses <= {"pending"}  # without SMTP nothing is lost and nothing is tried


@pytest.mark.parametrize(
    "target, reason",
    [("missing/changes.md", "No such file or directory"), (".", "Is a directory")],
)
def test_changelog_to_an_unwritable_place_is_one_line_and_exit_2(
    db_url, monkeypatch, tmp_path, target, reason
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    path = tmp_path / target
    result = runner.invoke(app, ["changelog", "-o", str(path)])
    assert (result.exit_code, result.stderr) == (2, f"error: cannot write {path}: {reason}\n")


@pytest.mark.parametrize("command", [["worker", "--once"], ["digest", "--send"]])
def test_a_malformed_smtp_port_is_a_configuration_error(db_url, monkeypatch, command) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", "abc")
    _seed(db_url)
    engine = make_engine(db_url)
    with Session(engine) as s:
        queued = s.exec(select(Outbox.id, Outbox.status)).all()
    result = runner.invoke(app, command)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "error: SMTP_PORT must be a number, got 'abc'\n"
    with Session(engine) as s:  # refused before any work: no digest queued, nothing tried
        assert s.exec(select(Outbox.id, Outbox.status)).all() == queued
    engine.dispose()
