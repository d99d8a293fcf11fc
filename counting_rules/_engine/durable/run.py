"""The only module that imports durable_rules. It drives the C extension directly.

Measured pitfalls of durable_rules 2.0.28 it contains (research/durable-rules-notes.md):

* no Host API and no background threads (B6, B7); actions are plain functions that raise,
  and an exception abandons the action and fails the case loudly (B8, B16);
* one live state per process, under a fixed session id, always deleted in ``finally``; so
  no two cases share a state through a 32-bit sid hash collision (B4) and the 1,024-state
  cap is never reached (B13);
* a sentinel fact and rule fire in every case, because deleting a state in which no action
  ever ran frees an uninitialised pointer (B3);
* facts are validated, strictly typed and JSON-safe and asserted in canonical order; derived
  facts are kept in our own trace (#350);
* every fact carries an ``id`` we give it, so durable_rules never derives one from the
  content: it stores facts by a 32-bit hash of the id and silently refuses a fact whose hash
  an earlier fact had (``assert_fact`` returns 2). Our ids are zero-padded indexes whose
  hashes are distinct over the whole range (proved exhaustively in the tests), and any refusal
  still fails the case loudly;
* negation runs only after the facts it looks at are complete: strata are opened one by one
  with a gate fact (B1), sent only to the shards with a rule in that stratum (a gate
  elsewhere matches nothing and costs an assert);
* one ruleset per edition, created once per process under a versioned name, never deleted
  or reloaded (B5);
* a process-wide lock, because the C core is not thread-safe (B14); it is first come, first
  served, so a stream of callers cannot starve one of them (case size is capped by
  ``Limits``, so each turn is bounded too).
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Mapping, Sequence
from typing import Any

import durable_rules_engine as dre
import orjson

from counting_rules._engine.actions import Firing, conclude
from counting_rules._engine.durable.compile import (
    GATE_ALIAS,
    SENTINEL_RULE,
    RuleMap,
    compile_edition,
)
from counting_rules._engine.facts import Fact, fact_key
from counting_rules._engine.match import pattern_holds
from counting_rules._rulebook.fact_types import FactType
from counting_rules._rulebook.ir import SENTINEL, STRATUM, Edition, Table
from counting_rules.errors import EngineError


class _FifoLock:
    """A lock handed to waiters in the order they asked (threading.Lock is not fair)."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._queue: deque[threading.Event] = deque()
        self._held = False

    def __enter__(self) -> None:
        with self._guard:
            if not self._held and not self._queue:
                self._held = True
                return
            turn = threading.Event()
            self._queue.append(turn)
        turn.wait()  # the releasing thread hands the lock over: _held stays True

    def __exit__(self, *exc: object) -> None:
        with self._guard:
            if self._queue:
                self._queue.popleft().set()
            else:
                self._held = False


_LOCK = _FifoLock()
_SID = "case"  # one live state per ruleset: the slot every case uses in turn
_SHARDS: dict[str, list[_Shard]] = {}  # edition ruleset name -> its shards

# Fact ids: 7-digit zero-padded indexes. Their FNV-1a hashes (durable_rules' fact identity)
# are distinct for every index below MAX_FACTS + the reserved ids (tests/reliability).
MAX_FACTS = 1_000_000
_SENTINEL_ID = MAX_FACTS  # the sentinel fact, then one id per stratum gate
# assert_fact's return codes that are not a refusal: stored (0), or matched by no rule (1).
_ACCEPTED = frozenset({0, 1})


def fact_id(index: int) -> str:
    """The id durable_rules stores fact number ``index`` of a case under."""
    return f"{index:07d}"


class _Shard:
    def __init__(self, handle: Any, names: RuleMap, types: frozenset[str]) -> None:
        self.handle = handle
        self.names = names
        self.types = types  # fact types its rules look at: only these are asserted into it
        # strata its rules run in: a stratum's gate goes only to shards with a rule in it
        self.strata = frozenset(cr.stratum for cr, _, _ in names.values())


def _dumps(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), allow_nan=False)


def _rulesets(edition: Edition, digest: str) -> list[_Shard]:
    # Versioned and content-addressed: a changed rulebook gets new rulesets, never a reload.
    name = f"{edition.ruleset_name}#{digest}"
    if name not in _SHARDS:
        made = []
        for k, shard in enumerate(compile_edition(edition)):
            try:
                handle = dre.create_ruleset(f"{name}/{k}", _dumps(shard.ruleset))
            except dre.error as exc:  # pragma: no cover - the compiler emits only checked forms
                raise EngineError(f"durable_rules rejected ruleset {name}/{k}: {exc}") from exc
            types = frozenset(p.type for cr, _, _ in shard.names.values() for p in cr.patterns)
            made.append(_Shard(handle, shard.names, types))
        _SHARDS[name] = made
    return _SHARDS[name]


def loaded_rulesets() -> tuple[str, ...]:
    """Names of the editions whose rulesets exist in this process (created once each)."""
    return tuple(sorted(_SHARDS))


class _Case:
    """One case's run: every fact so far, in order, and what each shard has been fed.

    Each fact is serialised once, with its index as its ``id``, so a binding durable_rules
    hands back maps to our own fact without parsing it again.
    """

    def __init__(
        self, shards: list[_Shard], tables: Mapping[str, Table], types: Mapping[str, FactType]
    ) -> None:
        self.shards = shards
        self.tables = tables
        self.types = types
        self.trace: list[Firing] = []
        self.facts: list[Fact] = []
        self.wire: list[str] = []
        self.keys: dict[int, str] = {}
        self.seen: set[str] = set()
        self.fed = [0] * len(shards)
        self.sentinels = 0

    def add(self, fact: Fact) -> None:
        key = fact_key(fact)
        if key in self.seen:  # identical facts are one fact, as in durable_rules
            return
        self.seen.add(key)
        if len(self.facts) >= MAX_FACTS:
            raise EngineError(f"a case may derive at most {MAX_FACTS} facts")
        self.keys[id(fact)] = key
        # orjson: facts and bindings cross to and from the C engine ~200 times a case.
        self.wire.append(
            orjson.dumps({**fact, "id": fact_id(len(self.facts)), "sid": _SID}).decode()
        )
        self.facts.append(fact)

    def act(self, names: RuleMap, rname: str, binding: Mapping[str, Mapping[str, Any]]) -> None:
        if rname == SENTINEL_RULE:
            self.sentinels += 1
            return
        crule, variant, back = names[rname]
        bound = {back[d]: self.facts[int(f["id"])] for d, f in binding.items() if d != GATE_ALIAS}
        if variant == "maybe" and not all(
            pattern_holds(p, bound[p.alias], bound, True) for p in crule.positives()
        ):
            return  # a residual "holds or unknown" test failed (see _compile_durable._residual)
        firing, derived = conclude(crule, variant, bound, self.tables, self.types, self.keys)
        self.trace.append(firing)
        for fact in derived:
            self.add(fact)

    def send(self, k: int, wire: str) -> None:
        shard = self.shards[k]
        code, offset = dre.assert_fact(shard.handle, wire)
        if code not in _ACCEPTED:  # never carry on without a fact the engine refused to store
            raise EngineError(
                f"durable_rules did not store a fact (code {code}); decision discarded",
                fix="report this: fact ids are meant to be collision-free",
            )
        result = dre.start_action_for_state(shard.handle, offset)
        messages = result[1] if result else None
        while messages:
            ((rname, binding),) = orjson.loads(messages).items()
            try:
                self.act(shard.names, rname, binding)
            except BaseException:
                dre.abandon_action(shard.handle, offset)
                raise
            messages = dre.complete_and_start_action(shard.handle, offset)

    def settle(self) -> None:
        """Feed every shard every fact of its types, derived ones included, until none is new."""
        moved = True
        while moved:
            moved = False
            for k, shard in enumerate(self.shards):
                while self.fed[k] < len(self.facts):
                    i = self.fed[k]
                    self.fed[k] += 1
                    moved = True
                    if self.facts[i]["t"] in shard.types:
                        self.send(k, self.wire[i])


def run(
    edition: Edition,
    facts: Sequence[Fact],
    tables: Mapping[str, Table],
    types: Mapping[str, FactType],
    digest: str,
) -> list[Firing]:
    """Run ``edition`` on one case's facts through durable_rules; return every firing."""
    with _LOCK:
        shards = _rulesets(edition, digest)
        case = _Case(shards, tables, types)
        started: list[Any] = []
        try:
            try:
                for k, shard in enumerate(shards):
                    # The sentinel goes first, alone, and its action runs before anything
                    # else can fail: delete_state where no action ran crashes (B3).
                    started.append(shard.handle)
                    case.send(k, _dumps({"t": SENTINEL, "id": fact_id(_SENTINEL_ID), "sid": _SID}))
                for fact in facts:
                    case.add(fact)
                case.settle()
                for n in range(1, edition.max_stratum + 1):
                    # Negations in stratum n look only at facts that are now complete (B1).
                    gate = _dumps(
                        {"t": STRATUM, "n": n, "id": fact_id(_SENTINEL_ID + n), "sid": _SID}
                    )
                    for k, shard in enumerate(shards):
                        if n in shard.strata:
                            case.send(k, gate)
                    case.settle()
            finally:
                for handle in started:
                    dre.delete_state(handle, _SID)
        except dre.error as exc:
            hint = None
            if "303" in str(exc):
                hint = "a fact matched too many rule conditions at once (64-node alpha stack)"
            raise EngineError(f"durable_rules failed on case: {exc}", fix=hint) from exc
        if case.sentinels != len(shards):  # pragma: no cover - the sentinel guard broke
            raise EngineError("durable_rules did not run the sentinel rule; decision discarded")
        return case.trace
