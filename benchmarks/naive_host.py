"""The naive baseline: the same compiled rulesets driven through durable_rules' documented
Host API (``durable.engine.Host``), as the research notes (§2.2) describe, instead of the
lean driver in ``counting_rules._engine.durable.run``.

Kept in benchmarks/ on purpose: ``counting_rules._engine.durable.run`` stays the only module of the
package that imports durable_rules. What the Host API does wrong is contained here, counted
and reported rather than fixed:

* ``MessageNotHandledException`` when a fact matches no pattern of a shard (B6): caught and
  counted; the fact is stored all the same and nothing was pending for it;
* ``MessageObservedException`` for a fact asserted twice: caught and counted;
* exceptions raised in actions are swallowed by ``Promise.run`` (B8): our actions record
  them, and a case with one is counted as failed;
* ``delete_state`` crashes when no action ran in a state (B3): the sentinel fact and rule
  fire first in every state, as in the lean driver;
* the background timer threads of ``Host.__init__`` (§5.3): ``_run`` is a no-op (QuietHost).
"""

from __future__ import annotations

import copy
import itertools
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from durable import engine

from counting_rules._engine.actions import Firing, conclude
from counting_rules._engine.durable.compile import GATE_ALIAS, SENTINEL_RULE, compile_edition
from counting_rules._engine.facts import Fact, fact_key
from counting_rules._engine.match import pattern_holds
from counting_rules._rulebook.ir import SENTINEL, STRATUM, Edition, Rulebook


class QuietHost(engine.Host):  # type: ignore[misc]
    """A Host without the background dispatch and timer threads."""

    def _run(self) -> None:
        pass


class NaiveEvaluator:
    """One edition's shards registered in a QuietHost; ``run`` mirrors ``_engine.run``."""

    _names = itertools.count()

    def __init__(self, book: Rulebook, edition: Edition) -> None:
        self.book = book
        self.edition = edition
        self.host = QuietHost()
        self.counts: Counter[str] = Counter()
        self.shards: list[str] = []
        self._case: _CaseRun | None = None
        for k, shard in enumerate(compile_edition(edition)):
            name = f"naive{next(self._names)}_{edition.id}_{k}"
            definition = copy.deepcopy(shard.ruleset)  # Ruleset() deletes 'run' from the dict
            for rname, rule in definition.items():
                rule["run"] = self._action(shard.names, rname)
            self.host.register_rulesets({name: definition})
            self.shards.append(name)

    def _action(self, names: Mapping[str, Any], rname: str) -> Any:
        def run(c: Any) -> None:
            case = self._case
            if case is None or rname == SENTINEL_RULE:
                return
            try:
                case.act(names, rname, c._m)
            except Exception as exc:  # the Host API would swallow it: record it instead
                case.errors.append(f"{rname}: {type(exc).__name__}: {exc}")

        return run

    def run(self, facts: Sequence[Fact], sid: str) -> list[Firing]:
        """Every firing for one case, or raise if an action failed (swallowed by the Host)."""
        case = _CaseRun(self.book)
        case.fed = dict.fromkeys(self.shards, 0)
        self._case = case
        try:
            for name in self.shards:
                self._assert(name, {"t": SENTINEL, "sid": sid})
            for fact in facts:
                case.add(fact)
            self._settle(case, sid)
            for n in range(1, self.edition.max_stratum + 1):
                for name in self.shards:
                    self._assert(name, {"t": STRATUM, "n": n, "sid": sid})
                self._settle(case, sid)
        finally:
            for name in self.shards:
                self.host.delete_state(name, sid)
            self._case = None
        if case.errors:
            self.counts["cases_with_action_errors"] += 1
            raise RuntimeError("; ".join(case.errors))
        return case.trace

    def _settle(self, case: _CaseRun, sid: str) -> None:
        """Feed every shard every fact, derived ones included, until none is new."""
        fed = case.fed
        moved = True
        while moved:
            moved = False
            for name in self.shards:
                while fed[name] < len(case.facts):
                    fact = case.facts[fed[name]]
                    fed[name] += 1
                    self._assert(name, {**fact, "sid": sid})
                    moved = True

    def _assert(self, name: str, fact: dict[str, Any]) -> None:
        try:
            self.host.assert_fact(name, fact)
        except engine.MessageNotHandledException:
            self.counts["fact_matched_no_pattern"] += 1
        except engine.MessageObservedException:
            self.counts["fact_already_observed"] += 1


class _CaseRun:
    def __init__(self, book: Rulebook) -> None:
        self.book = book
        self.trace: list[Firing] = []
        self.facts: list[Fact] = []
        self.seen: set[str] = set()
        self.errors: list[str] = []
        self.fed: dict[str, int] = {}

    def add(self, fact: Fact) -> None:
        key = fact_key(fact)
        if key not in self.seen:
            self.seen.add(key)
            self.facts.append(fact)

    def act(self, names: Mapping[str, Any], rname: str, binding: Mapping[str, Any]) -> None:
        crule, variant, back = names[rname]
        bound: dict[str, Fact] = {}
        for dalias, fact in binding.items():
            if dalias != GATE_ALIAS:
                bound[back[dalias]] = {k: v for k, v in fact.items() if k != "sid"}
        if variant == "maybe" and not all(
            pattern_holds(p, bound[p.alias], bound, True) for p in crule.positives()
        ):
            return
        firing, derived = conclude(crule, variant, bound, self.book.tables, self.book.types)
        self.trace.append(firing)
        for fact in derived:
            self.add(fact)
