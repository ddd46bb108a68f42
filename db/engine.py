"""Where the data lives: `database_url()` and `make_engine()`.

SQLite (a file in the working directory) is the zero-set-up default; PostgreSQL through psycopg 3
is the path for teams that share one database between several app replicas and the worker.
Imports beyond SQLAlchemy Core stay inside the functions that need them: `feedbackloop feed`
imports this module and must start fast.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import StaticPool

if TYPE_CHECKING:
    from sqlmodel import Session

DEFAULT_URL = "sqlite:///feedbackloop.db"


IMPORT_LOCK = 0x464C_6F6F_7049_6D70  # PostgreSQL advisory lock key: "FLoopImp" in ASCII


def database_url() -> str:
    """Return DATABASE_URL, or the SQLite file default."""
    url = os.environ.get("DATABASE_URL", "").strip() or DEFAULT_URL
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        # psycopg 3 is the driver we ship; plain URLs would ask for psycopg2.
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def safe_url(url: str) -> str:
    """Return `url` fit to print: the password hidden, or a placeholder if it does not parse."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "(invalid DATABASE_URL)"


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    from db.clock import sqlite_day

    # the company's day of a stored timestamp (`db.clock`): SQLite has no time zones
    dbapi_conn.create_function("fl_day", 2, sqlite_day, deterministic=True)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: str | None = None, **kwargs) -> Engine:
    """Create an engine for `url` (default: `database_url()`), tuned per dialect."""
    url = url or database_url()
    if url.startswith("sqlite"):
        memory = url in ("sqlite://", "sqlite:///:memory:")
        opts: dict = {"connect_args": {"check_same_thread": False}}
        if memory:
            opts["poolclass"] = StaticPool
        else:
            _private_file(sa.engine.make_url(url).database)
        engine = sa.create_engine(url, **opts, **kwargs)
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return sa.create_engine(url, pool_pre_ping=True, **kwargs)


def _private_file(path: str | None) -> None:
    """Create a new SQLite database file readable by its owner only (SQLite makes its -wal and
    -shm files with the same mode): it holds customer mail and password hashes. An existing
    file keeps the mode it has."""
    if path and path != ":memory:" and not path.startswith("file:"):
        with contextlib.suppress(FileExistsError, FileNotFoundError):  # exists; or no folder
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def take_import_lock(conn: Connection) -> None:
    """Start `conn`'s transaction holding the import lock, before its first look-up.

    Imports (and `rescore`) look up stored messages, contacts and themes, then store what they
    did not find. Two at once would both miss what the other is about to store, and each store
    its own: two themes for one problem. With the lock, a batch waits until the other's is
    committed, then sees it. On SQLite it is the write lock, taken now rather than at the
    first INSERT; on PostgreSQL an advisory lock, released at commit. The app's own writes
    wait for one batch at most, as they did.
    """
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({IMPORT_LOCK})")
    elif conn.dialect.name == "sqlite" and not conn.connection.driver_connection.in_transaction:
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # waits up to the busy timeout


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """Yield a session that is closed afterwards (commits are the caller's, one per intent)."""
    from sqlmodel import Session

    with Session(engine, expire_on_commit=False) as session:
        yield session
