"""The batch evaluator: every shipped rule compiles to SQL, what it cannot express is an error
at compile time, and decide() and decide_many() on it give the other evaluators' decisions.
(Traces on generated cases: tests/properties/test_differential.py.)"""

from __future__ import annotations

import dataclasses
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from counting_rules import EngineError, UsageError, decide, decide_many, load_case
from counting_rules._engine.batch.compile import BatchCompileError, compile_edition
from counting_rules._engine.batch.run import BatchEvaluator
from counting_rules._engine.decide import default_rulebook
from counting_rules._rulebook.ir import Cond, Edition, Ref

BOOK = default_rulebook()
EXAMPLES = sorted((Path(__file__).parents[2] / "examples" / "cases").glob("*.yaml"))


@pytest.mark.parametrize("edition", BOOK.editions, ids=lambda e: e.id)
def test_every_shipped_rule_compiles_in_every_edition(edition: Edition) -> None:
    strata = compile_edition(edition, BOOK.types)
    queries = [q for stratum in strata for q in stratum]
    expected = {(r.id, "sure") for r in edition.rules}
    expected |= {(r.id, "maybe") for r in edition.rules if r.can_be_maybe}
    assert {(q.rule.id, q.variant) for q in queries} == expected
    assert all(q.rule.stratum == n for n, stratum in enumerate(strata) for q in stratum)


def _with_cond(edition: Edition, cond: Cond) -> Edition:
    """``edition`` with one extra condition on the first pattern of its first rule."""
    cr = edition.rules[0]
    pat = cr.patterns[0]
    bad = dataclasses.replace(pat, conds=(*pat.conds, cond))
    rule = dataclasses.replace(cr, patterns=(bad, *cr.patterns[1:]))
    return dataclasses.replace(edition, rules=(rule, *edition.rules[1:]))


@pytest.mark.parametrize(
    ("cond", "says"),
    [
        (Cond("no_such_field", "eq", "x", True), "which is not a field"),
        (Cond("mode", "in", Ref("a", "b"), True), "'in' with a reference"),
    ],
)
def test_what_sql_cannot_express_is_an_error_at_compile_time(cond: Cond, says: str) -> None:
    edition = BOOK.editions[-1]
    with pytest.raises(BatchCompileError, match=says) as err:
        BatchEvaluator(_with_cond(edition, cond), BOOK.tables, BOOK.types)
    assert edition.rules[0].id in str(err.value)
    assert isinstance(err.value, EngineError)


def test_a_literal_of_the_wrong_kind_is_an_error_naming_the_field() -> None:
    edition = BOOK.editions[-1]
    field = next(c.field for c in edition.rules[0].patterns[0].conds if c.op == "eq")
    with pytest.raises(BatchCompileError, match=rf"\.{field} \(\w+\) compared with 12345"):
        compile_edition(_with_cond(edition, Cond(field, "eq", 12345, True)), BOOK.types)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_decide_on_the_batch_evaluator_gives_the_same_decision(path: Path) -> None:
    case = load_case(path)
    batch = decide(case, evaluator="batch").model_dump_json()
    assert batch == decide(case, evaluator="reference").model_dump_json()
    assert batch == decide(case).model_dump_json()


def test_decide_many_keeps_the_order_of_its_cases() -> None:
    cases = [load_case(p) for p in EXAMPLES] * 2
    many = decide_many(cases, evaluator="batch")
    assert [d.model_dump_json() for d in many] == [
        decide(c, evaluator="reference").model_dump_json() for c in cases
    ]
    assert decide_many([], evaluator="batch") == []


def test_a_fact_of_a_type_without_a_table_is_an_error() -> None:
    ev = BatchEvaluator(BOOK.editions[-1], BOOK.tables, BOOK.types)
    with pytest.raises(EngineError, match="no table for facts of type 'nonsense'"):
        ev.run([{"t": "nonsense", "x": 1}])


def test_decide_many_names_what_it_was_given_instead_of_a_case() -> None:
    with pytest.raises(UsageError, match="not a str") as err:
        decide_many([load_case(EXAMPLES[0]), "examples/cases/x.yaml"], evaluator="batch")  # type: ignore[list-item]
    assert "x.yaml" not in str(err.value)  # never the value: it may be personal data


def test_two_threads_deciding_batches_at_once_get_their_own_answers() -> None:
    cases = [load_case(p) for p in EXAMPLES]
    expected = [decide(c, evaluator="reference").model_dump_json() for c in cases]
    with ThreadPoolExecutor(2) as pool:
        runs = list(pool.map(lambda b: decide_many(b, evaluator="batch"), [cases, cases[::-1]]))
    assert [d.model_dump_json() for d in runs[0]] == expected
    assert [d.model_dump_json() for d in runs[1]] == expected[::-1]
