"""The import run: read every file, and store its records in committed batches.

Files are streamed record by record (an X API JSON file is one document and is parsed whole).
Per batch of `batch_size` records: duplicates within the batch and those already stored
(`channel` + `external_id`) are counted and skipped, senders are matched to contacts, the new
rows are scored by `db.enrich.enrich_batch` and bulk-inserted, rejected records go to
Quarantine with their reason and raw bytes, and the batch is committed (by a writer thread,
while the next batch is read: `db.ingest.batch`). An interrupted import keeps what it committed;
running it again completes it. Problems are reported one line each on `console`; nothing here
raises on bad input.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from sqlalchemy.engine import Engine

from db.ingest.batch import Batch
from db.ingest.csvfile import read_csv
from db.ingest.detect import Source, expand
from db.ingest.mbox import read_eml, read_mbox
from db.ingest.session import BATCH_SIZE, importing
from db.ingest.tweetfiles import read_jsonl, read_tweets_js, read_xapi

PROGRESS_FROM = 4 * 1024 * 1024  # bytes of input before a progress bar is worth showing
READERS = {
    "eml": read_eml,
    "mbox": read_mbox,
    "xapi": read_xapi,
    "jsonl": read_jsonl,
    "tweetsjs": read_tweets_js,
    "csv": read_csv,
}


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What an import did: counts, and the files that could not be read at all."""

    imported: int
    duplicates: int
    rejected: int
    unreadable: list[tuple[str, str]] = field(default_factory=list)


def ingest_paths(
    engine: Engine,
    paths: Sequence[Path],
    *,
    now: datetime,
    progress: bool = False,
    console: Console | None = None,
    batch_size: int = BATCH_SIZE,
) -> IngestResult:
    """Import the files and folders in `paths`; return the counts."""
    console = console or Console(stderr=True, highlight=False)
    sources = list(expand(paths))
    for s in sources:
        if s.fmt is None:
            say = "skipped" if s.skip else "unreadable"
            console.print(f"{say} {s.path}: {s.reason}", markup=False, soft_wrap=True)
    unreadable = [(str(s.path), s.reason or "") for s in sources if s.fmt is None and not s.skip]
    readable = [s for s in sources if s.fmt is not None]
    with (
        _bar(readable, progress, console) as advance,
        importing(engine, now=now, console=console, batch_size=batch_size) as batch,
    ):
        for source in readable:
            reason = _read(source, batch, advance)
            if reason:
                unreadable.append((str(source.path), reason))
                say = f"unreadable {source.path}: {reason}"
                console.print(say, markup=False, soft_wrap=True)
    return IngestResult(batch.imported, batch.duplicates, batch.rejected, unreadable)


def _read(source: Source, batch: Batch, advance) -> str | None:
    """Feed one file's records to the batch; return a reason if the file cannot be read."""
    batch.start_file(str(source.path.absolute()), source.fmt or "")  # one name, however typed
    done = 0
    try:
        with source.path.open("rb") as fh:
            items = READERS[source.fmt](fh)
            for n in itertools.count(1):
                try:
                    item = next(items)
                except StopIteration:
                    break
                except OSError as e:
                    return f"cannot read: {e.strerror or e}"
                except Exception as e:  # a reader bug must not end the run; the rest is kept
                    return f"stopped reading: {type(e).__name__}: {str(e)[:200]}"
                batch.add(item)  # database errors propagate: committed batches are kept
                if n % 1000 == 0 and not fh.closed:
                    done = _advance(advance, fh.tell(), done)
    except OSError as e:
        return f"cannot read: {e.strerror or e}"
    finally:
        batch.end_file()
    _advance(advance, source.path.stat().st_size, done)
    return None


def _advance(advance, position: int, done: int) -> int:
    if advance is not None and position > done:
        advance(position - done)
    return max(position, done)


@contextmanager
def _bar(sources: list[Source], enabled: bool, console: Console) -> Iterator:
    """Yield a function advancing a bytes progress bar (or None when disabled)."""
    if not enabled:
        yield None
        return
    total = sum(s.path.stat().st_size for s in sources if s.path.exists())
    if total < PROGRESS_FROM:
        yield None
        return
    columns = (
        TextColumn("importing"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("import", total=total)
        yield lambda n: bar.advance(task, n)
