"""Accounts: creating users, passwords, and switching sign-in off and on again.

Each verb checks the acting user (an admin, or the user themself for their own password) and
writes its audit Event in the same transaction. A new password, or switching an account off,
signs that user out of every browser; their history (forwards, comments, items) always stays.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from db import signins
from db.auth import can, hash_password, require, user_by_email, verify_password
from db.errors import Conflict, InvalidInput, PermissionDenied
from db.models import Event, Role, User

MIN_PASSWORD = 10
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


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
    if user_by_email(session, email) is not None:
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


def set_password(session: Session, user_id: int, *, password: str, actor: Any, now: datetime):
    """Set a user's password (an admin, or the command line with actor=None) and clear any
    lock; every browser that user had signed in is signed out."""
    user = _target(session, user_id, actor, self_ok=True)
    user.password_hash = hash_password(_check_password(password))
    user.failed_logins, user.locked_until = 0, None
    session.add(user)
    signins.forget_user(session, user.id)
    _event(session, user, actor, now, "updated", data={"fields": ["password"]})
    session.commit()
    return user


def change_password(
    session: Session, user_id: int, *, current: str, new: str, now: datetime
) -> User:
    """Change the signed-in user's own password, once their current one is confirmed."""
    user = session.get(User, user_id)
    if user is None or not user.is_active or not user.password_hash:
        raise PermissionDenied("Sign in again to change your password.")
    if not verify_password(user.password_hash, current or ""):
        raise InvalidInput("Your current password is not right.")
    if new == current:
        raise InvalidInput("The new password is the same as the current one.")
    return set_password(session, user_id, password=new, actor=user, now=now)


def deactivate_user(session: Session, user_id: int, *, actor: Any, now: datetime) -> User:
    """Stop a user from signing in (admins only); their history stays."""
    user = _target(session, user_id, actor, self_ok=False)
    if actor is not None and user.id == actor.id:
        raise InvalidInput("You cannot deactivate your own account.")
    if not user.is_active:
        raise InvalidInput(f"{user.name} is already deactivated.")
    user.is_active = False
    session.add(user)
    signins.forget_user(session, user.id)
    _event(session, user, actor, now, "deactivated", before="active", after="inactive")
    session.commit()
    return user


def reactivate_user(session: Session, user_id: int, *, actor: Any, now: datetime) -> User:
    """Let a deactivated user sign in again (admins only), with the password they had."""
    user = _target(session, user_id, actor, self_ok=False)
    if user.is_active:
        raise InvalidInput(f"{user.name} can already sign in.")
    user.is_active, user.failed_logins, user.locked_until = True, 0, None
    session.add(user)
    _event(session, user, actor, now, "reactivated", before="inactive", after="active")
    session.commit()
    return user


def _target(session: Session, user_id: int, actor: Any, *, self_ok: bool) -> User:
    """Return user `user_id` once `actor` may manage it (None: the server's command line)."""
    if (
        actor is not None
        and not (self_ok and actor.id == user_id)
        and not can(actor, "user.manage")
    ):
        raise PermissionDenied("Only an admin can manage other users.")
    user = session.get(User, user_id)
    if user is None:
        raise InvalidInput(f"There is no user #{user_id}.")
    return user


def _event(session: Session, user: User, actor: Any, now: datetime, action: str, **kw) -> None:
    event = Event(at=now, actor_id=getattr(actor, "id", None), entity="user",
                  entity_id=user.id, action=action)  # fmt: skip
    event.from_state, event.to_state = kw.get("before"), kw.get("after")
    if "data" in kw:
        event.data = kw["data"]
    session.add(event)
