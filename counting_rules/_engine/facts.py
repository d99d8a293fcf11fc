"""Flatten a validated case into engine facts: flat, strictly typed, JSON-safe dicts.

Unknown facts are left out (a missing key), so no engine condition can be true on them.
A fact that may or may not exist (the victim of an allegation nobody named, an offender's
relationship to the victim nobody stated, hostility nobody asked about, the suspect of an
allegation with none named) is a *possible* fact: its ids only, without ``exists``, so only
a rule's maybe variant can match it (``_schema.POSSIBLE_TYPES``). Possible ids start with
``?``, which no case id can.
Timestamps become epoch seconds; derived features (whether the offence happened in the
recording force's area, how late it was recorded) are computed here, in Python, before
the facts reach any engine. Facts never carry an ``id`` key (durable_rules uses it as the
fact identity) and come out in one canonical order.
What the force actually did (``case.as_recorded``) is never flattened: it is for the audit,
which compares it with the decision, and no rule may read it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import orjson

from counting_rules._rulebook.fact_types import COPIED, EXISTS
from counting_rules.case import STATE_BASED_OFFENCES, Allegation, CaseFacts, Victim

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
    "officer_proposal",
)
_RANK = {t: i for i, t in enumerate(TYPE_ORDER)}
_INTIMATE = frozenset({"current_partner", "former_partner"})
_FORMER = frozenset({"former_partner"})
_CONSTABLE_MIN_AGE = 18  # the youngest a police officer (or special constable) can be


def _epoch(ts: datetime) -> int:
    return int(ts.timestamp())


def _put(fact: Fact, key: str, value: Any) -> None:
    # Unknown stays absent: engines then treat every condition on it as not (yet) true.
    if value is not None:
        fact[key] = value


# Engine facts whose field is not the case field it comes from (everything else: same name).
_SECTIONS = {
    "victim": "victims",
    "offender": "offenders",
    "allegation": "allegations",
    "evidence": "evidence",
    "proposal": "proposals",
    "officer_proposal": "officer_proposals",
}
_CASE_FIELDS = {
    ("case", "reporter_role"): "report.reporter.role",
    ("case", "reporter_identified"): "report.reporter.identified",
    ("case", "channel"): "report.channel",
    ("allegation", "in_force_area"): "occurred_in_force",
    ("allegation", "hate_perceived"): "hostility_perceived",
    ("allegation", "vid"): "victim",
    ("allegation", "mainly_business_property"): "business_property_value",
    ("allegation", "recorded_after_hours"): "recorded_at",
    ("allegation", "recorded_after_confirmation_hours"): "recorded_at",
    ("evidence", "obtained_after_recording"): "obtained_at",
}


def case_field(ftype: str, field: str) -> tuple[str, str]:
    """The part of the case (``allegations``, ``report``, ``report.reporter``) and the field
    there that engine field ``ftype.field`` comes from."""
    name = _CASE_FIELDS.get((ftype, field), field)
    if ftype == "case":
        section, _, name = (name if name.startswith("report.") else f"report.{name}").rpartition(
            "."
        )
        return section, name
    return _SECTIONS.get(ftype, ftype), name


def case_path(ftype: str, subject_id: str, field: str) -> str:
    """Where the case holds the fact behind engine field ``ftype.field`` of ``subject_id``:
    ``allegations[A1].occurred_in_force``, ``report.channel``."""
    section, name = case_field(ftype, field)
    if ftype == "case":
        return f"{section}.{name}"
    return f"{section}[{subject_id}].{name}"


_POSSIBLE_PREFIX = "?"  # no case id can start with it (case.Ident)


def possible_id(aid: str) -> str:
    """The id of the possible victim or offender of allegation ``aid``."""
    return f"{_POSSIBLE_PREFIX}{aid}"


def possible_of(ident: str) -> str | None:
    """The allegation whose possible victim or offender ``ident`` is (None: a case id)."""
    return ident.removeprefix(_POSSIBLE_PREFIX) if ident.startswith(_POSSIBLE_PREFIX) else None


def victim_of(al: Allegation) -> str | None:
    """The allegation's victim: named, possible (not yet named), or none (state-based)."""
    if al.victim is not None:
        return al.victim
    return None if al.offence in STATE_BASED_OFFENCES else possible_id(al.id)


def _allegation(al: Allegation, case: CaseFacts, people: Mapping[str, Victim]) -> Fact:
    received = al.reported_at or case.report.received_at
    f: Fact = {
        "t": "allegation",
        "aid": al.id,
        "offence": al.offence,
        "incident": al.incident,
        "occasion": al.occasion,
        "offender_count": len(al.offenders),
        "received_at": _epoch(received),
        "offender_key": "+".join(sorted(set(al.offenders))),
        "report_key": str(_epoch(received)),
    }
    _put(f, "vid", victim_of(al))
    if al.occurred_in_force is not None:
        f["in_force_area"] = al.occurred_in_force == case.report.recording_force
    for name in COPIED["allegation"]:
        _put(f, name, getattr(al, name))
    if al.in_scotland_or_northern_ireland and al.outside_england_and_wales is None:
        f["outside_england_and_wales"] = True  # Scotland and Northern Ireland are outside it
    if al.business_property_value is not None and al.personal_property_value is not None:
        f["mainly_business_property"] = al.business_property_value > al.personal_property_value
    if al.hostility_perceived is not None:
        f["hate_perceived"] = len(al.hostility_perceived) > 0
    if al.recorded_at is not None:
        f["recorded_after_hours"] = _hours_between(received, al.recorded_at)
        victim = people.get(al.victim or "")
        if victim is not None and victim.confirmed_at is not None:
            confirmed = max(victim.confirmed_at, received)
            f["recorded_after_confirmation_hours"] = _hours_between(confirmed, al.recorded_at)
    return f


def _hours_between(start: datetime, end: datetime) -> int:
    """Whole hours from ``start`` to ``end``, rounded up (a minute late is late), at least 0."""
    return max(0, math.ceil((end - start).total_seconds() / 3600))


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
    for name in COPIED["reporter"]:
        _put(cf, f"reporter_{name}", getattr(rep.reporter, name))
    _put(cf, "channel", rep.channel)
    facts.append(cf)
    for v in case.victims:
        vf: Fact = {"t": "victim", "vid": v.id, EXISTS: True, "kind": v.kind}
        for name in COPIED["victim"]:
            _put(vf, name, getattr(v, name))
        if v.is_police_officer is None and v.age is not None and v.age < _CONSTABLE_MIN_AGE:
            vf["is_police_officer"] = False  # nobody that young can be one: never asked
        if v.confirmed_at is not None:
            vf["confirmed_at"] = _epoch(v.confirmed_at)
        facts.append(vf)
    for o in case.offenders:
        of: Fact = {"t": "offender", "oid": o.id, EXISTS: True}
        _put(of, "age", o.age)
        facts.append(of)
        for rel in o.relationships:
            facts.append(
                {
                    "t": "relationship",
                    "oid": o.id,
                    "vid": rel.victim,
                    EXISTS: True,
                    "kind": rel.kind,
                    "intimate": rel.kind in _INTIMATE,
                    "family": rel.kind == "family",
                    "former": rel.kind in _FORMER,
                }
            )
    people = {v.id: v for v in case.victims}  # looked up by each allegation
    for al in case.allegations:
        facts.append(_allegation(al, case, people))
        facts.extend(_possible(al, case, people))
        for oid in al.offenders:
            facts.append({"t": "involvement", "aid": al.id, "oid": oid, EXISTS: True})
        for strand in al.hostility_perceived or ():
            facts.append({"t": "hostility", "aid": al.id, EXISTS: True, "strand": strand})
    recorded = {a.id: a.recorded_at for a in case.allegations}
    for ev in case.evidence:
        ef: Fact = {"t": "evidence", "eid": ev.id, "aid": ev.allegation, "kind": ev.kind}
        for name in COPIED["evidence"]:
            _put(ef, name, getattr(ev, name))
        recorded_at = recorded.get(ev.allegation)
        if recorded_at is None:  # an audit fact: no time recorded means not recorded
            ef["obtained_after_recording"] = False
        elif ev.obtained_at is not None:
            ef["obtained_after_recording"] = ev.obtained_at > recorded_at
        facts.append(ef)
    for pr in case.proposals:
        pf: Fact = {"t": "proposal", "pid": pr.id, "aid": pr.allegation, "category": pr.category}
        _put(pf, "proposer_role", pr.proposer_role)
        _put(pf, "duplicate_of", pr.duplicate_of)
        _put(pf, "victim_informed", pr.victim_informed)
        facts.append(pf)
    for op in case.officer_proposals:
        opf: Fact = {
            "t": "officer_proposal",
            "opid": op.id,
            "aid": op.allegation,
            "outcome": op.outcome,
        }
        _put(opf, "basis", op.basis)
        facts.append(opf)
    return canonical(facts)


def _possible(al: Allegation, case: CaseFacts, people: Mapping[str, Victim]) -> list[Fact]:
    """The possible facts of one allegation: what may exist but nobody has said."""
    out: list[Fact] = []
    vid = victim_of(al)
    if vid is not None and al.victim is None:
        out.append({"t": "victim", "vid": vid})
    if al.hostility_perceived is None:
        out.append({"t": "hostility", "aid": al.id})
    if vid is None:
        return out
    if vid in people and people[vid].kind != "person":
        return out  # no personal relationship with a business
    oids = list(al.offenders)
    if not oids:  # a suspect not yet named
        oid = possible_id(al.id)
        out.append({"t": "offender", "oid": oid})
        out.append({"t": "involvement", "aid": al.id, "oid": oid})
        oids = [oid]
    stated = {(o.id, r.victim) for o in case.offenders for r in o.relationships}
    for oid in oids:
        if (oid, vid) not in stated:
            out.append({"t": "relationship", "oid": oid, "vid": vid})
    return out


def fact_key(fact: Fact) -> str:
    """A stable identity for a fact: its canonical JSON (keys sorted, no spaces)."""
    return orjson.dumps(fact, option=orjson.OPT_SORT_KEYS).decode()


def canonical(facts: list[Fact]) -> list[Fact]:
    """Sort facts by type, then by content, and drop exact duplicates."""
    unique = {fact_key(f): f for f in facts}
    return [
        unique[k] for k in sorted(unique, key=lambda k: (_RANK.get(unique[k]["t"], len(_RANK)), k))
    ]
