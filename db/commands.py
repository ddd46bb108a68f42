"""The `feedbackloop` commands as a Typer app. Thin: parses arguments, calls one domain function,
prints. db/cli.py is the entry point: it loads this module for every command but a plain `feed`.
What the commands share is `db.cliapp`; the `user` commands are `db.usercommands`.

Exit codes: 0 success; 1 the command ran but some input was rejected; 2 usage or configuration
error. Errors are one clear line on stderr, never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import typer

from db.cliapp import Group, err, fail, now, open_engine, out
from db.errors import first_line
from db.feedcli import DEFAULT_LIMIT, MAX_LIMIT
from db.fetchcommand import fetch
from db.usercommands import user_app

app = typer.Typer(
    cls=Group,
    help="Feedback Loop: the morning feed of notable customer emails and tweets.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(user_app, name="user")


def _cannot_write(path: Path, e: OSError) -> NoReturn:
    fail(f"cannot write {path}: {e.strerror or e}")


@app.command()
def init() -> None:
    """Create or upgrade the database schema (Alembic)."""
    from db.engine import database_url, safe_url

    open_engine()
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

    engine = open_engine()
    theirs = own_users(engine)
    if theirs and not force:
        fail(
            f"this database has users of its own ({', '.join(theirs)}): the demo would mix "
            "made-up customers and items into it; use an empty DATABASE_URL, or --force"
        )
    load_demo(engine, now=now(), console=out)


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
    engine = open_engine()
    try:
        result = ingest_paths(engine, paths, now=now(), progress=err.is_terminal, console=err)
    except SQLAlchemyError as e:
        fail(f"database error, work committed so far is kept: {first_line(e)}")
    out.print(
        f"imported {result.imported}, duplicates {result.duplicates}, rejected {result.rejected}"
    )
    if result.rejected or result.unreadable:
        raise typer.Exit(1)


app.command()(fetch)


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

    n = rescore_all(open_engine(), now=now())
    out.print(f"rescored {n} messages")


@app.command()
def digest(send: bool = typer.Option(False, "--send", help="Queue and send the digests.")) -> None:
    """Compose (and with --send, send) the daily digests."""
    from db.smtp import SmtpSettings
    from db.worker import run_digest

    if send:
        SmtpSettings.from_env()  # a malformed SMTP_* setting is refused before any work
    run_digest(open_engine(), now=now(), send=send, console=out)


@app.command()
def worker(
    once: bool = typer.Option(False, "--once", help="Run one round and exit."),
    interval: int = typer.Option(60, "--interval", min=1, help="Seconds between rounds."),
    mailboxes: list[str] = typer.Option(
        [],
        "--fetch",
        metavar="URL",
        help="Also fetch new mail from this IMAP folder each "
        "round (imaps://user@host/folder; repeatable; password from IMAP_PASSWORD or ~/.netrc).",
    ),  # fmt: skip
) -> None:
    """Fetch mail (--fetch), drain the outbox, escalate and send digests, forever (or --once)."""
    from db.fetchcommand import stored_password
    from db.ingest.mailurl import parse_mailbox_url
    from db.smtp import SmtpSettings
    from db.worker import run_worker

    SmtpSettings.from_env()  # a malformed SMTP_* setting is refused before any work
    fetched = [parse_mailbox_url(u) for u in mailboxes]
    boxes = [(m, stored_password(m)) for m in fetched]
    run_worker(open_engine(), once=once, interval=interval, console=out, mailboxes=boxes)


@app.command()
def changelog(
    fmt: str = typer.Option("md", "--format", help="md, html, atom or json."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to a file."),
) -> None:
    """Export the public "What we changed" log."""
    from db.changelog import render_changelog

    if fmt not in ("md", "html", "atom", "json"):
        fail(f"--format must be md, html, atom or json, got {fmt!r}")
    text = render_changelog(open_engine(), fmt=fmt, now=now())
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
        counts = export_all(open_engine(), output)
    except OSError as e:
        _cannot_write(output, e)
    out.print("exported " + ", ".join(f"{n} {t}" for t, n in counts.items()))


@app.command("import")
def import_cmd(source: Path = typer.Argument(..., help="JSON backup to restore.")) -> None:
    """Restore a JSON backup into an empty database."""
    from sqlalchemy.exc import SQLAlchemyError

    from db.backup import import_all

    try:
        counts = import_all(open_engine(), source)
    except SQLAlchemyError as e:
        fail(f"database error, nothing was imported: {first_line(e)}")
    out.print("imported " + ", ".join(f"{n} {t}" for t, n in counts.items()))


def main() -> None:
    """Run the Typer app (db/cli.py handles Ctrl-C)."""
    app()
