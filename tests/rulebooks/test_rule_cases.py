"""Every case in tests/rulebooks/<rule id>.yaml: the rule fires, or does not, as stated."""

from __future__ import annotations

import pytest

from tests.casefiles import CaseSpec, check, collect

CASES = collect("rulebooks")


@pytest.mark.parametrize("spec", CASES, ids=[c.id for c in CASES])
def test_rule_case(spec: CaseSpec) -> None:
    check(spec)
