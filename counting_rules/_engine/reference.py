"""The plain-Python reference evaluator: dict joins and a fixed point per stratum, no Rete.

It is built from the same intermediate form as the durable_rules ruleset and computes the
same trace independently. It is the test oracle for the engine (and for the batch evaluator,
``_engine.batch``), chosen explicitly (``decide(..., evaluator="reference")``), never as a
fallback.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from counting_rules._engine.actions import Firing, conclude
from counting_rules._engine.facts import Fact
from counting_rules._engine.match import FactStore, bindings
from counting_rules._rulebook.fact_types import FactType
from counting_rules._rulebook.ir import CompiledRule, Edition, Ref, Scalar, Table, Variant

_Need = tuple[str, str, tuple[Scalar, ...]]
_Step = tuple[CompiledRule, Variant, tuple[str, ...], list[_Need]]


class ReferenceEvaluator:
    """Evaluates one edition's rules on one case's facts."""

    def __init__(
        self, edition: Edition, tables: Mapping[str, Table], types: Mapping[str, FactType]
    ) -> None:
        self.edition = edition
        self.tables = tables
        self.types = types
        # Per stratum: (rule, variant, the fact types it reads, its literal prechecks).
        self._strata: list[list[_Step]] = [[] for _ in range(edition.max_stratum + 1)]
        for cr in edition.rules:
            reads, needs = tuple(sorted(cr.types)), _needs(cr)
            self._strata[cr.stratum].append((cr, "sure", reads, needs))
            if cr.can_be_maybe:
                self._strata[cr.stratum].append((cr, "maybe", reads, needs))

    def run(self, facts: Sequence[Fact]) -> list[Firing]:
        """Every firing, in stratum order."""
        store = FactStore()
        for f in facts:
            store.add(f)
        version = store.version
        trace: list[Firing] = []
        fired: set[tuple[int, str, tuple[int, ...]]] = set()
        for stratum in self._strata:
            seen_versions: dict[tuple[int, str], tuple[int, ...]] = {}
            changed = True
            while changed:
                changed = False
                for cr, variant, reads, needs in stratum:
                    # Rules are monotone within a stratum: nothing new to see, nothing new.
                    versions = tuple([version.get(t, 0) for t in reads])
                    if seen_versions.get((cr.index, variant)) == versions:
                        continue
                    seen_versions[(cr.index, variant)] = versions
                    if not all(
                        any(store.lookup(t, f, v) for v in values) for t, f, values in needs
                    ):
                        continue  # some pattern's always-known literal test matches no fact
                    positives = cr.positives()
                    for bound in list(bindings(cr.patterns, store, variant)):
                        ident = (cr.index, variant, tuple(id(bound[p.alias]) for p in positives))
                        if ident in fired:
                            continue
                        fired.add(ident)
                        firing, derived = conclude(
                            cr, variant, bound, self.tables, self.types, store.keys
                        )
                        trace.append(firing)
                        for d in derived:
                            changed |= store.add(d)
        return trace


def _needs(cr: CompiledRule) -> list[_Need]:
    """For each positive pattern, one literal test on an always-known field: some fact of
    the pattern's type must have one of these values, or the rule cannot fire."""
    out: list[_Need] = []
    for p in cr.positives():
        for c in p.conds:
            if c.nullable or isinstance(c.value, Ref):
                continue
            if c.op == "eq":
                assert not isinstance(c.value, tuple)
                out.append((p.type, c.field, (c.value,)))
                break
            if c.op == "in":
                assert isinstance(c.value, tuple)
                out.append((p.type, c.field, c.value))
                break
    return out
