"""Which files to read, and in which format: by extension and by sniffing the first bytes.

`expand` turns the paths a user gave into one `Source` per file: a maildir (a folder with `cur`
and `new`) yields its messages; any other folder is walked recursively (hidden files skipped).
Each file's format is detected on its own; a file whose format cannot be told, that is empty,
compressed, not a regular file (a pipe: its start would be lost to sniffing), or that cannot be
opened comes back with `fmt=None` and a reason, to be reported by name. The X archive's files
other than its tweets (likes, followers, messages) come back `skip`ped: expected, not errors.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

FORMATS = ("eml", "mbox", "xapi", "jsonl", "tweetsjs", "csv")
UNKNOWN = (
    "unrecognised format (expected .eml, mbox, maildir, X API .json, .jsonl, tweets.js, .csv or "
    ".tsv)"
)
_HEADER_LINE = re.compile(rb"^[\x21-\x39\x3b-\x7e]+:[^\r\n]*\r?\n")
_SNIFF = 8192
_ARCHIVE = re.compile(rb"window\.YTD\.(\w+)\.part\d+")
_ARCHIVE_TWEETS = {b"tweets", b"tweet"}
_PACKED = {b"\x1f\x8b": "gzip", b"PK\x03\x04": "zip", b"BZh": "bzip2", b"\xfd7zXZ": "xz"}


@dataclass(frozen=True, slots=True)
class Source:
    """One file to import: its format, or (fmt None) the reason it cannot be read."""

    path: Path
    fmt: str | None
    reason: str | None = None
    skip: bool = False  # nothing to import here, by design (not an error)


def expand(paths: Sequence[Path]) -> Iterator[Source]:
    """Yield a Source for every file under `paths`, in a stable order."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from _folder(path)
        elif path.exists():
            yield detect(path)
        else:
            yield Source(path, None, "no such file or folder")


def is_maildir(path: Path) -> bool:
    """Tell whether `path` is a maildir (has `cur` and `new` folders)."""
    return (path / "cur").is_dir() and (path / "new").is_dir()


def _folder(path: Path, seen: set[Path] | None = None) -> Iterator[Source]:
    seen = set() if seen is None else seen
    real = path.resolve()
    if real in seen:  # a symlink back up the tree: walked already
        return
    seen.add(real)
    try:
        if is_maildir(path):
            yield from _maildir(path)
            return
        children = sorted(path.iterdir())
    except OSError as e:
        yield Source(path, None, f"cannot open folder: {e.strerror or e}")
        return
    for child in children:
        if child.name.startswith("."):
            continue
        if child.is_dir():
            yield from _folder(child, seen)
        elif child.is_file():
            yield detect(child)


def _maildir(path: Path) -> Iterator[Source]:
    for sub in ("cur", "new"):
        for file in sorted((path / sub).iterdir()):
            if file.is_file() and not file.name.startswith("."):
                yield Source(file, "eml") if file.stat().st_size else detect(file)


def detect(path: Path) -> Source:
    """Return the Source for one file, its format sniffed from name and first bytes."""
    if not path.is_file():
        return Source(path, None, "not a regular file (a pipe or device): save it to a file first")
    try:
        with path.open("rb") as fh:
            head = fh.read(_SNIFF)
    except OSError as e:
        return Source(path, None, f"cannot open: {e.strerror or e}")
    if not head.strip():
        return Source(path, None, "empty file")
    packed = next((kind for magic, kind in _PACKED.items() if head.startswith(magic)), None)
    if packed:
        return Source(path, None, f"{packed}-compressed: decompress it first")
    archive = _ARCHIVE.search(head[:200])
    if archive and archive.group(1) not in _ARCHIVE_TWEETS:
        what = archive.group(1).decode()
        return Source(path, None, f"X archive {what} data, not tweets", skip=True)
    fmt = sniff(path.name, head)
    return Source(path, fmt, None if fmt else UNKNOWN)


def sniff(name: str, head: bytes) -> str | None:
    """Return the format of a file named `name` starting with `head`, or None."""
    ext = Path(name).suffix.lower()
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"window.YTD") or (ext == ".js" and b"window.YTD" in head):
        return "tweetsjs"
    if ext in (".jsonl", ".ndjson"):
        return "jsonl"
    if ext in (".csv", ".tsv"):
        return "csv"
    if ext == ".json" or (ext not in (".eml", ".mbox", ".mbx") and start[:1] in (b"{", b"[")):
        return "jsonl" if _is_jsonl(start) else "xapi"
    if start.startswith(b"From ") or ext in (".mbox", ".mbx"):
        return "mbox"
    if ext == ".eml" or _HEADER_LINE.match(start):
        return "eml"
    return None


def _is_jsonl(head: bytes) -> bool:
    """Tell JSONL from one JSON document: a complete object on line 1 and more lines after."""
    first, _, rest = head.partition(b"\n")
    if not rest.strip():
        return False
    try:
        return isinstance(json.loads(first), dict)
    except ValueError:
        return False
