"""Build a realistic benchmark database: 1M messages, 100k items with their events, forwards,
users and teams — by bulk inserts, in minutes.

    python tests/bench/gen_db.py --url sqlite:////tmp/fl1m.db --messages 1000000 --items 100000

Messages spread over ~120 days ending now (more on weekdays and in daytime, slowly growing),
both channels, a long tail of themes, complaint/score/reasons filled plausibly (about 2% would
earn a feed card). Items go through the workflow with plausible lead times (some declined,
duplicated or reopened) and every step is an "item" Event. SQLite is loaded with `sqlite3`
executemany (indexes dropped during the load and rebuilt after); PostgreSQL with COPY.
Deterministic: `random.Random(42)`. Creates no passwords (benchmarks sign in by session state).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import SQLModel

from db import itemrebuild, models, rollup, schema
from db.engine import make_engine

TEAMS = ["Charging", "Software", "Customer Care", "Service", "Delivery", "Billing", "Stores"]
PLACES = ["Leeds", "Bristol", "Kings Cross", "Oslo", "Munich", "Lyon", "Utrecht", "Porto"]
TOPICS = [
    ("Idle cars block chargers at {p}", "Charging"),
    ("Screen goes black while driving", "Software"),
    ("App logs me out after the update", "Software"),
    ("Charged twice for service in {p}", "Billing"),
    ("Nobody answers the phone at {p}", "Customer Care"),
    ("Delivery date moved again", "Delivery"),
    ("Service centre {p} lost my booking", "Service"),
    ("Rude staff at the {p} store", "Stores"),
    ("Charging card rejected at {p}", "Charging"),
    ("Heat pump noise after update", "Software"),
]
REASONS = [
    "reach: {n}k followers",
    "asks for a refund — churn risk",
    "safety: lost power while driving",
    "third email, no reply yet",
    "addressed to the CEO",
    "{n} similar messages this week",
]
BATCH = 20_000
DAY = 86_400.0


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _pg_ts(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


class Writer:
    """Bulk-load rows of one table: sqlite3 executemany, or PostgreSQL COPY.

    Rows hold timestamps as epoch seconds (columns marked "ts") and JSON as ready-made text.
    """

    def __init__(self, engine: sa.Engine):
        self.engine, self.pg = engine, engine.dialect.name == "postgresql"

    def write(self, table: str, columns: str, rows: Iterable[tuple]) -> int:
        cols = columns.split()
        names = ", ".join(f'"{c}"' for c in cols)
        meta = SQLModel.metadata.tables[table].c
        ts_at = [i for i, c in enumerate(cols) if isinstance(meta[c].type, models.UTCDateTime)]
        conv = _pg_ts if self.pg else _iso
        n = 0
        raw = self.engine.raw_connection()
        try:
            cur = raw.cursor()
            for chunk in _chunks(rows, BATCH):
                vals = []
                for r in chunk:
                    r = list(r)
                    for i in ts_at:
                        if r[i] is not None:
                            r[i] = conv(r[i])
                    vals.append(r)
                self._load(cur, table, names, len(cols), vals)
                n += len(vals)
            raw.commit()
        finally:
            raw.close()
        return n

    def _load(self, cur, table: str, names: str, width: int, vals: list) -> None:
        if self.pg:
            with cur.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for v in vals:
                    copy.write_row(v)
        else:
            marks = ", ".join("?" * width)
            cur.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', vals)


def _chunks(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    chunk: list[tuple] = []
    for r in rows:
        chunk.append(r)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def message_times(rng: random.Random, n: int, start: float, days: int) -> list[float]:
    """Return n sorted receive times: weekdays and daytime busier, slowly growing."""
    out = []
    while len(out) < n:
        d = days * (rng.random() ** 0.8)  # more recent days are busier
        t = start + int(d) * DAY + rng.gauss(13.5, 4.0) % 24 * 3600
        weekday = datetime.fromtimestamp(t, UTC).weekday()
        if weekday < 5 or rng.random() < 0.6:
            out.append(t)
    out.sort()
    return out


def people(w: Writer, now: float) -> dict[str, list[int]]:
    """Insert executives, managers per team, staff and admins; return ids by role/team."""
    rows, uid, by = [], 0, {t: [] for t in TEAMS}
    spec = [("executive", None, 3), ("staff", None, 20), ("admin", None, 2)]
    spec += [("manager", t, 6) for t in TEAMS]
    for role, team, count in spec:
        for _ in range(count):
            uid += 1
            email = f"{role}{uid}@bench.example"
            rows.append((uid, email, f"{role.title()} {uid}", role, team, True, 0, now))
            if team:
                by[team].append(uid)
    w.write("user", "id email name role team is_active failed_logins created_at", rows)
    by["executive"] = [1, 2, 3]
    return by


def contacts(w: Writer, rng: random.Random, n: int, now: float) -> None:
    """Insert n customers, most on X with a long tail of followers, some by email."""

    def rows():
        for cid in range(1, n + 1):
            handle, email = (f"user{cid}", None) if cid % 3 else (None, f"c{cid}@mail.example")
            followers = int(rng.paretovariate(1.1) * 40) if handle else 0
            yield (cid, email, handle, f"Customer {cid}", followers, followers > 500_000,
                   1 if rng.random() < 0.02 else 0, False, now, now)  # fmt: skip

    cols = "id email handle display_name followers verified vip_tier public_consent"
    w.write("contact", cols + " created_at updated_at", rows())


def lifecycle(
    rng: random.Random, created: float, now: float
) -> list[tuple[float, str, str | None, str]]:
    """Return the item's (time, action, from, to) steps up to now, with plausible gaps."""
    steps = [(created, "created", None, "new")]
    fate = rng.random()
    plan = [("acknowledged", "acknowledged", rng.lognormvariate(-0.3, 0.9)),
            ("started", "in_progress", rng.uniform(0.2, 4.0)),
            ("shipped", "shipped", rng.lognormvariate(1.9, 0.7))]  # fmt: skip
    if fate < 0.07:
        plan = plan[: rng.randrange(2)] + [("declined", "declined", rng.uniform(0.5, 5))]
    elif fate < 0.10:
        plan = [("duplicated", "duplicate", rng.uniform(0.1, 2))]
    else:
        if fate < 0.13:  # reopened: the complaints did not stop
            plan += [("reopened", "in_progress", rng.uniform(2, 6)),
                     ("shipped", "shipped", rng.uniform(3, 10))]  # fmt: skip
        if rng.random() < 0.7:
            plan.append(("loop_closed", "loop_closed", rng.uniform(1, 12)))
    t, state = created, "new"
    for action, to, gap_days in plan:
        t += gap_days * DAY
        if t > now:
            break
        steps.append((t, action, state, to))
        state = to
    return steps


def due_after(t: float) -> float:
    """Return one business day after t."""
    due = t + DAY
    while datetime.fromtimestamp(due, UTC).weekday() >= 5:
        due += DAY
    return due


def plan(rng: random.Random, times: list[float], n_items: int, n_themes: int, now: float, by):
    """Choose items, their linked messages, themes, steps and forwards (all in memory)."""
    link: dict[int, int] = {}
    items, events, forwards = [], [], []
    theme_of_item: dict[int, int] = {}
    for iid in range(1, n_items + 1):
        idx = rng.randrange(len(times))
        hi = bisect_left(times, times[idx] + 3 * DAY)
        linked = {idx} | {
            rng.randrange(idx, max(hi, idx + 1)) for _ in range(int(rng.expovariate(0.5)))
        }
        linked = [i for i in linked if i not in link] or [idx]
        for i in linked:
            link[i] = iid
        first = min(times[i] for i in linked)
        created = min(first + rng.uniform(0.05, 2.0) * DAY, now - 60)
        team = rng.choice(TEAMS)
        owner = rng.choice(by[team])
        theme_of_item[iid] = 1 + int(rng.paretovariate(1.2)) % n_themes
        steps = lifecycle(rng, created, now)
        status = steps[-1][3]
        acked = next((s[0] for s in steps if s[3] == "acknowledged"), None)
        shipped = max((s[0] for s in steps if s[3] == "shipped"), default=None)
        closed = next((s[0] for s in steps if s[3] == "loop_closed"), None)
        items.append((iid, team, owner if acked else None, status, first, created, shipped, closed,
                      iid - 1 if status == "duplicate" and iid > 1 else None))  # fmt: skip
        for t, action, src, dst in steps:
            actor = owner if action != "created" else rng.choice(by["executive"])
            events.append((t, actor, "item", iid, action, src, dst))
        if rng.random() < 0.6:
            sent = created + rng.uniform(0, 0.2) * DAY
            handled = steps[1][0] if len(steps) > 1 else None  # acknowledged, declined, ...
            if handled is not None and handled <= sent:
                handled = sent + rng.uniform(0.01, 0.3) * DAY
            forwards.append((rng.choice(by["executive"]), owner, None, iid, sent, due_after(sent),
                             handled if handled and handled < now else None))  # fmt: skip
    return link, items, events, forwards, theme_of_item


def message_forwards(rng, times, link, n: int, now: float, by) -> list[tuple]:
    """Forwards about single messages (not on an item), most acknowledged within a day or two."""
    out = []
    managers = [u for t in TEAMS for u in by[t]]
    for _ in range(n):
        idx = rng.randrange(len(times))
        if idx in link:
            continue
        sent = times[idx] + rng.uniform(0.05, 1.0) * DAY
        ack = sent + rng.expovariate(1 / 0.8) * DAY if rng.random() < 0.85 else None
        if sent > now:
            continue
        out.append((rng.choice(by["executive"]), rng.choice(managers), idx + 1, None, sent,
                    due_after(sent), ack if ack and ack < now else None))  # fmt: skip
    return out


def theme_labels(n: int) -> list[str]:
    """Return n readable theme labels."""
    return [TOPICS[i % len(TOPICS)][0].format(p=PLACES[(i // len(TOPICS)) % len(PLACES)])
            + (f" ({i // 80})" if i >= 80 else "") for i in range(n)]  # fmt: skip


def message_rows(rng, times, link, themes, forwarded: set[int], n_contacts: int, now: float):
    """Yield one message row per receive time, with plausible scoring fields."""
    labels = theme_labels(max(themes) + 1)
    for i, t in enumerate(times):
        mid, item = i + 1, link.get(i)
        tweet = rng.random() < 0.6
        noise = item is None and rng.random() < 0.08
        complaint = rng.uniform(0.6, 1.0) if item else (rng.random() ** 1.6)
        score = 0.0 if noise else rng.uniform(3, 10) if item else rng.expovariate(1 / 1.2)
        n_reasons = 0 if score < 3 else 1 + (score > 6)
        reasons = [rng.choice(REASONS).format(n=rng.randrange(2, 90)) for _ in range(n_reasons)]
        theme = themes[i] or None
        topic = labels[theme].lower() if theme else "a question about my account"
        triage = "linked" if item else "forwarded" if mid in forwarded else "new"
        if triage == "new" and score >= 5 and t < now - DAY:
            triage = rng.choice(["reviewed", "dismissed", "reviewed"])
        channel, sender = ("tweet", None) if tweet else ("email", f"c{mid}@mail.example")
        contact = 1 + int(rng.paretovariate(1.05)) % n_contacts
        subject = None if tweet else topic.capitalize()
        reach = (rng.randrange(50_000) if tweet else 0, rng.randrange(40), rng.randrange(8))
        yield (
            mid, channel, f"{channel[0]}{mid}", contact, sender, "[]", subject,
            f"Hello, {topic}. Order {mid % 9973}.", t, *reach, rng.randrange(5), 0, "[]", False,
            "{}", "[]", round(0.4 - complaint, 3), round(complaint, 3), round(score, 2),
            json.dumps(reasons) if reasons else "[]", noise, theme, triage, item, t + 1,
        )  # fmt: skip


MESSAGE_COLS = (
    "id channel external_id contact_id sender recipients subject body received_at followers"
    " likes reposts replies quotes references is_retweet headers attachments sentiment complaint"
    " score reasons is_noise theme_id triage item_id imported_at"
)
ITEM_COLS = (
    "id title problem team owner_id created_by_id priority status fix_plan customer_track"
    " customer_track_note show_publicly duplicate_of_id first_signal_at shipped_at closed_at"
    " created_at updated_at version"
)
THEME_COLS = "id key label message_count contact_count first_seen last_seen item_id created_at"
FORWARD_COLS = "id sender_id recipient_id message_id item_id note respond_by created_at"
FORWARD_COLS += " acknowledged_at"
EVENT_COLS = "id at actor_id entity entity_id action from_state to_state data"


def fresh_schema(engine: sa.Engine) -> list[str]:
    """Create an empty newest schema; on SQLite drop secondary indexes and return their DDL."""
    SQLModel.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    schema.upgrade(engine)
    for table in models.SQLModel.metadata.sorted_tables:  # indexes added after the migration
        for index in table.indexes:
            index.create(engine, checkfirst=True)
    if engine.dialect.name != "sqlite":
        return []
    with engine.begin() as conn:
        query = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        ddl = conn.execute(sa.text(query)).all()
        for name, _ in ddl:
            conn.execute(sa.text(f'DROP INDEX "{name}"'))
    return [sql for _, sql in ddl]


def message_themes(rng, times, link, theme_of_item, n_themes: int) -> list[int]:
    """Return each message's theme (0 for none): its item's theme, else a long-tail pick."""
    out = []
    for i in range(len(times)):
        if i in link:
            out.append(theme_of_item[link[i]])
        else:
            out.append(1 + int(rng.paretovariate(1.1)) % n_themes if rng.random() < 0.45 else 0)
    return out


def write_items(w: Writer, items, labels, theme_of_item, creator: int) -> None:
    """Insert the planned items."""
    w.write(
        "item",
        ITEM_COLS,
        (
            (iid, labels[theme_of_item[iid]], "Customers report it.", team, owner, creator,
             "normal", status, "", "open", "", True, dup, first, shipped, closed, created,
             created, 1)
            for iid, team, owner, status, first, created, shipped, closed, dup in items
        ),
    )  # fmt: skip


def write_themes(w: Writer, themes, times, labels, theme_of_item) -> int:
    """Insert the themes that have messages, with their counts and first/last seen."""
    stats: dict[int, list] = {}
    for i, th in enumerate(themes):
        if th:
            s = stats.setdefault(th, [0, times[i], times[i]])
            s[0], s[2] = s[0] + 1, times[i]
    first_item: dict[int, int] = {}
    for iid, th in theme_of_item.items():
        first_item.setdefault(th, iid)
    rows = (
        (th, f"k{th}", labels[th], c, int(c * 0.9) or 1, f, last, first_item.get(th), f)
        for th, (c, f, last) in sorted(stats.items())
    )
    return w.write("theme", THEME_COLS, rows)


def write_forwards(w: Writer, forwards, events) -> None:
    """Insert forwards, then every event (item steps plus forwarded/acknowledged) by time."""
    rows = ((k + 1, s, r, m, it, "?", due, sent, ack) for k, (s, r, m, it, sent, due, ack)
            in enumerate(forwards))  # fmt: skip
    w.write("forward", FORWARD_COLS, rows)
    for k, (sender, recipient, _, _, sent, _, ack) in enumerate(forwards):
        events.append((sent, sender, "forward", k + 1, "forwarded", None, None))
        if ack:
            events.append((ack, recipient, "forward", k + 1, "acknowledged", None, None))
    events.sort()
    w.write("event", EVENT_COLS, ((k + 1, *e, "{}") for k, e in enumerate(events)))


def finish(engine: sa.Engine, indexes: list[str]) -> None:
    """Rebuild dropped indexes, move PostgreSQL sequences past the ids, gather statistics."""
    with engine.begin() as conn:
        for sql in indexes:
            conn.execute(sa.text(sql))
        if engine.dialect.name == "postgresql":
            for table in ("user", "contact", "item", "theme", "message", "forward", "event"):
                seq = f"pg_get_serial_sequence('\"{table}\"', 'id')"
                conn.execute(sa.text(f'SELECT setval({seq}, (SELECT max(id) FROM "{table}"))'))
        conn.execute(sa.text("ANALYZE"))


def build(url: str, *, n_messages: int, n_items: int, days: int, now: datetime) -> None:
    """Generate and load the whole database, printing each step's time."""
    t0, rng = time.perf_counter(), random.Random(42)
    engine = make_engine(url)
    indexes = fresh_schema(engine)
    w, end = Writer(engine), now.timestamp()

    def step(what: str) -> None:
        print(f"{time.perf_counter() - t0:7.1f}s  {what}", flush=True)

    by = people(w, end)
    n_contacts = max(n_messages // 7, 10)
    contacts(w, rng, n_contacts, end)
    step(f"users and {n_contacts:,} contacts")
    times = message_times(rng, n_messages, end - days * DAY, days)
    n_themes = max(n_messages // 200, 10)
    link, items, events, forwards, theme_of_item = plan(rng, times, n_items, n_themes, end, by)
    forwards += message_forwards(rng, times, link, n_items // 4, end, by)
    step(f"planned {len(items):,} items, {len(events):,} item events, {len(forwards):,} forwards")
    themes = message_themes(rng, times, link, theme_of_item, n_themes)
    labels = theme_labels(n_themes + 1)
    write_items(w, items, labels, theme_of_item, by["executive"][0])
    n_themes_used = write_themes(w, themes, times, labels, theme_of_item)
    step(f"{len(items):,} items and {n_themes_used:,} themes")
    fwd_msgs = {f[2] for f in forwards if f[2]}
    rows = message_rows(rng, times, link, themes, fwd_msgs, n_contacts, end)
    w.write("message", MESSAGE_COLS, rows)
    step(f"{n_messages:,} messages")
    write_forwards(w, forwards, events)
    step(f"{len(forwards):,} forwards and {len(events):,} events")
    finish(engine, indexes)
    step("indexes rebuilt, statistics gathered")
    with engine.begin() as conn:
        step(f"daily rollup: {rollup.rebuild(conn):,} rows")
    with engine.begin() as conn:
        step(f"item and forward rollups: {itemrebuild.rebuild(conn):,} items")


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", required=True, help="database URL (its content is replaced)")
    p.add_argument("--messages", type=int, default=1_000_000)
    p.add_argument("--items", type=int, default=100_000)
    p.add_argument("--days", type=int, default=120)
    a = p.parse_args(argv)
    now = datetime.now(UTC).replace(microsecond=0)
    build(a.url, n_messages=a.messages, n_items=a.items, days=a.days, now=now)


if __name__ == "__main__":
    sys.exit(main())
