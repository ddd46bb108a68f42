"""Fetching customer mail straight from an IMAP folder: `feedbackloop fetch` and the worker.

The folder is opened read-only and read with BODY.PEEK, so nothing changes on the server: no
message is marked seen, moved or deleted, and the support team's mail client shows what it
showed before. Only mail new since the last fetch is read: each folder's UIDVALIDITY and the
last UID stored are kept in `Mailbox`, and are advanced only after the batch holding those
messages is committed, so an interrupted fetch reads again what it had not committed (and the
Message-ID keeps that from duplicating anything). If the server renumbers the folder (a new
UIDVALIDITY) the whole folder is read again, to the same effect. Messages go through the same
parser and batches as `feedbackloop ingest`; one that cannot be read is quarantined by UID.
"""

from __future__ import annotations

import contextlib
import ssl
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError
from rich.console import Console
from sqlalchemy.engine import Connection, Engine

from db.errors import first_line
from db.ingest.imapread import new_uids, read_into
from db.ingest.mailurl import MailboxUrl
from db.ingest.session import BATCH_SIZE, importing
from db.models import Mailbox

TIMEOUT = 60  # seconds without an answer before the server is given up on
_MB = Mailbox.__table__


class MailboxError(Exception):
    """The mailbox cannot be reached or read; the message says why, in one line."""


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What a fetch did: counts like an import's, and how it ended if it ended early."""

    imported: int
    duplicates: int
    rejected: int
    error: str | None = None


def connect(url: MailboxUrl, password: str, *, timeout: float = TIMEOUT) -> IMAPClient:
    """Return a client signed in to `url`'s server over TLS (plain text only to this machine)."""
    context = ssl.create_default_context()
    try:
        client = IMAPClient(url.host, url.port, ssl=url.tls, ssl_context=context, timeout=timeout)
    except (OSError, IMAPClientError) as e:
        raise MailboxError(f"cannot connect to {url.host}:{url.port}: {_why(e)}") from None
    try:
        if not url.tls and b"STARTTLS" in client.capabilities():
            client.starttls(context)
        elif not url.tls and not url.local:
            raise MailboxError(f"{url.host} offers no STARTTLS; use imaps:// (port 993)")
        client.login(url.user, password)
    except (OSError, IMAPClientError) as e:
        _close(client)
        raise MailboxError(f"{url.host}: {_why(e)}") from None
    except MailboxError:
        _close(client)
        raise
    client.normalise_times = False  # INTERNALDATE with its zone, not in local time
    return client


def fetch_mail(
    engine: Engine, url: MailboxUrl, *, password: str, now: datetime, console: Console,
    everything: bool = False, progress: bool = False,
) -> FetchResult:  # fmt: skip
    """Sign in to `url`'s server and import the folder's new mail (all of it with
    `everything`); raise MailboxError if the folder cannot be reached or opened."""
    try:
        client = connect(url, password)
        try:
            return fetch_mailbox(engine, url, client, now=now, console=console,
                                 everything=everything, progress=progress)  # fmt: skip
        finally:
            _close(client)
    except MailboxError as e:  # shown on Admin → Import, beside the mailbox
        _note_failure(engine, url.key, str(e).removeprefix(f"{url}: "))
        raise


def fetch_mailbox(
    engine: Engine, url: MailboxUrl, client: IMAPClient, *, now: datetime, console: Console,
    everything: bool = False, progress: bool = False, batch_size: int = BATCH_SIZE,
) -> FetchResult:  # fmt: skip
    """Import the new messages of `url`'s folder through a signed-in `client`."""
    try:
        validity = client.select_folder(url.folder, readonly=True)[b"UIDVALIDITY"]
        after = 0 if everything else _stored_up_to(engine, url.key, validity)
        uids = new_uids(client, after)
    except (OSError, IMAPClientError, KeyError) as e:
        raise MailboxError(f"{url}: {_why(e)}") from None
    error, last, read = None, after, 0
    with importing(engine, now=now, console=console, batch_size=batch_size) as batch:
        batch.start_file(str(url), "eml")
        try:
            for last, count in read_into(client, uids, batch, console=console, progress=progress):
                read += count
                if read >= batch_size:
                    batch.commit()  # the cursor moves only over what is stored
                    _save(batch.conn, url.key, (validity, last, read), now=now)
                    read = 0
        except (OSError, IMAPClientError) as e:  # what was read before is kept
            error = _why(e)
        batch.commit()
        batch.end_file()
        _save(batch.conn, url.key, (validity, last, read), now=now, error=error)
    error = f"{url}: {error}" if error else None
    return FetchResult(batch.imported, batch.duplicates, batch.rejected, error)


def _stored_up_to(engine: Engine, key: str, validity: int) -> int:
    """Return the last UID of `key` already stored under this UIDVALIDITY (0: none)."""
    with engine.connect() as conn:
        query = sa.select(_MB.c.uidvalidity, _MB.c.last_uid).where(_MB.c.key == key)
        stored = conn.execute(query).first()
    return stored.last_uid if stored is not None and stored.uidvalidity == validity else 0


def _save(conn: Connection, key: str, state: tuple[int, int, int], *, now: datetime,
          error: str | None = None) -> None:  # fmt: skip
    """Record that `key` is stored up to a UID (and the error it stopped on), and commit.
    `state` is (UIDVALIDITY, last UID stored, messages read since)."""
    validity, last, read = state
    values = {"uidvalidity": validity, "last_uid": last, "fetched_at": now,
              "last_error": error[:500] if error else None}  # fmt: skip
    update = sa.update(_MB).where(_MB.c.key == key)
    if not conn.execute(update.values(fetched=_MB.c.fetched + read, **values)).rowcount:
        conn.execute(sa.insert(_MB).values(key=key, fetched=read, **values))
    conn.commit()


def _note_failure(engine: Engine, key: str, error: str) -> None:
    """Record why `key` could not be fetched at all; how far it was read stays as it was."""
    with engine.begin() as conn:
        update = sa.update(_MB).where(_MB.c.key == key).values(last_error=error[:500])
        if not conn.execute(update).rowcount:
            conn.execute(sa.insert(_MB).values(key=key, uidvalidity=0, last_uid=0, fetched=0,
                                               last_error=error[:500]))  # fmt: skip


def _why(error: BaseException) -> str:
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"certificate not trusted ({error.verify_message})"
    if isinstance(error, TimeoutError):
        return "no answer (timed out)"
    text = first_line(error)
    return text.removeprefix("b'").removeprefix('b"').rstrip("'\"") or type(error).__name__


def _close(client: IMAPClient) -> None:
    with contextlib.suppress(OSError, IMAPClientError):
        client.logout()
