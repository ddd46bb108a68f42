"""The write side of improvement items: the state machine of DESIGN §2 and one function per intent.

`new → acknowledged → in_progress → shipped → loop_closed`; any open state → declined or
duplicate; shipped → in_progress (reopen). Each intent checks permission, enforces the state
machine, saves with optimistic locking (UPDATE ... WHERE version = expected) and writes its
Event(s) in the same transaction, committing once. The state machine itself is in
`db/itemstate.py`, field edits in `db/itemedit.py`, message-side intents in `db/triage.py`,
`db/forwards.py`, `db/comments.py`, `db/answers.py` and `db/linking.py`; all are re-exported
here so callers need only this module.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from db.answers import answer_forward  # noqa: F401  (re-exported)
from db.auth import can, require
from db.comments import comment  # noqa: F401  (re-exported)
from db.errors import InvalidInput
from db.forwards import acknowledge_forward, forward, mark_acknowledged  # noqa: F401  (re-exported)
from db.itemedit import EDITABLE, assign, mark_duplicate, update_item  # noqa: F401  (re-exported)
from db.itemstate import (  # noqa: F401  (re-exported: callers need only this module)
    ALLOWED,
    OPEN,
    S,
    allowed_next,
    conflict,
    load,
    require_public_text,
    transition,
)
from db.linking import attach, create_item, item_from_forward  # noqa: F401  (re-exported)
from db.models import Forward, Item
from db.outreach import known_customers
from db.redact import describe, find_pii
from db.triage import (  # noqa: F401  (re-exported: the contract names them in this module)
    assignable_user,
    dismiss,
    review,
    split_from_theme,
)

INTENTS = {  # intent: (permission asked of db.auth, state it leads to)
    "acknowledge": ("item.acknowledge", S.ACKNOWLEDGED),
    "start": ("item.start", S.IN_PROGRESS),
    "reopen": ("item.reopen", S.IN_PROGRESS),
    "ship": ("item.ship", S.SHIPPED),
    "decline": ("item.decline", S.DECLINED),
    "duplicate": ("item.duplicate", S.DUPLICATE),
}


def next_steps(item: Any, user: Any, *, forwarded_to_me: bool = False) -> list[str]:
    """Return the intents `user` may take on `item` now (state machine and permission)."""
    steps = []
    for intent, (action, to_state) in INTENTS.items():
        if to_state == S.IN_PROGRESS and (intent == "reopen") != (item.status == S.SHIPPED):
            continue
        allowed = to_state in ALLOWED.get(item.status, set())
        if allowed and can(user, action, item=item, forwarded_to_me=forwarded_to_me):
            steps.append(intent)
    return steps


def _step(session, item_id, to_state, action, *, actor, expected_version, now, **kw) -> Item:
    item = load(session, item_id, expected_version)
    require(actor, action, item=item)
    transition(session, item, to_state, actor=actor, now=now, **kw)
    session.commit()
    return item


def acknowledge(session: Session, item_id: int, *, actor, expected_version: int, now) -> Item:
    """Take ownership of a new item; also acknowledge open forwards of it to the actor."""
    item = load(session, item_id, expected_version)
    open_fwds = session.exec(
        select(Forward).where(
            Forward.item_id == item_id,
            Forward.recipient_id == actor.id,
            Forward.acknowledged_at.is_(None),
        )
    ).all()
    require(actor, "item.acknowledge", item=item, forwarded_to_me=bool(open_fwds))
    data = {"owner_id": actor.id, "previous_owner_id": item.owner_id}
    transition(
        session,
        item,
        S.ACKNOWLEDGED,
        actor=actor,
        now=now,
        data=data,
        changes={"owner_id": actor.id},
    )
    for fwd in open_fwds:
        mark_acknowledged(session, fwd, actor=actor, now=now)
    session.commit()
    return item


def start(session: Session, item_id: int, *, actor, expected_version: int, now) -> Item:
    """Begin work on an acknowledged item (its owner or an executive)."""
    return _step(
        session,
        item_id,
        S.IN_PROGRESS,
        "item.start",
        actor=actor,
        expected_version=expected_version,
        now=now,
    )


def ship(
    session, item_id, *, public_title, public_text, actor, expected_version, now,
    publish_anyway: bool = False,
) -> Item:  # fmt: skip
    """Mark the fix shipped with its public 'what we changed' title and text; refused while
    the text holds personal data, unless `publish_anyway` (the log then shows it [removed])."""
    require_public_text(public_title, public_text)
    found = find_pii(f"{public_title}\n{public_text}", known=known_customers(session, item_id))
    if found and not publish_anyway:
        raise InvalidInput(
            "The public text names someone or holds personal data ("
            + "; ".join(describe(found)) + "). Reword it, or tick “Publish anyway”: the "
            "public log then shows those parts as [removed]."
        )  # fmt: skip
    changes = {
        "public_title": public_title.strip(),
        "public_text": public_text.strip(),
        "shipped_at": now,
    }
    return _step(
        session,
        item_id,
        S.SHIPPED,
        "item.ship",
        actor=actor,
        now=now,
        expected_version=expected_version,
        changes=changes,
    )


def reopen(session, item_id, *, reason: str, actor, expected_version, now) -> Item:
    """Send a shipped item back to work because the complaints did not stop."""
    if not (reason or "").strip():
        raise InvalidInput("Reopening needs a reason.")
    return _step(
        session,
        item_id,
        S.IN_PROGRESS,
        "item.reopen",
        actor=actor,
        now=now,
        expected_version=expected_version,
        data={"reason": reason.strip()},
    )


def decline(
    session, item_id, *, reason, public_text, show_publicly: bool, actor, expected_version, now
) -> Item:
    """Decline an open item with an internal reason and the public wording."""
    if not (reason or "").strip() or not (public_text or "").strip():
        raise InvalidInput("Declining needs a reason and the public wording.")
    changes = {
        "decline_reason": reason.strip(),
        "public_text": public_text.strip(),
        "show_publicly": bool(show_publicly),
        "closed_at": now,
    }
    return _step(
        session,
        item_id,
        S.DECLINED,
        "item.decline",
        actor=actor,
        now=now,
        expected_version=expected_version,
        changes=changes,
        data={"reason": reason.strip()},
    )
