"""The edition-changes pages (docs/reference/edition-changes/) match the rulebook and its
stored witnesses: one page per consecutive pair of editions, and the index."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from counting_rules import Rulebook, default_rulebook
from counting_rules._maintain.edition_changes import COMMAND, index, page, page_name
from counting_rules._maintain.witness_store import Witnesses

ROOT = Path(__file__).parents[2]
PAGES = ROOT / "docs" / "reference" / "edition-changes"
PAIRS = [(a.id, b.id) for a, b in pairwise(default_rulebook().editions)]


@pytest.fixture(scope="module")
def witnesses() -> Witnesses:
    return Witnesses(ROOT / "tests" / "regression" / "witnesses.json.gz")


def _committed(name: str) -> str:
    path = PAGES / name
    return path.read_text(encoding="utf-8") if path.exists() else ""


@pytest.mark.parametrize(("before", "after"), PAIRS, ids=[f"{a}-{b}" for a, b in PAIRS])
def test_each_pair_of_editions_has_an_up_to_date_page(
    book: Rulebook, witnesses: Witnesses, before: str, after: str
) -> None:
    a, b = book.edition(before), book.edition(after)
    name = page_name(a, b)
    assert _committed(name) == page(book, a, b, witnesses), (
        f"docs/reference/edition-changes/{name} is stale or missing: run `{COMMAND}`"
    )


def test_the_index_is_up_to_date_and_lists_only_pages_that_exist(book: Rulebook) -> None:
    assert _committed("README.md") == index(book), (
        f"docs/reference/edition-changes/README.md is stale: run `{COMMAND}`"
    )
    names = {p.name for p in PAGES.glob("*.md")} - {"README.md"}
    assert names == {page_name(book.edition(a), book.edition(b)) for a, b in PAIRS}, (
        f"pages for pairs of editions that no longer follow one another: run `{COMMAND}`"
    )
