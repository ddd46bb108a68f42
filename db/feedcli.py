"""`feedbackloop feed`: the morning feed as a terminal table, or as the JSON contract of DESIGN §4.

JSON: an array, one object per card, with exactly the keys `rank`, `score`, `title`, `channel`,
`reasons` (list of strings), `count`, `theme` (label or null) and `message_ids` (the members'
external ids). Customer text goes into the table as plain text (rich markup is switched off).
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from rich.console import Console
from rich.table import Table
from rich.text import Text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from db.errors import InvalidInput
from db.queries import FeedCard, morning_feed

JSON_KEYS = ("rank", "score", "title", "channel", "reasons", "count", "theme", "message_ids")


def card_json(card: FeedCard) -> dict[str, Any]:
    """Return the DESIGN §4 JSON object of one card."""
    return {key: getattr(card, key) for key in JSON_KEYS}


def _table(cards: list[FeedCard], day: date) -> Table:
    table = Table(title=f"Morning feed · {day:%A %d %B %Y} (UTC)", show_lines=True)
    table.add_column("#", justify="right")
    table.add_column("Score", justify="right")
    table.add_column("Card", overflow="fold", ratio=3)
    table.add_column("Why", overflow="fold", ratio=3)
    for c in cards:
        where = c.channel if c.count == 1 else f"{c.channel} · {c.count} messages"
        # Text, not str: customer words are never read as rich markup
        table.add_row(str(c.rank), f"{c.score:.1f}", Text(f"{c.title}\n({where})"),
                      Text("\n".join(c.reasons)))  # fmt: skip
    return table


def print_feed(
    engine: Engine,
    *,
    day: date | None,
    limit: int,
    as_json: bool,
    now: datetime,
    console: Console | None = None,
) -> None:
    """Print the feed of `day` (default: today, UTC) as a table or as JSON."""
    day = day or now.astimezone(UTC).date()
    if not sa.inspect(engine).has_table("message"):
        raise InvalidInput("This database has no Feedback Loop tables: run `feedbackloop init`.")
    with Session(engine) as session:
        cards = morning_feed(session, day=day, limit=limit, now=now)
    if as_json:
        sys.stdout.write(json.dumps([card_json(c) for c in cards], ensure_ascii=False) + "\n")
        return
    console = console or Console(highlight=False)
    if not cards:
        console.print(f"Nothing new on {day:%d %B %Y}: the feed is clear.", markup=False)
        return
    console.print(_table(cards, day))
