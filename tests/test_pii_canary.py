"""PII canary: distinctive customers linked to shipped items, some typed into the public text on
purpose. None of them may appear on the public page (AppTest, anonymous) or in any export."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy.engine import Engine
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from db.changelog import render_changelog
from tests.factories import NOW, make_contact
from tests.journeys import cast
from tests.loopdata import shipped_item

APP = Path(__file__).resolve().parents[1] / "dashboard" / "app.py"
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "").strip()
CANARIES = {
    "name": "Zebulon Quackenbush",
    "first name": "Zebulon",
    "email": "zebulon.q@mailbox.test",
    "email user": "zebulon.q",
    "handle": "ottilie_vance",
    "name 2": "Ottilie Vance",
    "phone": "7700 900123",
    "phone digits": "7700900123",
    "order": "ORD-558812",
    "street": "Baker Street",
    "other email": "mrs.p@elsewhere.example",
    "name 3": "Pia Kowalczyk",
    "email 3": "pia.k@phonebox.test",
}
SLIP_TITLE = "Ottilie Vance asked: idle fees at chargers"
SLIP_TEXT = (
    "Thanks to Zebulon Quackenbush (zebulon.q@mailbox.test, +44 7700 900123) and "
    "@ottilie_vance, who wrote about order ORD-558812 at 221 Baker Street; mail "
    "mrs.p@elsewhere.example. Cars that finish charging now pay an idle fee."
)


@pytest.fixture(scope="module")
def seeded(app_engine) -> Engine:
    """Shipped items whose customers are canaries; one item with slips in its public text."""
    with Session(app_engine, expire_on_commit=False) as s:
        c = cast(s)
        zeb = make_contact(s, email=CANARIES["email"], display_name=CANARIES["name"])
        otti = make_contact(
            s, handle=CANARIES["handle"], display_name=CANARIES["name 2"], followers=120_000
        )
        item = shipped_item(s, c, [zeb, otti], public_title=SLIP_TITLE, public_text=SLIP_TEXT)
        pia = make_contact(s, email=CANARIES["email 3"], display_name=CANARIES["name 3"])
        clean = shipped_item(
            s,
            c,
            [pia],
            public_title="Longer cables",
            public_text="Every bay is reachable now.",
            ship_at=NOW - timedelta(days=1),
        )
        assert clean.status == "shipped"
        assert item.status == "shipped"
    return app_engine


def _leaks(text: str) -> list[str]:
    low = text.lower()
    return [kind for kind, value in CANARIES.items() if value.lower() in low]


@pytest.mark.parametrize("fmt", ["md", "html", "atom", "json"])
def test_no_canary_appears_in_any_export(seeded, fmt) -> None:
    text = render_changelog(seeded, fmt=fmt, now=NOW)
    assert "idle fee" in text and "Longer cables" in text  # the entries are there
    assert _leaks(text) == []


def _page_text(at: AppTest) -> str:
    kinds = ("title", "header", "subheader", "markdown", "caption", "text", "info", "metric")
    parts = []
    for kind in kinds:
        for el in at.get(kind):
            parts.append(str(getattr(el, "value", "")))
            parts.append(str(getattr(el, "label", "")))
    return "\n".join(parts).replace("\\", "")


def test_no_canary_appears_on_the_public_page_for_an_anonymous_visitor(seeded, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", seeded.app_url)
    st.cache_data.clear()
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    at.switch_page("app_pages/changes.py").run()
    assert not at.exception, at.exception
    assert "auth_user_id" not in at.session_state
    text = _page_text(at)
    assert "What we changed" in text and "idle fee" in text and "Longer cables" in text
    assert "[name removed]" in text and "[email removed]" in text
    assert _leaks(text) == []
    st.cache_data.clear()
