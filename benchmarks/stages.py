"""Where one decide() spends its CPU, stage by stage, on the seeded case mix, in one process.

    python -m benchmarks.stages [--cases 1000]

For each case: flattening; the trace from durable_rules and from the reference evaluator
(the same facts); building the decision with every explanation rendered, and without
(``explain=False``). CPU time (``time.process_time``), so the figures move less than wall
time on a shared machine; every stage runs in the same loop, so their ratios are from one run.
Each edition is warmed up on 50 cases first (rulesets built, templates compiled).
"""

from __future__ import annotations

import argparse
import time

from benchmarks.casemix import case as mixed_case
from counting_rules._engine.decide import default_rulebook, edition_for, report_date
from counting_rules._engine.decision_builder import build
from counting_rules._engine.facts import flatten
from counting_rules._engine.pipeline import evaluator

STAGES = ("flatten", "durable trace", "reference trace", "build, explained", "build, no text")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--cases", type=int, default=1000)
    p.add_argument("--seed", type=int, default=7)
    args = p.parse_args(argv)
    book = default_rulebook()
    cases = [mixed_case(args.seed, i) for i in range(args.cases)]
    for c in cases[:50]:
        ed = edition_for(book, report_date(c))
        for name in ("durable", "reference"):
            evaluator(book, ed, name).run(tuple(flatten(c)))
    spent = dict.fromkeys(STAGES, 0.0)
    for c in cases:
        ed = edition_for(book, report_date(c))
        t0 = time.process_time()
        facts = tuple(flatten(c))
        t1 = time.process_time()
        trace = evaluator(book, ed, "durable").run(facts)
        t2 = time.process_time()
        evaluator(book, ed, "reference").run(facts)
        t3 = time.process_time()
        build(c, book, ed, facts, trace, explain=True)
        t4 = time.process_time()
        build(c, book, ed, facts, trace, explain=False)
        t5 = time.process_time()
        for stage, dt in zip(STAGES, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4), strict=True):
            spent[stage] += dt
    n = len(cases)
    print(f"{n} cases (seed {args.seed}); CPU ms per case")
    for stage, total in spent.items():
        print(f"  {stage:18s} {1000 * total / n:7.2f}")
    per = spent["flatten"] + spent["durable trace"] + spent["build, explained"]
    print(f"  decide() on durable, explained: {1000 * per / n:.2f} ms = {n / per:.0f} per CPU-s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
