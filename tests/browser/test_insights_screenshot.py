"""Insights in a real browser on the demo data: the KPI row and the charts draw, and a
full-page screenshot is saved to tests/artifacts/insights.png (look at it).

Runs its own app server on a database holding the demo (so the other browser tests keep their
small, known feed), with the browser users of `conftest.USERS` added.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlmodel import Session

from db import schema
from db.engine import make_engine
from db.users import create_user
from seeds.loader import load_demo
from tests.browser.conftest import (
    PASSWORD,
    USERS,
    Driver,
    serve_app,
)


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory) -> Iterator[str]:
    """Start the app on a fresh SQLite file holding the demo; yield its base URL."""
    folder = tmp_path_factory.mktemp("insights")
    url = f"sqlite:///{folder / 'demo.db'}"
    engine = make_engine(url)
    schema.upgrade(engine)
    now = datetime.now(UTC)
    load_demo(engine, now=now)
    with Session(engine) as s:
        for email, name, role, team in USERS.values():
            create_user(s, email=email, name=name, role=role, team=team, password=PASSWORD, now=now)
    engine.dispose()
    with serve_app(url, folder) as base:
        yield base


@pytest.fixture
def demo_app(browser, demo_server) -> Iterator[Driver]:
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    yield Driver(tab, demo_server)
    context.close()


def test_insights_page_draws_kpis_and_charts_for_an_executive(demo_app):
    demo_app.sign_in("ceo")
    demo_app.nav("Insights")
    tab = demo_app.tab
    tab.get_by_test_id("stMetric").nth(7).wait_for()  # the KPI row draws in parts
    demo_app.wait()
    assert tab.get_by_test_id("stMetric").count() == 8
    tab.locator("[data-testid='stVegaLiteChart'] svg.marks").first.wait_for()
    assert tab.get_by_test_id("stVegaLiteChart").count() >= 3
    assert tab.get_by_test_id("stException").count() == 0
    path = demo_app.shot("insights")
    assert path.stat().st_size > 20_000


def test_manager_sees_insights_for_their_team(demo_app):
    demo_app.sign_in("mara")
    demo_app.nav("Insights")
    demo_app.tab.get_by_test_id("stMetric").nth(7).wait_for()  # the KPI row draws in parts
    demo_app.wait()
    assert demo_app.tab.get_by_test_id("stMetric").count() == 8
    assert demo_app.tab.get_by_text("Charging").first.is_visible()
    demo_app.shot("insights_manager")


def test_clicking_a_theme_bar_lists_its_messages(demo_app):
    demo_app.sign_in("ceo")
    demo_app.nav("Insights")
    # The themes chart by its key (not "the last chart": charts draw in any order), and a bar
    # that is drawn (a zero-height bar exists in the DOM but cannot be clicked).
    themes = demo_app.tab.locator(".st-key-insights_themes")
    themes.locator("svg.marks path[aria-roledescription='bar']:visible").first.click()
    demo_app.wait()
    demo_app.tab.get_by_text("Messages about").first.wait_for()
    demo_app.tab.get_by_test_id("stDataFrame").first.wait_for()
    assert demo_app.tab.get_by_test_id("stDataFrame").count() == 1
    demo_app.shot("insights_theme_drilldown")
