"""Load test of the HTTP service: `counting-rules serve --workers N` on loopback, driven by a
bounded asyncio loop (httpx), on the seeded case mix.

    python -m benchmarks.service_load                       # 2 workers, 3,000 requests
    python -m benchmarks.service_load --requests 20000 --concurrency 8

Reports throughput, p50/p99 latency (wall, as a caller sees it), errors, the workers' CPU
time (decisions per worker CPU-second) and each worker's RSS sampled every second over the
run (start, end, peak), and writes JSON (``--json``). The load generator runs on the same
machine as the workers and takes its share of the cores.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import psutil

from benchmarks.casemix import case


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(workers: int, port: int, log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "counting_rules", "serve", "--port", str(port)]
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            [*command, "--workers", str(workers)], stdout=sink, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + 300
    # Every worker logs "ready" once its rulebook is loaded: wait for all of them, or the
    # first would take every connection.
    while log.read_text("utf-8").count('"event":"ready"') < workers:
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            raise SystemExit("the service did not start")
        time.sleep(0.3)
    return proc


def _workers(proc: subprocess.Popen[bytes], expected: int) -> list[psutil.Process]:
    parent = psutil.Process(proc.pid)
    for _ in range(100):
        kids = [p for p in parent.children(recursive=True) if "python" in p.name().lower()]
        # uvicorn with workers > 1 adds a supervisor's helpers; the workers hold the rulebook
        big = [p for p in kids if p.memory_info().rss > 50 * 2**20]
        if len(big) >= expected or (expected == 1 and not kids):
            return big or [parent]
        time.sleep(0.2)
    return [parent]


async def _drive(url: str, bodies: list[bytes], concurrency: int) -> dict[str, Any]:
    """Send every body, ``concurrency`` at a time, each connection kept alive."""
    latencies: list[float] = []
    errors: dict[str, int] = {}
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for b in bodies:
        queue.put_nowait(b)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:

        async def one() -> None:
            while not queue.empty():
                body = queue.get_nowait()
                t = time.perf_counter()
                try:
                    r = await client.post("/v1/decide?explain=true", content=body)
                    key = None if r.status_code == 200 else str(r.status_code)
                except httpx.HTTPError as exc:
                    key = type(exc).__name__
                latencies.append(time.perf_counter() - t)
                if key:
                    errors[key] = errors.get(key, 0) + 1

        started = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(concurrency)))
        wall = time.perf_counter() - started
    return {"latencies": latencies, "errors": errors, "wall": wall}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--requests", type=int, default=3000)
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--warm-up", type=int, default=300, help="untimed requests first")
    ap.add_argument("--json", default="benchmarks/results/service-latest.json")
    args = ap.parse_args(argv)

    bodies = [case(args.seed, i).model_dump_json().encode() for i in range(args.requests)]
    warm = [case(args.seed + 1, i).model_dump_json().encode() for i in range(args.warm_up)]
    port = _port()
    log = Path(tempfile.mkdtemp()) / "serve.log"
    proc = _start(args.workers, port, log)
    try:
        workers = _workers(proc, args.workers)
        # every worker compiles each edition's rulesets on first use: not what is measured
        asyncio.run(_drive(f"http://127.0.0.1:{port}", warm, args.concurrency))
        before = {w.pid: sum(w.cpu_times()[:2]) for w in workers}
        rss: dict[int, list[int]] = {w.pid: [w.memory_info().rss] for w in workers}
        done = False

        async def sample() -> None:
            while not done:
                await asyncio.sleep(1)
                for w in workers:
                    rss[w.pid].append(w.memory_info().rss)

        async def run() -> dict[str, Any]:
            nonlocal done
            sampler = asyncio.create_task(sample())
            out = await _drive(f"http://127.0.0.1:{port}", bodies, args.concurrency)
            done = True
            await sampler
            return out

        result = asyncio.run(run())
        served = {w.pid: sum(w.cpu_times()[:2]) - before[w.pid] for w in workers}
        cpu = sum(served.values())
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    log_text = log.read_text("utf-8")

    lat = sorted(result["latencies"])
    n = len(lat)
    mib = 2**20
    doc = {
        "command": "python -m benchmarks.service_load " + " ".join(argv or sys.argv[1:]),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "workers": args.workers,
        "concurrency": args.concurrency,
        "requests": n,
        "errors": result["errors"],
        "wall_seconds": round(result["wall"], 2),
        "requests_per_second": round(n / result["wall"], 1),
        "worker_cpu_seconds": round(cpu, 2),
        "decisions_per_worker_cpu_second": round(n / cpu, 1) if cpu else None,
        "p50_ms": round(lat[n // 2] * 1000, 2),
        "p99_ms": round(lat[min(n - 1, int(n * 0.99))] * 1000, 2),
        "mean_ms": round(statistics.fmean(lat) * 1000, 2),
        "worker_cpu_seconds_each": [round(c, 2) for c in served.values()],
        "worker_rss_mib": [
            {
                "start": round(v[0] / mib, 1),
                "quarter": round(v[len(v) // 4] / mib, 1),
                "half": round(v[len(v) // 2] / mib, 1),
                "end": round(v[-1] / mib, 1),
                "peak": round(max(v) / mib, 1),
                "samples": len(v),
            }
            for v in rss.values()
        ],
    }
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(doc, indent=2) + "\n")
    print(
        f"{args.workers} workers, concurrency {args.concurrency}: {n} requests in "
        f"{doc['wall_seconds']} s = {doc['requests_per_second']}/s; p50 {doc['p50_ms']} ms, "
        f"p99 {doc['p99_ms']} ms; errors {sum(result['errors'].values())}; "
        f"{doc['decisions_per_worker_cpu_second']} decisions per worker CPU-second"
    )
    for pid_rss in doc["worker_rss_mib"]:
        print(f"  worker RSS MiB: {pid_rss}")
    print(f"  worker CPU seconds each: {doc['worker_cpu_seconds_each']}")
    if '"event":"crash"' in log_text:
        print("  the service logged a crash")
        return 1
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
