"""All tables and enums of Feedback Loop.

One module on purpose (SQLModel's advice: relationships point both ways, so split files would
import each other). Every timestamp is timezone-aware UTC: `UTCDateTime` stores UTC and always
hands back an aware datetime, on SQLite as on PostgreSQL. Enum-like columns are plain strings
checked by the domain layer, so adding a state never needs a database enum migration.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from pydantic import ConfigDict
from sqlmodel import Field, SQLModel

from db.coltypes import UTCDateTime


def utcnow() -> datetime:
    """Return the current time, aware, in UTC."""
    return datetime.now(UTC)


def _ts(*, index: bool = False, nullable: bool = True) -> Any:
    return Field(default=None, sa_type=UTCDateTime, index=index, nullable=nullable)


def _created() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


def _json(default: Any = None) -> Any:
    factory = list if default is list else dict
    return Field(default_factory=factory, sa_type=sa.JSON, nullable=False)


class _Table(SQLModel):
    """Base of every table: pydantic builds its validators on first use, not at import,
    which keeps short commands such as `feedbackloop feed` quick to start."""

    model_config = ConfigDict(defer_build=True)


class Role(StrEnum):
    EXECUTIVE = "executive"
    MANAGER = "manager"
    STAFF = "staff"
    ADMIN = "admin"


class Channel(StrEnum):
    EMAIL = "email"
    TWEET = "tweet"


class Triage(StrEnum):
    NEW = "new"
    REVIEWED = "reviewed"
    FORWARDED = "forwarded"
    LINKED = "linked"
    DISMISSED = "dismissed"


class ItemStatus(StrEnum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    SHIPPED = "shipped"
    LOOP_CLOSED = "loop_closed"
    DECLINED = "declined"
    DUPLICATE = "duplicate"


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class TrackStatus(StrEnum):
    """State of the 'make it right for this customer' track of an item."""

    OPEN = "open"
    DONE = "done"
    WAIVED = "waived"


class OutreachStatus(StrEnum):
    PENDING = "pending"
    TOLD = "told"
    SKIPPED = "skipped"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class User(_Table, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=320, unique=True, index=True)
    name: str = Field(max_length=200)
    role: str = Field(default=Role.STAFF, max_length=20, index=True)
    team: str | None = Field(default=None, max_length=100, index=True)
    password_hash: str | None = Field(default=None, max_length=255)
    external_id: str | None = Field(default=None, max_length=255, unique=True)
    is_active: bool = Field(default=True)
    failed_logins: int = Field(default=0)
    locked_until: datetime | None = _ts()
    last_review_at: datetime | None = _ts()
    created_at: datetime = _created()


class SignIn(_Table, table=True):
    """A remembered browser sign-in: only the SHA-256 of its cookie token is stored."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = _created()
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    last_used_at: datetime | None = _ts()


class Contact(_Table, table=True):
    """A customer, known by email address and/or social handle (lowercase, no '@')."""

    id: int | None = Field(default=None, primary_key=True)
    email: str | None = Field(default=None, max_length=320, unique=True)
    handle: str | None = Field(default=None, max_length=100, unique=True)
    display_name: str | None = Field(default=None, max_length=200)
    followers: int = Field(default=0)
    verified: bool = Field(default=False)
    vip_tier: int = Field(default=0)
    customer_since: date | None = None
    public_consent: bool = Field(default=False)
    created_at: datetime = _created()
    updated_at: datetime = _created()


class Theme(_Table, table=True):
    """A group of messages about one problem; `key` is the signature messages are matched by."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, index=True)
    label: str = Field(max_length=200)
    message_count: int = Field(default=0)
    contact_count: int = Field(default=0)
    first_seen: datetime | None = _ts()
    last_seen: datetime | None = _ts(index=True)
    item_id: int | None = Field(default=None, foreign_key="item.id", index=True)
    created_at: datetime = _created()


class Message(_Table, table=True):
    __table_args__ = (
        sa.UniqueConstraint("channel", "external_id", name="uq_message_channel_external_id"),
        sa.Index("ix_message_feed", "received_at", "triage", "score"),
        sa.Index("ix_message_theme_received", "theme_id", "received_at"),
        # covers the Insights day aggregates (volume, notable cards, funnel, themes)
        sa.Index(
            "ix_message_insights",
            "received_at",
            "channel",
            "complaint",
            "score",
            "is_noise",
            "theme_id",
            "item_id",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=10)
    external_id: str = Field(max_length=255)
    contact_id: int | None = Field(default=None, foreign_key="contact.id", index=True)
    sender: str | None = Field(default=None, max_length=320)
    recipients: list[str] = _json(list)
    subject: str | None = Field(default=None, max_length=1000)
    body: str = Field(default="", sa_type=sa.Text)
    received_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    lang: str | None = Field(default=None, max_length=10)
    # reach and engagement at import time
    followers: int = Field(default=0)
    likes: int = Field(default=0)
    reposts: int = Field(default=0)
    replies: int = Field(default=0)
    quotes: int = Field(default=0)
    # threads and repeat contact
    in_reply_to: str | None = Field(default=None, max_length=255, index=True)
    references: list[str] = _json(list)
    thread_key: str | None = Field(default=None, max_length=255, index=True)
    is_retweet: bool = Field(default=False)
    # headers the feed needs to spot noise (auto_submitted, list_unsubscribe, precedence, ...)
    headers: dict[str, Any] = _json(dict)
    attachments: list[dict[str, Any]] = _json(list)
    # scoring
    sentiment: float = Field(default=0.0)
    complaint: float = Field(default=0.0)
    score: float = Field(default=0.0)
    reasons: list[str] = _json(list)
    is_noise: bool = Field(default=False)
    theme_id: int | None = Field(default=None, foreign_key="theme.id")
    # triage
    triage: str = Field(default=Triage.NEW, max_length=20)
    item_id: int | None = Field(default=None, foreign_key="item.id", index=True)
    reviewed_at: datetime | None = _ts()
    # audit
    source: str | None = Field(default=None, max_length=500)
    raw: str | None = Field(default=None, sa_type=sa.Text)
    imported_at: datetime = _created()


class MessageDay(_Table, table=True):
    """Daily rollup of messages per channel and theme (0: none), kept by `db.rollup`."""

    __tablename__ = "message_day"

    day: date = Field(primary_key=True)
    channel: str = Field(primary_key=True, max_length=10)
    theme_id: int = Field(default=0, primary_key=True)
    messages: int = Field(default=0)
    complaints: int = Field(default=0)  # complaint >= 0.5
    notable: int = Field(default=0)  # score >= 5 and not noise


class ItemFact(_Table, table=True):
    """Per-item facts behind Insights, kept by `db.itemrollup` after every item Event."""

    __tablename__ = "item_fact"
    __table_args__ = (
        # covers the lead times of items shipped in a period, each day's in ascending order
        sa.Index("ix_item_fact_shipped", "ship_day", "lead_days", "team", "channels", "status"),
    )

    item_id: int = Field(primary_key=True, foreign_key="item.id")
    team: str = Field(default="", max_length=100)  # "" for no team
    channels: int = Field(default=0)  # bit mask of linked messages' channels (email 1, tweet 2)
    status: str = Field(max_length=20)
    first_at: datetime = Field(sa_type=UTCDateTime, nullable=False)  # first complaint
    shipped_at: datetime | None = _ts()  # last ship Event
    ship_day: date | None = None  # its day in the company's time zone
    lead_days: float | None = None  # first complaint → last ship
    links: list[list[Any]] = _json(list)  # linked messages as [day, channel, count]


class ItemDay(_Table, table=True):
    """Net moves of items into each state per day, team and channel mask (`db.itemrollup`)."""

    __tablename__ = "item_day"

    day: date = Field(primary_key=True)
    team: str = Field(primary_key=True, max_length=100)
    channels: int = Field(primary_key=True)
    state: str = Field(primary_key=True, max_length=20)
    items: int = Field(default=0)


class LinkDay(_Table, table=True):
    """Linked messages per received day and channel, by their item's team and state."""

    __tablename__ = "link_day"

    day: date = Field(primary_key=True)
    channel: str = Field(primary_key=True, max_length=10)
    team: str = Field(primary_key=True, max_length=100)
    status: str = Field(primary_key=True, max_length=20)
    messages: int = Field(default=0)


class ForwardDay(_Table, table=True):
    """Forwards per day and recipient (`db.fwdrollup`): by the day they are due, how many, how
    many still unacknowledged and how many acknowledged late; by the day they are acknowledged,
    how many, how many late, and each one's time to acknowledge (for exact percentiles)."""

    __tablename__ = "forward_day"

    day: date = Field(primary_key=True)
    recipient_id: int = Field(primary_key=True)
    due: int = Field(default=0)
    due_open: int = Field(default=0)
    due_late: int = Field(default=0)
    acked: int = Field(default=0)
    acked_late: int = Field(default=0)
    # each acknowledgement's seconds from forward, as 8 hex digits (big-endian), in no order:
    # fixed width appends with a plain `||`, and reads back as one array without text parsing
    ack_seconds: str = Field(default="", sa_type=sa.Text)


class ForwardMsg(_Table, table=True):
    """Each forwarded message once (`db.fwdrollup`): its received day and channel, and whether
    it is on an item (messages are never unlinked), for the funnel's "forwarded" stage."""

    __tablename__ = "forward_msg"
    __table_args__ = (sa.Index("ix_forward_msg_unlinked", "linked", "day", "channel"),)

    message_id: int = Field(primary_key=True)
    day: date
    channel: str = Field(max_length=10)
    linked: bool = Field(default=False)


class Item(_Table, table=True):
    """An improvement item with its two tracks: the fix for everyone, and making it right."""

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=300)
    problem: str = Field(default="", sa_type=sa.Text)
    team: str | None = Field(default=None, max_length=100, index=True)
    owner_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    priority: str = Field(default=Priority.NORMAL, max_length=10)
    status: str = Field(default=ItemStatus.NEW, max_length=20, index=True)
    respond_by: datetime | None = _ts()
    due_at: datetime | None = _ts()
    # track 1: fix for everyone
    fix_plan: str = Field(default="", sa_type=sa.Text)
    # track 2: make it right for the customers who raised it
    customer_track: str = Field(default=TrackStatus.OPEN, max_length=10)
    customer_track_note: str = Field(default="", sa_type=sa.Text)
    # public "What we changed" log
    public_title: str | None = Field(default=None, max_length=300)
    public_text: str | None = Field(default=None, sa_type=sa.Text)
    decline_reason: str | None = Field(default=None, sa_type=sa.Text)
    show_publicly: bool = Field(default=True)
    duplicate_of_id: int | None = Field(default=None, foreign_key="item.id")
    first_signal_at: datetime | None = _ts()
    shipped_at: datetime | None = _ts(index=True)
    closed_at: datetime | None = _ts()
    created_at: datetime = _created()
    updated_at: datetime = _created()
    version: int = Field(default=1, nullable=False)


class Outreach(_Table, table=True):
    """Making it right for one customer of an item: the reply, the remedy and any goodwill."""

    __table_args__ = (
        sa.UniqueConstraint("item_id", "contact_id", name="uq_outreach_item_contact"),
    )

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="item.id", index=True)
    contact_id: int = Field(foreign_key="contact.id")
    message_id: int | None = Field(default=None, foreign_key="message.id")
    status: str = Field(default=OutreachStatus.PENDING, max_length=10)
    reply_text: str = Field(default="", sa_type=sa.Text)
    remedy: str = Field(default="", sa_type=sa.Text)
    goodwill: str = Field(default="", sa_type=sa.Text)
    skip_reason: str | None = Field(default=None, sa_type=sa.Text)
    done_by_id: int | None = Field(default=None, foreign_key="user.id")
    done_at: datetime | None = _ts()
    created_at: datetime = _created()


class Forward(_Table, table=True):
    __table_args__ = (
        sa.Index("ix_forward_inbox", "recipient_id", "acknowledged_at", "respond_by"),
        # covers Insights' hours to acknowledge (forwards acknowledged in a period)
        sa.Index("ix_forward_acked", "acknowledged_at", "created_at", "recipient_id"),
        # covers Insights' SLA breaches by team and overdue forwards by day
        sa.Index("ix_forward_due", "respond_by", "acknowledged_at", "recipient_id"),
        # drives Insights' funnel from the forwards of a period into their messages
        sa.Index("ix_forward_created", "created_at", "message_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    sender_id: int = Field(foreign_key="user.id")
    recipient_id: int = Field(foreign_key="user.id")
    message_id: int | None = Field(default=None, foreign_key="message.id", index=True)
    item_id: int | None = Field(default=None, foreign_key="item.id", index=True)
    note: str = Field(default="", sa_type=sa.Text)
    respond_by: datetime | None = _ts()
    created_at: datetime = _created()
    acknowledged_at: datetime | None = _ts()
    escalated_at: datetime | None = _ts()
    # a forwarded message its recipient answered: the comment that did (`db.answers`)
    answer_id: int | None = Field(default=None, foreign_key="comment.id")


class Comment(_Table, table=True):
    id: int | None = Field(default=None, primary_key=True)
    author_id: int = Field(foreign_key="user.id")
    message_id: int | None = Field(default=None, foreign_key="message.id", index=True)
    item_id: int | None = Field(default=None, foreign_key="item.id", index=True)
    body: str = Field(sa_type=sa.Text)
    mentions: list[int] = _json(list)
    created_at: datetime = _created()


class Mention(_Table, table=True):
    """A user told about a comment that @mentions them; in their inbox until `seen_at`."""

    __table_args__ = (sa.Index("ix_mention_inbox", "user_id", "seen_at"),)

    comment_id: int = Field(foreign_key="comment.id", primary_key=True)
    user_id: int = Field(foreign_key="user.id", primary_key=True)
    seen_at: datetime | None = _ts()


class Event(_Table, table=True):
    """Append-only audit log, written in the same transaction as the change it records."""

    __table_args__ = (
        sa.Index("ix_event_entity", "entity", "entity_id", "at"),
        sa.Index("ix_event_action_at", "action", "at"),
        # covers the Insights cumulative flow and lead times (state changes by time)
        sa.Index("ix_event_entity_at", "entity", "at", "to_state", "from_state", "entity_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _created()
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    entity: str = Field(max_length=20)
    entity_id: int
    action: str = Field(max_length=40)
    from_state: str | None = Field(default=None, max_length=20)
    to_state: str | None = Field(default=None, max_length=20)
    data: dict[str, Any] = _json(dict)


class Outbox(_Table, table=True):
    """An email to send; `dedupe_key` makes enqueueing idempotent, `status` makes sending so."""

    __table_args__ = (sa.Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=30)
    dedupe_key: str = Field(max_length=255, unique=True)
    to_addr: str = Field(max_length=320)
    subject: str = Field(max_length=500)
    body_text: str = Field(sa_type=sa.Text)
    body_html: str | None = Field(default=None, sa_type=sa.Text)
    message_id_header: str = Field(max_length=255)
    status: str = Field(default=OutboxStatus.PENDING, max_length=10)
    attempts: int = Field(default=0)
    next_attempt_at: datetime | None = _ts()
    last_error: str | None = Field(default=None, sa_type=sa.Text)
    created_at: datetime = _created()
    sent_at: datetime | None = _ts()


class Quarantine(_Table, table=True):
    """An input record that could not be imported, kept with its reason and raw bytes."""

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=500)
    locator: str | None = Field(default=None, max_length=100)
    fmt: str | None = Field(default=None, max_length=20)
    reason: str = Field(sa_type=sa.Text)
    raw: bytes = Field(sa_type=sa.LargeBinary)
    created_at: datetime = _created()


class Setting(_Table, table=True):
    """Admin settings (own handles and domains, VIPs, SLA targets) as JSON values by key."""

    key: str = Field(primary_key=True, max_length=100)
    value: Any = Field(default=None, sa_type=sa.JSON)
    updated_at: datetime = _created()


class Mailbox(_Table, table=True):
    """How far `feedbackloop fetch` has read an IMAP folder: its UIDVALIDITY and the last UID
    stored, keyed by "user@host/folder" (never a password)."""

    key: str = Field(primary_key=True, max_length=500)
    uidvalidity: int = Field(default=0, sa_type=sa.BigInteger)
    last_uid: int = Field(default=0, sa_type=sa.BigInteger)
    fetched: int = Field(default=0)  # messages read from it, all fetches together
    fetched_at: datetime | None = _ts()
    last_error: str | None = Field(default=None, max_length=500)
