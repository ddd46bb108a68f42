"""Benchmark: resident memory of the app (`streamlit run`) with the 1M-message database.

    python tests/bench/bench_memory.py --url sqlite:////tmp/fl1m.db [--runs 5]

Starts the app on a free port, then for each run signs in as a benchmark executive in a fresh
Chromium (Playwright), opens the Morning review and Insights pages (period 30 and 90 days) and
reads the server's resident memory (VmRSS, plus any child processes) from /proc. Prints the
median and the peak; target < 300 MB. The benchmark executive is created in the benchmark
database with a random password (gen_db creates none). Noisy on a shared machine.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EMAIL = "bench.exec@bench.example"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    """Return the resident memory of pid and its children, in MB."""
    total = 0
    pids = [pid] + [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    for p in pids:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def bench_user(url: str) -> str:
    """Create (or reset) the benchmark executive; return its one-off password."""
    from sqlmodel import Session, select

    from db.auth import hash_password
    from db.engine import make_engine
    from db.models import Role, User, utcnow
    from db.users import create_user

    password = secrets.token_urlsafe(16)
    with Session(make_engine(url)) as s:
        user = s.exec(select(User).where(User.email == EMAIL)).first()
        if user is None:
            create_user(s, email=EMAIL, name="Bench Exec", role=Role.EXECUTIVE, password=password,
                        now=utcnow())  # fmt: skip
        else:
            user.password_hash = hash_password(password)
            s.add(user)
            s.commit()
    return password


def start_app(url: str, port: int) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url}
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
           "--server.port", str(port), "--server.headless", "true",
           "--browser.gatherUsageStats", "false"]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
            return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("the app did not start")


IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def visit(base: str, password: str) -> None:
    """Sign in and open the review and insights pages (30 and 90 days) in a fresh browser."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.set_default_timeout(120_000)

        def settle() -> None:
            page.wait_for_timeout(300)
            page.locator(IDLE).wait_for()

        page.goto(base)
        page.get_by_test_id("stAppViewContainer").wait_for()
        settle()
        page.get_by_label("Email").fill(EMAIL)
        page.get_by_label("Password", exact=True).fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_text("Signed in as").wait_for()
        settle()
        for title in ("Morning review", "Insights"):
            page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
            settle()
        page.get_by_text("90 days", exact=True).click()
        settle()
        browser.close()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", required=True)
    p.add_argument("--runs", type=int, default=5)
    a = p.parse_args()
    password = bench_user(a.url)
    port = free_port()
    proc = start_app(a.url, port)
    try:
        idle = rss_mb(proc.pid)
        samples = []
        for _ in range(a.runs):
            visit(f"http://127.0.0.1:{port}", password)
            samples.append(rss_mb(proc.pid))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print(
        f"app RSS idle {idle:.0f} MB; after each visit: " + ", ".join(f"{m:.0f}" for m in samples)
    )
    print(
        f"median {statistics.median(samples):.0f} MB, peak {max(samples):.0f} MB; target < 300 MB"
    )


if __name__ == "__main__":
    main()
