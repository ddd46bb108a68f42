"""Benchmark: `feedbackloop feed --json` wall time as a subprocess, process start included.

    python tests/bench/bench_feed_cli.py --url sqlite:////tmp/fl1m.db [--runs 5] [--date D]

Prints the median of N runs against the 1M-message database (target ≤ 1 s), and splits it into
interpreter start, import time of the modules the command loads, and the feed query itself, so
a slow run says where the time goes. Run by hand; figures are noisy on a shared machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

QUERY = """
import time
from datetime import UTC, datetime, date
t0 = time.perf_counter()
from db.engine import make_engine
from db.queries import morning_feed
from sqlmodel import Session
t1 = time.perf_counter()
engine = make_engine()
with Session(engine) as s:
    cards = morning_feed(s, day={day}, limit=20, now=datetime.now(UTC))
t2 = time.perf_counter()
print(f"{{(t1 - t0) * 1000:.0f}} {{(t2 - t1) * 1000:.0f}} {{len(cards)}}")
"""


def wall(cmd: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess]:
    """Run cmd; return (milliseconds, result)."""
    t0 = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    return (time.perf_counter() - t0) * 1000, done


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", required=True)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--date", default=None, help="YYYY-MM-DD (default: today)")
    a = p.parse_args()
    env = {**os.environ, "DATABASE_URL": a.url}
    # the console script next to this interpreter, not a version-manager shim (pyenv's bash
    # shim alone adds a few hundred milliseconds)
    local = Path(sys.executable).with_name("feedbackloop")
    exe = str(local) if local.exists() else shutil.which("feedbackloop")
    if not exe:
        sys.exit("feedbackloop is not installed (pip install -e .)")
    cmd = [exe, "feed", "--json"] + (["--date", a.date] if a.date else [])
    runs = []
    for _ in range(a.runs):
        ms, done = wall(cmd, env)
        if done.returncode:
            sys.exit(f"feed failed ({done.returncode}): {done.stderr.strip()[:500]}")
        runs.append(ms)
    bare = statistics.median(wall([sys.executable, "-c", "pass"], env)[0] for _ in range(a.runs))
    day = f"date.fromisoformat({a.date!r})" if a.date else "None"
    parts = [wall([sys.executable, "-c", QUERY.format(day=day)], env)[1] for _ in range(a.runs)]
    imp, query, n = zip(*(map(float, r.stdout.split()) for r in parts), strict=True)
    med = statistics.median(runs)
    print(
        f"feedbackloop feed --json: median {med:.0f} ms (min {min(runs):.0f}, max {max(runs):.0f})"
    )
    print(f"  over {a.runs} runs; target ≤ 1000 ms")
    print(f"  interpreter start      {bare:6.0f} ms")
    print(f"  imports (engine+feed)  {statistics.median(imp):6.0f} ms")
    print(f"  feed query             {statistics.median(query):6.0f} ms ({int(n[0])} cards)")
    print("  (CLI also imports typer/rich and checks the schema; see python -X importtime)")


if __name__ == "__main__":
    main()
