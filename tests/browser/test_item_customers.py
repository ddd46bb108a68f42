"""The item page's customer list in a real browser: one reply form at a time, and after each
reply the next waiting customer is the one shown in the picker and the form (a browser keeps
a widget's old label where AppTest does not, so only a browser shows that going wrong)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from db import workflow as wf
from db.engine import make_engine
from db.models import Outreach, User
from tests.browser.conftest import Driver, prepare_database, serve_app
from tests.factories import make_contact, make_message

CUSTOMERS = ["Zebulon Quackenbush", "Ottilie Vance", "Hank Public"]


def _shipped_item(url: str) -> int:
    """An item owned by Mara, shipped, raised by three e-mail customers."""
    engine = make_engine(url)
    now = datetime.now(UTC)
    with Session(engine, expire_on_commit=False) as s:
        ceo = s.exec(select(User).where(User.email == "ceo@example.com")).one()
        mara = s.exec(select(User).where(User.email == "mara.lind@example.com")).one()
        ids, first = [], now - timedelta(days=6)
        for n, name in enumerate(CUSTOMERS):
            who = make_contact(s, email=f"customer{n}@mailbox.test", display_name=name)
            msg = make_message(
                s, subject="Chargers blocked", body=f"Parked cars again ({n}).", channel="email",
                contact_id=who.id, sender=who.email, received_at=first + timedelta(hours=n),
            )  # fmt: skip
            ids.append(msg.id)
        item = wf.create_item(
            s, message_ids=ids, title="Charging stalls used as parking", owner_id=mara.id,
            actor=ceo, now=now - timedelta(days=5),
        )  # fmt: skip
        for step in (wf.acknowledge, wf.start):
            item = step(s, item.id, actor=mara, expected_version=item.version, now=now)
        item = wf.ship(
            s, item.id, public_title="Idle fees", public_text="Finished cars now pay a fee.",
            actor=mara, expected_version=item.version, now=now,
        )  # fmt: skip
    engine.dispose()
    return item.id


def _picked(tab) -> str:
    """The name the "Answer next" picker shows (the value of its input)."""
    picker = tab.get_by_test_id("stSelectbox").filter(has_text="Answer next")
    return picker.locator("input").input_value()


@pytest.fixture(scope="module")
def customers_server(tmp_path_factory) -> Iterator[dict]:
    folder = tmp_path_factory.mktemp("item_customers")
    url = f"sqlite:///{folder / 'feedbackloop.db'}"
    prepare_database(url)
    item_id = _shipped_item(url)
    with serve_app(url, folder) as base:
        yield {"base": base, "db_url": url, "item_id": item_id}


def test_after_a_reply_the_next_waiting_customer_is_shown(browser, customers_server):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    app = Driver(tab, customers_server["base"])
    try:
        app.sign_in("mara", f"item?item={customers_server['item_id']}")
        tab.get_by_text("0 of 3 customers handled").wait_for()
        assert tab.get_by_role("button", name="Send e-mail").count() == 1
        assert _picked(tab) == CUSTOMERS[0]
        app.shot("item-customers-1-first")

        tab.get_by_role("button", name="Send e-mail").click()
        app.wait()
        tab.get_by_text("1 of 3 customers handled").wait_for()
        assert _picked(tab) == CUSTOMERS[1]  # not the customer just told
        form = tab.locator("[class*='st-key-loop_customer_']")
        assert form.count() == 1 and CUSTOMERS[1] in form.inner_text()
        app.shot("item-customers-2-next")
    finally:
        context.close()
    engine = make_engine(customers_server["db_url"])
    with Session(engine) as s:
        states = s.exec(select(Outreach.status).order_by(Outreach.id)).all()
    engine.dispose()
    assert states == ["told", "pending", "pending"]
