"""The morning feed's cards: a ranked stub (a theme group or a lone message) made readable.

`assemble` reads the chosen cards' members and lead messages in two queries, whatever the
table size, and writes each card's title, channels, reasons and counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from db.views import C, M, unhandled

if TYPE_CHECKING:
    from db.views import Reader

TITLE_CHARS = 90


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


def _members(session: Reader, theme_ids: list[int], start, end) -> dict[int, list[Any]]:
    stmt = (
        sa.select(M.c.theme_id, M.c.id, M.c.external_id, M.c.channel, M.c.score)
        .where(*unhandled(start, end), M.c.theme_id.in_(theme_ids))
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


@dataclass(frozen=True)
class _Lone:
    id: int
    external_id: str
    channel: str


def assemble(session: Reader, stubs: list[dict[str, Any]], start, end) -> list[FeedCard]:
    """Return the cards of ranked stubs (theme groups and lone messages) of a window."""
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
