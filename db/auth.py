"""Who may sign in and what each role may do.

Owns password hashing (argon2), sign-in with slowed-down repeated failures, and the permission
table: one mapping from role to the actions it may take and the *scope* of each (any item, only
items the user owns, or items that are unowned or forwarded to the user). Every write in `db/`
asks `require(...)` first; the UI's role gates are a convenience, not the check. Creating and
managing accounts is `db.users`.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, func, select

from db.errors import PermissionDenied
from db.models import Role, User

LOCK_AFTER = 5
LOCK_BASE_SECONDS = 30
LOCK_MAX_SECONDS = 15 * 60
WRONG = "Wrong email or password."
_hasher = PasswordHasher()
# Verified against when the email is unknown, so a miss costs as much time as a wrong password.
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")

# Scopes: ANY item; OWN items only; CLAIM = own, unowned, or forwarded to the user.
ANY, OWN, CLAIM = "any", "own", "claim"
_READS = ("feed.read", "insights.read", "changes.read", "message.read", "item.read")
_MESSAGE = ("message.review", "message.forward", "message.comment", "message.dismiss")
_ITEM = ("message.split", "item.create", "item.attach", "item.comment", "item.forward")
_STEPS = ("item.acknowledge", "item.start", "item.ship", "item.reopen", "item.update")
_OVERSIGHT = ("item.assign", "item.decline", "item.duplicate", "item.close_loop")
_EXECUTIVE_ACTIONS = (*_READS, *_MESSAGE, *_ITEM, *_STEPS, *_OVERSIGHT)

PERMISSIONS: dict[str, dict[str, str]] = {
    Role.EXECUTIVE: dict.fromkeys(_EXECUTIVE_ACTIONS, ANY),
    Role.MANAGER: {
        "changes.read": ANY,
        "inbox.read": ANY,
        "message.read": ANY,
        "message.comment": ANY,
        "item.read": ANY,
        "item.create": ANY,
        "item.comment": ANY,
        "item.acknowledge": CLAIM,
        "item.forward": OWN,
        "item.start": OWN,
        "item.ship": OWN,
        "item.reopen": OWN,
        "item.update": OWN,
        "item.close_loop": OWN,
    },
    Role.STAFF: {"changes.read": ANY},
    Role.ADMIN: dict.fromkeys(
        ("changes.read", "user.manage", "settings.manage", "messages.import", "outbox.retry"), ANY
    ),
}


def hash_password(password: str) -> str:
    """Return the argon2 hash of `password`."""
    return _hasher.hash(password)


def user_by_email(session: Session, email: str) -> User | None:
    """Return the user signing in with `email` (any case, spaces around ignored), or None."""
    email = (email or "").strip().lower()
    return session.exec(select(User).where(func.lower(User.email) == email)).first()


def authenticate(session: Session, *, email: str, password: str, now: datetime) -> User:
    """Return the user for these credentials; slow down repeated failures."""
    user = user_by_email(session, email)
    if user is None or not user.is_active or not user.password_hash:
        verify_password(_DUMMY_HASH, password or "")
        raise PermissionDenied(WRONG)
    attempt = _count_attempt(session, user.id, now)
    session.refresh(user)
    if attempt is None:
        wait = math.ceil((user.locked_until - now).total_seconds())
        raise PermissionDenied(f"Too many failed sign-ins; try again in {wait} seconds.")
    if not verify_password(user.password_hash, password or ""):
        user.locked_until = None
        if attempt >= LOCK_AFTER:
            seconds = LOCK_BASE_SECONDS * 2 ** (attempt - LOCK_AFTER)
            user.locked_until = now + timedelta(seconds=min(seconds, LOCK_MAX_SECONDS))
        session.add(user)
        session.commit()
        raise PermissionDenied(WRONG)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_logins, user.locked_until = 0, None
    session.add(user)
    session.commit()
    return user


def _count_attempt(session: Session, user_id: int, now: datetime) -> int | None:
    """Count a sign-in attempt before its password is checked; None while the user is locked.

    One UPDATE checks the lock and counts, so of several attempts at once (parallel guesses
    from many browser sessions) only one gets past a lock: from the LOCK_AFTER-th attempt on,
    it holds the lock while its password is checked, and `authenticate` then sets the real
    wait (or clears it on success). A failure read-then-written in Python let them all in.
    """
    t = User.__table__
    held = sa.literal(now + timedelta(seconds=LOCK_MAX_SECONDS), t.c.locked_until.type)
    stmt = (
        sa.update(t)
        .where(t.c.id == user_id, sa.or_(t.c.locked_until.is_(None), t.c.locked_until <= now))
        .values(
            failed_logins=t.c.failed_logins + 1,
            locked_until=sa.case((t.c.failed_logins + 1 >= LOCK_AFTER, held), else_=None),
        )
        .returning(t.c.failed_logins)
    )
    attempt = session.execute(stmt).scalar()
    session.commit()
    return attempt


def verify_password(pw_hash: str, password: str) -> bool:
    """Return whether `password` matches the argon2 hash `pw_hash`."""
    try:
        return _hasher.verify(pw_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def can(user: Any, action: str, *, item: Any = None, forwarded_to_me: bool = False) -> bool:
    """Return whether `user` may take `action` (on `item`, when ownership matters)."""
    if user is None or not getattr(user, "is_active", True):
        return False
    scope = PERMISSIONS.get(str(user.role), {}).get(action)
    if scope is None:
        return False
    if scope == ANY:
        return True
    if item is None:  # a scoped action needs the item to decide: refuse by default
        return False
    owner = getattr(item, "owner_id", None)
    if scope == OWN:
        return owner == user.id
    return owner in (None, user.id) or forwarded_to_me


def require(user: Any, action: str, *, item: Any = None, forwarded_to_me: bool = False) -> None:
    """Raise PermissionDenied unless `user` may take `action`."""
    if not can(user, action, item=item, forwarded_to_me=forwarded_to_me):
        role = getattr(user, "role", "anonymous")
        what = action.replace(".", ": ", 1).replace("_", " ")
        mine = " on an item you do not own" if item is not None and role == Role.MANAGER else ""
        raise PermissionDenied(f"Your role ({role}) does not allow {what}{mine}.")
