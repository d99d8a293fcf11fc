"""CLI start-up: the CPU and wall time of one ``counting-rules decide`` on the bundled example,
with the compiled-rulebook cache warm, and with it off (every run builds the rulebook).

    python -m benchmarks.startup [--runs 7] [--json PATH]

Each run is a fresh process (``python -m counting_rules decide ...``); CPU is the child's user
plus system time from ``getrusage``, so a busy machine inflates wall time more than CPU.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).parents[1]
CASE = ROOT / "examples" / "cases" / "punched_outside_pub.yaml"


def _one(env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "counting_rules", "decide", str(CASE)],
        check=True,
        stdout=subprocess.DEVNULL,
        env=env,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def _summary(samples: list[tuple[float, float]]) -> dict[str, float]:
    cpu = [c for c, _ in samples]
    wall = [w for _, w in samples]
    return {
        "cpu_min": min(cpu),
        "cpu_median": statistics.median(cpu),
        "cpu_max": max(cpu),
        "wall_min": min(wall),
        "wall_median": statistics.median(wall),
        "wall_max": max(wall),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as cache:
        warm_env = {**os.environ, "COUNTING_RULES_CACHE_DIR": cache}
        warm_env.pop("COUNTING_RULES_CACHE", None)
        first = _one(warm_env)  # builds and writes the cache
        warm = [_one(warm_env) for _ in range(args.runs)]
    cold_env = {**os.environ, "COUNTING_RULES_CACHE": "off"}
    cold = [_one(cold_env) for _ in range(max(1, args.runs // 2))]
    rows = {"cache off": _summary(cold), "first run (writes cache)": _summary([first])}
    rows["cache warm"] = _summary(warm)
    print(f"counting-rules decide {CASE.relative_to(ROOT)}: seconds per run")
    print(f"{'':26} {'CPU min':>8} {'median':>8} {'max':>8} {'wall min':>9} {'median':>8}")
    for name, r in rows.items():
        print(
            f"{name:26} {r['cpu_min']:8.2f} {r['cpu_median']:8.2f} {r['cpu_max']:8.2f} "
            f"{r['wall_min']:9.2f} {r['wall_median']:8.2f}"
        )
    ratio = rows["cache off"]["cpu_median"] / rows["cache warm"]["cpu_median"]
    print(f"warm cache: {ratio:.1f}x less CPU than building the rulebook")
    if args.json:
        doc = {"command": " ".join(["python -m benchmarks.startup", *(argv or sys.argv[1:])])}
        doc |= {"runs": args.runs, "results": rows}
        args.json.write_text(json.dumps(doc, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
