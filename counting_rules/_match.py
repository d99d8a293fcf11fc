"""Three-valued condition matching over flat facts, shared by the reference evaluator and
the still-needed analysis.

A rule has two variants. The *sure* variant fires when every condition is known to hold;
the *maybe* variant fires when every condition holds or rests on an unknown fact. An
``absent`` pattern holds surely when no fact could match, and maybe when none surely does.
The durable_rules compiler emits exactly these semantics (see ``_compile_durable``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ._facts import Fact, fact_key
from ._ir import Cond, Pattern, Ref, Variant


def cond_holds(cond: Cond, fact: Fact, bound: Mapping[str, Fact], possible: bool) -> bool:
    """Does ``cond`` hold on ``fact``? ``possible`` also accepts an unknown field."""
    own = fact.get(cond.field)
    if cond.op == "known":
        return (own is not None) == cond.value
    if own is None:
        return possible
    value: Any = cond.value
    if isinstance(value, Ref):
        value = bound[value.alias].get(value.field)
        if value is None:
            return False
    op = cond.op
    if op == "eq":
        return bool(own == value)
    if op == "ne":
        return bool(own != value)
    if op == "in":
        return own in value
    if op == "not_in":
        return own not in value
    if op == "lt":
        return bool(own < value)
    if op == "le":
        return bool(own <= value)
    if op == "gt":
        return bool(own > value)
    return bool(own >= value)


def pattern_holds(pat: Pattern, fact: Fact, bound: Mapping[str, Fact], possible: bool) -> bool:
    """Does ``fact`` match ``pat`` (surely, or possibly)?"""
    if pat.derived and not possible and fact.get("mode") != "sure":
        return False
    return all(cond_holds(c, fact, bound, possible) for c in pat.conds)


def absent_holds(
    pat: Pattern, facts: Sequence[Fact], bound: Mapping[str, Fact], variant: Variant
) -> bool:
    """Does the ``absent`` pattern hold? Sure: nothing could match. Maybe: nothing surely does."""
    possible = variant == "sure"
    return not any(pattern_holds(pat, f, bound, possible) for f in facts)


def bindings(
    patterns: Sequence[Pattern],
    facts_of: Mapping[str, Sequence[Fact]],
    variant: Variant,
) -> Iterator[dict[str, Fact]]:
    """Every binding of the positive patterns under which the rule variant holds.

    A fact is bound to at most one alias of a binding, as in durable_rules.
    """
    possible = variant == "maybe"

    def walk(i: int, bound: dict[str, Fact], used: frozenset[str]) -> Iterator[dict[str, Fact]]:
        if i == len(patterns):
            yield dict(bound)
            return
        pat = patterns[i]
        candidates = facts_of.get(pat.type, ())
        if pat.negated:
            if absent_holds(pat, candidates, bound, variant):
                yield from walk(i + 1, bound, used)
            return
        for fact in candidates:
            key = fact_key(fact)
            if key in used or not pattern_holds(pat, fact, bound, possible):
                continue
            bound[pat.alias] = fact
            yield from walk(i + 1, bound, used | {key})
            del bound[pat.alias]

    yield from walk(0, {}, frozenset())
