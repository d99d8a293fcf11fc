"""Case input validation: strict types, no unknown fields, timezone-aware times, references."""

from __future__ import annotations

from typing import Any

import pytest

from counting_rules import CaseFactsError, parse_case


def case(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "report": {
            "id": "r1",
            "received_at": "2024-03-04T10:00:00+00:00",
            "reporter": {"kind": "victim"},
            "recording_force": "kent",
        },
        "victims": [{"id": "V1", "age": 30}],
        "allegations": [{"id": "A1", "offence": "assault", "victim": "V1"}],
    }
    base.update(overrides)
    return base


def test_a_valid_case_parses_with_unknowns_as_none() -> None:
    c = parse_case(case())
    assert c.victims[0].confirmed is None
    assert c.allegations[0].force_on_person is None


@pytest.mark.parametrize(
    ("data", "field", "text"),
    [
        (case(victims=[{"id": "V1", "age": "30"}]), "victims[V1].age", "valid integer"),
        (case(victims=[{"id": "V1", "confirmed": 1}]), "victims[V1].confirmed", "valid boolean"),
        (
            case(victims=[{"id": "V1", "confirmed": "true"}]),
            "victims[V1].confirmed",
            "valid boolean",
        ),
        (case(victims=[{"id": "V1", "nmae": "x"}]), "victims[V1].nmae", "Extra inputs"),
        (
            case(allegations=[{"id": "A1", "offence": "asault"}]),
            "allegations[A1].offence",
            "Input should be",
        ),
        (case(allegations=[]), "allegations", "at least 1"),
        (
            case(allegations=[{"id": "A1", "offence": "assault", "victim": "V9"}]),
            "allegations[A1].victim",
            "'V9' is not defined",
        ),
    ],
)
def test_bad_input_names_the_field(data: dict[str, Any], field: str, text: str) -> None:
    with pytest.raises(CaseFactsError) as err:
        parse_case(data)
    assert err.value.field == field
    assert f"{field}: " in str(err.value)
    assert text in str(err.value)


def test_missing_report_date_is_an_error() -> None:
    data = case()
    del data["report"]["received_at"]
    with pytest.raises(CaseFactsError, match=r"report.received_at: Field required \(add it\)"):
        parse_case(data)


def test_report_time_without_timezone_is_an_error() -> None:
    data = case()
    data["report"]["received_at"] = "2024-03-04T10:00:00"
    with pytest.raises(CaseFactsError, match="timezone"):
        parse_case(data)


def test_duplicate_ids_are_an_error() -> None:
    with pytest.raises(CaseFactsError, match="duplicate id 'V1'"):
        parse_case(case(victims=[{"id": "V1"}, {"id": "V1"}]))


def test_models_are_frozen() -> None:
    c = parse_case(case())
    with pytest.raises(Exception, match="frozen"):
        c.report.id = "x"  # type: ignore[misc]
