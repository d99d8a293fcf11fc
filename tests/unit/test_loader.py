"""Rulebook validation at load time: every error names the file, the line and the rule."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from counting_rules import (
    RuleConflictError,
    RuleSpecError,
    RuleTemplateError,
    StratificationError,
    UnknownFactError,
    load_rulebook,
)
from counting_rules._rulebook.loader import default_root

GOOD = """\
title: Test rule
description: A rule used by the loader tests.
citation:
  document: Test
  section: Test
  url: https://example.org/test
  confidence: low
in_force: {from: "2018"}
when:
  - match: allegation
    as: a
    where:
      offence: assault
      force_on_person: true
then:
  finding:
    subject: $a.aid
    code: test_finding
"""


DATA_FILES = (
    "editions.yaml",
    "vocabulary.yaml",
    "sources.yaml",
    "crime_types/offence_catalogue.yaml",
    "general_rules/f_principal_crime_rule/annex_c_principal_crime_table.yaml",
)


@pytest.fixture
def rulebook(tmp_path: Path) -> Path:
    """A rulebook with the shipped data files and no rules, for the test to add to."""
    root = tmp_path / "hocr"
    src = Path(str(default_root()))
    for rel in DATA_FILES:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(src / rel, root / rel)
    return root


def write(
    root: Path, rel: str, text: str, template: str | None = "Allegation {{ a.aid }}."
) -> None:
    path = root / f"{rel}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    if template is not None:
        (root / f"{rel}.md.j2").write_text(template)


def test_shipped_rulebook_loads_every_edition() -> None:
    book = load_rulebook()
    assert [e.id for e in book.editions] == sorted(e.id for e in book.editions)
    assert all(e.rules for e in book.editions)
    assert book.digest


def test_a_good_test_rule_loads(rulebook: Path) -> None:
    write(rulebook, "test/good", GOOD)
    assert "test/good" in load_rulebook(rulebook).rules


def test_unknown_rule_field_names_file_line_and_suggests(rulebook: Path) -> None:
    write(rulebook, "test/bad", GOOD.replace("description:", "descripton:"))
    with pytest.raises(RuleSpecError) as err:
        load_rulebook(rulebook)
    msg = str(err.value)
    assert "test/bad.yaml:2" in msg
    assert "rule test/bad" in msg
    assert "did you mean 'description'" in msg


def test_unknown_fact_field_names_line_and_suggests(rulebook: Path) -> None:
    write(rulebook, "test/bad", GOOD.replace("force_on_person: true", "force_on_persn: true"))
    with pytest.raises(UnknownFactError) as err:
        load_rulebook(rulebook)
    assert "test/bad.yaml:14" in str(err.value)
    assert "did you mean 'force_on_person'" in str(err.value)


def test_unknown_enumerated_value_is_rejected(rulebook: Path) -> None:
    write(rulebook, "test/bad", GOOD.replace("offence: assault", "offence: asault"))
    with pytest.raises(UnknownFactError, match="did you mean 'assault'"):
        load_rulebook(rulebook)


def test_literal_of_the_wrong_type_is_rejected(rulebook: Path) -> None:
    write(rulebook, "test/bad", GOOD.replace("force_on_person: true", "force_on_person: 1"))
    with pytest.raises(UnknownFactError, match="is int, but the field is bool"):
        load_rulebook(rulebook)


def test_unknown_alias_in_a_join_is_rejected(rulebook: Path) -> None:
    text = GOOD.replace("offence: assault", "vid: $v.vid")
    write(rulebook, "test/bad", text)
    with pytest.raises(UnknownFactError, match="unknown alias 'v'"):
        load_rulebook(rulebook)


def test_template_with_undefined_variable_is_rejected_with_its_line(rulebook: Path) -> None:
    write(rulebook, "test/bad", GOOD, template="Allegation {{ a.aid }}\nhas {{ a.no_such_field }}.")
    with pytest.raises(RuleTemplateError) as err:
        load_rulebook(rulebook)
    assert "test/bad.md.j2:2" in str(err.value)


def test_template_using_an_unknown_fact_the_rule_does_not_test_is_rejected(rulebook: Path) -> None:
    write(rulebook, "test/bad", GOOD, template="Victim age {{ a.injury }}.")
    with pytest.raises(RuleTemplateError, match=r"test/bad\.md\.j2"):
        load_rulebook(rulebook)


def test_missing_template_is_rejected(rulebook: Path) -> None:
    write(rulebook, "test/bad", GOOD, template=None)
    with pytest.raises(RuleTemplateError, match=r"no explanation template test/bad\.md\.j2"):
        load_rulebook(rulebook)


def test_orphan_template_is_rejected(rulebook: Path) -> None:
    (rulebook / "orphan.md.j2").write_text("x")
    with pytest.raises(RuleTemplateError, match=r"orphan\.md\.j2 has no rule"):
        load_rulebook(rulebook)


def test_unknown_edition_is_rejected(rulebook: Path) -> None:
    write(rulebook, "test/bad", GOOD.replace('{from: "2018"}', '{from: "2017"}'))
    with pytest.raises(RuleSpecError, match="unknown edition '2017'"):
        load_rulebook(rulebook)


CONFLICT = """\
title: Conflicting rule {n}
description: A rule that contradicts its twin.
citation: {{document: Test, section: Test, url: "https://example.org/t", confidence: low}}
in_force: {{from: "2018"}}
when:
  - match: allegation
    as: a
    where:
      offence: assault
then:
  recording:
    aid: $a.aid
    outcome: {outcome}
"""


def test_two_conflicting_rules_are_rejected_with_both_files(rulebook: Path) -> None:
    write(rulebook, "test/one", CONFLICT.format(n=1, outcome="record"))
    write(rulebook, "test/two", CONFLICT.format(n=2, outcome="incident_only"))
    with pytest.raises(RuleConflictError) as err:
        load_rulebook(rulebook)
    msg = str(err.value)
    assert "test/one.yaml:1" in msg
    assert "test/two.yaml:1" in msg


def test_exclusive_conditions_are_not_a_conflict(rulebook: Path) -> None:
    one = CONFLICT.format(n=1, outcome="record").replace(
        "offence: assault", "offence: assault\n      injury: abh"
    )
    two = CONFLICT.format(n=2, outcome="incident_only").replace(
        "offence: assault", "offence: assault\n      injury: [none, minor]"
    )
    write(rulebook, "test/one", one)
    write(rulebook, "test/two", two)
    load_rulebook(rulebook)


def test_an_override_resolves_a_conflict(rulebook: Path) -> None:
    write(rulebook, "test/one", CONFLICT.format(n=1, outcome="record"))
    write(
        rulebook,
        "test/two",
        CONFLICT.format(n=2, outcome="incident_only").replace(
            'in_force: {from: "2018"}', 'in_force: {from: "2018"}\noverrides: [test/one]'
        ),
    )
    book = load_rulebook(rulebook)
    one = next(r for r in book.edition("2018").rules if r.id == "test/one")
    two = next(r for r in book.edition("2018").rules if r.id == "test/two")
    assert one.stratum > two.stratum  # the guard runs after the exception is complete
    assert two.emits_applies


def test_crime_type_precedence_beats_general_without_an_error(rulebook: Path) -> None:
    write(rulebook, "test/one", CONFLICT.format(n=1, outcome="record"))
    write(
        rulebook,
        "test/two",
        CONFLICT.format(n=2, outcome="incident_only").replace(
            'in_force: {from: "2018"}', 'in_force: {from: "2018"}\nprecedence: crime_type'
        ),
    )
    book = load_rulebook(rulebook)
    one = next(r for r in book.edition("2018").rules if r.id == "test/one")
    assert any(p.type == "$applies" for p in one.patterns)


def test_negation_cycle_is_rejected(rulebook: Path) -> None:
    cyc = """\
title: Cycle {n}
description: Half of a negation cycle.
citation: {{document: Test, section: Test, url: "https://example.org/t", confidence: low}}
in_force: {{from: "2018"}}
when:
  - match: allegation
    as: a
  - absent: flag
    where: {{aid: $a.aid, flag: {other}}}
then:
  flag: {{aid: $a.aid, flag: {mine}}}
"""
    write(rulebook, "test/one", cyc.format(n=1, other="b", mine="a"))
    write(rulebook, "test/two", cyc.format(n=2, other="a", mine="b"))
    with pytest.raises(StratificationError) as err:
        load_rulebook(rulebook)
    # the cycle itself is named, rule by rule (each waits for every rule concluding a flag)
    message = str(err.value)
    assert "rules depend on each other in a cycle: test/" in message
    assert err.value.rule_id in ("test/one", "test/two")


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda t: t.replace("then:\n  finding:", "then:\n  findings:"), "unknown conclusion type"),
        (lambda t: t.replace("    code: test_finding\n", ""), "needs field 'code'"),
        (lambda t: t.replace("match: allegation", "match: allegations"), "unknown fact type"),
        (
            lambda t: t.replace("force_on_person: true", "force_on_person: {similar: true}"),
            "unknown operator",
        ),
    ],
)
def test_other_spec_errors(rulebook: Path, mutate: Callable[[str], str], message: str) -> None:
    write(rulebook, "test/bad", mutate(GOOD))
    with pytest.raises((RuleSpecError, UnknownFactError), match=message):
        load_rulebook(rulebook)


def test_every_problem_of_a_rule_file_is_reported_the_misspelling_first(rulebook: Path) -> None:
    write(
        rulebook,
        "test/bad",
        """\
title: A rule with two problems
descripton: A misspelt key.
citation: {document: Test, section: Test, url: "https://example.org/t", confidence: sure}
in_force: {from: "2018"}
when:
  - {match: allegation, as: a}
then:
  finding: {subject: $a.aid, code: x}
""",
    )
    with pytest.raises(RuleSpecError) as err:
        load_rulebook(rulebook)
    message = str(err.value)
    assert message.index("unknown field descripton") < message.index("citation.confidence")
    assert "description: Field required" in message
    assert err.value.line == 2  # the misspelt key
