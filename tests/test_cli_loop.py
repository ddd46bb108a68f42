"""The loop's commands end to end: `changelog`, `digest`, `worker --once`."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from sqlmodel import Session, select
from typer.testing import CliRunner

from db.changelog import ATOM
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
