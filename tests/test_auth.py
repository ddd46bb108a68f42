"""Users, argon2 passwords, slowed-down sign-ins with a fixed clock, and `feedbackloop user add`."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from types import SimpleNamespace

import pytest
from argon2 import PasswordHasher
from sqlmodel import Session, select

from db import auth, users
from db.cli import main
from db.errors import Conflict, InvalidInput, PermissionDenied
from db.models import Event, User
from tests.factories import NOW

PASSWORD = "correct horse battery"


@pytest.fixture
def mara(session):
    return users.create_user(
        session,
        email=" Mara.Lind@Example.com ",
        name="Mara Lind",
        role="manager",
        team="Charging",
        password=PASSWORD,
        now=NOW,
    )


def _sign_in(session, password, at):
    return auth.authenticate(session, email="mara.lind@example.com", password=password, now=at)


def test_create_user_stores_only_an_argon2_hash(session, mara):
    stored = session.exec(select(User)).one()
    assert stored.email == "mara.lind@example.com"
    assert PASSWORD not in stored.password_hash
    assert stored.password_hash.startswith("$argon2id$")
    assert session.exec(select(Event.action).where(Event.entity == "user")).all() == ["created"]


@pytest.mark.parametrize(
    "email,role,password,match",
    [
        ("not-an-email", "manager", PASSWORD, "valid email"),
        ("a@example.com", "boss", PASSWORD, "Unknown role"),
        ("a@example.com", "staff", "short", "at least 10"),
        ("a@example.com", "staff", None, "at least 10"),
    ],
)
def test_create_user_refuses_bad_input(session, email, role, password, match):
    with pytest.raises(InvalidInput, match=match):
        users.create_user(session, email=email, name="A", role=role, password=password, now=NOW)


def test_duplicate_email_is_a_conflict_whatever_the_case(session, mara):
    with pytest.raises(Conflict, match="already exists"):
        users.create_user(
            session,
            email="MARA.LIND@example.com",
            name="M",
            role="staff",
            password=PASSWORD,
            now=NOW,
        )


def test_only_an_admin_may_create_a_user_from_the_app(session, mara):
    fields = dict(email="sam@example.com", name="Sam", role="staff", password=PASSWORD, now=NOW)
    with pytest.raises(PermissionDenied, match="user: manage"):
        users.create_user(session, **fields, actor=mara)
    admin = users.create_user(
        session, email="ada@example.com", name="Ada", role="admin", password=PASSWORD, now=NOW
    )
    sam = users.create_user(session, **fields, actor=admin)
    event = session.exec(select(Event).where(Event.entity_id == sam.id)).one()
    assert (event.action, event.actor_id, event.to_state) == ("created", admin.id, "staff")


def test_authenticate_returns_the_user_for_the_right_password(session, mara):
    assert _sign_in(session, PASSWORD, NOW).id == mara.id


@pytest.mark.parametrize(
    "email,password", [("mara.lind@example.com", "wrong one!"), ("nobody@example.com", PASSWORD)]
)
def test_wrong_password_and_unknown_email_get_the_same_message(session, mara, email, password):
    with pytest.raises(PermissionDenied) as err:
        auth.authenticate(session, email=email, password=password, now=NOW)
    assert str(err.value) == "Wrong email or password."


def test_inactive_user_cannot_sign_in(session, mara):
    admin = users.create_user(
        session, email="ada@example.com", name="Ada", role="admin", password=PASSWORD, now=NOW
    )
    users.deactivate_user(session, mara.id, actor=admin, now=NOW)
    with pytest.raises(PermissionDenied, match="Wrong email or password"):
        _sign_in(session, PASSWORD, NOW)


def test_five_failures_lock_for_30_seconds_then_doubling_up_to_15_minutes(session, mara):
    t = NOW
    for _ in range(4):
        with pytest.raises(PermissionDenied, match="Wrong"):
            _sign_in(session, "wrong password", t)
    assert session.get(User, mara.id).locked_until is None
    waits = []
    for _ in range(8):
        with pytest.raises(PermissionDenied, match="Wrong"):
            _sign_in(session, "wrong password", t)
        waits.append(int((session.get(User, mara.id).locked_until - t).total_seconds()))
        with pytest.raises(PermissionDenied, match=f"try again in {waits[-1]} seconds"):
            _sign_in(session, PASSWORD, t)
        t = session.get(User, mara.id).locked_until
    assert waits == [30, 60, 120, 240, 480, 900, 900, 900]


def test_guesses_made_at_once_cannot_outrun_the_lock(shared_engine, monkeypatch):
    with Session(shared_engine) as s:
        users.create_user(s, email="mara.lind@example.com", name="Mara Lind", role="manager",
                          password=PASSWORD, now=NOW)  # fmt: skip
    checked, together = [], threading.Barrier(12, timeout=10)
    verify = auth.verify_password
    monkeypatch.setattr(auth, "verify_password", lambda h, p: (checked.append(p), verify(h, p))[1])

    def guess(n: int) -> str:
        together.wait()  # twelve browser sessions at the same moment
        with Session(shared_engine) as s:
            with pytest.raises(PermissionDenied) as refused:
                _sign_in(s, f"guess {n}", NOW)
            return str(refused.value)

    with ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(guess, range(12)))
    assert len(checked) == auth.LOCK_AFTER  # the rest were refused before any password check
    assert answers.count(auth.WRONG) == auth.LOCK_AFTER
    with Session(shared_engine) as s:
        assert s.exec(select(User.failed_logins)).one() == auth.LOCK_AFTER


def test_locked_sign_in_reports_remaining_seconds_and_success_resets(session, mara):
    for _ in range(5):
        with pytest.raises(PermissionDenied):
            _sign_in(session, "wrong password", NOW)
    with pytest.raises(PermissionDenied, match="try again in 20 seconds"):
        _sign_in(session, PASSWORD, NOW + timedelta(seconds=10))
    assert _sign_in(session, PASSWORD, NOW + timedelta(seconds=30)).id == mara.id
    user = session.get(User, mara.id)
    assert (user.failed_logins, user.locked_until) == (0, None)


def test_outdated_hash_is_upgraded_on_sign_in(session, mara):
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    user = session.get(User, mara.id)
    user.password_hash = weak.hash(PASSWORD)
    session.add(user)
    session.commit()
    _sign_in(session, PASSWORD, NOW)
    upgraded = session.get(User, mara.id).password_hash
    assert upgraded != weak.hash(PASSWORD) and not auth._hasher.check_needs_rehash(upgraded)


def test_set_password_by_the_user_and_refused_for_others(session, mara):
    users.set_password(session, mara.id, password="a new long password", actor=mara, now=NOW)
    assert _sign_in(session, "a new long password", NOW).id == mara.id
    other = users.create_user(
        session, email="sam@example.com", name="Sam", role="staff", password=PASSWORD, now=NOW
    )
    with pytest.raises(PermissionDenied):
        users.set_password(session, mara.id, password="hijacked password", actor=other, now=NOW)


def test_only_admins_deactivate_and_not_themselves(session, mara):
    admin = users.create_user(
        session, email="ada@example.com", name="Ada", role="admin", password=PASSWORD, now=NOW
    )
    with pytest.raises(PermissionDenied):
        users.deactivate_user(session, admin.id, actor=mara, now=NOW)
    with pytest.raises(InvalidInput):
        users.deactivate_user(session, admin.id, actor=admin, now=NOW)


# --- feedbackloop user add ---------------------------------------------------------------------


def _cli(db_url, *args, stdin=""):
    """Run `feedbackloop` in a child process (a real prompt, a real exit code)."""
    env = {**os.environ, "DATABASE_URL": db_url}
    return subprocess.run(
        [sys.executable, "-c", "from db.cli import main; main()", *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def run_cli(monkeypatch, capsys):
    """Run `feedbackloop` in this process (faster) and return its exit code and output."""

    def run(db_url, *args, stdin=""):
        monkeypatch.setenv("DATABASE_URL", db_url)
        monkeypatch.setattr(sys, "argv", ["feedbackloop", *args])
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        with pytest.raises(SystemExit) as done:
            main()
        out = capsys.readouterr()
        return SimpleNamespace(returncode=done.value.code, stdout=out.out, stderr=out.err)

    return run


@pytest.fixture
def fresh_url(db_url, engine):
    """A CLI-ready database: on PostgreSQL the shared test database, emptied of users."""
    yield db_url
    if db_url.startswith("postgresql"):
        from tests.conftest import clear_tables

        clear_tables(engine)


def test_user_add_reads_the_password_from_stdin(fresh_url, run_cli):
    args = ["user", "add", "laura@example.com", "--name", "Laura Finch", "--role", "manager"]
    done = run_cli(fresh_url, *args, "--password-stdin", stdin=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    assert "created manager laura@example.com" in done.stdout
    from db.engine import make_engine

    engine = make_engine(fresh_url)
    with Session(engine) as s:
        user = auth.authenticate(s, email="laura@example.com", password=PASSWORD, now=NOW)
        assert (user.role, user.name) == ("manager", "Laura Finch")
    engine.dispose()
    again = run_cli(fresh_url, *args, "--password-stdin", stdin=PASSWORD + "\n")
    assert again.returncode == 2
    assert again.stderr.strip() == "error: A user with email laura@example.com already exists."


def test_user_add_with_a_weak_password_is_one_line_and_exit_2(fresh_url, run_cli):
    done = run_cli(
        fresh_url,
        "user",
        "add",
        "x@example.com",
        "--name",
        "X",
        "--password-stdin",
        stdin="short\n",
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "error: The password must be at least 10 characters long."
    ]


def test_user_add_prompts_twice_for_the_password(fresh_url):
    done = _cli(
        fresh_url, "user", "add", "p@example.com", "--name", "P", stdin=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert done.returncode == 0, done.stderr
    assert "created staff p@example.com" in done.stdout


def test_user_password_resets_a_forgotten_password_and_reactivates(fresh_url, run_cli):
    args = ["user", "add", "sam@example.com", "--name", "Sam", "--password-stdin"]
    assert run_cli(fresh_url, *args, stdin=PASSWORD + "\n").returncode == 0
    from db.engine import make_engine

    engine = make_engine(fresh_url)
    with Session(engine) as s:
        sam = s.exec(select(User).where(User.email == "sam@example.com")).one()
        sam.is_active = False
        s.add(sam)
        s.commit()
    done = run_cli(fresh_url, "user", "password", "SAM@example.com", "--password-stdin",
                   stdin="a fresh password\n")  # fmt: skip
    assert (done.returncode, done.stdout.strip()) == (0, "new password set for sam@example.com")
    with Session(engine) as s:
        user = auth.authenticate(s, email="sam@example.com", password="a fresh password", now=NOW)
        assert user.is_active
    engine.dispose()
    listed = run_cli(fresh_url, "user", "list")
    assert "sam@example.com  staff  -  Sam" in listed.stdout.splitlines()
    missing = run_cli(fresh_url, "user", "password", "nobody@example.com", "--password-stdin",
                      stdin="a fresh password\n")  # fmt: skip
    assert (missing.returncode, missing.stderr.strip()) == (
        2,
        "error: no user signs in with 'nobody@example.com'",
    )
