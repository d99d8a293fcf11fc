"""Regression tests for the wrong decisions marked "complete" (issue 8, items 2 to 5).

Each reproduction from the reliability review is decided on both evaluators; an unknown fact
must never silently change the outcome: it is asked for, and the decision is not complete.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from counting_rules import CaseFactsError, Decision, decide, parse_case
from counting_rules._case.files import load_case_file

from .cases import assaults

REPROS = Path(__file__).parent / "repros"


def both(name: str, **changes: Any) -> Decision:
    """The decision on ``repros/name`` (with ``changes`` applied); both evaluators agree."""
    case = load_case_file(REPROS / name)
    if changes:
        case = parse_case({**case.model_dump(mode="json"), **changes})
    durable = decide(case)
    assert durable == decide(case, evaluator="reference")
    return durable


def paths(d: Decision) -> set[str]:
    return {n.path for n in d.still_needed}


def test_colliding_allegation_ids_both_recorded() -> None:
    d = both("collide_allegation.yaml")
    assert [c.allegation_id for c in d.crimes] == ["A00827b", "B001b8f"]


def test_colliding_proposal_gets_its_ruling() -> None:
    d = both("collide_proposal.json")
    assert [c.proposal_id for c in d.cancellations] == ["P0004be"]


def test_unknown_victim_of_a_victim_based_offence_is_asked_not_state_based() -> None:
    d = both("no_victim.yaml")
    (crime,) = d.crimes
    assert crime.victim_id is None
    assert "allegations[A1].victim" in paths(d)
    assert not d.complete


def test_rape_with_no_victim_is_never_a_crime_without_a_code() -> None:
    d = both("rape_no_victim.yaml")
    assert all(c.code is not None for c in d.crimes)
    assert "A4" not in {c.allegation_id for c in d.crimes}
    assert "allegations[A4].victim" in paths(d)
    assert not d.complete


def test_a_state_based_offence_needs_no_victim() -> None:
    case = load_case_file(REPROS / "no_victim.yaml").model_dump(mode="json")
    case["allegations"][0]["offence"] = "possession_of_bladed_article"
    d = decide(parse_case(case))
    assert "allegations[A1].victim" not in paths(d)


def test_unstated_relationship_is_asked_and_the_flag_stays_open() -> None:
    d = both("no_relationships.yaml")
    assert "offenders[O1].relationships" in paths(d)
    assert not d.complete
    assert "crime_flags/domestic_abuse_partner/2023" in d.may_change


def test_stated_relationship_gives_the_flag() -> None:
    case = load_case_file(REPROS / "no_relationships.yaml").model_dump(mode="json")
    case["offenders"][0]["relationships"] = [{"victim": "V1", "kind": "current_partner"}]
    d = decide(parse_case(case))
    a1 = next(c for c in d.crimes if c.allegation_id == "A1")
    assert "domestic_abuse" in a1.flags
    assert "offenders[O1].relationships" not in paths(d) or any(
        n.path == "offenders[O1].relationships" and n.subject_id == "O1" for n in d.still_needed
    )


def test_unknown_hostility_is_asked_known_hostility_flags() -> None:
    unknown, known = both("hostility_unknown.json"), both("hostility_known.json")
    assert "allegations[A1].hostility_perceived" in paths(unknown)
    assert not unknown.complete
    assert "hate_crime_race" in known.crimes[0].flags
    assert "allegations[A1].hostility_perceived" not in paths(known)


@pytest.mark.parametrize("field", ["occurred_in_force", "outside_england_and_wales"])
def test_unknown_place_is_asked_never_taken_as_local(field: str) -> None:
    d = both("other_force_unknown.json")
    known = both("other_force_known.json")
    assert known.n100s
    assert known.n100s[0].n100_type == "N100/3"
    assert "allegations[A1].occurred_in_force" in paths(d)
    assert not d.complete
    case = load_case_file(REPROS / "other_force_known.json").model_dump(mode="json")
    case["allegations"][0][field] = None
    hidden = decide(parse_case(case))

    def outcome(d: Decision) -> list[tuple[str, str | None]]:
        return [(n.allegation_id, n.n100_type) for n in d.n100s]

    if outcome(hidden) != outcome(known):
        assert not hidden.complete
        assert f"allegations[A1].{field}" in paths(hidden)


def test_unknown_duplicate_keeps_the_inform_duty_open() -> None:
    case = assaults("A1", proposals=[{"id": "P1", "allegation": "A1", "category": "C3"}])
    d = decide(case)
    assert d == decide(case, evaluator="reference")
    assert "proposals[P1].duplicate_of" in paths(d)
    assert not d.complete


def test_a_crime_without_a_code_is_never_complete() -> None:
    case = load_case_file(REPROS / "no_victim.yaml").model_dump(mode="json")
    case["allegations"][0]["injury"] = None  # the classification turns on it
    d = both("no_victim.yaml", allegations=case["allegations"])
    assert [c.code for c in d.crimes] == [None]
    assert not d.complete


def test_a_victim_nobody_named_does_not_hold_up_a_classification_that_needs_none() -> None:
    d = both("no_victim.yaml")
    assert [(c.code, c.victim_id) for c in d.crimes] == [("105A", None)]
    assert "allegations[A1].victim" in paths(d)
    assert not d.complete


def test_the_same_instant_gives_the_same_edition_whatever_its_offset() -> None:
    bst, utc = both("tz_bst.json"), both("tz_utc.json")
    assert bst.edition == utc.edition == "2023"
    assert [(c.allegation_id, c.code) for c in bst.crimes] == [
        (c.allegation_id, c.code) for c in utc.crimes
    ]
    assert [c.deadline for c in bst.crimes] == [c.deadline for c in utc.crimes]


def test_a_record_cannot_duplicate_itself() -> None:
    case = load_case_file(REPROS / "no_victim.yaml").model_dump(mode="json")
    case["proposals"] = [{"id": "P1", "allegation": "A1", "category": "C3", "duplicate_of": "A1"}]
    with pytest.raises(CaseFactsError, match="cannot duplicate itself"):
        parse_case(case)


def test_an_exception_that_may_apply_to_an_overriding_rule_is_asked_for() -> None:
    # Found by test_removing_a_fact: a witness reports a murder in another force's area. Known
    # to be in England and Wales, it is transferred (the transfer overrides "awaiting the
    # victim's confirmation"); whether it happened abroad unknown, the homicide-abroad
    # exception may override the transfer, so the decision must ask, not settle on the
    # incident record.
    murder = {
        "id": "A1",
        "offence": "murder",
        "victim": "V1",
        "occurred_in_force": "essex",
        "victim_died": True,
        "force_on_person": True,
        "injury": "serious",
        "in_scotland_or_northern_ireland": False,
    }
    data = {
        "report": {
            "id": "R1",
            "received_at": "2020-09-14T16:19:01Z",
            "reporter": {"kind": "witness"},
            "recording_force": "kent",
        },
        "victims": [{"id": "V1", "age": 40, "confirmed": False, "vulnerable": False}],
        "allegations": [{**murder, "outside_england_and_wales": False}],
    }
    known = decide(parse_case(data))
    assert [t.allegation_id for t in known.transfers] == ["A1"]
    data["allegations"] = [murder]
    for evaluator in ("durable", "reference"):
        unknown = decide(parse_case(data), evaluator=evaluator)
        assert "allegations[A1].outside_england_and_wales" in paths(unknown), evaluator
        assert not unknown.complete, evaluator
