"""Remembered sign-ins: a browser reload or a new tab keeps the user signed in.

Signing in hands the browser a random token (a cookie); the database keeps only its SHA-256,
so a stolen backup or database read cannot sign anyone in. A token is good for
`REMEMBER_DAYS`, is refused once its user is deactivated, and is revoked by signing out
(that browser) or by a password change (every browser of that user).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from db.models import SignIn, User

REMEMBER_DAYS = 14
TOUCH_EVERY = timedelta(hours=1)  # how stale `last_used_at` may get before it is rewritten
COOKIE = "fl_session"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def remember(session: Session, user: User, *, now: datetime) -> str:
    """Store a new sign-in for `user`; return the token for the browser (shown only once)."""
    token = secrets.token_urlsafe(32)
    expires = now + timedelta(days=REMEMBER_DAYS)
    session.add(SignIn(user_id=user.id, token_hash=_digest(token), created_at=now,
                       expires_at=expires, last_used_at=now))  # fmt: skip
    session.execute(sa.delete(SignIn).where(SignIn.expires_at < now))  # tidy up as we go
    session.commit()
    return token


def resume(session: Session, token: str | None, *, now: datetime) -> User | None:
    """Return the active user a token signs in, or None if it is unknown, expired or revoked."""
    if not isinstance(token, str) or not token or len(token) > 100:
        return None
    found = session.exec(select(SignIn).where(SignIn.token_hash == _digest(token))).first()
    if found is None or found.expires_at <= now:
        return None
    user = session.get(User, found.user_id)
    if user is None or not user.is_active:
        return None
    if found.last_used_at is None or now - found.last_used_at > TOUCH_EVERY:
        found.last_used_at = now
        session.add(found)
        session.commit()
    return user


def forget(session: Session, token: str | None) -> None:
    """Revoke one sign-in (signing out of this browser)."""
    if token:
        session.execute(sa.delete(SignIn).where(SignIn.token_hash == _digest(token)))
        session.commit()


def forget_user(session: Session, user_id: int) -> None:
    """Revoke every sign-in of a user, in the caller's transaction (password changed)."""
    session.execute(sa.delete(SignIn).where(SignIn.user_id == user_id))
