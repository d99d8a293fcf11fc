"""Invariants of the NCRS recording decision made from facts (issue 9): an officer's proposal
is ruled on, never obeyed; a ground the rules never accept never removes a crime."""

from __future__ import annotations

from typing import get_args

from hypothesis import given, settings
from hypothesis import strategies as st

from counting_rules import CaseFacts, Decision, decide, default_rulebook
from counting_rules.case import Evidence, OfficerProposal, ProposalBasis, ProposedOutcome
from counting_rules.strategies import cases

# Grounds credible evidence to the contrary can never rest on, read from the rule that says so
# (the victim is to be believed, and so on).
_RULE = default_rulebook().rules["general_rules/ncrs/not_credible_evidence_to_contrary"]
NEVER_CREDIBLE = next(
    cd.value for p in _RULE.patterns for cd in p.conds if cd.field == "basis" and cd.op == "in"
)
assert isinstance(NEVER_CREDIBLE, tuple)
assert "victim_disbelieved" in NEVER_CREDIBLE


def decided(case: CaseFacts) -> Decision:
    return decide(case, evaluator="reference")


def recorded(d: Decision) -> list[tuple[str, str | None]]:
    return sorted((c.allegation_id, c.code) for c in d.crimes)


def with_(case: CaseFacts, **sections: tuple[object, ...]) -> CaseFacts:
    return CaseFacts.model_validate({**case.model_dump(), **sections})


@settings(max_examples=120)
@given(cases(max_officer_proposals=0), st.data())
def test_an_officers_proposal_never_changes_what_is_recorded(
    case: CaseFacts, data: st.DataObject
) -> None:
    aid = data.draw(st.sampled_from([a.id for a in case.allegations]))
    proposal = OfficerProposal(
        id="OPX",
        allegation=aid,
        outcome=data.draw(st.sampled_from(get_args(ProposedOutcome))),
        basis=data.draw(st.none() | st.sampled_from(get_args(ProposalBasis))),
    )
    before = decided(case.model_copy(update={"officer_proposals": ()}))
    after = decided(with_(case, officer_proposals=(proposal.model_dump(),)))
    assert recorded(after) == recorded(before)
    assert after.n100s == before.n100s
    assert after.incidents == before.incidents
    assert after.undecided == before.undecided
    # only findings about the proposal may be added
    extra = [f for f in after.findings if f not in before.findings]
    assert all(f.subject == "OPX" for f in extra), extra


@settings(max_examples=120)
@given(cases(), st.data())
def test_a_never_credible_contrary_item_never_removes_a_crime(
    case: CaseFacts, data: st.DataObject
) -> None:
    aid = data.draw(st.sampled_from([a.id for a in case.allegations]))
    item = Evidence(
        id="EX",
        allegation=aid,
        kind="credible_evidence_to_contrary",
        basis=data.draw(st.sampled_from(NEVER_CREDIBLE)),  # type: ignore[arg-type]
        shows=data.draw(st.none() | st.sampled_from(("did_not_occur", "not_a_crime"))),
        verified=data.draw(st.none() | st.booleans()),
        immediately_available=data.draw(st.none() | st.booleans()),
    )
    before = decided(case)
    after = decided(
        with_(case, evidence=(*[e.model_dump() for e in case.evidence], item.model_dump()))
    )
    assert set(recorded(before)) <= set(recorded(after))
