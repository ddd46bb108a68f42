"""The `feedbackloop` commands as a Typer app. Thin: parses arguments, calls one domain function,
prints. db/cli.py is the entry point: it loads this module for every command but a plain `feed`.

Exit codes: 0 success; 1 the command ran but some input was rejected; 2 usage or configuration
error. Errors are one clear line on stderr, never a traceback.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

import click
import typer
from rich.console import Console
from typer.core import TyperGroup

from db.errors import DomainError, first_line
from db.feedcli import DEFAULT_LIMIT, MAX_LIMIT


class _Group(TyperGroup):
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


app = typer.Typer(
    cls=_Group,
    help="Feedback Loop: the morning feed of notable customer emails and tweets.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
user_app = typer.Typer(cls=_Group, help="Manage users.", no_args_is_help=True)
app.add_typer(user_app, name="user")

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one clear line on stderr and exit."""
    err.print(f"error: {message}", markup=False)
    raise typer.Exit(code)


def _engine():
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


def _now() -> datetime:
    return datetime.now(UTC)


def _cannot_write(path: Path, e: OSError) -> NoReturn:
    fail(f"cannot write {path}: {e.strerror or e}")


@app.command()
def init() -> None:
    """Create or upgrade the database schema (Alembic)."""
    from db.engine import database_url, safe_url

    _engine()
    out.print(f"Schema is up to date in {safe_url(database_url())}.")


@app.command()
def demo(
    force: bool = typer.Option(
        False, "--force", help="Load it even into a database that has users of its own."
    ),
) -> None:
    """Load the demo data in seeds/ (safe to run twice)."""
    from seeds.loader import load_demo
    from seeds.people import own_users

    engine = _engine()
    theirs = own_users(engine)
    if theirs and not force:
        fail(
            f"this database has users of its own ({', '.join(theirs)}): the demo would mix "
            "made-up customers and items into it; use an empty DATABASE_URL, or --force"
        )
    load_demo(engine, now=_now(), console=out)


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="Files or folders to import."),
) -> None:
    """Import emails and tweets; format detected per file."""
    from sqlalchemy.exc import SQLAlchemyError

    from db.ingest.pipeline import ingest_paths

    for path in paths:
        if not path.exists():
            fail(f"no such file or folder: {path}")
    engine = _engine()
    try:
        result = ingest_paths(engine, paths, now=_now(), progress=err.is_terminal, console=err)
    except SQLAlchemyError as e:
        fail(f"database error, work committed so far is kept: {first_line(e)}")
    out.print(
        f"imported {result.imported}, duplicates {result.duplicates}, rejected {result.rejected}"
    )
    if result.rejected or result.unreadable:
        raise typer.Exit(1)


@app.command()
def feed(
    day: str | None = typer.Option(
        None, "--date", help="Day to review, YYYY-MM-DD (the company's days)."
    ),
    limit: int = typer.Option(
        DEFAULT_LIMIT, "--limit", min=1, max=MAX_LIMIT, help="Number of cards."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array."),
) -> None:
    """Show the ranked morning feed."""
    from db.feedcli import run

    # db/cli.py runs plain `feed` arguments itself; this is for the ones Typer had to check
    raise typer.Exit(run(day, limit, as_json))


@app.command()
def rescore() -> None:
    """Recompute scores and themes after weights or settings change."""
    from db.enrich import rescore_all

    n = rescore_all(_engine(), now=_now())
    out.print(f"rescored {n} messages")


@user_app.command("add")
def user_add(
    email: str = typer.Argument(..., help="Sign-in email address."),
    name: str = typer.Option(..., "--name", help="Full name."),
    role: str = typer.Option("staff", "--role", help="executive, manager, staff or admin."),
    team: str | None = typer.Option(None, "--team", help="Team, e.g. Charging."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input."
    ),
) -> None:
    """Create a user; the password comes from a prompt or stdin, never an argument."""
    from sqlmodel import Session

    from db.users import create_user

    password = _read_password(password_stdin)
    with Session(_engine()) as session:
        user = create_user(
            session, email=email, name=name, role=role, team=team, password=password, now=_now()
        )
        out.print(f"created {user.role} {user.email}")


@user_app.command("password")
def user_password(
    email: str = typer.Argument(..., help="Sign-in email address."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input."
    ),
) -> None:
    """Set a new password (and switch sign-in back on); signs the user out everywhere."""
    from sqlmodel import Session

    from db.users import reactivate_user, set_password, user_by_email

    with Session(_engine()) as session:
        user = user_by_email(session, email)
        if user is None:
            fail(f"no user signs in with {email.strip()!r}")
        password = _read_password(password_stdin)
        set_password(session, user.id, password=password, actor=None, now=_now())
        if not user.is_active:
            reactivate_user(session, user.id, actor=None, now=_now())
        out.print(f"new password set for {user.email}")


@user_app.command("list")
def user_list() -> None:
    """List every user: email, role, team and whether they can sign in."""
    from sqlmodel import Session, select

    from db.models import User

    with Session(_engine()) as session:
        for u in session.exec(select(User).order_by(User.email)).all():
            state = "" if u.is_active else "  (deactivated)"
            out.print(f"{u.email}  {u.role}  {u.team or '-'}  {u.name}{state}", markup=False)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")  # a Windows line end is not part of it
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


@app.command()
def digest(send: bool = typer.Option(False, "--send", help="Queue and send the digests.")) -> None:
    """Compose (and with --send, send) the daily digests."""
    from db.notify import SmtpSettings, run_digest

    if send:
        SmtpSettings.from_env()  # a malformed SMTP_* setting is refused before any work
    run_digest(_engine(), now=_now(), send=send, console=out)


@app.command()
def worker(
    once: bool = typer.Option(False, "--once", help="Run one round and exit."),
    interval: int = typer.Option(60, "--interval", min=1, help="Seconds between rounds."),
) -> None:
    """Drain the outbox, run escalations and send digests, forever (or --once)."""
    from db.notify import SmtpSettings, run_worker

    SmtpSettings.from_env()  # a malformed SMTP_* setting is refused before any work
    run_worker(_engine(), once=once, interval=interval, console=out)


@app.command()
def changelog(
    fmt: str = typer.Option("md", "--format", help="md, html, atom or json."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to a file."),
) -> None:
    """Export the public "What we changed" log."""
    from db.changelog import render_changelog

    if fmt not in ("md", "html", "atom", "json"):
        fail(f"--format must be md, html, atom or json, got {fmt!r}")
    text = render_changelog(_engine(), fmt=fmt, now=_now())
    if output:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as e:
            _cannot_write(output, e)
    else:
        sys.stdout.write(text)


@app.command("export")
def export_cmd(output: Path = typer.Argument(..., help="JSON file to write.")) -> None:
    """Write a full JSON backup of the database."""
    from db.backup import export_all

    try:
        counts = export_all(_engine(), output)
    except OSError as e:
        _cannot_write(output, e)
    out.print("exported " + ", ".join(f"{n} {t}" for t, n in counts.items()))


@app.command("import")
def import_cmd(source: Path = typer.Argument(..., help="JSON backup to restore.")) -> None:
    """Restore a JSON backup into an empty database."""
    from sqlalchemy.exc import SQLAlchemyError

    from db.backup import import_all

    try:
        counts = import_all(_engine(), source)
    except SQLAlchemyError as e:
        fail(f"database error, nothing was imported: {first_line(e)}")
    out.print("imported " + ", ".join(f"{n} {t}" for t, n in counts.items()))


def main() -> None:
    """Run the Typer app (db/cli.py handles Ctrl-C)."""
    app()
