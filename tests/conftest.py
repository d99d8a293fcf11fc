"""Shared fixtures: the shipped rulebook, loaded once per test session."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

from counting_rules import Rulebook, default_rulebook


@pytest.fixture(scope="session")
def book() -> Rulebook:
    return default_rulebook()


# Seeded, deterministic profile for CI; "nightly" is for long runs by hand.
settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "nightly",
    deadline=None,
    max_examples=100_000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("ci")
