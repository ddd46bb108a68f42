"""The lines of a CSV file for `csv.reader`: decoded one by one (UTF-8, else Windows-1252,
noted), numbered as an editor counts them, old Mac line ends split, UTF-16 read as UTF-8, and the
current record's raw lines kept, so a row whose quote never closes can be quarantined with its
own bytes and the lines it swallowed read again."""

from __future__ import annotations

import codecs
import io
import itertools
import re
from collections.abc import Iterator
from typing import BinaryIO

MAX_RECORD_LINES = 10_000  # no real message is this long: a quote left open swallows lines
_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n|$)")


class Lines:
    """The file's lines as text, numbered, keeping the current record's bytes to read again."""

    def __init__(self, source: Iterator[bytes]) -> None:
        self._source = source
        self._again: list[bytes] = []  # lines to read again, last first
        self.number = 0  # of the last line handed out
        self.begin()

    def begin(self) -> None:
        """Start a new record at the next line."""
        self.start, self.record = self.number + 1, []
        self.fallback = self.cut = False

    def later(self) -> Iterator[str]:
        """Yield the text of the current record's lines after its first."""
        return map(self.decode, self.record[1:])

    def reread(self, lines: list[bytes]) -> None:
        """Hand out `lines` again, in order, before the rest of the file."""
        self._again.extend(reversed(lines))
        self.number -= len(lines)

    def __iter__(self) -> Lines:
        return self

    def __next__(self) -> str:
        if len(self.record) >= MAX_RECORD_LINES:
            line = None
        else:
            line = self._again.pop() if self._again else next(self._source, None)
        if line is None:
            self.cut = True  # the record cannot end: the file ended, or it grew too long
            raise StopIteration
        self.number += 1
        self.record.append(line)
        return self.decode(line)

    def decode(self, line: bytes) -> str:
        """Return a line's text: UTF-8, or else Windows-1252 (noting the fallback)."""
        try:
            return line.decode("utf-8")
        except UnicodeDecodeError:
            self.fallback = True
            return line.decode("cp1252", "replace")


def byte_lines(fh: BinaryIO) -> Iterator[bytes]:
    """Yield the file's lines, ending in CRLF, LF or a lone CR; UTF-16 comes as UTF-8."""
    first = fh.readline()
    if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = (first + fh.read()).decode("utf-16", "replace")  # rare enough to read whole
        lines = (line.encode("utf-8") for line in io.StringIO(text, newline=""))
    else:
        lines = itertools.chain([first.removeprefix(codecs.BOM_UTF8)], fh)
    for line in lines:
        if line.count(b"\r") > line.endswith(b"\r\n"):  # old Mac line ends (a lone CR)
            yield from (part for part in _LINE.findall(line) if part)
        elif line:
            yield line
