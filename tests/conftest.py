"""Shared fixtures: the shipped rulebook, loaded once per test session."""

from __future__ import annotations

import pytest

from counting_rules import Rulebook, default_rulebook


@pytest.fixture(scope="session")
def book() -> Rulebook:
    return default_rulebook()
