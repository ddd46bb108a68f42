"""`feedbackloop fetch URL...`: import new customer mail straight from IMAP folders.

Each mailbox is read on its own: one that cannot be reached is reported and the others are
still fetched. The password comes from IMAP_PASSWORD, ~/.netrc, or a prompt in a terminal
(`db.ingest.mailurl`). Exit codes as everywhere: 0 all imported; 1 some mail was rejected or a
fetch stopped part-way (what it committed is kept); 2 a mailbox could not be reached or opened.
"""

from __future__ import annotations

import sys

import typer

from db.cliapp import err, fail, now, open_engine, out
from db.errors import first_line
from db.ingest.mailurl import MailboxUrl, password_for


def fetch(
    urls: list[str] = typer.Argument(..., help="Mailboxes, as imaps://user@host/folder."),
    everything: bool = typer.Option(
        False, "--all", help="Read the whole folder again, not only new mail (nothing doubles)."
    ),
) -> None:
    """Import new mail from IMAP folders; the server is left as it was (nothing marked read)."""
    from sqlalchemy.exc import SQLAlchemyError

    from db.ingest.mailbox import MailboxError, fetch_mail
    from db.ingest.mailurl import parse_mailbox_url

    mailboxes = [parse_mailbox_url(u) for u in urls]  # a malformed URL stops before any work
    passwords = [stored_password(m, ask=True) for m in mailboxes]
    engine = open_engine()
    code = 0
    for mailbox, password in zip(mailboxes, passwords, strict=True):
        try:
            result = fetch_mail(engine, mailbox, password=password, now=now(), console=err,
                                everything=everything, progress=err.is_terminal)  # fmt: skip
        except MailboxError as e:
            err.print(f"error: {e}", markup=False)
            code = 2
            continue
        except SQLAlchemyError as e:
            fail(f"database error, work committed so far is kept: {first_line(e)}")
        out.print(f"{mailbox}: imported {result.imported}, duplicates {result.duplicates}, "
                  f"rejected {result.rejected}")  # fmt: skip
        if result.error:
            err.print(f"error: stopped early, the rest is fetched next time: {result.error}",
                      markup=False)  # fmt: skip
        if result.error or result.rejected:
            code = code or 1
    raise typer.Exit(code)


def stored_password(mailbox: MailboxUrl, *, ask: bool = False) -> str:
    """Return the password for `mailbox` from IMAP_PASSWORD or ~/.netrc, else (with `ask`, in
    a terminal) from a prompt, else fail saying how to give one: the worker never prompts."""
    found = password_for(mailbox)
    if found is None and ask and sys.stdin.isatty():
        return typer.prompt(f"Password for {mailbox.user} at {mailbox.host}", hide_input=True)
    if found is None:
        fail(f"no password for {mailbox.user} at {mailbox.host}: set IMAP_PASSWORD or add it "
             "to ~/.netrc")  # fmt: skip
    return found
