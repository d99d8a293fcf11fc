"""The seeded synthetic force (benchmarks/synthetic_force.py) audited end to end (issue 13):
every record read back and decided, every planted error found, nothing found on a clean
record, and the totals as the plan says. The plan is written by the generator from its
templates, never from the engine, so this checks the rules and the audit against it."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any, get_args

import pytest

from benchmarks.synthetic_force import KINDS, generate, main, write
from counting_rules import decide, parse_case
from counting_rules._audit import AuditFinding, CrimeGroup, FindingKind, audit_record


def audit_file(path: Path) -> dict[str, list[AuditFinding]]:
    """Every record of a JSON Lines file, decided by the reference evaluator and audited."""
    out: dict[str, list[AuditFinding]] = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            case = parse_case(json.loads(line))
            assert case.report.id not in out, f"record {case.report.id} is in the file twice"
            out[case.report.id] = audit_record(case, decide(case, evaluator="reference"))
    return out


def key(
    kind: str, allegation: str | None, victim: str | None, group: str | None
) -> tuple[Any, ...]:
    return (kind, allegation, victim, group)


def check_force(tmp_path: Path, records: int, seed: int, share: float) -> None:
    out, plan_path = tmp_path / "force.jsonl", tmp_path / "force.plan.json"
    totals = write(out, plan_path, records, seed, share)
    plan = json.loads(plan_path.read_text())
    assert plan["totals"] == totals
    audited = audit_file(out)

    assert len(audited) == records == totals["records"]  # no record lost
    clean = [rid for rid in audited if rid not in plan["records"]]
    assert len(clean) == totals["clean"]
    for rid in clean:
        assert audited[rid] == [], f"a finding on clean record {rid}: {audited[rid]}"

    found_kinds: Counter[str] = Counter()
    found_groups: Counter[str] = Counter()
    for rid, entry in plan["records"].items():
        found = audited[rid]
        got = sorted(key(f.kind, f.allegation_id, f.victim_id, f.crime_group) for f in found)
        want = sorted(
            key(e["kind"], e["allegation_id"], e["victim_id"], e["crime_group"])
            for e in entry["findings"]
        )
        assert got == want, f"{rid} ({entry['template']}, {entry['planted']})"
        for e in entry["findings"]:
            f = next(
                f for f in found if (f.kind, f.allegation_id) == (e["kind"], e["allegation_id"])
            )
            assert {k: f.details.get(k) for k in e["details"]} == e["details"], rid
        found_kinds.update(f.kind for f in found)
        found_groups.update(str(f.crime_group) for f in found)

    assert dict(found_kinds) == totals["findings"]
    assert dict(found_groups) == totals["findings_by_group"]
    assert set(totals["planted"]) == set(KINDS) == set(get_args(FindingKind)) - {"cannot_judge"}
    assert set(found_groups) == set(get_args(CrimeGroup))  # every crime group appears
    # Each kind planted in turn: no kind more than once more often than another.
    assert max(totals["planted"].values()) - min(totals["planted"].values()) <= 1
    assert sum(totals["planted"].values()) + totals["clean"] == records


def test_a_few_thousand_records_give_exactly_the_planted_findings(tmp_path: Path) -> None:
    check_force(tmp_path, records=2000, seed=13, share=0.35)


@pytest.mark.slow
def test_twenty_thousand_records_give_exactly_the_planted_findings(tmp_path: Path) -> None:
    check_force(tmp_path, records=20_000, seed=2026, share=0.3)


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_records(
    tmp_path: Path,
) -> None:
    a, b, c = (tmp_path / f"{n}.jsonl" for n in "abc")
    write(a, tmp_path / "a.plan.json", 300, 7)
    write(b, tmp_path / "b.plan.json", 300, 7)
    write(c, tmp_path / "c.plan.json", 300, 8)
    assert a.read_bytes() == b.read_bytes()
    assert (tmp_path / "a.plan.json").read_bytes() == (tmp_path / "b.plan.json").read_bytes()
    assert a.read_bytes() != c.read_bytes()


def test_the_share_of_planted_errors_is_configurable() -> None:
    none = list(generate(400, 5, share=0.0))
    assert all(r.planted is None and not r.expected for r in none)
    every = list(generate(400, 5, share=1.0))
    assert all(r.planted is not None and r.expected for r in every)
    some = sum(r.planted is not None for r in generate(4000, 5, share=0.25))
    assert 900 < some < 1100
    templates = Counter(r.template for r in none)
    assert len(templates) >= 15  # every template in the mix, as the weights give them


def test_every_record_has_an_as_recorded_part_and_is_a_valid_case() -> None:
    for r in generate(200, 11, share=0.5):
        case = parse_case(r.case)
        assert case.as_recorded is not None


def test_the_command_writes_the_records_and_the_plan_beside_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "f.jsonl"
    assert main(["--records", "40", "--seed", "3", "--out", str(out)]) == 0
    assert len(out.read_text().splitlines()) == 40
    plan = json.loads((tmp_path / "f.plan.json").read_text())
    assert plan["seed"] == 3
    assert plan["totals"]["records"] == 40
    assert "40 records" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--records", "10", "--out", str(out), "--error-share", "1.5"])
    assert "--error-share: 1.5 is not between 0 and 1" in capsys.readouterr().err
