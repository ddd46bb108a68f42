"""Benchmark: peak resident memory and wall time of `feedbackloop import` for an N-message backup.

    python tests/bench/bench_restore.py [--messages 100000] [--runs 3]

Builds a source database with gen_db.py (N messages, N/10 items, their events and forwards),
exports it once, then for each run restores it into a fresh SQLite database in a child process
and reads that child's peak RSS from `wait4` (the parent's own memory is not counted). The
floor, `feedbackloop init` in a child of its own (interpreter, imports, schema), is printed
beside it: restore memory should stay near it whatever N is. Noisy on a shared machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CLI = "from db.cli import main\nmain()\n"


def peak_run(args: list[str], url: str) -> tuple[float, float]:
    """Run `feedbackloop ARGS` on url in a child; return (peak RSS in MB, wall seconds)."""
    env = {**os.environ, "DATABASE_URL": url}
    t0 = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", CLI, *args], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    stderr = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)  # this child's own rusage, not all children's
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"feedbackloop {' '.join(args)} failed: {stderr.decode()}")
    return usage.ru_maxrss / 1024, time.perf_counter() - t0


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--messages", type=int, default=100_000)
    p.add_argument("--runs", type=int, default=3)
    a = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-restore-") as tmp:
        source, backup = f"sqlite:///{tmp}/source.db", Path(tmp) / "backup.json"
        items = str(max(a.messages // 10, 10))
        gen = [sys.executable, str(HERE / "gen_db.py"), "--url", source,
               "--messages", str(a.messages), "--items", items]  # fmt: skip
        subprocess.run(gen, check=True, stdout=subprocess.DEVNULL)
        peak_run(["export", str(backup)], source)
        size = backup.stat().st_size / 2**20
        floors, peaks, walls = [], [], []
        for run in range(a.runs):
            target = f"sqlite:///{tmp}/restored{run}.db"
            floors.append(peak_run(["init"], target)[0])
            peak, wall = peak_run(["import", str(backup)], target)
            peaks.append(peak)
            walls.append(wall)
    print(f"restore of {a.messages:,} messages ({size:.0f} MB backup), {a.runs} runs:")
    print("  peak RSS MB: " + ", ".join(f"{m:.0f}" for m in peaks))
    print(f"  median peak RSS {statistics.median(peaks):.0f} MB "
          f"(init alone {statistics.median(floors):.0f} MB), "
          f"median wall {statistics.median(walls):.1f} s")  # fmt: skip


if __name__ == "__main__":
    main()
