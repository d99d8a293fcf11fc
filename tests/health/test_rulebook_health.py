"""Health of the rules as data: citations, templates, tests that make each rule fire and not
fire, no orphans, and the rulebook shipped inside the wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from counting_rules import CaseFacts, Rulebook
from counting_rules._maintain.suite import rule_tests

ROOT = Path(__file__).parents[2]
RULE_TESTS = ROOT / "tests" / "rulebooks"


def _rule_tests() -> dict[str, list[dict[str, object]]]:
    return rule_tests(RULE_TESTS)  # what `counting-rules check` reads too


def test_every_rule_has_a_citation_and_a_template(book: Rulebook) -> None:
    for rid, rule in book.rules.items():
        assert rule.citation.url.startswith("http"), rid
        assert rule.citation.document, rid
        assert rule.citation.section, rid
        assert book.templates[rid].strip(), rid
        assert rule.description.endswith("."), rid


def test_every_rule_has_tests_that_make_it_fire_and_not_fire(book: Rulebook) -> None:
    tests = _rule_tests()
    missing = []
    for rid in sorted(book.rules):
        fires = {c.get("fires") for c in tests.get(rid, [])}
        if not {True, False} <= fires:
            missing.append(rid)
    assert not missing, "rules without a firing and a non-firing test case: " + ", ".join(missing)


def test_no_orphan_rule_tests(book: Rulebook) -> None:
    orphans = sorted(set(_rule_tests()) - set(book.rules))
    assert not orphans, f"test files for rules that do not exist: {orphans}"


def test_interpretations_say_so(book: Rulebook) -> None:
    for rid, rule in book.rules.items():
        if rule.citation.interpretation:
            assert rule.citation.note or rule.citation.confidence != "high", (
                f"{rid}: an interpretation needs a note saying why, or a lower confidence"
            )


@pytest.mark.slow
def test_the_wheel_ships_the_rulebooks(tmp_path: Path, book: Rulebook) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
    )
    (wheel,) = tmp_path.glob("counting_rules-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for rid, rule in book.rules.items():  # a table's rows share its file
        assert f"counting_rules/rulebooks/hocr/{rule.file}" in names, rid
    source = ROOT / "rulebooks" / "hocr"
    for path in [*source.rglob("*.yaml"), *source.rglob("*.md.j2")]:
        assert f"counting_rules/rulebooks/hocr/{path.relative_to(source)}" in names, path
    assert "counting_rules/rulebooks/hocr/editions.yaml" in names
    assert "counting_rules/py.typed" in names
    # the HTTP service's request examples and worker warm-up
    for path in (ROOT / "examples" / "cases").glob("*.yaml"):
        assert f"counting_rules/examples/cases/{path.name}" in names, path


def test_rule_reference_is_up_to_date(book: Rulebook) -> None:
    from counting_rules._explain.rule_reference import rules_markdown

    committed = (ROOT / "docs" / "reference" / "rules.md").read_text()
    assert committed == rules_markdown(book), (
        "docs/reference/rules.md is stale: run "
        "`counting-rules rulebooks --format markdown > docs/reference/rules.md`"
    )


def test_no_case_field_is_a_recording_verdict() -> None:
    """The case holds what was reported; the rules decide the NCRS test (issue 9): no field
    asks whether the account amounts to a crime, whether evidence is credible to the contrary,
    whether it shows no crime, or whether the victim is believed."""
    schema = CaseFacts.model_json_schema()
    names = {
        n for d in [schema, *schema.get("$defs", {}).values()] for n in d.get("properties", {})
    }
    for verdict in (
        "amounts_to_crime",
        "crime_in_law",
        "is_crime",
        "credible_evidence_to_contrary",
        "shows_no_crime",
        "victim_believed",
        "acting_for_victim",  # a reporter kind now, so no caller judges it per case
        "victim_consented",  # consent in law is decided from what the victim agreed to
    ):
        assert verdict not in names, verdict


def test_only_rules_about_recorded_crimes_read_a_classification(book: Rulebook) -> None:
    # The still-needed analysis drops the classification questions of an allegation that is
    # surely not a crime (_needs._not_crimes): sound only while this holds.
    from counting_rules._rulebook.ir import Cond, Ref

    def joins(b: str, conds: tuple[Cond, ...]) -> bool:
        return any(
            c.field == "aid" and isinstance(c.value, Ref) and c.value.alias == b for c in conds
        )

    readers = 0
    for rid, rule in book.rules.items():
        pats = [p for p in rule.patterns if not p.negated]
        for p in (p for p in pats if p.type == "classification"):
            readers += 1
            crimes = [
                q
                for q in pats
                if q.type == "recording"
                and (joins(q.alias, p.conds) or joins(p.alias, q.conds))
                and any(c.field == "outcome" and c.value == "record" for c in q.conds)
            ]
            assert crimes, f"{rid} reads a classification without requiring a recorded crime"
    assert readers  # the test looks at something
