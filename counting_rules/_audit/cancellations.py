"""Findings on the crimes the force cancelled (HOCR Section C): whether the rules allow the
cancellation, whether the right person decided it, whether the victim was told.

The rules rule on a cancellation only when the case proposes it (``case.proposals``): a
cancellation on the record with no ruling in the decision cannot be judged, except a C4
("created in error") of a crime the rules require, which no ruling could allow.
"""

from __future__ import annotations

from collections.abc import Iterator

from counting_rules._audit.finding import AuditFinding, finding
from counting_rules._audit.record import Audit
from counting_rules.case import RecordedCancellation
from counting_rules.decision import CancellationRuling, VictimDuty

__all__ = ["cancellation_findings", "duty_for", "ruling_for"]

# The duties to tell the victim of a crime's removal: of a cancellation, or of a C1 transfer.
_TOLD = {"C1": "inform_of_transfer"}
_INFORM = "inform_of_cancellation"


def cancellation_findings(audit: Audit) -> Iterator[AuditFinding]:
    for i, ca in enumerate(audit.record.cancellations):
        if ca.allegation not in audit.blocked:
            yield from _one(audit, i, ca)


def ruling_for(audit: Audit, ca: RecordedCancellation) -> CancellationRuling | None:
    for r in audit.decision.cancellations:
        if r.allegation_id == ca.allegation and r.category == ca.category:
            return r
    return None


def _one(audit: Audit, i: int, ca: RecordedCancellation) -> Iterator[AuditFinding]:
    aid, where = ca.allegation, f"as_recorded.cancellations[{i}]"
    vid = audit.victim_of.get(aid)
    codes = [cr.code for _, cr in audit.recorded.get(aid, [])]
    group = audit.group(aid, codes[0] if codes else None)
    ruling = ruling_for(audit, ca)
    crime = audit.decided.get(aid)
    ruled = ruling.reasons if ruling is not None else ()
    cat: dict[str, str | int] = {"category": ca.category}
    if ca.category == "C4" and crime is not None and (ruling is None or not ruling.allowed):
        decided = {
            "decided_code": crime.code or "(code still needed)",
            "decided_title": crime.title or "",
        }
        yield finding(
            "c4_for_substantive_crime",
            aid,
            vid,
            group=group,
            reasons=(*ruled, *crime.reasons),
            details={**cat, **decided},
        )
    elif ruling is None:
        needed = f"proposals (a {ca.category} proposal on {aid} for the rules to rule on)"
        yield finding(
            "cannot_judge",
            aid,
            vid,
            group=group,
            about="cancellation_not_allowed",
            still_needed=(needed,),
            details=cat,
        )
    elif not ruling.allowed:
        yield finding("cancellation_not_allowed", aid, vid, group=group, reasons=ruled, details=cat)
    if ruling is None:
        return
    if ca.decider is None:
        yield finding(
            "cannot_judge",
            aid,
            vid,
            group=group,
            about="wrong_decider",
            reasons=ruled,
            still_needed=(f"{where}.decider",),
            details=cat,
        )
    elif ca.decider != ruling.decider:
        yield finding(
            "wrong_decider",
            aid,
            vid,
            group=group,
            reasons=ruled,
            details={**cat, "recorded_decider": ca.decider, "decider": ruling.decider},
        )
    duty = duty_for(audit, ca, vid) if ruling.allowed else None
    if duty is None:
        return
    if ca.victim_told == "no":
        yield finding("victim_not_told", aid, vid, group=group, reasons=duty.reasons, details=cat)
    elif ca.victim_told == "unknown":
        yield finding(
            "cannot_judge",
            aid,
            vid,
            group=group,
            about="victim_not_told",
            reasons=duty.reasons,
            still_needed=(f"{where}.victim_told",),
            details=cat,
        )


def duty_for(audit: Audit, ca: RecordedCancellation, vid: str | None) -> VictimDuty | None:
    """The decision's duty to tell the victim of this removal, if it owes one."""
    wanted = _TOLD.get(ca.category, _INFORM)
    for d in audit.decision.victim_duties:
        if d.victim_id == vid and d.duty == wanted:
            return d
    return None
