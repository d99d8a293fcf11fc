"""The audit at scale: time, CPU, memory and worker scaling of ``counting-rules audit run`` on
the seeded synthetic force (issue 13).

    python -m benchmarks.audit_scale --records 20000 --workers 1 2 [--evaluator reference]
    python -m benchmarks.audit_scale --records 1000000 --workers 2     # about an hour here

Each run is the real command in a fresh process. The records (and their plan) are generated
once per size and seed into ``--data`` (default ``benchmarks/results/data``, not committed)
and reused. While the audit runs, the resident memory of its whole process tree (the parent
and every worker) is sampled every second; the run is checked against the plan: every row
read and decided, none rejected, and the findings by kind and by crime group exactly the
ones planted. CPU is the children's user plus system time from ``getrusage``.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

from benchmarks.synthetic_force import write

ROOT = Path(__file__).parents[1]


def _records(data: Path, n: int, seed: int) -> tuple[Path, dict[str, Any]]:
    data.mkdir(parents=True, exist_ok=True)
    path, plan = data / f"force-{n}-{seed}.jsonl", data / f"force-{n}-{seed}.plan.json"
    if not (path.exists() and plan.exists()):
        write(path, plan, n, seed, 0.3)
    return path, json.loads(plan.read_text())["totals"]


def _tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in (proc, *proc.children(recursive=True)):
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total


def _check(summary: dict[str, Any], totals: dict[str, Any]) -> list[str]:
    """What differs between the audit's summary and the generator's plan (empty: nothing)."""
    acc, problems = summary["accounting"], []
    if acc["rows_read"] != totals["records"] or acc["records_decided"] != totals["records"]:
        problems.append(f"accounting {acc} for {totals['records']} records")
    if acc["records_rejected"]:
        problems.append(f"{acc['records_rejected']} records rejected")
    found = summary["summary"]["findings"]
    if found != totals["findings"]:
        problems.append(f"findings {found} != planned {totals['findings']}")
    by_group = {g: sum(k.values()) for g, k in summary["summary"]["findings_by_group"].items()}
    if {g: n for g, n in by_group.items() if n} != totals["findings_by_group"]:
        problems.append(f"findings by group {by_group} != {totals['findings_by_group']}")
    return problems


def run(path: Path, totals: dict[str, Any], workers: int, evaluator: str) -> dict[str, Any]:
    out = Path(tempfile.mkdtemp(prefix="audit-scale-"))
    cmd = [
        sys.executable, "-m", "counting_rules", "audit", "run", str(path), "--out", str(out / "a"),
        "--workers", str(workers), "--evaluator", evaluator,
    ]  # fmt: skip
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    watch = psutil.Process(proc.pid)
    curve: list[tuple[float, float]] = []  # (seconds, MiB) for the whole tree
    while proc.poll() is None:
        try:
            curve.append((time.perf_counter() - start, _tree_rss(watch) / 2**20))
        except psutil.NoSuchProcess:
            break
        time.sleep(1.0)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"audit exited {proc.returncode}: {' '.join(cmd)}")
    summary = json.loads((out / "a" / "summary.json").read_text())
    shutil.rmtree(out)
    n = totals["records"]
    peak = max((m for _, m in curve), default=0.0)
    # Memory over the run: the tree's RSS at each tenth of the elapsed time.
    tenths = [
        round(next((m for t, m in curve if t >= wall * k / 10), peak), 1) for k in range(1, 11)
    ]
    return {
        "records": n,
        "workers": workers,
        "evaluator": evaluator,
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "records_per_s": round(n / wall, 1),
        "records_per_cpu_s": round(n / cpu, 1),
        "peak_rss_mib": round(peak, 1),
        "rss_mib_by_tenth": tenths,
        "problems": _check(summary, totals),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", type=int, nargs="+", default=[20_000])
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--evaluator", default="reference", choices=["reference", "durable", "batch"])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--data", type=Path, default=ROOT / "benchmarks" / "results" / "data")
    ap.add_argument("--json", type=Path, help="append each result to this JSON Lines file")
    args = ap.parse_args(argv)
    bad = 0
    for n in args.records:
        path, totals = _records(args.data, n, args.seed)
        for w in args.workers:
            r = run(path, totals, w, args.evaluator)
            bad += bool(r["problems"])
            print(json.dumps(r), flush=True)
            if args.json:
                with args.json.open("a", encoding="utf-8") as f:
                    command = " ".join(["python -m benchmarks.audit_scale", *sys.argv[1:]])
                    f.write(json.dumps({"command": command, **r}) + "\n")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
