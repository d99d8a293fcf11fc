"""Run an edition's compiled queries over a batch of cases, stratum by stratum, to a fixed point.

The facts of every case are loaded by column, one table per fact type. Each stratum runs its
queries until none binds anything new; the rows a query returns are new bindings, turned into
firings by the same action as the other evaluators (``_engine.actions.conclude``), and the
facts those conclude are appended to their tables (the stratum's materialised relation) before
the next query runs. Facts are stored once per case (by canonical key) and a fact is bound to
at most one alias, as in the other evaluators, so the traces are the same.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import duckdb
import numpy as np

from counting_rules._engine.actions import Firing, conclude
from counting_rules._engine.batch.compile import (
    Query,
    compile_edition,
    create_tables,
    quote,
    table,
    used_fields,
)
from counting_rules._engine.facts import Fact, fact_key
from counting_rules._rulebook.fact_types import FactType
from counting_rules._rulebook.ir import Edition, Table
from counting_rules.errors import EngineError

_Binding = tuple[int, ...]  # the case, then each bound fact's id


class BatchEvaluator:
    """One edition compiled to SQL, run on DuckDB over many cases at once."""

    def __init__(
        self, edition: Edition, tables: Mapping[str, Table], types: Mapping[str, FactType]
    ) -> None:
        self.edition = edition
        self.tables = tables
        self.types = types
        self.strata = compile_edition(edition, types)  # raises BatchCompileError
        self._ddl = create_tables(types)
        self.columns = used_fields(edition)  # the types queries read, and their columns
        # The fields whose values decide whether a query can bind anything (Query.needs).
        self.tracked: dict[str, tuple[str, ...]] = {}
        for stratum in self.strata:
            for q in stratum:
                for t, f, _ in q.needs:
                    if f not in self.tracked.get(t, ()):
                        self.tracked[t] = (*self.tracked.get(t, ()), f)
        # One database per evaluator; each run has its own connection and temporary tables,
        # so runs in different threads never see each other's facts.
        self._db = duckdb.connect(":memory:", config={"threads": 1})

    def run(self, facts: Sequence[Fact]) -> list[Firing]:
        """Every firing for one case."""
        return self.run_many([facts])[0]

    def run_many(self, batch: Sequence[Sequence[Fact]]) -> list[list[Firing]]:
        """Every firing for each case of ``batch``, in stratum order."""
        con = self._db.cursor()
        try:
            for ddl in self._ddl:
                con.execute(ddl)
            return _Run(self, con, len(batch)).evaluate(batch)
        finally:
            con.close()


class _Run:
    """The state of one batch: every fact by id, and per case its keys and trace."""

    def __init__(self, ev: BatchEvaluator, con: duckdb.DuckDBPyConnection, n: int) -> None:
        self.ev = ev
        self.con = con
        self.facts: list[Fact] = []
        self.keys: dict[int, str] = {}  # id(fact) -> canonical key, for the firings
        self.seen: list[set[str]] = [set() for _ in range(n)]
        self.traces: list[list[Firing]] = [[] for _ in range(n)]
        self.count: dict[str, int] = dict.fromkeys(ev.types, 0)
        self.values: dict[tuple[str, str], set[Any]] = {}  # the values of tracked fields
        self.pending: dict[str, list[tuple[int, Fact]]] = {}

    def add(self, case: int, fact: Fact) -> bool:
        """Queue ``fact`` for its table; False if the case already has it."""
        key = fact_key(fact)
        seen = self.seen[case]
        if key in seen:
            return False
        t = fact.get("t")
        if not isinstance(t, str) or t not in self.ev.types:
            raise EngineError(f"the batch evaluator has no table for facts of type {t!r}")
        seen.add(key)
        self.keys[id(fact)] = key
        self.pending.setdefault(t, []).append((case, fact))
        return True

    def flush(self) -> None:
        """Append the queued facts to their tables, by column."""
        for t, items in self.pending.items():
            start = len(self.facts)
            self.facts.extend(f for _, f in items)
            self.count[t] += len(items)
            fields = self.ev.columns.get(t)
            if fields is None:
                continue  # no rule reads facts of this type: they are only in the trace
            data: dict[str, Any] = {
                "c": np.fromiter((c for c, _ in items), dtype=np.int32, count=len(items)),
                "id": np.arange(start, start + len(items), dtype=np.int32),
                "mode": _column(items, "mode"),
            }
            for name in fields:
                data[name] = _column(items, name)
            names = ", ".join(quote(n) for n in data)
            self.con.register("batch_new", data)
            try:
                self.con.execute(f"INSERT INTO {table(t)} ({names}) SELECT * FROM batch_new")
            finally:
                self.con.unregister("batch_new")
            for name in self.ev.tracked.get(t, ()):
                self.values.setdefault((t, name), set()).update(f.get(name) for _, f in items)
        self.pending.clear()

    def evaluate(self, batch: Sequence[Sequence[Fact]]) -> list[list[Firing]]:
        for case, facts in enumerate(batch):
            for fact in facts:
                self.add(case, fact)
        self.flush()
        for stratum in self.ev.strata:
            self.fixed_point(stratum)
        return self.traces

    def fixed_point(self, stratum: list[Query]) -> None:
        fired: list[set[_Binding]] = [set() for _ in stratum]
        seen_versions: list[tuple[int, ...] | None] = [None] * len(stratum)
        changed = True
        while changed:
            changed = False
            for i, query in enumerate(stratum):
                versions = tuple(self.count[t] for t in query.reads)
                # No fact for some positive pattern, or nothing new since the last run:
                # rules are monotone within a stratum, so nothing new to bind.
                if 0 in versions or seen_versions[i] == versions:
                    continue
                seen_versions[i] = versions
                if not all(self.values.get((t, f), set()) & vs for t, f, vs in query.needs):
                    continue  # no fact of the batch has a value some pattern needs
                rows = self.con.execute(query.sql).fetchall()
                if self.fire(query, rows, fired[i]):
                    self.flush()
                    changed = True

    def fire(self, query: Query, rows: list[tuple[int, ...]], fired: set[_Binding]) -> bool:
        """Conclude each new binding; True if that asserted a new fact."""
        ev, facts, new = self.ev, self.facts, False
        aliases = [p.alias for p in query.rule.positives()]
        for row in rows:
            if row in fired:
                continue
            fired.add(row)
            case = row[0]
            bound = {a: facts[i] for a, i in zip(aliases, row[1:], strict=True)}
            firing, derived = conclude(
                query.rule, query.variant, bound, ev.tables, ev.types, self.keys
            )
            self.traces[case].append(firing)
            for d in derived:
                new |= self.add(case, d)
        return new


def _column(items: list[tuple[int, Fact]], name: str) -> np.ndarray[Any, Any]:
    return np.array([f.get(name) for _, f in items], dtype=object)
