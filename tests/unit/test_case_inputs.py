"""What load_case() and decide() take: a case file, a CaseFacts, a mapping of case data;
anything else is the project's own error, naming what was passed (issue 15, item 6)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from counting_rules import (
    CaseFacts,
    CaseFactsError,
    CaseFileError,
    UsageError,
    decide,
    load_case,
    parse_case,
)
from counting_rules._common.yaml_lines import load_text

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "cases" / "punched_outside_pub.yaml"


def example_data() -> dict[str, Any]:
    data = load_text(EXAMPLE.read_text(encoding="utf-8")).data
    assert isinstance(data, dict)
    return data


def test_load_case_reads_yaml_and_json_alike(tmp_path: Path) -> None:
    as_json = tmp_path / "case.json"
    as_json.write_text(json.dumps(example_data()), encoding="utf-8")
    from_yaml = load_case(EXAMPLE)
    assert isinstance(from_yaml, CaseFacts)
    assert load_case(str(as_json)) == from_yaml == parse_case(example_data())


def test_load_case_raises_the_projects_errors(tmp_path: Path) -> None:
    with pytest.raises(CaseFileError, match="no such file"):
        load_case(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text(EXAMPLE.read_text(encoding="utf-8").replace("age: 34", 'age: "34"'))
    with pytest.raises(CaseFactsError) as err:
        load_case(bad)
    assert err.value.field == "victims[V1].age"
    assert err.value.line is not None
    assert str(bad) in err.value.message


def test_decide_takes_a_case_from_a_file_or_a_mapping_with_datetimes_and_lists() -> None:
    from_file = decide(load_case(EXAMPLE), evaluator="reference")
    data = example_data()
    data["report"]["received_at"] = datetime(2024, 3, 4, 10, tzinfo=UTC)
    assert isinstance(data["allegations"], list)
    assert decide(data, evaluator="reference") == from_file
    assert from_file.crimes


@pytest.mark.parametrize(
    ("value", "fix"),
    [
        (str(EXAMPLE), "load_case(path)"),
        (EXAMPLE, "load_case(path)"),
        ('{"report": {}}', "parse_case(text)"),
        (b"{}", "parse_case(text)"),
        (None, "a mapping of case data"),
        ([{"report": {}}], "a mapping of case data"),
        (42, "a mapping of case data"),
    ],
    ids=["str-path", "Path", "json-text", "bytes", "None", "list", "int"],
)
def test_decide_refuses_anything_else_naming_its_type(value: object, fix: str) -> None:
    with pytest.raises(UsageError) as err:
        decide(value)  # type: ignore[arg-type]
    assert f"not a {type(value).__name__}" in err.value.message
    assert fix in (err.value.fix or "")
    if isinstance(value, str | Path):  # the type, never the value (it may be personal data)
        assert str(value) not in err.value.one_line()
