"""Imports started from the app: files uploaded by an admin, imported like any file and audited.

The command line imports paths on the server by whoever runs it; an upload arrives as bytes from
a signed-in user. This checks that user may import, copies the bytes under their own names into
a private temporary folder (the quarantine keeps each rejected record's raw bytes, not the
file), runs the ordinary import, and records who imported what in the audit log. An import
commits in batches (an interrupted one keeps what it stored), so its Event follows the last batch.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from sqlalchemy.engine import Engine
from sqlmodel import Session

from db.auth import require
from db.ingest.pipeline import IngestResult, ingest_paths
from db.models import Event


def _names(files: Sequence[tuple[str, bytes]]) -> list[str]:
    """Return a safe, distinct file name for each upload (its own name where it can be)."""
    taken: set[str] = set()
    out = []
    for n, (name, _) in enumerate(files, 1):
        base = Path(name.replace("\\", "/")).name.lstrip(".") or f"upload-{n}"
        unique = base if base not in taken else f"{n}-{base}"
        taken.add(unique)
        out.append(unique)
    return out


def import_uploads(
    engine: Engine, files: Sequence[tuple[str, bytes]], *, actor: Any, now: datetime
) -> IngestResult:
    """Import uploaded (name, bytes) files (admins only); audit who imported what."""
    require(actor, "messages.import")
    names = _names(files)
    with tempfile.TemporaryDirectory(prefix="feedbackloop-upload-") as folder:
        paths = [Path(folder) / name for name in names]
        for path, (_, content) in zip(paths, files, strict=True):
            path.write_bytes(content)
        quiet = Console(file=io.StringIO())  # the page shows the problems, not the server log
        result = ingest_paths(engine, paths, now=now, console=quiet)
    unreadable = [(Path(name).name, reason) for name, reason in result.unreadable]
    counts = {k: getattr(result, k) for k in ("imported", "duplicates", "rejected")}
    with Session(engine) as session:
        data = {"files": names, **counts, "unreadable": [n for n, _ in unreadable]}
        session.add(Event(at=now, actor_id=actor.id, entity="import", entity_id=0,
                          action="imported", data=data))  # fmt: skip
        session.commit()
    return IngestResult(**counts, unreadable=unreadable)
