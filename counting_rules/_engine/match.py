"""Three-valued condition matching over flat facts, shared by the reference evaluator and
the still-needed analysis.

A rule has two variants. The *sure* variant fires when every condition is known to hold;
the *maybe* variant fires when every condition holds or rests on an unknown fact. An
``absent`` pattern holds surely when no fact could match, and maybe when none surely does.
The durable_rules compiler emits exactly these semantics (see ``_engine.durable.compile``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from counting_rules._engine.facts import Fact, fact_key
from counting_rules._rulebook.ir import Cond, Pattern, Ref, Variant


def cond_holds(cond: Cond, fact: Fact, bound: Mapping[str, Fact], possible: bool) -> bool:
    """Does ``cond`` hold on ``fact``? ``possible`` also accepts an unknown field."""
    own = fact.get(cond.field)
    if cond.op == "known":
        # "known: true" on an unknown field may yet hold; "known: false" holds until it is known.
        return (own is not None or (possible and cond.nullable)) if cond.value else own is None
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


class FactStore:
    """The facts of one case: each stored once (by canonical key), grouped by type, with
    lazily built indexes for joins."""

    def __init__(self) -> None:
        self.keys: dict[int, str] = {}  # id(fact) -> canonical key
        self._seen: set[str] = set()
        self.by_type: dict[str, list[Fact]] = {}
        self.version: dict[str, int] = {}  # facts stored per type, to skip unchanged rules
        self._index: dict[tuple[str, str], dict[Any, list[Fact]]] = {}

    def add(self, fact: Fact) -> bool:
        """Store ``fact``; False if an identical fact is already stored."""
        key = fact_key(fact)
        if key in self._seen:
            return False
        self._seen.add(key)
        self.keys[id(fact)] = key
        t = fact["t"]
        self.by_type.setdefault(t, []).append(fact)
        self.version[t] = self.version.get(t, 0) + 1
        for (it, fname), index in self._index.items():
            if it == t:
                index.setdefault(fact.get(fname), []).append(fact)
        return True

    def lookup(self, t: str, fname: str, value: Any) -> list[Fact]:
        index = self._index.get((t, fname))
        if index is None:
            index = {}
            for fact in self.by_type.get(t, ()):
                index.setdefault(fact.get(fname), []).append(fact)
            self._index[(t, fname)] = index
        return index.get(value, [])


def _candidates(
    pat: Pattern, store: FactStore, bound: Mapping[str, Fact], possible: bool
) -> Sequence[Fact]:
    """Facts that may match ``pat``: through an index on a join where one applies."""
    for c in pat.conds:
        if c.op == "eq" and isinstance(c.value, Ref):
            value = bound[c.value.alias].get(c.value.field)
            if value is None:
                return ()
            found = store.lookup(pat.type, c.field, value)
            if possible and c.nullable:  # an unknown field may also match
                return [*found, *store.lookup(pat.type, c.field, None)]
            return found
    return store.by_type.get(pat.type, ())


def bindings(
    patterns: Sequence[Pattern], store: FactStore, variant: Variant
) -> Iterator[dict[str, Fact]]:
    """Every binding of the positive patterns under which the rule variant holds.

    A fact is bound to at most one alias of a binding, as in durable_rules.
    """
    possible = variant == "maybe"

    def walk(i: int, bound: dict[str, Fact], used: frozenset[int]) -> Iterator[dict[str, Fact]]:
        if i == len(patterns):
            yield dict(bound)
            return
        pat = patterns[i]
        if pat.negated:
            facts = _candidates(pat, store, bound, variant == "sure")
            if absent_holds(pat, facts, bound, variant):
                yield from walk(i + 1, bound, used)
            return
        for fact in _candidates(pat, store, bound, possible):
            if id(fact) in used or not pattern_holds(pat, fact, bound, possible):
                continue
            bound[pat.alias] = fact
            yield from walk(i + 1, bound, used | {id(fact)})
            del bound[pat.alias]

    yield from walk(0, {}, frozenset())
