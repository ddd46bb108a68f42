"""A comment's @mentions reach the people named: an e-mail queued with the comment, and an
entry in their inbox until they mark it seen."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from db import mentions
from db import workflow as wf
from db.errors import NotFound, PermissionDenied
from db.models import Event, Mention, Message, Outbox, Setting
from tests.factories import NOW, make_message, make_user
from tests.journeys import cast, new_item

ASK = "@Mara Lind can we have a decision on idle fees by Friday?"


@pytest.fixture
def c(session):
    return cast(session)


def _mail(session):
    return session.exec(select(Outbox).order_by(Outbox.id)).all()


def test_mention_on_an_item_queues_one_email_with_the_comment_and_a_link(session, c):
    session.add(Setting(key="public_base_url", value="https://loop.example.com/", updated_at=NOW))
    session.commit()
    item = new_item(session, c)
    note = wf.comment(session, item_id=item.id, body=ASK, actor=c.ceo, now=NOW)
    [mail] = _mail(session)
    assert (mail.kind, mail.to_addr, mail.dedupe_key) == (
        "mention",
        c.mara.email,
        f"mention:{note.id}:{c.mara.id}",
    )
    assert mail.subject == f"Erin Cole mentioned you: item #{item.id} “{item.title}”"
    assert f"https://loop.example.com/item?item={item.id}" in mail.body_text
    assert "> @Mara Lind can we have a decision on idle fees by Friday?" in mail.body_text
    assert "Hello Mara Lind" in mail.body_text
    assert f'href="https://loop.example.com/item?item={item.id}"' in mail.body_html


def test_comment_text_is_escaped_in_the_html_email(session, c):
    item = new_item(session, c)
    wf.comment(session, item_id=item.id, body="@mara <b>now</b> & later", actor=c.ceo, now=NOW)
    [mail] = _mail(session)
    assert "@mara <b>now</b> & later" in mail.body_text
    assert "&lt;b&gt;now&lt;/b&gt; &amp; later" in mail.body_html
    assert "<b>now</b>" not in mail.body_html


def test_the_author_inactive_users_and_people_who_cannot_read_items_are_not_told(session, c):
    gone = make_user(session, email="gus@example.com", name="Gus Gone", role="manager")
    gone.is_active = False
    session.add(gone)
    session.commit()
    item = new_item(session, c)
    body = "@erin @gus @sam @ada @laura please look"
    note = wf.comment(session, item_id=item.id, body=body, actor=c.ceo, now=NOW)
    assert set(note.mentions) == {c.ceo.id, gone.id, c.sam.id, c.ada.id, c.laura.id}
    assert [m.to_addr for m in _mail(session)] == [c.laura.email]
    assert [(m.comment_id, m.user_id) for m in session.exec(select(Mention)).all()] == [
        (note.id, c.laura.id)
    ]


def test_a_comment_without_mentions_tells_nobody(session, c):
    wf.comment(session, item_id=new_item(session, c).id, body="Looks fine", actor=c.ceo, now=NOW)
    assert _mail(session) == [] and session.exec(select(Mention)).all() == []


def test_a_refused_comment_queues_no_email_and_no_inbox_entry(session, c):
    item = new_item(session, c)
    with pytest.raises(PermissionDenied):
        wf.comment(session, item_id=item.id, body="@mara hello", actor=c.sam, now=NOW)
    session.rollback()
    assert _mail(session) == [] and session.exec(select(Mention)).all() == []


def test_mention_on_a_bare_message_links_to_the_inbox_and_shows_the_message(
    session, c, monkeypatch
):
    monkeypatch.delenv("FL_BASE_URL", raising=False)
    msg = make_message(session, subject="Bins missed again", body="Third week in a row.")
    note = wf.comment(session, message_id=msg.id, body="@laura.finch yours?", actor=c.ceo, now=NOW)
    [mail] = _mail(session)
    assert mail.subject == "Erin Cole mentioned you: the message “Bins missed again”"
    assert "http://localhost:8501/inbox" in mail.body_text
    [row] = mentions.unseen(session, user_id=c.laura.id)
    assert (row.comment_id, row.author, row.body) == (note.id, "Erin Cole", "@laura.finch yours?")
    assert (row.item_id, row.title, row.message_text) == (None, "Bins missed again", msg.body)


def test_a_post_without_subject_is_named_by_channel_and_day(session, c):
    msg = make_message(session, channel="tweet", body="Screen went black", received_at=NOW)
    wf.comment(session, message_id=msg.id, body="@mara see this", actor=c.ceo, now=NOW)
    assert _mail(session)[0].subject == "Erin Cole mentioned you: a post on X of 20 Nov 2026"
    [row] = mentions.unseen(session, user_id=c.mara.id)
    assert (row.title, row.message_text) == ("a post on X of 20 Nov 2026", "Screen went black")


def test_mention_on_a_message_of_an_item_links_to_the_item(session, c):
    item = new_item(session, c)
    msg = session.exec(select(Message).where(Message.item_id == item.id)).one()
    wf.comment(session, message_id=msg.id, body="@mara this one", actor=c.ceo, now=NOW)
    [mail] = _mail(session)
    assert f"/item?item={item.id}" in mail.body_text
    assert mail.subject.endswith(f"a message on item #{item.id} “{item.title}”")
    [row] = mentions.unseen(session, user_id=c.mara.id)
    assert (row.item_id, row.title, row.message_text) == (item.id, item.title, None)


def test_unseen_mentions_are_newest_first_and_only_the_users_own(session, c):
    item = new_item(session, c)
    first = wf.comment(session, item_id=item.id, body="@mara one", actor=c.ceo, now=NOW)
    later = NOW + timedelta(hours=1)
    second = wf.comment(session, item_id=item.id, body="@mara two", actor=c.laura, now=later)
    rows = mentions.unseen(session, user_id=c.mara.id)
    assert [(r.comment_id, r.author, r.at) for r in rows] == [
        (second.id, "Laura Finch", later),
        (first.id, "Erin Cole", NOW),
    ]
    assert mentions.unseen(session, user_id=c.laura.id) == []


def test_marking_a_mention_seen_takes_it_off_the_inbox_once(session, c):
    item = new_item(session, c)
    note = wf.comment(session, item_id=item.id, body="@mara by Friday?", actor=c.ceo, now=NOW)
    seen_at = NOW + timedelta(hours=2)
    row = mentions.mark_seen(session, note.id, actor=c.mara, now=seen_at)
    assert row.seen_at == seen_at
    assert mentions.unseen(session, user_id=c.mara.id) == []
    mentions.mark_seen(session, note.id, actor=c.mara, now=seen_at + timedelta(hours=1))
    session.expire_all()
    assert session.get(Mention, (note.id, c.mara.id)).seen_at == seen_at
    events = session.exec(select(Event).where(Event.action == "mention_seen")).all()
    assert [(e.entity, e.entity_id, e.actor_id) for e in events] == [
        ("comment", note.id, c.mara.id)
    ]


def test_only_the_mentioned_user_can_mark_it_seen(session, c):
    item = new_item(session, c)
    note = wf.comment(session, item_id=item.id, body="@mara by Friday?", actor=c.ceo, now=NOW)
    with pytest.raises(NotFound):
        mentions.mark_seen(session, note.id, actor=c.laura, now=NOW)
    assert len(mentions.unseen(session, user_id=c.mara.id)) == 1


def test_upgrade_gives_earlier_mentions_an_unseen_inbox_entry(db_url):
    from alembic import command
    from sqlmodel import Session

    from db.engine import make_engine
    from db.models import Comment
    from db.schema import alembic_config, upgrade

    engine = make_engine(db_url)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")  # before mentions were told
    with Session(engine, expire_on_commit=False) as s:
        c = cast(s)
        body = "@mara @laura @sam @erin by Friday?"
        s.add(Comment(author_id=c.ceo.id, body=body, mentions=[c.ceo.id, c.mara.id, c.sam.id]))
        s.commit()
        upgrade(engine)
        [row] = mentions.unseen(s, user_id=c.mara.id)
        assert (row.author, row.body) == ("Erin Cole", body)
        assert [m.user_id for m in s.exec(select(Mention)).all()] == [c.mara.id]
        assert _mail(s) == []  # no e-mail about old comments
    engine.dispose()
