"""Hypothesis profile for the big differential run, by hand:

    pytest tests/properties/test_differential.py --hypothesis-profile=differential-nightly

runs 1,000,000 seeded cases and as many from a hypothesis search (not seeded), shared among
the editions, through both evaluators.
"""

from __future__ import annotations

from hypothesis import settings

settings.register_profile(
    "differential-nightly",
    parent=settings.get_profile("nightly"),
    max_examples=1_000_000,
)
