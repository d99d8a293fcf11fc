"""Table completeness: ``check`` lists the known combinations no row covers, with the table's
file and line, unless the table leaves them to other rules on purpose (``uncovered:``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from counting_rules import RuleSpecError, load_rulebook
from counting_rules._maintain.check import Finding, Options, check
from counting_rules._rulebook.completeness import domain
from counting_rules._rulebook.fact_types import FieldSpec
from tests.unit.test_loader import rulebook, write

__all__ = ["rulebook"]

TABLE = """\
title: Test table
description: A table used by the gap tests.
citation: {document: Test, section: Test, url: "https://example.org/t", confidence: low}
in_force: {from: "2018"}
table:
  when:
    - {match: allegation, as: a, where: {offence: assault}}
    - {match: victim, as: v, where: {vid: $a.vid}}
  inputs: [a.injury, a.aggravating_feature, v.age]
  outputs: [code]
  then:
    finding: {subject: $a.aid, code: $row.code}
UNCOVERED
rows:
  - {id: serious, title: Serious, a.injury: serious, code: serious}
  - {id: minor_child, title: Minor child, a.injury: minor, v.age: {lt: 16}, code: child}
  - {id: minor_adult, title: Minor adult, a.injury: minor, v.age: {ge: 18}, code: adult}
  - {id: none_plain, title: None, a.injury: none, a.aggravating_feature: false, code: none}
"""


def gap_findings(root: Path) -> list[Finding]:
    found = check(root, Options(examples=1, budget=1, shrink_budget=1, rules=("test/none",)))
    return [f for f in found if f.kind == "gap"]


def test_a_gap_is_listed_with_the_tables_file_and_line(rulebook: Path) -> None:
    write(rulebook, "test/t", TABLE.replace("UNCOVERED\n", ""))
    found = gap_findings(rulebook)
    assert {f.message for f in found} == {
        "no row covers a.injury: minor; v.age: 16 to 17",
        "no row covers a.injury: none; a.aggravating_feature: true",
    }
    assert {(f.file.rsplit("/", 1)[-1], f.line, f.rule_id) for f in found} == {
        ("t.yaml", 5, "test/t")
    }
    lines = (rulebook / "test/t.yaml").read_text().splitlines()
    assert lines[found[0].line - 1] == "table:"  # type: ignore[operator]


def test_an_uncovered_entry_leaves_a_gap_on_purpose_and_a_stale_one_is_listed(
    rulebook: Path,
) -> None:
    entries = """\
uncovered:
  - {a.injury: minor, v.age: {ge: 16, lt: 18}, why: Left to the youth rules on purpose.}
  - {a.injury: none, a.aggravating_feature: true, why: Left to the feature rules on purpose.}
  - {a.injury: serious, why: "Stale, since a row covers every serious injury."}
"""
    write(rulebook, "test/t", TABLE.replace("UNCOVERED\n", entries))
    (stale,) = gap_findings(rulebook)
    assert stale.message == "uncovered entry 3 names nothing the rows leave open: remove it"
    lines = (rulebook / "test/t.yaml").read_text().splitlines()
    assert "a.injury: serious" in lines[stale.line - 1]  # type: ignore[operator]


def test_an_entry_without_cells_leaves_every_gap(rulebook: Path) -> None:
    entry = "uncovered:\n  - why: Whatever no row covers concludes nothing here.\n"
    write(rulebook, "test/t", TABLE.replace("UNCOVERED\n", entry))
    assert gap_findings(rulebook) == []


def test_an_uncovered_entry_may_name_only_input_columns(rulebook: Path) -> None:
    entry = "uncovered:\n  - {a.nonsense: 1, why: Not a column of the table at all.}\n"
    write(rulebook, "test/t", TABLE.replace("UNCOVERED\n", entry))
    with pytest.raises(RuleSpecError, match=r"'a\.nonsense' is not an input column"):
        load_rulebook(rulebook)


def test_the_shipped_tables_have_no_gap_they_do_not_explain() -> None:
    found = check(None, Options(examples=1, budget=1, shrink_budget=1, rules=("none/none",)))
    assert [f for f in found if f.kind == "gap"] == []


@pytest.mark.parametrize(
    ("cells", "spec", "labels"),
    [
        (
            [{"lt": 13}, {"ge": 13, "lt": 16}],
            FieldSpec("int"),
            ["under 13", "13 to 15", "16 or over"],
        ),
        ([{"eq": 5}], FieldSpec("int"), ["under 5", "5", "6 or over"]),
        ([True], FieldSpec("bool"), ["true", "false"]),
        (["s4", ["s4", "s5"]], FieldSpec("str", values=("s4", "s4A", "s5")), ["s4", "s5"]),
        ([{"not_in": ["a"]}], FieldSpec("str"), ["a", "any other value"]),
    ],
)
def test_a_columns_classes_are_what_its_cells_tell_apart(
    cells: list[object], spec: FieldSpec, labels: list[str]
) -> None:
    assert [k.label for k in domain(cells, spec)] == labels
