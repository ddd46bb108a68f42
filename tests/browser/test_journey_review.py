"""Journey: the CEO's morning review turns into a shipped fix, in a real browser.

The CEO forwards the top card to a manager with the note "?" and turns the next card into an
item owned by that manager; the manager finds both in the inbox, takes ownership of the item,
starts it and ships it with public text; the item page then shows the whole timeline. Each
page is saved as a screenshot in tests/artifacts/.
"""

from __future__ import annotations

from sqlmodel import Session, select

from db.engine import make_engine
from db.models import Event, Forward, Item, Message, User

TOP = "My screen went black on the motorway"  # subjects, as in conftest.FEED
NEXT = "Charging stalls used as parking"
TOP_TEXT = "My screen went black while driving"  # a post's card shows its text
PUBLIC_TITLE = "Cars that finished charging now pay an idle fee"
PUBLIC_TEXT = "From 1 December, cars that stay at a charger after charging pay an idle fee."


def _card(app, title: str):
    card = app.tab.locator("[class*='st-key-review_'][class*='_card']").filter(has_text=title)
    card.wait_for()
    return card


def _open_action(app, card, label: str):
    """Pick an action on a card; its form unfolds inside the card."""
    card.get_by_test_id("stButtonGroup").get_by_role("radio", name=label).click()
    app.wait()
    card.get_by_test_id("stForm").wait_for()
    return card


def _submit(app, card) -> None:
    card.get_by_test_id("stBaseButton-primaryFormSubmit").click()
    app.wait()


def _choose(app, body, label: str, option: str) -> None:
    body.get_by_test_id("stSelectbox").filter(has_text=label).click()
    app.tab.get_by_role("option", name=option).click()


def _db(app_server):
    return Session(make_engine(app_server["db_url"]), expire_on_commit=False)


def test_from_morning_review_to_shipped_fix(app, app_server):
    ids = app_server["ids"]
    app.sign_in("ceo")
    top = _card(app, TOP_TEXT)
    first = app.tab.locator("[class*='st-key-review_'][class*='_card']").first
    assert TOP_TEXT in first.inner_text()
    app.shot("review-1-feed")

    body = _open_action(app, top, "Forward")
    _choose(app, body, "To", "Mara Lind · Charging")
    assert body.get_by_label("Note").input_value() == "?"
    _submit(app, body)
    top.wait_for(state="detached")
    app.wait()  # the card left mid-run: let the run end before looking for the next card

    body = _open_action(app, _card(app, NEXT), "New item")
    assert body.get_by_label("Title").input_value() == NEXT
    _choose(app, body, "Owner", "Mara Lind · Charging")
    _submit(app, body)
    app.tab.get_by_text(NEXT).first.wait_for(state="detached")
    app.shot("review-2-after-actions")

    with _db(app_server) as s:
        mara = s.exec(select(User).where(User.email == "mara.lind@example.com")).one()
        forward = s.exec(select(Forward).where(Forward.message_id == ids[TOP])).one()
        assert (forward.recipient_id, forward.note) == (mara.id, "?")
        item = s.exec(select(Item).where(Item.title == NEXT)).one()
        assert (item.owner_id, item.status) == (mara.id, "new")
        assert s.get(Message, ids[NEXT]).item_id == item.id

    app.tab.get_by_role("button", name="Sign out").click()
    app.wait()
    app.sign_in("mara")
    inbox = app.tab.get_by_test_id("stMain")
    inbox.get_by_text(TOP).first.wait_for()
    inbox.get_by_text("Note: ?").wait_for()
    app.shot("review-3-manager-inbox")

    inbox.get_by_role("link", name=f"#{item.id} {NEXT}").click()
    app.tab.get_by_role("heading", name=f"#{item.id} {NEXT}").wait_for()
    app.wait()
    app.shot("review-4-item-new")
    for step in ("Take ownership", "Start work"):
        app.tab.get_by_role("button", name=step).click()
        app.wait()
    app.tab.get_by_test_id("stPopover").filter(has_text="Ship").get_by_role("button").click()
    body = app.tab.get_by_test_id("stPopoverBody")
    body.get_by_label("Public title").fill(PUBLIC_TITLE)
    body.get_by_label("What we changed (public)").fill(PUBLIC_TEXT)
    body.get_by_role("button", name="Ship").click()
    app.wait()
    app.tab.get_by_text("shipped").first.wait_for()
    app.shot("review-5-item-shipped")
    app.tab.get_by_role("tab", name="Timeline").click()
    grid = app.tab.get_by_test_id("stDataFrame").first
    grid.wait_for()
    app.shot("review-6-item-timeline")
    shown = " | ".join(grid.locator("[role='row']").all_inner_texts())
    for step in ("created item", "acknowledged item", "started item", "shipped item"):
        assert step in shown, shown
    assert "Erin Cole" in shown and "Mara Lind" in shown

    with _db(app_server) as s:
        shipped = s.get(Item, item.id)
        assert (shipped.status, shipped.public_text) == ("shipped", PUBLIC_TEXT)
        steps = s.exec(
            select(Event.action).where(Event.entity == "item", Event.entity_id == item.id)
        ).all()
    assert {"created", "acknowledged", "started", "shipped"} <= set(steps)
