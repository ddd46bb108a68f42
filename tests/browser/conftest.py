"""Real-browser fixtures: `streamlit run` on a free port against a prepared SQLite file, and
Playwright driving Debian's Chromium (`/usr/bin/chromium`).

Without Chromium the browser tests are skipped with a reason — except in CI
(`FL_REQUIRE_BROWSER=1`), where a missing browser fails the run. Screenshots go to
`tests/artifacts/` (gitignored).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from db import schema
from db.engine import make_engine
from db.models import Message, Role
from db.users import create_user
from tests.factories import make_contact, make_message

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PASSWORD = "browser test password"
IMAGE_HOST = "images.evil.example"
HOSTILE_TEXT = (
    "<b>bold?</b> <img src=x onerror=alert(1)> ![tracker](http://images.evil.example/pixel.png) "
    "[click me](http://links.evil.example/) <script>window.pwned = 1</script> "
    "<a href='http://links.evil.example/'>anchor</a>"
)
HOSTILE_NAME = "Mallory [me](http://links.evil.example) www.links.evil.example <i>x</i>"
USERS = {
    "ceo": ("ceo@example.com", "Erin Cole", Role.EXECUTIVE, None),
    "mara": ("mara.lind@example.com", "Mara Lind", Role.MANAGER, "Charging"),
    "laura": ("laura.finch@example.com", "Laura Finch", Role.MANAGER, "Customer Care"),
    "sam": ("sam@example.com", "Sam Staff", Role.STAFF, None),
    "ada": ("ada@example.com", "Ada Admin", Role.ADMIN, None),
}
# (subject, body, score, reasons, channel, followers) — the feed of "today"
FEED = [
    (
        "My screen went black on the motorway",
        "Help! My screen went black while driving at 120 km/h. I want my money back.",
        92.0,
        ["safety: lost the screen while driving", "reach: 8.9M followers", "asks for a refund"],
        "tweet",
        8_900_000,
    ),
    (
        "Charging stalls used as parking",
        "Again three cars parked at the chargers in Leeds all afternoon, none of them charging.",
        71.0,
        ["37 similar messages since Monday", "rising today"],
        "email",
        0,
    ),
    (
        "Visit www.links.evil.example or write to bad@links.evil.example",
        HOSTILE_TEXT,
        40.0,
        ["third email about this"],
        "email",
        0,
    ),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_database(url: str) -> dict[str, int]:
    """Create the schema, one user per role and today's feed; return message ids by subject."""
    engine = make_engine(url)
    schema.upgrade(engine)
    now = datetime.now(UTC)
    start = max(now - timedelta(hours=3), now.replace(hour=0, minute=5, second=0, microsecond=0))
    ids = {}
    with Session(engine, expire_on_commit=False) as s:
        for email, name, role, team in USERS.values():
            create_user(s, email=email, name=name, role=role, team=team, password=PASSWORD, now=now)
        for n, (subject, body, score, reasons, channel, followers) in enumerate(FEED):
            received = min(start + timedelta(minutes=10 * (n + 1)), now)
            msg = make_message(
                s, subject=subject, body=body, score=score, reasons=reasons, channel=channel,
                followers=followers, received_at=received, sender=f"customer{n}@example.net",
            )  # fmt: skip
            ids[subject] = msg.id
        hostile = ids[FEED[2][0]]
        contact = make_contact(s, email="bad@links.evil.example", display_name=HOSTILE_NAME)
        s.exec(sa.update(Message).where(Message.id == hostile).values(contact_id=contact.id))
        s.commit()
    engine.dispose()
    return ids


def _wait_healthy(base: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("streamlit did not become healthy in time")


@contextmanager
def serve_app(url: str, folder: Path, *, env: dict | None = None) -> Iterator[str]:
    """Run `streamlit run dashboard/app.py` on a free port against `url`; yield its base URL.

    `env` adds variables for the server (e.g. SMTP settings)."""
    port = _free_port()
    env = {**os.environ, **(env or {}), "DATABASE_URL": url, "PYTHONUNBUFFERED": "1"}
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
        "--server.port", str(port), "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]  # fmt: skip
    log = open(folder / "streamlit.log", "wb")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, proc)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def app_server(tmp_path_factory) -> Iterator[dict]:
    """Start the app on a free port against a fresh SQLite file; yield base URL and ids."""
    folder = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{folder / 'feedbackloop.db'}"
    ids = prepare_database(url)
    with serve_app(url, folder) as base:
        yield {"base": base, "db_url": url, "ids": ids, "log": folder / "streamlit.log"}


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium (Debian's), or skip/fail with a clear reason when it is missing."""
    if not CHROMIUM.exists():
        reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("FL_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


SETTLE_MS = 250  # how long the page must stay idle to count as settled


class Driver:
    """Drive the app in one tab: open pages, wait for Streamlit's run to finish, sign in."""

    def __init__(self, tab, base: str) -> None:
        self.tab, self.base = tab, base

    def wait(self) -> None:
        """Wait until the script run triggered by the last action has finished and the page
        has settled: not running, and no element left over from the run before (Streamlit
        marks those `data-stale`; while they are shown, a card can be on the page twice).
        The page must stay so for SETTLE_MS: on a loaded machine a rerun can start late."""
        idle = self.tab.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')
        self.tab.wait_for_timeout(300)  # let a rerun start before waiting for it to end
        for _ in range(50):
            idle.wait_for()
            self.tab.wait_for_timeout(SETTLE_MS)
            if idle.count() and not self.tab.locator("[data-stale='true']").count():
                return
        raise AssertionError("the app did not settle after 50 tries")

    def open(self, path: str = "") -> None:
        """Load `path` (e.g. "review" or "item?item=3") in the tab."""
        self.tab.goto(f"{self.base}/{path}")
        self.tab.get_by_test_id("stAppViewContainer").wait_for()
        self.wait()

    def sign_in(self, who: str, path: str = "") -> None:
        """Open `path` and sign in there as one of USERS (a reload signs out: Streamlit
        keeps the user in the websocket session, so later navigation goes through `nav`)."""
        self.open(path)
        self.tab.get_by_label("Email").fill(USERS[who][0])
        self.tab.get_by_label("Password", exact=True).fill(PASSWORD)
        self.tab.get_by_role("button", name="Sign in").click()
        self.tab.get_by_text(f"Signed in as {USERS[who][1]}").wait_for()
        self.wait()

    def nav(self, title: str) -> None:
        """Go to a page through the sidebar menu (keeps the signed-in session)."""
        self.tab.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
        self.tab.get_by_test_id("stHeading").filter(has_text=title).first.wait_for()
        self.wait()

    def shot(self, name: str) -> Path:
        """Save a screenshot of the whole page (not only the laptop-sized fold)."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.tab.wait_for_timeout(800)  # grids and charts draw after the run ends
        main = self.tab.get_by_test_id("stMain")
        height = main.evaluate("el => el.scrollHeight")
        self.tab.set_viewport_size({"width": 1366, "height": max(768, height)})
        self.tab.screenshot(path=str(path))
        self.tab.set_viewport_size({"width": 1366, "height": 768})
        return path


@pytest.fixture
def page(browser, app_server):
    """A fresh browser tab at laptop size (1366×768) with its own cookies and session."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    yield tab
    context.close()


@pytest.fixture
def app(page, app_server) -> Driver:
    """A Driver for the running app in a fresh tab."""
    return Driver(page, app_server["base"])


def pytest_collection_modifyitems(items) -> None:
    """Mark every test in this folder `browser`."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
