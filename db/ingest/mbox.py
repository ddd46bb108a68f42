"""Files of email: a single message (`.eml`, a maildir file) or an mbox, streamed.

An mbox is read line by line with one line of lookahead, so only one message is in memory at a
time. A message starts at a line that looks like a real From_ line ("From <sender> <date>" as
Python's mailbox, mutt, procmail, Eudora, Thunderbird's "From - ..." and Gmail Takeout's
"From 123@xxx Mon Jan 01 00:00:00 +0000 2024" write it), or at any other "From " line that
follows a blank line and precedes a header ("Name: value"): a From_ line with an odd sender or
date. Other "From " lines are body text, as mboxo and many real exports leave them unescaped;
mboxrd-escaped body lines (">From ") are restored. Each message goes to `parse_email`, with its
From_ line as the date of last resort.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import chain, pairwise
from typing import BinaryIO

from db.ingest.email import parse_email
from db.ingest.records import Record, Rejected

# "From <sender> <date>" as real writers put it (mutt's is_from() rules, plus the order newer
# Thunderbird uses). The sender is optional and may hold spaces (pipermail's "me at example.org"),
# so the line is known by its date; a body sentence rarely holds a whole date after "From ".
_FROM_LINE = re.compile(
    rb"""From\ (?:.*?\ )?
    (?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\ +(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\ +\d\d?\ +
    (?:\d\d?:\d\d(?::\d\d)?\ +(?:[a-z+-]\S*\ +){0,2}(?:\d\d){1,2}  # time, up to 2 zone words, year
      |\d{4}\ +\d\d?:\d\d(?::\d\d)?)  # Thunderbird's "Sat Apr 12 2025 15:59:28"
    (?:\s|$)""",
    re.IGNORECASE | re.VERBOSE,
)
# Whitespace after the colon keeps URLs ("https://...") and clock times from passing as headers.
_HEADER = re.compile(rb"[!-9;-~]+:(?:[ \t\r\n]|$)")


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
    # Each line comes with the next one (b"" after the last) for the header lookahead; an mbox's
    # first line is its first From_ line, whatever it holds.
    for lineno, (line, nxt) in enumerate(pairwise(chain(lines, (b"",))), 1):
        if line.startswith(b"From ") and (lineno == 1 or _is_separator(line, nxt, prev_blank)):
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


def _is_separator(line: bytes, nxt: bytes, after_blank: bool) -> bool:
    """Return whether `line` (starting "From ") starts a message, given the line after it."""
    # The cheap test first: nearly every separator follows a blank line and precedes a header.
    return bool((after_blank and _HEADER.match(nxt)) or _FROM_LINE.match(line))


def _mbox_message(buf: list[bytes], from_line: bytes | None, locator: str):
    return parse_email(b"".join(buf), locator=locator, from_line=from_line)
