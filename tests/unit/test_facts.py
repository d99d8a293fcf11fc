"""Flattening a case into engine facts: strict, JSON-safe, no id key, canonical order."""

from __future__ import annotations

import json
import random

from counting_rules import parse_case
from counting_rules._engine.facts import canonical, flatten

CASE = {
    "report": {
        "id": "r1",
        "received_at": "2024-03-04T10:00:00+00:00",
        "reporter": {"kind": "victim"},
        "recording_force": "kent",
    },
    "victims": [{"id": "V1", "age": 30, "confirmed": True}],
    "offenders": [{"id": "O1", "relationships": [{"victim": "V1", "kind": "former_partner"}]}],
    "allegations": [
        {
            "id": "A1",
            "offence": "robbery",
            "victim": "V1",
            "offenders": ["O1"],
            "occurred_in_force": "essex",
            "hostility_perceived": ["race"],
            "business_property_value": 600,
            "personal_property_value": 40,
            "recorded_at": "2024-03-05T16:30:00+00:00",
        }
    ],
}


def by_type(facts: list[dict[str, object]], t: str) -> list[dict[str, object]]:
    return [f for f in facts if f["t"] == t]


def test_unknown_facts_are_left_out() -> None:
    facts = flatten(parse_case(CASE))
    (victim,) = by_type(facts, "victim")
    assert "vulnerable" not in victim
    assert victim["confirmed"] is True


def test_features_are_computed_before_the_engine() -> None:
    facts = flatten(parse_case(CASE))
    (al,) = by_type(facts, "allegation")
    assert al["in_force_area"] is False
    assert al["mainly_business_property"] is True
    assert al["recorded_after_hours"] == 31  # 30.5 hours, rounded up
    assert al["hate_perceived"] is True
    (rel,) = by_type(facts, "relationship")
    assert rel["intimate"] is True
    assert rel["former"] is True
    assert rel["family"] is False
    assert by_type(facts, "hostility") == [
        {"t": "hostility", "aid": "A1", "exists": True, "strand": "race"}
    ]
    assert by_type(facts, "involvement") == [
        {"t": "involvement", "aid": "A1", "oid": "O1", "exists": True}
    ]


def test_facts_are_json_safe_and_never_carry_an_id_key() -> None:
    for fact in flatten(parse_case(CASE)):
        assert "id" not in fact
        assert json.loads(json.dumps(fact, allow_nan=False)) == fact
        assert len(fact) <= 255


def test_canonical_order_does_not_depend_on_input_order() -> None:
    facts = flatten(parse_case(CASE))
    shuffled = facts[:]
    random.Random(4).shuffle(shuffled)
    assert canonical(shuffled) == facts
    assert canonical(facts + facts) == facts
