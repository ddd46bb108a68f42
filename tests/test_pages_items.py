"""Page tests (AppTest) for the Items board, the Item page and the Inbox: what each role sees,
and that each click changes the database as expected (asserted on the database)."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from dashboard import data
from db import workflow as wf
from db.models import Comment, Forward, Item, ItemStatus
from tests.factories import NOW, make_message
from tests.journeys import cast, item_in, new_item, open_page

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "").strip()
S = ItemStatus


@pytest.fixture
def c(db):
    return cast(db)


def fresh(db, item_id) -> Item:
    db.expire_all()
    return db.get(Item, item_id)


def badges(at) -> list[str]:
    return [m.value for m in at.markdown if "-badge[" in m.value]


def shown(at) -> str:
    parts = [e.value for e in (*at.title, *at.caption, *at.markdown, *at.text, *at.warning)]
    return "\n".join(str(p) for p in parts)


# --- Items board ---------------------------------------------------------------------------


def test_executive_board_shows_columns_badges_and_links(db, c):
    unowned = new_item(db, c)
    item_in(db, c, S.SHIPPED, owner=c.mara)
    at = open_page(c.ceo, "items")
    heads = [m.value.removeprefix("##### ") for m in at.markdown if m.value.startswith("#####")]
    assert heads[:4] == ["New · 1", "Acknowledged · 0", "In progress · 0", "Shipped · 1"]
    assert ":orange-badge[:material/person_off: Unowned]" in badges(at)
    links = [p.proto.label for p in at.get("page_link")]
    assert f"Open #{unowned.id}" in links
    assert "**Charging stalls used as parking**" in [m.value for m in at.markdown]
    assert any(re.search(r"(^| · )1 message( · |$)", c.value) for c in at.caption)


def test_board_filter_by_owner_shows_only_their_items(db, c):
    new_item(db, c)
    mine = item_in(db, c, S.ACKNOWLEDGED, owner=c.laura)
    at = open_page(c.ceo, "items")
    at.selectbox(key="items_owner").set_value(c.laura.id).run()
    links = [p.proto.label for p in at.get("page_link")]
    assert links == [f"Open #{mine.id}"]


def test_staff_sees_status_but_no_link_and_cannot_open_an_item_by_url(db, c):
    item = new_item(db, c)
    board = open_page(c.sam, "items")
    assert "##### New · 1" in [m.value for m in board.markdown]
    assert not [p for p in board.get("page_link") if "Open" in p.proto.label]
    at = open_page(c.sam, "item", item=item.id)
    assert "This page is not available for your role." in shown(at)
    assert "Charging stalls" not in shown(at)


# --- Item page -----------------------------------------------------------------------------


def test_item_page_shows_messages_as_text_timeline_and_elapsed_days(db, c):
    item = new_item(db, c)
    at = open_page(c.mara, "item", item=item.id)
    assert at.title[0].value == f"#{item.id} Charging stalls used as parking"
    days = (datetime.now(UTC) - item.first_signal_at).days  # the page counts to the wall clock
    assert f"{days} days since the first complaint" in shown(at)
    assert "Cars parked at chargers 0" in [t.value for t in at.text]
    frame = at.dataframe[0].value
    assert list(frame["What"])[0].startswith("created item")
    assert set(frame["Who"]) == {"Erin Cole"}
    assert list(frame["When (UTC)"])[0] == f"{item.created_at:%d %b %Y %H:%M}"  # as everywhere


def test_item_timeline_reads_as_plain_steps_one_line_per_step(db, c):
    item = new_item(db, c, owner=c.mara, n_messages=3)
    item = wf.acknowledge(db, item.id, actor=c.mara, expected_version=item.version, now=NOW)
    wf.start(db, item.id, actor=c.mara, expected_version=item.version, now=NOW)
    at = open_page(c.mara, "item", item=item.id)
    steps = list(at.dataframe[0].value["What"])
    assert steps == [
        f"created item #{item.id} (new)",
        f"added 3 messages to item #{item.id}",
        f"acknowledged item #{item.id}: new → acknowledged",
        f"started item #{item.id}: acknowledged → in progress",
    ]


def test_owner_takes_ownership_starts_and_ships_through_the_page(db, c):
    item = new_item(db, c, owner=c.mara)
    at = open_page(c.mara, "item", item=item.id)
    at.button(key="item_step_acknowledge").click().run()
    assert fresh(db, item.id).status == S.ACKNOWLEDGED
    at.button(key="item_step_start").click().run()
    assert fresh(db, item.id).status == S.IN_PROGRESS
    at.text_input(key="item_ship_public_title").input("Idle fee at chargers")
    at.text_area(key="item_ship_public_text").input("An idle fee after the charge completes.")
    at.button(key="item_go_ship").click().run()
    got = fresh(db, item.id)
    assert (got.status, got.public_title) == (S.SHIPPED, "Idle fee at chargers")


def test_ship_with_personal_data_is_refused_in_the_form_until_published_anyway(db, c):
    item = item_in(db, c, S.IN_PROGRESS, owner=c.mara)
    at = open_page(c.mara, "item", item=item.id)
    at.text_input(key="item_ship_public_title").input("Idle fee at chargers")
    at.text_area(key="item_ship_public_text").input("Fixed, as jo.king@mailbox.test asked.")
    at.button(key="item_go_ship").click().run()
    assert "an email address: “jo.king@mailbox.test”" in at.error[0].value
    assert fresh(db, item.id).status == S.IN_PROGRESS  # nothing published yet
    assert at.text_area(key="item_ship_public_text").value.startswith("Fixed, as jo")  # kept
    at.checkbox(key="item_ship_publish_anyway").check()
    at.button(key="item_go_ship").click().run()
    assert fresh(db, item.id).status == S.SHIPPED


def test_a_change_made_meanwhile_is_shown_and_the_typed_ship_text_is_kept(db, c):
    item = item_in(db, c, S.IN_PROGRESS)
    at = open_page(c.mara, "item", item=item.id)
    at.text_input(key="item_ship_public_title").input("Idle fee at chargers")
    at.text_area(key="item_ship_public_text").input("An idle fee after the charge completes.")
    title = {"title": "Chargers blocked by parked cars"}
    wf.update_item(db, item.id, changes=title, actor=c.ceo, expected_version=item.version, now=NOW)
    at.button(key="item_go_ship").click().run()
    assert fresh(db, item.id).status == S.IN_PROGRESS  # not shipped over the other change
    warning = at.warning[0].value
    assert "changed since you opened it (by Erin Cole" in warning and "kept" in warning
    assert at.title[0].value == f"#{item.id} Chargers blocked by parked cars"  # the new version
    at.button(key="item_reload").click().run()
    assert at.text_area(key="item_ship_public_text").value.startswith("An idle fee")
    at.button(key="item_go_ship").click().run()
    got = fresh(db, item.id)
    assert (got.status, got.public_title) == (S.SHIPPED, "Idle fee at chargers")


def test_ship_without_public_text_shows_the_error_and_changes_nothing(db, c):
    item = item_in(db, c, S.IN_PROGRESS)
    at = open_page(c.mara, "item", item=item.id)
    at.button(key="item_go_ship").click().run()
    assert "public" in at.error[0].value
    assert fresh(db, item.id).status == S.IN_PROGRESS


def test_manager_cannot_ship_someone_elses_item_from_the_page(db, c):
    item = item_in(db, c, S.IN_PROGRESS, owner=c.laura)
    at = open_page(c.mara, "item", item=item.id)
    keys = {b.key for b in at.button}
    assert "item_go_ship" not in keys and "item_step_start" not in keys
    assert "No next step is yours to take on this item." in shown(at)
    assert fresh(db, item.id).status == S.IN_PROGRESS


def test_executive_declines_with_reason_and_public_wording(db, c):
    item = item_in(db, c, S.ACKNOWLEDGED)
    at = open_page(c.ceo, "item", item=item.id)
    at.text_area(key="item_decline_reason").input("Not viable")
    at.text_area(key="item_decline_public_text").input("We're sorry to lose your business")
    at.button(key="item_go_decline").click().run()
    got = fresh(db, item.id)
    assert (got.status, got.decline_reason) == (S.DECLINED, "Not viable")


def test_decline_asks_why_nothing_changes_not_what_changed(db, c):
    item = item_in(db, c, S.ACKNOWLEDGED)
    at = open_page(c.ceo, "item", item=item.id)
    assert at.text_area(key="item_decline_public_text").label == (
        "Why we are not changing it (public)"
    )


def test_mark_duplicate_picks_the_original_by_title_and_refuses_none(db, c):
    original = new_item(db, c)
    copy = new_item(db, c)
    at = open_page(c.ceo, "item", item=copy.id)
    picker = at.selectbox(key="item_duplicate_of_item_id")
    assert picker.options == [f"#{original.id} Charging stalls used as parking"]
    at.button(key="item_go_duplicate").click().run()
    assert [e.value for e in at.error] == ["Choose the original item."]
    assert fresh(db, copy.id).status == S.NEW
    at.selectbox(key="item_duplicate_of_item_id").set_value(original.id)
    at.button(key="item_go_duplicate").click().run()
    got = fresh(db, copy.id)
    assert (got.status, got.duplicate_of_id) == (S.DUPLICATE, original.id)
    assert [t.value for t in at.toast] == [
        "Marked as a duplicate: its messages moved to the original item."
    ]


def test_executive_assigns_an_owner_who_is_then_asked_to_take_ownership(db, c):
    item = new_item(db, c, owner=None)
    at = open_page(c.ceo, "item", item=item.id)
    at.button(key="item_go_assign").click().run()
    assert [e.value for e in at.error] == ["Choose a manager."]
    at.selectbox(key="item_assign_owner").set_value(c.laura.id)
    at.button(key="item_go_assign").click().run()
    got = fresh(db, item.id)
    assert (got.owner_id, got.status) == (c.laura.id, S.NEW)
    assert at.toast[0].value.startswith("Assigned to Laura")
    assert "item_go_assign" not in {b.key for b in open_page(c.mara, "item", item=item.id).button}


def test_comment_from_the_item_page_is_stored(db, c):
    item = new_item(db, c)
    at = open_page(c.mara, "item", item=item.id)
    at.text_area(key="item_comment_body").input("Looking into it @laura.finch")
    at.button(key="item_comment_go").click().run()
    row = db.exec(select(Comment).where(Comment.item_id == item.id)).one()
    assert (row.author_id, row.body, row.mentions) == (
        c.mara.id,
        "Looking into it @laura.finch",
        [c.laura.id],
    )


def test_a_very_long_comment_is_folded_not_shown_at_full_length(db, c):
    item = new_item(db, c)
    long = "Very long comment. " * 300
    wf.comment(db, item_id=item.id, body=long, actor=c.ceo, now=NOW)
    at = open_page(c.mara, "item", item=item.id)
    shown_texts = [t.value for t in at.text if t.value.startswith("Very long")]
    assert len(shown_texts[0]) < 500 and shown_texts[0].endswith("…")
    assert "Show the whole comment" in [e.label for e in at.expander]


def test_a_change_by_someone_else_surfaces_as_a_conflict(db, c):
    item = item_in(db, c, S.ACKNOWLEDGED)
    at = open_page(c.mara, "item", item=item.id)
    wf.update_item(
        db,
        item.id,
        changes={"fix_plan": "Idle fee"},
        actor=c.ceo,
        expected_version=item.version,
        now=NOW,
    )
    at.button(key="item_step_start").click().run()
    assert at.warning[0].value.startswith("This item changed since you opened it (by Erin Cole")
    assert fresh(db, item.id).status == S.ACKNOWLEDGED


def test_a_change_seen_on_reload_names_who_made_it_even_before_any_step(db, c):
    item = item_in(db, c, S.ACKNOWLEDGED, owner=c.mara)
    at = open_page(c.mara, "item", item=item.id)
    wf.start(db, item.id, actor=c.mara, expected_version=item.version, now=NOW)  # another tab
    data.clear_caches()
    at.run()  # the page reloads the item: its Start button is gone, nothing was refused
    assert at.warning[0].value.startswith(
        "This item changed since you opened it (by Mara Lind at 20 Nov 2026"
    )


# --- Inbox ---------------------------------------------------------------------------------


def test_inbox_shows_forward_note_and_acknowledge_takes_ownership(db, c):
    item = new_item(db, c)
    wf.forward(
        db, item_id=item.id, to_user_id=c.mara.id, note="?", respond_by=None, actor=c.ceo, now=NOW
    )
    at = open_page(c.mara, "inbox")
    assert "Note: ?" in [t.value for t in at.text]
    assert "from Erin Cole" in shown(at)
    ack = next(b for b in at.button if b.key.endswith("_ack"))
    ack.click().run()
    got = fresh(db, item.id)
    assert (got.status, got.owner_id) == (S.ACKNOWLEDGED, c.mara.id)
    assert db.exec(select(Forward)).one().acknowledged_at is not None


def test_inbox_acknowledges_a_forwarded_message(db, c):
    msg = make_message(db, subject="Bins missed again")
    wf.forward(
        db,
        message_ids=[msg.id],
        to_user_id=c.laura.id,
        note="?",
        respond_by=None,
        actor=c.ceo,
        now=NOW,
    )
    at = open_page(c.laura, "inbox")
    assert "Bins missed again" in shown(at)
    next(b for b in at.button if b.key.endswith("_ack")).click().run()
    db.expire_all()
    assert db.exec(select(Forward)).one().acknowledged_at is not None


def test_inbox_turns_a_forwarded_message_into_an_item_the_manager_owns(db, c):
    msg = make_message(db, subject="Bins missed again")
    wf.forward(db, message_ids=[msg.id], to_user_id=c.laura.id, note="?", respond_by=None,
               actor=c.ceo, now=NOW)  # fmt: skip
    at = open_page(c.laura, "inbox")
    at.text_area(key=next(t.key for t in at.text_area if t.key.endswith("_item_problem"))).input(
        "Pendle Row collections skipped twice"
    )
    next(b for b in at.button if b.key.endswith("_item_go")).click().run()
    assert not at.exception, at.exception
    db.expire_all()
    item = db.exec(select(Item)).one()
    assert (item.title, item.owner_id, item.team) == ("Bins missed again", c.laura.id, c.laura.team)
    assert db.get(type(msg), msg.id).item_id == item.id
    assert db.exec(select(Forward)).one().acknowledged_at is not None
    assert "owned by you" in shown(at)  # now the item the manager owns


def test_inbox_puts_overdue_first_and_is_empty_for_others(db, c):
    item_in(db, c, S.ACKNOWLEDGED, owner=c.mara)
    msg = make_message(db, subject="Late one")
    wf.forward(
        db,
        message_ids=[msg.id],
        to_user_id=c.mara.id,
        note="?",
        respond_by=NOW + timedelta(hours=1),
        actor=c.ceo,
        now=NOW,
    )
    # respond-by is in the past of the wall clock the page runs on: overdue
    at = open_page(c.mara, "inbox")
    assert badges(at) == [":red-badge[:material/alarm: Overdue]"]
    assert at.markdown[0].value == "**Late one**"
    empty = open_page(c.laura, "inbox")
    assert "No forwards and no open items of yours are waiting." in empty.info[0].value


def test_inbox_shows_the_text_of_a_forwarded_message(db, c):
    body = "The bins on Elm Street were missed three weeks running; nobody answers the phone."
    msg = make_message(db, subject="Bins missed again", body=body)
    wf.forward(
        db, message_ids=[msg.id], to_user_id=c.laura.id, note="?", respond_by=None,
        actor=c.ceo, now=NOW,
    )  # fmt: skip
    at = open_page(c.laura, "inbox")
    assert body in [t.value for t in at.text]


def test_inbox_keeps_a_shipped_item_until_its_loop_is_closed(db, c):
    shipped = item_in(db, c, S.SHIPPED, owner=c.mara)
    at = open_page(c.mara, "inbox")
    assert "1 waiting" in shown(at)
    assert "tell the customers, then close the loop" in shown(at)
    assert f"#{shipped.id} " in " ".join(p.label for p in at.get("page_link"))
