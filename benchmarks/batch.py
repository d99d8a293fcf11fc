"""Benchmark the batch evaluator (the rules as SQL on DuckDB) on the seeded case mix.

    python -m benchmarks.batch                    # 20,000 cases, about two minutes
    python -m benchmarks.batch --cases 5000 --batch 1000

Times, in this one process, CPU (``time.process_time``) and wall: (1) traces: the batch
evaluator's firings for every case, no decision built, split into the time DuckDB spends
running the queries and the rest (the shared Python action building each firing and its
facts); (2) full decisions: ``decide_many(cases, evaluator="batch")``, every reason with its
explanation rendered, split into the traces and the decision builder. The reference
evaluator's traces on the first cases are timed for comparison. Generating the cases is not
timed. Prints a table and writes JSON (``--json``).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.casemix import case as mixed_case
from counting_rules import CaseFacts, decide_many
from counting_rules._engine.batch.run import BatchEvaluator
from counting_rules._engine.decide import default_rulebook, edition_for, report_date
from counting_rules._engine.pipeline import evaluator, run_cases
from counting_rules._rulebook.ir import Edition, Rulebook

MAX_CASES = 20_000


class _Clock:
    """CPU and wall seconds of what runs inside ``with``."""

    def __enter__(self) -> _Clock:
        self.cpu, self.wall = time.process_time(), time.perf_counter()
        return self

    def __exit__(self, *_: object) -> None:
        self.cpu = time.process_time() - self.cpu
        self.wall = time.perf_counter() - self.wall


class _TimedCursor:
    """A DuckDB connection that adds the CPU time of every query to ``spent``."""

    def __init__(self, con: Any, spent: list[float]) -> None:
        self._con, self._spent = con, spent

    def execute(self, sql: str) -> Any:
        start = time.process_time()
        result = self._con.execute(sql)
        rows = result.fetchall() if sql.startswith("SELECT") else None
        self._spent[0] += time.process_time() - start
        return _Rows(rows) if rows is not None else result

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)


class _Rows:
    def __init__(self, rows: list[Any]) -> None:
        self._rows = rows

    def fetchall(self) -> list[Any]:
        return self._rows


class _TimedDb:
    def __init__(self, db: Any, spent: list[float]) -> None:
        self._db, self._spent = db, spent

    def cursor(self) -> _TimedCursor:
        return _TimedCursor(self._db.cursor(), self._spent)


def _by_edition(book: Rulebook, cases: Sequence[CaseFacts]) -> dict[str, list[CaseFacts]]:
    out: dict[str, list[CaseFacts]] = {}
    for c in cases:
        out.setdefault(edition_for(book, report_date(c)).id, []).append(c)
    return out


def _chunks(items: list[CaseFacts], size: int) -> list[list[CaseFacts]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _each(
    book: Rulebook, groups: dict[str, list[CaseFacts]], size: int, fn: Callable[..., Any]
) -> None:
    for edition_id, cases in groups.items():
        edition = book.edition(edition_id)
        for chunk in _chunks(cases, size):
            fn(edition, chunk)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.batch", description=__doc__)
    ap.add_argument("--cases", type=int, default=MAX_CASES, help="cases (at most 20,000)")
    ap.add_argument("--batch", type=int, default=5_000, help="cases per batch run")
    ap.add_argument("--reference", type=int, default=2_000, help="cases for the reference")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", default="benchmarks/results/batch-latest.json")
    args = ap.parse_args(argv)
    n = min(args.cases, MAX_CASES)
    book = default_rulebook()
    cases = [mixed_case(args.seed, i) for i in range(n)]
    groups = _by_edition(book, cases)
    spent = [0.0]
    for edition_id, group in groups.items():  # compile every edition and warm DuckDB up
        ev = evaluator(book, book.edition(edition_id), "batch")
        assert isinstance(ev, BatchEvaluator)
        ev.run_many([[]])
        ev._db = _TimedDb(ev._db, spent)  # type: ignore[assignment]
        run_cases(book, book.edition(edition_id), group[:20], "batch")
    firings = [0]

    def traces(edition: Edition, chunk: list[CaseFacts]) -> None:
        firings[0] += sum(len(r.trace) for r in run_cases(book, edition, chunk, "batch"))

    spent[0] = 0.0
    with _Clock() as t:
        _each(book, groups, args.batch, traces)
    sql_cpu = spent[0]

    spent[0] = 0.0
    with _Clock() as d:
        for chunk in _chunks(cases, args.batch):
            decide_many(chunk, evaluator="batch", rulebook=book)
    build_cpu = max(d.cpu - t.cpu, 0.0)

    ref_cases = cases[: min(args.reference, n)]
    with _Clock() as r:
        _each(
            book,
            _by_edition(book, ref_cases),
            args.batch,
            lambda e, c: run_cases(book, e, c, "reference"),
        )

    rows = [
        ("batch traces", n, t, f"{sql_cpu / t.cpu:.0%} in DuckDB queries"),
        ("batch decisions", n, d, f"{build_cpu / d.cpu:.0%} building decisions"),
        ("reference traces", len(ref_cases), r, ""),
    ]
    print(
        f"{n:,} cases of the mix (seed {args.seed}), {args.batch:,} per batch run; "
        f"{firings[0] / n:.1f} firings per case"
    )
    print("| run | cases | per CPU-second | per second (wall) | CPU s | wall s | note |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    out: dict[str, Any] = {
        "command": " ".join(["python -m benchmarks.batch", *(argv or sys.argv[1:])]),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cases": n,
        "batch": args.batch,
        "firings_per_case": firings[0] / n,
        "rows": [],
    }
    for name, count, clock, note in rows:
        print(
            f"| {name} | {count:,} | {count / clock.cpu:,.0f} | {count / clock.wall:,.0f} | "
            f"{clock.cpu:.2f} | {clock.wall:.2f} | {note} |"
        )
        out["rows"].append(
            {"run": name, "cases": count, "cpu_s": clock.cpu, "wall_s": clock.wall, "note": note}
        )
    out["sql_cpu_s"] = sql_cpu
    out["decision_builder_cpu_s"] = build_cpu
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
