"""The figures of an audit report, formatted once, for every format (HTML, Markdown, JSON).

``figures`` reads an ``AuditSummary`` and the ``AuditStatistics`` computed from it; every
number a report shows is here, with its words, so the three formats cannot disagree. Nothing
personal: counts, shares, group and finding names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, get_args

from counting_rules._audit.finding import FindingKind
from counting_rules._audit.summary import (
    GROUPS,
    HOURS_BINS,
    HOURS_LABELS,
    AuditStatistics,
    AuditSummary,
    Interval,
    Rate,
)

__all__ = [
    "GROUP_LABELS",
    "KIND_LABELS",
    "Figures",
    "HoursBin",
    "RateRow",
    "figures",
    "percent",
]

COMBINED = "sexual_offences_including_rape"
GROUP_LABELS: Mapping[str, str] = {
    "violence": "Violence against the person",
    "sexual_offences": "Sexual offences (not rape)",
    "rape": "Rape",
    COMBINED: "Sexual offences, rape included",
    "robbery": "Robbery",
    "other": "Other crime",
    "unclassified": "Not yet classified",
}
KIND_LABELS: Mapping[str, str] = {
    "crime_not_recorded": "Crime not recorded",
    "wrong_classification": "Wrong classification",
    "wrong_count": "Wrong number of crimes",
    "recorded_late": "Recorded late",
    "n100_instead_of_crime": "N100 instead of a crime",
    "n100_not_converted": "N100 not converted",
    "c4_for_substantive_crime": "C4 (created in error) for a real crime",
    "cancellation_not_allowed": "Cancellation not allowed",
    "wrong_decider": "Cancellation by the wrong decider",
    "victim_not_told": "Victim not told of cancellation",
    "incident_closed_without_crime": "Incident closed with no crime",
    "cannot_judge": "Cannot be judged yet",
}
assert set(KIND_LABELS) == set(get_args(FindingKind)), "a finding kind has no label"
_ORDER = ("violence", "sexual_offences", "rape", COMBINED, "robbery", "other", "unclassified")
assert set(_ORDER) == {*GROUPS, COMBINED}, "a crime group has no place in the report"


def percent(share: float) -> str:
    """A share as a percentage with one decimal, halves rounded up (as inspections print)."""
    return f"{Decimal(repr(share * 100)).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def _points(half: float) -> str:
    return str(Decimal(repr(half * 100)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class RateRow:
    """One rate: ``correct`` of ``checked`` with its two 95% intervals, in numbers and words."""

    key: str
    label: str
    correct: int
    checked: int
    share: float | None
    wilson: Interval | None
    normal: Interval | None

    @classmethod
    def of(cls, key: str, label: str, rate: Rate) -> RateRow:
        share = rate.correct / rate.checked if rate.checked else None
        return cls(key, label, rate.correct, rate.checked, share, rate.wilson, rate.normal)

    @property
    def count_text(self) -> str:
        return f"{self.correct:,} of {self.checked:,}" if self.checked else "none checked"

    @property
    def share_text(self) -> str:
        return percent(self.share) if self.share is not None else "—"

    @property
    def wilson_text(self) -> str:
        w = self.wilson
        return f"{percent(w.lower)} to {percent(w.upper)}" if w is not None else "—"

    @property
    def normal_text(self) -> str:
        """The normal interval as an inspection prints it: the share ± half-width, in points."""
        n = self.normal
        if n is None:
            return "—"
        half = max(n.upper - n.share, n.share - n.lower)
        return f"{percent(n.share)} ± {_points(half)}"

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "correct": self.correct,
            "checked": self.checked,
            "share": self.share,
            "wilson": self.wilson.model_dump() if self.wilson else None,
            "normal": self.normal.model_dump() if self.normal else None,
            "text": {
                "count": self.count_text,
                "share": self.share_text,
                "wilson": self.wilson_text,
                "normal": self.normal_text,
            },
        }


@dataclass(frozen=True)
class HoursBin:
    """One bin of the hours from the start of the recording clock to the crime record."""

    label: str
    lower: int
    upper: int | None
    count: int
    share: float | None
    late: bool  # wholly after the 24 hours

    @property
    def text(self) -> str:
        if self.upper is None:
            return f"{self.lower} h or more"
        return f"{self.lower} to {self.upper} h"

    @property
    def share_text(self) -> str:
        return percent(self.share) if self.share is not None else "—"

    def as_json(self) -> dict[str, Any]:
        return {
            "bin": self.label,
            "lower_hours": self.lower,
            "upper_hours": self.upper,
            "count": self.count,
            "share": self.share,
            "late": self.late,
        }


@dataclass(frozen=True)
class KindCount:
    key: str
    label: str
    count: int
    by_group: dict[str, int]


@dataclass(frozen=True)
class Figures:
    """Every figure of the report."""

    records: dict[str, int]
    rejected_fields: list[tuple[str, int]]
    recording: RateRow
    recording_by_group: list[RateRow]
    stratified: Interval | None
    unrecorded: dict[str, Any] | None
    timeliness: RateRow
    timeliness_by_group: list[RateRow]
    hours: list[HoursBin]
    accuracy: list[RateRow]
    cancellations_by_group: list[RateRow]
    findings: list[KindCount]
    findings_total: int
    groups_with_findings: list[tuple[str, str]]
    options: dict[str, Any]


def _rows(rates: Mapping[str, Rate]) -> list[RateRow]:
    """The groups' rows in the report's order; "not yet classified" only when it has any."""
    return [
        RateRow.of(g, GROUP_LABELS[g], rates[g])
        for g in _ORDER
        if g in rates and (g != "unclassified" or rates[g].checked)
    ]


def figures(
    summary: AuditSummary, stats: AuditStatistics, options: Mapping[str, Any] | None = None
) -> Figures:
    """The report's figures from ``summary`` and ``stats`` (``summary.statistics(...)``)."""
    rec = summary.records
    timed = sum(summary.hours_to_record.values())
    hours = [
        HoursBin(
            label,
            lo,
            hi,
            summary.hours_to_record.get(label, 0),
            summary.hours_to_record.get(label, 0) / timed if timed else None,
            lo >= 24,
        )
        for (lo, hi), label in zip(HOURS_BINS, HOURS_LABELS, strict=True)
    ]
    found = [
        KindCount(
            k,
            KIND_LABELS[k],
            stats.findings.get(k, 0),
            {g: stats.findings_by_group.get(g, {}).get(k, 0) for g in GROUPS},
        )
        for k in KIND_LABELS
    ]
    unrecorded = None
    if stats.unrecorded_per_year is not None:
        u = stats.unrecorded_per_year
        unrecorded = {
            "count": u.count,
            "lower": u.lower,
            "upper": u.upper,
            "recorded_per_year": u.recorded_per_year,
            "text": f"{round(u.count):,}",
            "range_text": f"{round(u.lower):,} to "
            + (f"{round(u.upper):,}" if u.upper is not None else "no upper bound"),
        }
    return Figures(
        records={
            "read": rec.total,
            "decided": rec.decided,
            "rejected": rec.rejected,
            "complete": rec.complete,
            "with_findings": rec.with_findings,
        },
        rejected_fields=sorted(summary.rejected_fields.items(), key=lambda kv: (-kv[1], kv[0])),
        recording=RateRow.of("all", "All crime", stats.recording_rate),
        recording_by_group=_rows(stats.recording_rate_by_group),
        stratified=stats.stratified_recording_rate,
        unrecorded=unrecorded,
        timeliness=RateRow.of("all", "All crime", stats.timeliness),
        timeliness_by_group=_rows(stats.timeliness_by_group),
        hours=hours,
        accuracy=[
            RateRow.of("n100", "N100s made rightly", stats.n100_accuracy),
            RateRow.of("cancellations", "Cancellations correct", stats.cancellation_accuracy),
            RateRow.of(
                "victim_notification",
                "Victims told of a cancellation",
                stats.victim_notification_accuracy,
            ),
        ],
        cancellations_by_group=_rows(stats.cancellation_accuracy_by_group),
        findings=found,
        findings_total=sum(stats.findings.values()),
        groups_with_findings=[
            (g, GROUP_LABELS[g]) for g in _ORDER if any(f.by_group.get(g) for f in found)
        ],
        options=dict(options or {}),
    )
