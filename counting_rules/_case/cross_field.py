"""Checks across fields that the model's per-field types cannot make.

Times must be in order: nothing about a report happens before the police received it, and
the report was not received in the future; what the force did (``as_recorded``) comes after
what it acted on (an incident closes after it opens, an N100 converts after it was made, a
victim is told of a cancellation after it was decided). An offender is named once per
allegation. Each problem is (field path, message); messages name fields and ids, never the
times given.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from counting_rules.case import AsRecorded, CaseFacts

__all__ = ["cross_field_problems"]


def cross_field_problems(case: CaseFacts, now: datetime, skew: timedelta) -> list[tuple[str, str]]:
    """Every cross-field problem in ``case`` as (field path, message), in case order."""
    received = case.report.received_at
    out: list[tuple[str, str]] = []
    if received > now + skew:
        out.append(
            (
                "report.received_at",
                f"is in the future (more than {skew.total_seconds() / 60:g} minutes from now)",
            )
        )
    for v in case.victims:
        if v.confirmed_at is not None and v.confirmed_at < received:
            out.append((f"victims[{v.id}].confirmed_at", "is before report.received_at"))
    for a in case.allegations:
        where = f"allegations[{a.id}]"
        if a.occurred_on is not None and a.occurred_on > received.date():
            out.append((f"{where}.occurred_on", "is after the date of report.received_at"))
        if a.reported_at is not None and a.reported_at < received:
            out.append((f"{where}.reported_at", "is before report.received_at"))
        if a.recorded_at is not None:
            if a.recorded_at < received:
                out.append((f"{where}.recorded_at", "is before report.received_at"))
            elif a.reported_at is not None and a.recorded_at < a.reported_at:
                out.append((f"{where}.recorded_at", f"is before {where}.reported_at"))
        seen: set[str] = set()
        for oid in a.offenders:
            if oid in seen:
                out.append((f"{where}.offenders", f"names offender {oid} more than once"))
            seen.add(oid)
    if case.as_recorded is not None:
        out.extend(_as_recorded_problems(case.as_recorded, received))
    return out


def _as_recorded_problems(rec: AsRecorded, received: datetime) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []

    def after(path: str, when: datetime | None, start: datetime | None, start_name: str) -> None:
        if when is not None and start is not None and when < start:
            out.append((path, f"is before {start_name}"))

    if rec.incident is not None:
        inc, where = rec.incident, "as_recorded.incident"
        after(f"{where}.opened_at", inc.opened_at, received, "report.received_at")
        after(f"{where}.closed_at", inc.closed_at, received, "report.received_at")
        after(f"{where}.closed_at", inc.closed_at, inc.opened_at, f"{where}.opened_at")
    for i, cr in enumerate(rec.crimes):
        after(
            f"as_recorded.crimes[{i}].recorded_at", cr.recorded_at, received, "report.received_at"
        )
    for i, n in enumerate(rec.n100s):
        where = f"as_recorded.n100s[{i}]"
        after(f"{where}.created_at", n.created_at, received, "report.received_at")
        after(f"{where}.converted_at", n.converted_at, received, "report.received_at")
        after(f"{where}.converted_at", n.converted_at, n.created_at, f"{where}.created_at")
    for i, ca in enumerate(rec.cancellations):
        where = f"as_recorded.cancellations[{i}]"
        after(f"{where}.decided_at", ca.decided_at, received, "report.received_at")
        after(f"{where}.told_at", ca.told_at, received, "report.received_at")
        after(f"{where}.told_at", ca.told_at, ca.decided_at, f"{where}.decided_at")
    for i, rf in enumerate(rec.referrals):
        after(
            f"as_recorded.referrals[{i}].referred_at",
            rf.referred_at,
            received,
            "report.received_at",
        )
    return out
