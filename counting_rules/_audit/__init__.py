"""Statistics of a crime-data-integrity audit: recording rates with their confidence intervals,
and the crimes a force leaves unrecorded each year (docs/explanation/audit-statistics.md).

Needs the ``audit`` extra (statsmodels, scipy); the engine does not.
"""

from __future__ import annotations

from counting_rules._audit.statistics import (
    Estimate,
    Unrecorded,
    normal,
    normal_fpc,
    sample_size,
    stratified,
    unrecorded_per_year,
    wilson,
)

__all__ = [
    "Estimate",
    "Unrecorded",
    "normal",
    "normal_fpc",
    "sample_size",
    "stratified",
    "unrecorded_per_year",
    "wilson",
]
