"""`feedbackloop init`, `export` and `import`, and the CLI's error contract."""

from __future__ import annotations

import json

import sqlalchemy as sa
from typer.testing import CliRunner

from db.cli import app
from db.engine import make_engine
from tests.factories import make_ceo, make_contact, make_message

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
