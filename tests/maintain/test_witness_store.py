"""Stored witnesses: saved and read back; a stale one is never trusted, and check searches
instead (so a rule change makes check slower, never wrong)."""

from __future__ import annotations

from pathlib import Path

import pytest

from counting_rules import default_rulebook
from counting_rules._maintain.check import Options, check
from counting_rules._maintain.witness import draw_examples, edition_cases, evaluate, sure_rules
from counting_rules._maintain.witness_store import Witnesses
from counting_rules.cli import main
from counting_rules.errors import UsageError

BOOK = default_rulebook()
EDITION = BOOK.editions[-1]
NCRS_RULE = "general_rules/ncrs/record_when_test_met"


def _fired_and_not() -> tuple[object, str, str]:
    """A sample case, a rule it fires surely and one it does not."""
    for case in draw_examples(edition_cases(EDITION), 50, 3):
        fired = sure_rules(evaluate(BOOK, EDITION, case))
        unfired = [r.id for r in EDITION.rules if r.id not in fired]
        if NCRS_RULE in fired and unfired:
            return case, NCRS_RULE, unfired[0]
    raise AssertionError("no sample case fires the NCRS rule")


def test_saved_witnesses_read_back_and_only_confirmed_ones_are_saved(tmp_path: Path) -> None:
    case, fires, does_not = _fired_and_not()
    store = Witnesses(tmp_path / "w.json.gz")
    store.add(EDITION.id, fires, case)  # type: ignore[arg-type]
    assert store.save() == 1
    again = Witnesses(tmp_path / "w.json.gz")
    assert again.stored(EDITION.id, fires) == case
    assert again.fires(BOOK, EDITION, fires) == case
    again._cases[(EDITION.id, does_not)] = case  # type: ignore[assignment]  # a stale entry
    assert again.fires(BOOK, EDITION, does_not) is None
    assert again.stale == {(EDITION.id, does_not)}
    assert again.save() == 1  # the stale one is not written back
    assert Witnesses(tmp_path / "w.json.gz").stored(EDITION.id, does_not) is None
    assert (EDITION.id, does_not) in again.unconfirmed(BOOK)
    assert (EDITION.id, fires) not in again.unconfirmed(BOOK)


def test_check_searches_when_the_stored_witness_no_longer_fires(tmp_path: Path) -> None:
    case, _, rule = _fired_and_not()
    store = Witnesses(tmp_path / "w.json.gz")
    for edition in BOOK.editions:
        store._cases[(edition.id, rule)] = case  # type: ignore[assignment]
    searched: list[str] = []
    opts = Options(examples=5, budget=400, rules=(rule,), witnesses=store)
    opts.progress = searched.append
    found = check(None, opts)
    assert not [f for f in found if f.kind == "unreachable"], found
    assert any(rule in line for line in searched)  # it searched, not trusted the stale case
    assert all(
        store.fires(BOOK, e, rule) is not None
        for e in BOOK.editions
        if rule in {r.id for r in e.rules}
    )


def test_save_witnesses_needs_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--save-witnesses", "--quiet"]) == UsageError.exit_code
    assert "--save-witnesses needs --witnesses FILE" in capsys.readouterr().err
