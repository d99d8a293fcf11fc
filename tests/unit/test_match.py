"""Three-valued matching: sure needs known facts; maybe accepts unknowns; absent reverses."""

from __future__ import annotations

from counting_rules._engine.match import (
    FactStore,
    absent_holds,
    bindings,
    cond_holds,
    pattern_holds,
)
from counting_rules._rulebook.ir import Cond, Pattern, Ref


def test_unknown_never_holds_surely_but_possibly() -> None:
    c = Cond("age", "ge", 18, True)
    assert cond_holds(c, {"age": 20}, {}, False)
    assert not cond_holds(c, {"age": 10}, {}, True)
    assert not cond_holds(c, {}, {}, False)
    assert cond_holds(c, {}, {}, True)


def test_known_is_always_definite() -> None:
    c = Cond("age", "known", False, True)
    assert cond_holds(c, {}, {}, False)
    assert not cond_holds(c, {"age": 3}, {}, True)


def test_a_join_to_a_missing_value_never_holds() -> None:
    c = Cond("vid", "eq", Ref("a", "vid"), False)
    assert not cond_holds(c, {"vid": "V1"}, {"a": {}}, True)
    assert cond_holds(c, {"vid": "V1"}, {"a": {"vid": "V1"}}, False)


def test_derived_facts_need_sure_mode_in_the_sure_variant() -> None:
    p = Pattern("recording", "r", False, (Cond("outcome", "eq", "record", True),), True)
    maybe = {"t": "recording", "mode": "maybe", "outcome": "record"}
    assert not pattern_holds(p, maybe, {}, False)
    assert pattern_holds(p, maybe, {}, True)


def test_absent_is_sure_only_when_nothing_could_match() -> None:
    p = Pattern("evidence", "n0", True, (Cond("verified", "eq", True, True),), False)
    unknown = [{"t": "evidence", "eid": "E1"}]
    assert not absent_holds(p, unknown, {}, "sure")
    assert absent_holds(p, unknown, {}, "maybe")
    assert absent_holds(p, [], {}, "sure")


def test_bindings_use_each_fact_once_and_join_through_the_index() -> None:
    store = FactStore()
    for f in (
        {"t": "allegation", "aid": "A1", "vid": "V1"},
        {"t": "allegation", "aid": "A2", "vid": "V1"},
        {"t": "allegation", "aid": "A3", "vid": "V2"},
    ):
        assert store.add(f)
    assert not store.add({"t": "allegation", "aid": "A1", "vid": "V1"})  # identical: one fact
    pats = (
        Pattern("allegation", "a", False, (), False),
        Pattern("allegation", "b", False, (Cond("vid", "eq", Ref("a", "vid"), True),), False),
    )
    pairs = sorted((b["a"]["aid"], b["b"]["aid"]) for b in bindings(pats, store, "sure"))
    assert pairs == [("A1", "A2"), ("A2", "A1")]
