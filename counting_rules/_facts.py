"""Flatten a validated case into engine facts: flat, strictly typed, JSON-safe dicts.

Unknown facts are left out (a missing key), so no engine condition can be true on them.
Timestamps become epoch seconds; derived features (whether the offence happened in the
recording force's area, how late it was recorded) are computed here, in Python, before
the facts reach any engine. Facts never carry an ``id`` key (durable_rules uses it as the
fact identity) and come out in one canonical order.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

import orjson

from .case import Allegation, CaseFacts

Fact = dict[str, Any]

TYPE_ORDER = (
    "case",
    "victim",
    "offender",
    "relationship",
    "allegation",
    "involvement",
    "hostility",
    "evidence",
    "proposal",
)
_RANK = {t: i for i, t in enumerate(TYPE_ORDER)}
_INTIMATE = frozenset({"current_partner", "former_partner"})
_FORMER = frozenset({"former_partner"})


def _epoch(ts: datetime) -> int:
    return int(ts.timestamp())


def _put(fact: Fact, key: str, value: Any) -> None:
    # Unknown stays absent: engines then treat every condition on it as not (yet) true.
    if value is not None:
        fact[key] = value


def _allegation(al: Allegation, case: CaseFacts) -> Fact:
    received = al.reported_at or case.report.received_at
    f: Fact = {
        "t": "allegation",
        "aid": al.id,
        "offence": al.offence,
        "incident": al.incident,
        "occasion": al.occasion,
        "offender_count": len(al.offenders),
        "received_at": _epoch(received),
    }
    _put(f, "vid", al.victim)
    if al.occurred_in_force is not None:
        f["in_force_area"] = al.occurred_in_force == case.report.recording_force
    for name in (
        "outside_england_and_wales",
        "disclosed_later",
        "amounts_to_crime",
        "credible_evidence_to_contrary",
        "injury",
        "intent_serious_harm",
        "aggravating_feature",
        "racially_or_religiously_aggravated",
        "penetration",
        "victim_consented",
        "force_on_person",
        "threat_of_force",
        "property_owner",
        "item_carried_by_victim",
        "premises",
        "life_endangered",
        "course_of_conduct",
        "harassment_only",
        "fear_of_violence",
        "online",
        "public_order_section",
        "nrm_referral",
        "item_normally_personal",
        "theft_type",
        "damage_target",
        "attempted",
        "armed",
        "intended_target",
        "diminished_responsibility",
        "resolved_by_warning",
    ):
        _put(f, name, getattr(al, name))
    if al.business_property_value is not None and al.personal_property_value is not None:
        f["mainly_business_property"] = al.business_property_value > al.personal_property_value
    if al.hostility_perceived is not None:
        f["hate_perceived"] = len(al.hostility_perceived) > 0
    if al.recorded_at is not None:
        hours = (al.recorded_at - received).total_seconds() / 3600
        f["recorded_after_hours"] = max(0, math.ceil(hours))
    return f


def flatten(case: CaseFacts) -> list[Fact]:
    """Return the engine facts of ``case`` in canonical order."""
    rep = case.report
    facts: list[Fact] = []
    cf: Fact = {
        "t": "case",
        "rid": rep.id,
        "recording_force": rep.recording_force,
        "received_at": _epoch(rep.received_at),
        "reporter_kind": rep.reporter.kind,
    }
    _put(cf, "reporter_role", rep.reporter.role)
    _put(cf, "acting_for_victim", rep.reporter.acting_for_victim)
    _put(cf, "channel", rep.channel)
    facts.append(cf)
    for v in case.victims:
        vf: Fact = {"t": "victim", "vid": v.id, "kind": v.kind}
        for name in (
            "age",
            "sex",
            "ethnicity",
            "disability",
            "vulnerable",
            "has_capacity",
            "traceable",
            "confirmed",
            "objects_to_referral",
            "is_police_officer",
        ):
            _put(vf, name, getattr(v, name))
        if v.confirmed_at is not None:
            vf["confirmed_at"] = _epoch(v.confirmed_at)
        facts.append(vf)
    for o in case.offenders:
        of: Fact = {"t": "offender", "oid": o.id}
        _put(of, "age", o.age)
        facts.append(of)
        for rel in o.relationships:
            facts.append(
                {
                    "t": "relationship",
                    "oid": o.id,
                    "vid": rel.victim,
                    "kind": rel.kind,
                    "intimate": rel.kind in _INTIMATE,
                    "family": rel.kind == "family",
                    "former": rel.kind in _FORMER,
                }
            )
    for al in case.allegations:
        facts.append(_allegation(al, case))
        for oid in al.offenders:
            facts.append({"t": "involvement", "aid": al.id, "oid": oid})
        for strand in al.hostility_perceived or ():
            facts.append({"t": "hostility", "aid": al.id, "strand": strand})
    for ev in case.evidence:
        ef: Fact = {"t": "evidence", "eid": ev.id, "aid": ev.allegation, "kind": ev.kind}
        for name in (
            "basis",
            "shows_no_crime",
            "verified",
            "new_information",
            "immediately_available",
        ):
            _put(ef, name, getattr(ev, name))
        facts.append(ef)
    for pr in case.proposals:
        pf: Fact = {"t": "proposal", "pid": pr.id, "aid": pr.allegation, "category": pr.category}
        _put(pf, "proposer_role", pr.proposer_role)
        _put(pf, "duplicate_of", pr.duplicate_of)
        _put(pf, "victim_informed", pr.victim_informed)
        facts.append(pf)
    return canonical(facts)


def fact_key(fact: Fact) -> str:
    """A stable identity for a fact: its canonical JSON (keys sorted, no spaces)."""
    return orjson.dumps(fact, option=orjson.OPT_SORT_KEYS).decode()


def canonical(facts: list[Fact]) -> list[Fact]:
    """Sort facts by type, then by content, and drop exact duplicates."""
    unique = {fact_key(f): f for f in facts}
    return [
        unique[k] for k in sorted(unique, key=lambda k: (_RANK.get(unique[k]["t"], len(_RANK)), k))
    ]
