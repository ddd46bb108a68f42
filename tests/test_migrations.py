"""Alembic migrations and the models agree, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

from db.engine import make_engine
from db.schema import HEAD, alembic_config, current_revision, ensure_current, upgrade
from tests.conftest import POSTGRES_URL


def _empty_engine(tmp_path):
    if POSTGRES_URL:
        engine = make_engine(POSTGRES_URL)
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
        return engine
    return make_engine(f"sqlite:///{tmp_path / 'migrated.db'}")


def test_upgrade_to_head_matches_the_models(tmp_path, engine):
    migrated = _empty_engine(tmp_path)
    try:
        upgrade(migrated)
        with migrated.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(ctx, SQLModel.metadata)
        assert diff == []
        assert set(sa.inspect(migrated).get_table_names()) >= set(SQLModel.metadata.tables)
    finally:
        if POSTGRES_URL:  # give the shared test database back its tables
            with migrated.begin() as conn:
                conn.execute(sa.text("DROP SCHEMA public CASCADE"))
                conn.execute(sa.text("CREATE SCHEMA public"))
            SQLModel.metadata.create_all(engine)
        migrated.dispose()


def test_upgrade_twice_is_a_no_op(tmp_path):
    if POSTGRES_URL:
        pytest.skip("SQLite file only; PostgreSQL upgrade is covered by the test above")
    migrated = make_engine(f"sqlite:///{tmp_path / 'twice.db'}")
    upgrade(migrated)
    upgrade(migrated)
    with migrated.connect() as conn:
        version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
    assert version == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_head_constant_names_the_newest_migration():
    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD


def test_ensure_current_upgrades_a_new_database_and_then_only_checks(tmp_path):
    if POSTGRES_URL:
        pytest.skip("SQLite file only; the shared PostgreSQL database is already migrated")
    fresh = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    assert current_revision(fresh) is None
    ensure_current(fresh)
    assert current_revision(fresh) == HEAD
    ensure_current(fresh)
    assert current_revision(fresh) == HEAD


def test_a_new_sqlite_database_file_is_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "new.db"
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x)")
        conn.commit()
    engine.dispose()
    assert (path.stat().st_mode & 0o777) == 0o600
    path.chmod(0o640)  # an operator's own choice is kept
    make_engine(f"sqlite:///{path}").dispose()
    assert (path.stat().st_mode & 0o777) == 0o640
