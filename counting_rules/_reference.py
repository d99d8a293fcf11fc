"""The plain-Python reference evaluator: dict joins and a fixed point per stratum, no Rete.

It is built from the same intermediate form as the durable_rules ruleset and computes the
same trace independently. It is the test oracle for the engine and the fast path for batch
runs, chosen explicitly (``decide(..., evaluator="reference")``), never as a fallback.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ._actions import Firing, conclude
from ._facts import Fact, fact_key
from ._ir import CompiledRule, Edition, Table, Variant
from ._match import bindings
from ._schema import FactType


class ReferenceEvaluator:
    """Evaluates one edition's rules on one case's facts."""

    def __init__(
        self, edition: Edition, tables: Mapping[str, Table], types: Mapping[str, FactType]
    ) -> None:
        self.edition = edition
        self.tables = tables
        self.types = types
        self._strata: list[list[tuple[CompiledRule, Variant]]] = [
            [] for _ in range(edition.max_stratum + 1)
        ]
        for cr in edition.rules:
            self._strata[cr.stratum].append((cr, "sure"))
            if cr.can_be_maybe:
                self._strata[cr.stratum].append((cr, "maybe"))

    def run(self, facts: Sequence[Fact]) -> list[Firing]:
        """Every firing, in stratum order."""
        seen: set[str] = set()
        facts_of: dict[str, list[Fact]] = {}

        def add(fact: Fact) -> bool:
            key = fact_key(fact)
            if key in seen:
                return False
            seen.add(key)
            facts_of.setdefault(fact["t"], []).append(fact)
            return True

        for f in facts:
            add(f)
        trace: list[Firing] = []
        fired: set[tuple[str, str, str]] = set()
        for stratum in self._strata:
            changed = True
            while changed:
                changed = False
                for cr, variant in stratum:
                    for bound in list(bindings(cr.patterns, facts_of, variant)):
                        firing, derived = conclude(cr, variant, bound, self.tables, self.types)
                        k = firing.key()
                        if k in fired:
                            continue
                        fired.add(k)
                        trace.append(firing)
                        for d in derived:
                            changed |= add(d)
        return trace
