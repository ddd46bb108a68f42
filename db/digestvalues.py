"""What a daily digest says: the frozen values `db/digest.py` composes and the digest templates
(`db/templates/digest_*.j2`) render, each digest with its e-mail subject.

A `ManagerDigest` lists a manager's open forwards and the items they own; an `ExecutiveDigest`
yesterday's loop (new notable cards, items shipped, loops closed), every overdue forward, the
e-mails that could not be delivered and the median days from first complaint to fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class ForwardLine:
    forward_id: int
    what: str
    sender: str
    recipient: str
    note: str
    due: datetime
    overdue: bool
    escalated: bool
    link: str


@dataclass(frozen=True)
class ItemLine:
    item_id: int
    title: str
    status: str
    link: str


@dataclass(frozen=True)
class CardLine:
    title: str
    score: float
    count: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class ManagerDigest:
    user_id: int
    name: str
    email: str
    day: date
    forwards: tuple[ForwardLine, ...]
    items: tuple[ItemLine, ...]
    template = "digest_manager"

    @property
    def subject(self) -> str:
        late = sum(f.overdue for f in self.forwards)
        extra = f", {late} overdue" if late else ""
        return f"Your day: {len(self.forwards)} open forwards{extra}, {len(self.items)} items"


@dataclass(frozen=True)
class ExecutiveDigest:
    user_id: int
    name: str
    email: str
    day: date
    since: datetime
    cards: tuple[CardLine, ...]
    shipped: tuple[ItemLine, ...]
    closed: tuple[ItemLine, ...]
    overdue: tuple[ForwardLine, ...]
    median_days_to_fix: float | None
    undelivered_emails: int
    template = "digest_executive"

    @property
    def subject(self) -> str:
        return (
            f"Yesterday's loop: {len(self.shipped)} shipped, {len(self.closed)} loops closed, "
            f"{len(self.overdue)} overdue"
        )
