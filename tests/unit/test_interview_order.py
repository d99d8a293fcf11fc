"""The still-needed questions for a minimal report: whether to record first, then which
crime, then how many crimes are counted, then the rest; each with its answer type, and none
that cannot change the decision."""

from __future__ import annotations

from counting_rules import decide, parse_case
from tests.reliability.cases import report

STAGES = ["recording", "classification", "counting", "other"]

MINIMAL_ASSAULT = {
    "report": report(),
    "victims": [{"id": "V1", "age": 30}],
    "allegations": [
        {"id": "A1", "offence": "assault", "victim": "V1", "occurred_in_force": "kent"}
    ],
}


def test_a_minimal_assault_asks_whether_it_is_a_crime_first() -> None:
    d = decide(parse_case(MINIMAL_ASSAULT))
    stages = [q.settles for q in d.still_needed]
    assert stages == sorted(stages, key=STAGES.index)
    first = d.still_needed[:2]
    assert {q.path for q in first} == {
        "allegations[A1].force_on_person",
        "allegations[A1].threat_of_force",
    }
    assert {q.answer_type for q in first} == {"yes_no"}
    assert all(q.settles == "recording" for q in first)
    assert [u.allegation_id for u in d.undecided] == ["A1"]  # never "no crime"


def test_every_question_names_the_rules_it_can_change_and_how_to_answer() -> None:
    d = decide(parse_case(MINIMAL_ASSAULT))
    for q in d.still_needed:
        assert q.needed_by, q.path
        assert q.answer_type in {"yes_no", "choice", "choices", "number", "text", "id", "ids"}
        assert (q.answer_type in ("choice", "choices")) == bool(q.choices), q.path


def test_once_force_is_reported_the_crime_is_recorded_and_only_classification_remains_open() -> (
    None
):
    case = {**MINIMAL_ASSAULT}
    case["allegations"] = [{**MINIMAL_ASSAULT["allegations"][0], "force_on_person": True}]
    d = decide(parse_case(case))
    assert [c.allegation_id for c in d.crimes] == ["A1"]
    assert not any(q.settles == "recording" for q in d.still_needed)
    assert any(q.path == "allegations[A1].injury" for q in d.still_needed)


def test_no_police_officer_question_about_a_child() -> None:
    case = {**MINIMAL_ASSAULT, "victims": [{"id": "V1", "age": 9}]}
    d = decide(parse_case(case))
    assert not any(q.field == "is_police_officer" for q in d.still_needed)


def test_an_allegation_that_is_not_a_crime_asks_nothing_about_its_classification() -> None:
    cctv = {
        "id": "E1",
        "allegation": "A1",
        "kind": "credible_evidence_to_contrary",
        "basis": "cctv",
        "verified": True,
        "immediately_available": True,
        "shows": "did_not_occur",
    }
    case = {**MINIMAL_ASSAULT, "evidence": [cctv]}
    case["allegations"] = [{**MINIMAL_ASSAULT["allegations"][0], "force_on_person": True}]
    d = decide(parse_case(case))
    assert [i.allegation_id for i in d.incidents] == ["A1"]
    assert not any(q.settles == "classification" for q in d.still_needed)
    assert not any("/assault/" in r for r in d.may_change)
    unverified = decide(parse_case({**case, "evidence": [{**cctv, "verified": None}]}))
    assert any(q.path == "allegations[A1].injury" for q in unverified.still_needed)  # may be one


def test_the_counting_stage_is_read_from_the_rules_that_absorb_crimes() -> None:
    # Counting facts (candidate and ranked crimes) settle how many crimes are counted: after
    # the classification they rest on, before flags, deadlines and duties.
    from counting_rules._engine.decide import default_rulebook, edition_for, report_date
    from counting_rules._engine.still_needed import _settles, stages

    book = default_rulebook()
    recording, counting = stages(edition_for(book, report_date(parse_case(MINIMAL_ASSAULT))).rules)
    assert {"candidate", "ranked"} <= counting
    assert "in_law" in recording
    assert "ranked" not in recording
    settled = {t: _settles(t, recording, counting) for t in ("in_law", "classification", "ranked")}
    assert settled == {
        "in_law": "recording",
        "classification": "classification",
        "ranked": "counting",
    }
    assert _settles("victim_duty", recording, counting) == "other"
