"""Create or upgrade the schema with Alembic (`feedbackloop init`).

`ensure_current` is the cheap check every command runs first: one SELECT of the stored
revision, and Alembic (slow to import) only when the database is new or behind.
"""

from __future__ import annotations

from importlib.resources import files

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from db.errors import InvalidInput

HEAD = "0004"  # newest migration; tests/test_migrations.py keeps this in step


def alembic_config():
    """Return an Alembic config pointing at the packaged migrations."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(files("db") / "migrations"))
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the database behind `engine` to the newest schema."""
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def current_revision(engine: Engine) -> str | None:
    """Return the stored schema revision, or None for a database without one."""
    with engine.connect() as conn:
        try:
            return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        except DBAPIError:
            # one SELECT on the common path; look closer only when it fails
            conn.rollback()
            if sa.inspect(conn).has_table("alembic_version"):
                raise
            return None


def ensure_current(engine: Engine, *, create: bool = True) -> None:
    """Upgrade the schema unless it is already at HEAD.

    With `create=False` (read-only commands) a database without a schema is refused rather
    than initialised: reading an empty, mistyped database should say so, not create one.
    """
    revision = current_revision(engine)
    if revision is None and not create:
        raise InvalidInput("This database has no Feedback Loop tables: run `feedbackloop init`.")
    if revision != HEAD:
        upgrade(engine)
