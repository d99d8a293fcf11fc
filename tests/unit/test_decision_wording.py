"""How a decision reads where crimes absorb others: an absorbed allegation never reads as a
crime recorded on its own, and a victim's duties are listed once and cite the crime counted
for them (HOCR General Rules, Sections D and F; Victims' Code 2020, Rights 3 and 4)."""

from __future__ import annotations

from typing import Any

from counting_rules import Decision, decide, parse_case
from tests.reliability.cases import report

# The reasons that treat an allegation as a crime of its own.
OWN_CRIME_RULES = (
    "general_rules/d_one_crime_per_victim/candidate_crime",
    "general_rules/d_one_crime_per_victim/recorded_crime",
    "general_rules/ncrs/record_when_test_met",
    "general_rules/a_whether_and_when_to_record/record_within_24_hours",
)


def _assault(aid: str, vid: str, injury: str) -> dict[str, Any]:
    return {
        "id": aid,
        "offence": "assault",
        "victim": vid,
        "offenders": ["O1"],
        "force_on_person": True,
        "injury": injury,
        "intent_serious_harm": False,
        "racially_or_religiously_aggravated": False,
        "occurred_in_force": "kent",
    }


def _victim(vid: str) -> dict[str, Any]:
    return {
        "id": vid,
        "age": 40,
        "confirmed": True,
        "objects_to_referral": False,
        "is_police_officer": False,
    }


def _robbery_with_wounded() -> Decision:
    """Example A02: a post office robbed, a customer wounded (absorbed by the robbery)."""
    return decide(
        parse_case(
            {
                "report": {**report(), "received_at": "2022-06-01T10:00:00+01:00"},
                "victims": [{"id": "PO", "kind": "business"}, _victim("P1")],
                "offenders": [{"id": "O1"}],
                "allegations": [
                    {
                        "id": "A1",
                        "offence": "robbery",
                        "victim": "PO",
                        "offenders": ["O1"],
                        "property_owner": "business",
                        "item_normally_personal": False,
                        "business_property_value": 2000,
                        "personal_property_value": 0,
                        "property_taken": True,
                        "dishonest": True,
                        "force_on_person": True,
                    },
                    _assault("A2", "P1", "serious"),
                ],
            }
        )
    )


def _two_assaults_one_victim() -> Decision:
    """One victim assaulted twice on one occasion: the injury counts, the push is absorbed."""
    return decide(
        parse_case(
            {
                "report": report(),
                "victims": [_victim("V1")],
                "offenders": [{"id": "O1"}],
                "allegations": [_assault("A1", "V1", "minor"), _assault("A2", "V1", "none")],
            }
        )
    )


def test_an_absorbed_allegation_never_reads_as_recorded_on_its_own() -> None:
    for d in (_robbery_with_wounded(), _two_assaults_one_victim()):
        (crime,) = d.crimes
        (absorbed,) = crime.absorbed
        rules = {r.rule_id for r in absorbed.reasons}
        assert rules.isdisjoint(OWN_CRIME_RULES), rules
        assert any("/f_principal_crime_rule/" in r for r in rules)  # what absorbed it
        assert any(r.startswith("crime_types/") for r in rules)  # its classification
        for r in absorbed.reasons:
            assert "recorded as a crime" not in r.explanation, r.rule_id
        # The crime that absorbed it still carries the recording decision and its deadline.
        assert set(OWN_CRIME_RULES) <= {r.rule_id for r in crime.reasons}


def test_a_victim_whose_only_crime_was_absorbed_is_still_owed_the_duties() -> None:
    d = _robbery_with_wounded()
    duties = [(v.victim_id, v.duty) for v in d.victim_duties]
    assert ("P1", "confirm_crime_recorded") in duties
    assert len(duties) == len(set(duties))  # once per victim and duty
    confirm = next(v for v in d.victim_duties if v.victim_id == "P1")
    (reason,) = confirm.reasons
    assert "Allegation A2" in reason.explanation
    assert "recorded as a crime" not in reason.explanation


def test_duties_cite_the_crime_counted_for_the_victim_not_the_absorbed_one() -> None:
    d = _two_assaults_one_victim()
    assert [(c.allegation_id, [a.allegation_id for a in c.absorbed]) for c in d.crimes] == [
        ("A1", ["A2"])
    ]
    assert sorted(v.duty for v in d.victim_duties) == [
        "confirm_crime_recorded",
        "refer_to_support_services",
    ]
    for duty in d.victim_duties:
        assert duty.victim_id == "V1"
        (reason,) = duty.reasons
        assert "Allegation A1" in reason.explanation, duty.duty
        assert "A2" not in reason.explanation, duty.duty
