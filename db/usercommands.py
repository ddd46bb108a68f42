"""`feedbackloop user ...`: add users, reset a forgotten password, list who can sign in.

Passwords come from a prompt (asked twice) or standard input, never from an argument, which
would stay in the shell's history and the process list.
"""

from __future__ import annotations

import sys

import typer

from db.cliapp import Group, fail, now, open_engine, out

user_app = typer.Typer(cls=Group, help="Manage users.", no_args_is_help=True)


@user_app.command("add")
def user_add(
    email: str = typer.Argument(..., help="Sign-in email address."),
    name: str = typer.Option(..., "--name", help="Full name."),
    role: str = typer.Option("staff", "--role", help="executive, manager, staff or admin."),
    team: str | None = typer.Option(None, "--team", help="Team, e.g. Charging."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input."
    ),
) -> None:
    """Create a user; the password comes from a prompt or stdin, never an argument."""
    from sqlmodel import Session

    from db.users import create_user

    password = _read_password(password_stdin)
    with Session(open_engine()) as session:
        user = create_user(
            session, email=email, name=name, role=role, team=team, password=password, now=now()
        )
        out.print(f"created {user.role} {user.email}")


@user_app.command("password")
def user_password(
    email: str = typer.Argument(..., help="Sign-in email address."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input."
    ),
) -> None:
    """Set a new password (and switch sign-in back on); signs the user out everywhere."""
    from sqlmodel import Session

    from db.auth import user_by_email
    from db.users import reactivate_user, set_password

    with Session(open_engine()) as session:
        user = user_by_email(session, email)
        if user is None:
            fail(f"no user signs in with {email.strip()!r}")
        password = _read_password(password_stdin)
        set_password(session, user.id, password=password, actor=None, now=now())
        if not user.is_active:
            reactivate_user(session, user.id, actor=None, now=now())
        out.print(f"new password set for {user.email}")


@user_app.command("list")
def user_list() -> None:
    """List every user: email, role, team and whether they can sign in."""
    from sqlmodel import Session, select

    from db.models import User

    with Session(open_engine()) as session:
        for u in session.exec(select(User).order_by(User.email)).all():
            state = "" if u.is_active else "  (deactivated)"
            out.print(f"{u.email}  {u.role}  {u.team or '-'}  {u.name}{state}", markup=False)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")  # a Windows line end is not part of it
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)
