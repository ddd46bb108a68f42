"""The ranked morning feed: which theme groups and lone messages earn a card, best first.

`morning_feed` works in a fixed number of queries whatever the table size: one GROUP BY over the
window's unhandled, non-noise messages per theme (the `ix_message_feed` range on received_at),
the best unthemed messages, then members and lead messages of the chosen cards only
(`db.feedcards`). A card's score is its best member's score plus a theme factor for many
customers and a rising rate.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from db.clock import company_zone, day_bounds, local_day, stamp
from db.feedcards import FeedCard, assemble
from db.views import M, T, unhandled

if TYPE_CHECKING:
    from db.views import Reader

THEME_VOLUME_WEIGHT = 1.5  # per doubling of the customers in the theme
RISING_WEIGHT = 1.0
MIN_CARD_SCORE = 0.5  # a card must have at least one reason to take an executive's time
RECENT = timedelta(hours=6)  # "rising": the last six hours run faster than before
__all__ = ["FeedCard", "morning_feed"]


def _window(
    day: date | None, since: datetime | None, now: datetime, zone: tzinfo
) -> tuple[datetime, datetime]:
    if since is not None:
        return since, max(now, since)
    day = day or local_day(now, zone)
    return day_bounds(day, day, zone)


def _groups(session: Reader, start, end, recent) -> list[dict[str, Any]]:
    stmt = (
        sa.select(
            M.c.theme_id,
            sa.func.max(M.c.score).label("best"),
            sa.func.count().label("n"),
            # a message without a known sender counts as one more customer
            (
                sa.func.count(sa.distinct(M.c.contact_id))
                + sa.func.sum(sa.case((M.c.contact_id.is_(None), 1), else_=0))
            ).label("people"),
            sa.func.min(M.c.received_at).label("first_at"),
            sa.func.max(M.c.received_at).label("last_at"),
            sa.func.sum(sa.case((M.c.received_at >= recent, 1), else_=0)).label("recent"),
        )
        .where(*unhandled(start, end), M.c.theme_id.is_not(None))
        .group_by(M.c.theme_id)
    )
    return [dict(r) for r in session.execute(stmt).mappings()]


def _theme_factor(
    g: dict[str, Any], theme: dict[str, Any], start, recent, zone: tzinfo
) -> tuple[float, str, str]:
    """Return (points, reason, trend) for a theme group of the window."""
    people = max(g["people"], 1)
    earlier_hours = max(1.0, (recent - g["first_at"]).total_seconds() / 3600)
    earlier_rate = (g["n"] - g["recent"]) / earlier_hours
    rising = g["recent"] >= 2 and g["recent"] / RECENT.total_seconds() * 3600 > 1.5 * earlier_rate
    new = theme["first_seen"] is None or theme["first_seen"] >= start
    trend = "rising" if rising else ("new" if new else "steady")
    who = f"{people} customers" if people > 1 else f"{g['n']} messages"
    if new:
        reason = f"{who} · since {stamp(g['first_at'], zone, '%H:%M')}"
        reason += " · rising" if rising else ""
    else:
        week = start - theme["first_seen"] < timedelta(days=7)
        since = stamp(theme["first_seen"], zone, "%A" if week else "%d %b")
        reason = f"{theme['message_count']} similar messages since {since} · {g['n']} in view"
    points = THEME_VOLUME_WEIGHT * math.log2(people) + (RISING_WEIGHT if rising else 0.0)
    return points, reason, trend


def _themes(session: Reader, ids: list[int]) -> dict[int, dict[str, Any]]:
    stmt = sa.select(T.c.id, T.c.label, T.c.first_seen, T.c.message_count).where(T.c.id.in_(ids))
    return {r["id"]: dict(r) for r in session.execute(stmt).mappings()} if ids else {}


def _candidates(
    session: Reader, start, end, recent, limit: int, zone: tzinfo
) -> list[dict[str, Any]]:
    """Return card stubs (score, theme facts) for theme groups and the best lone messages."""
    groups = _groups(session, start, end, recent)
    info = _themes(session, [g["theme_id"] for g in groups if g["n"] > 1])
    stubs = []
    for g in groups:
        if g["n"] > 1:
            points, reason, trend = _theme_factor(g, info[g["theme_id"]], start, recent, zone)
            label = info[g["theme_id"]]["label"]
            stubs.append({**g, "card": g["best"] + points, "reason": reason, "trend": trend,
                          "label": label})  # fmt: skip
    lone = {g["theme_id"] for g in groups if g["n"] == 1}
    stubs.extend(_singles(session, start, end, lone, limit))
    stubs = [s for s in stubs if s["card"] >= MIN_CARD_SCORE]
    stubs.sort(key=lambda s: (-s["card"], s["first_at"]))
    return stubs[:limit]


def _singles(session: Reader, start, end, lone: set[int], limit: int) -> list[dict[str, Any]]:
    """Return the best messages that stand alone in the window (no theme, or alone in it)."""
    out: list[dict[str, Any]] = []
    stmt = sa.select(M.c.id, M.c.score, M.c.received_at, M.c.theme_id)
    stmt = stmt.where(*unhandled(start, end), M.c.score >= MIN_CARD_SCORE)
    stmt = stmt.order_by(M.c.score.desc(), M.c.id)
    page, offset = max(50, limit * 4), 0
    while len(out) < limit:
        rows = session.execute(stmt.limit(page).offset(offset)).all()
        for mid, score, at, theme_id in rows:
            if theme_id is None or theme_id in lone:
                out.append({"message_id": mid, "card": score, "n": 1, "first_at": at,
                            "last_at": at})  # fmt: skip
        if len(rows) < page:
            break
        offset, page = offset + page, page * 4
    return out[:limit]


def morning_feed(
    session: Reader,
    *,
    day: date | None,
    since: datetime | None = None,
    limit: int = 20,
    now: datetime,
) -> list[FeedCard]:
    """Return the top `limit` cards of one of the company's days (or since a time), best first."""
    zone = company_zone(session)
    start, end = _window(day, since, now, zone)
    recent = min(end, now) - RECENT
    stubs = _candidates(session, start, end, recent, limit, zone)
    return assemble(session, stubs, start, end)
