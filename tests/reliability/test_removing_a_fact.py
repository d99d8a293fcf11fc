"""Removing any one fact never changes a decision silently (issue 8, "done means").

Every optional fact of every scenario stage, and of generated cases, is made unknown in
turn. Either the decision's outcomes are unchanged, or they differ and the decision is not
complete and asks for the fact that was removed.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from counting_rules import CaseFacts, CaseFactsError, Decision, decide, parse_case
from counting_rules.scenario import load_scenarios
from counting_rules.strategies import cases

SCENARIOS = Path(__file__).parents[2] / "scenarios"
# Audit facts: unknown means "not audited", never a question (recorded_at feeds only the
# late-recording finding of an audit).
AUDIT = frozenset({"recorded_at"})
# Facts whose absence has a meaning, not "unknown": no reported_at means the allegation came
# with the report.
DEFAULTED = frozenset({"reported_at"})
REQUIRED = frozenset({"id", "offence", "incident", "occasion", "kind", "allegation", "category"})
# Both values compared into one engine fact: either one unknown asks for the pair.
PAIRS = {"personal_property_value": "business_property_value"}
# Parts of a decision that repeat the input rather than decide anything.
# reason_codes: why an incident is kept, which may lose one of its grounds, not the outcome.
ECHOED = frozenset({"reasons", "reason_codes", "offender_ids", "victim_id"})


def removals(case: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(path, case with that one fact unknown) for every optional fact of ``case``."""
    for key in ("channel",):
        if case["report"].get(key) is not None:
            out = copy.deepcopy(case)
            out["report"][key] = None
            yield f"report.{key}", out
    for key in ("role", "identified"):
        if case["report"]["reporter"].get(key) is not None:
            out = copy.deepcopy(case)
            out["report"]["reporter"][key] = None
            yield f"report.reporter.{key}", out
    for section in ("victims", "offenders", "allegations", "evidence", "proposals"):
        for i, item in enumerate(case.get(section, ())):
            for key, value in item.items():
                if key in REQUIRED or key in AUDIT or key in DEFAULTED or value in (None, (), []):
                    continue
                out = copy.deepcopy(case)
                out[section][i][key] = [] if key in ("offenders", "relationships") else None
                yield f"{section}[{item['id']}].{PAIRS.get(key, key)}", out


def outcomes(d: Decision) -> dict[str, Any]:
    """What the decision decides, without its reasons, questions and open rules."""
    dumped = d.model_dump(mode="json", exclude={"still_needed", "may_change"})

    def strip(x: Any) -> Any:
        if isinstance(x, dict):
            return {k: strip(v) for k, v in x.items() if k not in ECHOED}
        if isinstance(x, list):
            return [strip(v) for v in x]
        return x

    return dict(strip(dumped))


def silent_changes(data: dict[str, Any]) -> list[str]:
    base = outcomes(decide(parse_case(data), evaluator="reference"))
    bad = []
    for path, changed in removals(data):
        try:
            case = parse_case(changed)
        except CaseFactsError:
            continue  # some facts come in pairs (confirmed and confirmed_at)
        d = decide(case, evaluator="reference")
        if outcomes(d) == base:
            continue
        asked = {n.path for n in d.still_needed}
        if d.complete or path not in asked:
            bad.append(f"{path}: complete={d.complete}, asked={sorted(asked)}")
    return bad


def _stage_cases() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for sc in load_scenarios(SCENARIOS):
        for k, case in enumerate(sc.cases()):
            out.append((f"{sc.id}#{k + 1}", case.model_dump(mode="json")))
    return out


STAGES = _stage_cases()


@pytest.mark.slow
@pytest.mark.parametrize(("stage", "data"), STAGES, ids=[s for s, _ in STAGES])
def test_no_single_fact_removal_changes_a_scenario_stage_silently(
    stage: str, data: dict[str, Any]
) -> None:
    assert silent_changes(data) == []


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(unknown_facts=False))
def test_no_single_fact_removal_changes_a_generated_case_silently(case: CaseFacts) -> None:
    assert silent_changes(case.model_dump(mode="json")) == []
