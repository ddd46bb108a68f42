"""Who may sign in and what each role may do.

Owns password hashing (argon2), user creation, sign-in with slowed-down repeated failures, and
the permission table: one mapping from role to the actions it may take and the *scope* of each
(any item, only items the user owns, or items that are unowned or forwarded to the user). Every
write in `db/` asks `require(...)` first; the UI's role gates are a convenience, not the check.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from db import signins
from db.errors import Conflict, InvalidInput, PermissionDenied
from db.models import Event, Role, User

MIN_PASSWORD = 10
LOCK_AFTER = 5
LOCK_BASE_SECONDS = 30
LOCK_MAX_SECONDS = 15 * 60
WRONG = "Wrong email or password."
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
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
        ("changes.read", "user.manage", "settings.manage", "messages.import"), ANY
    ),
}


def hash_password(password: str) -> str:
    """Return the argon2 hash of `password`."""
    return _hasher.hash(password)


def _check_password(password: str | None) -> str:
    if password is None or len(password) < MIN_PASSWORD:
        raise InvalidInput(f"The password must be at least {MIN_PASSWORD} characters long.")
    return password


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    if not _EMAIL.match(email) or len(email) > 320:
        raise InvalidInput(f"{email!r} is not a valid email address.")
    return email


def create_user(
    session: Session,
    *,
    email: str,
    name: str,
    role: str,
    team: str | None = None,
    password: str | None,
    now: datetime,
    actor: Any = None,
) -> User:
    """Create a user with a hashed password; refuse bad input and duplicate emails.

    From the app, `actor` (an admin) is checked and recorded; without one the server's command
    line or the demo is creating it."""
    if actor is not None:
        require(actor, "user.manage")
    email = _clean_email(email)
    if role not in set(Role):
        raise InvalidInput(f"Unknown role {role!r}: use executive, manager, staff or admin.")
    if not (name or "").strip():
        raise InvalidInput("A user needs a name.")
    pw_hash = hash_password(_check_password(password))
    if session.exec(select(User.id).where(func.lower(User.email) == email)).first():
        raise Conflict(f"A user with email {email} already exists.")
    user = User(email=email, name=name.strip(), role=str(role), team=team or None)
    user.password_hash, user.created_at = pw_hash, now
    session.add(user)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(f"A user with email {email} already exists.") from None
    session.add(Event(at=now, actor_id=getattr(actor, "id", None), entity="user",
                      entity_id=user.id, action="created", to_state=role))  # fmt: skip
    session.commit()
    return user


def authenticate(session: Session, *, email: str, password: str, now: datetime) -> User:
    """Return the user for these credentials; slow down repeated failures."""
    email = (email or "").strip().lower()
    user = session.exec(select(User).where(func.lower(User.email) == email)).first()
    if user is None or not user.is_active or not user.password_hash:
        _verify(_DUMMY_HASH, password or "")
        raise PermissionDenied(WRONG)
    if user.locked_until and user.locked_until > now:
        wait = math.ceil((user.locked_until - now).total_seconds())
        raise PermissionDenied(f"Too many failed sign-ins; try again in {wait} seconds.")
    if not _verify(user.password_hash, password or ""):
        user.failed_logins += 1
        if user.failed_logins >= LOCK_AFTER:
            seconds = LOCK_BASE_SECONDS * 2 ** (user.failed_logins - LOCK_AFTER)
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


def _verify(pw_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(pw_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def set_password(session: Session, user_id: int, *, password: str, actor: Any, now: datetime):
    """Set a user's password (the user themself or an admin) and clear any lock."""
    user = _target(session, user_id, actor, self_ok=True)
    user.password_hash = hash_password(_check_password(password))
    user.failed_logins, user.locked_until = 0, None
    session.add(user)
    signins.forget_user(session, user.id)  # a new password signs out every other browser
    event = Event(at=now, actor_id=actor.id, entity="user", entity_id=user.id, action="updated")
    event.data = {"fields": ["password"]}
    session.add(event)
    session.commit()
    return user


def deactivate_user(session: Session, user_id: int, *, actor: Any, now: datetime) -> User:
    """Stop a user from signing in (admins only); their history stays."""
    user = _target(session, user_id, actor, self_ok=False)
    if user.id == actor.id:
        raise InvalidInput("You cannot deactivate your own account.")
    user.is_active = False
    session.add(user)
    event = Event(at=now, actor_id=actor.id, entity="user", entity_id=user.id, action="deactivated")
    event.from_state, event.to_state = "active", "inactive"
    session.add(event)
    session.commit()
    return user


def _target(session: Session, user_id: int, actor: Any, *, self_ok: bool) -> User:
    if not (can(actor, "user.manage") or (self_ok and actor.id == user_id)):
        raise PermissionDenied("Only an admin can manage other users.")
    user = session.get(User, user_id)
    if user is None:
        raise InvalidInput(f"There is no user #{user_id}.")
    return user


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
