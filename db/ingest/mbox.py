"""Files of email: a single message (`.eml`, a maildir file) or an mbox, streamed.

An mbox is split at its From_ lines (a line starting "From " after a blank line, or one that
looks like a real From_ line), line by line, so only one message is in memory at a time;
mboxrd-escaped body lines (">From ") are restored. Each message goes to `parse_email`, with
its From_ line as the date of last resort.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from db.ingest.email import parse_email
from db.ingest.records import Record, Rejected

_FROM_LINE = re.compile(rb"^From \S+ +\w{3} \w{3} +\d")


def read_eml(fh: BinaryIO) -> Iterator[Record | Rejected]:
    """Yield the one message of an `.eml` (or maildir) file."""
    data = fh.read()
    if data.startswith(b"From "):
        yield from read_mbox_bytes(data)
    else:
        yield parse_email(data, locator="file")


def read_mbox_bytes(data: bytes) -> Iterator[Record | Rejected]:
    """Yield the messages of an mbox held in memory (a `.eml` that starts with a From_ line)."""
    yield from read_mbox(iter(data.splitlines(keepends=True)))


def read_mbox(lines: Iterable[bytes]) -> Iterator[Record | Rejected]:
    """Yield the messages of an mbox, streaming line by line (mboxrd '>From ' unescaped)."""
    buf: list[bytes] = []
    from_line: bytes | None = None
    start, n, prev_blank = 1, 0, True
    for lineno, line in enumerate(lines, 1):
        if line.startswith(b"From ") and (prev_blank or _FROM_LINE.match(line)):
            if from_line is not None or any(x.strip() for x in buf):
                n += 1
                yield _mbox_message(buf, from_line, f"message {n} (line {start})")
            buf, from_line, start = [], line, lineno
        elif line.startswith(b">") and line.lstrip(b">").startswith(b"From "):
            buf.append(line[1:])
        else:
            buf.append(line)
        prev_blank = not line.strip()
    if from_line is not None or any(x.strip() for x in buf):
        yield _mbox_message(buf, from_line, f"message {n + 1} (line {start})")


def _mbox_message(buf: list[bytes], from_line: bytes | None, locator: str):
    return parse_email(b"".join(buf), locator=locator, from_line=from_line)
