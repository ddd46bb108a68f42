"""Page tests (AppTest) for the Inbox's two kinds of forward: a message that stays until it is
acted on, and an item whose button takes ownership; an item the manager makes there is hers
already (no "Take ownership" on its page). Asserted on the database after each click."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from db import workflow as wf
from db.models import Forward, Item, ItemStatus, Message, utcnow
from tests.factories import make_message
from tests.journeys import cast, new_item, open_page

S = ItemStatus
REFUND = "Refund for my Model Y"


@pytest.fixture
def c(db):
    return cast(db)


def shown(at) -> str:
    parts = [e.value for e in (*at.title, *at.subheader, *at.caption, *at.markdown, *at.text)]
    return "\n".join(str(p) for p in parts)


def ack_buttons(at) -> list[str]:
    return [b.label for b in at.button if b.key.endswith("_ack")]


def forward_refund(db, c) -> Forward:
    msg = make_message(db, subject=REFUND, body="I want my money back.")
    by = utcnow() + timedelta(days=1)  # the page runs on the wall clock
    return wf.forward(db, message_ids=[msg.id], to_user_id=c.mara.id, note="?", respond_by=by,
                      actor=c.ceo, now=utcnow())  # fmt: skip


def make_it_an_item(at) -> None:
    problem = next(t.key for t in at.text_area if t.key.endswith("_item_problem"))
    at.text_area(key=problem).input("Refunds after a delayed delivery")
    next(b for b in at.button if b.key.endswith("_item_go")).click().run()
    assert not at.exception, at.exception


def test_an_acknowledged_message_stays_in_the_inbox_to_act_on(db, c):
    fwd = forward_refund(db, c)
    at = open_page(c.mara, "inbox")
    assert ack_buttons(at) == ["Acknowledge"]
    next(b for b in at.button if b.key.endswith("_ack")).click().run()
    assert not at.exception, at.exception
    db.expire_all()
    assert db.get(Forward, fwd.id).acknowledged_at is not None
    for page in (at, open_page(c.mara, "inbox")):  # after the click, and on a later visit
        assert "Acknowledged — to act on" in [h.value for h in page.subheader]
        assert REFUND in shown(page) and "I want my money back." in shown(page)
        assert "0 waiting · 0 overdue · 1 acknowledged, to act on" in shown(page)
        assert ack_buttons(page) == []
        assert any(b.key.endswith("_item_go") for b in page.button)
    assert "stays in your inbox" in at.toast[0].value


def test_an_acknowledged_message_made_an_item_is_owned_and_acknowledged(db, c):
    fwd = forward_refund(db, c)
    wf.acknowledge_forward(db, fwd.id, actor=c.mara, now=utcnow())
    at = open_page(c.mara, "inbox")
    make_it_an_item(at)
    db.expire_all()
    item = db.exec(select(Item)).one()
    assert (item.status, item.owner_id, item.respond_by) == (
        S.ACKNOWLEDGED,
        c.mara.id,
        fwd.respond_by,
    )
    assert db.get(Message, fwd.message_id).item_id == item.id
    assert "Acknowledged — to act on" not in [h.value for h in at.subheader]
    assert "owned by you" in shown(at) and "1 waiting" in shown(at)


def test_an_item_made_from_the_inbox_does_not_ask_its_owner_to_take_ownership(db, c):
    forward_refund(db, c)
    make_it_an_item(open_page(c.mara, "inbox"))
    item = db.exec(select(Item)).one()
    page = open_page(c.mara, "item", item=item.id)
    keys = [b.key for b in page.button]
    assert "item_step_start" in keys and "item_step_acknowledge" not in keys
    assert "**acknowledged** · owner: Mara Lind" in shown(page)


def test_a_forwarded_new_item_offers_take_ownership(db, c):
    item = new_item(db, c, owner=c.mara)  # named by the executive: Mara still has to accept
    wf.forward(db, item_id=item.id, to_user_id=c.mara.id, note="?", respond_by=None,
               actor=c.ceo, now=utcnow())  # fmt: skip
    at = open_page(c.mara, "inbox")
    assert ack_buttons(at) == ["Take ownership"]
    next(b for b in at.button if b.key.endswith("_ack")).click().run()
    db.expire_all()
    assert db.get(Item, item.id).status == S.ACKNOWLEDGED
    assert ack_buttons(at) == [] and "Acknowledged — to act on" not in shown(at)


def test_an_answered_message_leaves_the_managers_inbox_and_reaches_the_ceos(db, c):
    fwd = forward_refund(db, c)
    at = open_page(c.mara, "inbox")
    answer = next(t.key for t in at.text_area if t.key.endswith("_answer_body"))
    at.text_area(key=answer).input("Refunded in full today; courier fee waived.")
    next(b for b in at.button if b.key.endswith("_answer_go")).click().run()
    assert not at.exception, at.exception
    db.expire_all()
    assert db.get(Forward, fwd.id).answer_id is not None
    assert "Answered: Erin Cole has it in their inbox." in at.toast[0].value
    assert REFUND not in shown(at) and "0 waiting · 0 overdue" in shown(at)
    ceo = open_page(c.ceo, "inbox")
    assert "Answers and mentions" in [h.value for h in ceo.subheader]
    assert "Mara Lind answered your forward" in shown(ceo)
    assert "Refunded in full today; courier fee waived." in shown(ceo)


def test_an_empty_answer_says_so_and_keeps_the_message(db, c):
    forward_refund(db, c)
    at = open_page(c.mara, "inbox")
    next(b for b in at.button if b.key.endswith("_answer_go")).click().run()
    assert "Write the answer first." in [e.value for e in at.error]
    assert REFUND in shown(at)


def test_the_executive_inbox_lists_what_they_forwarded_that_still_waits(db, c):
    msg = make_message(db, subject="Screen went black, refund?")
    wf.forward(db, message_ids=[msg.id], to_user_id=c.mara.id, note="?", respond_by=None,
               actor=c.ceo, now=utcnow() - timedelta(days=3))  # fmt: skip
    at = open_page(c.ceo, "inbox")
    assert "Forwarded by you — waiting on others" in [h.value for h in at.subheader]
    assert "**Screen went black, refund\\?** · to Mara Lind · sent 3 d ago" in [
        m.value for m in at.markdown]  # fmt: skip
    assert "Your note: ?" in [t.value for t in at.text]
    assert any("Late" in m.value for m in at.markdown if "-badge[" in m.value)
