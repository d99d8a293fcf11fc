"""Many cases in one process: no cross-case contamination, memory flat; threads agree.

20,000 cases in CI; the full 100,000 by hand:

    COUNTING_RULES_ISOLATION_CASES=100000 pytest tests/properties/test_isolation.py
"""

from __future__ import annotations

import gc
import os
import threading
from functools import cache

import psutil
import pytest

from counting_rules import CaseFacts, _seeded
from counting_rules._engine.decide import default_rulebook, edition_for, report_date
from counting_rules._engine.pipeline import evaluator, run_case

N_DISTINCT = 1_000
N_CASES = int(os.environ.get("COUNTING_RULES_ISOLATION_CASES", "20000"))
FIRST = N_CASES // 10  # memory is compared from here to the end


@cache
def _pool() -> tuple[CaseFacts, ...]:
    """Small seeded cases, among them two ids that share durable_rules' session
    hash (durable-rules-notes B4): drawn once for both tests."""
    shape = _seeded.Shape(
        case_ids=("case-478212", "case-1221200", "case-7"), max_victims=2, max_allegations=2
    )
    return tuple(_seeded.cases(N_DISTINCT, 20261203, shape))


@pytest.mark.slow
def test_many_cases_no_contamination_and_flat_memory() -> None:
    book = default_rulebook()
    pool = _pool()
    prepared = []
    for case in pool:
        ed = edition_for(book, report_date(case))
        run = run_case(book, ed, case, "reference")
        expected = sorted(f.key() for f in run.trace)
        prepared.append((evaluator(book, ed, "durable"), run.facts, expected))
    proc = psutil.Process()
    rss: dict[int, float] = {}
    for i in range(N_CASES):
        durable, facts, expected = prepared[i % len(prepared)]
        got = sorted(f.key() for f in durable.run(facts))
        assert got == expected, f"case {i} differs from its own reference decision"
        if i + 1 in (FIRST, N_CASES):
            gc.collect()
            rss[i + 1] = proc.memory_info().rss
    growth = rss[N_CASES] / rss[FIRST] - 1
    assert growth < 0.05, f"RSS grew {growth:.1%} from {FIRST:,} to {N_CASES:,} cases"


def test_two_threads_give_the_same_answers_as_one() -> None:
    book = default_rulebook()
    pool = _pool()[:300]

    def run_all(out: dict[int, list[tuple[str, str, str]]], start: int) -> None:
        for i in range(start, len(pool), 2):
            case = pool[i]
            ed = edition_for(book, report_date(case))
            out[i] = sorted(f.key() for f in run_case(book, ed, case, "durable").trace)

    single: dict[int, list[tuple[str, str, str]]] = {}
    run_all(single, 0)
    run_all(single, 1)
    threaded: dict[int, list[tuple[str, str, str]]] = {}
    threads = [threading.Thread(target=run_all, args=(threaded, k)) for k in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert threaded == single
