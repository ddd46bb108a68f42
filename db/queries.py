"""Read side of messages: the ranked morning feed and the message list.

`morning_feed` works in a fixed number of queries whatever the table size: one GROUP BY over the
window's unhandled, non-noise messages per theme (the `ix_message_feed` range on received_at),
the best unthemed messages, then members and lead messages of the chosen cards only. A card's
score is its best member's score plus a theme factor for many customers and a rising rate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from db.clock import company_zone, day_bounds, local_day, stamp
from db.coltypes import UTCDateTime

if TYPE_CHECKING:
    from typing import TypeAlias

    from sqlalchemy.engine import Connection
    from sqlalchemy.orm import Session

    Reader: TypeAlias = Session | Connection  # anything with .execute()

THEME_VOLUME_WEIGHT = 1.5  # per doubling of the customers in the theme
RISING_WEIGHT = 1.0
MIN_CARD_SCORE = 0.5  # a card must have at least one reason to take an executive's time
RECENT = timedelta(hours=6)  # "rising": the last six hours run faster than before
TITLE_CHARS = 90
NEW = "new"  # Triage.NEW: only unhandled messages belong in the feed

# Core views of the columns read here (the tables themselves are db.models'; a test checks that
# names and types agree). They spare `feedbackloop feed` importing SQLModel, pydantic and every
# model, which took longer than the query itself. Callers pass a Session or a Connection.
M = sa.table(
    "message",
    *(sa.column(n, sa.Integer) for n in ("id", "contact_id", "theme_id", "item_id")),
    *(sa.column(n, sa.Integer) for n in ("followers", "likes")),
    *(sa.column(n, sa.String) for n in ("channel", "external_id", "sender", "subject", "triage")),
    sa.column("body", sa.Text),
    sa.column("received_at", UTCDateTime),
    *(sa.column(n, sa.Float) for n in ("score", "sentiment", "complaint")),
    sa.column("reasons", sa.JSON),
    sa.column("is_noise", sa.Boolean),
)
T = sa.table(
    "theme",
    *(sa.column(n, sa.Integer) for n in ("id", "message_count")),
    sa.column("label", sa.String),
    sa.column("first_seen", UTCDateTime),
)
C = sa.table("contact", sa.column("id", sa.Integer), sa.column("display_name", sa.String))


@dataclass(frozen=True)
class FeedCard:
    """One card of the morning feed: a theme or a single message, with why it is there."""

    rank: int
    score: float
    title: str
    channel: str
    channels: list[str]
    reasons: list[str]
    count: int
    theme: str | None
    theme_id: int | None
    message_ids: list[str]
    member_ids: list[int]
    lead_id: int
    first_at: datetime
    last_at: datetime
    trend: str
    contact_name: str | None
    followers: int
    subject: str | None
    body: str


def _window(
    day: date | None, since: datetime | None, now: datetime, zone: tzinfo
) -> tuple[datetime, datetime]:
    if since is not None:
        return since, max(now, since)
    day = day or local_day(now, zone)
    return day_bounds(day, day, zone)


def _open(start: datetime, end: datetime) -> list[Any]:
    """Return the filter of unhandled, non-noise messages in the window."""
    return [M.c.received_at >= start, M.c.received_at < end, M.c.triage == NEW,
            M.c.is_noise.is_(False)]  # fmt: skip


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
        .where(*_open(start, end), M.c.theme_id.is_not(None))
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
    stmt = stmt.where(*_open(start, end), M.c.score >= MIN_CARD_SCORE)
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


def _members(session: Reader, theme_ids: list[int], start, end) -> dict[int, list[Any]]:
    stmt = (
        sa.select(M.c.theme_id, M.c.id, M.c.external_id, M.c.channel, M.c.score)
        .where(*_open(start, end), M.c.theme_id.in_(theme_ids))
        .order_by(M.c.received_at, M.c.id)
    )
    out: dict[int, list[Any]] = {}
    for row in session.execute(stmt) if theme_ids else ():
        out.setdefault(row.theme_id, []).append(row)
    return out


def _leads(session: Reader, ids: list[int]) -> dict[int, dict[str, Any]]:
    stmt = (
        sa.select(
            M.c.id,
            M.c.external_id,
            M.c.channel,
            M.c.subject,
            M.c.body,
            M.c.reasons,
            M.c.followers,
            M.c.sender,
            C.c.display_name,
        )  # fmt: skip
        .select_from(M.outerjoin(C, M.c.contact_id == C.c.id))
        .where(M.c.id.in_(ids))
    )
    return {r["id"]: dict(r) for r in session.execute(stmt).mappings()} if ids else {}


def _title(lead: dict[str, Any]) -> str:
    text = lead["subject"] if lead["channel"] == "email" and lead["subject"] else lead["body"]
    text = " ".join((text or "").split())
    return text if len(text) <= TITLE_CHARS else text[: TITLE_CHARS - 1].rsplit(" ", 1)[0] + "…"


def _card(rank: int, stub: dict[str, Any], members: list[Any], lead: dict[str, Any]) -> FeedCard:
    channels = sorted({m.channel for m in members})
    themed = "theme_id" in stub
    reasons = ([stub["reason"]] if themed else []) + list(lead["reasons"] or [])
    return FeedCard(
        rank=rank, score=round(stub["card"], 2), title=stub["label"] if themed else _title(lead),
        channel=channels[0] if len(channels) == 1 else "mixed", channels=channels,
        reasons=reasons, count=len(members), theme=stub["label"] if themed else None,
        theme_id=stub["theme_id"] if themed else None,
        message_ids=[m.external_id for m in members], member_ids=[m.id for m in members],
        lead_id=lead["id"], first_at=stub["first_at"], last_at=stub["last_at"],
        trend=stub.get("trend", "new"), contact_name=lead["display_name"] or lead["sender"],
        followers=lead["followers"] or 0, subject=lead["subject"], body=lead["body"] or "",
    )  # fmt: skip


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
    members = _members(session, [s["theme_id"] for s in stubs if "theme_id" in s], start, end)
    for s in stubs:
        if "theme_id" in s:
            s["members"] = members.get(s["theme_id"], [])
            s["message_id"] = max(s["members"], key=lambda m: (m.score, -m.id)).id
    leads = _leads(session, [s["message_id"] for s in stubs])
    cards = []
    for rank, s in enumerate(stubs, 1):
        lead = leads[s["message_id"]]
        group = s.get("members") or [_Lone(lead["id"], lead["external_id"], lead["channel"])]
        cards.append(_card(rank, s, group, lead))
    return cards


@dataclass(frozen=True)
class _Lone:
    id: int
    external_id: str
    channel: str


def list_messages(
    session: Reader,
    *,
    channel: str | None = None,
    day: date | None = None,
    limit: int = 200,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Return stored messages newest first, with score, reasons and theme, as plain dicts."""
    stmt = (
        sa.select(
            M.c.id,
            M.c.external_id,
            M.c.channel,
            M.c.received_at,
            M.c.sender,
            C.c.display_name.label("contact_name"),
            M.c.subject,
            M.c.body,
            M.c.score,
            M.c.reasons,
            M.c.sentiment,
            M.c.complaint,
            M.c.is_noise,
            M.c.triage,
            M.c.followers,
            M.c.likes,
            M.c.theme_id,
            T.c.label.label("theme"),
            M.c.item_id,
        )  # fmt: skip
        .select_from(M.outerjoin(C, M.c.contact_id == C.c.id).outerjoin(T, M.c.theme_id == T.c.id))
        .order_by(M.c.received_at.desc(), M.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    if channel:
        stmt = stmt.where(M.c.channel == channel)
    if day:
        start, end = day_bounds(day, day, company_zone(session))
        stmt = stmt.where(M.c.received_at >= start, M.c.received_at < end)
    return [dict(r) for r in session.execute(stmt).mappings()]
