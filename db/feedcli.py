"""`feedbackloop feed`: the morning feed as a terminal table, or as the JSON contract of DESIGN §4.

JSON: an array, one object per card, with exactly the keys `rank`, `score`, `title`, `channel`,
`reasons` (list of strings), `count`, `theme` (label or null) and `message_ids` (the members'
external ids). Customer text goes into the table as plain text (rich markup is switched off).

This module is also the fast path of the command (db/cli.py hands it plain `feed` arguments
before Typer is imported): it loads SQLAlchemy Core and db.queries only, and rich only to print
a table, so that `feed --json` over a million messages starts, queries and prints within the
one-second target of DESIGN §6.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from db.errors import DomainError, first_line

if TYPE_CHECKING:
    from rich.console import Console
    from sqlalchemy.engine import Engine

    from db.feedcards import FeedCard

JSON_KEYS = ("rank", "score", "title", "channel", "reasons", "count", "theme", "message_ids")
DEFAULT_LIMIT, MAX_LIMIT = 20, 500
# --date bounds: far beyond any real feed, and far from datetime's limits (year 1 to 9999),
# which a day's window in the company's time zone would otherwise cross
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


def card_json(card: FeedCard) -> dict[str, Any]:
    """Return the DESIGN §4 JSON object of one card."""
    return {key: getattr(card, key) for key in JSON_KEYS}


def plain_args(argv: list[str]) -> tuple[str | None, int, bool] | None:
    """Return (date, limit, json) for well-formed `feed` arguments, else None.

    None sends the arguments to Typer, which owns `--help` and every usage error message; this
    parser only has to recognise what is certainly valid.
    """
    day, limit, as_json = None, DEFAULT_LIMIT, False
    args = iter(argv)
    for arg in args:
        if arg == "--json":
            as_json = True
            continue
        name, eq, value = arg.partition("=")
        if name not in ("--date", "--limit"):
            return None
        value = value if eq else next(args, None)
        if value is None or value.startswith("-"):
            return None
        if name == "--date":
            day = value
        elif value.isascii() and value.isdigit() and 1 <= int(value) <= MAX_LIMIT:
            limit = int(value)
        else:
            return None
    return day, limit, as_json


def run(day: str | None, limit: int, as_json: bool) -> int:
    """Print the feed for DATABASE_URL; return the exit code (errors are one line on stderr)."""
    from sqlalchemy.exc import SQLAlchemyError

    from db.engine import database_url, make_engine, safe_url
    from db.schema import ensure_current

    try:
        the_day = None if day is None else date.fromisoformat(day)
    except ValueError:
        return _error(f"--date must be YYYY-MM-DD, got {day!r}")
    if the_day is not None and not FIRST_DAY <= the_day <= LAST_DAY:
        return _error(f"--date must be between {FIRST_DAY} and {LAST_DAY}, got {day!r}")
    url = database_url()
    try:
        engine = make_engine(url)
        ensure_current(engine, create=False)
        print_feed(engine, day=the_day, limit=limit, as_json=as_json, now=datetime.now(UTC))
    except DomainError as e:
        return _error(str(e))
    except (SQLAlchemyError, ValueError, ImportError) as e:
        return _error(f"cannot read database {safe_url(url)}: {first_line(e)}")
    return 0


def _error(message: str) -> int:
    sys.stderr.write(f"error: {message}\n")
    return 2


def print_feed(
    engine: Engine,
    *,
    day: date | None,
    limit: int,
    as_json: bool,
    now: datetime,
    console: Console | None = None,
) -> None:
    """Print the feed of `day` (default: the company's today) as a table or as JSON."""
    from db.clock import company_zone, local_day, zone_key
    from db.queries import morning_feed

    with engine.connect() as conn:
        zone = company_zone(conn)
        day = day or local_day(now, zone)
        cards = morning_feed(conn, day=day, limit=limit, now=now)
    if as_json:
        sys.stdout.write(json.dumps([card_json(c) for c in cards], ensure_ascii=False) + "\n")
        return
    from rich.console import Console

    console = console or Console(highlight=False, soft_wrap=True)
    if not cards:
        console.print(f"Nothing new on {day:%d %B %Y}: the feed is clear.", markup=False)
        return
    console.print(_table(cards, day, zone_key(zone)))


def _table(cards: list[FeedCard], day: date, zone: str) -> Any:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"Morning feed · {day:%A %d %B %Y} ({zone})", show_lines=True)
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
