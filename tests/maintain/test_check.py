"""``counting-rules check``: clean on the shipped rulebooks; on copies broken on purpose it
reports each problem with its file and line, and so does at least one invariant."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import strategies as st

from counting_rules import CaseFacts, load_rulebook
from counting_rules._maintain.check import Finding, Options, check
from counting_rules._maintain.witness import search
from counting_rules.cli import main
from counting_rules.strategies import cases
from tests.properties.test_invariants import RAPES, decided, explanations_render, rape_problems
from tests.regression.witnesses import STORE as WITNESSES

ROOT = Path(__file__).parents[2] / "rulebooks" / "hocr"
RAPE_TABLE = "crime_types/sexual_offences/classification"  # its first row, and its first url:
RAPE_RULE = f"{RAPE_TABLE}/rape_of_female_16_and_over"
NCRS_RULE = "general_rules/ncrs/record_when_test_met"


@pytest.fixture
def book_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "hocr"
    shutil.copytree(ROOT, dest)
    return dest


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def quick(*rules: str, examples: int = 40) -> Options:
    return Options(examples=examples, budget=120, shrink_budget=200, rules=rules)


@pytest.mark.slow
def test_check_is_clean_on_the_shipped_rulebooks(capsys: pytest.CaptureFixture[str]) -> None:
    # The stored witnesses stand in for the searches (test_witnesses.py keeps them fresh).
    assert main(["check", "--quiet", "--witnesses", str(WITNESSES)]) == 0
    assert capsys.readouterr().out.strip() == "no findings"


def test_check_reports_a_missing_template_and_citation_and_table_gaps(
    book_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (book_copy / f"{NCRS_RULE}.md.j2").unlink()
    edit(book_copy / f"{RAPE_TABLE}.yaml", "  url: ", "  old_url: ")
    table = "general_rules/f_principal_crime_rule/annex_c_principal_crime_table.yaml"
    edit(book_copy / table, '  - "58D"', '  # "58D" dropped')
    found = check(book_copy, quick())
    by_kind = {(f.kind, f.rule_id): f for f in found}
    assert by_kind[("template", NCRS_RULE)].file.endswith(f"{NCRS_RULE}.yaml")
    citation = by_kind[("citation", RAPE_TABLE)]
    assert citation.message == "citation has no url"
    rule_lines = (book_copy / f"{RAPE_TABLE}.yaml").read_text().splitlines()
    assert rule_lines[(citation.line or 0) - 1] == "citation:"
    (gap,) = [f for f in found if f.kind == "table"]
    assert gap.file.endswith("crime_types/offence_catalogue.yaml")
    assert "'58D' is missing from the principal crime table" in gap.message
    catalogue = (book_copy / "crime_types/offence_catalogue.yaml").read_text().splitlines()
    assert catalogue[(gap.line or 0) - 1].strip() == '"58D":'
    # The command line says the same, one line each, and fails.
    assert main(["check", str(book_copy), "--quiet", "--examples", "5"]) == 1
    out = capsys.readouterr().out
    assert f"{NCRS_RULE}.yaml:1: [template] {NCRS_RULE}: no template" in out


def test_a_contradictory_condition_is_caught_by_check_and_by_the_rape_invariant(
    book_copy: Path,
) -> None:
    # Broken on purpose: no victim can be at least 16 and under 16.
    row = "v.sex: female\n    v.age: {ge: 16}"  # the first row's age cell
    edit(book_copy / f"{RAPE_TABLE}.yaml", row, row.replace("}", ", lt: 16}"))
    broken = load_rulebook(book_copy)  # the loader accepts it
    found = check(book_copy, quick(RAPE_RULE))
    unreachable = [f for f in found if f.kind == "unreachable"]
    assert {f.rule_id for f in unreachable} == {RAPE_RULE}
    assert len(unreachable) == len(broken.editions)  # in every edition
    lines = (book_copy / f"{RAPE_TABLE}.yaml").read_text().splitlines()
    assert lines[(unreachable[0].line or 0) - 1] == "  - id: rape_of_female_16_and_over"
    # The invariant: a rape of a woman is recorded as a rape crime or an N100.
    adult_women = {"sex": st.just("female"), "age": st.integers(16, 90)}
    strategy = cases(
        offences=RAPES, unknown_facts=False, min_victims=1, pinned={"victims": adult_women}
    )

    def broken_invariant(c: CaseFacts) -> bool:
        return bool(rape_problems(c, decided(c, broken), broken))

    case = search(strategy, broken_invariant, 200, 0, shrink=True)
    assert case is not None
    assert rape_problems(case, decided(case, broken), broken)
    assert rape_problems(case, decided(case)) == []  # the shipped rule is fine there


def test_a_template_that_fails_on_some_facts_is_caught_by_check_and_by_the_invariant(
    book_copy: Path,
) -> None:
    # Broken on purpose: renders at load time (the loader's sample allegation is "X1"), fails on
    # a real allegation whose penetration is not known (an assault's never is).
    edit(
        book_copy / f"{NCRS_RULE}.md.j2",
        "appointments.",
        "appointments.{% if a.aid != 'X1' %} ({{ a.penetration }}){% endif %}",
    )
    broken = load_rulebook(book_copy)
    found = check(book_copy, quick(NCRS_RULE, examples=150))
    (render,) = {f for f in found if f.kind == "render"}  # once, whatever the edition
    assert render.rule_id == NCRS_RULE
    assert render.file.endswith(f"{NCRS_RULE}.md.j2")
    assert render.line == 5  # the template line with {{ a.penetration }}
    assert "UndefinedError" in render.message
    crime = {"force_on_person": st.just(True)}
    strategy = cases(offences=("assault",), pinned={"allegations": crime})
    case = search(strategy, lambda c: bool(explanations_render(c, broken)), 200, 0, shrink=False)
    assert case is not None
    assert explanations_render(case) == []


BROKEN_DEADLINE = """\
title: A broken deadline rule that disagrees with the 24-hour rule
description: A deadline computed from how late the crime was recorded, to test check.
citation:
  document: Home Office Counting Rules, General Rules
  section: Section A
  url: https://example.org/not-a-rule
  confidence: low
in_force: {from: "2018"}
when:
  - match: recording
    as: r
    where:
      outcome: record
  - match: allegation
    as: a
    where:
      aid: $r.aid
      recorded_after_hours: {known: true}
then:
  deadline:
    aid: $a.aid
    hours: $a.recorded_after_hours
    basis: received
"""


def test_two_rules_that_conclude_different_deadlines_are_a_conflict_with_a_small_case(
    book_copy: Path,
) -> None:
    rule = "general_rules/a_whether_and_when_to_record/broken_deadline"
    (book_copy / f"{rule}.yaml").write_text(BROKEN_DEADLINE)
    (book_copy / f"{rule}.md.j2").write_text("Due {{ conclusion.hours }} hours after receipt.")
    load_rulebook(book_copy)  # a computed value passes the load-time conflict check
    found = check(book_copy, quick(rule, examples=150))
    conflicts = [f for f in found if f.kind == "conflict"]
    assert conflicts, found
    other = "general_rules/a_whether_and_when_to_record/record_within_24_hours"
    assert all(rule in {f.rule_id, *_named(f.message)} for f in conflicts)
    first: Finding = next(f for f in conflicts if other in {f.rule_id, *_named(f.message)})
    assert first.line == 19  # the "then:" line of the rule that comes first
    smallest = CaseFacts.model_validate_json(json.dumps(first.case))
    assert len(smallest.allegations) == 1  # shrunk by hypothesis
    assert not smallest.evidence
    assert not smallest.proposals


def _named(message: str) -> set[str]:
    return {w for w in message.split() if "/" in w and not w.startswith("(")}
