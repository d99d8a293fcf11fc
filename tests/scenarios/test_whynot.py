"""Why not: the first failed condition, the unknown fact, exceptions, editions, in words."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from counting_rules import CaseFactsError, Rulebook, UsageError, why_not
from counting_rules.cli import main

VAP = "crime_types/violence_against_the_person"
CASE: dict[str, Any] = {
    "report": {
        "id": "r1",
        "received_at": "2022-06-01T10:00:00+01:00",
        "reporter": {"kind": "victim"},
        "recording_force": "kent",
    },
    "victims": [
        {"id": "V1", "age": 28, "sex": "male", "confirmed": True, "is_police_officer": False}
    ],
    "allegations": [
        {
            "id": "A1",
            "offence": "assault",
            "victim": "V1",
            "injury": "abh",
            "intent_serious_harm": False,
            "aggravating_feature": False,
            "racially_or_religiously_aggravated": False,
            "force_on_person": True,
        }
    ],
}


def case(**allegation: Any) -> dict[str, Any]:
    out = copy.deepcopy(CASE)
    out["allegations"][0].update(allegation)
    return out


def test_a_false_condition_is_named_with_the_value_and_what_the_rule_needs(
    book: Rulebook,
) -> None:
    w = why_not(case(), f"{VAP}/assault/without_injury", subject="A1", rulebook=book)
    assert w.status == "condition_failed"
    assert (w.pattern, w.field, w.fact) == (1, "injury", "allegation A1 (assault)")
    assert w.reason == "allegation A1 (assault) has injury abh; the rule needs none."
    assert w.title == book.rules[f"{VAP}/assault/without_injury"].title
    assert w.citation.url in w.text
    assert w.title in w.text


def test_an_unknown_fact_is_named_with_the_question_to_ask(book: Rulebook) -> None:
    w = why_not(case(injury=None), f"{VAP}/assault/with_injury", subject="A1", rulebook=book)
    assert w.status == "fact_unknown"
    assert w.field == "injury"
    assert w.questions == ("What injury did the victim suffer?",)
    assert "injury is not known yet, and the rule needs one of minor, abh or serious" in w.reason


def test_an_unknown_fact_behind_a_concluded_fact_is_traced_to_its_question(
    book: Rulebook,
) -> None:
    rid = "general_rules/a_whether_and_when_to_record/record_within_24_hours"
    w = why_not(case(force_on_person=None), rid, subject="A1", rulebook=book)
    assert w.status == "fact_unknown"
    assert w.fact == "the recording decision for A1"
    assert w.questions == (
        "Was force used on the victim?",
        "Was the victim put in fear of immediate force?",
    )


def test_a_rule_that_fired_says_so_with_its_explanation(book: Rulebook) -> None:
    w = why_not(case(), f"{VAP}/assault/with_injury", subject="A1", rulebook=book)
    assert w.status == "fired"
    assert "classified 8N" in w.reason
    assert " applies for A1 " in w.text


def test_a_rule_not_in_force_in_the_edition(book: Rulebook) -> None:
    rid = "crime_types/stalking_and_harassment/former_partner_course_of_conduct_is_stalking"
    w = why_not(case(), rid, edition="2018", rulebook=book)
    assert w.status == "not_in_force"
    assert w.edition == "2018"
    assert "in force from edition 2020" in w.reason


def test_an_exception_that_applies(book: Rulebook) -> None:
    rape = case(offence="rape", penetration=True, consent="not_given")
    rape["victims"][0]["confirmed"] = False
    w = why_not(rape, "general_rules/ncrs/record_when_test_met", subject="A1", rulebook=book)
    assert w.status == "overridden"
    assert w.overridden_by == ("reported_incidents/n100_1_victim_not_confirmed",)
    assert "an exception applies" in w.reason
    assert book.rules["reported_incidents/n100_1_victim_not_confirmed"].citation.url in w.reason


def test_an_exception_that_may_apply_asks_for_the_unknown_fact(book: Rulebook) -> None:
    third = case(injury="none")
    third["report"]["reporter"] = {"kind": "other_third_party"}
    third["victims"][0].update(confirmed=False, age=40)
    w = why_not(third, "general_rules/ncrs/record_when_test_met", subject="A1", rulebook=book)
    assert w.status == "fact_unknown"
    assert w.overridden_by == (
        "general_rules/a_whether_and_when_to_record/third_party_awaiting_confirmation",
    )
    assert w.questions == ("Is the victim vulnerable (an adult at risk, or a child)?",)


def test_no_matching_fact(book: Rulebook) -> None:
    rid = "general_rules/c_removing_recorded_crimes/c4_error_refused"
    w = why_not(case(), rid, rulebook=book)
    assert w.status == "no_matching_fact"
    assert w.reason == "it needs a proposal (category: C4), and there is none."


def test_a_fact_that_must_be_absent_but_is_present(book: Rulebook) -> None:
    doc = case()
    doc["evidence"] = [
        {
            "id": "E1",
            "allegation": "A1",
            "kind": "additional_verifiable_information",
            "basis": "cctv",
            "shows": "did_not_occur",
            "verified": True,
            "new_information": True,
        }
    ]
    doc["proposals"] = [{"id": "P1", "allegation": "A1", "category": "C2"}]
    rid = "general_rules/c_removing_recorded_crimes/c2_avi_refused"
    w = why_not(doc, rid, subject="P1", rulebook=book)
    assert w.status == "condition_failed"
    assert w.fact == "evidence E1"
    assert "it needs there to be no evidence for A1" in w.reason


def test_the_subject_picks_the_allegation(book: Rulebook) -> None:
    doc = case()
    doc["allegations"].append(
        {**doc["allegations"][0], "id": "A2", "injury": "none", "occasion": "later"}
    )
    rid = f"{VAP}/assault/without_injury"
    assert why_not(doc, rid, subject="A2", rulebook=book).status == "fired"
    assert why_not(doc, rid, subject="A1", rulebook=book).status == "condition_failed"


def test_an_unknown_rule_is_a_usage_error_with_a_suggestion(book: Rulebook) -> None:
    with pytest.raises(UsageError, match="did you mean"):
        why_not(case(), f"{VAP}/assault_with_injry", rulebook=book)


def test_a_subject_not_in_the_case_is_an_error(book: Rulebook) -> None:
    with pytest.raises(CaseFactsError, match="'A9' is not the id"):
        why_not(case(), f"{VAP}/assault/with_injury", subject="A9", rulebook=book)


def _case_file(tmp_path: Path, doc: dict[str, Any]) -> str:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return str(path)


def test_cli_explain_why_not(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _case_file(tmp_path, case())
    code = main(["explain", path, "--why-not", f"{VAP}/assault/without_injury", "--subject", "A1"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith(f"Why not {VAP}/assault/without_injury? [condition failed]\n")
    assert "has injury abh; the rule needs none" in out
    assert "Source: " in out


def test_cli_explain_json_for_several_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _case_file(tmp_path, case(injury=None))
    code = main(
        [
            "explain",
            path,
            "--format",
            "json",
            "--why-not",
            f"{VAP}/assault/with_injury",
            "--why-not",
            f"{VAP}/assault/without_injury",
        ]
    )
    docs = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [d["status"] for d in docs] == ["fact_unknown", "fact_unknown"]
    assert docs[0]["questions"] == ["What injury did the victim suffer?"]


def test_cli_explain_errors_map_to_exit_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _case_file(tmp_path, case())
    assert main(["explain", path, "--why-not", "no/such_rule"]) == 64  # a usage error: no such rule
    assert (
        main(["explain", path, "--why-not", f"{VAP}/assault/with_injury", "--subject", "X"]) == 65
    )
    assert main(["explain", str(tmp_path / "none.yaml"), "--why-not", "x"]) == 66
    err = capsys.readouterr().err
    assert "error [usage]: no rule 'no/such_rule'" in err
