"""Reading and analysing files in a helper process while the importing process stores them.

Parsing (JSON, MIME, building rows) and the text-only half of scoring and theming (tokens, cue
phrases, VADER tone, signature terms and theme keys: `db.scoring.text_facts` and
`db.signature.keyed_signature`, pure functions of the text) are most of an import's CPU. On a
multi-core machine a helper process does both for whole files ahead, while the main process
matches contacts, scores with the sender's facts, groups themes and inserts (work that needs the
database, in order). Files are handed back in input order as plain tuples, and the text results
are handed to the same memo the main process would have filled itself, so batches, duplicates,
rejects, scores and themes are exactly those of a sequential read. Only worth it on large inputs:
small imports, and files too big to hold parsed in memory at once, are read in the main process.

Opt-in (`FEEDBACKLOOP_READER_PROCESS=1`): it moves ~75 µs of CPU a tweet to the helper for
~15 µs of pickling on each side, which pays only where a core is idle. On the 2-core machine it
was measured on, 100k X API tweets with scoring and themes imported at 4,490/s against 4,561/s
read in the main process: no gain. (An earlier figure, "~10% slower", was taken while a bug made
the helper fail on every file and the main process read each one again.)
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from db import scoring, signature
from db.ingest.records import ContactInfo, Record, Rejected

PARALLEL_FROM = 8 * 1024 * 1024  # bytes of input before a reader process pays off
FILE_MAX = 32 * 1024 * 1024  # larger files are streamed in the main process
AHEAD = 3  # files parsed ahead of the one being stored (bounds memory)

Parsed = tuple[list[tuple], str | None]  # (records as tuples, reason the file stopped)
Context = tuple[frozenset[str], signature.Folds]  # what theme keys are built with


def read_all(
    readers: dict[str, Callable], path: str, fmt: str, context: Context | None = None
) -> Parsed:
    """Read one whole file; return its items as tuples and why it could not be read, if so.

    With `context` (the company's words and synonyms, `db.enrich.theme_context`), each record
    also carries its text facts and theme keys.
    """
    items: list[tuple] = []
    try:
        with open(path, "rb") as fh:
            reader = readers[fmt](fh)
            while True:
                try:
                    item = next(reader)
                except StopIteration:
                    break
                except OSError as e:
                    return items, f"cannot read: {e.strerror or e}"
                except Exception as e:  # as the sequential reader: keep what was read
                    return items, f"stopped reading: {type(e).__name__}: {str(e)[:200]}"
                items.append(_flat(item, context))
    except OSError as e:
        return items, f"cannot read: {e.strerror or e}"
    return items, None


def _flat(item: Record | Rejected, context: Context | None = None) -> tuple:
    if isinstance(item, Rejected):
        return (item.locator, item.reason, item.raw)
    c = item.contact
    info = None if c is None else (c.email, c.handle, c.display_name, c.followers, c.verified)
    if context is None:
        return (item.row, item.locator, info)
    row = item.row
    text = f"{row.get('subject') or ''}\n{row.get('body') or ''}"
    facts = scoring.text_facts(text)
    keyed = None
    if facts.noise is None and not row.get("is_retweet"):  # noise gets no theme
        ignore, folds = context
        keyed = signature.keyed_signature(text, ignore=ignore, words=facts.words, folds=folds)
    return (row, item.locator, info, text, facts, keyed)


def unflat(flat: tuple, context: Context | None = None) -> Record | Rejected:
    """Rebuild a Record or Rejected from `_flat`'s tuple (text results go to their memo)."""
    if isinstance(flat[0], str):
        return Rejected(*flat)
    row, locator, info = flat[:3]
    if len(flat) > 3:
        text, facts, keyed = flat[3:]
        scoring.remember(text, facts)
        if keyed is not None and context is not None:  # keyed by this process's own objects
            signature.remember(text, *context, keyed)
    return Record(row, locator, None if info is None else ContactInfo(*info))


def worth_it(sizes: Sequence[int]) -> bool:
    """Return whether a reader process pays off for files of these sizes."""
    if os.environ.get("FEEDBACKLOOP_READER_PROCESS", "").lower() not in ("1", "true", "yes"):
        return False
    eligible = [s for s in sizes if s <= FILE_MAX]
    return (os.cpu_count() or 1) > 1 and len(eligible) > 1 and sum(eligible) >= PARALLEL_FROM


def read_ahead(
    readers: dict[str, Callable],
    jobs: Sequence[tuple[Path, str, int]],
    context: Context | None = None,
) -> Iterator[Future[Parsed] | None]:
    """Yield, per (path, fmt, size) in order, a future of its parsed items (None: read here)."""
    mp = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    pool = ProcessPoolExecutor(max_workers=1, mp_context=mp)
    pending: list[Future[Parsed] | None] = []
    queued = iter(jobs)
    try:
        for _ in range(len(jobs)):
            while len([f for f in pending if f is not None]) < AHEAD:
                job = next(queued, None)
                if job is None:
                    break
                path, fmt, size = job
                small = size <= FILE_MAX
                job = pool.submit(read_all, readers, str(path), fmt, context) if small else None
                pending.append(job)
            yield pending.pop(0)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def items_of(parsed: Parsed, context: Context | None = None) -> tuple[Iterator[Any], str | None]:
    """Return the Records/Rejected of a parsed file and its reason, if any."""
    flats, reason = parsed
    return (unflat(f, context) for f in flats), reason
