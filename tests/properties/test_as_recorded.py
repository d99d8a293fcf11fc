"""What the force did (``case.as_recorded``) is a fact for the audit, never an input to the
recording decision: the decision on a case is the same bytes with or without it (issue 13)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from counting_rules import CaseFacts, decide, parse_case
from counting_rules._engine.facts import flatten
from counting_rules.strategies import as_recorded, cases


def with_record(case: CaseFacts, data: st.DataObject) -> CaseFacts:
    record = data.draw(as_recorded(case), label="as_recorded")
    return parse_case({**case.model_dump(), "as_recorded": record.model_dump()})


@settings(max_examples=60)
@given(cases(max_allegations=3, max_proposals=1), st.data())
def test_the_decision_is_the_same_bytes_with_or_without_as_recorded(
    case: CaseFacts, data: st.DataObject
) -> None:
    recorded = with_record(case, data)
    assert recorded.as_recorded is not None
    # The Decision holds no echo of the case (only case_id, the report's id): compare it all.
    assert decide(recorded).model_dump_json() == decide(case).model_dump_json()


@settings(max_examples=150)
@given(cases(max_allegations=3), st.data())
def test_flattening_ignores_as_recorded(case: CaseFacts, data: st.DataObject) -> None:
    assert flatten(with_record(case, data)) == flatten(case)
