"""The tally of an audit over many records, and the inspection statistics computed from it.

``AuditSummary`` holds counts only (no ids, no facts, nothing personal), so it can be written
to ``summary.json``, read back, and merged: each worker of a parallel audit (and, later, each
partition of a distributed one) tallies its own records and the tallies are added up.
``merge`` is associative and commutative and gives exactly the summary one pass over all the
records would: every field is a count or a map of counts, and merging adds them.

What is counted, for each decided record (``add``):

- ``recording[group]``: every crime the rules require whose allegation the decision settles
  (not undecided, not referred): ``checked``; ``correct`` unless it has a
  ``crime_not_recorded`` finding. The unit of the recording rate.
- ``timeliness[group]``: of those recorded, each with a deadline and a recorded time:
  ``correct`` when recorded by the deadline (no ``recorded_late``). ``hours_to_record``: the
  hours from the moment the clock started (the report, or the victim's confirmation where the
  rules waited for it) to the force's record, in the fixed bins ``HOURS_BINS``, keyed by
  ``HOURS_LABELS`` ("0-1", "1-6", ... "168+"; show them in that order: JSON sorts keys).
- ``n100``: every N100 the force made on a settled allegation; ``correct`` unless it has an
  ``n100_instead_of_crime`` or ``n100_not_converted`` finding.
- ``cancellations[group]``: every cancellation the rules ruled on (or a C4 of a crime they
  require); ``correct`` unless it has a ``c4_for_substantive_crime``,
  ``cancellation_not_allowed`` or ``wrong_decider`` finding. Not counted when it cannot be
  judged (no proposal, no decider).
- ``victim_notification``: every allowed cancellation that owes the victim word of it, with
  ``victim_told`` yes or no; ``correct`` when yes.
- ``findings[kind]`` and ``findings_by_group[group][kind]``: every finding.
- ``records``: ``decided`` (``add``), ``rejected`` (``reject``: unreadable or invalid rows),
  ``complete`` (decisions with nothing still needed), ``with_findings`` (one finding or more
  other than ``cannot_judge``); ``rejected_fields``: rejected rows by the field at fault.
- ``strata[name]``: the recording tally of each stratum of a stratified sample.

A crime with no Home Office code yet, or one the catalogue does not hold, is in group
``unclassified``. Groups are those of the findings: ``sexual_offences`` excludes ``rape``;
``statistics`` also reports the two together, as inspections do.

``statistics`` computes, through ``_audit.statistics``, each share with its Wilson interval
and its normal interval (with the finite population correction when the population is
given), the stratum-weighted recording rate when stratum sizes are given, and the crimes left
unrecorded a year from the force's recorded volume.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from counting_rules._audit.cancellations import duty_for, ruling_for
from counting_rules._audit.crime_groups import crime_group
from counting_rules._audit.finding import AuditFinding, FindingKind
from counting_rules._audit.record import Audit
from counting_rules._audit.statistics import (
    Estimate,
    normal,
    normal_fpc,
    stratified,
    unrecorded_per_year,
    wilson,
)
from counting_rules._engine.decide import default_rulebook
from counting_rules._rulebook.ir import Rulebook
from counting_rules.case import CaseFacts, RecordedCrime
from counting_rules.decision import Crime, Decision
from counting_rules.errors import UsageError

__all__ = [
    "GROUPS",
    "HOURS_BINS",
    "HOURS_LABELS",
    "AuditStatistics",
    "AuditSummary",
    "Interval",
    "Rate",
    "Records",
    "Tally",
    "UnrecordedEstimate",
    "summary_document",
]

UNCLASSIFIED = "unclassified"
# Every group is always present in the summary, so two summaries have the same keys.
GROUPS: tuple[str, ...] = ("violence", "sexual_offences", "rape", "robbery", "other", UNCLASSIFIED)
# Hours to record: [lower, upper) in hours; the last bin is open. Fixed, so that tallies merge.
HOURS_BINS: tuple[tuple[int, int | None], ...] = (
    (0, 1),
    (1, 6),
    (6, 12),
    (12, 24),
    (24, 48),
    (48, 72),
    (72, 168),
    (168, None),
)
_N100_WRONG: frozenset[FindingKind] = frozenset({"n100_instead_of_crime", "n100_not_converted"})
_CANCELLATION_WRONG: frozenset[FindingKind] = frozenset(
    {"c4_for_substantive_crime", "cancellation_not_allowed", "wrong_decider"}
)
_CANCELLATION_UNJUDGED: frozenset[FindingKind] = frozenset(
    {"cancellation_not_allowed", "wrong_decider"}
)


def _bin_label(lower: int, upper: int | None) -> str:
    return f"{lower}-{upper}" if upper is not None else f"{lower}+"


HOURS_LABELS: tuple[str, ...] = tuple(_bin_label(lo, hi) for lo, hi in HOURS_BINS)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class Tally(_Model):
    """``correct`` of ``checked``."""

    checked: int = Field(0, ge=0)
    correct: int = Field(0, ge=0)

    def count(self, correct: bool) -> None:
        self.checked += 1
        self.correct += int(correct)

    def plus(self, other: Tally) -> Tally:
        return Tally(checked=self.checked + other.checked, correct=self.correct + other.correct)


class Records(_Model):
    """How many input records were read and what became of each."""

    decided: int = Field(0, ge=0, description="Records decided and audited.")
    rejected: int = Field(0, ge=0, description="Records that could not be read or validated.")
    complete: int = Field(0, ge=0, description="Decided records with nothing still needed.")
    with_findings: int = Field(0, ge=0, description="Decided records with a finding.")

    @property
    def total(self) -> int:
        """Every record read: decided + rejected."""
        return self.decided + self.rejected


def _groups() -> dict[str, Tally]:
    return {g: Tally() for g in GROUPS}


def _hours() -> dict[str, int]:
    return dict.fromkeys(HOURS_LABELS, 0)


class AuditSummary(_Model):
    """The mergeable tally of an audit (the module docstring says what each count counts).

    Build one with ``AuditSummary()``, ``add`` each decided record, ``reject`` each row that
    could not be read; ``merge`` another in; ``to_json``/``from_json`` to store it;
    ``statistics`` for the rates and intervals.
    """

    format: Literal[1] = 1
    records: Records = Field(default_factory=Records)
    rejected_fields: dict[str, int] = Field(
        default_factory=dict, description="Rejected rows by the field path at fault."
    )
    recording: dict[str, Tally] = Field(default_factory=_groups)
    timeliness: dict[str, Tally] = Field(default_factory=_groups)
    hours_to_record: dict[str, int] = Field(default_factory=_hours)
    n100: Tally = Field(default_factory=Tally)
    cancellations: dict[str, Tally] = Field(default_factory=_groups)
    victim_notification: Tally = Field(default_factory=Tally)
    findings: dict[str, int] = Field(default_factory=dict)
    findings_by_group: dict[str, dict[str, int]] = Field(default_factory=dict)
    strata: dict[str, Tally] = Field(default_factory=dict)

    # -- building ---------------------------------------------------------------------------

    def add(
        self,
        case: CaseFacts,
        decision: Decision,
        findings: Iterable[AuditFinding],
        *,
        rulebook: Rulebook | None = None,
        stratum: str | None = None,
    ) -> None:
        """Count one decided record: ``findings`` are ``audit_record(case, decision)``'s."""
        if case.as_recorded is None:
            raise UsageError("the case has no as_recorded part: nothing the force did to audit")
        found = list(findings)
        audit = Audit(case, decision, case.as_recorded, rulebook or default_rulebook())
        self.records.decided += 1
        self.records.complete += int(decision.complete)
        self.records.with_findings += int(any(f.kind != "cannot_judge" for f in found))
        for f in found:
            group = f.crime_group or UNCLASSIFIED
            self.findings[f.kind] = self.findings.get(f.kind, 0) + 1
            by = self.findings_by_group.setdefault(group, {})
            by[f.kind] = by.get(f.kind, 0) + 1
        on = _Index(found)
        for crime in decision.crimes:
            if crime.allegation_id in audit.blocked:
                continue
            group = _group(audit, crime.code)
            recorded = not on.has("crime_not_recorded", crime.allegation_id)
            self.recording[group].count(recorded)
            if stratum is not None:
                self.strata.setdefault(stratum, Tally()).count(recorded)
            if recorded:
                self._timely(audit, crime, group, on)
        for n in case.as_recorded.n100s:
            if n.allegation not in audit.blocked:
                self.n100.count(not any(on.has(k, n.allegation) for k in _N100_WRONG))
        self._cancellations(audit, on)

    def reject(self, field: str) -> None:
        """Count one row that could not be read or validated; ``field`` is the path at fault
        (never its value)."""
        self.records.rejected += 1
        self.rejected_fields[field] = self.rejected_fields.get(field, 0) + 1

    def _timely(self, audit: Audit, crime: Crime, group: str, on: _Index) -> None:
        aid = crime.allegation_id
        if crime.deadline is None or on.about("recorded_late", aid):
            return  # no deadline, or no recorded time: not judged
        self.timeliness[group].count(not on.has("recorded_late", aid))
        record = _record_of(audit, crime)
        start = _clock_start(audit, crime)
        if record is not None and record.recorded_at is not None and start is not None:
            hours = (record.recorded_at - start).total_seconds() / 3600
            self.hours_to_record[_bin(hours)] += 1

    def _cancellations(self, audit: Audit, on: _Index) -> None:
        for ca in audit.record.cancellations:
            aid = ca.allegation
            if aid in audit.blocked:
                continue
            codes = [cr.code for _, cr in audit.recorded.get(aid, [])]
            group = _group(audit, None, audit.group(aid, codes[0] if codes else None))
            wrong = any(on.has(k, aid, ca.category) for k in _CANCELLATION_WRONG)
            unjudged = any(on.about(k, aid, ca.category) for k in _CANCELLATION_UNJUDGED)
            if wrong or not unjudged:
                self.cancellations[group].count(not wrong)
            ruling = ruling_for(audit, ca)
            if ruling is None or not ruling.allowed or ca.victim_told == "unknown":
                continue
            if duty_for(audit, ca, audit.victim_of.get(aid)) is not None:
                self.victim_notification.count(ca.victim_told == "yes")

    # -- combining and storing ----------------------------------------------------------------

    def merge(self, other: AuditSummary) -> AuditSummary:
        """A new summary of both tallies' records; neither is changed."""
        return AuditSummary(
            records=Records(
                decided=self.records.decided + other.records.decided,
                rejected=self.records.rejected + other.records.rejected,
                complete=self.records.complete + other.records.complete,
                with_findings=self.records.with_findings + other.records.with_findings,
            ),
            rejected_fields=_add_counts(self.rejected_fields, other.rejected_fields),
            recording=_add_tallies(self.recording, other.recording),
            timeliness=_add_tallies(self.timeliness, other.timeliness),
            hours_to_record=_add_counts(self.hours_to_record, other.hours_to_record),
            n100=self.n100.plus(other.n100),
            cancellations=_add_tallies(self.cancellations, other.cancellations),
            victim_notification=self.victim_notification.plus(other.victim_notification),
            findings=_add_counts(self.findings, other.findings),
            findings_by_group={
                g: _add_counts(
                    self.findings_by_group.get(g, {}), other.findings_by_group.get(g, {})
                )
                for g in sorted({*self.findings_by_group, *other.findings_by_group})
            },
            strata=_add_tallies(self.strata, other.strata),
        )

    def to_json(self) -> str:
        """The summary as JSON, keys sorted: equal summaries give equal text."""
        return json.dumps(self.model_dump(mode="json"), indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | bytes) -> AuditSummary:
        """A summary written by ``to_json``; validated strictly."""
        return cls.model_validate_json(text, strict=True)

    # -- statistics ---------------------------------------------------------------------------

    def statistics(
        self,
        *,
        population: int | None = None,
        recorded_per_year: int | None = None,
        stratum_sizes: Mapping[str, int] | None = None,
        confidence: float = 0.95,
    ) -> AuditStatistics:
        """The inspection statistics of this tally.

        ``population``: how many records the audited sample was drawn from (a simple random
        sample); it puts the finite population correction on the overall recording rate's
        normal interval, which is otherwise uncorrected, as are the groups'. ``stratum_sizes``:
        each stratum's population, for the stratum-weighted recording rate (every stratum in
        ``strata`` must have one). ``recorded_per_year``: the force's recorded crimes a year,
        for the estimate of crimes left unrecorded (from the normal interval of the overall
        rate, as inspections publish it).
        """
        overall = _total(self.recording.values())
        rate = Rate.of(overall, confidence, population)
        unrecorded = None
        if recorded_per_year is not None and rate.normal is not None:
            unrecorded = UnrecordedEstimate.of(rate.normal.estimate(), recorded_per_year)
        by_group = {g: Rate.of(t, confidence) for g, t in self.recording.items()}
        sexual = self.recording["sexual_offences"].plus(self.recording["rape"])
        by_group["sexual_offences_including_rape"] = Rate.of(sexual, confidence)
        return AuditStatistics(
            records=self.records.model_copy(),
            total_records=self.records.total,
            recording_rate=rate,
            recording_rate_by_group=by_group,
            stratified_recording_rate=self._stratified(stratum_sizes, confidence),
            unrecorded_per_year=unrecorded,
            timeliness=Rate.of(_total(self.timeliness.values()), confidence),
            timeliness_by_group={g: Rate.of(t, confidence) for g, t in self.timeliness.items()},
            hours_to_record=dict(self.hours_to_record),
            n100_accuracy=Rate.of(self.n100, confidence),
            cancellation_accuracy=Rate.of(_total(self.cancellations.values()), confidence),
            cancellation_accuracy_by_group={
                g: Rate.of(t, confidence) for g, t in self.cancellations.items()
            },
            victim_notification_accuracy=Rate.of(self.victim_notification, confidence),
            findings=dict(sorted(self.findings.items())),
            findings_by_group={
                g: dict(sorted(k.items())) for g, k in sorted(self.findings_by_group.items())
            },
        )

    def _stratified(self, sizes: Mapping[str, int] | None, confidence: float) -> Interval | None:
        if sizes is None:
            return None
        missing = sorted(set(self.strata) - set(sizes))
        if missing:
            raise UsageError(
                f"stratum_sizes has no size for stratum {missing[0]!r}",
                fix="give every stratum of the sample its population size",
            )
        rows = [
            (sizes[s], t.checked, t.correct) for s, t in sorted(self.strata.items()) if t.checked
        ]
        if not rows:
            return None
        return Interval.of(stratified(rows, confidence))


class _Index:
    """The findings of one record, looked up by kind, allegation and category."""

    def __init__(self, found: list[AuditFinding]) -> None:
        self._kinds: set[tuple[str, str | None, str | int | None]] = set()
        self._about: set[tuple[str, str | None, str | int | None]] = set()
        for f in found:
            cat = f.details.get("category")
            self._kinds |= {(f.kind, f.allegation_id, None), (f.kind, f.allegation_id, cat)}
            if f.about is not None:
                self._about |= {(f.about, f.allegation_id, None), (f.about, f.allegation_id, cat)}

    def has(self, kind: FindingKind, aid: str, category: str | None = None) -> bool:
        return (kind, aid, category) in self._kinds

    def about(self, kind: FindingKind, aid: str, category: str | None = None) -> bool:
        return (kind, aid, category) in self._about


def _group(audit: Audit, code: str | None, group: str | None = None) -> str:
    return group or crime_group(audit.book, code) or UNCLASSIFIED


def _record_of(audit: Audit, crime: Crime) -> RecordedCrime | None:
    """The force's record of ``crime``: for its allegation, else one it absorbs."""
    for aid in (crime.allegation_id, *(a.allegation_id for a in crime.absorbed)):
        for _, cr in audit.recorded.get(aid, []):
            return cr
    return None


def _clock_start(audit: Audit, crime: Crime) -> datetime | None:
    """When the recording clock started: the victim's confirmation where the rules waited for
    it, else the allegation's report (the engine's own epochs)."""
    if crime.deadline_basis == "confirmation":
        for v in audit.case.victims:
            if v.id == crime.victim_id:
                return v.confirmed_at
        return None
    for al in audit.case.allegations:
        if al.id == crime.allegation_id:
            return al.reported_at or audit.case.report.received_at
    return audit.case.report.received_at


def _bin(hours: float) -> str:
    """The bin of ``hours``; a record made before the clock started is in the first."""
    for (_, upper), label in zip(HOURS_BINS, HOURS_LABELS, strict=True):
        if upper is not None and hours < upper:
            return label
    return HOURS_LABELS[-1]


def _total(tallies: Iterable[Tally]) -> Tally:
    out = Tally()
    for t in tallies:
        out = out.plus(t)
    return out


def _add_counts(a: Mapping[str, int], b: Mapping[str, int]) -> dict[str, int]:
    return {k: a.get(k, 0) + b.get(k, 0) for k in sorted({*a, *b})}


def _add_tallies(a: Mapping[str, Tally], b: Mapping[str, Tally]) -> dict[str, Tally]:
    return {k: a.get(k, Tally()).plus(b.get(k, Tally())) for k in sorted({*a, *b})}


# -- the statistics, as JSON-ready models ---------------------------------------------------


class Interval(_Model):
    """A share and its confidence interval (fractions in [0, 1]), and how it was computed."""

    share: float
    lower: float
    upper: float
    method: str

    @classmethod
    def of(cls, e: Estimate) -> Interval:
        return cls(share=e.share, lower=e.lower, upper=e.upper, method=e.method)

    def estimate(self) -> Estimate:
        return Estimate(self.share, self.lower, self.upper, None, None, self.method)


class Rate(_Model):
    """``correct`` of ``checked``, with the Wilson and normal intervals (None when nothing
    was checked). ``normal`` has the finite population correction when a population was
    given (method ``normal-fpc``)."""

    correct: int
    checked: int
    wilson: Interval | None
    normal: Interval | None

    @classmethod
    def of(cls, t: Tally, confidence: float, population: int | None = None) -> Rate:
        if t.checked == 0:
            return cls(correct=0, checked=0, wilson=None, normal=None)
        if population is not None:
            near = normal_fpc(t.correct, t.checked, population, confidence)
        else:
            near = normal(t.correct, t.checked, confidence)
        return cls(
            correct=t.correct,
            checked=t.checked,
            wilson=Interval.of(wilson(t.correct, t.checked, confidence)),
            normal=Interval.of(near),
        )


class UnrecordedEstimate(_Model):
    """Crimes a year reported but not recorded, with the range from the rate's interval
    (``upper`` None when the interval reaches 0: no bound)."""

    count: float
    lower: float
    upper: float | None
    recorded_per_year: int

    @classmethod
    def of(cls, rate: Estimate, recorded_per_year: int) -> UnrecordedEstimate | None:
        if rate.share == 0.0:
            return None  # a force that records nothing gives no reported total
        u = unrecorded_per_year(rate, recorded_per_year)
        upper = None if u.upper == float("inf") else u.upper
        return cls(count=u.count, lower=u.lower, upper=upper, recorded_per_year=recorded_per_year)


class AuditStatistics(_Model):
    """The statistics of an ``AuditSummary`` (``AuditSummary.statistics``)."""

    records: Records
    total_records: int
    recording_rate: Rate
    recording_rate_by_group: dict[str, Rate]
    stratified_recording_rate: Interval | None
    unrecorded_per_year: UnrecordedEstimate | None
    timeliness: Rate
    timeliness_by_group: dict[str, Rate]
    hours_to_record: dict[str, int]
    n100_accuracy: Rate
    cancellation_accuracy: Rate
    cancellation_accuracy_by_group: dict[str, Rate]
    victim_notification_accuracy: Rate
    findings: dict[str, int]
    findings_by_group: dict[str, dict[str, int]]


def summary_document(
    summary: AuditSummary, statistics: AuditStatistics, **options: Any
) -> dict[str, Any]:
    """``summary.json``: the tally, the statistics and the options they were computed with."""
    return {
        "summary": summary.model_dump(mode="json"),
        "statistics": statistics.model_dump(mode="json"),
        "options": options,
    }
