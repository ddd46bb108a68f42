"""Insights page (AppTest): executives see every team, managers their own, staff nothing.

The app runs against its own database (a temp SQLite file, or a database next to
TEST_POSTGRES_URL); users sign in through the `auth_user_id` session key the sign-in form sets.
The page picks its period from the real clock, so the data here is placed relative to it.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from dashboard import data
from db import itemrebuild, rollup
from db import workflow as wf
from db.models import Event, Item, Role, Theme, utcnow
from tests.factories import make_message, make_user

APP = Path(__file__).resolve().parents[1] / "dashboard" / "app.py"
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "").strip()


def _event(item: Item, src: str | None, dst: str, at) -> Event:
    return Event(entity="item", entity_id=item.id, action=dst, from_state=src, to_state=dst, at=at)


@pytest.fixture
def people(db) -> dict:
    """Three Charging items and one Customer Care item, opened in the last few days."""
    now = utcnow()
    theme = Theme(key="idle", label="Idle cars block chargers")
    db.add(theme)
    for title, team, status in [
        ("Idle fee", "Charging", "new"),
        ("Charger reset", "Charging", "in_progress"),
        ("Cable lock", "Charging", "new"),
        ("Refund wording", "Customer Care", "new"),
    ]:
        item = Item(title=title, team=team, status=status, created_at=now - timedelta(days=3))
        db.add(item)
        db.flush()
        db.add(_event(item, None, "new", now - timedelta(days=3)))
        if status != "new":
            db.add(_event(item, "new", status, now - timedelta(days=2)))
    db.commit()
    for i in range(4):
        make_message(
            db, received_at=now - timedelta(days=1, hours=i), complaint=0.9, score=6,
            theme_id=theme.id, channel="tweet" if i % 2 else "email",
        )  # fmt: skip
    rollup.rebuild(db.connection())  # rows made directly, not through ingest or workflow
    itemrebuild.rebuild(db.connection())
    db.commit()
    return {
        "ceo": make_user(db, email="ceo@example.com", name="Erin Cole", role=Role.EXECUTIVE),
        "mara": make_user(
            db, email="mara@example.com", name="Mara Lind", role=Role.MANAGER, team="Charging"
        ),  # fmt: skip
        "staff": make_user(db, email="sam@example.com", name="Sam Park", role=Role.STAFF),
    }


def open_insights(user) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["auth_user_id"] = user.id
    at.run()
    at.switch_page("app_pages/insights.py").run()
    assert not at.exception, at.exception
    return at


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_executive_sees_kpis_for_every_team_and_all_charts(people):
    at = open_insights(people["ceo"])
    assert [t.value for t in at.title] == ["Insights"]
    assert len(at.metric) == 8
    assert metric(at, "Open items") == "4" and metric(at, "Unowned items") == "3"
    assert at.selectbox(key="insights_team").options == ["All teams", "Charging", "Customer Care"]
    # volume, flow, funnel and themes; nothing shipped and no forwards due yet
    assert len(at.get("vega_lite_chart")) == 4
    assert "No items shipped in this period." in [i.value for i in at.info]


def test_executive_can_narrow_to_one_team(people):
    at = open_insights(people["ceo"])
    at.selectbox(key="insights_team").select("Customer Care").run()
    assert metric(at, "Open items") == "1"


def test_manager_sees_only_their_team(people):
    at = open_insights(people["mara"])
    team = at.selectbox(key="insights_myteam")
    assert team.value == "Charging" and team.disabled
    assert metric(at, "Open items") == "3" and metric(at, "Unowned items") == "2"


def test_staff_cannot_open_insights(people):
    at = open_insights(people["staff"])
    assert len(at.metric) == 0
    assert "This page is not available for your role." in [w.value for w in at.warning]


def test_channel_filter_and_period_change_the_numbers(people):
    at = open_insights(people["ceo"])
    at.selectbox(key="insights_channel").select("Posts on X").run()
    assert not at.exception
    at.segmented_control(key="insights_period").set_value("7 days").run()
    assert not at.exception and len(at.metric) == 8


def test_a_write_shows_on_the_next_run_without_waiting_for_the_cache(people, db):
    at = open_insights(people["ceo"])
    assert metric(at, "Unowned items") == "3"
    item = db.exec(select(Item).where(Item.title == "Idle fee")).one()
    wf.acknowledge(db, item.id, actor=people["mara"], expected_version=item.version, now=utcnow())
    data.clear_caches()  # what every page does after a write
    at.run()
    assert metric(at, "Unowned items") == "2" and metric(at, "Open items") == "4"
