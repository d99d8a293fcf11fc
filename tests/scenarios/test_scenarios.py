"""Every training scenario's model answers agree with the engine, stage by stage.

Each scenario is its own test (reference evaluator, for speed); one more test runs the whole
library on durable_rules, so the training material cannot drift from either evaluator.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from counting_rules import Rulebook, Scenario
from counting_rules.scenario import check_scenario, load_scenarios

LIBRARY = Path(__file__).resolve().parents[2] / "scenarios"
SCENARIOS = load_scenarios(LIBRARY)


def _report(result: object) -> str:
    from counting_rules._cli.training import _problems

    return "\n".join(_problems(result))


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[str(s.id) for s in SCENARIOS])
def test_scenario_model_answers_match_the_engine(scenario: Scenario, book: Rulebook) -> None:
    result = check_scenario(scenario, evaluator="reference", rulebook=book)
    assert result.passed, _report(result)
    assert len(result.stages) == len(scenario.stages)


def test_every_scenario_passes_on_durable_rules(book: Rulebook) -> None:
    failed = {}
    for scenario in SCENARIOS:
        result = check_scenario(scenario, evaluator="durable", rulebook=book)
        if not result.passed:
            failed[scenario.id] = _report(result)
    assert not failed, failed
