"""The pages not covered by the journeys, in a real browser: the role gate by URL, the sign-in
page, Admin and Items. Screenshots go to tests/artifacts/ (look at them)."""

from __future__ import annotations

from tests.browser.conftest import USERS

NOT_AVAILABLE = "This page is not available for your role."


def test_staff_opening_the_morning_review_url_sees_not_available(app):
    app.sign_in("sam", "review")
    app.tab.get_by_text(NOT_AVAILABLE).wait_for()
    assert app.tab.locator("[class*='st-key-review_'][class*='_card']").count() == 0
    assert app.tab.get_by_text("My screen went black").count() == 0
    menu = app.tab.get_by_test_id("stSidebarNav").inner_text()
    assert "Morning review" not in menu and "What we changed" in menu
    app.shot("screen-staff-denied")


def test_staff_opening_an_item_deep_link_sees_not_available(app):
    app.sign_in("sam", "item?item=1")
    app.tab.get_by_text(NOT_AVAILABLE).wait_for()


def test_wrong_password_shows_the_reason_and_stays_signed_out(app):
    app.open()
    app.tab.get_by_label("Email").fill("ceo@example.com")
    app.tab.get_by_label("Password", exact=True).fill("not the password")
    app.tab.get_by_role("button", name="Sign in").click()
    app.tab.get_by_text("Wrong email or password.").wait_for()
    assert app.tab.get_by_text("Signed in as").count() == 0
    app.shot("screen-sign-in-error")


def test_admin_pages_render(app):
    app.sign_in("ada")
    app.tab.get_by_test_id("stDataFrame").first.wait_for()
    app.shot("screen-admin-users")
    for tab in ("Settings", "Import", "Quarantine"):
        app.tab.get_by_role("tab", name=tab).click()
        app.wait()
        app.shot(f"screen-admin-{tab.lower()}")
    assert app.tab.get_by_text("Nothing in quarantine").count() == 1


def test_executive_items_page_renders(app):
    app.sign_in("ceo")
    app.nav("Items")
    app.shot("screen-items")


def test_a_reload_keeps_the_user_signed_in_until_they_sign_out(app):
    app.sign_in("ceo")
    signed_in = f"Signed in as {USERS['ceo'][1]}"
    app.open("items")  # a reload at another address, as a bookmark or a typed URL would
    app.tab.get_by_text(signed_in).wait_for()
    app.tab.get_by_test_id("stHeading").filter(has_text="Items").first.wait_for()
    cookies = {c["name"]: c for c in app.tab.context.cookies()}
    assert cookies["fl_session"]["sameSite"] == "Strict"

    app.tab.get_by_role("button", name="Sign out").click()
    app.wait()
    app.open("items")
    app.tab.get_by_role("button", name="Sign in").wait_for()
    assert app.tab.get_by_text(signed_in).count() == 0
    assert "fl_session" not in {c["name"] for c in app.tab.context.cookies()}


def test_a_start_page_has_its_own_address_and_the_root_leads_to_it(app):
    app.sign_in("mara")  # a manager: the inbox is her start page
    for path in ("inbox", "items", ""):
        app.open(path)
        title = "Items" if path == "items" else "Inbox"
        app.tab.get_by_test_id("stHeading").filter(has_text=title).first.wait_for()
        assert app.tab.get_by_text("Page not found").count() == 0, path
    assert app.tab.url.endswith("/inbox")


def test_the_sign_in_address_tells_someone_signed_in_where_to_go_on(app):
    app.sign_in("mara")
    app.open("login")  # a bookmark of the sign-in page, with the session remembered
    app.tab.get_by_text(f"You are signed in as {USERS['mara'][1]}.").wait_for()
    assert app.tab.get_by_text("not available for your role").count() == 0
    app.tab.get_by_role("link", name="Continue").click()
    app.tab.get_by_test_id("stHeading").filter(has_text="Inbox").first.wait_for()


def test_the_app_asks_nothing_of_other_hosts_so_it_works_offline(app):
    asked: list[str] = []
    app.tab.on("request", lambda request: asked.append(request.url))
    app.sign_in("ceo", "review")
    app.nav("Insights")
    elsewhere = [u for u in asked if not u.startswith(app.base) and not u.startswith("data:")]
    assert elsewhere == []  # e.g. a Material favicon would come from fonts.gstatic.com
