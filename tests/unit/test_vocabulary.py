"""The closed vocabularies of a case: the ethnicity codes and the police forces (issue 15,
item 8)."""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks.synthetic_force import _ETHNICITY as SYNTHETIC_ETHNICITY
from counting_rules import CaseFactsError, parse_case
from counting_rules._common.schemas import schemas
from counting_rules._training.facts import case_sentences
from counting_rules.strategies import ETHNICITIES
from counting_rules.vocabulary import ETHNICITY, NOT_STATED, POLICE_FORCES


def _case(**victim: Any) -> dict[str, Any]:
    return {
        "report": {
            "id": "R1",
            "received_at": "2024-03-04T10:00:00Z",
            "reporter": {"kind": "victim"},
            "recording_force": "west-yorkshire",
        },
        "victims": [{"id": "V1", **victim}],
        "allegations": [{"id": "A1", "offence": "assault", "victim": "V1"}],
    }


def test_ethnicity_is_the_18_plus_1_police_codes() -> None:
    groups = [c for c in ETHNICITY if c != NOT_STATED]
    assert len(groups) == 18
    assert NOT_STATED == "NS"
    # the 2011 Census groups: Gypsy or Irish Traveller and Arab are in, Chinese is Asian
    assert ETHNICITY["W3"].endswith("Gypsy or Irish Traveller")
    assert ETHNICITY["O2"].endswith("Arab")
    assert ETHNICITY["A4"].endswith("Chinese")
    assert "O1" not in ETHNICITY  # the 16+1 code for Chinese is gone


def test_generated_cases_use_valid_codes() -> None:
    assert set(ETHNICITIES) <= set(ETHNICITY)
    assert set(SYNTHETIC_ETHNICITY) <= set(ETHNICITY)


@pytest.mark.parametrize("code", sorted(ETHNICITY))
def test_every_code_is_accepted(code: str) -> None:
    assert parse_case(_case(ethnicity=code)).victims[0].ethnicity == code


@pytest.mark.parametrize(
    ("given", "meant"),
    [("White British", "W1"), ("Pakistani", "A2"), ("w1", "W1"), ("Not stated", "NS")],
)
def test_an_ethnicity_in_words_gets_the_code_it_means(given: str, meant: str) -> None:
    with pytest.raises(CaseFactsError) as err:
        parse_case(_case(ethnicity=given))
    (problem,) = err.value.errors
    assert problem.field == "victims[V1].ethnicity"
    assert problem.fix == f"did you mean {meant!r}?"


def test_an_ethnicity_nothing_resembles_gets_no_guess() -> None:
    with pytest.raises(CaseFactsError) as err:
        parse_case(_case(ethnicity="Polish"))
    assert err.value.errors[0].fix == "use one of the values listed"


def test_a_handout_renders_the_label_not_the_code() -> None:
    (victim,) = [s for s in case_sentences(parse_case(_case(ethnicity="A2"))) if "V1 " in s]
    assert "Pakistani (Asian or Asian British)" in victim
    assert "A2" not in victim
    (declined,) = [s for s in case_sentences(parse_case(_case(ethnicity="NS"))) if "V1 " in s]
    assert "chose not to state their ethnicity" in declined


def test_police_forces_are_the_43_territorial_forces_and_btp() -> None:
    assert len(POLICE_FORCES) == 44
    assert POLICE_FORCES["btp"] == "British Transport Police"
    assert "northern-ireland" not in POLICE_FORCES  # outside England and Wales
    assert {"metropolitan", "city-of-london", "dyfed-powys", "west-yorkshire"} <= set(POLICE_FORCES)


def test_the_force_fields_accept_only_the_forces_of_the_table() -> None:
    """A misspelt force would read as another force's area (and decide a transfer), so the
    force fields are closed to the table, with a did-you-mean for a near miss or a name."""
    defs = schemas()["case"]["$defs"]
    recording = defs["Report"]["properties"]["recording_force"]
    occurred = defs["Allegation"]["properties"]["occurred_in_force"]
    assert recording["enum"] == list(POLICE_FORCES)
    assert set(recording["x-enumDescriptions"]) == set(POLICE_FORCES)
    assert "anyOf" in occurred or "enum" in occurred  # the same vocabulary, or null
    assert parse_case(_case()).report.recording_force == "west-yorkshire"
    for given, meant in [("west-yorkshre", "west-yorkshire"), ("Kent Police", "kent")]:
        wrong = _case()
        wrong["report"]["recording_force"] = given
        with pytest.raises(CaseFactsError) as err:
            parse_case(wrong)
        (problem,) = err.value.errors
        assert problem.field == "report.recording_force"
        assert problem.fix == f"did you mean {meant!r}?"
    placeholder = _case()
    placeholder["allegations"][0]["occurred_in_force"] = "F1"
    with pytest.raises(CaseFactsError) as err:
        parse_case(placeholder)
    assert err.value.errors[0].field == "allegations[A1].occurred_in_force"


def test_a_handout_names_the_force_not_its_identifier() -> None:
    case = _case()
    case["allegations"][0]["occurred_in_force"] = "greater-manchester"
    text = " ".join(case_sentences(parse_case(case)))
    assert "received by West Yorkshire Police" in text
    assert "in the area of Greater Manchester Police" in text
    assert "west-yorkshire" not in text
