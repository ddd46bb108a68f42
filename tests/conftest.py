"""Shared fixtures: a real database per test run, SQLite by default, PostgreSQL when
TEST_POSTGRES_URL is set (CI runs the whole suite both ways)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from db import (
    models,  # noqa: F401
    schema,
)
from db.engine import make_engine

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "").strip()


def _fresh_schema(engine: Engine) -> None:
    SQLModel.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    SQLModel.metadata.create_all(engine)


def clear_tables(engine: Engine) -> None:
    """Empty every table (fast enough to run after each test)."""
    tables = SQLModel.metadata.sorted_tables
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(tables):
                conn.execute(table.delete())


@pytest.fixture(scope="session")
def engine() -> Iterator[Engine]:
    """One engine per test run: PostgreSQL if TEST_POSTGRES_URL is set, else in-memory SQLite."""
    eng = make_engine(POSTGRES_URL or "sqlite://")
    _fresh_schema(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def shared_engine(engine: Engine, session: Session, tmp_path) -> Iterator[Engine]:
    """A database two connections can write at once (for races): PostgreSQL, else a SQLite
    file (the in-memory one has a single connection)."""
    if engine.dialect.name == "postgresql":
        yield engine  # emptied afterwards by the session fixture
        return
    file_engine = make_engine(f"sqlite:///{tmp_path / 'shared.db'}")
    SQLModel.metadata.create_all(file_engine)
    yield file_engine
    file_engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on an empty database; every table is emptied afterwards."""
    with Session(engine, expire_on_commit=False) as s:
        yield s
    clear_tables(engine)


@pytest.fixture
def db_url(tmp_path) -> Iterator[str]:
    """A URL for a separate, empty database (for CLI and app tests that open their own).

    On PostgreSQL: a fresh schema in the test database, chosen through `search_path`.
    """
    if not POSTGRES_URL:
        yield f"sqlite:///{tmp_path / 'feedbackloop.db'}"
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


def app_database_url(tag: str, tmp_path_factory) -> str:
    """A URL for a database that the app under test opens by itself through DATABASE_URL.

    SQLite: a temporary file. PostgreSQL: the test database's name plus `_tag`, created if
    missing (a separate database, since the app runs its own migrations on it).
    """
    if not POSTGRES_URL:
        return f"sqlite:///{tmp_path_factory.mktemp(tag)}/app.db"
    base = sa.engine.make_url(POSTGRES_URL)
    name = f"{base.database}_{tag}"
    admin = make_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        found = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if found.first() is None:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="module")
def app_engine(request, tmp_path_factory) -> Iterator[Engine]:
    """A migrated database for one page-test module; `app_engine.app_url` is its URL."""
    tag = request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    url = app_database_url(tag, tmp_path_factory)
    eng = make_engine(url)
    SQLModel.metadata.drop_all(eng)
    with eng.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    schema.upgrade(eng)
    eng.app_url = url
    yield eng
    clear_tables(eng)
    eng.dispose()


@pytest.fixture
def db(app_engine, monkeypatch) -> Iterator[Session]:
    """A session on the app's empty database, with DATABASE_URL and the caches set for AppTest."""
    import streamlit as st

    monkeypatch.setenv("DATABASE_URL", app_engine.app_url)
    monkeypatch.delenv("SMTP_HOST", raising=False)
    st.cache_data.clear()
    with Session(app_engine, expire_on_commit=False) as s:
        yield s
    clear_tables(app_engine)
    st.cache_data.clear()
