"""Data-driven decision tests: YAML files of cases with expected firings and outcomes.

Used by tests/rulebooks (one file per rule, mirroring the rule tree) and tests/examples (the
worked examples and inspection case studies). Format: docs/reference/rule-format.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from counting_rules import Decision, decide, default_rulebook, edition_for, parse_case
from counting_rules._common.yaml_lines import load_text
from counting_rules._engine.decide import report_date
from counting_rules._engine.pipeline import run_case

ROOT = Path(__file__).parent


@dataclass(frozen=True)
class CaseSpec:
    file: Path
    index: int
    data: dict[str, Any]
    rule: str | None

    @property
    def id(self) -> str:
        rel = self.file.relative_to(ROOT).with_suffix("")
        return f"{rel}::{self.data.get('name', self.index)}"


def collect(folder: str) -> list[CaseSpec]:
    out: list[CaseSpec] = []
    for path in sorted((ROOT / folder).rglob("*.yaml")):
        doc = load_text(path.read_text(encoding="utf-8"), str(path)).data
        for i, case in enumerate(doc.get("cases", [])):
            out.append(CaseSpec(path, i, case, rule_of(doc, case)))
    return out


def rule_of(doc: dict[str, Any], case: dict[str, Any]) -> str | None:
    """The rule a case tests: the file's ``rule``; for a decision table's file (``table``) the
    row the case names (``row``), whose rule id is ``<table>/<row>``; for a file of dated
    versions (``versions``) the ``version`` it names, ``<file>/<version>``."""
    for key, part in (("table", "row"), ("versions", "version")):
        if key in doc:
            assert part in case, f"{doc[key]}: each case of a {key!r} file names its {part!r}"
            return f"{doc[key]}/{case[part]}"
    rule = doc.get("rule")
    return None if rule is None else str(rule)


def match(expected: Any, actual: Any, where: str) -> None:
    """Subset match: mappings check only the keys given; lists check length and order."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: expected a mapping, got {actual!r}"
        for k, v in expected.items():
            assert k in actual, f"{where}: no field {k!r} in {sorted(actual)}"
            match(v, actual[k], f"{where}.{k}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{where}: expected a list, got {actual!r}"
        assert len(expected) == len(actual), (
            f"{where}: expected {len(expected)} items, got {len(actual)}: {actual!r}"
        )
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            match(e, a, f"{where}[{i}]")
    else:
        assert expected == actual, f"{where}: expected {expected!r}, got {actual!r}"


def fired_rules(spec: CaseSpec) -> tuple[set[str], Decision]:
    """Run the case through durable_rules and the reference evaluator; they must agree."""
    case = parse_case(spec.data["case"])
    edition = spec.data.get("edition")
    book = default_rulebook()
    ed = edition_for(book, report_date(case), edition)
    trace = run_case(book, ed, case, "durable").trace
    ref_trace = run_case(book, ed, case, "reference").trace
    assert sorted(f.key() for f in trace) == sorted(f.key() for f in ref_trace), (
        "durable_rules and the reference evaluator disagree"
    )
    decision = decide(case, edition=edition)
    assert decision == decide(case, edition=edition, evaluator="reference")
    return {f.rule.id for f in trace if f.variant == "sure"}, decision


def check(spec: CaseSpec) -> None:
    fired, decision = fired_rules(spec)
    data = spec.data
    if "fires" in data:
        assert spec.rule is not None, "'fires' needs the file's 'rule'"
        if data["fires"]:
            assert spec.rule in fired, f"{spec.rule} did not fire; fired: {sorted(fired)}"
        else:
            assert spec.rule not in fired, f"{spec.rule} fired but should not"
    for rid in data.get("rules_fired", []):
        assert rid in fired, f"{rid} did not fire; fired: {sorted(fired)}"
    for rid in data.get("rules_not_fired", []):
        assert rid not in fired, f"{rid} fired but should not"
    if "edition_used" in data:
        assert decision.edition == data["edition_used"]
    dumped = decision.model_dump(mode="json")
    match(data.get("expect", {}), dumped, "decision")
    for key, wanted in data.get("includes", {}).items():
        for item in wanted:
            assert any(_matches(item, got) for got in dumped[key]), (
                f"decision.{key} has no item matching {item!r}: {dumped[key]!r}"
            )
    for key, unwanted in data.get("excludes", {}).items():
        for item in unwanted:
            assert not any(_matches(item, got) for got in dumped[key]), (
                f"decision.{key} has an item matching {item!r}: {dumped[key]!r}"
            )


def _matches(expected: Any, actual: Any) -> bool:
    try:
        match(expected, actual, "")
    except AssertionError:
        return False
    return True
