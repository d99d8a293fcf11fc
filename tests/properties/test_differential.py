"""durable_rules, the reference evaluator and the batch evaluator fire the same rules on the
same facts.

At scale: every edition of the shipped rulebook on generated cases reported while it is in
force, comparing firing traces (cheaper than decisions): 2,500 seeded cases per edition
(counting_rules._seeded: drawn without a search, at a thirtieth of the cost) and 250 from a
hypothesis search, which shrinks a disagreement to a small case;
``--hypothesis-profile=differential-nightly`` runs 1,000,000 of each. The batch evaluator runs
set at a time, so it gets the same cases as one batch per edition (and per test), compared
with the reference traces. Every rule is also made to fire by a search aimed at it, and
compared there. Cases built to hit known durable_rules traps (colliding session ids) and
complete cases compare the whole decision, byte for byte. A disagreement found here becomes a
regression test below.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counting_rules import CaseFacts, _seeded, decide, decide_many
from counting_rules._engine.decide import default_rulebook, edition_for, report_date
from counting_rules._engine.pipeline import run_case, run_cases
from counting_rules._maintain.witness import edition_cases, witness
from counting_rules._maintain.witness_store import Witnesses
from counting_rules._rulebook.ir import Edition
from counting_rules.strategies import cases
from tests.regression.witnesses import STORE

STORED = Witnesses(STORE)  # tried first; a search when missing or stale

BOOK = default_rulebook()
EDITIONS = {e.id: e for e in BOOK.editions}
# Per edition in CI; a profile with more examples (nightly) scales both up.
PER_EDITION = max(2_500, (settings.default.max_examples or 0) // len(EDITIONS))
SEARCHED = max(250, (settings.default.max_examples or 0) // len(EDITIONS))
QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]

# Two ids that share durable_rules' 32-bit FNV-1a session hash (durable-rules-notes B4).
COLLIDING = st.sampled_from(("case-478212", "case-1221200"))


def traces(edition: Edition, case: CaseFacts) -> tuple[list[object], list[object]]:
    durable = sorted(f.key() for f in run_case(BOOK, edition, case, "durable").trace)
    reference = sorted(f.key() for f in run_case(BOOK, edition, case, "reference").trace)
    return durable, reference


def batch_agrees(
    edition: Edition, cases: list[CaseFacts], expected: list[list[object]] | None = None
) -> int:
    """The batch evaluator's traces of ``cases``, run as one batch, are the reference's
    (``expected`` if given); the number of firings compared."""
    batch = run_cases(BOOK, edition, cases, "batch")
    if expected is None:
        expected = [
            sorted(f.key() for f in run_case(BOOK, edition, case, "reference").trace)
            for case in cases
        ]
    for case, run, reference in zip(cases, batch, expected, strict=True):
        assert sorted(f.key() for f in run.trace) == reference, case.report.id
    return sum(len(r) for r in expected)


def decisions_agree(case: CaseFacts) -> None:
    durable, reference = traces(edition_for(BOOK, report_date(case)), case)
    assert durable == reference
    assert decide(case).model_dump_json() == decide(case, evaluator="reference").model_dump_json()


@pytest.mark.slow
@pytest.mark.parametrize("edition_id", sorted(EDITIONS))
def test_traces_agree_on_seeded_cases(edition_id: str) -> None:
    edition = EDITIONS[edition_id]
    shape = _seeded.Shape(received=_seeded.edition_span(edition))
    compared: list[int] = []
    seeded: list[tuple[CaseFacts, list[object]]] = []
    for case in _seeded.cases(PER_EDITION, int(edition.in_force_from.strftime("%Y%m%d")), shape):
        durable, reference = traces(edition, case)
        assert durable == reference, f"the evaluators disagree on {case.model_dump_json()}"
        compared.append(len(durable))
        seeded.append((case, reference))
    assert len(compared) == PER_EDITION
    assert sum(compared) > 10 * PER_EDITION  # the cases made rules fire
    # The same cases through the batch evaluator, a batch of at most 5,000 at a time.
    for start in range(0, len(seeded), 5_000):
        part = seeded[start : start + 5_000]
        batch_agrees(edition, [c for c, _ in part], [t for _, t in part])


@pytest.mark.slow
@pytest.mark.parametrize("edition_id", sorted(EDITIONS))
def test_traces_agree_on_generated_cases(edition_id: str) -> None:
    edition = EDITIONS[edition_id]

    compared: list[int] = []
    generated: list[tuple[CaseFacts, list[object]]] = []

    @settings(max_examples=SEARCHED, deadline=None, suppress_health_check=QUIET)
    @given(edition_cases(edition))
    def agree(case: CaseFacts) -> None:
        durable, reference = traces(edition, case)
        assert durable == reference
        compared.append(len(durable))
        generated.append((case, reference))

    agree()
    assert len(compared) >= SEARCHED  # hypothesis ran the full count
    assert sum(compared) > 10 * SEARCHED  # and the cases made rules fire
    batch_agrees(edition, [c for c, _ in generated], [t for _, t in generated])


RULES = sorted(
    (rule_id, next(e.id for e in BOOK.editions if rule_id in {r.id for r in e.rules}))
    for rule_id in BOOK.rules
)


@pytest.mark.parametrize(("rule_id", "edition_id"), RULES, ids=[r for r, _ in RULES])
def test_every_rule_fires_somewhere_and_both_evaluators_agree_there(
    rule_id: str, edition_id: str
) -> None:
    edition = EDITIONS[edition_id]
    case = STORED.fires(BOOK, edition, rule_id) or witness(BOOK, edition, rule_id, budget=600)
    assert case is not None, f"no generated case fires {rule_id} in edition {edition_id}"
    durable, reference = traces(edition, case)
    assert durable == reference
    assert rule_id in run_case(BOOK, edition, case, "reference").fired


@pytest.mark.parametrize("edition_id", sorted(EDITIONS))
def test_batch_agrees_where_every_rule_fires(edition_id: str) -> None:
    """The witness of every rule in force in an edition, as one batch."""
    edition = EDITIONS[edition_id]
    found = (STORED.stored(edition.id, r.id) for r in edition.rules)
    cases = list({id(c): c for c in found if c is not None}.values())
    batch_agrees(edition, cases)
    fired = set().union(*(run.fired for run in run_cases(BOOK, edition, cases, "batch")))
    assert len(fired) > len(edition.rules) // 2  # most rules fire surely in the batch


@settings(max_examples=8, deadline=None, suppress_health_check=QUIET)
@given(st.lists(cases(), min_size=1, max_size=25))
def test_batch_decisions_agree(batch: list[CaseFacts]) -> None:
    """decide_many on the batch evaluator gives each case's decision, byte for byte."""
    decided = decide_many(batch, evaluator="batch")
    for case, decision in zip(batch, decided, strict=True):
        assert decision.model_dump_json() == decide(case, evaluator="reference").model_dump_json()


@settings(max_examples=100)
@given(cases(case_ids=COLLIDING, max_victims=2, max_allegations=3))
def test_agree_on_colliding_case_ids(case: CaseFacts) -> None:
    decisions_agree(case)


@settings(max_examples=150)
@given(cases(unknown_facts=False, min_victims=1))
def test_agree_when_every_fact_is_known(case: CaseFacts) -> None:
    decisions_agree(case)


@settings(max_examples=150)
@given(cases())
def test_whole_decisions_agree(case: CaseFacts) -> None:
    decisions_agree(case)
