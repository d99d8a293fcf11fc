"""Regression tests for durable_rules traps found while building this engine (beyond those in
shared/research/durable-rules-notes.md). Each builds a small rulebook that would hit the trap
if the compiler emitted the naive form, and checks durable_rules against the reference."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from counting_rules import load_rulebook, parse_case
from counting_rules._engine.actions import Firing
from counting_rules._engine.durable.compile import PUSH_BUDGET, compile_edition
from counting_rules._engine.pipeline import run_case
from counting_rules._rulebook.loader import default_root
from counting_rules.errors import UnknownFactError

from .test_loader import DATA_FILES

HEAD = """title: {title}
description: A rule written to hit a durable_rules trap.
citation: {{document: Test, section: Test, url: "https://example.org/t", confidence: low}}
in_force: {{from: "2018"}}
"""


def book_with(tmp_path: Path, rules: dict[str, str]) -> Any:
    root = tmp_path / "hocr"
    for rel in DATA_FILES:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(Path(str(default_root())) / rel, root / rel)
    for name, body in rules.items():
        (root / f"{name}.yaml").write_text(HEAD.format(title=name) + body)
        (root / f"{name}.md.j2").write_text("Rule {{ rule.id }}.")
    return load_rulebook(root)


CASE = {
    "report": {
        "id": "r1",
        "received_at": "2024-03-04T10:00:00+00:00",
        "reporter": {"kind": "victim"},
        "recording_force": "kent",
    },
    "victims": [{"id": "V1"}],
    "allegations": [
        {"id": "A1", "offence": "assault", "victim": "V1", "force_on_person": True},
        {"id": "A2", "offence": "theft", "victim": "V1", "property_taken": True, "dishonest": True},
        {"id": "A3", "offence": "assault", "victim": "V1"},
    ],
    "proposals": [{"id": "P1", "allegation": "A1", "category": "C2"}],
}


def agree(book: Any, case: dict[str, Any] = CASE) -> list[Firing]:
    c = parse_case(case)
    ed = book.editions[-1]
    got = run_case(book, ed, c, "durable").trace
    want = run_case(book, ed, c, "reference").trace
    assert sorted(f.key() for f in got) == sorted(f.key() for f in want)
    return list(got)


def joined_only(firings: list[Firing]) -> bool:
    """Every firing binds the proposal to its own allegation."""
    return all(dict(f.bindings)["a"]["aid"] == dict(f.bindings)["p"]["aid"] for f in firings)


def test_join_after_a_disjunction_is_kept(tmp_path: Path) -> None:
    # durable_rules drops a join that follows "$or" or a nested "$and" in a pattern: the
    # proposal on A1 would match A2 too. The compiler puts joins before such groups.
    book = book_with(
        tmp_path,
        {
            "trap": """when:
  - match: proposal
    as: p
  - match: allegation
    as: a
    where:
      offence: {not_in: [rape, murder]}
      aid: $p.aid
then:
  finding: {subject: $a.aid, code: joined}
"""
        },
    )
    fired = agree(book)
    assert [f for f in fired if f.variant == "sure"]
    assert joined_only(fired)


def test_maybe_variant_join_after_unknown_test(tmp_path: Path) -> None:
    book = book_with(
        tmp_path,
        {
            "trap": """when:
  - match: proposal
    as: p
  - match: allegation
    as: a
    where:
      force_on_person: true
      aid: $p.aid
then:
  finding: {subject: $a.aid, code: joined}
"""
        },
    )
    fired = agree(book)
    assert [f for f in fired if f.variant == "sure"]
    assert joined_only(fired)


def test_absent_pattern_cannot_join_on_a_field_that_may_be_unknown(tmp_path: Path) -> None:
    # A join inside "$or" makes durable_rules fail with error 311 on a fact without the field.
    with pytest.raises(UnknownFactError, match="always known"):
        book_with(
            tmp_path,
            {
                "trap": """when:
  - match: victim
    as: v
  - absent: allegation
    where:
      vid: $v.vid
then:
  finding: {subject: $v.vid, code: no_allegation}
"""
            },
        )


def test_many_joined_rules_are_sharded_under_the_alpha_stack(tmp_path: Path) -> None:
    # Every join node is unshared and pushed on a 64-entry stack (error 303): 80 rules joining
    # allegations to proposals would overflow one ruleset.
    rules = {
        f"trap{i:02d}": f"""when:
  - match: proposal
    as: p
  - match: allegation
    as: a
    where:
      aid: $p.aid
then:
  finding: {{subject: $a.aid, code: c{i}}}
"""
        for i in range(80)
    }
    book = book_with(tmp_path, rules)
    shards = compile_edition(book.editions[-1])
    assert len(shards) >= 2
    assert all(max(s.pushes.values(), default=0) <= PUSH_BUDGET for s in shards)
    assert len([f for f in agree(book) if f.variant == "sure"]) == 80
