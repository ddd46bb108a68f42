"""Benchmark: full script runs (AppTest) of the Insights and Morning review pages.

    python tests/bench/bench_pages.py --url sqlite:////tmp/fl1m.db [--runs 5]

Signs in the first executive by session state (as the sign-in form does), then times each page's
full script run, median of N: "warm" reruns with the data cache filled, "cold" clears
`st.cache_data` first (the engine stays cached — it is built once per process). Targets:
Insights ≤ 500 ms, Morning review ≤ 150 ms. Run by hand; wall figures are noisy on a shared
machine, so the CPU time of this process (`time.process_time`) is printed beside them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import sqlalchemy as sa

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"
PAGES = {
    "Insights": ("app_pages/insights.py", 500, None),
    "Insights 90 d": ("app_pages/insights.py", 500, ("insights_period", "90 days")),
    "Morning review": ("app_pages/review.py", 150, None),
}


def executive_id(url: str) -> int:
    """Return the id of the first active executive in the database."""
    from db.engine import make_engine

    engine = make_engine(url)
    with engine.connect() as conn:
        found = conn.execute(
            sa.text("SELECT min(id) FROM \"user\" WHERE role = 'executive' AND is_active")
        ).scalar()
    engine.dispose()
    if found is None:
        raise SystemExit("no executive in this database (build it with tests/bench/gen_db.py)")
    return int(found)


def time_page(
    page: str, user_id: int, *, runs: int, cold: bool, pick: tuple[str, str] | None = None
) -> list[tuple[float, float]]:
    """Return the (wall, CPU) times in ms of `runs` full script runs of `page`.

    `pick` is a (segmented control key, option) set before timing, e.g. a longer period.
    """
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["auth_user_id"] = user_id
    at.run()
    at.switch_page(page).run()  # first visit: fills caches, builds the engine
    if pick:
        at.segmented_control(key=pick[0]).set_value(pick[1]).run()
    if at.exception:
        raise SystemExit(f"{page} failed: {at.exception}")
    times = []
    for _ in range(runs):
        if cold:
            st.cache_data.clear()
        t0, c0 = time.perf_counter(), time.process_time()
        at.run()
        times.append(((time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000))
        if at.exception:
            raise SystemExit(f"{page} failed: {at.exception}")
    return times


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", required=True)
    p.add_argument("--runs", type=int, default=5)
    a = p.parse_args()
    os.environ["DATABASE_URL"] = a.url
    uid = executive_id(a.url)
    print(f"uptime load average: {os.getloadavg()[0]:.2f}")
    head = f"{'page':<16} {'cache':<5} {'median ms':>10} {'min':>8} {'max':>8} {'cpu ms':>8}"
    print(head + "  target")
    for name, (page, target, pick) in PAGES.items():
        for cold in (False, True):
            times = time_page(page, uid, runs=a.runs, cold=cold, pick=pick)
            ms, cpu = [w for w, _ in times], statistics.median(c for _, c in times)
            verdict = "ok" if statistics.median(ms) <= target else "SLOW"
            print(
                f"{name:<16} {'cold' if cold else 'warm':<5} {statistics.median(ms):>10.0f}"
                f" {min(ms):>8.0f} {max(ms):>8.0f} {cpu:>8.0f}  ≤{target} {verdict}"
            )


if __name__ == "__main__":
    main()
