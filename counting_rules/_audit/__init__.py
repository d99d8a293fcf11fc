"""A crime-data-integrity audit: per-record findings, the rules' decision on a case against
what the force did (``audit_record``, docs/reference/as-recorded.md), and the statistics:
recording rates with their confidence intervals, and the crimes a force leaves unrecorded
each year (docs/explanation/audit-statistics.md); the reports (HTML, Markdown, JSON) of an
audit's summary and findings (``write_reports``).

Needs the ``audit`` extra (statsmodels, scipy); the engine does not.
"""

from __future__ import annotations

from counting_rules._audit.finding import AuditFinding, CrimeGroup, FindingKind
from counting_rules._audit.findings import audit_record
from counting_rules._audit.report import read_findings, write_reports
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
from counting_rules._audit.summary import AuditStatistics, AuditSummary

__all__ = [
    "AuditFinding",
    "AuditStatistics",
    "AuditSummary",
    "CrimeGroup",
    "Estimate",
    "FindingKind",
    "Unrecorded",
    "audit_record",
    "normal",
    "normal_fpc",
    "read_findings",
    "sample_size",
    "stratified",
    "unrecorded_per_year",
    "wilson",
    "write_reports",
]
