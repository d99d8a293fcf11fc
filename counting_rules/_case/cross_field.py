"""Checks across fields that the model's per-field types cannot make.

Times must be in order: nothing about a report happens before the police received it, and
the report was not received in the future. An offender is named once per allegation. Each
problem is (field path, message); messages name fields and ids, never the times given.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from counting_rules.case import CaseFacts

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
    return out
