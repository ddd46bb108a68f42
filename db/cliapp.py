"""What every `feedbackloop` command shares: the Typer group that turns domain errors into one
line and exit code 2 (and Ctrl-C into db/cli.py's line and 130), the two consoles, `fail`, the
engine with its schema brought up to date, and the clock."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import NoReturn

import click
import typer
from rich.console import Console
from typer.core import TyperGroup

from db.errors import DomainError, first_line


class Group(TyperGroup):
    """Turn domain errors from any command into one line on stderr and exit code 2, and Ctrl-C
    into db/cli.py's line and exit code 130 (Typer would swallow it and exit 130 silently)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except DomainError as e:
            err.print(f"error: {e}", markup=False)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            from db.cli import INTERRUPTED

            err.print(INTERRUPTED, markup=False)
            raise typer.Exit(130) from None


out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one clear line on stderr and exit."""
    err.print(f"error: {message}", markup=False)
    raise typer.Exit(code)


def open_engine():
    """Return an engine for DATABASE_URL, with the schema brought up to date."""
    from sqlalchemy.exc import SQLAlchemyError

    from db.engine import database_url, make_engine, safe_url
    from db.schema import ensure_current

    url = database_url()
    try:
        engine = make_engine(url)
        ensure_current(engine)
    except (SQLAlchemyError, ValueError, ImportError) as e:
        fail(f"cannot open database {safe_url(url)}: {first_line(e)}")
    return engine


def now() -> datetime:
    """Return the current time, aware, in UTC."""
    return datetime.now(UTC)
