"""Compile the rules in force in one edition: overrides, strata and load-time conflicts.

* **Overrides** (HOCR General Rules: crime-type rules take precedence over general rules):
  a rule that is overridden gets a guard "no overriding rule applies to the same subject".
  An explicit ``overrides:`` names the displaced rule; a ``crime_type`` rule implicitly
  overrides a ``general`` rule it conflicts with.
* **Strata**: every negated fact type is complete before a rule that negates it runs, so
  durable_rules never sees a blocking fact arrive late. A cycle through negation is an error.
* **Conflicts**: two rules of one tier that can conclude different values for the same
  subject, with no override between them and conditions that can both hold, are an error.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from datetime import date
from graphlib import CycleError, TopologicalSorter

from counting_rules._rulebook.fact_types import FactType, FieldSpec
from counting_rules._rulebook.ir import APPLIES, CompiledRule, Cond, Edition, Pattern, Ref, Rule
from counting_rules.errors import RuleConflictError, RuleSpecError, StratificationError

_RANK = {"general": 0, "crime_type": 1}


def applies_type(types: Mapping[str, FactType]) -> FactType:
    """The hidden fact type an overriding rule asserts: which rule applies to which subject."""
    fields: dict[str, FieldSpec] = {"rule": FieldSpec("str", nullable=False, role="key")}
    for t in types.values():
        if t.derived:
            for k in t.key_fields():
                fields.setdefault(k, FieldSpec("str", nullable=True, role="key"))
    return FactType(APPLIES, fields, derived=True)


def _guard(overrider: Rule, overridden: Rule, types: Mapping[str, FactType], n: int) -> Pattern:
    ctype = types[overridden.conclusion.type]
    exprs = dict(overridden.conclusion.fields)
    conds = [Cond("rule", "eq", overrider.id, False)]
    if overrider.overrides_when == "known":  # only an override known to apply displaces
        conds.append(Cond("mode", "eq", "sure", False))
    for k in ctype.key_fields():
        value = exprs[k]
        if not isinstance(value, Ref | str):
            raise RuleSpecError(
                f"the key {k!r} of a rule that is overridden must be a reference or a string",
                file=overridden.file,
                line=overridden.line,
                rule_id=overridden.id,
            )
        conds.append(Cond(k, "eq", value, False))
    return Pattern(APPLIES, f"override{n}", True, tuple(conds), True)


def _literal_values(rule: Rule, ftype: FactType) -> tuple[object, ...] | None:
    exprs = dict(rule.conclusion.fields)
    out = []
    for name in ftype.value_fields():
        v = exprs.get(name)
        if isinstance(v, Ref) or (v is not None and not isinstance(v, str | int | bool)):
            return None  # computed: only the run-time check can compare it
        out.append(v)
    return tuple(out)


def _paths(rule: Rule, ftype: FactType) -> dict[tuple[object, ...], list[Pattern]]:
    """Patterns of ``rule`` keyed by their join path from the conclusion's subject."""
    exprs = dict(rule.conclusion.fields)
    anchors = {e.alias for k in ftype.key_fields() if isinstance(e := exprs.get(k), Ref)}
    path_of: dict[str, tuple[object, ...]] = {}
    out: dict[tuple[object, ...], list[Pattern]] = {}
    for p in rule.patterns:
        path: tuple[object, ...] | None = None
        if p.alias in anchors:
            path = (p.type, "anchor")
        else:
            for c in p.conds:
                if c.op == "eq" and isinstance(c.value, Ref) and c.value.alias in path_of:
                    path = (*path_of[c.value.alias], c.field, c.value.field, p.type)
                    break
        if path is None:
            continue
        if not p.negated:
            path_of[p.alias] = path
        out.setdefault(path, []).append(p)
    return out


def _candidates(spec: FieldSpec, conds: Sequence[Cond]) -> list[object]:
    if spec.kind == "bool":
        return [True, False, None]
    if spec.values is not None:
        return [*spec.values, None]
    lits: list[object] = [None]
    for c in conds:
        vals = c.value if isinstance(c.value, tuple) else (c.value,)
        for v in vals:
            if isinstance(v, Ref):
                continue
            lits.append(v)
            if isinstance(v, int) and not isinstance(v, bool):
                lits += [v - 1, v + 1]
    lits.append("\x00fresh" if spec.kind == "str" else 10**9)
    return lits


def _holds(c: Cond, v: object) -> bool:
    if c.op == "known":
        return (v is not None) == c.value
    if v is None or isinstance(c.value, Ref):
        return v is not None  # a join: assume it can hold
    a, b = v, c.value
    if c.op == "eq":
        return a == b
    if c.op == "ne":
        return a != b
    if c.op == "in":
        return a in b  # type: ignore[operator]
    if c.op == "not_in":
        return a not in b  # type: ignore[operator]
    return {"lt": a < b, "le": a <= b, "gt": a > b, "ge": a >= b}[c.op]  # type: ignore[operator]


def _disjoint(r1: Rule, r2: Rule, ftype: FactType, types: Mapping[str, FactType]) -> bool:
    """True when no case can satisfy both rules for the same subject."""
    p1, p2 = _paths(r1, ftype), _paths(r2, ftype)
    for path in p1.keys() & p2.keys():
        pats = p1[path] + p2[path]
        pos = [p for p in pats if not p.negated]
        neg = [p for p in pats if p.negated]
        ttype = types[pos[0].type] if pos else types[pats[0].type]
        conds = [c for p in pos for c in p.conds]
        for fname in {c.field for c in conds}:
            fc = [c for c in conds if c.field == fname]
            if not any(all(_holds(c, v) for c in fc) for v in _candidates(ttype.fields[fname], fc)):
                return True
        for n in neg:
            extra = [c for c in n.conds if not isinstance(c.value, Ref)]
            if pos and all(c in conds for c in extra):
                return True
    return False


def compile_edition(
    ed_id: str,
    title: str,
    start: date,
    end: date | None,
    summary: str,
    rules: Sequence[Rule],
    types: Mapping[str, FactType],
) -> Edition:
    """Compile the rules in force in one edition."""
    by_id = {r.id: r for r in rules}
    overridden_by: dict[str, set[str]] = {r.id: set() for r in rules}
    for r in rules:
        for target in r.overrides:
            if target in by_id:
                if by_id[target].conclusion.type != r.conclusion.type:
                    raise RuleSpecError(
                        f"overrides {target}, which concludes {by_id[target].conclusion.type}, "
                        f"not {r.conclusion.type}",
                        file=r.file,
                        line=r.line,
                        rule_id=r.id,
                        fix="an exception must conclude the same thing as the rule it displaces",
                    )
                overridden_by[target].add(r.id)
    _check_conflicts(rules, types, overridden_by)
    guards = {
        r.id: tuple(
            _guard(by_id[o], r, types, n) for n, o in enumerate(sorted(overridden_by[r.id]))
        )
        for r in rules
    }
    emits = {o for s in overridden_by.values() for o in s}
    strata = _stratify(rules, guards)
    maybe_types, maybe_rules = _maybe(rules, guards, types)
    compiled = tuple(
        CompiledRule(
            index=i,
            rule=r,
            patterns=r.patterns + guards[r.id],
            stratum=strata[r.id],
            can_be_maybe=r.id in maybe_rules,
            emits_applies=r.id in emits,
        )
        for i, r in enumerate(sorted(rules, key=lambda r: (strata[r.id], r.id)))
    )
    return Edition(
        id=ed_id,
        title=title,
        in_force_from=start,
        in_force_until=end,
        summary=summary,
        rules=compiled,
        max_stratum=max((c.stratum for c in compiled), default=0),
        maybe_types=frozenset(maybe_types),
    )


def _related(a: str, b: str, overridden_by: Mapping[str, set[str]]) -> bool:
    """Does one rule directly override the other? Overrides are not transitive: if A
    displaces B and B displaces C, then where A applies B does not, and C is not displaced."""
    return a in overridden_by.get(b, ()) or b in overridden_by.get(a, ())


def _check_conflicts(
    rules: Sequence[Rule], types: Mapping[str, FactType], overridden_by: dict[str, set[str]]
) -> None:
    for r1, r2 in itertools.combinations(sorted(rules, key=lambda r: r.id), 2):
        ctype = types[r1.conclusion.type]
        if r2.conclusion.type != ctype.name or not ctype.functional:
            continue
        v1, v2 = _literal_values(r1, ctype), _literal_values(r2, ctype)
        if v1 is None or v2 is None or v1 == v2:
            continue
        if _related(r1.id, r2.id, overridden_by) or _disjoint(r1, r2, ctype, types):
            continue
        if _RANK[r1.precedence] != _RANK[r2.precedence]:
            hi, lo = (r1, r2) if _RANK[r1.precedence] > _RANK[r2.precedence] else (r2, r1)
            overridden_by[lo.id].add(hi.id)  # crime-type rules beat general rules (HOCR)
            continue
        raise RuleConflictError(
            f"can conclude {ctype.name} {dict(zip(ctype.value_fields(), v1, strict=True))} "
            f"for the same subject as {r2.id} ({r2.file}:{r2.line}) concludes "
            f"{dict(zip(ctype.value_fields(), v2, strict=True))}",
            file=r1.file,
            line=r1.line,
            rule_id=r1.id,
            fix="make the conditions exclusive, or add 'overrides:' to the exception",
        )


def _stratify(rules: Sequence[Rule], guards: Mapping[str, tuple[Pattern, ...]]) -> dict[str, int]:
    """Each rule's stratum: no lower than the rules whose conclusions it matches, and above
    every rule whose conclusion it negates or that overrides it (it must wait for them to
    finish). The rules are ordered by graphlib; a cycle is an error naming the rules in it."""
    by_id = {r.id: r for r in rules}
    producers: dict[str, list[str]] = {}
    for r in rules:
        producers.setdefault(r.conclusion.type, []).append(r.id)
    waits: dict[str, list[tuple[str, int]]] = {}  # rule -> (a rule it follows, strata above it)
    for r in rules:
        w = [
            (q, 1 if p.negated else 0)
            for p in r.patterns
            if p.derived
            for q in producers.get(p.type, [])
        ]
        w += [(str(g.conds[0].value), 1) for g in guards[r.id]]
        waits[r.id] = [(q, step) for q, step in w if q in by_id]
    try:
        order = list(
            TopologicalSorter({k: {q for q, _ in w} for k, w in waits.items()}).static_order()
        )
    except CycleError as exc:
        cycle = [by_id[rid] for rid in exc.args[1]]
        raise StratificationError(
            "rules depend on each other in a cycle: " + " -> ".join(r.id for r in reversed(cycle)),
            file=cycle[0].file,
            line=cycle[0].line,
            rule_id=cycle[0].id,
            fix="break the cycle: a rule cannot depend on its own conclusion, or on the absence "
            "of it, or override a rule it depends on",
        ) from None
    strata: dict[str, int] = {}
    for rid in order:
        base = 1 if any(p.negated and not p.derived for p in by_id[rid].patterns) else 0
        strata[rid] = max([base, *(strata[q] + step for q, step in waits[rid])])
    return strata


def _maybe(
    rules: Sequence[Rule], guards: Mapping[str, tuple[Pattern, ...]], types: Mapping[str, FactType]
) -> tuple[set[str], set[str]]:
    """Which derived types and rules can be uncertain because some fact is unknown."""
    mtypes: set[str] = set()
    mrules: set[str] = set()
    changed = True
    while changed:
        changed = False
        for r in rules:
            if r.id in mrules:
                continue
            unsure = False
            for p in (*r.patterns, *guards[r.id]):
                if p.type == APPLIES:
                    unsure |= f"{APPLIES}:{p.conds[0].value}" in mtypes
                elif (p.derived and p.type in mtypes) or any(c.rests_on_unknown for c in p.conds):
                    unsure = True
            if unsure:
                mrules.add(r.id)
                mtypes.update({r.conclusion.type, f"{APPLIES}:{r.id}"})
                changed = True
    return mtypes, mrules
