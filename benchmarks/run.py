"""Benchmark: decisions per second, latency, explanation cost and memory, on a seeded mix.

    python -m benchmarks.run                      # a few minutes: 3,000 cases per engine
    python -m benchmarks.run --full               # 1,000,000 cases per engine and setting

Engines: (a) ``durable``: ``decide()`` on durable_rules (the lean driver); (b) ``naive``: the
same compiled rulesets driven through durable_rules' documented Host API; (c)
``reference``: ``decide(evaluator="reference")``. Each runs in 1 and 2 worker processes
(spawn; the rulebook loaded in each worker). Every decision is built with its reasons and
explanations rendered. Prints a table and writes JSON (``--json``).
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing as mp
import os
import platform
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ENGINES = ("durable", "naive", "reference")
OUTCOMES = ("crimes", "n100s", "incidents", "transfers", "cancellations", "victim_duties")
OUTCOMES += ("findings", "referrals")
CHUNK = 1_000  # cases generated (untimed) before each timed batch
_STATE: dict[str, Any] = {}


def _init(engine: str) -> None:
    """Worker start: load the rulebook and warm the engine up (rulesets created once)."""
    from counting_rules._engine.decide import default_rulebook

    book = default_rulebook()
    _STATE["book"] = book
    if engine == "naive":
        from benchmarks.naive_host import NaiveEvaluator

        _STATE["naive"] = {e.id: NaiveEvaluator(book, e) for e in book.editions}
    from benchmarks.casemix import case

    for i in range(50):  # warm-up: every edition's rulesets and templates
        _decide(engine, case(99, i), i)


def _decide(engine: str, case: Any, i: int) -> Any:
    from counting_rules import decide

    if engine == "durable":
        return decide(case)
    if engine == "reference":
        return decide(case, evaluator="reference")
    from counting_rules._engine.decide import edition_for, report_date
    from counting_rules._engine.decision_builder import build
    from counting_rules._engine.facts import flatten

    book = _STATE["book"]
    ed = edition_for(book, report_date(case))
    facts = flatten(case)
    trace = _STATE["naive"][ed.id].run(facts, f"s{i}")
    return build(case, book, ed, facts, trace)


def _work(args: tuple[str, int, int, int, list[int]]) -> dict[str, Any]:
    """Decide cases ``start..stop`` of the mix; time each decision; sample RSS."""
    import psutil

    from benchmarks.casemix import case

    engine, seed, start, stop, checkpoints = args
    proc = psutil.Process()
    lat: list[int] = []
    cpu = 0.0
    rss: dict[int, int] = {}
    failed = 0
    done = 0
    for lo in range(start, stop, CHUNK):
        batch = [case(seed, i) for i in range(lo, min(stop, lo + CHUNK))]
        c0 = time.process_time()
        for k, c in enumerate(batch):
            t0 = time.perf_counter_ns()
            try:
                _decide(engine, c, lo + k)
            except RuntimeError:  # naive: an action error the Host API swallowed
                failed += 1
            lat.append(time.perf_counter_ns() - t0)
        cpu += time.process_time() - c0
        done += len(batch)
        for mark in checkpoints:
            if done - len(batch) < mark <= done:
                gc.collect()
                rss[mark] = proc.memory_info().rss
    counts: Counter[str] = Counter()
    for ev in _STATE.get("naive", {}).values():
        counts.update(ev.counts)
    return {"lat": lat, "cpu": cpu, "rss": rss, "failed": failed, "host_api": counts}


def measure(engine: str, workers: int, cases: int, seed: int) -> dict[str, Any]:
    """Run ``cases`` cases split over ``workers`` processes; return the row of the table."""
    per = cases // workers
    marks = sorted({max(1, per // 10), per})
    jobs = [(engine, seed, w * per, (w + 1) * per, marks) for w in range(workers)]
    ctx = mp.get_context("spawn")
    with ctx.Pool(workers, initializer=_init, initargs=(engine,)) as pool:
        pool.map(_noop, range(workers))  # every worker has started and warmed up
        t0 = time.perf_counter()
        parts = pool.map(_work, jobs)
        wall = time.perf_counter() - t0
    lat = sorted(x for p in parts for x in p["lat"])
    busy = [sum(p["lat"]) / 1e9 for p in parts]
    rss_growth = [p["rss"][marks[-1]] / p["rss"][marks[0]] - 1 for p in parts]
    host: dict[str, int] = {}
    for p in parts:
        for k, v in p["host_api"].items():
            host[k] = host.get(k, 0) + v
    return {
        "engine": engine,
        "workers": workers,
        "cases": per * workers,
        "decisions_per_s_wall": per * workers / wall,
        "decisions_per_s_busy": sum(per / b for b in busy),
        "decisions_per_cpu_s": per * workers / sum(p["cpu"] for p in parts),
        "p50_ms": lat[len(lat) // 2] / 1e6,
        "p99_ms": lat[int(len(lat) * 0.99)] / 1e6,
        "max_ms": lat[-1] / 1e6,
        "rss_mib": max(p["rss"][marks[-1]] for p in parts) / 2**20,
        "rss_growth": max(rss_growth),
        "rss_from_to": [marks[0], marks[-1]],
        "failed": sum(p["failed"] for p in parts),
        "host_api": host,
    }


def _noop(_: int) -> None:
    return None


def explanations(n: int, seed: int) -> dict[str, float]:
    """Cost of rendering explanations: per reason and per decision outcome."""
    from benchmarks.casemix import case
    from counting_rules._engine.decide import default_rulebook, edition_for, report_date
    from counting_rules._engine.decision_builder import _Builder, build
    from counting_rules._engine.pipeline import run_case

    book = default_rulebook()
    render_ns = build_ns = reasons = outcomes = 0
    for i in range(n):
        c = case(seed + 1, i)
        ed = edition_for(book, report_date(c))
        run = run_case(book, ed, c, "reference")
        facts, trace = run.facts, run.trace
        t0 = time.perf_counter_ns()
        d = build(c, book, ed, facts, trace)
        build_ns += time.perf_counter_ns() - t0
        builder = _Builder(c, book, ed, trace)
        sure = [f for f in trace if f.variant == "sure"]
        t0 = time.perf_counter_ns()
        for f in sure:
            builder.reason(f)
        render_ns += time.perf_counter_ns() - t0
        reasons += len({(f.rule.id, id(f)) for f in sure})
        outcomes += sum(len(getattr(d, part)) for part in OUTCOMES)
    return {
        "cases": n,
        "render_us_per_reason": render_ns / max(reasons, 1) / 1e3,
        "render_us_per_outcome": render_ns / max(outcomes, 1) / 1e3,
        "build_us_per_case": build_ns / n / 1e3,
        "outcomes_per_case": outcomes / n,
    }


def table(rows: list[dict[str, Any]], expl: dict[str, float]) -> str:
    ref = {r["workers"]: r for r in rows if r["engine"] == "reference"}
    naive = {r["workers"]: r for r in rows if r["engine"] == "naive"}
    head = (
        f"{'engine':10} {'proc':>4} {'cases':>8} {'dec/s wall':>10} {'dec/CPU-s':>10} "
        f"{'p50 ms':>7} {'p99 ms':>7} {'RSS MiB':>8} {'RSS growth':>10} "
        f"{'x naive':>8} {'/ ref':>6}"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        w = r["workers"]
        vs_naive = r["decisions_per_cpu_s"] / naive[w]["decisions_per_cpu_s"] if w in naive else 0
        vs_ref = r["decisions_per_cpu_s"] / ref[w]["decisions_per_cpu_s"] if w in ref else 0
        lines.append(
            f"{r['engine']:10} {w:>4} {r['cases']:>8} {r['decisions_per_s_wall']:>10,.0f} "
            f"{r['decisions_per_cpu_s']:>10,.0f} {r['p50_ms']:>7.2f} {r['p99_ms']:>7.2f} "
            f"{r['rss_mib']:>8.1f} {r['rss_growth']:>+10.1%} {vs_naive:>8.2f} {vs_ref:>6.2f}"
        )
    lines.append(
        f"explanations: {expl['render_us_per_outcome']:.0f} us per outcome rendered "
        f"({expl['render_us_per_reason']:.0f} us per reason, "
        f"{expl['outcomes_per_case']:.1f} outcomes per case); decision building "
        f"{expl['build_us_per_case']:.0f} us per case"
    )
    for r in rows:
        if r["host_api"] or r["failed"]:
            lines.append(
                f"{r['engine']} x{r['workers']} Host API: {r['host_api']}, failed {r['failed']}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--cases", type=int, default=3_000, help="cases per engine and setting")
    p.add_argument("--full", action="store_true", help="1,000,000 cases (hours)")
    p.add_argument("--engines", default=",".join(ENGINES))
    p.add_argument("--workers", default="1,2")
    p.add_argument("--seed", type=int, default=2024)
    p.add_argument("--json", default="benchmarks/results/latest.json")
    args = p.parse_args(argv)
    n = 1_000_000 if args.full else args.cases
    rows = []
    for engine in args.engines.split(","):
        for w in map(int, args.workers.split(",")):
            print(f"running {engine} on {w} process(es), {n:,} cases ...", file=sys.stderr)
            rows.append(measure(engine, w, n, args.seed))
    expl = explanations(min(n, 2_000), args.seed)
    print(table(rows, expl))
    doc = {
        "command": " ".join(["python -m benchmarks.run", *(argv or sys.argv[1:])]),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "rows": rows,
        "explanations": expl,
    }
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=2) + "\n")
    print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
