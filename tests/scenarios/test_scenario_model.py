"""The scenario format: stage patches, validation, file errors and answer matching."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from ruamel.yaml import YAML

from counting_rules import CaseFactsError, CaseFileError, Rulebook, Scenario, ScenarioError
from counting_rules.scenario import (
    check_scenario,
    load_scenario,
    load_scenarios,
    match,
    merge_facts,
)

CASE: dict[str, Any] = {
    "report": {
        "id": "r1",
        "received_at": "2022-06-01T10:00:00+01:00",
        "reporter": {"kind": "victim"},
        "recording_force": "kent",
    },
    "victims": [
        {
            "id": "V1",
            "age": 30,
            "sex": "male",
            "ethnicity": "W1",
            "disability": False,
            "confirmed": True,
            "is_police_officer": False,
            "objects_to_referral": False,
        }
    ],
    "allegations": [
        {
            "id": "A1",
            "offence": "assault",
            "victim": "V1",
            "intent_serious_harm": False,
            "aggravating_feature": False,
            "racially_or_religiously_aggravated": False,
            "online": False,
            "force_on_person": True,
        }
    ],
}


def scenario(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "title": "Punched in the street",
        "audience": ["call handlers"],
        "objectives": ["Classify an assault by injury."],
        "teaches": ["crime_types/violence_against_the_person/assault/with_injury"],
        "edition": "2021",
        "source": "Written for a test.",
        "stages": [
            {
                "title": "The call",
                "narrative": "A man was punched.",
                "facts": copy.deepcopy(CASE),
                "question": "What is recorded?",
                "answer": {"expect": {"crimes": [{"allegation_id": "A1", "code": None}]}},
                "teaching_points": [
                    {
                        "text": "Ask about injury.",
                        "rules": ["general_rules/ncrs/record_when_test_met"],
                    }
                ],
            },
            {
                "title": "The hospital",
                "narrative": "A broken nose.",
                "facts": {"allegations": [{"id": "A1", "injury": "abh"}]},
                "question": "How is it classified?",
                "answer": {"expect": {"crimes": [{"allegation_id": "A1", "code": "8N"}]}},
                "teaching_points": [{"text": "ABH is 8N.", "url": "https://example.org/cps"}],
            },
        ],
    }
    doc.update(changes)
    return doc


class TestMerge:
    def test_a_mapping_merges_key_by_key(self) -> None:
        out = merge_facts(CASE, {"report": {"channel": "in_person"}})
        assert out["report"]["channel"] == "in_person"
        assert out["report"]["recording_force"] == "kent"

    def test_items_with_ids_merge_by_id_and_new_ids_are_appended(self) -> None:
        out = merge_facts(
            CASE,
            {"allegations": [{"id": "A1", "injury": "minor"}, {"id": "A2", "offence": "theft"}]},
        )
        assert [a["id"] for a in out["allegations"]] == ["A1", "A2"]
        assert out["allegations"][0]["injury"] == "minor"
        assert out["allegations"][0]["offence"] == "assault"  # kept from the earlier stage

    def test_a_later_stage_corrects_and_null_makes_a_fact_unknown(self) -> None:
        out = merge_facts(CASE, {"allegations": [{"id": "A1", "force_on_person": False}]})
        assert out["allegations"][0]["force_on_person"] is False
        out = merge_facts(out, {"victims": [{"id": "V1", "age": None}]})
        assert out["victims"][0]["age"] is None

    def test_remove_deletes_an_item(self) -> None:
        two = merge_facts(CASE, {"allegations": [{"id": "A2", "offence": "theft"}]})
        out = merge_facts(two, {"allegations": [{"id": "A2", "$remove": True}]})
        assert [a["id"] for a in out["allegations"]] == ["A1"]

    def test_other_lists_replace(self) -> None:
        base = merge_facts(CASE, {"allegations": [{"id": "A1", "offenders": []}]})
        out = merge_facts(base, {"allegations": [{"id": "A1", "hostility_perceived": ["race"]}]})
        assert out["allegations"][0]["hostility_perceived"] == ["race"]

    def test_the_base_is_not_changed(self) -> None:
        before = copy.deepcopy(CASE)
        merge_facts(CASE, {"allegations": [{"id": "A1", "injury": "abh"}]})
        assert before == CASE

    def test_stage_cases_accumulate(self) -> None:
        cases = Scenario.model_validate(scenario()).cases()
        assert cases[0].allegations[0].injury is None
        assert cases[1].allegations[0].injury == "abh"


class TestValidation:
    def test_a_valid_scenario_checks_against_the_engine(self, book: Rulebook) -> None:
        result = check_scenario(
            Scenario.model_validate(scenario()), rulebook=book, evaluator="reference"
        )
        assert result.passed, [s.problems for s in result.stages]

    def test_unknown_fields_are_rejected(self) -> None:
        with pytest.raises(ValidationError, match="Extra inputs"):
            Scenario.model_validate(scenario(trainer="me"))

    def test_a_teaching_point_needs_a_citation(self) -> None:
        doc = scenario()
        doc["stages"][0]["teaching_points"] = [{"text": "No source given."}]
        with pytest.raises(ValidationError, match="needs a citation"):
            Scenario.model_validate(doc)

    def test_an_answer_names_decision_fields(self) -> None:
        doc = scenario()
        doc["stages"][0]["answer"] = {"expect": {"crime": []}}
        with pytest.raises(ValidationError, match="did you mean 'crimes'"):
            Scenario.model_validate(doc)

    def test_invalid_stage_facts_name_the_stage(self) -> None:
        doc = scenario()
        doc["stages"][1]["facts"] = {"allegations": [{"id": "A1", "injury": "bruise"}]}
        with pytest.raises(
            ValidationError, match=r"stage 2 \(The hospital\): allegations\[A1\]\.injury"
        ):
            Scenario.model_validate(doc)

    def test_a_wrong_model_answer_fails_the_check(self, book: Rulebook) -> None:
        doc = scenario()
        doc["stages"][1]["answer"]["expect"]["crimes"][0]["code"] = "105A"
        result = check_scenario(Scenario.model_validate(doc), rulebook=book, evaluator="reference")
        assert not result.passed
        assert result.stages[0].passed
        assert result.stages[1].problems == ("decision.crimes[0].code: expected '105A', got '8N'",)

    def test_unknown_rule_ids_are_reported_with_a_suggestion(self, book: Rulebook) -> None:
        doc = scenario(teaches=["crime_types/violence_against_the_person/assault_with_injry"])
        result = check_scenario(Scenario.model_validate(doc), rulebook=book, evaluator="reference")
        assert not result.passed
        assert (
            "did you mean 'crime_types/violence_against_the_person/assault/with_injury'"
            in (result.problems[0])
        )

    def test_a_taught_rule_must_fire_or_be_asked_about(self, book: Rulebook) -> None:
        doc = scenario(teaches=["crime_types/theft/classification/shoplifting"])
        result = check_scenario(Scenario.model_validate(doc), rulebook=book, evaluator="reference")
        assert result.problems == (
            "teaches crime_types/theft/classification/shoplifting, but it fires in no stage and no "
            "stage asks why it does not",
        )

    def test_a_why_not_answer_is_checked(self, book: Rulebook) -> None:
        doc = scenario()
        doc["stages"][1]["why_not"] = [
            {
                "rule": "crime_types/violence_against_the_person/assault/without_injury",
                "subject": "A1",
                "expect": "fact_unknown",
                "field": "injury",
            }
        ]
        result = check_scenario(Scenario.model_validate(doc), rulebook=book, evaluator="reference")
        assert not result.passed
        assert "expected fact_unknown, got condition_failed" in result.stages[1].problems[0]


class TestFiles:
    def test_the_id_is_the_path_under_the_root(self, tmp_path: Path) -> None:
        folder = tmp_path / "hocr" / "crime_types"
        folder.mkdir(parents=True)
        (folder / "punch.yaml").write_text(json.dumps(scenario()), encoding="utf-8")
        (loaded,) = load_scenarios(tmp_path)
        assert loaded.id == "hocr/crime_types/punch"
        assert load_scenario(folder / "punch.yaml").id == "punch"

    def test_missing_file(self, tmp_path: Path) -> None:
        with pytest.raises(CaseFileError, match="no such file"):
            load_scenario(tmp_path / "nope.yaml")

    def test_yaml_syntax_error_names_the_line(self, tmp_path: Path) -> None:
        bad = tmp_path / "bad.yaml"
        bad.write_text("title: x\nstages: [\n", encoding="utf-8")
        with pytest.raises(CaseFileError, match=r"bad.yaml:\d+: not valid YAML"):
            load_scenario(bad)

    def test_validation_error_names_the_file_line_and_field(self, tmp_path: Path) -> None:
        bad = tmp_path / "bad.yaml"
        bad.write_text(
            "title: A scenario\naudience: [x]\nobjectives: [y]\nteaches: [z]\n"
            "edition: '2021'\nsource: test\nstages: []\n",
            encoding="utf-8",
        )
        with pytest.raises(
            CaseFactsError, match=r"bad.yaml:7: stages: Tuple should have at least 1"
        ):
            load_scenario(bad)

    def test_every_problem_is_reported_with_its_line(self, tmp_path: Path) -> None:
        bad = tmp_path / "bad.yaml"
        bad.write_text(
            "title: A scenario\naudince: [x]\nobjectives: [y]\nteaches: [z]\n"
            "edition: '2021'\nsource: test\nstages: []\n",
            encoding="utf-8",
        )
        with pytest.raises(ScenarioError) as err:
            load_scenario(bad)
        found = {(e.field, e.line) for e in err.value.errors}
        assert {("audince", 2), ("stages", 7)} <= found  # the misspelling, then the rest
        assert err.value.errors[0].field == "audince"
        assert err.value.code == "scenario"

    def test_a_teaching_point_source_must_be_in_the_register(self, tmp_path: Path) -> None:
        doc = scenario()
        points = doc["stages"][1]["teaching_points"]
        points[0].update(source="R1 p.43")  # an id, then where in it: accepted
        points.append({"text": "Ask the victim.", "url": "https://example.org/x", "source": "S999"})
        bad = tmp_path / "bad.yaml"
        with bad.open("w", encoding="utf-8") as out:
            YAML().dump(doc, out)
        lines = bad.read_text(encoding="utf-8").splitlines()
        line = next(i for i, text in enumerate(lines, 1) if text.endswith("source: S999"))
        with pytest.raises(ScenarioError) as err:
            load_scenario(bad)
        assert str(err.value).startswith(
            f"{bad}:{line}: stages.1.teaching_points.1.source: source 'S999' is not in the "
            "source register"
        )
        assert err.value.errors[0].line == line
        assert len(err.value.errors) == 1  # R1 is in the register

    def test_topics_are_lower_case_words_each_once(self, tmp_path: Path) -> None:
        bad = tmp_path / "bad.yaml"
        doc = scenario(topics=["violence against the person", "Domestic_Abuse"])
        with bad.open("w", encoding="utf-8") as out:
            YAML().dump(doc, out)
        line = next(
            i
            for i, text in enumerate(bad.read_text(encoding="utf-8").splitlines(), 1)
            if "Domestic_Abuse" in text
        )
        with pytest.raises(ScenarioError) as err:
            load_scenario(bad)
        assert err.value.errors[0].field == "topics.1"
        assert err.value.errors[0].line == line
        assert "'Domestic_Abuse' is not lower-case words" in str(err.value)
        with pytest.raises(ValidationError, match="'robbery' is given twice"):
            Scenario.model_validate(scenario(topics=["robbery", "robbery"]))
        with pytest.raises(ValidationError, match="holds a control character"):
            Scenario.model_validate(scenario(audience=["call\x1bhandlers"]))

    def test_editions_are_the_scenarios_and_the_stages_own(self) -> None:
        doc = scenario(topics=["violence against the person"])
        assert Scenario.model_validate(doc).editions == ("2021",)
        doc["stages"][1]["edition"] = "2018"
        loaded = Scenario.model_validate(doc)
        assert loaded.editions == ("2018", "2021")
        assert loaded.topics == ("violence against the person",)

    def test_missing_folder(self, tmp_path: Path) -> None:
        with pytest.raises(CaseFileError, match="no such scenario folder"):
            load_scenarios(tmp_path / "none")


class TestMatch:
    def test_mappings_check_only_the_given_keys(self) -> None:
        assert match({"a": 1}, {"a": 1, "b": 2}) == []

    def test_lists_must_have_the_same_length(self) -> None:
        assert match([{"a": 1}], [{"a": 1}, {"a": 2}]) == [
            "decision: expected 1 items, got 2: [{'a': 1}, {'a': 2}]"
        ]

    def test_values_must_be_equal(self) -> None:
        assert match({"a": [1, 2]}, {"a": [1, 3]}) == ["decision.a[1]: expected 2, got 3"]

    def test_a_missing_key_is_reported(self) -> None:
        assert match({"z": 1}, {"a": 1}) == ["decision: no field 'z' in ['a']"]
