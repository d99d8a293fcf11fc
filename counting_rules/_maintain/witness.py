"""Cases aimed at a rule: generated cases on which one rule of an edition fires surely.

``check`` uses them to tell an unreachable rule from one the random sample missed, and the
differential tests to make every rule fire under both evaluators. The aim is a heuristic
read off the rule's patterns (the offences they can apply to, the literal facts they test,
how many allegations and victims they compare); a rule it cannot reach is reported, never
skipped. Needs hypothesis.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any, TypeVar, get_args

from hypothesis import HealthCheck, Phase, find, given, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample, Unsatisfiable
from pydantic import BaseModel

from counting_rules import case as c
from counting_rules._engine.actions import Firing
from counting_rules._engine.facts import _FORMER, _INTIMATE
from counting_rules._engine.pipeline import run_case
from counting_rules._rulebook.ir import CompiledRule, Cond, Edition, Pattern, Ref, Rulebook
from counting_rules._seeded import edition_span
from counting_rules.strategies import cases, received_times

T = TypeVar("T")
QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
_ALL_OFFENCES = frozenset(get_args(c.OffenceKind))
_MAX_PRODUCERS = 6  # aim at each rule that can give a derived fact, up to this many


def draw_examples(strategy: st.SearchStrategy[T], n: int, rng_seed: int = 0) -> list[T]:
    """``n`` examples of ``strategy``, the same ones for the same seed (no shrinking)."""
    out: list[T] = []

    @settings(
        max_examples=n,
        database=None,
        deadline=None,
        derandomize=False,  # else a derandomizing profile would override the seed
        phases=[Phase.generate],
        suppress_health_check=QUIET,
    )
    @seed(rng_seed)
    @given(strategy)
    def collect(example: T) -> None:
        out.append(example)

    collect()
    return out


def edition_cases(
    edition: Edition, *, unknown_facts: bool = True, **shape: Any
) -> st.SearchStrategy[c.CaseFacts]:
    """Cases reported while ``edition`` is in force."""
    first, last = edition_span(edition)
    when = received_times(min_value=first, max_value=last)
    return cases(received=when, unknown_facts=unknown_facts, **shape)


def sure_rules(trace: Iterable[Firing]) -> set[str]:
    """The rules that fired surely in a trace."""
    return {f.rule.id for f in trace if f.variant == "sure"}


def focus(book: Rulebook, edition: Edition, rule: CompiledRule) -> st.SearchStrategy[c.CaseFacts]:
    """Cases aimed at ``rule``: the offences its patterns (or the rules they depend on) can
    apply to, the literal facts its own patterns test, several allegations against several
    victims in one incident when it compares them, and evidence or proposals when needed."""
    offences, needs = _aim(book, edition, rule.id, frozenset())
    own = {_SECTION.get(p.type) for p in rule.positives()}
    unaimed = _pins(rule)
    variants = [unaimed]
    for p in rule.positives():  # a derived fact: aim at one of the rules that can give it,
        producers = _producers(edition, p)
        if not book.types[p.type].derived or not 0 < len(producers) <= _MAX_PRODUCERS:
            continue
        widened = []
        for pins in variants:
            for producer in producers:
                more = {k: dict(v) for k, v in pins.items()}
                for section, fields in _pins(producer).items():
                    if section not in own:  # in the parts of the case this rule leaves open
                        more.setdefault(section, dict(fields))
                widened.append(more)
        variants = widened[:_MAX_PRODUCERS]
    if len(variants) > 1:  # the unaimed case first: hypothesis shrinks towards it
        variants.insert(0, unaimed)  # not changed: each variant above is a copy
    shape: dict[str, Any] = {"offences": tuple(sorted(offences or ())) or None}
    shape["min_proposals"] = int("proposal" in needs)
    shape["min_evidence"] = int("evidence" in needs)
    conds = [cond for p in rule.patterns for cond in p.conds]
    if sum(book.types[p.type].subject == "aid" for p in rule.positives()) > 1:
        shape["min_allegations"] = 2
    if any(cond.field == "vid" and cond.op == "ne" for cond in conds):
        shape["min_victims"] = 2
    for fname in ("incident", "occasion"):
        if any(cond.field == fname and isinstance(cond.value, Ref) for cond in conds):
            for pins in variants:
                pins.setdefault("allegations", {})[fname] = st.just(f"{fname}-1")
    aimed = st.one_of([edition_cases(edition, pinned=pins, **shape) for pins in variants])
    kinds = _relationship_kinds(rule)
    if kinds is None:
        return aimed
    return st.tuples(aimed, st.sampled_from(kinds)).map(lambda ck: _related(*ck))


def _relationship_kinds(rule: CompiledRule) -> tuple[str, ...] | None:
    """The relationship kinds that satisfy ``rule``'s relationship pattern, if it has one."""
    pats = [p for p in rule.positives() if p.type == "relationship"]
    if not pats:
        return None
    kinds = []
    for kind in get_args(c.RelationshipKind):
        # the fact's derived flags, as _facts computes them
        fact = {"kind": kind, "intimate": kind in _INTIMATE, "family": kind == "family"}
        fact["former"] = kind in _FORMER
        if all(
            fact.get(cond.field) == cond.value
            for p in pats
            for cond in p.conds
            if cond.op == "eq" and not isinstance(cond.value, Ref)
        ):
            kinds.append(kind)
    return tuple(kinds) or None


def _related(case: c.CaseFacts, kind: str) -> c.CaseFacts:
    """Every offender takes part in every allegation and has ``kind`` to every victim."""
    data = case.model_dump()
    oids = tuple(o["id"] for o in data["offenders"])
    for off in data["offenders"]:
        off["relationships"] = tuple({"victim": v["id"], "kind": kind} for v in data["victims"])
    for al in data["allegations"]:
        al["offenders"] = oids
    return c.CaseFacts.model_validate(data)


# Where a fact type's fields live in the case model, and fields named differently there.
_SECTION = {"victim": "victims", "allegation": "allegations", "evidence": "evidence"}
_SECTION |= {"proposal": "proposals", "offender": "offenders"}
_SECTION |= {"officer_proposal": "officer_proposals"}
_MODELS: dict[str, type[BaseModel]] = {"report": c.Report, "reporter": c.Reporter}
_MODELS |= {"victims": c.Victim, "allegations": c.Allegation, "evidence": c.Evidence}
_MODELS |= {"proposals": c.Proposal, "offenders": c.Offender}
_MODELS |= {"officer_proposals": c.OfficerProposal}
_CASE_FIELDS = {
    "reporter_kind": "kind",
    "reporter_role": "role",
    "reporter_identified": "identified",
}
_DERIVED_FIELDS: dict[tuple[str, object], dict[str, object]] = {
    ("in_force_area", True): {"occurred_in_force": "kent"},
    ("in_force_area", False): {"occurred_in_force": "essex"},
    ("in_force_area", None): {"occurred_in_force": None},
    ("mainly_business_property", True): {
        "business_property_value": 900,
        "personal_property_value": 90,
    },
    ("mainly_business_property", False): {
        "business_property_value": 90,
        "personal_property_value": 900,
    },
    ("mainly_business_property", None): {"personal_property_value": None},
}


def _pins(rule: CompiledRule) -> dict[str, dict[str, st.SearchStrategy[Any]]]:
    """For each section of the case, strategies for the fields ``rule`` tests with literals:
    the values that satisfy its conditions (an ``eq``, an ``in`` list, a range, unknown)."""
    options: dict[tuple[str, str], list[object]] = {}
    ranges: dict[tuple[str, str], tuple[int, int]] = {}
    for p in rule.positives():
        section = _SECTION.get(p.type)
        for cond in p.conds:
            if isinstance(cond.value, Ref) or cond.field == "offence":
                continue
            if p.type == "case" and cond.field in _CASE_FIELDS:
                where = ("reporter", _CASE_FIELDS[cond.field])
            elif p.type == "case" and cond.field == "channel":
                where = ("report", "channel")
            elif section is None:
                continue
            else:
                where = (section, cond.field)
            if cond.op == "eq":
                options.setdefault(where, []).append(cond.value)
            elif cond.op == "in" and isinstance(cond.value, tuple):
                options.setdefault(where, []).extend(cond.value)
            elif cond.op == "known" and cond.value is False:
                options.setdefault(where, []).append(None)
            elif cond.op in ("lt", "le", "gt", "ge") and isinstance(cond.value, int):
                lo, hi = ranges.get(where, (0, 95))
                v = cond.value
                lo = max(lo, v + 1 if cond.op == "gt" else v if cond.op == "ge" else lo)
                hi = min(hi, v - 1 if cond.op == "lt" else v if cond.op == "le" else hi)
                ranges[where] = (lo, hi)
    out: dict[str, dict[str, st.SearchStrategy[Any]]] = {}
    for (section, fname), (lo, hi) in ranges.items():
        if lo <= hi and (section, fname) not in options:
            out.setdefault(section, {})[fname] = st.integers(lo, hi)
    for (section, fname), values in options.items():
        for value in values:  # a fact computed from case fields: pin those instead
            for cfield, cvalue in _DERIVED_FIELDS.get((fname, value), {}).items():
                out.setdefault(section, {})[cfield] = st.just(cvalue)
        if any((fname, v) in _DERIVED_FIELDS for v in values):
            continue
        out.setdefault(section, {})[fname] = st.sampled_from(values)
    return {  # only fields the case carries as they are (not computed ones)
        section: {f: v for f, v in fields.items() if f in _MODELS[section].model_fields}
        for section, fields in out.items()
    }


def _aim(
    book: Rulebook, edition: Edition, rule_id: str, stack: frozenset[str]
) -> tuple[set[str] | None, set[str]]:
    """The offences a rule's allegations may be about (None: any), and the base fact types
    it needs. Each pattern that constrains offences, directly, through a classification code
    or through the rules that conclude it, adds its offences."""
    cr = next(r for r in edition.rules if r.id == rule_id)
    offences: set[str] | None = None
    needs: set[str] = set()
    for p in cr.positives():
        wanted: set[str] | None = None
        if p.type == "allegation":
            wanted = _offences_of(p)
        elif not book.types[p.type].derived:
            needs.add(p.type)
        elif codes := {v for cond in p.conds if cond.field == "code" for v in _literals(cond)}:
            wanted = set().union(*(_CODE_OFFENCES(edition).get(str(k), set()) for k in codes))
        else:
            producers = [r for r in _producers(edition, p) if r.id not in stack]
            reached = [_aim(book, edition, r.id, stack | {rule_id}) for r in producers]
            for _, n in reached:
                needs |= n
            if reached and all(o is not None for o, _ in reached):
                wanted = set().union(*(o for o, _ in reached if o is not None))
        if wanted is not None and wanted != _ALL_OFFENCES:  # all offences: no constraint
            offences = wanted if offences is None else offences | wanted
        if p.type == "allegation":
            needs.add(p.type)
    return offences, needs


def _literals(cond: Cond) -> tuple[object, ...]:
    if cond.op == "eq" and not isinstance(cond.value, Ref | tuple):
        return (cond.value,)
    if cond.op == "in" and isinstance(cond.value, tuple):
        return cond.value
    return ()


def _offences_of(pattern: Pattern) -> set[str] | None:
    out: set[str] | None = None
    for cond in pattern.conds:
        if cond.field != "offence" or isinstance(cond.value, Ref):
            continue
        vals = {str(v) for v in (cond.value if isinstance(cond.value, tuple) else (cond.value,))}
        base = set(_ALL_OFFENCES) if out is None else out
        out = base & vals if cond.op in ("eq", "in") else base - vals
    return out


@lru_cache(maxsize=16)
def _CODE_OFFENCES(edition: Edition) -> dict[str, set[str]]:
    """Classification code -> the offences of the rules that conclude it in ``edition``."""
    out: dict[str, set[str]] = {}
    for r in edition.rules:
        code = dict(r.rule.conclusion.fields).get("code")
        if r.rule.conclusion.type == "classification" and isinstance(code, str):
            for p in r.positives():
                if p.type == "allegation" and (offs := _offences_of(p)):
                    out.setdefault(code, set()).update(offs)
    return out


def _producers(edition: Edition, pattern: Pattern) -> list[CompiledRule]:
    """The rules of ``edition`` whose conclusion can match ``pattern``'s literal tests."""
    return [
        r
        for r in edition.rules
        if r.rule.conclusion.type == pattern.type
        and all(_may_give(r, cond.field, cond.op, cond.value) for cond in pattern.conds)
    ]


def _may_give(rule: CompiledRule, fname: str, op: str, want: object) -> bool:
    """Can ``rule``'s conclusion satisfy a literal ``eq``/``in`` test on ``fname``?"""
    value = dict(rule.rule.conclusion.fields).get(fname)
    if not isinstance(value, str | int | bool) or op not in ("eq", "in"):
        return True
    return value == want if op == "eq" else value in want  # type: ignore[operator]


def evaluate(book: Rulebook, edition: Edition, case: c.CaseFacts) -> list[Firing]:
    return list(run_case(book, edition, case, "reference").trace)


def search(
    strategy: st.SearchStrategy[c.CaseFacts],
    holds: Callable[[c.CaseFacts], bool],
    budget: int,
    rng_seed: int,
    *,
    shrink: bool,
) -> c.CaseFacts | None:
    phases = [Phase.generate, Phase.shrink] if shrink else [Phase.generate]
    try:
        return find(
            strategy,
            holds,
            settings=settings(
                max_examples=budget,
                database=None,
                deadline=None,
                phases=phases,
                suppress_health_check=QUIET,
            ),
            random=random.Random(rng_seed),
        )
    except (NoSuchExample, Unsatisfiable):
        return None


def witness(
    book: Rulebook, edition: Edition, rule_id: str, *, budget: int = 1000, rng_seed: int = 0
) -> c.CaseFacts | None:
    """A generated case on which ``rule_id`` fires surely in ``edition``, or None.

    The budget is spent in four searches with different seeds: one search's examples are
    related (hypothesis mutates earlier ones), so restarting reaches more of the space."""
    rule = next(r for r in edition.rules if r.id == rule_id)
    aimed = focus(book, edition, rule)
    for k in range(4):
        found = search(
            aimed,
            lambda case: rule_id in sure_rules(evaluate(book, edition, case)),
            max(1, budget // 4),
            rng_seed + k,
            shrink=False,
        )
        if found is not None:
            return found
    return None
