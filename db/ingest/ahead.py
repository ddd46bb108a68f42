"""Reading ahead in helper processes: files are parsed and scored on the other cores while this
process stores them.

Parsing (JSON, MIME, building rows) and the text half of enrichment (tokens, cue phrases, tone,
the score as if the sender had no contact facts, theme keys: `db.enrich.analyse`, pure) are
most of an import's CPU. On a machine with more than one core, for AHEAD_FROM bytes of input or
more, HELPERS processes read the files (file i by helper i % HELPERS) and hand their items over
in chunks; this process takes them file by file in order, matches contacts, scores again the
few rows whose contact has facts, groups themes and stores. The same items come in the same
order as from a read here, so the same rows, scores and themes are stored.

A helper is a fresh interpreter (`python -m db.ingest.ahead`: nothing of this process is copied
or re-imported) writing pickled chunks to a pipe. A thread here drains each pipe into a queue of
at most QUEUE_CHUNKS chunks (reading a pipe leaves Python's lock free), so helpers work on while
this process stores a batch, and memory stays flat whatever the size of the files. Helpers
ignore Ctrl-C and are stopped when the import ends, however it ends; if one dies, the rest of
its files is read here, skipping what it had handed over. `FEEDBACKLOOP_READ_AHEAD=0` switches
reading ahead off, `=1` uses it whatever the input's size.
"""

from __future__ import annotations

import gc
import itertools
import os
import pickle
import queue
import signal
import struct
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import db
from db import enrich
from db.ingest.files import Unreadable, read_items
from db.ingest.records import ContactInfo, Record, Rejected
from db.ingest.tweetfiles import Item

AHEAD_FROM = 8 * 1024 * 1024  # bytes of input before a helper process pays off (~0.5 s start)
HELPERS = 2  # 100k tweets on 2 cores: 6.1k/s read here, 6.7k/s with one helper, 8.2k/s with two
CHUNK = 500  # items handed over at a time
QUEUE_CHUNKS = 24  # chunks drained from the pipe and waiting at most (~10 MB of tweets)
_SIZE = struct.Struct("<Q")  # each chunk is its pickle's length, then the pickle
GC_THRESHOLD = 50_000  # as the importing process (db.ingest.pipeline)

Job = tuple[str, str]  # (path, format)
Handed = tuple[int, list[Any], int | None, str | None]  # (file, items, position, end)
_DONE = ""  # `end` of a file read to its end (otherwise the reason it stopped)


def wanted(sizes: Sequence[int]) -> bool:
    """Return whether files of these sizes are worth reading ahead in a helper process."""
    setting = os.environ.get("FEEDBACKLOOP_READ_AHEAD", "").strip().lower()
    if setting in ("0", "off", "no", "false"):
        return False
    if setting in ("1", "on", "yes", "true"):
        return True
    return (os.cpu_count() or 1) > 1 and sum(sizes) >= AHEAD_FROM


class Helper:
    """Helper processes reading `jobs` ahead (file i by helper i % HELPERS); use it as a
    context manager, and take each file's items with `items(index)`, in order."""

    def __init__(self, jobs: Sequence[Job], context: enrich.Analysis | None) -> None:
        self.jobs = list(jobs)
        count = max(1, min(HELPERS, len(self.jobs)))
        self.workers = [
            _Worker([(i, *job) for i, job in enumerate(self.jobs) if i % count == k], context)
            for k in range(count)
        ]

    def __enter__(self) -> Helper:
        for worker in self.workers:
            worker.start()
        return self

    def __exit__(self, *exc: object) -> None:
        for worker in self.workers:
            worker.close()

    def items(self, index: int) -> Iterator[tuple[Item, int | None]]:
        """Yield the items of file `index` (as `read_items` does), read by a helper."""
        worker = self.workers[index % len(self.workers)]
        taken = 0
        while worker.stopped is None:
            handed = worker.next()
            if handed is None:
                break
            at, items, position, end = handed
            if at != index:
                raise RuntimeError(f"helper handed file {at} while file {index} was read")
            last = len(items) - 1
            for i, flat in enumerate(items):
                yield _unflat(flat), position if i == last else None
            taken += len(items)
            if end == _DONE:
                return
            if end is not None:
                raise Unreadable(end)
        path, fmt = self.jobs[index]  # the helper stopped: read the rest of the file here
        yield from itertools.islice(read_items(Path(path), fmt), taken, None)


class _Worker:
    """One helper process, its pipe, and the thread draining the pipe into a queue."""

    def __init__(self, jobs: list[tuple[int, str, str]], context: enrich.Analysis | None):
        self.jobs, self.context = jobs, context
        self.process: subprocess.Popen | None = None
        self.stopped: str | None = None  # why it ended early (the files left are read here)
        self.frames: queue.Queue[bytes | None] = queue.Queue(QUEUE_CHUNKS)
        self.closing = threading.Event()
        self.drainer: threading.Thread | None = None

    def start(self) -> None:
        root = str(Path(db.__file__).resolve().parent.parent)  # where `db` is importable from
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            p for p in (root, os.environ.get("PYTHONPATH")) if p)}  # fmt: skip
        command = [sys.executable, "-m", "db.ingest.ahead"]
        try:
            self.process = subprocess.Popen(command, stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                            env=env)  # fmt: skip
            assert self.process.stdin is not None
            pickle.dump((self.jobs, self.context), self.process.stdin, pickle.HIGHEST_PROTOCOL)
            self.process.stdin.close()
        except OSError as e:  # no interpreter to start, or it died at once: read here
            self._stop(str(e))
            return
        self.drainer = threading.Thread(target=self._drain, name="ingest-ahead", daemon=True)
        self.drainer.start()

    def _drain(self) -> None:
        """Move chunks from the pipe to the queue as they come; None marks the end."""
        assert self.process is not None and self.process.stdout is not None
        pipe = self.process.stdout
        try:
            while head := pipe.read(_SIZE.size):
                if not self._put(pipe.read(_SIZE.unpack(head)[0])):
                    return
        except (OSError, ValueError, struct.error):  # the pipe broke
            pass
        self._put(None)

    def _put(self, frame: bytes | None) -> bool:
        """Queue a frame, waiting for room; return False if the worker is being closed."""
        while not self.closing.is_set():
            try:
                self.frames.put(frame, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def next(self) -> Handed | None:
        """Return the next chunk from the helper, or None once it has stopped."""
        frame = self.frames.get()
        try:
            if frame is None:
                raise EOFError
            return pickle.loads(frame)
        except Exception:  # the end of the pipe before the end of the files, or a torn frame
            self._stop()
            return None

    def _stop(self, why: str | None = None) -> None:
        if self.process is not None:
            self.process.kill()
            why = why or f"exit code {self.process.wait()}"
        self.stopped = f"the helper reading ahead stopped ({why})"

    def close(self) -> None:
        """Stop the helper (done with it, or given up on it) and the draining thread."""
        self.closing.set()
        if self.process is None:
            return
        self.process.kill()
        self.process.wait()
        if self.drainer is not None:
            self.drainer.join()  # it sees the end of the pipe, or `closing` while it waits
        assert self.process.stdout is not None
        self.process.stdout.close()


def serve(
    jobs: Sequence[tuple[int, str, str]], context: enrich.Analysis | None, out: BinaryIO
) -> None:
    """The helper process: read every file in order, analyse its records, hand them over."""

    def dump(handed: Handed) -> None:
        frame = pickle.dumps(handed, pickle.HIGHEST_PROTOCOL)
        out.write(_SIZE.pack(len(frame)) + frame)

    for index, path, fmt in jobs:
        chunk: list[Any] = []
        position = None
        try:
            for item, at in read_items(Path(path), fmt):
                chunk.append(_flat(item, context))
                position = at if at is not None else position
                if len(chunk) >= CHUNK:
                    dump((index, chunk, position, None))
                    out.flush()
                    chunk, position = [], None
        except Unreadable as e:
            dump((index, chunk, position, e.reason))
            out.flush()
            continue
        dump((index, chunk, position, _DONE))
        out.flush()


_KEYS: dict[tuple[str, ...], tuple[str, ...]] = {}  # one object per key order: pickled once


def _flat(item: Item, context: enrich.Analysis | None) -> tuple:
    """Return an item as plain tuples (pickled several times faster than the dataclasses),
    its row analysed with `context` first."""
    if isinstance(item, Rejected):
        return (item.locator, item.reason, item.raw)
    row, c = item.row, item.contact
    keyed = enrich.analyse(row, context) if context is not None else None
    keys = tuple(row)
    keys = _KEYS.setdefault(keys, keys)
    info = None if c is None else (c.email, c.handle, c.display_name, c.followers, c.verified)
    return (keys, tuple(row.values()), item.locator, info, context is not None, keyed)


def _unflat(flat: tuple) -> Item:
    if len(flat) == 3:
        return Rejected(*flat)
    keys, values, locator, info, scored, keyed = flat
    contact = None if info is None else ContactInfo(*info)
    return Record(dict(zip(keys, values, strict=True)), locator, contact, scored, keyed)


def main() -> None:
    """Entry point of the helper process: jobs on stdin, chunks on stdout."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the importing process decides when to stop
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])
    jobs, context = pickle.load(sys.stdin.buffer)
    serve(jobs, context, sys.stdout.buffer)


if __name__ == "__main__":
    main()
