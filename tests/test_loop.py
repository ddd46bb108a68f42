"""Closing the loop with each customer: drafts, remedy vs goodwill, tell/skip, the closing rules."""

from __future__ import annotations

import pytest
from sqlmodel import select

from db import loop
from db.errors import Conflict, InvalidInput, InvalidTransition, PermissionDenied
from db.models import Event, Item, ItemStatus, Message, Outbox, Outreach
from db.redact import Known
from tests.factories import NOW
from tests.journeys import cast, item_in
from tests.loopdata import customers, shipped_item

TEXT_WITH_SLIP = "Thanks Zebulon Quackenbush: cars that finish charging now pay an idle fee."


@pytest.fixture
def c(session):
    return cast(session)


@pytest.fixture
def shipped(session, c):
    zeb, otti, hank = customers(session)
    item = shipped_item(session, c, [zeb, otti, hank], public_text=TEXT_WITH_SLIP)
    return item, loop.outreach_for_item(session, item.id)


def test_one_outreach_per_linked_customer_with_a_draft_that_names_no_one_else(
    session, shipped
) -> None:
    item, rows = shipped
    assert len(rows) == 3
    assert loop.outreach_for_item(session, item.id) == rows  # idempotent
    zeb, otti, hank = rows
    assert zeb.reply_text.startswith("Hello Zebulon,\n\nYou told us: “Chargers full of cars 0”")
    assert "idle fee" in otti.reply_text
    assert "Zebulon" not in otti.reply_text and "Quackenbush" not in hank.reply_text


def test_a_draft_quotes_the_customers_words_without_the_other_customers_they_name(
    session, c
) -> None:
    zeb, otti, hank = customers(session)
    item = shipped_item(session, c, [zeb, otti, hank])
    said = session.exec(select(Message).where(Message.contact_id == otti.id)).one()
    said.body = "Same as Zebulon Quackenbush and @happy_hank said: the chargers are full"
    session.add(said)
    session.commit()
    draft = next(o for o in loop.outreach_for_item(session, item.id) if o.contact_id == otti.id)
    assert "Same as [name removed] and @happy_hank said" in draft.reply_text  # Hank agreed
    loop.tell_customer(session, draft.id, reply_text=draft.reply_text, actor=c.mara, now=NOW)


def test_remedy_and_goodwill_are_kept_apart(session, c, shipped) -> None:
    _item, rows = shipped
    row = loop.record_remedy(
        session,
        rows[0].id,
        remedy="Refunded both tickets (EUR 120)",
        goodwill="Two lounge vouchers",
        actor=c.mara,
        now=NOW,
    )
    assert (row.remedy, row.goodwill) == ("Refunded both tickets (EUR 120)", "Two lounge vouchers")
    event = session.exec(select(Event).where(Event.entity == "outreach")).one()
    assert event.data["remedy"] == row.remedy and event.data["goodwill"] == row.goodwill


def test_telling_an_email_customer_queues_the_reply_in_the_same_transaction(
    session, c, shipped
) -> None:
    _item, rows = shipped
    told = loop.tell_customer(
        session, rows[0].id, reply_text="We fixed it <b>.", actor=c.mara, now=NOW
    )
    assert (told.status, told.done_by_id, told.done_at) == ("told", c.mara.id, NOW)
    [mail] = session.exec(select(Outbox).where(Outbox.kind == "reply")).all()
    assert mail.to_addr == "zebulon.q@mailbox.test"
    assert "We fixed it <b>." in mail.body_text and "&lt;b&gt;" in mail.body_html
    with pytest.raises(InvalidTransition):
        loop.tell_customer(session, rows[0].id, reply_text="again", actor=c.mara, now=NOW)


@pytest.mark.parametrize(
    "reply",
    ["Hello Zebulon, like Ottilie you waited: fixed.", "Ms Vance wrote too. Fixed.",
     "Thanks Zebulon, and thanks to @ottilie_vance for the photos."],
)  # fmt: skip
def test_a_reply_that_names_another_customer_is_refused_before_it_is_sent(
    session, c, shipped, reply
) -> None:
    _item, rows = shipped
    with pytest.raises(InvalidInput, match="The reply names another customer"):
        loop.tell_customer(session, rows[0].id, reply_text=reply, actor=c.mara, now=NOW)
    session.rollback()
    assert session.exec(select(Outbox).where(Outbox.kind == "reply")).all() == []
    assert session.get(Outreach, rows[0].id).status == "pending"


def test_a_reply_may_name_its_own_customer_and_those_who_agreed(session, c, shipped) -> None:
    _item, rows = shipped
    reply = "Hello Zebulon Quackenbush (zebulon.q@mailbox.test): the idle fee is live. Hank, who"
    reply += " agreed to be named, spotted it first."
    assert loop.tell_customer(session, rows[0].id, reply_text=reply, actor=c.mara, now=NOW)


def test_the_reply_subject_and_heading_name_no_other_customer(session, c) -> None:
    zeb, otti, hank = customers(session)
    title = "Ottilie Vance asked, so idle fees start after five minutes"
    item = shipped_item(session, c, [zeb, otti, hank], public_title=title)
    zeb_row = loop.outreach_for_item(session, item.id)[0]
    loop.tell_customer(session, zeb_row.id, reply_text="Fixed!", actor=c.mara, now=NOW)
    [mail] = session.exec(select(Outbox).where(Outbox.kind == "reply")).all()
    assert mail.to_addr == "zebulon.q@mailbox.test"
    expected = "What we changed: [name removed] asked, so idle fees start after five minutes"
    assert mail.subject == expected
    assert f">{expected}</h1>" in mail.body_html
    for part in ("Ottilie", "Vance"):
        assert part not in mail.subject and part not in mail.body_html


def test_the_reply_subject_never_falls_back_to_the_internal_title() -> None:
    known = [Known("Zebulon Quackenbush", "zebulon.q@mailbox.test", None)]
    internal = Item(title="Refund Zebulon Quackenbush", public_title=None)
    assert loop.reply_subject(internal, known=known) == "What we changed"
    blank = Item(title="Refund Zebulon Quackenbush", public_title="  \n ")
    assert loop.reply_subject(blank, known=known) == "What we changed"
    multiline = Item(title="x", public_title="Idle fees\nfor zebulon.q@mailbox.test")
    assert (
        loop.reply_subject(multiline, known=known)
        == "What we changed: Idle fees for [email removed]"
    )


def test_telling_a_tweet_customer_records_it_and_sends_no_email(session, c, shipped) -> None:
    _item, rows = shipped
    told = loop.tell_customer(session, rows[1].id, reply_text="Fixed!", actor=c.mara, now=NOW)
    assert told.status == "told"
    assert session.exec(select(Outbox).where(Outbox.kind == "reply")).all() == []
    event = session.exec(select(Event).where(Event.action == "told")).one()
    assert event.data["channel"] == "tweet"


def test_tweet_url_links_to_the_customers_tweet(session, shipped) -> None:
    from db.models import Message

    msg = session.get(Message, shipped[1][1].message_id)
    assert loop.tweet_url(msg) == f"https://x.com/i/web/status/{msg.external_id}"


def test_skipping_needs_a_reason(session, c, shipped) -> None:
    _item, rows = shipped
    with pytest.raises(InvalidInput):
        loop.skip_customer(session, rows[2].id, reason="  ", actor=c.mara, now=NOW)
    row = loop.skip_customer(session, rows[2].id, reason="Account closed", actor=c.mara, now=NOW)
    assert (row.status, row.skip_reason) == ("skipped", "Account closed")


def _settle(session, c, rows, item):
    for row in rows:
        loop.tell_customer(session, row.id, reply_text="Fixed.", actor=c.mara, now=NOW)
    return loop.set_customer_track(
        session,
        item.id,
        status="done",
        note="",
        actor=c.mara,
        expected_version=item.version,
        now=NOW,
    )


def test_close_loop_needs_every_customer_told_or_skipped(session, c, shipped) -> None:
    item, rows = shipped
    item = loop.set_customer_track(
        session,
        item.id,
        status="done",
        note="",
        actor=c.mara,
        expected_version=item.version,
        now=NOW,
    )
    loop.tell_customer(session, rows[0].id, reply_text="Fixed.", actor=c.mara, now=NOW)
    with pytest.raises(InvalidTransition, match="2 customer"):
        loop.close_loop(session, item.id, actor=c.mara, expected_version=item.version, now=NOW)
    loop.skip_customer(session, rows[1].id, reason="Deleted account", actor=c.mara, now=NOW)
    loop.tell_customer(session, rows[2].id, reply_text="Fixed.", actor=c.mara, now=NOW)
    closed = loop.close_loop(session, item.id, actor=c.mara, expected_version=item.version, now=NOW)
    assert (closed.status, closed.closed_at) == (ItemStatus.LOOP_CLOSED, NOW)
    event = session.exec(select(Event).where(Event.action == "loop_closed")).one()
    assert (event.from_state, event.to_state, event.actor_id) == (
        "shipped",
        "loop_closed",
        c.mara.id,
    )


def test_close_loop_needs_the_customer_track_done_or_waived(session, c, shipped) -> None:
    item, rows = shipped
    for row in rows:
        loop.skip_customer(session, row.id, reason="Told by phone", actor=c.mara, now=NOW)
    with pytest.raises(InvalidTransition, match="make it right"):
        loop.close_loop(session, item.id, actor=c.mara, expected_version=item.version, now=NOW)
    with pytest.raises(InvalidInput):
        loop.set_customer_track(
            session,
            item.id,
            status="waived",
            note="",
            actor=c.mara,
            expected_version=item.version,
            now=NOW,
        )
    item = loop.set_customer_track(
        session,
        item.id,
        status="waived",
        note="Nothing to refund",
        actor=c.mara,
        expected_version=item.version,
        now=NOW,
    )
    assert (
        loop.close_loop(
            session, item.id, actor=c.mara, expected_version=item.version, now=NOW
        ).status
        == ItemStatus.LOOP_CLOSED
    )


def test_close_loop_before_shipping_is_refused(session, c) -> None:
    item = item_in(session, c, ItemStatus.IN_PROGRESS)
    with pytest.raises(InvalidTransition, match="shipped"):
        loop.close_loop(session, item.id, actor=c.mara, expected_version=item.version, now=NOW)


def test_stale_version_is_a_conflict(session, c, shipped) -> None:
    item, rows = shipped
    item = _settle(session, c, rows, item)
    with pytest.raises(Conflict, match="changed since you opened it"):
        loop.close_loop(session, item.id, actor=c.mara, expected_version=item.version - 1, now=NOW)


def test_only_the_owner_or_an_executive_may_make_it_right(session, c, shipped) -> None:
    item, rows = shipped
    with pytest.raises(PermissionDenied):
        loop.tell_customer(session, rows[0].id, reply_text="Hi", actor=c.laura, now=NOW)
    with pytest.raises(PermissionDenied):
        loop.skip_customer(session, rows[0].id, reason="x", actor=c.sam, now=NOW)
    row = loop.tell_customer(session, rows[0].id, reply_text="Hi", actor=c.ceo, now=NOW)
    assert row.status == "told"
    assert session.exec(select(Outreach).where(Outreach.status == "pending")).all() != []


def test_shipping_text_that_names_a_customer_is_refused_before_anything_is_published(
    session, c
) -> None:
    zeb, otti, hank = customers(session)
    with pytest.raises(InvalidInput, match="a customer's name: “Zebulon Quackenbush”"):
        shipped_item(session, c, [zeb, otti, hank], public_text=TEXT_WITH_SLIP,
                     publish_anyway=False)  # fmt: skip
    session.rollback()
    assert session.exec(select(Item.status)).all() == [ItemStatus.IN_PROGRESS]
