"""Hypothesis strategies for valid, realistic cases (install the ``testing`` extra).

For integrators who embed the engine and want to test their own use of it, and for the
project's property tests. Every generated case validates as :class:`CaseFacts`; any fact
that may be unknown is sometimes unknown (``None``)::

    from hypothesis import given
    from counting_rules import decide
    from counting_rules.strategies import cases

    @given(cases(max_allegations=3))
    def test_every_allegation_is_accounted_for(case):
        decision = decide(case, evaluator="reference")
        ...
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any, TypeVar, get_args

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover
    raise ImportError(
        "counting_rules.strategies needs hypothesis: pip install 'counting-rules[testing]'"
    ) from exc

from . import case as c

__all__ = ["allegations", "cases", "offenders", "proposals", "received_times", "victims"]

T = TypeVar("T")

_TZS = (UTC, timezone(timedelta(hours=1)))
_FORCES = ("F1", "F2")


def _maybe(strategy: st.SearchStrategy[T], *, unknown: bool = True) -> st.SearchStrategy[T | None]:
    return st.one_of(st.none(), strategy) if unknown else strategy


def _choice(literal: object) -> st.SearchStrategy[str]:
    return st.sampled_from(get_args(literal))


def received_times(
    *, min_value: date = date(2018, 4, 1), max_value: date = date(2026, 3, 31)
) -> st.SearchStrategy[datetime]:
    """Timezone-aware report times between two dates (inclusive)."""
    start = datetime(min_value.year, min_value.month, min_value.day)
    span = int((datetime(max_value.year, max_value.month, max_value.day) - start).total_seconds())
    return st.builds(
        lambda s, tz: (start + timedelta(seconds=s)).replace(tzinfo=tz),
        st.integers(0, span),
        st.sampled_from(_TZS),
    )


def victims(vid: str, *, unknown_facts: bool = True) -> st.SearchStrategy[c.Victim]:
    """One victim with id ``vid``; its facts are sometimes unknown."""
    u = unknown_facts
    return st.builds(
        c.Victim,
        id=st.just(vid),
        kind=st.sampled_from(("person", "person", "person", "business")),
        age=_maybe(st.integers(0, 95), unknown=u),
        sex=_maybe(st.sampled_from(("female", "male")), unknown=u),
        ethnicity=_maybe(st.sampled_from(("W1", "A1", "B2", "M1", "O9")), unknown=u),
        disability=_maybe(st.booleans(), unknown=u),
        vulnerable=_maybe(st.booleans(), unknown=u),
        has_capacity=_maybe(st.booleans(), unknown=u),
        traceable=_maybe(st.booleans(), unknown=u),
        confirmed=_maybe(st.booleans(), unknown=u),
        objects_to_referral=_maybe(st.booleans(), unknown=u),
        is_police_officer=_maybe(st.booleans(), unknown=u),
    )


def offenders(
    oid: str, victim_ids: list[str], *, unknown_facts: bool = True
) -> st.SearchStrategy[c.Offender]:
    """One offender with relationships to some of ``victim_ids``."""
    rels = (
        st.lists(
            st.builds(
                c.Relationship, victim=st.sampled_from(victim_ids), kind=_choice(c.RelationshipKind)
            ),
            max_size=len(victim_ids),
            unique_by=lambda r: r.victim,
        )
        if victim_ids
        else st.just([])
    )
    return st.builds(
        c.Offender,
        id=st.just(oid),
        age=_maybe(st.integers(10, 90), unknown=unknown_facts),
        relationships=rels.map(tuple),
    )


def allegations(
    aid: str,
    victim_ids: list[str],
    offender_ids: list[str],
    *,
    offences: tuple[str, ...] | None = None,
    unknown_facts: bool = True,
) -> st.SearchStrategy[c.Allegation]:
    """One allegation against one of ``victim_ids`` (or none), by some of ``offender_ids``."""
    u = unknown_facts
    b = _maybe(st.booleans(), unknown=u)
    kinds = offences or get_args(c.OffenceKind)
    return st.builds(
        c.Allegation,
        id=st.just(aid),
        offence=st.sampled_from(kinds),
        victim=st.sampled_from(victim_ids) if victim_ids else st.none(),
        offenders=st.lists(st.sampled_from(offender_ids), unique=True).map(tuple)
        if offender_ids
        else st.just(()),
        incident=st.sampled_from(("incident-1", "incident-1", "incident-2")),
        occasion=st.sampled_from(("occasion-1", "occasion-1", "occasion-2")),
        occurred_in_force=_maybe(st.sampled_from(_FORCES), unknown=u),
        outside_england_and_wales=b,
        disclosed_later=b,
        amounts_to_crime=_maybe(st.sampled_from((True, True, True, False)), unknown=u),
        credible_evidence_to_contrary=_maybe(
            st.sampled_from((False, False, False, True)), unknown=u
        ),
        injury=_maybe(_choice(c.Injury), unknown=u),
        intent_serious_harm=b,
        aggravating_feature=b,
        racially_or_religiously_aggravated=b,
        hostility_perceived=_maybe(
            st.lists(_choice(c.HateStrand), unique=True, max_size=2).map(tuple), unknown=u
        ),
        penetration=b,
        victim_consented=b,
        force_on_person=b,
        threat_of_force=b,
        property_owner=_maybe(st.sampled_from(("personal", "business")), unknown=u),
        item_carried_by_victim=b,
        course_of_conduct=b,
        harassment_only=b,
        fear_of_violence=b,
        online=b,
        public_order_section=_maybe(st.sampled_from(("s4", "s4A", "s5")), unknown=u),
        nrm_referral=b,
        attempted=b,
        theft_type=_maybe(
            st.sampled_from(("from_person", "pedal_cycle", "from_vehicle", "other")), unknown=u
        ),
        damage_target=_maybe(
            st.sampled_from(("dwelling", "other_building", "vehicle", "other")), unknown=u
        ),
        premises=_maybe(
            st.sampled_from(("dwelling", "dwelling_outbuilding_business", "non_dwelling")),
            unknown=u,
        ),
        life_endangered=b,
        armed=b,
        resolved_by_warning=b,
    )


def proposals(pid: str, allegation_ids: list[str]) -> st.SearchStrategy[c.Proposal]:
    """A proposed cancellation or transfer of one of ``allegation_ids``."""
    return st.builds(
        c.Proposal,
        id=st.just(pid),
        allegation=st.sampled_from(allegation_ids),
        category=_choice(c.CancellationCategory),
        proposer_role=_maybe(_choice(c.DeciderRole)),
        duplicate_of=_maybe(st.sampled_from(allegation_ids)),
        victim_informed=_maybe(st.booleans()),
    )


@st.composite
def cases(
    draw: st.DrawFn,
    *,
    min_victims: int = 0,
    max_victims: int = 3,
    max_offenders: int = 2,
    min_allegations: int = 1,
    max_allegations: int = 4,
    max_evidence: int = 2,
    max_proposals: int = 1,
    offences: tuple[str, ...] | None = None,
    unknown_facts: bool = True,
    received: st.SearchStrategy[datetime] | None = None,
    case_ids: st.SearchStrategy[str] | None = None,
) -> c.CaseFacts:
    """A valid case: a report, victims, offenders, allegations, evidence and proposals.

    ``unknown_facts=False`` gives cases where every optional fact is known.
    """
    n_v = draw(st.integers(min_victims, max_victims))
    n_o = draw(st.integers(0, max_offenders))
    n_a = draw(st.integers(min_allegations, max_allegations))
    vids = [f"V{i + 1}" for i in range(n_v)]
    oids = [f"O{i + 1}" for i in range(n_o)]
    aids = [f"A{i + 1}" for i in range(n_a)]
    reporter = draw(
        st.builds(
            c.Reporter,
            kind=_choice(c.ReporterKind),
            role=_maybe(_choice(c.ProfessionalRole), unknown=unknown_facts),
            acting_for_victim=_maybe(st.booleans(), unknown=unknown_facts),
        )
    )
    channel: Any = draw(_maybe(_choice(c.Channel), unknown=unknown_facts))
    report = c.Report(
        id=draw(
            st.from_regex(r"case-[0-9]{1,7}", fullmatch=True) if case_ids is None else case_ids
        ),
        received_at=draw(received_times() if received is None else received),
        channel=channel,
        reporter=reporter,
        recording_force="F1",
    )
    data: dict[str, Any] = {
        "report": report,
        "victims": tuple(draw(victims(v, unknown_facts=unknown_facts)) for v in vids),
        "offenders": tuple(draw(offenders(o, vids, unknown_facts=unknown_facts)) for o in oids),
        "allegations": tuple(
            draw(allegations(a, vids, oids, offences=offences, unknown_facts=unknown_facts))
            for a in aids
        ),
    }
    evidence = []
    for i in range(draw(st.integers(0, max_evidence))):
        evidence.append(
            draw(
                st.builds(
                    c.Evidence,
                    id=st.just(f"E{i + 1}"),
                    allegation=st.sampled_from(aids),
                    kind=_choice(c.EvidenceKind),
                    basis=_maybe(_choice(c.EvidenceBasis), unknown=unknown_facts),
                    shows_no_crime=_maybe(st.booleans(), unknown=unknown_facts),
                    verified=_maybe(st.booleans(), unknown=unknown_facts),
                    new_information=_maybe(st.booleans(), unknown=unknown_facts),
                    immediately_available=_maybe(st.booleans(), unknown=unknown_facts),
                )
            )
        )
    data["evidence"] = tuple(evidence)
    data["proposals"] = tuple(
        draw(proposals(f"P{i + 1}", aids)) for i in range(draw(st.integers(0, max_proposals)))
    )
    return c.CaseFacts(**data)
