"""Page tests (AppTest) of the Inbox's "Mentioned you" section: who mentioned me, when, the
comment and a link; "Mark as seen" takes the entry off (asserted on the database)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from db import workflow as wf
from db.models import Mention
from tests.factories import NOW, make_message
from tests.journeys import cast, new_item, open_page

ASK = "@Mara Lind can we have a decision on idle fees by Friday?"


@pytest.fixture
def c(db):
    return cast(db)


def test_the_ceos_mention_shows_in_maras_inbox_and_mark_as_seen_removes_it(db, c):
    item = new_item(db, c)
    note = wf.comment(db, item_id=item.id, body=ASK, actor=c.ceo, now=NOW)
    at = open_page(c.mara, "inbox")
    assert "Mentioned you" in [h.value for h in at.subheader]
    assert ASK in [t.value for t in at.text]
    captions = [m.value for m in at.caption]
    assert any(v.startswith("Erin Cole mentioned you · 20 Nov 2026 08:00") for v in captions)
    assert "1 comment for you · newest first" in captions
    links = [(p.label, p.proto.query_string) for p in at.get("page_link")]
    assert (f"#{item.id} {item.title}", f"item={item.id}") in links

    at.button(key=f"mention_{note.id}_seen").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    db.expire_all()
    assert db.get(Mention, (note.id, c.mara.id)).seen_at is not None
    assert "Mentioned you" not in [h.value for h in at.subheader]
    assert ASK not in [t.value for t in at.text]


def test_a_mention_on_a_bare_message_shows_the_message_text_to_a_manager(db, c):
    body = "The bins on Elm Street were missed three weeks running."
    msg = make_message(db, subject="Bins missed again", body=body)
    wf.comment(db, message_id=msg.id, body="@laura.finch yours?", actor=c.ceo, now=NOW)
    at = open_page(c.laura, "inbox")
    texts = [t.value for t in at.text]
    assert "@laura.finch yours?" in texts and body in texts
    assert "**Bins missed again**" in [m.value for m in at.markdown]


def test_nobody_else_sees_the_mention(db, c):
    wf.comment(db, item_id=new_item(db, c).id, body=ASK, actor=c.ceo, now=NOW)
    at = open_page(c.laura, "inbox")
    assert "Mentioned you" not in [h.value for h in at.subheader]
    assert db.exec(select(Mention)).one().user_id == c.mara.id
