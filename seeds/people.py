"""Demo people and items: one user per role, and items at every workflow stage.

Passwords are random, made here and printed once by `feedbackloop demo` (nothing else creates
default passwords). The items are made THROUGH the workflow functions from the demo messages,
so seeding is also an integration test of `db.workflow`. Safe to run twice: existing users
are left alone, and items are only made when none of the demo items exists yet.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from rich.console import Console
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from db import workflow as wf
from db.errors import DomainError
from db.models import Item, Message, User
from db.users import create_user
from seeds.build import message_id, tweet_id
from seeds.mails import MAILS
from seeds.posts import POSTS

# role, email, name, team
PEOPLE = [
    ("executive", "erin.cole@voltra.example", "Erin Cole", None),
    ("manager", "mara.lind@voltra.example", "Mara Lind", "Charging"),
    ("manager", "laura.finch@voltra.example", "Laura Finch", "Customer Care"),
    ("staff", "sam.reed@voltra.example", "Sam Reed", "Customer Care"),
    ("admin", "ada.park@voltra.example", "Ada Park", None),
]
PARKING = "Charging stalls used as parking"
STORIES = {  # title: story keys of the messages it is made from
    PARKING: ["pk_e1", "pk_e2", "pk_e3", "pk_e4", *[f"park{n:02d}" for n in range(1, 12)]],
    "Screen went black after the update": ["screen1", "screen7", "scr_e1", "scr_e2", "scr_e3"],
    "Missed bin collections nobody owns": ["bin_e1", "bin_e2", "bin_e4", "bin_e5", "bin_e6"],
    "Free flight demanded after a delayed trip": ["fly_e1"],
    "Call-centre hold times": ["call_e1", "call_e2", "call_e3", "call1", "call2", "call3"],
    "Unruly cinema screening with no ushers": ["cin_e1", "cin_e2", "cin_e3", "cine1", "cine2"],
}


# the "?" forward, answered: a long-standing customer's letter to the CEO about the phone line
ANSWERED = (
    "call_e4",
    "Called Max this morning and apologised. His cut-offs were the Leeds line fault, fixed on "
    "Thursday, and he is staying with us. Hold times are on the call-centre item.",
)


def own_users(engine) -> list[str]:
    """Return the emails of users who are not the demo's: the database is someone's own."""
    demo = [email for _, email, _, _ in PEOPLE]
    with Session(engine) as s:
        return list(s.exec(select(User.email).where(User.email.not_in(demo)).limit(3)).all())


def _external_ids() -> dict[str, str]:
    ids = {m["key"]: message_id(m).strip("<>") for m in MAILS}
    ids.update({p["key"]: tweet_id(p, n) for n, p in enumerate(POSTS)})
    return ids


def seed_people_and_items(
    engine: Engine, *, now: datetime, console: Console
) -> list[tuple[str, str, str]]:
    """Create the demo users and items; return (role, email, password) of new users."""
    created: list[tuple[str, str, str]] = []
    with Session(engine, expire_on_commit=False) as s:
        for role, email, name, team in PEOPLE:
            if s.exec(select(User.id).where(User.email == email)).first():
                console.print(f"Demo user {email} exists; its password is unchanged.", markup=False)
                continue
            password = secrets.token_urlsafe(12)
            create_user(s, email=email, name=name, role=role, team=team, password=password, now=now)
            created.append((role, email, password))
        if s.exec(select(Item.id).where(Item.title == PARKING)).first():
            console.print("Demo items exist; left as they are.", markup=False)
            return created
        users = {u.email: u for u in s.exec(select(User)).all()}
        ceo, mara, laura = (users[p[1]] for p in PEOPLE[:3])
        made = _items(s, ceo=ceo, mara=mara, laura=laura, now=now)
        console.print(f"Demo: {made} items at every stage of the workflow.", markup=False)
    return created


def _messages(s: Session, keys: list[str], ids: dict[str, str]) -> list[int]:
    wanted = [ids[k] for k in keys if k in ids]
    return list(s.exec(select(Message.id).where(Message.external_id.in_(wanted))).all())


def _items(s: Session, *, ceo: User, mara: User, laura: User, now: datetime) -> int:
    ids, made = _external_ids(), 0
    for title, keys in STORIES.items():
        msg_ids = _messages(s, keys, ids)
        if not msg_ids:
            continue
        latest = max(s.get(Message, i).received_at for i in msg_ids)
        base = min(now - timedelta(hours=8), latest + timedelta(minutes=30))
        at = [base + timedelta(minutes=45 * n) for n in range(9)]  # each step after the last
        owner = mara if title in (PARKING, "Screen went black after the update") else laura
        item = wf.create_item(
            s,
            message_ids=msg_ids,
            title=title,
            problem=_problem(title),
            team=owner.team,
            actor=ceo,
            now=at[0],
        )
        _advance(s, item, title, ceo=ceo, owner=owner, at=at, now=now)
        made += 1
    _answered_forward(s, ids, ceo=ceo, manager=laura, now=now)
    return made


def _answered_forward(s: Session, ids: dict[str, str], *, ceo, manager, now: datetime) -> None:
    """Forward one letter to a manager with "?", and answer it, as DESIGN's story goes."""
    key, answer = ANSWERED
    found = _messages(s, [key], ids)
    if not found:
        return
    fwd = wf.forward(s, message_ids=found, to_user_id=manager.id, note="?", respond_by=None,
                     actor=ceo, now=now - timedelta(hours=6))  # fmt: skip
    wf.answer_forward(s, fwd.id, body=answer, actor=manager, now=now - timedelta(hours=2))


def _problem(title: str) -> str:
    return f"Customers report: {title.lower()}. Raised in the morning review."


def _advance(s: Session, item: Item, title: str, *, ceo, owner, at, now) -> None:
    """Drive one demo item to its stage of the story."""
    v = {"expected_version": 1}
    if title.startswith("Missed bin"):
        wf.forward(
            s, item_id=item.id, to_user_id=owner.id, note="?", respond_by=None, actor=ceo, now=at[1]
        )
        return
    if title.startswith("Free flight"):
        wf.decline(
            s,
            item.id,
            reason="A goodwill flight is not warranted for this delay.",
            public_text="We're sorry to lose your business",
            show_publicly=True,
            actor=ceo,
            now=at[1],
            **v,
        )
        return
    item = wf.acknowledge(s, item.id, actor=owner, now=at[2], **v)
    if title.startswith("Call-centre"):
        return
    item = wf.start(s, item.id, actor=owner, now=at[3], expected_version=item.version)
    if title.startswith("Screen"):
        return
    public = {
        PARKING: (
            "Idle fee at charging stalls",
            "An idle fee now applies after the charge completes, so stalls free up.",
        ),
    }.get(
        title,
        (
            "Ushers at every evening screening",
            "Every evening screening now has an usher in the room.",
        ),
    )
    item = wf.ship(
        s,
        item.id,
        public_title=public[0],
        public_text=public[1],
        actor=owner,
        now=at[4],
        expected_version=item.version,
    )
    if title.startswith("Unruly cinema"):
        _close_loop(s, item, owner=owner, at=at)


def _close_loop(s: Session, item: Item, *, owner, at) -> None:
    """Tell every cinema customer and close the loop (left shipped if that cannot be done)."""
    try:
        from db import loop
    except ImportError:
        return
    try:
        for outreach in loop.outreach_for_item(s, item.id):
            loop.tell_customer(
                s, outreach.id, reply_text=outreach.reply_text, actor=owner, now=at[5]
            )
        item = s.get(Item, item.id)
        item = loop.set_customer_track(
            s,
            item.id,
            status="done",
            note="Tickets refunded.",
            actor=owner,
            expected_version=item.version,
            now=at[6],
        )
        loop.close_loop(s, item.id, actor=owner, expected_version=item.version, now=at[7])
    except DomainError:
        s.rollback()


def print_sign_ins(created: list[tuple[str, str, str]], *, console: Console) -> None:
    """Print the sign-in details of the users just created (shown this once only)."""
    if not created:
        return
    console.print("Demo sign-ins (shown once; change them in the app):", markup=False)
    for role, email, password in created:
        console.print(f"  {role:<10} {email:<28} {password}", markup=False)
