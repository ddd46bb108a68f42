"""Create or upgrade the schema with Alembic (`feedbackloop init`).

`ensure_current` is the cheap check every command runs first: one SELECT of the stored
revision, and Alembic (slow to import) only when the database is new or behind.
"""

from __future__ import annotations

from importlib.resources import files

import sqlalchemy as sa
from sqlalchemy.engine import Engine

HEAD = "0001"  # newest migration; tests/test_migrations.py keeps this in step


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
        if not sa.inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def ensure_current(engine: Engine) -> None:
    """Upgrade the schema unless it is already at HEAD."""
    if current_revision(engine) != HEAD:
        upgrade(engine)
