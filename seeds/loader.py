"""Load the demo: the company's settings, then a month of emails and tweets through the ingester.

The files in `seeds/data/` are dated around `ANCHOR`. They are copied to a temporary folder
with every email `Date` header and tweet `created_at` moved forward by whole days so the
anchor day becomes today; posts from "this morning" that would land after `now` are squeezed
into the part of today that has passed. Message-IDs and tweet ids never change, so loading
twice imports nothing new.
"""

from __future__ import annotations

import json
import re
import tempfile
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from rich.console import Console
from sqlalchemy.engine import Engine
from sqlmodel import Session

from db.ingest.pipeline import IngestResult, ingest_paths
from db.models import Message, Quarantine, Role, Setting
from seeds import ANCHOR, DATA_DIR

# What the demo company looks like to the feed (stored only where an admin has not set a key).
DEMO_SETTINGS: dict[str, Any] = {
    "company_name": "Voltra",
    "own_handles": ["voltra", "voltracharge", "voltracare", "voltraair", "erin_at_voltra"],
    "own_domains": [
        "voltra.example",
        "cityservices.voltra.example",
        "hotels.voltra.example",
        "cinemas.voltra.example",
        "air.voltra.example",
        "mx1.voltra.example",
    ],
    "ceo_addresses": ["erin.cole@voltra.example"],
    "vip_emails": ["fay@ockenden-logistics.example"],
    "vip_handles": ["frugal_fleet_fay"],
    # Voltra's own words for the same things, so one problem told many ways is one theme
    "theme_synonyms": [
        "stall: stall stalls charger chargers bay bays hub",
        "idle: idle parked parking park hogging hog hogs occupied finished full fully overstay",
    ],
}
# The loader acts as the system, not as a person: its audit events have no actor.
_SYSTEM = SimpleNamespace(id=None, role=Role.ADMIN, name="demo loader")
_DATE_LINE = re.compile(rb"^Date:[ \t]*([^\r\n]*)", re.IGNORECASE | re.MULTILINE)


def shift(moment: datetime, *, now: datetime) -> datetime:
    """Move an anchor-relative time to the same place relative to `now`'s day, never later."""
    days = (now.astimezone(UTC).date() - ANCHOR.date()).days
    moved = moment.astimezone(UTC) + timedelta(days=days)
    today = datetime.combine(now.astimezone(UTC).date(), datetime.min.time(), tzinfo=UTC)
    cut = today + (ANCHOR - ANCHOR.replace(hour=0, minute=0))
    if now >= cut or moved < today:
        return moved.astimezone(moment.tzinfo)
    # Early-morning load: keep today's order but fit it into the hours already gone.
    squeezed = today + (moved - today) * ((now - today) / (cut - today))
    return squeezed.astimezone(moment.tzinfo)


def shift_email(data: bytes, *, now: datetime) -> bytes:
    """Return the email with its top-level Date header shifted (the body is left alone)."""
    end = re.search(rb"\r?\n\r?\n", data)
    head, rest = (data[: end.start()], data[end.start() :]) if end else (data, b"")

    def moved(match: re.Match[bytes]) -> bytes:
        when = parsedate_to_datetime(match.group(1).decode("ascii"))
        return b"Date: " + format_datetime(shift(when, now=now)).encode("ascii")

    return _DATE_LINE.sub(moved, head, count=1) + rest


def shift_tweets(text: str, *, now: datetime) -> str:
    """Return an X API v2 page with every tweet's `created_at` shifted."""
    doc = json.loads(text)
    for tweet in doc.get("data", []):
        when = datetime.fromisoformat(tweet["created_at"])
        tweet["created_at"] = shift(when, now=now).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def write_shifted(target: Path, *, now: datetime, source: Path = DATA_DIR) -> int:
    """Copy the demo files into `target`, dated relative to `now`; return how many files."""
    count = 0
    for path in sorted(source.rglob("*")):
        if not path.is_file():
            continue
        out = target / path.relative_to(source)
        out.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".eml":
            out.write_bytes(shift_email(path.read_bytes(), now=now))
        elif path.suffix == ".json":
            out.write_text(shift_tweets(path.read_text("utf-8"), now=now), encoding="utf-8")
        else:
            continue
        count += 1
    return count


def apply_settings(engine: Engine, *, now: datetime) -> list[str]:
    """Store the demo company's settings where no value is stored yet; return the keys set."""
    from db.settings import put_setting

    written = []
    with Session(engine) as session:
        for key, value in DEMO_SETTINGS.items():
            if session.get(Setting, key) is None:
                put_setting(session, key, value, actor=_SYSTEM, now=now)
                written.append(key)
    return written


def load_messages(engine: Engine, *, now: datetime, console: Console | None = None) -> IngestResult:
    """Import the demo emails and tweets, dated relative to `now`; return the IngestResult."""
    with tempfile.TemporaryDirectory(prefix="feedbackloop-demo-") as tmp:
        write_shifted(Path(tmp), now=now)
        result = ingest_paths(engine, [Path(tmp)], now=now, progress=False, console=console)
    # Record the demo file each message came from, not the temporary copy that is gone now.
    with engine.begin() as conn:
        for table in (Message.__table__, Quarantine.__table__):
            ours = table.c.source.startswith(tmp, autoescape=True)
            moved = sa.func.replace(table.c.source, tmp, "seeds/data")
            conn.execute(table.update().where(ours).values(source=moved))
    return result


def load_demo(engine: Engine, *, now: datetime, console: Console | None = None) -> IngestResult:
    """Load the demo company's settings and a month of messages (safe to run twice)."""
    console = console or Console(highlight=False)
    settings = apply_settings(engine, now=now)
    result = load_messages(engine, now=now, console=console)
    console.print(
        f"Demo: imported {result.imported} messages, {result.duplicates} already there, "
        f"{result.rejected} rejected; {len(settings)} settings stored.",
        markup=False,
    )
    # users and items: see seeds/people.py (added by the workflow work)
    from seeds.people import print_sign_ins, seed_people_and_items

    print_sign_ins(seed_people_and_items(engine, now=now, console=console), console=console)
    return result
