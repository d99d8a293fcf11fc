"""Format-1 cases (verdicts typed in) are refused with the field that shows it, and
convert-case drops every verdict without turning it into facts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from counting_rules import CaseFactsError, decide, parse_case
from counting_rules._case.format1 import convert, is_format_1

V1 = {
    "report": {
        "id": "r1",
        "received_at": "2025-06-01T10:00:00+01:00",
        "reporter": {"kind": "other_third_party", "acting_for_victim": True},
        "recording_force": "kent",
    },
    "victims": [{"id": "V1", "age": 30}],
    "allegations": [
        {"id": "A1", "offence": "assault", "victim": "V1", "amounts_to_crime": True},
        {"id": "A2", "offence": "rape", "victim": "V1", "victim_consented": False},
    ],
    "evidence": [
        {
            "id": "E1",
            "allegation": "A1",
            "kind": "credible_evidence_to_contrary",
            "shows_no_crime": True,
        }
    ],
}
POINTS = {"assault": frozenset({"force_on_person", "threat_of_force"})}


def test_a_format_1_case_is_refused_naming_the_field() -> None:
    with pytest.raises(CaseFactsError) as err:
        parse_case(V1)
    assert err.value.field == "report.reporter.acting_for_victim"
    assert "convert-case" in str(err.value)
    assert is_format_1({**V1, "format": 1}) == "format"
    assert is_format_1({**V1, "format": 2}) is None


def test_conversion_renames_drops_verdicts_and_says_what_to_ask() -> None:
    out = convert(V1, POINTS)
    assert out.case["format"] == 2
    assert out.case["report"]["reporter"] == {"kind": "acting_for_victim"}
    a1, a2 = out.case["allegations"]
    assert "amounts_to_crime" not in a1
    assert a2["consent"] == "not_given"
    assert "shows_no_crime" not in out.case["evidence"][0]
    assert out.to_ask == [
        "allegations[A1].force_on_person",
        "allegations[A1].threat_of_force",
        "evidence[E1].shows",
    ]
    assert V1["allegations"][0]["amounts_to_crime"] is True  # the input is not changed


def test_a_converted_case_asks_for_the_points_its_verdict_stood_for() -> None:
    decision = decide(parse_case(convert(V1, POINTS).case))
    assert not decision.complete
    asked = {q.path for q in decision.still_needed}
    assert {"allegations[A1].force_on_person", "allegations[A1].threat_of_force"} <= asked
    assert "A1" not in {c.allegation_id for c in decision.crimes}  # no verdict became a fact


def test_convert_case_needs_no_test_extra(tmp_path: Path) -> None:
    """The command runs with hypothesis unavailable (it is only in the testing extra)."""
    path = tmp_path / "old.json"
    path.write_text(json.dumps(V1))
    code = (
        "import sys; sys.modules['hypothesis'] = None\n"
        "from counting_rules.cli import main\n"
        f"raise SystemExit(main(['convert-case', {str(path)!r}]))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["format"] == 2
    assert "to ask: allegations[A1].force_on_person" in run.stderr
