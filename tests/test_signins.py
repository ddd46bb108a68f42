"""Remembered sign-ins (`db.signins`): a cookie token that survives a reload, safely."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from db import signins, users
from db.models import SignIn
from tests.factories import NOW, make_charging_manager

PASSWORD = "correct horse battery"


def test_a_remembered_token_signs_its_user_back_in(session):
    mara = make_charging_manager(session)
    token = signins.remember(session, mara, now=NOW)
    assert signins.resume(session, token, now=NOW + timedelta(days=3)).id == mara.id


def test_only_the_hash_of_the_token_is_stored(session):
    token = signins.remember(session, make_charging_manager(session), now=NOW)
    stored = session.exec(select(SignIn)).one()
    assert token not in stored.token_hash
    assert len(stored.token_hash) == 64 and len(token) >= 40


def test_unknown_empty_and_oversized_tokens_sign_nobody_in(session):
    signins.remember(session, make_charging_manager(session), now=NOW)
    for token in (None, "", "not-a-token", "x" * 5000):
        assert signins.resume(session, token, now=NOW) is None


def test_a_token_expires_after_the_remember_period(session):
    token = signins.remember(session, make_charging_manager(session), now=NOW)
    last_day = NOW + timedelta(days=signins.REMEMBER_DAYS) - timedelta(minutes=1)
    assert signins.resume(session, token, now=last_day) is not None
    assert signins.resume(session, token, now=last_day + timedelta(minutes=2)) is None


def test_signing_out_revokes_that_browser_only(session):
    mara = make_charging_manager(session)
    laptop = signins.remember(session, mara, now=NOW)
    phone = signins.remember(session, mara, now=NOW)
    signins.forget(session, laptop)
    assert signins.resume(session, laptop, now=NOW) is None
    assert signins.resume(session, phone, now=NOW).id == mara.id


def test_a_deactivated_user_is_not_signed_back_in(session):
    mara = make_charging_manager(session)
    token = signins.remember(session, mara, now=NOW)
    admin = users.create_user(session, email="it@example.com", name="IT", role="admin",
                             password=PASSWORD, now=NOW)  # fmt: skip
    users.deactivate_user(session, mara.id, actor=admin, now=NOW)
    assert signins.resume(session, token, now=NOW) is None


def test_a_new_password_signs_out_every_browser(session):
    mara = make_charging_manager(session)
    tokens = [signins.remember(session, mara, now=NOW) for _ in range(2)]
    users.set_password(session, mara.id, password="a brand new password", actor=mara, now=NOW)
    assert [signins.resume(session, t, now=NOW) for t in tokens] == [None, None]


def test_use_is_recorded_at_most_hourly_and_expired_rows_are_tidied(session):
    mara = make_charging_manager(session)
    old = signins.remember(session, mara, now=NOW)
    token = signins.remember(session, mara, now=NOW)

    def row():
        return session.exec(select(SignIn).where(SignIn.token_hash == signins._digest(token)))

    signins.resume(session, token, now=NOW + timedelta(minutes=30))
    assert row().one().last_used_at == NOW
    signins.resume(session, token, now=NOW + timedelta(hours=2))
    assert row().one().last_used_at == NOW + timedelta(hours=2)
    signins.forget(session, token)
    later = NOW + timedelta(days=signins.REMEMBER_DAYS + 1)
    signins.remember(session, mara, now=later)  # removes the expired `old` on the way
    assert signins.resume(session, old, now=NOW) is None
    assert len(session.exec(select(SignIn)).all()) == 1
