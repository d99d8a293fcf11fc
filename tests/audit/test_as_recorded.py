"""The ``as_recorded`` part of a case: what the force did, validated strictly (issue 13)."""

from __future__ import annotations

from typing import Any

import pytest

from counting_rules import CaseFactsError, parse_case
from counting_rules._common.schemas import schemas
from counting_rules.case import AsRecorded

BASE: dict[str, Any] = {
    "report": {
        "id": "r1",
        "received_at": "2024-03-04T10:00:00+00:00",
        "reporter": {"kind": "victim"},
        "recording_force": "kent",
    },
    "victims": [{"id": "V1", "age": 40, "sex": "female", "confirmed": True}],
    "allegations": [
        {
            "id": "A1",
            "offence": "assault",
            "victim": "V1",
            "force_on_person": True,
            "injury": "minor",
        }
    ],
}


def case_with(record: dict[str, Any]) -> dict[str, Any]:
    return {**BASE, "as_recorded": record}


def problems(record: dict[str, Any]) -> str:
    with pytest.raises(CaseFactsError) as info:
        parse_case(case_with(record))
    return str(info.value)


def test_a_full_record_validates() -> None:
    case = parse_case(
        case_with(
            {
                "incident": {
                    "opened_at": "2024-03-04T10:01:00+00:00",
                    "closed_at": "2024-03-04T12:00:00+00:00",
                    "closing_code": "CRIME",
                    "closing_rationale": "Crime recorded.",
                },
                "crimes": [
                    {"allegation": "A1", "code": "8N", "victim": "V1",
                     "recorded_at": "2024-03-04T11:00:00+00:00"}
                ],
                "n100s": [],
                "cancellations": [
                    {"allegation": "A1", "category": "C2", "decider": "designated_decision_maker",
                     "decided_at": "2024-03-08T09:00:00+00:00", "victim_told": "yes",
                     "told_at": "2024-03-08T10:00:00+00:00"}
                ],
                "referrals": [{"to": "victim_support_services", "victim": "V1"}],
            }
        )
    )  # fmt: skip
    assert case.as_recorded is not None
    assert case.as_recorded.crimes[0].code == "8N"
    assert parse_case(BASE).as_recorded is None  # optional


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        ({"crimes": [{"allegation": "A9", "code": "8N"}]}, "crimes[0].allegation: 'A9'"),
        ({"crimes": [{"allegation": "A1", "code": "8N", "victim": "V9"}]}, "'V9' is not defined"),
        ({"n100s": [{"allegation": "A9"}]}, "as_recorded.n100s[0].allegation: 'A9'"),
        (
            {"n100s": [{"allegation": "A1", "converted_at": "2024-03-05T10:00:00+00:00"}]},
            "as_recorded.crimes has no crime for 'A1'; add the crime it became",
        ),
        ({"cancellations": [{"allegation": "A1", "category": "C2"}]}, "for 'A1' to cancel"),
        (
            {
                "crimes": [{"allegation": "A1", "code": "8N"}],
                "cancellations": [
                    {"allegation": "A1", "category": "C2", "victim_told": "no",
                     "told_at": "2024-03-05T10:00:00+00:00"}
                ],
            },
            "needs victim_told: yes",
        ),
        ({"referrals": [{"to": "other", "allegation": "A9"}]}, "referrals[0].allegation"),
        ({"crimes": [{"allegation": "A1", "code": "8N", "colour": "red"}]}, "colour"),
        ({"crimes": [{"allegation": "A1", "code": "8N", "recorded_at": "2024-03-05T10:00:00"}]},
         "timezone"),
        ({"crimes": [{"allegation": "A1", "code": "8N", "recorded_at": "2024-03-01T10:00:00Z"}]},
         "as_recorded.crimes[0].recorded_at: is before report.received_at"),
        ({"incident": {"opened_at": "2024-03-04T12:00:00Z", "closed_at": "2024-03-04T11:00:00Z"}},
         "as_recorded.incident.closed_at: is before as_recorded.incident.opened_at"),
        ({"n100s": [{"allegation": "A1", "n100_type": "N200"}]}, "n100_type"),
        ({"cancellations": [], "crimes": [{"allegation": "A1", "code": "eight"}]}, "code"),
    ],
)  # fmt: skip
def test_a_bad_record_is_refused_naming_its_field(record: dict[str, Any], expected: str) -> None:
    assert expected in problems(record)


def test_every_as_recorded_field_has_a_description_and_an_example_in_the_public_schema() -> None:
    case_schema = schemas()["case"]
    defs = case_schema["$defs"]
    assert "as_recorded" in case_schema["properties"]
    models = [
        "AsRecorded",
        "RecordedIncident",
        "RecordedCrime",
        "RecordedN100",
        "RecordedCancellation",
        "RecordedReferral",
    ]
    for model in models:
        for field, spec in defs[model]["properties"].items():
            assert spec.get("description"), f"{model}.{field}"
            assert spec.get("examples"), f"{model}.{field}"
    for field, info in AsRecorded.model_fields.items():
        assert info.description, field
        assert info.examples, field
