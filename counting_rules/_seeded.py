"""Seeded cases: valid, realistic cases drawn with ``random.Random``, no hypothesis search.

For the bulk of the differential and isolation runs, where a case is only compared, never
shrunk: drawing here costs a tenth of a hypothesis example. The vocabulary (values, ranges,
weights) and the domain's shape are those of :mod:`counting_rules.strategies` (imported from
there, never restated): offences drawn first and victims fitted to them, unknown facts one
time in four, a third of cases complete, facts that do not bear on an offence left unknown.
The same seed gives the same cases. A search that should shrink uses the strategies.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar, get_args

from counting_rules import case as c
from counting_rules import strategies as s
from counting_rules._rulebook.ir import Edition

__all__ = ["Shape", "cases", "draw_case", "edition_span"]

T = TypeVar("T")


@dataclass(frozen=True, kw_only=True)
class Shape:
    """Size and kind of the cases drawn: the keyword arguments of ``strategies.cases``
    (``received`` is a span of report dates; ``case_ids`` the ids to choose from; ``offences``
    empty for all)."""

    min_victims: int = 0
    max_victims: int = 3
    max_offenders: int = 2
    min_allegations: int = 1
    max_allegations: int = 4
    min_evidence: int = 0
    max_evidence: int = 2
    min_proposals: int = 0
    max_proposals: int = 1
    max_officer_proposals: int = 1
    offences: tuple[str, ...] = ()
    unknown_facts: bool = True
    received: tuple[date, date] = (s.RECEIVED_FROM, s.RECEIVED_UNTIL)
    case_ids: tuple[str, ...] = ()


def edition_span(edition: Edition) -> tuple[date, date]:
    """The first and last report dates on which ``edition`` is in force."""
    until = edition.in_force_until
    if until:
        return edition.in_force_from, until - timedelta(days=1)
    # The latest edition runs to the last report day, or a month past its start when it starts
    # later (an edition scaffolded ahead of its April).
    return edition.in_force_from, max(s.RECEIVED_UNTIL, edition.in_force_from + timedelta(days=30))


def cases(n: int, seed: int, shape: Shape | None = None) -> Iterator[c.CaseFacts]:
    """``n`` cases of ``shape``, the same ones for the same seed, one at a time."""
    rng = random.Random(seed)
    for _ in range(n):
        yield draw_case(rng, shape or Shape())


class _Draw:
    """The draws the strategies make, from one ``random.Random``."""

    def __init__(self, rng: random.Random, unknown: bool) -> None:
        self.rng, self.unknown = rng, unknown

    def maybe(self, value: T) -> T | None:
        """``value`` three times in four when facts may be unknown, else None."""
        return None if self.unknown and self.rng.randrange(4) == 0 else value

    def pick(self, values: Sequence[T]) -> T:
        return values[self.rng.randrange(len(values))]

    def span(self, lo_hi: tuple[int, int]) -> int:
        return self.rng.randint(*lo_hi)

    def flag(self) -> bool | None:
        return self.maybe(self.rng.random() < 0.5)

    def some(self, values: Sequence[T], most: int | None = None) -> list[T]:
        """A few distinct ``values`` (at most ``most``), in a random order."""
        k = self.rng.randint(0, len(values) if most is None else min(most, len(values)))
        return self.rng.sample(list(values), k)


def _received(d: _Draw, span: tuple[date, date]) -> datetime:
    start = datetime(span[0].year, span[0].month, span[0].day)
    end = datetime(span[1].year, span[1].month, span[1].day) + timedelta(days=1)
    seconds = d.rng.randrange(int((end - start).total_seconds()))
    return (start + timedelta(seconds=seconds)).replace(tzinfo=d.pick(s.TZS))


def _report(d: _Draw, shape: Shape) -> c.Report:
    number = f"case-{d.span(s.CASE_NUMBERS)}"
    return c.Report(
        id=d.pick(shape.case_ids) if shape.case_ids else number,
        received_at=_received(d, shape.received),
        channel=d.maybe(d.pick(get_args(c.Channel))),
        reporter=c.Reporter(
            kind=d.pick(s.REPORTER_KINDS),
            role=d.maybe(d.pick(get_args(c.ProfessionalRole))),
            identified=d.flag(),
        ),
        recording_force="kent",
    )


def _victim(d: _Draw, vid: str, kind: str | None, max_age: int, at: datetime) -> c.Victim:
    if kind is None:
        kind = d.pick(s.VICTIM_KINDS)
    data: dict[str, Any] = {name: d.flag() for name in s.VICTIM_FLAGS}
    minutes = d.maybe(d.span(s.CONFIRMED_MINUTES))
    if data["confirmed"] and minutes is not None:
        data["confirmed_at"] = at + timedelta(minutes=minutes)
    if kind == "person":
        data["age"] = d.maybe(d.rng.randint(0, max_age))
        data["sex"] = d.maybe(d.pick(s.SEXES))
        data["ethnicity"] = d.maybe(d.pick(s.ETHNICITIES))
        data |= {name: d.flag() for name in s.PERSON_FLAGS}
        data = s._no_child_officers(data)
    return c.Victim(id=vid, kind=kind, **data)  # type: ignore[arg-type]


def _value(d: _Draw, name: str, points: frozenset[str]) -> Any:
    if name in s.CHOICES:
        return d.pick(s.CHOICES[name])
    if name in s.RANGES:
        return d.span(s.RANGES[name])
    if name == "hostility_perceived":
        return tuple(d.some(get_args(c.HateStrand), s.HOSTILITY_MAX))
    return d.pick(s.MOSTLY_TRUE) if name in points else d.rng.random() < 0.5


def _allegation_data(d: _Draw, offence: str) -> dict[str, Any]:
    points = s.points_to_prove(offence)
    relevant = {*s._GENERAL_FIELDS, *s._OFFENCE_FIELDS.get(offence, ()), *points}
    data = {
        name: d.maybe(_value(d, name, points))
        for name in s._FACT_FIELDS
        if name in relevant or not d.unknown  # facts that do not bear on it stay unknown
    }
    data["incident"] = d.pick(s.INCIDENTS)
    data["occasion"] = d.pick(s.OCCASIONS)
    data["later_minutes"] = d.span(s.LATER_MINUTES)
    data["recorded_minutes"] = d.pick((None, d.span(s.RECORDED_MINUTES)))
    return data


# Hypothesis repeats values it has drawn in a case; two arsons or two assaults in one incident
# are what rules comparing allegations need, so here too an offence repeats now and then.
_REPEAT = 3  # one allegation in this many after the first has an offence alleged before


def _charge(
    d: _Draw, kinds: Sequence[str], slots: int, n_o: int, before: Sequence[s.Charge]
) -> s.Charge:
    repeat = before and d.rng.randrange(_REPEAT) == 0
    offence = d.pick(before)[0] if repeat else d.pick(kinds)
    slot = d.rng.randrange(slots) if slots else None
    if d.unknown and slots and d.rng.randrange(s.UNKNOWN_VICTIM) == 0:
        slot = None  # who the victim is is not known yet
    return offence, slot, _allegation_data(d, offence), tuple(d.some(range(n_o)))


def draw_case(rng: random.Random, shape: Shape) -> c.CaseFacts:
    """One case of ``shape``, as ``strategies.cases`` builds it."""
    u = shape.unknown_facts and rng.choice(s.COMPLETE)
    d = _Draw(rng, u)
    report = _report(d, shape)
    at = report.received_at
    n_o = rng.randint(0 if u else min(1, shape.max_offenders), shape.max_offenders)
    slots = max(shape.max_victims, 1) if not u else shape.max_victims
    n_a = rng.randint(shape.min_allegations, shape.max_allegations)
    kinds = shape.offences or get_args(c.OffenceKind)
    specs: list[s.Charge] = []
    for _ in range(n_a):
        specs.append(_charge(d, kinds, slots, n_o, specs))
    used = [slot for off, slot, _, _ in specs if slot is not None and off not in s.STATE_OFFENCES]
    order = list(dict.fromkeys(used))
    vids = [f"V{i + 1}" for i in range(max(shape.min_victims, len(order)))]
    victim_of: dict[int | None, str] = {slot: vids[i] for i, slot in enumerate(order)}
    people = []
    for vid in vids:
        mine = {off for off, slot, _, _ in specs if victim_of.get(slot) == vid}
        kind = None if mine and mine <= s.PROPERTY_OFFENCES else "person"
        people.append(_victim(d, vid, kind, 15 if mine & s.CHILD_OFFENCES else 95, at))
    persons = [v.id for v in people if v.kind == "person"]
    oids = [f"O{i + 1}" for i in range(n_o)]
    aids = [f"A{i + 1}" for i in range(len(specs))]
    charges = [
        s._allegation(
            aid,
            off,
            None if off in s.STATE_OFFENCES else victim_of.get(slot),
            tuple(oids[k] for k in who),
            drawn,
            at,
        )
        for aid, (off, slot, drawn, who) in zip(aids, specs, strict=True)
    ]
    relations = get_args(c.RelationshipKind)
    suspects = [
        c.Offender(
            id=oid,
            age=d.maybe(d.span(s.OFFENDER_AGES)),
            relationships=tuple(
                c.Relationship(victim=v, kind=d.pick(relations)) for v in d.some(persons)
            ),
        )
        for oid in oids
    ]
    if not u:
        charges, suspects = s._all_known(lambda: d.pick(relations), charges, suspects, persons)
    n_e = rng.randint(shape.min_evidence, max(shape.min_evidence, shape.max_evidence))
    n_p = rng.randint(shape.min_proposals, max(shape.min_proposals, shape.max_proposals))
    n_op = rng.randint(0, shape.max_officer_proposals)
    return c.CaseFacts(
        report=report,
        victims=tuple(people),
        offenders=tuple(suspects),
        allegations=tuple(charges),
        evidence=tuple(_evidence(d, f"E{i + 1}", aids, at) for i in range(n_e)),
        proposals=tuple(_proposal(d, f"P{i + 1}", aids) for i in range(n_p)),
        officer_proposals=tuple(
            c.OfficerProposal(
                id=f"OP{i + 1}",
                allegation=d.pick(aids),
                outcome=d.pick(get_args(c.ProposedOutcome)),
                basis=d.maybe(d.pick(get_args(c.ProposalBasis))),
            )
            for i in range(n_op)
        ),
    )


def _evidence(d: _Draw, eid: str, aids: list[str], at: datetime) -> c.Evidence:
    return c.Evidence(
        id=eid,
        allegation=d.pick(aids),
        kind=d.pick(get_args(c.EvidenceKind)),
        basis=d.maybe(d.pick(get_args(c.EvidenceBasis))),
        shows=d.maybe(d.pick(get_args(c.EvidenceShows))),
        obtained_at=d.maybe(at + timedelta(minutes=d.span(s.OBTAINED_MINUTES))),
        **{name: d.flag() for name in s.EVIDENCE_FLAGS},
    )


def _proposal(d: _Draw, pid: str, aids: list[str]) -> c.Proposal:
    aid = d.pick(aids)
    others = [a for a in aids if a != aid]
    category = d.pick(get_args(c.CancellationCategory))
    if category == "C3" and not others and not d.unknown:  # every fact known: a duplicate of what?
        category = d.pick(s.NOT_A_DUPLICATE)
    return c.Proposal(
        id=pid,
        allegation=aid,
        category=category,
        proposer_role=d.maybe(d.pick(get_args(c.DeciderRole))),
        duplicate_of=d.maybe(d.pick(others)) if others else None,
        victim_informed=d.flag(),
    )
