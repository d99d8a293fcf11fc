"""Decision tables at load time: hit policies, row overrides under ``first``, row templates."""

from __future__ import annotations

from pathlib import Path

import pytest

from counting_rules import RuleSpecError, RuleTemplateError, load_rulebook
from tests.unit.test_loader import rulebook, write

__all__ = ["rulebook"]  # the fixture, shared with the loader tests

HEAD = """\
title: Test table
description: A table used by the table tests.
citation: {document: Test, section: Test, url: "https://example.org/t", confidence: low}
in_force: {from: "2018"}
table:
  hit_policy: POLICY
  when:
    - {match: allegation, as: a, where: {offence: assault}}
  inputs: [a.injury, a.aggravating_feature]
  outputs: [code]
  then:
    finding: {subject: $a.aid, code: $row.code}
rows:
"""


def table(policy: str, rows: str) -> str:
    return HEAD.replace("POLICY", policy) + rows


FIRST = """\
  - {id: aggravated, title: Feature, a.injury: minor, a.aggravating_feature: true, code: aggravated}
  - {id: minor, title: Minor injury, a.injury: minor, code: minor}
  - {id: none, title: No injury, a.injury: none, code: none}
"""


def test_unique_rows_that_can_both_match_name_both_rows_and_lines(rulebook: Path) -> None:
    write(rulebook, "test/t", table("unique", FIRST))
    with pytest.raises(RuleSpecError) as err:
        load_rulebook(rulebook)
    msg = str(err.value)
    assert "rows 'aggravated' (line 14) and 'minor' (line 15)" in msg
    assert "hit policy unique" in msg


def test_any_allows_overlapping_rows_only_when_they_conclude_the_same(rulebook: Path) -> None:
    same = FIRST.replace("code: aggravated}", "code: minor}")
    write(rulebook, "test/t", table("any", same))
    assert "test/t/minor" in load_rulebook(rulebook).rules
    write(rulebook, "test/t", table("any", FIRST))
    with pytest.raises(RuleSpecError, match="conclude differently"):
        load_rulebook(rulebook)


def test_first_makes_each_row_override_the_later_rows_it_overlaps_once_known(
    rulebook: Path,
) -> None:
    write(rulebook, "test/t", table("first", FIRST))
    rules = load_rulebook(rulebook).rules
    assert rules["test/t/aggravated"].overrides == ("test/t/minor",)  # not 'none': disjoint
    assert rules["test/t/aggravated"].overrides_when == "known"
    assert rules["test/t/minor"].overrides == ()
    assert rules["test/t/none"].overrides == ()


def test_first_refuses_a_row_an_earlier_row_always_displaces(rulebook: Path) -> None:
    shadowed = """\
  - {id: minor, title: Minor injury, a.injury: minor, code: minor}
  - {id: aggravated, title: Feature, a.injury: minor, a.aggravating_feature: true, code: aggravated}
"""
    write(rulebook, "test/t", table("first", shadowed))
    with pytest.raises(RuleSpecError) as err:
        load_rulebook(rulebook)
    assert "can never apply" in str(err.value)
    assert "'minor' (line 14) and 'aggravated' (line 15)" in str(err.value)


def test_a_row_may_carry_its_own_explanation(rulebook: Path) -> None:
    rows = FIRST.replace(
        "code: none}", "code: none, explanation: 'Allegation {{ a.aid }} caused no injury.'}"
    )
    write(rulebook, "test/t", table("first", rows), template="Allegation {{ a.aid }}: default.")
    book = load_rulebook(rulebook)
    assert book.templates["test/t/none"] == "Allegation {{ a.aid }} caused no injury."
    assert book.templates["test/t/minor"] == "Allegation {{ a.aid }}: default."


def test_a_row_explanation_is_checked_like_a_template(rulebook: Path) -> None:
    rows = FIRST.replace("code: none}", "code: none, explanation: 'Victim {{ v.vid }}.'}")
    write(rulebook, "test/t", table("first", rows))
    with pytest.raises(RuleTemplateError, match="fails to render"):
        load_rulebook(rulebook)


def test_a_file_template_no_row_uses_is_refused_and_one_some_rows_need_is_required(
    rulebook: Path,
) -> None:
    own = ", explanation: 'Allegation {{ a.aid }}.'}"
    every = FIRST.replace("code: aggravated}", "code: aggravated" + own)
    every = every.replace("code: minor}", "code: minor" + own).replace(
        "code: none}", "code: none" + own
    )
    write(rulebook, "test/t", table("first", every))
    with pytest.raises(RuleTemplateError, match="never used"):
        load_rulebook(rulebook)
    (rulebook / "test" / "t.md.j2").unlink()
    assert "test/t/none" in load_rulebook(rulebook).rules
    write(rulebook, "test/t", table("first", FIRST), template=None)
    with pytest.raises(RuleTemplateError, match="no explanation template"):
        load_rulebook(rulebook)


def test_collect_lets_every_matching_row_conclude_but_only_a_many_valued_type(
    rulebook: Path,
) -> None:
    write(rulebook, "test/t", table("collect", FIRST))  # findings: several per subject
    rules = load_rulebook(rulebook).rules
    assert {"test/t/aggravated", "test/t/minor"} <= set(rules)
    assert rules["test/t/aggravated"].overrides == ()
    functional = table("collect", FIRST).replace(
        "finding: {subject: $a.aid, code: $row.code}", "classification: {aid: $a.aid, code: 105A}"
    )
    write(rulebook, "test/t", functional)
    with pytest.raises(RuleSpecError, match="collect needs a conclusion that can hold several"):
        load_rulebook(rulebook)
