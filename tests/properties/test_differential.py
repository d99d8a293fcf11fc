"""durable_rules and the reference evaluator give identical decisions on generated cases,
including cases built to hit the engine's known traps."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from counting_rules import CaseFacts, decide
from counting_rules._decide import _reference, default_rulebook, edition_for
from counting_rules._engine import run as durable_run
from counting_rules._facts import flatten
from counting_rules.strategies import cases

# Two ids that share durable_rules' 32-bit FNV-1a session hash (durable-rules-notes B4).
COLLIDING = st.sampled_from(("case-478212", "case-1221200"))


def traces_agree(case: CaseFacts) -> None:
    book = default_rulebook()
    ed = edition_for(book, case.report.received_at.date())
    facts = flatten(case)
    durable = sorted(f.key() for f in durable_run(ed, facts, book.tables, book.types, book.digest))
    reference = sorted(f.key() for f in _reference(book, ed.id).run(facts))
    assert durable == reference
    assert decide(case).model_dump_json() == decide(case, evaluator="reference").model_dump_json()


@settings(max_examples=400)
@given(cases())
def test_durable_and_reference_agree(case: CaseFacts) -> None:
    traces_agree(case)


@settings(max_examples=100)
@given(cases(case_ids=COLLIDING, max_victims=2, max_allegations=3))
def test_agree_on_colliding_case_ids(case: CaseFacts) -> None:
    traces_agree(case)


@settings(max_examples=150)
@given(cases(unknown_facts=False, min_victims=1))
def test_agree_when_every_fact_is_known(case: CaseFacts) -> None:
    traces_agree(case)


@settings(max_examples=150)
@given(cases(), st.randoms(use_true_random=False))
def test_input_order_never_changes_the_decision(case: CaseFacts, rnd: random.Random) -> None:
    """Blocking facts (e.g. an overriding conclusion) may arrive in any order: same answer."""
    shuffled = case.model_copy(
        update={
            "victims": tuple(rnd.sample(case.victims, len(case.victims))),
            "offenders": tuple(rnd.sample(case.offenders, len(case.offenders))),
            "allegations": tuple(rnd.sample(case.allegations, len(case.allegations))),
            "evidence": tuple(rnd.sample(case.evidence, len(case.evidence))),
        }
    )
    first = decide(case).model_dump_json()
    assert decide(case).model_dump_json() == first  # twice: same bytes
    assert decide(shuffled).model_dump_json() == first
