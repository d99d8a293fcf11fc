"""Per-record audit findings: the rules' decision on a case against what the force did.

``audit_record`` compares a ``Decision`` with the case's ``as_recorded`` part, as an
inspector compares a crime record with the report (HMICFRS crime data integrity audits):
crimes not recorded, misclassified, miscounted or recorded late; N100s made instead of
crimes or not converted; cancellations the rules do not allow, by the wrong decider, or not
told to the victim; incidents closed with no crime. Where the decision is not complete for
an allegation, nothing about it is judged: it is ``cannot_judge``, with what is still
needed, never "no crime". docs/reference/as-recorded.md gives each finding's rule basis.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator

from counting_rules._audit.cancellations import cancellation_findings
from counting_rules._audit.finding import AuditFinding, finding
from counting_rules._audit.record import Audit, pick
from counting_rules._engine.decide import default_rulebook
from counting_rules._rulebook.ir import Rulebook
from counting_rules.case import CaseFacts, RecordedCrime
from counting_rules.decision import Crime, Decision, Reason
from counting_rules.errors import UsageError

__all__ = ["audit_record"]

_TIMELINESS = "general_rules/a_whether_and_when_to_record/"
_CLASSIFICATION = "crime_types/"
_COUNTING = (
    "general_rules/d_one_crime_per_victim/",
    "general_rules/e_finished_incident_rule/",
    "general_rules/f_principal_crime_rule/",
)


def audit_record(
    case: CaseFacts, decision: Decision, *, rulebook: Rulebook | None = None
) -> list[AuditFinding]:
    """Every finding on ``case``'s record (``case.as_recorded``) against ``decision``, the
    rules' decision on the same case, sorted by allegation, victim and kind."""
    if case.as_recorded is None:
        raise UsageError(
            "the case has no as_recorded part: nothing the force did to audit",
            fix="add as_recorded (what the force recorded); an empty one means it did nothing",
        )
    if decision.case_id != case.report.id:
        raise UsageError(
            f"the decision is on case {decision.case_id!r}, not {case.report.id!r}",
            fix="pass the decision decide() returned for this case",
        )
    audit = Audit(case, decision, case.as_recorded, rulebook or default_rulebook())
    found = [
        *_undecided(audit),
        *_crimes(audit),
        *_counts(audit),
        *cancellation_findings(audit),
    ]
    return sorted(found, key=lambda f: (f.allegation_id or "", f.victim_id or "", f.kind))


def _undecided(audit: Audit) -> Iterator[AuditFinding]:
    for aid, needed in sorted(audit.blocked.items()):
        records = audit.recorded.get(aid, [])
        code = records[0][1].code if records else None
        yield finding(
            "cannot_judge",
            aid,
            audit.victim_of.get(aid),
            group=audit.group(aid, code),
            still_needed=needed,
        )


def _crimes(audit: Audit) -> Iterator[AuditFinding]:
    """Each crime the rules require: recorded, as it, in time; if not, how it was not."""
    used: set[int] = set()
    for crime in audit.decision.crimes:
        aid = crime.allegation_id
        if aid in audit.blocked:
            continue
        match = _match(audit, crime, used)
        if match is None:
            yield from _not_recorded(audit, crime)
            continue
        used.add(match[0])
        yield from _recorded(audit, crime, *match)


def _match(audit: Audit, crime: Crime, used: set[int]) -> tuple[int, RecordedCrime] | None:
    """The force's record of ``crime``: one for its allegation, else one for an allegation
    it absorbs (the force recorded the wrong principal crime: a misclassification)."""
    for aid in (crime.allegation_id, *(a.allegation_id for a in crime.absorbed)):
        for i, cr in audit.recorded.get(aid, []):
            if i not in used:
                return i, cr
    return None


def _decided(crime: Crime) -> dict[str, str]:
    return {"decided_code": crime.code or "(code still needed)", "decided_title": crime.title or ""}


def _not_recorded(audit: Audit, crime: Crime) -> Iterator[AuditFinding]:
    aid, vid = crime.allegation_id, crime.victim_id
    group = audit.group(aid)
    yield finding(
        "crime_not_recorded", aid, vid, group=group, reasons=crime.reasons, details=_decided(crime)
    )
    if aid in audit.n100_made:
        # The 24 hours run from the confirmation only where the rules waited for it: the N100
        # was right until then, and the crime is owed on confirmation.
        converted = crime.deadline_basis == "confirmation"
        yield finding(
            "n100_not_converted" if converted else "n100_instead_of_crime",
            aid,
            vid,
            group=group,
            reasons=crime.reasons,
            details=_decided(crime),
        )
        return
    incident = audit.record.incident
    if incident is not None and incident.closed_at is not None:
        yield finding(
            "incident_closed_without_crime",
            aid,
            vid,
            group=group,
            reasons=crime.reasons,
            details={
                "closing_code": incident.closing_code or "no closing code",
                **_decided(crime),
            },
        )


def _recorded(audit: Audit, crime: Crime, index: int, cr: RecordedCrime) -> Iterator[AuditFinding]:
    aid, vid = crime.allegation_id, crime.victim_id
    group = audit.group(aid, cr.code)
    classified = pick(crime.reasons, _CLASSIFICATION)
    if crime.code is None or audit.classification_needed(aid):
        if crime.code != cr.code:
            needed = audit.classification_needed(aid) or (
                f"allegations[{aid}] (its classification)",
            )
            yield finding(
                "cannot_judge",
                aid,
                vid,
                group=group,
                about="wrong_classification",
                reasons=classified,
                still_needed=needed,
            )
    elif crime.code != cr.code:
        yield finding(
            "wrong_classification",
            aid,
            vid,
            group=group,
            reasons=classified,
            details={"recorded_code": cr.code, **_decided(crime)},
        )
    if crime.deadline is None:
        return  # no deadline applies to this crime
    if cr.recorded_at is None:
        yield finding(
            "cannot_judge",
            aid,
            vid,
            group=group,
            about="recorded_late",
            reasons=pick(crime.reasons, _TIMELINESS),
            still_needed=(f"as_recorded.crimes[{index}].recorded_at",),
        )
    elif cr.recorded_at > crime.deadline:
        late = math.ceil((cr.recorded_at - crime.deadline).total_seconds() / 3600)
        yield finding(
            "recorded_late",
            aid,
            vid,
            group=group,
            reasons=pick(crime.reasons, _TIMELINESS),
            details={"hours_late": late, "deadline": crime.deadline.isoformat()},
        )


def _counts(audit: Audit) -> Iterator[AuditFinding]:
    """For each victim with a crime recorded: as many crimes as the rules count (HOCR
    Sections D to F: one crime per victim, the finished incident, the principal crime)."""
    cancelled = Counter(ca.allegation for ca in audit.record.cancellations)
    recorded: Counter[str] = Counter()
    for cr in audit.record.crimes:
        vid = audit.recorded_victim(cr)
        if vid is None:
            continue  # a state-based crime is counted per offender, not per victim
        if cancelled[cr.allegation] > 0:
            cancelled[cr.allegation] -= 1  # a cancelled record no longer counts
            continue
        recorded[vid] += 1
    for vid, count in sorted(recorded.items()):
        mine = [a.id for a in audit.case.allegations if a.victim == vid]
        if any(aid in audit.blocked for aid in mine):
            continue  # judged once the decision is complete
        crimes = [c for c in audit.decision.crimes if c.victim_id == vid]
        if count == len(crimes):
            continue
        reasons: list[Reason] = []
        for c in crimes:
            reasons.extend(c.reasons)
            for a in c.absorbed:
                reasons.extend(a.reasons)
        for inc in audit.decision.incidents:
            if inc.victim_id == vid:
                reasons.extend(inc.reasons)
        principal = crimes[0] if crimes else None
        yield finding(
            "wrong_count",
            None,
            vid,
            group=audit.group(principal.allegation_id) if principal else None,
            reasons=pick(tuple(reasons), *_COUNTING),
            details={"recorded_count": count, "decided_count": len(crimes)},
        )
