"""``counting-rules diff``: what changes between two editions, and which rules cause it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from counting_rules._case.files import load_case_file
from counting_rules._engine.decide import default_rulebook
from counting_rules._maintain.diff import compare, scenario_cases
from counting_rules.cli import main

SCOPE_2023 = "general_rules/f_principal_crime_rule/principal_crime_scope/2023"
UNNAMED_2023 = "general_rules/f_principal_crime_rule/unnamed_offender"
PRINCIPAL = "general_rules/f_principal_crime_rule/principal_crime_rule"

# The Home Office's 2023 example: stalking and criminal damage against the same victim.
STALKING_AND_DAMAGE = """
report:
  id: stalk-1
  received_at: "2023-06-01T10:00:00+01:00"
  reporter: {kind: victim}
  recording_force: kent
victims:
  - {id: V1, kind: person, age: 34, sex: female, ethnicity: W1, disability: false,
     vulnerable: false, has_capacity: true, traceable: true, confirmed: true,
     objects_to_referral: false, is_police_officer: false}
offenders:
  - {id: O1, age: 36, relationships: [{victim: V1, kind: former_partner}]}
allegations:
  - {id: A1, offence: stalking, victim: V1, offenders: [O1], occurred_in_force: kent,
     stalking_behaviour: true, course_of_conduct: true,
     outside_england_and_wales: false}
  - {id: A2, offence: criminal_damage, victim: V1, offenders: [O1], occurred_in_force: kent,
     property_damaged: true, damage_deliberate_or_reckless: true, damage_target: vehicle,
     racially_or_religiously_aggravated: false, outside_england_and_wales: false}
"""


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    (tmp_path / "stalking_and_damage.yaml").write_text(STALKING_AND_DAMAGE)
    return tmp_path


def test_diff_names_the_conduct_crime_change_and_the_rules_behind_it(
    case_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", "2018", "2023", str(case_dir), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["cases"] == 1
    (change,) = [c for c in report["changes"] if c["subject"] == "allegation A2"]
    assert change["conduct_crime"] is True
    assert change["before"].startswith("crime 58C")
    assert change["after"].startswith("58C absorbed into A1 (8Q Stalking)")
    causes = {(c["rule_id"], c["fired_under"], c["in_force_in_other"]) for c in change["causes"]}
    assert causes == {(SCOPE_2023, "2023", False), (PRINCIPAL, "2023", True)}
    # The stalking crime itself does not change: the principal crime rule keeps it.
    assert not [c for c in report["changes"] if c["subject"] == "allegation A1"]


def test_diff_as_text_lists_conduct_crime_changes_first(
    case_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", "2018", "2023", str(case_dir)]) == 0
    out = capsys.readouterr().out
    head, _, rest = out.partition("all changes:")
    assert "1 involve a conduct crime" in head
    assert "conduct-crime changes:" in head
    assert f"+ {SCOPE_2023} (not in force in 2018)" in head
    assert f"+ {PRINCIPAL}\n" in head
    assert "victims_code/confirm_crime_recorded (not in force in 2018)" in rest


def test_the_same_edition_twice_changes_nothing(case_dir: Path) -> None:
    book = default_rulebook()
    ed = book.edition("2023")
    cases = [("file", load_case_file(case_dir / "stalking_and_damage.yaml"))]
    assert compare(book, ed, ed, cases, "reference").changes == []


def test_an_unknown_edition_is_a_usage_error(
    case_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", "2018", "2017", str(case_dir)]) == 64
    assert "unknown edition '2017'" in capsys.readouterr().err


def test_diff_adds_a_generated_sample_when_asked(
    case_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["diff", "2018", "2023", str(case_dir), "--examples", "30", "--format", "json"]
    assert main([*args, "--evaluator", "reference"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["cases"] == 31
    assert {c["source"] for c in report["changes"]} > {str(case_dir / "stalking_and_damage.yaml")}


def test_diff_2018_2023_on_the_scenarios_lists_the_conduct_crime_changes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    if not scenario_cases():
        pytest.skip("no scenario library in this checkout")
    assert main(["diff", "2018", "2023", "--examples", "0", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    conduct = [c for c in report["changes"] if c["conduct_crime"]]
    assert conduct
    assert all(c["source"].startswith("scenario ") for c in report["changes"])
    assert all(c["causes"] for c in conduct)
    absorbed = [c for c in conduct if "absorbed into" in c["after"]]
    assert absorbed
    for change in absorbed:
        # From 2023 a crime is ranked by offender and report, or by occasion with no offender named.
        assert {SCOPE_2023, UNNAMED_2023} & {cz["rule_id"] for cz in change["causes"]}
