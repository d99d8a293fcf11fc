"""The only module that imports durable_rules. It drives the C extension directly.

Measured pitfalls of durable_rules 2.0.28 it contains (research/durable-rules-notes.md):

* no Host API and no background threads (B6, B7); actions are plain functions that raise,
  and an exception abandons the action and fails the case loudly (B8, B16);
* one live state per process, under a fixed session id, always deleted in ``finally``; so
  no two cases share a state through a 32-bit sid hash collision (B4) and the 1,024-state
  cap is never reached (B13);
* a sentinel fact and rule fire in every case, because deleting a state in which no action
  ever ran frees an uninitialised pointer (B3);
* facts are validated, strictly typed and JSON-safe, never carry an ``id`` key (B11, B12)
  and are asserted in canonical order; derived facts are kept in our own trace (#350);
* negation runs only after the facts it looks at are complete: strata are opened one by one
  with a gate fact (B1);
* one ruleset per edition, created once per process under a versioned name, never deleted
  or reloaded (B5);
* a process-wide lock, because the C core is not thread-safe (B14).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping, Sequence
from typing import Any

import durable_rules_engine as dre

from ._actions import Firing, conclude
from ._compile_durable import GATE_ALIAS, SENTINEL_RULE, RuleMap, compile_edition
from ._facts import Fact
from ._ir import SENTINEL, STRATUM, Edition, Table
from ._schema import FactType
from .errors import EngineError

_LOCK = threading.RLock()
_SID = "case"  # one live state per process: the slot every case uses in turn
_RULESETS: dict[str, tuple[Any, RuleMap]] = {}  # ruleset name -> (handle, rule map)


def _dumps(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), allow_nan=False)


def _ruleset(edition: Edition, digest: str) -> tuple[Any, RuleMap]:
    # Versioned and content-addressed: a changed rulebook gets a new ruleset, never a reload.
    name = f"{edition.ruleset_name}#{digest}"
    if name not in _RULESETS:
        ruleset, names = compile_edition(edition)
        try:
            handle = dre.create_ruleset(name, _dumps(ruleset))
        except dre.error as exc:  # pragma: no cover - the compiler emits only checked forms
            raise EngineError(f"durable_rules rejected ruleset {name}: {exc}") from exc
        _RULESETS[name] = (handle, names)
    return _RULESETS[name]


def loaded_rulesets() -> tuple[str, ...]:
    """Names of the rulesets created in this process (each once; never reloaded)."""
    return tuple(sorted(_RULESETS))


class _Run:
    def __init__(
        self,
        handle: Any,
        names: RuleMap,
        tables: Mapping[str, Table],
        types: Mapping[str, FactType],
    ) -> None:
        self.handle = handle
        self.names = names
        self.tables = tables
        self.types = types
        self.trace: list[Firing] = []
        self.sentinel_fired = False

    def act(self, rname: str, binding: Mapping[str, Mapping[str, Any]]) -> None:
        if rname == SENTINEL_RULE:
            self.sentinel_fired = True
            return
        crule, variant, back = self.names[rname]
        bound: dict[str, Fact] = {}
        for dalias, fact in binding.items():
            if dalias == GATE_ALIAS:
                continue
            bound[back[dalias]] = {k: v for k, v in fact.items() if k != "sid"}
        firing, derived = conclude(crule, variant, bound, self.tables, self.types)
        self.trace.append(firing)
        for fact in derived:
            dre.assert_fact(self.handle, _dumps({**fact, "sid": _SID}))

    def drain(self, offset: Any) -> None:
        result = dre.start_action_for_state(self.handle, offset)
        messages = result[1] if result else None
        while messages:
            (rname, binding), = json.loads(messages).items()
            try:
                self.act(rname, binding)
            except BaseException:
                dre.abandon_action(self.handle, offset)
                raise
            messages = dre.complete_and_start_action(self.handle, offset)


def run(
    edition: Edition,
    facts: Sequence[Fact],
    tables: Mapping[str, Table],
    types: Mapping[str, FactType],
    digest: str,
) -> list[Firing]:
    """Run ``edition`` on one case's facts through durable_rules; return every firing."""
    with _LOCK:
        handle, names = _ruleset(edition, digest)
        state = _Run(handle, names, tables, types)
        batch = [{"t": SENTINEL, "sid": _SID}, *({**f, "sid": _SID} for f in facts)]
        try:
            try:
                _code, offset = dre.assert_facts(handle, _dumps(batch))
                state.drain(offset)
                for n in range(1, edition.max_stratum + 1):
                    _code, offset = dre.assert_fact(handle, _dumps({"t": STRATUM, "n": n, "sid": _SID}))
                    state.drain(offset)
            finally:
                dre.delete_state(handle, _SID)
        except dre.error as exc:
            raise EngineError(f"durable_rules failed on case: {exc}") from exc
        if not state.sentinel_fired:  # pragma: no cover - would mean the sentinel guard broke
            raise EngineError("durable_rules did not run the sentinel rule; decision discarded")
        return state.trace
