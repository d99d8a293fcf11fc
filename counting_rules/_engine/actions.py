"""What a rule does when it fires, shared by both evaluators: build its conclusion fact
(and, for a rule that overrides another, the hidden ``$applies`` fact) and a trace entry."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from counting_rules._engine.facts import Fact, fact_key
from counting_rules._rulebook.fact_types import FactType
from counting_rules._rulebook.ir import APPLIES, CompiledRule, Expr, Lookup, Ref, Table, Variant
from counting_rules.errors import EngineError


@dataclass(frozen=True)
class Firing:
    """One rule variant firing on one binding, and what it concluded."""

    rule: CompiledRule
    variant: Variant
    bindings: tuple[tuple[str, Fact], ...]  # positive aliases, in pattern order
    conclusion: Fact
    fact_keys: tuple[str, ...] | None = field(default=None, compare=False, repr=False)

    def key(self) -> tuple[str, str, str]:
        """A canonical identity for comparing traces from different evaluators."""
        keys = self.fact_keys or tuple(fact_key(f) for _, f in self.bindings)
        return (
            self.rule.id,
            self.variant,
            orjson.dumps([[a, k] for (a, _), k in zip(self.bindings, keys, strict=True)]).decode(),
        )


def _value(expr: Expr, bound: Mapping[str, Fact], tables: Mapping[str, Table], rule_id: str) -> Any:
    if isinstance(expr, Ref):
        return bound[expr.alias].get(expr.field)
    if isinstance(expr, Lookup):
        key = _value(expr.key, bound, tables, rule_id) if isinstance(expr.key, Ref) else expr.key
        if key is None:
            return None
        row = tables[expr.table].rows.get(str(key))
        if row is None:
            raise EngineError(
                f"rule {rule_id}: {expr.table} has no entry {key!r}",
                fix=f"add {key!r} to the {expr.table} table",
            )
        return row[expr.column]
    return expr


def applies_fact(rule_id: str, variant: Variant, conclusion: Fact, ctype: FactType) -> Fact:
    """The hidden ``$applies`` fact an overriding rule's firing asserts beside its conclusion:
    the rule and the conclusion's key fields, which the overridden rules' absent patterns test."""
    applies: Fact = {"t": APPLIES, "mode": variant, "rule": rule_id}
    for k in ctype.key_fields():
        if k in conclusion:
            applies[k] = conclusion[k]
    return applies


def conclude(
    crule: CompiledRule,
    variant: Variant,
    bound: Mapping[str, Fact],
    tables: Mapping[str, Table],
    types: Mapping[str, FactType],
    keys: Mapping[int, str] | None = None,
) -> tuple[Firing, list[Fact]]:
    """The trace entry for a firing and the facts it asserts (conclusion first).

    ``keys`` maps ``id(fact)`` to the canonical key of facts the caller already knows."""
    rule = crule.rule
    ctype = types[rule.conclusion.type]
    fact: Fact = {"t": ctype.name, "mode": variant}
    for name, expr in rule.conclusion.fields:
        value = _value(expr, bound, tables, rule.id)
        if value is not None:
            fact[name] = value
        elif variant == "sure" and not ctype.fields[name].nullable:
            raise EngineError(f"rule {rule.id}: concluded {ctype.name}.{name} is unknown")
    out = [fact]
    if crule.emits_applies:
        out.append(applies_fact(rule.id, variant, fact, ctype))
    pos = crule.positives()
    positives = tuple((p.alias, bound[p.alias]) for p in pos)
    fact_keys = tuple(keys[id(bound[p.alias])] for p in pos) if keys is not None else None
    return Firing(crule, variant, positives, fact, fact_keys), out
