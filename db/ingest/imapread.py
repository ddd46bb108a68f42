"""Reading an IMAP folder's messages into an import batch, a bounded group at a time.

The UIDs to read are fetched in groups of at most GROUP_MESSAGES messages and about
GROUP_BYTES (their sizes are asked for first), so a folder of large attachments never sits in
memory at once. BODY.PEEK leaves every message unseen on the server. A message expunged between
the search and the fetch is skipped; one that cannot be parsed is quarantined by its UID.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, datetime

from imapclient import IMAPClient
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from db.ingest.batch import Batch
from db.ingest.email import parse_email

GROUP_MESSAGES = 200  # messages a FETCH: few round trips,
GROUP_BYTES = 32 * 1024 * 1024  # and a bounded amount of mail in memory at once
SIZES_AT_ONCE = 5000  # UIDs whose sizes one FETCH asks for
PROGRESS_FROM = 500  # new messages before a progress bar is worth showing


def new_uids(client: IMAPClient, after: int) -> list[int]:
    """Return the UIDs above `after` in the selected folder, in order."""
    # "N:*" always matches the newest message, even one below N: keep only the new ones
    return sorted(u for u in client.search(["UID", f"{after + 1}:*"]) if u > after)


def read_into(
    client: IMAPClient, uids: list[int], batch: Batch, *, console: Console, progress: bool
) -> Iterator[tuple[int, int]]:
    """Add the messages of `uids` to `batch`; after each group, yield its last UID and how many
    messages it held (a progress bar on a large first fetch, when `progress`)."""
    bar = _bar(console, len(uids)) if progress and len(uids) >= PROGRESS_FROM else None
    with bar or contextlib.nullcontext():
        for group in _groups(client, uids):
            fetched = client.fetch(group, ["BODY.PEEK[]", "INTERNALDATE"])
            read = 0
            for uid in group:
                data = fetched.get(uid)
                if data is None or b"BODY[]" not in data:
                    continue  # expunged since the search
                read += 1
                dated = _from_line(data.get(b"INTERNALDATE"))
                batch.add(parse_email(data[b"BODY[]"], locator=f"uid {uid}", from_line=dated))
            if bar is not None:
                bar.advance(bar.task_ids[0], len(group))
            yield group[-1], read


def _groups(client: IMAPClient, uids: list[int]) -> Iterator[list[int]]:
    """Split `uids` into FETCH groups of at most GROUP_MESSAGES and about GROUP_BYTES."""
    for start in range(0, len(uids), SIZES_AT_ONCE):
        chunk = uids[start : start + SIZES_AT_ONCE]
        sizes = client.fetch(chunk, ["RFC822.SIZE"])
        group: list[int] = []
        held = 0
        for uid in chunk:
            size = sizes.get(uid, {}).get(b"RFC822.SIZE", 0)
            if group and (len(group) >= GROUP_MESSAGES or held + size > GROUP_BYTES):
                yield group
                group, held = [], 0
            group.append(uid)
            held += size
        if group:
            yield group


def _from_line(received: datetime | None) -> bytes | None:
    """Return an mbox-style From_ line: the server's arrival time dates a message whose Date
    header is missing or unreadable."""
    if not isinstance(received, datetime):
        return None
    at = received.astimezone(UTC) if received.tzinfo else received.replace(tzinfo=UTC)
    return b"From imap " + at.strftime("%a %b %d %H:%M:%S %Y").encode()


def _bar(console: Console, total: int) -> Progress:
    columns = (TextColumn("fetching"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    bar = Progress(*columns, console=console, transient=True)
    bar.add_task("fetch", total=total)
    return bar
