"""Journey: a manager ships an item and closes the loop with its customer (the e-mail arrives at
a real SMTP server), then a visitor who is not signed in reads the entry on the public page."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from db import workflow as wf
from db.engine import make_engine
from db.models import Item, User
from tests.browser.conftest import Driver, prepare_database, serve_app
from tests.factories import make_contact, make_message
from tests.mailsink import MailSink

PUBLIC_TITLE = "Idle fees at busy chargers"
PUBLIC_TEXT = "Cars that finish charging now pay an idle fee after five minutes."


def _item_in_progress(url: str) -> int:
    """An in-progress item owned by Mara, raised by one e-mail customer."""
    engine = make_engine(url)
    now = datetime.now(UTC)
    with Session(engine, expire_on_commit=False) as s:
        ceo = s.exec(select(User).where(User.email == "ceo@example.com")).one()
        mara = s.exec(select(User).where(User.email == "mara.lind@example.com")).one()
        zeb = make_contact(s, email="zebulon.q@mailbox.test", display_name="Zebulon Quackenbush")
        msg = make_message(
            s,
            subject="Chargers blocked",
            body="Parked cars block the chargers.",
            channel="email",
            contact_id=zeb.id,
            sender=zeb.email,
            received_at=now - timedelta(days=6),
        )
        item = wf.create_item(
            s,
            message_ids=[msg.id],
            title="Charging stalls used as parking",
            owner_id=mara.id,
            actor=ceo,
            now=now - timedelta(days=5),
        )
        item = wf.acknowledge(
            s, item.id, actor=mara, expected_version=item.version, now=now - timedelta(days=4)
        )
        item = wf.start(
            s, item.id, actor=mara, expected_version=item.version, now=now - timedelta(days=3)
        )
    engine.dispose()
    return item.id


@pytest.fixture(scope="module")
def sink() -> Iterator[MailSink]:
    server = MailSink().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def loop_server(tmp_path_factory, sink) -> Iterator[dict]:
    """The app on a free port, with SMTP_* pointing at the test mail server."""
    folder = tmp_path_factory.mktemp("journey_loop")
    url = f"sqlite:///{folder / 'feedbackloop.db'}"
    prepare_database(url)
    item_id = _item_in_progress(url)
    with serve_app(url, folder, env=sink.env()) as base:
        yield {"base": base, "db_url": url, "item_id": item_id}


def _driver(browser, base: str):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    return context, Driver(tab, base)


def _wait_for_mail(sink: MailSink, n: int, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while len(sink.messages) < n and time.monotonic() < deadline:
        time.sleep(0.2)


def test_manager_ships_closes_the_loop_and_a_visitor_reads_it(browser, loop_server, sink):
    item_id = loop_server["item_id"]
    context, app = _driver(browser, loop_server["base"])
    try:
        app.sign_in("mara", f"item?item={item_id}")
        tab = app.tab
        tab.get_by_test_id("stPopover").filter(has_text="Ship").first.click()
        tab.get_by_label("Public title").fill(PUBLIC_TITLE)
        tab.get_by_label("What we changed (public)").fill(PUBLIC_TEXT)
        tab.get_by_test_id("stBaseButton-primaryFormSubmit").filter(has_text="Ship").click()
        app.wait()
        tab.get_by_text("Make it right for each customer").wait_for()
        reply = tab.get_by_label("Reply", exact=True)
        assert "You told us" in reply.input_value()
        tab.get_by_label("The fix for this customer").fill("Refunded the blocked session")
        tab.get_by_label("Goodwill gesture (separate from the fix)").fill("A free charge")
        tab.get_by_role("button", name="Send e-mail").click()
        app.wait()
        _wait_for_mail(sink, 1)
        assert [m["To"] for m in sink.messages] == ["zebulon.q@mailbox.test"]
        assert PUBLIC_TEXT in sink.messages[0].get_body(("plain",)).get_content()

        tab.get_by_test_id("stPopover").filter(has_text="Customer track").first.click()
        tab.get_by_text("done", exact=True).click()
        tab.get_by_role("button", name="Save").click()
        app.wait()
        tab.get_by_test_id("stPopover").filter(has_text="Close the loop").first.click()
        tab.get_by_role("button", name="Yes, close the loop").click()
        app.wait()
        app.shot("item_loop_closed")
    finally:
        context.close()
    engine = make_engine(loop_server["db_url"])
    with Session(engine) as s:
        assert s.get(Item, item_id).status == "loop_closed"
    engine.dispose()

    context, visitor = _driver(browser, loop_server["base"])
    try:
        visitor.open("changes")
        visitor.tab.get_by_text(PUBLIC_TITLE).wait_for()
        body = visitor.tab.get_by_test_id("stMain").inner_text()
        assert PUBLIC_TEXT in body and "1 customer told us" in body
        assert "Zebulon" not in body and "mailbox.test" not in body
        assert visitor.tab.get_by_text("Sign out").count() == 0
        visitor.shot("changes_public")
    finally:
        context.close()
