"""Health of the scenario library: size, ids, and which rules no scenario teaches."""

from __future__ import annotations

from collections import Counter

from counting_rules import Rulebook
from counting_rules.scenario import covered_rules, load_scenarios, taught_rules
from tests.scenarios.test_scenarios import LIBRARY

SCENARIOS = load_scenarios(LIBRARY)


def test_the_library_has_at_least_forty_scenarios() -> None:
    assert len(SCENARIOS) >= 40, len(SCENARIOS)


def test_scenario_ids_are_paths_in_the_rulebook_tree() -> None:
    ids = [str(s.id) for s in SCENARIOS]
    assert len(set(ids)) == len(ids)
    roots = {
        "hocr/general_rules",
        "hocr/crime_types",
        "hocr/crime_flags",
        "hocr/reported_incidents",
        "hocr/victims_code",
    }
    for ident in ids:
        assert any(ident.startswith(r + "/") for r in roots), ident


def test_every_rule_is_taught_by_some_scenario(book: Rulebook) -> None:
    """Every rule file is taught; for a decision table, some of its rows (every row has its own
    fire and not-fire tests in tests/rulebooks: a scenario teaches the table, not each row)."""
    uncovered = sorted(set(book.rules) - taught_rules(book, SCENARIOS))
    assert not uncovered, "rules no scenario teaches:\n  " + "\n  ".join(uncovered)


def test_every_taught_rule_exists(book: Rulebook) -> None:
    unknown = sorted(covered_rules(SCENARIOS) - set(book.rules))
    assert not unknown, unknown


def test_the_library_covers_every_general_rules_area() -> None:
    folders = Counter(str(s.id).split("/")[2] for s in SCENARIOS if "general_rules" in str(s.id))
    for area in (
        "ncrs",
        "a_whether_and_when_to_record",
        "annex_a_other_force_areas",
        "c_removing_recorded_crimes",
        "d_one_crime_per_victim",
        "e_finished_incident_rule",
        "f_principal_crime_rule",
        "equality_data",
    ):
        assert folders[area] >= 1, area


def test_every_edition_is_used(book: Rulebook) -> None:
    used = {s.edition for s in SCENARIOS} | {
        st.edition for s in SCENARIOS for st in s.stages if st.edition
    }
    assert {e.id for e in book.editions} <= used


def test_every_scenario_has_topics_and_its_folder_is_one() -> None:
    """`scenarios list --topic` finds every scenario by the HOCR part it is filed under."""
    for s in SCENARIOS:
        assert s.topics, f"{s.id}: no topics"
        parts = str(s.id).split("/")
        if parts[1] == "crime_types":
            assert parts[2].replace("_", " ") in s.topics, s.id
