"""Per-record audit findings (issue 13, item 2): every kind, produced by a record that earns
it and not by one that is right. Cases come from the example and rule test files, each with
an ``as_recorded`` block; what the rules required is always the engine's decision, read from
it, never written here."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, get_args

import pytest

from counting_rules import Decision, decide, parse_case
from counting_rules._audit.finding import SENTENCES, AuditFinding, FindingKind
from counting_rules._audit.findings import audit_record
from counting_rules._common.yaml_lines import load_text
from counting_rules.errors import UsageError

ROOT = Path(__file__).parents[2]
RULE_CASES = ROOT / "tests" / "rulebooks"
C_RULES = "general_rules/c_removing_recorded_crimes"


def example(name: str) -> dict[str, Any]:
    """A bundled example case (examples/cases)."""
    data: dict[str, Any] = load_text((ROOT / "examples" / "cases" / name).read_text()).data
    return data


def rule_case(file: str, name: str) -> dict[str, Any]:
    """The case named ``name`` in a rule's test file (tests/rulebooks, tests/examples)."""
    path = RULE_CASES / file if not file.startswith("tests/") else ROOT / file
    doc = load_text(path.read_text()).data
    for spec in doc["cases"]:
        if spec["name"] == name:
            case: dict[str, Any] = spec["case"]
            return case
    raise AssertionError(f"no case {name!r} in {file}")


def audited(data: dict[str, Any], record: dict[str, Any]) -> tuple[Decision, list[AuditFinding]]:
    case = parse_case({**data, "as_recorded": record})
    decision = decide(case)
    return decision, audit_record(case, decision)


def received(data: dict[str, Any]) -> datetime:
    return parse_case(data).report.received_at


def faithful(data: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """The record of a force that did what the engine decides: each crime recorded as
    decided, on receipt; each N100 made on receipt."""
    decision = decide(parse_case(data))
    at = received(data).isoformat()
    return {
        "crimes": [
            {
                "allegation": c.allegation_id,
                "code": c.code,
                "victim": c.victim_id,
                "recorded_at": at,
            }
            for c in decision.crimes
        ],
        "n100s": [
            {"allegation": n.allegation_id, "n100_type": n.n100_type, "created_at": at}
            for n in decision.n100s
        ],
        **extra,
    }


def kinds(found: list[AuditFinding]) -> list[str]:
    return [f.kind for f in found]


def rule_ids(f: AuditFinding) -> set[str]:
    return {r.rule_id for r in f.reasons}


def only(found: list[AuditFinding], kind: str) -> AuditFinding:
    chosen = [f for f in found if f.kind == kind]
    assert len(chosen) == 1, found
    return chosen[0]


def test_every_kind_has_one_sentence() -> None:
    assert set(SENTENCES) == set(get_args(FindingKind))


# --- crimes: recorded, as what, how many, when ---------------------------------------------

PUB = example("punched_outside_pub.yaml")
DOMESTIC = example("domestic_incident.yaml")


def test_a_crime_not_recorded_is_under_recording_with_its_group() -> None:
    decision, found = audited(PUB, {})
    crime = decision.crimes[0]
    f = only(found, "crime_not_recorded")
    assert (f.allegation_id, f.victim_id) == (crime.allegation_id, crime.victim_id)
    assert f.crime_group == "violence"
    assert rule_ids(f) == {r.rule_id for r in crime.reasons}
    assert "general_rules/ncrs/record_when_test_met" in rule_ids(f)
    assert crime.code in f.sentence


def test_a_record_of_every_crime_the_rules_require_has_no_finding() -> None:
    for data in (PUB, DOMESTIC):
        _, found = audited(data, faithful(data))
        assert found == []


def test_a_crime_recorded_as_another_code_is_a_wrong_classification() -> None:
    decision, _ = audited(PUB, {})
    crime = decision.crimes[0]
    other = "8N" if crime.code != "8N" else "105A"
    record = faithful(PUB)
    record["crimes"][0]["code"] = other
    _, found = audited(PUB, record)
    f = only(found, "wrong_classification")
    assert f.allegation_id == crime.allegation_id
    assert f.details["recorded_code"] == other
    assert f.details["decided_code"] == crime.code
    assert rule_ids(f)
    assert all(r.startswith("crime_types/") for r in rule_ids(f))
    assert kinds(audited(PUB, faithful(PUB))[1]) == []


def test_recording_an_absorbed_allegation_as_well_is_a_wrong_count() -> None:
    decision = decide(parse_case(DOMESTIC))
    principal = next(c for c in decision.crimes if c.absorbed)
    absorbed = principal.absorbed[0]
    record = faithful(DOMESTIC)
    record["crimes"].append(
        {"allegation": absorbed.allegation_id, "code": absorbed.code, "victim": principal.victim_id}
    )
    _, found = audited(DOMESTIC, record)
    f = only(found, "wrong_count")
    assert f.victim_id == principal.victim_id
    decided = sum(1 for c in decision.crimes if c.victim_id == principal.victim_id)
    assert (f.details["recorded_count"], f.details["decided_count"]) == (decided + 1, decided)
    assert "general_rules/f_principal_crime_rule/principal_crime_rule" in rule_ids(f)


def test_recording_the_absorbed_allegation_instead_of_the_principal_is_a_misclassification() -> (
    None
):
    decision = decide(parse_case(DOMESTIC))
    principal = next(c for c in decision.crimes if c.absorbed)
    absorbed = principal.absorbed[0]
    record = faithful(DOMESTIC)
    for cr in record["crimes"]:
        if cr["allegation"] == principal.allegation_id:
            cr.update(allegation=absorbed.allegation_id, code=absorbed.code)
    _, found = audited(DOMESTIC, record)
    assert kinds(found) == ["wrong_classification"]  # the count is right, the crime is not
    assert found[0].details == {
        "recorded_code": str(absorbed.code),
        "decided_code": str(principal.code),
        "decided_title": str(principal.title),
    }


TWO_BURGLARIES = {
    k: v
    for k, v in rule_case(
        f"{C_RULES}/inform_victim_of_cancellation.yaml",
        "a duplicate record's cancellation needs no notice (R1 p.26 names C1, C2 and C5 only)",
    ).items()
    if k != "proposals"
}


def test_fewer_crimes_than_the_rules_count_for_a_victim_is_a_wrong_count() -> None:
    data = {
        **TWO_BURGLARIES,
        "allegations": [
            {**a, "attempted": False, "armed": False, "occasion": f"occasion-{i}"}
            for i, a in enumerate(TWO_BURGLARIES["allegations"])
        ],  # classified, and on two occasions: two crimes
    }
    decision = decide(parse_case(data))
    assert len(decision.crimes) == 2
    record = faithful(data)
    missing = record["crimes"].pop()
    _, found = audited(data, record)
    assert sorted(kinds(found)) == ["crime_not_recorded", "wrong_count"]
    assert only(found, "crime_not_recorded").allegation_id == missing["allegation"]
    assert only(found, "wrong_count").details == {"recorded_count": 1, "decided_count": 2}
    assert audited(data, faithful(data))[1] == []


def test_a_classification_still_to_be_settled_cannot_be_judged() -> None:
    decision = decide(parse_case(TWO_BURGLARIES))
    assert [c.code for c in decision.crimes] == [None, None]  # attempted? armed? not known
    at = received(TWO_BURGLARIES).isoformat()
    record = {
        "crimes": [
            {"allegation": c.allegation_id, "code": "28E", "recorded_at": at}
            for c in decision.crimes
        ]
    }
    _, found = audited(TWO_BURGLARIES, record)
    assert [(f.kind, f.about, f.allegation_id) for f in found] == [
        ("cannot_judge", "wrong_classification", "A1"),
        ("cannot_judge", "wrong_classification", "A2"),
    ]
    assert "allegations[A1].attempted" in found[0].still_needed
    assert "allegations[A1].hostility_perceived" not in found[0].still_needed  # not a class


def test_a_crime_recorded_after_its_deadline_is_late_by_the_hours_past_it() -> None:
    decision, _ = audited(PUB, {})
    deadline = decision.crimes[0].deadline
    assert deadline is not None
    record = faithful(PUB)
    record["crimes"][0]["recorded_at"] = (deadline + timedelta(hours=4, minutes=1)).isoformat()
    _, found = audited(PUB, record)
    f = only(found, "recorded_late")
    assert f.details["hours_late"] == 5  # a minute into an hour counts it
    assert rule_ids(f) == {"general_rules/a_whether_and_when_to_record/record_within_24_hours"}
    record["crimes"][0]["recorded_at"] = deadline.isoformat()  # on the deadline is in time
    assert audited(PUB, record)[1] == []


def test_a_crime_recorded_with_no_time_cannot_be_judged_for_timeliness() -> None:
    record = faithful(PUB)
    del record["crimes"][0]["recorded_at"]
    _, found = audited(PUB, record)
    f = only(found, "cannot_judge")
    assert f.about == "recorded_late"
    assert f.still_needed == ("as_recorded.crimes[0].recorded_at",)


# --- N100s ----------------------------------------------------------------------------------

RAPE_AT_ONCE = rule_case(
    "general_rules/a_whether_and_when_to_record/deadline_from_confirmation.yaml",
    "a victim who confirms when reporting gets the usual 24 hours from the report",
)
RAPE_CONFIRMED_LATER = rule_case(
    "general_rules/a_whether_and_when_to_record/deadline_from_confirmation.yaml",
    "a rape a friend reported, confirmed two days later, is recorded within 24 hours of the "
    "confirmation (example C12)",
)


def n100_only(data: dict[str, Any]) -> dict[str, Any]:
    at = received(data).isoformat()
    return {"n100s": [{"allegation": "A1", "n100_type": "N100/1", "created_at": at}]}


def test_an_n100_made_where_a_crime_was_due_from_the_outset() -> None:
    decision, found = audited(RAPE_AT_ONCE, n100_only(RAPE_AT_ONCE))
    assert decision.crimes[0].deadline_basis == "received"
    assert sorted(kinds(found)) == ["crime_not_recorded", "n100_instead_of_crime"]
    f = only(found, "n100_instead_of_crime")
    assert f.crime_group == "rape"
    assert "general_rules/ncrs/record_when_test_met" in rule_ids(f)


def test_an_n100_not_converted_when_the_victim_confirmed() -> None:
    decision, found = audited(RAPE_CONFIRMED_LATER, n100_only(RAPE_CONFIRMED_LATER))
    assert decision.crimes[0].deadline_basis == "confirmation"
    assert sorted(kinds(found)) == ["crime_not_recorded", "n100_not_converted"]
    f = only(found, "n100_not_converted")
    timeliness = "general_rules/a_whether_and_when_to_record/deadline_from_confirmation"
    assert any(r.startswith(timeliness) for r in rule_ids(f)), rule_ids(f)


def test_an_n100_converted_in_time_has_no_finding() -> None:
    decision = decide(parse_case(RAPE_CONFIRMED_LATER))
    deadline = decision.crimes[0].deadline
    assert deadline is not None
    record = n100_only(RAPE_CONFIRMED_LATER)
    record["n100s"][0]["converted_at"] = deadline.isoformat()
    record["crimes"] = [
        {"allegation": "A1", "code": decision.crimes[0].code, "recorded_at": deadline.isoformat()}
    ]
    assert audited(RAPE_CONFIRMED_LATER, record)[1] == []


def test_an_n100_the_rules_require_has_no_finding() -> None:
    decision, found = audited(DOMESTIC, faithful(DOMESTIC))
    assert decision.n100s  # the unconfirmed rape report
    assert found == []


# --- cancellations --------------------------------------------------------------------------


def cancelled(data: dict[str, Any], category: str, **fields: Any) -> dict[str, Any]:
    """A faithful record, then a cancellation of allegation A1's crime."""
    record = faithful(data)
    if not any(c["allegation"] == "A1" for c in record["crimes"]):
        record["crimes"].append({"allegation": "A1", "code": "49"})  # a crime was recorded
    record["cancellations"] = [{"allegation": "A1", "category": category, **fields}]
    return record


C4_ASSAULT = rule_case(
    f"{C_RULES}/c4_error_refused.yaml",
    "a properly recorded assault may not be removed as created in error (HMICFRS 2018 C4 misuse)",
)
C4_NOT_A_CRIME = rule_case(
    f"{C_RULES}/c4_error_refused.yaml", "not refused when the record was never a crime"
)


def test_c4_used_for_a_substantive_crime() -> None:
    _, found = audited(C4_ASSAULT, cancelled(C4_ASSAULT, "C4", decider="supervisor"))
    f = only(found, "c4_for_substantive_crime")
    assert f.allegation_id == "A1"
    assert f"{C_RULES}/c4_error_refused" in rule_ids(f)
    assert "general_rules/ncrs/record_when_test_met" in rule_ids(f)
    assert "cancellation_not_allowed" not in kinds(found)  # said once, as the C4 misuse


def test_c4_for_a_record_that_was_never_a_crime_is_no_misuse() -> None:
    decision, found = audited(C4_NOT_A_CRIME, cancelled(C4_NOT_A_CRIME, "C4"))
    assert decision.cancellations[0].allowed
    assert "c4_for_substantive_crime" not in kinds(found)
    assert "cancellation_not_allowed" not in kinds(found)


C2_REFUSED = rule_case(
    f"{C_RULES}/c2_avi_refused.yaml",
    "the victim withdrawing support is no reason to cancel an assault",
)


def theft_classified(data: dict[str, Any]) -> dict[str, Any]:
    """The case with the facts that classify its theft (the rule's test leaves them out)."""
    known = {
        "force_on_person": False,
        "threat_of_force": False,
        "property_owner": "personal",
        "item_carried_by_victim": False,
    }
    return {**data, "allegations": [{**a, **known} for a in data["allegations"]]}


C2_ALLOWED = theft_classified(
    rule_case(
        f"{C_RULES}/c2_avi_allowed.yaml",
        "CCTV obtained later showing the bike was the reporter's own and lent out allows a C2 "
        "cancellation",
    )
)


def test_a_cancellation_the_rules_refuse() -> None:
    decision, found = audited(C2_REFUSED, cancelled(C2_REFUSED, "C2", victim_told="yes"))
    ruling = decision.cancellations[0]
    assert not ruling.allowed
    f = only(found, "cancellation_not_allowed")
    assert rule_ids(f) == {r.rule_id for r in ruling.reasons}
    assert f"{C_RULES}/c2_avi_refused" in rule_ids(f)


def test_a_cancellation_the_rules_allow_decided_and_told_rightly_has_no_finding() -> None:
    decision = decide(parse_case(C2_ALLOWED))
    ruling = decision.cancellations[0]
    assert ruling.allowed
    record = cancelled(C2_ALLOWED, "C2", decider=ruling.decider, victim_told="yes")
    assert audited(C2_ALLOWED, record)[1] == []


def test_a_cancellation_with_no_proposal_in_the_case_cannot_be_judged() -> None:
    data = {k: v for k, v in C2_ALLOWED.items() if k != "proposals"}
    _, found = audited(data, cancelled(data, "C2", victim_told="yes"))
    f = only(found, "cannot_judge")
    assert f.about == "cancellation_not_allowed"
    assert f.still_needed[0].startswith("proposals")


RAPE_C2 = rule_case(
    f"{C_RULES}/who_decides.yaml",
    "the force crime registrar decides a C2 cancellation of a recorded rape",
)


def test_a_cancellation_decided_by_the_wrong_person() -> None:
    decision = decide(parse_case(RAPE_C2))
    ruling = decision.cancellations[0]
    assert ruling.decider == "force_crime_registrar"
    _, found = audited(RAPE_C2, cancelled(RAPE_C2, "C2", decider="designated_decision_maker"))
    f = only(found, "wrong_decider")
    assert f.details["decider"] == ruling.decider
    assert f.details["recorded_decider"] == "designated_decision_maker"
    assert f"{C_RULES}/who_decides/rape_or_homicide_avi" in rule_ids(f)
    _, right = audited(RAPE_C2, cancelled(RAPE_C2, "C2", decider=ruling.decider))
    assert "wrong_decider" not in kinds(right)


TOLD = theft_classified(
    rule_case(
        f"{C_RULES}/inform_victim_of_cancellation.yaml",
        "the victim is told when a crime is cancelled on additional verifiable information",
    )
)


def test_a_victim_not_told_of_a_cancellation() -> None:
    decision = decide(parse_case(TOLD))
    decider = decision.cancellations[0].decider
    _, found = audited(TOLD, cancelled(TOLD, "C2", decider=decider, victim_told="no"))
    f = only(found, "victim_not_told")
    assert f.victim_id == "V1"
    assert f"{C_RULES}/inform_victim_of_cancellation" in rule_ids(f)
    _, told = audited(TOLD, cancelled(TOLD, "C2", decider=decider, victim_told="yes"))
    assert told == []
    _, unknown = audited(TOLD, cancelled(TOLD, "C2", decider=decider))
    assert [(f.kind, f.about) for f in unknown] == [("cannot_judge", "victim_not_told")]


# --- incidents closed -----------------------------------------------------------------------

DOOR = rule_case(
    "tests/examples/inspection_case_study_1.yaml",
    "threats of violence at the door by an ex-partner are a public order crime (9A) flagged as "
    "domestic abuse",
)


def test_an_incident_closed_with_no_crime_where_one_was_due() -> None:
    at = received(DOOR)
    incident = {
        "opened_at": at.isoformat(),
        "closed_at": (at + timedelta(hours=3)).isoformat(),
        "closing_code": "NCR-ADV",
        "closing_rationale": "Words of advice given.",
    }
    decision, found = audited(DOOR, {"incident": incident})
    assert sorted(kinds(found)) == ["crime_not_recorded", "incident_closed_without_crime"]
    f = only(found, "incident_closed_without_crime")
    assert f.details["closing_code"] == "NCR-ADV"
    assert f.crime_group == "other"  # public order (9A) is not violence in the catalogue
    assert rule_ids(f) == {r.rule_id for r in decision.crimes[0].reasons}
    assert audited(DOOR, faithful(DOOR, incident=incident))[1] == []


# --- an incomplete decision -----------------------------------------------------------------

AWAITING = rule_case(
    "reported_incidents/n100_1_victim_untraceable.yaml",
    "a traceable victim who has not yet answered leaves the question open",
)


def test_an_undecided_allegation_cannot_be_judged_never_no_crime() -> None:
    decision, found = audited(AWAITING, {})
    assert not decision.complete
    assert [u.allegation_id for u in decision.undecided] == ["A1"]
    assert kinds(found) == ["cannot_judge"]
    needed = {s.path for s in decision.still_needed}
    assert set(found[0].still_needed) <= needed
    assert found[0].still_needed
    recorded = {"crimes": [{"allegation": "A1", "code": "19C"}]}
    assert kinds(audited(AWAITING, recorded)[1]) == ["cannot_judge"]


def test_a_complete_decision_gives_no_cannot_judge() -> None:
    decision, found = audited(PUB, faithful(PUB))
    assert decision.complete
    assert "cannot_judge" not in kinds(found)


def test_auditing_needs_a_record_and_the_case_s_own_decision() -> None:
    case = parse_case(PUB)
    with pytest.raises(UsageError, match="no as_recorded"):
        audit_record(case, decide(case))
    other = parse_case({**DOOR, "as_recorded": {}})
    with pytest.raises(UsageError, match="decision is on case"):
        audit_record(parse_case({**PUB, "as_recorded": {}}), decide(other))
