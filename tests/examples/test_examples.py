"""The worked examples (shared/domain/example-cases.md) and the inspection's case studies."""

from __future__ import annotations

import pytest

from tests.casefiles import CaseSpec, check, collect

CASES = collect("examples")


@pytest.mark.parametrize("spec", CASES, ids=[c.id for c in CASES])
def test_example(spec: CaseSpec) -> None:
    check(spec)
