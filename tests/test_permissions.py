"""The permission table, role × action, each allowed and each refused case, through the real
workflow functions (the UI's role gates are never the only check)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from db import workflow as wf
from db.auth import PERMISSIONS, can, require
from db.errors import PermissionDenied
from db.models import Event, Item, ItemStatus, Role, Theme
from tests.factories import NOW, make_message
from tests.journeys import cast, item_in, new_item

S = ItemStatus


def _msg(s):
    return make_message(s).id


def _themed(s):
    theme = Theme(key="screens", label="Black screens", message_count=1)
    s.add(theme)
    s.commit()
    return make_message(s, theme_id=theme.id).id


def _on(status, call):
    """Build an action that drives an item owned by `owner` to `status`, then calls `call`."""

    def run(s, c, actor, owner):
        item = item_in(s, c, status, owner=owner)
        return call(s, c, actor, item)

    return run


def _forwarded_to_mara(s, c, actor, owner):
    item = new_item(s, c, owner=c.laura)
    wf.forward(
        s, item_id=item.id, to_user_id=c.mara.id, note="?", respond_by=None, actor=c.ceo, now=NOW
    )
    return wf.acknowledge(s, item.id, actor=actor, expected_version=1, now=NOW)


def _kw(item):
    return {"expected_version": item.version, "now": NOW}


ACTIONS = {
    "review": lambda s, c, a, o: wf.review(s, [_msg(s)], actor=a, now=NOW),
    "forward message": lambda s, c, a, o: wf.forward(
        s, message_ids=[_msg(s)], to_user_id=c.laura.id, note="?", respond_by=None, actor=a, now=NOW
    ),
    "dismiss": lambda s, c, a, o: wf.dismiss(
        s, message_ids=[_msg(s)], reason="spam", actor=a, now=NOW
    ),
    "split": lambda s, c, a, o: wf.split_from_theme(s, _themed(s), actor=a, now=NOW),
    "comment on message": lambda s, c, a, o: wf.comment(
        s, message_id=_msg(s), body="hm", actor=a, now=NOW
    ),
    "create item": lambda s, c, a, o: wf.create_item(  # messages: see the manager test below
        s, message_ids=[], title="T", actor=a, now=NOW
    ),
    "attach": _on(
        S.NEW,
        lambda s, c, a, i: wf.attach(s, item_id=i.id, message_ids=[_msg(s)], actor=a, now=NOW),
    ),
    "comment on item": _on(
        S.NEW, lambda s, c, a, i: wf.comment(s, item_id=i.id, body="hm", actor=a, now=NOW)
    ),
    "forward item": _on(
        S.ACKNOWLEDGED,
        lambda s, c, a, i: wf.forward(
            s, item_id=i.id, to_user_id=c.laura.id, note="?", respond_by=None, actor=a, now=NOW
        ),
    ),
    "acknowledge unowned": lambda s, c, a, o: wf.acknowledge(
        s, new_item(s, c).id, actor=a, expected_version=1, now=NOW
    ),
    "acknowledge": _on(S.NEW, lambda s, c, a, i: wf.acknowledge(s, i.id, actor=a, **_kw(i))),
    "acknowledge forwarded": _forwarded_to_mara,
    "start": _on(S.ACKNOWLEDGED, lambda s, c, a, i: wf.start(s, i.id, actor=a, **_kw(i))),
    "ship": _on(
        S.IN_PROGRESS,
        lambda s, c, a, i: wf.ship(s, i.id, public_title="T", public_text="X", actor=a, **_kw(i)),
    ),
    "reopen": _on(
        S.SHIPPED, lambda s, c, a, i: wf.reopen(s, i.id, reason="again", actor=a, **_kw(i))
    ),
    "update": _on(
        S.IN_PROGRESS,
        lambda s, c, a, i: wf.update_item(s, i.id, changes={"fix_plan": "p"}, actor=a, **_kw(i)),
    ),
    "assign": _on(
        S.NEW, lambda s, c, a, i: wf.assign(s, i.id, owner_id=c.ceo.id, actor=a, **_kw(i))
    ),
    "decline": _on(
        S.ACKNOWLEDGED,
        lambda s, c, a, i: wf.decline(
            s, i.id, reason="r", public_text="p", show_publicly=True, actor=a, **_kw(i)
        ),
    ),
    "duplicate": _on(
        S.NEW,
        lambda s, c, a, i: wf.mark_duplicate(
            s, i.id, of_item_id=new_item(s, c).id, actor=a, **_kw(i)
        ),
    ),
}

# Who may do what. "mine" = a manager acting on an item they own; "theirs" = owned by another.
ALLOWED = {
    "executive": set(ACTIONS),
    "manager, mine": {
        "comment on message",
        "create item",
        "comment on item",
        "forward item",
        "acknowledge unowned",
        "acknowledge",
        "acknowledge forwarded",
        "start",
        "ship",
        "reopen",
        "update",
    },
    "manager, theirs": {
        "comment on message",
        "create item",
        "comment on item",
        "acknowledge unowned",
        "acknowledge forwarded",
    },
    "staff": set(),
    "admin": set(),
}
CASES = [(who, action, action in ALLOWED[who]) for who in ALLOWED for action in ACTIONS]


def _actor_and_owner(c, who):
    actor = {"executive": c.ceo, "staff": c.sam, "admin": c.ada}.get(who, c.mara)
    owner = c.laura if who == "manager, theirs" else c.mara
    return actor, owner


@pytest.mark.parametrize(
    "who,action,allowed", CASES, ids=[f"{w}-{a}-{'ok' if ok else 'refused'}" for w, a, ok in CASES]
)
def test_role_action_table(session, who, action, allowed):
    c = cast(session)
    actor, owner = _actor_and_owner(c, who)
    if allowed:
        result = ACTIONS[action](session, c, actor, owner)
        assert result is not None
        newest = session.exec(select(Event).order_by(Event.id.desc())).first()
        assert newest.actor_id == actor.id
    else:
        with pytest.raises(PermissionDenied):
            ACTIONS[action](session, c, actor, owner)
        session.rollback()


def test_a_manager_cannot_ship_someone_elses_item_and_it_stays_in_progress(session):
    c = cast(session)
    item = item_in(session, c, S.IN_PROGRESS, owner=c.laura)
    with pytest.raises(PermissionDenied, match="do not own"):
        wf.ship(
            session,
            item.id,
            public_title="T",
            public_text="X",
            actor=c.mara,
            expected_version=item.version,
            now=NOW,
        )
    session.rollback()
    assert session.get(Item, item.id).status == S.IN_PROGRESS


@pytest.mark.parametrize("role", list(Role))
def test_admin_pages_are_for_admins_only(role):
    user = type("U", (), {"id": 1, "role": role, "is_active": True})()
    assert can(user, "user.manage") is (role == Role.ADMIN)
    assert can(user, "settings.manage") is (role == Role.ADMIN)


def test_every_role_may_read_the_public_log_and_only_executives_the_feed():
    for role in Role:
        user = type("U", (), {"id": 1, "role": role, "is_active": True})()
        assert can(user, "changes.read")
        assert can(user, "feed.read") is (role == Role.EXECUTIVE)


def test_inactive_users_and_anonymous_may_do_nothing():
    gone = type("U", (), {"id": 1, "role": Role.EXECUTIVE, "is_active": False})()
    assert not any(can(gone, a) for a in PERMISSIONS[Role.EXECUTIVE])
    with pytest.raises(PermissionDenied):
        require(None, "item.read")


def test_scoped_action_without_an_item_is_refused():
    manager = type("U", (), {"id": 1, "role": Role.MANAGER, "is_active": True})()
    assert can(manager, "item.ship") is False


def test_a_manager_makes_items_only_from_messages_forwarded_to_them_owned_by_themselves(session):
    c = cast(session)
    theirs, other = make_message(session), make_message(session)
    wf.forward(session, message_ids=[theirs.id], to_user_id=c.mara.id, note="?", respond_by=None,
               actor=c.ceo, now=NOW)  # fmt: skip
    with pytest.raises(PermissionDenied, match="only from messages forwarded to you"):
        wf.create_item(session, message_ids=[theirs.id, other.id], title="T", actor=c.mara,
                       now=NOW)  # fmt: skip
    session.rollback()
    with pytest.raises(PermissionDenied, match="Only an executive can name someone else"):
        wf.create_item(session, message_ids=[theirs.id], title="T", owner_id=c.laura.id,
                       actor=c.mara, now=NOW)  # fmt: skip
    session.rollback()
    assert session.exec(select(Item)).all() == []
    mine = wf.create_item(session, message_ids=[theirs.id], title="T", owner_id=c.mara.id,
                          actor=c.mara, now=NOW)  # fmt: skip
    unowned = wf.create_item(session, message_ids=[], title="Idea", actor=c.mara, now=NOW)
    assert (mine.owner_id, unowned.owner_id) == (c.mara.id, None)
    chosen = wf.create_item(session, message_ids=[other.id], title="T", owner_id=c.laura.id,
                            actor=c.ceo, now=NOW)  # an executive may do both  # fmt: skip
    assert chosen.owner_id == c.laura.id
