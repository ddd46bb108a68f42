"""Customer text with HTML, a Markdown image, a link and a script tag shows as inert text."""

from __future__ import annotations

from tests.browser.conftest import IMAGE_HOST


def _no_live_markup(tab) -> None:
    assert tab.locator("img[src*='evil'], img[src='x']").count() == 0
    assert tab.locator("a[href*='evil.example']").count() == 0
    scripts = tab.locator("script").evaluate_all("els => els.map(e => e.textContent)")
    assert not any("pwned" in (text or "") for text in scripts)
    assert tab.evaluate("() => window.pwned === undefined")


def test_hostile_message_is_plain_text_on_the_review_page(app):
    requests: list[str] = []
    app.tab.on("request", lambda request: requests.append(request.url))
    app.sign_in("ceo")
    shown = app.tab.get_by_test_id("stText").filter(has_text="window.pwned = 1")
    shown.first.wait_for()
    text = shown.first.inner_text()
    assert "<script>window.pwned = 1</script>" in text
    assert "![tracker](http://images.evil.example/pixel.png)" in text
    assert "<img src=x onerror=alert(1)>" in text
    card = app.tab.locator("[class*='st-key-review_'][class*='_card']").filter(has_text="pwned")
    shown_card = card.inner_text().replace("\u2060", "")
    assert "www.links.evil.example or write to bad@links.evil.example" in shown_card
    assert "Mallory [me](http://links.evil.example)" in shown_card
    assert card.locator("a, img, i, b, script").count() == 0
    _no_live_markup(app.tab)
    app.tab.wait_for_timeout(500)
    assert not [url for url in requests if IMAGE_HOST in url or "evil.example" in url]


def test_hostile_message_is_plain_text_on_the_messages_page(app):
    requests: list[str] = []
    app.tab.on("request", lambda request: requests.append(request.url))
    app.sign_in("ceo", "messages")
    app.tab.get_by_test_id("stDataFrame").first.wait_for()
    app.tab.wait_for_timeout(1000)
    app.shot("messages")
    _no_live_markup(app.tab)
    assert not [url for url in requests if "evil.example" in url]
