"""Reading one file's records, whichever process reads it: the reader of each format, and why a
file stopped.

`read_items` yields a file's records and rejects in order, with the byte position reached every
POSITION_EVERY items for the progress bar. A file that cannot be opened or read, or whose reader
fails, ends the iteration with `Unreadable` and its reason; what was read before it is kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from db.ingest.csvfile import read_csv
from db.ingest.mbox import read_eml, read_mbox
from db.ingest.tweetfiles import Item, read_jsonl, read_tweets_js, read_xapi

POSITION_EVERY = 1000  # items between two byte positions (the progress bar's steps)
READERS = {
    "eml": read_eml,
    "mbox": read_mbox,
    "xapi": read_xapi,
    "jsonl": read_jsonl,
    "tweetsjs": read_tweets_js,
    "csv": read_csv,
}


class Unreadable(Exception):
    """A file could not be read (any further); `reason` says why, for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def read_items(path: Path, fmt: str) -> Iterator[tuple[Item, int | None]]:
    """Yield (record or reject, byte position or None) for each item of the file, in order."""
    try:
        with path.open("rb") as fh:
            items = READERS[fmt](fh)
            n = 0
            while True:
                try:
                    item = next(items)
                except StopIteration:
                    return
                except OSError as e:
                    raise Unreadable(f"cannot read: {e.strerror or e}") from None
                except Exception as e:  # a reader bug must not end the run; the rest is kept
                    what = f"{type(e).__name__}: {str(e)[:200]}"
                    raise Unreadable(f"stopped reading: {what}") from None
                n += 1
                at = fh.tell() if n % POSITION_EVERY == 0 and not fh.closed else None
                yield item, at
    except OSError as e:
        raise Unreadable(f"cannot read: {e.strerror or e}") from None
