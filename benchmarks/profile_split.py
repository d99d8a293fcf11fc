"""Where a decision's time goes: cProfile over the benchmark mix, own time by component.

python -m benchmarks.profile_split [--cases 1000] [--evaluator durable|reference|naive]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
from collections import Counter

# (component, test on "file:function") in order; the first match wins.
COMPONENTS = (
    ("durable_rules C core", lambda f: "durable_rules_engine" in f),
    ("durable engine.py (Host API)", lambda f: "/durable/engine.py" in f),
    ("JSON encode/decode", lambda f: "/json/" in f or "c_make_encoder" in f or "scanner" in f),
    ("lean driver (durable.run)", lambda f: "/_engine/durable/run.py" in f),
    ("matching", lambda f: "/_engine/match.py" in f or "/_engine/reference.py" in f),
    ("rule actions (actions)", lambda f: "/_engine/actions.py" in f),
    ("flatten case (facts)", lambda f: "/_engine/facts.py" in f),
    ("explanations (jinja2)", lambda f: "jinja2" in f or "markupsafe" in f or "/templates.py" in f),
    ("still needed", lambda f: "/_engine/still_needed.py" in f),
    ("decision building", lambda f: "/_engine/decision_builder.py" in f),
    ("pydantic models", lambda f: "pydantic" in f),
    ("benchmark naive driver", lambda f: "naive_host.py" in f),
)


def split(stats: pstats.Stats) -> Counter[str]:
    out: Counter[str] = Counter()
    for (file, _line, name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        where = f"{file}:{name}"
        label = next((lab for lab, test in COMPONENTS if test(where)), "other Python")
        out[label] += tottime
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--cases", type=int, default=1_000)
    p.add_argument("--evaluator", default="durable", choices=("durable", "reference", "naive"))
    p.add_argument("--seed", type=int, default=2024)
    args = p.parse_args(argv)
    from benchmarks import run
    from benchmarks.casemix import case

    run._init(args.evaluator)
    cases = [case(args.seed, i) for i in range(args.cases)]
    prof = cProfile.Profile()
    prof.enable()
    for i, c in enumerate(cases):
        run._decide(args.evaluator, c, i)
    prof.disable()
    parts = split(pstats.Stats(prof))
    total = sum(parts.values())
    print(f"{args.evaluator}: {total / args.cases * 1e3:.2f} ms per decision under cProfile")
    for label, secs in parts.most_common():
        print(f"  {label:34} {secs / args.cases * 1e6:8.0f} us  {secs / total:6.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
