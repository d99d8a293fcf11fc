"""Time and memory of one large case: every allegation in one incident and on one occasion,
the worst case for the principal crime rule. Run: python -m benchmarks.big_case [--victims N]
[--allegations N] [--evaluator durable|reference]. Defaults: the case-size caps in Limits.

Each size runs in a fresh process, so the peak RSS is that case's alone; a one-victim case is
decided first (building the edition's rulesets), then the best of three runs is timed. The
issue's bound: CPU per victim at 50 victims within 3x of that at 5.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from typing import Any


def make_case(victims: int, allegations: int, offenders: int = 10) -> dict[str, Any]:
    vs = [
        {"id": f"V{i}", "age": 20 + i % 60, "sex": "female", "ethnicity": "W1",
         "disability": False, "vulnerable": False, "confirmed": True,
         "objects_to_referral": False, "is_police_officer": False}
        for i in range(victims)
    ]  # fmt: skip
    offs = [
        {"id": f"O{j}", "age": 30,
         "relationships": [{"victim": f"V{i}", "kind": "acquaintance"}
                           for i in range(j, victims, offenders)]}
        for j in range(offenders)
    ]  # fmt: skip
    als = []
    for k in range(allegations):
        i = k % victims
        a: dict[str, Any] = {
            "id": f"A{k}", "victim": f"V{i}", "offenders": [f"O{i % offenders}"],
            "occurred_in_force": "kent", "force_on_person": True, "online": False,
            "hostility_perceived": [], "racially_or_religiously_aggravated": False,
        }  # fmt: skip
        if k // victims % 2 == 0:
            a.update(offence="assault", injury="abh", intent_serious_harm=False,
                     aggravating_feature=False)  # fmt: skip
        else:
            a.update(offence="criminal_damage", damage_target="other")
        als.append(a)
    return {
        "report": {"id": "BIG", "received_at": "2024-03-04T10:00:00+00:00",
                   "reporter": {"kind": "victim"}, "recording_force": "kent"},
        "victims": vs, "offenders": offs, "allegations": als,
    }  # fmt: skip


def one(victims: int, allegations: int, evaluator: str) -> dict[str, Any]:
    from counting_rules import Limits, decide, default_rulebook, parse_case

    default_rulebook()
    caps = Limits()  # sizes past the caps are measured with the caps raised
    limits = Limits(
        victims=max(victims, caps.victims), allegations=max(allegations, caps.allegations)
    )
    case = parse_case(make_case(victims, allegations), limits=limits)
    decide(parse_case(make_case(1, 1)), evaluator=evaluator)  # type: ignore[arg-type]
    # The edition's rulesets are built by the warm-up; the best of three runs is timed.
    runs = []
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        d = decide(case, evaluator=evaluator)  # type: ignore[arg-type]
        runs.append((time.process_time() - cpu, time.perf_counter() - wall))
    cpu_s, wall_s = min(runs)
    return {
        "victims": victims,
        "allegations": allegations,
        "evaluator": evaluator,
        "wall_s": round(wall_s, 3),
        "cpu_s": round(cpu_s, 3),
        "cpu_ms_per_victim": round(1000 * cpu_s / victims, 2),
        "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "crimes": len(d.crimes),
        "absorbed": sum(len(c.absorbed) for c in d.crimes),
    }


def main() -> None:
    from counting_rules import Limits

    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--victims", type=int, nargs="*")
    p.add_argument("--allegations", type=int, nargs="*")
    p.add_argument("--evaluator", default="durable", choices=("durable", "reference"))
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        print(json.dumps(one(args.victims[0], args.allegations[0], args.evaluator)))
        return
    caps = Limits()
    victims = args.victims or [caps.victims // 4, caps.victims // 2, caps.victims]
    allegations = args.allegations or [2 * v for v in victims]
    print("victims allegations evaluator  wall s   cpu s  CPU ms/victim  max RSS MiB")
    for v, a in zip(victims, allegations, strict=True):
        cmd = [sys.executable, "-m", "benchmarks.big_case", "--child", "--evaluator",
               args.evaluator, "--victims", str(v), "--allegations", str(a)]  # fmt: skip
        r = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
        print(
            f"{r['victims']:7d} {r['allegations']:11d} {r['evaluator']:9s} "
            f"{r['wall_s']:7.3f} {r['cpu_s']:7.3f} {r['cpu_ms_per_victim']:14.2f} "
            f"{r['max_rss_mib']:12d}"
        )


if __name__ == "__main__":
    main()
