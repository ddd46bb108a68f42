"""Core views of the message, theme and contact columns the read paths use; the message list.

The tables themselves are `db.models`'; a test checks that names and types agree. The views
spare `feedbackloop feed` importing SQLModel, pydantic and every model, which took longer than
the query itself. Callers pass a Session or a Connection.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from db.clock import company_zone, day_bounds
from db.coltypes import UTCDateTime

if TYPE_CHECKING:
    from typing import TypeAlias

    from sqlalchemy.engine import Connection
    from sqlalchemy.orm import Session

    Reader: TypeAlias = Session | Connection  # anything with .execute()

NEW = "new"  # Triage.NEW: only unhandled messages belong in the feed

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


def unhandled(start: datetime, end: datetime) -> list[Any]:
    """Return the filter of unhandled, non-noise messages in the window."""
    return [M.c.received_at >= start, M.c.received_at < end, M.c.triage == NEW,
            M.c.is_noise.is_(False)]  # fmt: skip


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
