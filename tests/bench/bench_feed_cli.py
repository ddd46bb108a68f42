"""Benchmark: `feedbackloop feed --json` wall time as a subprocess, process start included.

    python tests/bench/bench_feed_cli.py --url sqlite:////tmp/fl1m.db [--runs 5] [--date D]

Prints the median of N runs against the 1M-message database (target ≤ 1 s), wall and CPU time
(CPU is the companion figure that other work on a shared machine does not inflate), and splits
it into interpreter start, the imports of the command's path (as `-X importtime` reports them
for the real command, by top-level package) and the work itself (schema check, feed query,
JSON). It also lists the heavy packages the path must not load. Run by hand; unset
PYTHONDONTWRITEBYTECODE first (real installs have .pyc files).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

WORK = """
import json, time
from datetime import UTC, datetime, date
from db.engine import make_engine
from db.queries import morning_feed
from db.schema import ensure_current
engine = make_engine()  # imports the dialect and driver: counted with the imports
t0 = time.perf_counter()
ensure_current(engine, create=False)
with engine.connect() as conn:
    cards = morning_feed(conn, day={day}, limit=20, now=datetime.now(UTC))
json.dumps([c.message_ids for c in cards])
print(f"{{(time.perf_counter() - t0) * 1000:.0f}} {{len(cards)}}")
"""
HEAVY = ("typer", "click", "rich", "sqlmodel", "pydantic", "db.models", "alembic", "pandas")


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """Run cmd; return (wall ms, CPU ms of the child, result)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    wall = (time.perf_counter() - t0) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    return wall, cpu, done


def import_split(cmd: list[str], env: dict[str, str]) -> tuple[Counter, set[str]]:
    """Return import ms by top-level package, and all module names, for one run of cmd."""
    done = subprocess.run(cmd, env={**env, "PYTHONPROFILEIMPORTTIME": "1"}, capture_output=True,
                          text=True, check=True)  # fmt: skip
    by_root: Counter = Counter()
    names = set()
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "[us]" in line:
            continue
        _, cumulative, name = line.split("|")
        names.add(name.strip())
        if not name.startswith("  "):  # a top-level import: its cumulative time counts once
            by_root[name.strip().split(".")[0]] += int(cumulative) / 1000
    return by_root, names


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", required=True)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--date", default=None, help="YYYY-MM-DD (default: today)")
    a = p.parse_args()
    env = {**os.environ, "DATABASE_URL": a.url}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    # the console script next to this interpreter, not a version-manager shim (pyenv's bash
    # shim alone adds a few hundred milliseconds)
    local = Path(sys.executable).with_name("feedbackloop")
    exe = str(local) if local.exists() else shutil.which("feedbackloop")
    if not exe:
        sys.exit("feedbackloop is not installed (pip install -e .)")
    args = ["feed", "--json"] + (["--date", a.date] if a.date else [])
    walls, cpus = [], []
    for _ in range(a.runs):
        wall, cpu, done = timed([exe, *args], env)
        if done.returncode:
            sys.exit(f"feed failed ({done.returncode}): {done.stderr.strip()[:500]}")
        walls.append(wall)
        cpus.append(cpu)
    bare = [timed([sys.executable, "-c", "pass"], env)[:2] for _ in range(a.runs)]
    day = f"date.fromisoformat({a.date!r})" if a.date else "None"
    work = [timed([sys.executable, "-c", WORK.format(day=day)], env)[2] for _ in range(a.runs)]
    work_ms, n = zip(*(map(float, r.stdout.split()) for r in work), strict=True)
    splits = [import_split([sys.executable, exe, *args], env) for _ in range(a.runs)]
    roots = {k for s, _ in splits for k in s}
    imports = {k: statistics.median(s.get(k, 0.0) for s, _ in splits) for k in roots}
    loaded = sorted(h for h in HEAVY if any(h in names for _, names in splits))

    med = statistics.median(walls)
    print(f"feedbackloop feed --json: median {med:.0f} ms wall (min {min(walls):.0f}, max "
          f"{max(walls):.0f}), {statistics.median(cpus):.0f} ms CPU")  # fmt: skip
    print(f"  over {a.runs} runs; target ≤ 1000 ms; load average {os.getloadavg()[0]:.2f}")
    print(f"  interpreter start         {statistics.median(b[0] for b in bare):6.0f} ms wall"
          f" {statistics.median(b[1] for b in bare):6.0f} ms CPU")  # fmt: skip
    start = statistics.median(b[0] for b in bare)
    rest = med - start - statistics.median(work_ms)
    print(f"  imports (wall - rest)     {rest:6.0f} ms; -X importtime, inflated by its own"
          f" overhead, splits them {sum(imports.values()):.0f} ms:")  # fmt: skip
    for name, ms in sorted(imports.items(), key=lambda kv: -kv[1])[:5]:
        print(f"    {name:26} {ms:6.0f} ms")
    print(f"  connect+schema+query+JSON {statistics.median(work_ms):6.0f} ms ({int(n[0])} cards)")
    print(f"  heavy packages loaded: {', '.join(loaded) or 'none'} (of {', '.join(HEAVY)})")


if __name__ == "__main__":
    main()
