"""The public log and its four export formats; the Atom feed checked against RFC 4287 rules."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest

from db import workflow as wf
from db.changeformats import ATOM, entry_id
from db.changelog import public_entries, render_changelog
from tests.factories import NOW
from tests.journeys import cast, item_in
from tests.loopdata import customers, shipped_item

A = f"{{{ATOM}}}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


@pytest.fixture
def log(session):
    """Two shipped items (one older), a publicly declined one, a hidden declined one."""
    c = cast(session)
    zeb, otti, hank = customers(session)
    old = shipped_item(
        session,
        c,
        [zeb],
        public_title="Longer cables at Harbour Road",
        public_text="Cables <now> reach every bay & corner.",
        start=NOW - timedelta(days=20),
        ship_at=NOW - timedelta(days=10),
    )
    new = shipped_item(
        session,
        c,
        [otti, hank],
        public_title="Idle fees",
        public_text="Finished cars pay an idle fee.",
    )
    shown = item_in(session, c, "new")
    wf.decline(
        session,
        shown.id,
        reason="cost",
        public_text="Free valet parking costs too much.",
        show_publicly=True,
        actor=c.ceo,
        expected_version=shown.version,
        now=NOW,
    )
    hidden = item_in(session, c, "new")
    wf.decline(
        session,
        hidden.id,
        reason="secret",
        public_text="Internal only.",
        show_publicly=False,
        actor=c.ceo,
        expected_version=hidden.version,
        now=NOW,
    )
    return {"old": old, "new": new, "shown": shown, "hidden": hidden}


def test_entries_are_newest_first_with_counts_and_days_to_fix(session, log) -> None:
    entries = public_entries(session)
    assert [e.item_id for e in entries] == [log["shown"].id, log["new"].id, log["old"].id]
    declined, new, old = entries
    assert (new.title, new.customers, new.days_to_fix, new.when) == ("Idle fees", 2, 6.0, NOW)
    assert (old.customers, old.days_to_fix) == (1, 10.0)
    assert declined.kind == "declined" and declined.text == "Free valet parking costs too much."
    assert declined.days_to_fix is None


def test_declined_items_can_be_left_out(session, log) -> None:
    ids = [e.item_id for e in public_entries(session, include_declined=False)]
    assert ids == [log["new"].id, log["old"].id]


def test_markdown_export_has_every_public_entry(session, log) -> None:
    md = render_changelog(session.get_bind(), fmt="md", now=NOW)
    assert md.startswith("# What we changed")
    assert md.index("## Idle fees") < md.index("## Longer cables at Harbour Road")
    assert "2 customers told us, fixed 6 days after the first report." in md
    assert "Internal only" not in md
    assert "Cables \\<now\\> reach" in md  # inert: no raw HTML in the Markdown


def test_html_export_is_escaped_and_self_contained(session, log) -> None:
    html = render_changelog(session.get_bind(), fmt="html", now=NOW)
    assert "Cables &lt;now&gt; reach every bay &amp; corner." in html
    assert "<now>" not in html
    assert "<style>" in html and "http" not in html.split("<body>")[0]
    assert f'id="item-{log["new"].id}"' in html


def test_json_export_round_trips(session, log) -> None:
    doc = json.loads(render_changelog(session.get_bind(), fmt="json", now=NOW))
    assert [e["title"] for e in doc["entries"]] == [
        "A request we will not take up",
        "Idle fees",
        "Longer cables at Harbour Road",
    ]
    assert doc["entries"][1]["when"] == "2026-11-20T08:00:00Z"
    assert doc["entries"][1]["customers"] == 2 and doc["entries"][1]["days_to_fix"] == 6.0


def _atom(session) -> ET.Element:
    text = render_changelog(session.get_bind(), fmt="atom", now=NOW)
    assert text.startswith("<?xml")
    return ET.fromstring(text)


def test_atom_feed_follows_the_required_element_rules(session, log) -> None:
    feed = _atom(session)
    assert feed.tag == f"{A}feed"
    for tag in ("id", "title", "updated"):
        assert len(feed.findall(f"{A}{tag}")) == 1, tag
    assert feed.find(f"{A}author/{A}name").text
    assert feed.find(f"{A}link[@rel='alternate']").get("href").endswith("/changes")
    entries = feed.findall(f"{A}entry")
    assert len(entries) == 3
    for entry in entries:
        for tag in ("id", "title", "updated"):
            assert len(entry.findall(f"{A}{tag}")) == 1, tag
        assert entry.find(f"{A}content").get("type") == "text"
        assert entry.find(f"{A}link").get("rel") == "alternate"


def test_atom_dates_are_rfc3339_and_feed_updated_is_the_latest(session, log) -> None:
    feed = _atom(session)
    stamps = [e.text for e in feed.iter(f"{A}updated")]
    assert all(RFC3339.match(s) for s in stamps), stamps
    parsed = [datetime.fromisoformat(s.replace("Z", "+00:00")) for s in stamps]
    assert parsed[0] == max(parsed[1:])


def test_atom_ids_are_unique_uris_and_stable_per_item(session, log) -> None:
    feed = _atom(session)
    ids = [e.text for e in feed.iter(f"{A}id")]
    assert len(ids) == len(set(ids)) == 4
    assert all(re.match(r"^urn:uuid:[0-9a-f-]{36}$", i) for i in ids)
    assert _atom(session).find(f"{A}entry/{A}id").text == ids[1]  # same on every export
    base = feed.find(f"{A}link").get("href").removesuffix("/changes")
    assert entry_id(base, log["new"].id) in ids


def test_empty_log_is_still_a_valid_feed(session) -> None:
    feed = _atom(session)
    assert feed.find(f"{A}updated").text == "2026-11-20T08:00:00Z"
    assert feed.findall(f"{A}entry") == []
