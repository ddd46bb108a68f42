"""The fast path of `feedbackloop feed`: what it loads, how it reads its arguments, what it
hands to Typer, and that its Core table views agree with the models."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import sqlalchemy as sa
from sqlmodel import Session, SQLModel
from typer.testing import CliRunner

from db import models, views
from db.cli import app, main
from db.engine import make_engine
from db.errors import InvalidInput
from db.feedcli import plain_args
from db.schema import HEAD, current_revision, ensure_current
from tests.factories import set_time_zone

HEAVY = ("typer", "click", "rich", "sqlmodel", "pydantic", "db.models", "db.commands", "alembic")


def _run(url: str, *args: str, probe: bool = False) -> subprocess.CompletedProcess:
    """Run `feedbackloop` in a child process; with `probe`, list heavy modules it loaded."""
    code = "import sys\nfrom db.cli import main\n"
    if probe:
        code += (
            "try:\n    main()\nfinally:\n"
            f"    print('LOADED', sorted(m for m in {HEAVY!r} if m in sys.modules), "
            "file=sys.stderr)\n"
        )
    else:
        code += "main()\n"
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True,
                          text=True, timeout=120)  # fmt: skip


def _loaded(done: subprocess.CompletedProcess) -> str:
    return next(line for line in done.stderr.splitlines() if line.startswith("LOADED"))


@pytest.mark.parametrize(
    "argv, expected",
    [
        ([], (None, 20, False)),
        (["--json"], (None, 20, True)),
        (["--date", "2026-03-02", "--limit", "5", "--json"], ("2026-03-02", 5, True)),
        (["--date=2026-03-02", "--limit=500"], ("2026-03-02", 500, False)),
        (["--date", "yesterday"], ("yesterday", 20, False)),  # run() reports the bad date
    ],
)
def test_plain_feed_arguments_are_read_without_typer(argv, expected):
    assert plain_args(argv) == expected


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["--limit", "0"], ["--limit", "501"], ["--limit", "x"], ["--limit"],
     ["--date"], ["--date", "--json"], ["--verbose"], ["extra"], ["--json=1"]],
)  # fmt: skip
def test_anything_unusual_is_left_to_typer(argv):
    assert plain_args(argv) is None


def test_feed_json_loads_neither_typer_rich_nor_the_orm(db_url):
    assert _run(db_url, "init").returncode == 0
    done = _run(db_url, "feed", "--json", probe=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []
    assert _loaded(done) == "LOADED []"


def test_typer_still_owns_help_and_usage_errors(db_url):
    helped = _run(db_url, "--help")
    assert helped.returncode == 0
    for command in ("init", "demo", "ingest", "feed", "rescore", "user", "digest", "worker",
                    "changelog", "export", "import"):  # fmt: skip
        assert f" {command} " in helped.stdout, command
    assert "--limit" in _run(db_url, "feed", "--help").stdout
    refused = _run(db_url, "feed", "--limit", "0")
    assert refused.returncode == 2 and "--limit" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_feed_on_an_unreachable_database_is_one_line_and_exit_2():
    done = _run("postgresql+psycopg://nobody@127.0.0.1:1/none", "feed", "--json")
    assert done.returncode == 2 and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot read database")


def test_a_database_without_schema_is_refused_not_created_by_readers(db_url):
    engine = sa.create_engine(db_url)
    try:
        assert current_revision(engine) is None
        with pytest.raises(InvalidInput, match="feedbackloop init"):
            ensure_current(engine, create=False)
        assert not sa.inspect(engine).has_table("message")
        ensure_current(engine)
        assert current_revision(engine) == HEAD
        ensure_current(engine, create=False)  # at HEAD: one SELECT, nothing to do
    finally:
        engine.dispose()


@pytest.mark.parametrize("view", [views.M, views.T, views.C], ids=lambda v: v.name)
def test_the_feed_core_views_match_the_models(view):
    table = SQLModel.metadata.tables[view.name]
    for column in view.columns:
        assert column.name in table.columns, f"{view.name}.{column.name}"
        model_type = table.columns[column.name].type
        assert column.type._type_affinity is model_type._type_affinity, column.name
        # aware UTC timestamps need the same decorator on both sides
        if model_type._type_affinity is sa.DateTime:
            assert type(column.type).__name__ == type(model_type).__name__ == "UTCDateTime"
    assert views.NEW == models.Triage.NEW


def _feed(url: str, monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """Run `feedbackloop feed ...` in this process; return exit code, stdout and stderr."""
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setattr(sys, "argv", ["feedbackloop", "feed", *args])
    with pytest.raises(SystemExit) as done:
        main()
    out = capsys.readouterr()
    return done.value.code, out.out, out.err


@pytest.mark.parametrize(
    "zone, day, error",
    [
        ("UTC", "9999-12-31", "--date must be between 1900-01-01 and 2999-12-31, got '9999-12-31'"),
        ("Pacific/Auckland", "0001-01-01",
         "--date must be between 1900-01-01 and 2999-12-31, got '0001-01-01'"),
        ("UTC", "", "--date must be YYYY-MM-DD, got ''"),
    ],
)  # fmt: skip
def test_a_date_out_of_range_or_empty_is_one_line_and_exit_2(
    db_url, monkeypatch, capsys, zone, day, error
):
    engine = make_engine(db_url)
    ensure_current(engine)
    with Session(engine) as s:
        set_time_zone(s, zone)
    engine.dispose()
    assert _feed(db_url, monkeypatch, capsys, "--date", day) == (2, "", f"error: {error}\n")
    typer_path = CliRunner().invoke(app, ["feed", "--date", day])
    assert (typer_path.exit_code, typer_path.stderr) == (2, f"error: {error}\n")


@pytest.mark.parametrize("day", ["1900-01-01", "2999-12-31"])
def test_the_first_and_last_dates_read_an_empty_feed(db_url, monkeypatch, capsys, day):
    engine = make_engine(db_url)
    ensure_current(engine)
    with Session(engine) as s:
        set_time_zone(s, "Pacific/Auckland")
    engine.dispose()
    assert _feed(db_url, monkeypatch, capsys, "--date", day, "--json") == (0, "[]\n", "")
