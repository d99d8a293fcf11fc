"""durable_rules stores a fact under a 32-bit FNV-1a hash of its id and silently refuses a
fact whose hash is taken (issue 8, item 1). The engine gives every fact its own id; these
tests prove those ids never collide, that content collisions found afresh at run time no
longer lose a fact, and that a refused assert fails loudly."""

from __future__ import annotations

import random
from collections.abc import Callable

import durable_rules_engine as dre
import orjson
import pytest

import counting_rules._engine.durable.run as engine
from counting_rules import EngineError, decide, parse_case
from counting_rules._engine.facts import flatten
from counting_rules.case import CaseFacts

from .cases import assaults


def fnv1a32(data: bytes) -> int:
    """durable_rules' fnv1Hash32 (state.c) over ASCII."""
    h = 0x811C9DC5
    for byte in data:
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def test_every_fact_id_the_engine_can_use_hashes_distinctly() -> None:
    ids = [engine.fact_id(k) for k in range(engine.MAX_FACTS + 64)]  # facts, sentinel, gates
    hashes = {fnv1a32(i.encode()) for i in ids}
    assert len(hashes) == len(ids)


def _case(aids: tuple[str, str]) -> CaseFacts:
    return parse_case(assaults(*aids))


def _content_wire(aid: str) -> str:
    """The allegation fact as durable_rules would identify it by content (no id)."""
    (fact,) = [f for f in flatten(_case((aid, "Z"))) if f["t"] == "allegation" and f["aid"] == aid]
    return orjson.dumps({**fact, "sid": "search"}).decode()


_TEMPLATE_AID = "A0000000000"  # the shape of the searched ids: "A" and 40 random bits in hex


def _content_wires() -> Callable[[str], str]:
    """``_content_wire`` by substitution into one wire built once: the search tries up to
    400,000 ids, and building and flattening a case for each costs most of its time. The
    search checks the substitution against ``_content_wire`` on the pair it finds."""
    quoted = orjson.dumps(_TEMPLATE_AID).decode()
    head, *rest = _content_wire(_TEMPLATE_AID).split(quoted)
    return lambda aid: orjson.dumps(aid).decode().join([head, *rest])


def _collides(handle: object, sid: str, wires: list[str], probe: str) -> bool:
    for w in wires:
        dre.assert_fact(handle, w.replace('"sid":"search"', f'"sid":"{sid}"'))
    code, _ = dre.assert_fact(handle, probe.replace('"sid":"search"', f'"sid":"{sid}"'))
    return bool(code == 2)


@pytest.mark.slow
def test_fresh_content_collisions_found_at_run_time_lose_no_fact() -> None:
    """Birthday-search allegation ids whose content-derived identities collide in
    durable_rules, then decide a case holding both on both evaluators."""
    rules = {"r": {"all": [{"a": {"t": "allegation"}}]}}
    handle = dre.create_ruleset(f"collision-search-{random.random()}", orjson.dumps(rules).decode())
    rng = random.Random(20261201)
    seen: list[str] = []
    pair: tuple[str, str] | None = None
    content_wire = _content_wires()
    for n in range(400_000):
        aid = f"A{rng.getrandbits(40):010x}"
        wire = content_wire(aid)
        code, _ = dre.assert_fact(handle, wire)
        if code == 2:  # stored under a hash an earlier fact has: find which one by halving
            lo, hi, depth = 0, len(seen), 0
            while hi - lo > 1:
                mid = (lo + hi) // 2
                depth += 1
                hit = _collides(
                    handle, f"half{n}-{depth}", [content_wire(a) for a in seen[lo:mid]], wire
                )
                lo, hi = (lo, mid) if hit else (mid, hi)
            pair = (seen[lo], aid)
            break
        seen.append(aid)
    assert pair is not None, "no collision found in 400,000 ids"
    assert [content_wire(a) for a in pair] == [_content_wire(a) for a in pair]
    case = _case(pair)
    durable = decide(case)
    assert durable == decide(case, evaluator="reference")
    assert sorted(c.allegation_id for c in durable.crimes) == sorted(pair)


def test_a_refused_assert_fails_the_case_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    real = dre.assert_fact
    calls = {"n": 0}

    def refuse_the_fifth(handle: object, wire: str) -> tuple[int, int]:
        calls["n"] += 1
        code, offset = real(handle, wire)
        return (2, offset) if calls["n"] == 5 else (code, offset)

    monkeypatch.setattr(engine.dre, "assert_fact", refuse_the_fifth)
    with pytest.raises(EngineError, match="did not store a fact"):
        decide(_case(("A1", "A2")))


def test_the_engine_lock_serves_waiters_in_order() -> None:
    import threading
    import time

    lock = engine._FifoLock()
    order: list[int] = []
    lock.__enter__()
    threads = []
    for k in range(5):
        t = threading.Thread(
            target=lambda k=k: (lock.__enter__(), order.append(k), lock.__exit__())
        )
        t.start()
        threads.append(t)
        time.sleep(0.05)  # each waiter queues before the next asks
    lock.__exit__()
    for t in threads:
        t.join(5)
    assert order == [0, 1, 2, 3, 4]
