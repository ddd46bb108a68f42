"""AppTest of the item page's "Make it right" section and the public page after closing."""

from __future__ import annotations

import os
from pathlib import Path

from sqlmodel import select
from streamlit.testing.v1 import AppTest

from db.models import Item, Outbox, Outreach
from tests.journeys import cast
from tests.loopdata import customers, shipped_item

APP = Path(__file__).resolve().parents[1] / "dashboard" / "app.py"
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "").strip()


def _item_page(user_id: int, item_id: int) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["auth_user_id"] = user_id
    at.switch_page("app_pages/item.py")  # as a deep link opens it, not via the start page
    at.query_params["item"] = str(item_id)
    at.run()
    assert not at.exception, at.exception
    return at


def test_owner_tells_skips_and_closes_the_loop_from_the_item_page(db) -> None:
    c = cast(db)
    zeb, otti, _ = customers(db)
    item = shipped_item(db, c, [zeb, otti], public_text="Thanks Zebulon: idle fees now apply.")
    at = _item_page(c.mara.id, item.id)
    assert "Make it right for each customer" in [h.value for h in at.subheader]
    assert any("personal data" in w.value and "Zebulon" in w.value for w in at.warning)
    lead = [c.value for c in at.caption if c.value.startswith("Lead time")]
    assert lead and "shipped +6 d" in lead[0] and "first complaint day 0" in lead[0]
    zeb_row, otti_row = db.exec(select(Outreach).order_by(Outreach.id)).all()

    at.text_input(key=f"loop_remedy_{zeb_row.id}").input("Refunded the charging session")
    at.text_input(key=f"loop_good_{zeb_row.id}").input("A month of free charging")
    at.button(key=f"loop_tell_{zeb_row.id}").click().run()
    at.text_input(key=f"loop_skip_reason_{otti_row.id}").input("Replied in the thread already")
    at.button(key=f"loop_skip_{otti_row.id}").click().run()
    at.radio(key="loop_track_status").set_value("done")
    at.button(key="loop_track_go").click().run()
    at.button(key="loop_close").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]

    db.expire_all()
    zeb_row, otti_row = db.exec(select(Outreach).order_by(Outreach.id)).all()
    assert (zeb_row.status, zeb_row.remedy, zeb_row.goodwill) == (
        "told",
        "Refunded the charging session",
        "A month of free charging",
    )
    assert (otti_row.status, otti_row.skip_reason) == ("skipped", "Replied in the thread already")
    assert db.get(Item, item.id).status == "loop_closed"
    [mail] = db.exec(select(Outbox).where(Outbox.kind == "reply")).all()
    assert mail.to_addr == "zebulon.q@mailbox.test" and mail.status == "pending"


def test_the_owner_answers_one_customer_at_a_time_and_sees_everyone_in_one_grid(
    db, monkeypatch
) -> None:
    monkeypatch.delenv("SMTP_HOST", raising=False)
    c = cast(db)
    item = shipped_item(db, c, list(customers(db)))
    at = _item_page(c.mara.id, item.id)
    rows = db.exec(select(Outreach).order_by(Outreach.id)).all()
    assert len(rows) == 3

    def tell_buttons():
        return [b.key for b in at.button if str(b.key).startswith("loop_tell_")]

    assert tell_buttons() == [f"loop_tell_{rows[0].id}"]  # one form, not three
    assert "0 of 3 customers handled" in " ".join(m.value for m in at.markdown)
    grid = at.dataframe[0].value
    assert list(grid["Customer"]) == ["Zebulon Quackenbush", "Ottilie Vance", "Hank Public"]
    assert list(grid["Status"]) == ["waiting"] * 3
    captions = [m.value for m in at.caption]
    assert "Customer track (remedies and goodwill): **open**" in captions
    assert any(c.startswith("To close the loop: tell or skip every customer") for c in captions)

    at.button(key=f"loop_tell_{rows[0].id}").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert tell_buttons() == [f"loop_tell_{rows[1].id}"]  # the next customer comes up
    assert [t.value for t in at.toast] == [  # not "told": without SMTP the e-mail waits
        "Reply queued in the outbox: it is sent once e-mail (SMTP) is set up."
    ]
    assert "1 of 3 customers handled" in " ".join(m.value for m in at.markdown)
    assert list(at.dataframe[0].value["Status"]) == ["told", "waiting", "waiting"]
    at.selectbox(key=f"loop_pick_{item.id}_2").set_value(rows[2].id).run()
    assert tell_buttons() == [f"loop_tell_{rows[2].id}"]


def test_a_manager_who_does_not_own_the_item_sees_no_reply_forms(db) -> None:
    c = cast(db)
    zeb, _, _ = customers(db)
    item = shipped_item(db, c, [zeb])
    at = _item_page(c.laura.id, item.id)
    assert "Make it right for each customer" in [h.value for h in at.subheader]
    assert not [b for b in at.button if str(b.key).startswith("loop_tell_")]
    assert not [b for b in at.button if b.key == "loop_close"]


def test_before_shipping_there_is_no_empty_customer_section(db) -> None:
    from tests.journeys import item_in

    c = cast(db)
    new = item_in(db, c, "new", owner=c.mara)
    working = item_in(db, c, "in_progress", owner=c.mara)
    at = _item_page(c.mara.id, new.id)
    assert "Make it right for each customer" not in [h.value for h in at.subheader]
    at = _item_page(c.mara.id, working.id)
    assert "Make it right for each customer" not in [h.value for h in at.subheader]


def _outbox_script() -> None:
    from dashboard.outbox_ui import render_outbox_health

    render_outbox_health()


def test_failed_emails_are_listed_for_the_admin(db) -> None:
    from db.notify import enqueue

    for key, status in (("a", "failed"), ("b", "sent"), ("c", "pending")):
        row = enqueue(
            db, kind="reply", dedupe_key=key, to_addr=f"{key}@co.test", subject=key, text="x"
        )
        row.status, row.last_error = status, "550 No such mailbox" if status == "failed" else None
    db.commit()
    at = AppTest.from_function(_outbox_script, default_timeout=60).run()
    assert not at.exception, at.exception
    assert [(m.label, m.value) for m in at.metric] == [
        ("Pending", "1"),
        ("Sending", "0"),
        ("Sent", "1"),
        ("Failed", "1"),
    ]
    assert "SMTP is not configured" in at.info[0].value
    frame = at.dataframe[0].value
    assert list(frame["to"]) == ["a@co.test"] and "550" in frame["last error"][0]


def test_public_page_shows_twenty_entries_then_older_ones_on_request(db) -> None:
    from datetime import timedelta

    from db.models import Event
    from tests.factories import NOW

    for i in range(23):
        item = Item(
            title=f"internal {i}",
            status="shipped",
            public_title=f"Fix number {i}",
            public_text="Changed.",
            shipped_at=NOW - timedelta(days=i),
        )
        db.add(item)
        db.flush()
        db.add(Event(at=item.shipped_at, entity="item", entity_id=item.id, action="shipped"))
    db.commit()
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    at.switch_page("app_pages/changes.py").run()
    titles = [h.value for h in at.subheader]
    assert len(titles) == 20 and titles[0] == "Fix number 0"
    at.button(key="changes_more").click().run()
    assert [h.value for h in at.subheader][-1] == "Fix number 22"
    assert not [b for b in at.button if b.key == "changes_more"]
