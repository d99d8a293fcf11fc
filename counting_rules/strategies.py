"""Hypothesis strategies for valid, realistic cases (install the ``testing`` extra).

For integrators who embed the engine and want to test their own use of it, and for the
project's property tests. Every generated case validates as :class:`CaseFacts` and keeps the
domain's shape: sexual and violent offences are against people, child offences against
children, state-based offences (weapon possession, brothels, concealing a birth) have no
victim, business victims have no age or sex, a confirmation or a later disclosure comes after
the report. Any optional fact is sometimes unknown (``None``) unless ``unknown_facts=False``;
facts that do not bear on the offence (an injury on a burglary) are then left unknown, as a
call handler would leave them::

    from hypothesis import given
    from counting_rules import decide
    from counting_rules.strategies import cases

    @given(cases(max_allegations=3))
    def test_every_allegation_is_accounted_for(case):
        decision = decide(case, evaluator="reference")
        ...

Size and shape parameters are keyword-only and named as in hypothesis (``min_victims``,
``max_allegations``, ``min_size``...). Strategies are cached, so drawing is cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache, wraps
from typing import Any, ParamSpec, TypeVar, get_args

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover
    raise ImportError(
        "counting_rules.strategies needs hypothesis: pip install 'counting-rules[testing]'"
    ) from exc

from counting_rules import case as c
from counting_rules._rulebook import points_to_prove as _points

__all__ = [
    *("CHILD_OFFENCES", "PROPERTY_OFFENCES", "STATE_OFFENCES"),
    *("allegations", "as_recorded", "cases", "evidence", "hide_facts", "offenders"),
    "proposals",
    "officer_proposals",
    *("points_to_prove", "received_times", "reports", "victims"),
]

T = TypeVar("T")
R = TypeVar("R")
P = ParamSpec("P")


def _cached(fn: Callable[P, R]) -> Callable[P, R]:
    """Build each strategy once per arguments (lists count as tuples): hypothesis validates
    a new strategy object on first use, which costs more than drawing from it."""
    cached = lru_cache(maxsize=1024)(fn)

    @wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        args = tuple(tuple(a) if isinstance(a, list) else a for a in args)  # type: ignore[assignment]
        return cached(*args, **kwargs)  # type: ignore[arg-type]

    return wrapper


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Offences with no identifiable victim (counted per offender; HOCR General Rules D).
STATE_OFFENCES = c.STATE_BASED_OFFENCES
# Offences against property, whose victim may be a business.
PROPERTY_OFFENCES = frozenset({"robbery", "theft", "burglary", "criminal_damage", "arson"})
# Offences whose victim is a child under 16.
CHILD_OFFENCES = frozenset({"child_cruelty_or_neglect", "sexual_activity_with_child"})

TZS = (UTC, timezone(timedelta(hours=1)))
RECEIVED_FROM, RECEIVED_UNTIL = date(2018, 4, 1), date(2026, 11, 30)  # report dates
FORCES = ("kent", "kent", "kent", "essex")  # most happen in the recording force (Kent)
_B = st.booleans()

# Facts asked about every allegation, and those asked about property offences.
_GENERAL_FIELDS = _words(
    "occurred_in_force outside_england_and_wales in_scotland_or_northern_ireland "
    "victim_in_england_and_wales investigated_by_force disclosed_later "
    "racially_or_religiously_aggravated hostility_perceived online"
)
_PROPERTY = _words(
    "force_on_person threat_of_force property_owner item_carried_by_victim "
    "business_property_value personal_property_value item_normally_personal"
)
_HARASSMENT = ("course_of_conduct", "harassment_only", "fear_of_violence")
# The facts that bear on each offence beyond the general ones (what a call handler asks).
_OFFENCE_FIELDS: dict[str, tuple[str, ...]] = {
    "murder": ("diminished_responsibility",),
    "manslaughter": ("diminished_responsibility",),
    "assault": ("injury", "intent_serious_harm"),
    "stalking": _HARASSMENT,
    "harassment": _HARASSMENT,
    "controlling_or_coercive_behaviour": ("course_of_conduct",),
    "public_order": ("public_order_section", "resolved_by_warning"),
    "robbery": _PROPERTY,
    "theft": (*_PROPERTY, "theft_type"),
    "burglary": ("premises", "attempted", "armed"),
    "criminal_damage": ("damage_target",),
    "arson": ("life_endangered", "intended_target"),
    "modern_slavery": ("nrm_referral",),
}


def _lit(literal: object) -> st.SearchStrategy[Any]:
    return st.sampled_from(get_args(literal))


# The vocabulary as plain data (values drawn with equal weight, repeats weigh more; integer
# ranges inclusive), shared with the seeded generator (counting_rules._seeded).
RARE = (False, False, True)  # aggravating features are the exception
MOSTLY_TRUE = (True, True, True, False)  # most accounts make out the offence
CHOICES: dict[str, tuple[Any, ...]] = {
    **dict.fromkeys(
        _words(
            "intent_serious_harm aggravating_feature racially_or_religiously_aggravated online "
            "armed attempted"
        ),
        RARE,
    ),
    "occurred_in_force": FORCES,
    "outside_england_and_wales": (False, False, False, True),
    "in_scotland_or_northern_ireland": RARE,  # only where it is outside England and Wales
    "consent": ("not_given", "not_given", *get_args(c.Consent)),
    "injury": get_args(c.Injury),
    "property_owner": get_args(c.PropertyOwner),
    "theft_type": get_args(c.TheftType),
    "damage_target": get_args(c.DamageTarget),
    "premises": get_args(c.Premises),
    "public_order_section": get_args(c.PublicOrderSection),
}
RANGES = {"business_property_value": (0, 5_000), "personal_property_value": (0, 5_000)}
HOSTILITY_MAX = 2  # strands of hostility perceived, distinct
INCIDENTS = ("incident-1", "incident-1", "incident-2")
OCCASIONS = ("occasion-1", "occasion-1", "occasion-2")
LATER_MINUTES = (1, 30 * 24 * 60)  # a later disclosure: up to 30 days after the report
# up to a week: past the deadline of a report the victim confirmed days later
RECORDED_MINUTES = (0, 7 * 24 * 60)
REPORTER_KINDS = ("victim", "victim", *get_args(c.ReporterKind))
CASE_NUMBERS = (0, 9_999_999)  # report ids case-<n>
CONFIRMED_MINUTES = (0, 96 * 60)  # a victim's confirmation: up to four days after the report
SEXES = ("female", "male")
ETHNICITIES = ("W1", "A1", "B2", "M1", "O9")
VICTIM_FLAGS = _words("traceable confirmed objects_to_referral")
PERSON_FLAGS = _words("disability vulnerable has_capacity is_police_officer")
OFFENDER_AGES = (10, 90)
EVIDENCE_FLAGS = _words("verified new_information immediately_available")
OBTAINED_MINUTES = (0, 7 * 24 * 60)  # evidence: obtained up to a week after the report
VICTIM_KINDS = ("person", "person", "person", "business")
NOT_A_DUPLICATE = ("C1", "C2", "C4", "C5")  # the categories other than C3
COMPLETE = (True, True, False)  # "facts may be unknown": a third of cases are complete anyway
UNKNOWN_VICTIM = 8  # one allegation in this many names no victim yet, when facts may be unknown

_RARE = st.sampled_from(RARE)
_VALUES: dict[str, st.SearchStrategy[Any]] = {
    **{name: st.sampled_from(values) for name, values in CHOICES.items()},
    "hostility_perceived": st.lists(_lit(c.HateStrand), unique=True, max_size=HOSTILITY_MAX).map(
        tuple
    ),
    **{name: st.integers(*span) for name, span in RANGES.items()},
}


# The allegation's optional facts (booleans, and the fields with a value strategy above).
_FACT_FIELDS = tuple(
    name
    for name, info in c.Allegation.model_fields.items()
    if info.annotation == bool | None or name in _VALUES
)


def _maybe(strategy: st.SearchStrategy[T], *, unknown: bool = True) -> st.SearchStrategy[T | None]:
    """Known three times in four when ``unknown``; always known otherwise."""
    return st.one_of(st.none(), strategy, strategy, strategy) if unknown else strategy


def received_times(
    *, min_value: date = RECEIVED_FROM, max_value: date = RECEIVED_UNTIL
) -> st.SearchStrategy[datetime]:
    """Timezone-aware report times between two dates (inclusive)."""
    start = datetime(min_value.year, min_value.month, min_value.day)
    end = datetime(max_value.year, max_value.month, max_value.day) + timedelta(days=1)
    span = int((end - start).total_seconds()) - 1
    return st.builds(
        lambda s, tz: (start + timedelta(seconds=s)).replace(tzinfo=tz),
        st.integers(0, span),
        st.sampled_from(TZS),
    )


@_cached
def reports(
    *,
    unknown_facts: bool = True,
    received: st.SearchStrategy[datetime] | None = None,
    case_ids: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[c.Report]:
    """A report received by Kent Police: who reported it, how and when."""
    u = unknown_facts
    reporter = st.builds(
        c.Reporter,
        kind=st.sampled_from(REPORTER_KINDS),
        role=_maybe(_lit(c.ProfessionalRole), unknown=u),
        identified=_maybe(_B, unknown=u),
    )
    return st.builds(
        c.Report,
        id=st.integers(*CASE_NUMBERS).map(lambda n: f"case-{n}") if case_ids is None else case_ids,
        received_at=received_times() if received is None else received,
        channel=_maybe(_lit(c.Channel), unknown=u),
        reporter=reporter,
        recording_force=st.just("kent"),
    )


def victims(
    vid: str,
    *,
    unknown_facts: bool = True,
    kind: str | None = None,
    min_age: int = 0,
    max_age: int = 95,
    confirmed_after: datetime | None = None,
) -> st.SearchStrategy[c.Victim]:
    """One victim with id ``vid``: a person aged ``min_age``-``max_age`` or a business.

    ``confirmed_after`` (the report time) lets a confirmed victim carry when they confirmed,
    up to four days later.
    """

    def make(data: dict[str, Any]) -> c.Victim:
        minutes = data.pop("confirmed_minutes")
        if data["confirmed"] and confirmed_after is not None and minutes is not None:
            data["confirmed_at"] = confirmed_after + timedelta(minutes=minutes)
        return c.Victim(id=vid, **data)

    return _victim_data(unknown_facts, kind, min_age, max_age).map(make)


@_cached
def _victim_data(
    u: bool, kind: str | None, min_age: int, max_age: int
) -> st.SearchStrategy[dict[str, Any]]:
    m = _maybe
    common: dict[str, st.SearchStrategy[Any]] = {
        "traceable": m(_B, unknown=u),
        "confirmed": m(_B, unknown=u),
        "confirmed_minutes": m(st.integers(*CONFIRMED_MINUTES), unknown=u),
        "objects_to_referral": m(_B, unknown=u),
    }
    business = st.fixed_dictionaries({"kind": st.just("business"), **common})
    person = st.fixed_dictionaries(
        {
            "kind": st.just("person"),
            **common,
            "age": m(st.integers(min_age, max_age), unknown=u),
            "sex": m(st.sampled_from(SEXES), unknown=u),
            "ethnicity": m(st.sampled_from(ETHNICITIES), unknown=u),
            **{name: m(_B, unknown=u) for name in PERSON_FLAGS},
        }
    ).map(_no_child_officers)
    if kind == "business":
        return business
    if kind == "person":
        return person
    return st.one_of(*(person if k == "person" else business for k in VICTIM_KINDS))


def _no_child_officers(data: dict[str, Any]) -> dict[str, Any]:
    if data["age"] is not None and data["age"] < 18 and data["is_police_officer"]:
        data["is_police_officer"] = False
    return data


@_cached
def offenders(
    oid: str, victim_ids: list[str] | tuple[str, ...], *, unknown_facts: bool = True
) -> st.SearchStrategy[c.Offender]:
    """One offender with relationships to some of ``victim_ids`` (partner, family, ...)."""
    vids, u = tuple(victim_ids), unknown_facts
    rels = (
        st.lists(
            st.builds(c.Relationship, victim=st.sampled_from(vids), kind=_lit(c.RelationshipKind)),
            max_size=len(vids),
            unique_by=lambda r: r.victim,
        ).map(tuple)
        if vids
        else st.just(())
    )
    return st.builds(
        c.Offender,
        id=st.just(oid),
        age=_maybe(st.integers(*OFFENDER_AGES), unknown=u),
        relationships=rels,
    )


def allegations(
    aid: str,
    victim_ids: list[str] | tuple[str, ...],
    offender_ids: list[str] | tuple[str, ...],
    *,
    offences: tuple[str, ...] | None = None,
    unknown_facts: bool = True,
    received: datetime | None = None,
) -> st.SearchStrategy[c.Allegation]:
    """One allegation against one of ``victim_ids`` (none if state-based), by some of
    ``offender_ids``. ``received`` (the report time) lets it carry when it was disclosed
    (up to 30 days later) and when the force recorded it (up to 72 hours after that)."""
    vids, oids = tuple(victim_ids), tuple(offender_ids)
    spec = _charge(tuple(offences or get_args(c.OffenceKind)), unknown_facts, len(vids), len(oids))
    return spec.map(
        lambda t: _allegation(
            aid,
            t[0],
            None if t[1] is None or t[0] in STATE_OFFENCES else vids[t[1]],
            tuple(oids[k] for k in t[3]),
            t[2],
            received,
        )
    )


Charge = tuple[str, int | None, dict[str, Any], tuple[int, ...]]


@_cached
def _charge(
    kinds: tuple[str, ...], u: bool, n_victims: int, n_offenders: int
) -> st.SearchStrategy[Charge]:
    """An allegation's offence, victim slot, facts and offenders (by index), drawn as one
    block, so hypothesis can delete a whole allegation when it shrinks a case."""
    slot: st.SearchStrategy[int | None] = st.integers(0, n_victims - 1) if n_victims else st.none()
    if u and n_victims:  # now and then, who the victim is is not known yet
        slot = st.one_of(st.none(), *[slot] * (UNKNOWN_VICTIM - 1))
    who = (
        st.lists(st.integers(0, n_offenders - 1), unique=True).map(tuple)
        if n_offenders
        else st.just(())
    )
    return st.sampled_from(kinds).flatmap(
        lambda off: st.tuples(st.just(off), slot, _allegation_data(off, u), who)
    )


def _allegation(
    aid: str,
    offence: str,
    victim: str | None,
    offenders: tuple[str, ...],
    drawn: dict[str, Any],
    received: datetime | None,
) -> c.Allegation:
    data = dict(drawn)
    later, recorded = data.pop("later_minutes"), data.pop("recorded_minutes")
    if data.get("outside_england_and_wales") is False and data.get(
        "in_scotland_or_northern_ireland"
    ):
        data["in_scotland_or_northern_ireland"] = False  # Scotland is outside England and Wales
    if received is not None:
        reported = received + timedelta(minutes=later) if data["disclosed_later"] else None
        data["reported_at"] = reported
        if recorded is not None:
            data["recorded_at"] = (reported or received) + timedelta(minutes=recorded)
    return c.Allegation(
        id=aid,
        offence=offence,  # type: ignore[arg-type]
        victim=victim,
        offenders=offenders,
        **data,
    )


_MOSTLY_TRUE = st.sampled_from(MOSTLY_TRUE)


def points_to_prove(offence: str) -> frozenset[str]:
    """The allegation fields that are points to prove of ``offence`` in the shipped rulebook."""
    return _points_to_prove().get(offence, frozenset())


@lru_cache(maxsize=1)
def _points_to_prove() -> dict[str, frozenset[str]]:
    from counting_rules._engine.decide import (
        default_rulebook,  # lazily: only strategies that draw offences need it
    )

    return _points.points_to_prove(default_rulebook())


@_cached
def _allegation_data(offence: str, u: bool) -> st.SearchStrategy[dict[str, Any]]:
    points = _points_to_prove().get(offence, frozenset())
    relevant = (*_GENERAL_FIELDS, *_OFFENCE_FIELDS.get(offence, ()), *points)
    fields: dict[str, st.SearchStrategy[Any]] = {
        name: _maybe(_VALUES.get(name, _MOSTLY_TRUE if name in points else _B), unknown=u)
        for name in _FACT_FIELDS
        if name in relevant or not u  # facts that do not bear on it stay unknown
    }
    fields["incident"] = st.sampled_from(INCIDENTS)
    fields["occasion"] = st.sampled_from(OCCASIONS)
    fields["later_minutes"] = st.integers(*LATER_MINUTES)
    fields["recorded_minutes"] = st.one_of(st.none(), st.integers(*RECORDED_MINUTES))
    return st.fixed_dictionaries(fields)


@_cached
def evidence(
    eid: str,
    allegation_ids: list[str] | tuple[str, ...],
    *,
    unknown_facts: bool = True,
    received: datetime | None = None,
) -> st.SearchStrategy[c.Evidence]:
    """Information bearing on one of ``allegation_ids``: credible evidence to the contrary,
    or additional verifiable information (HOCR Section C2); with ``received`` (the report
    time), obtained up to a week after it."""
    aids, u = tuple(allegation_ids), unknown_facts
    obtained: st.SearchStrategy[datetime | None] = st.none()
    if received is not None:
        start = received
        later = st.integers(*OBTAINED_MINUTES).map(lambda m: start + timedelta(minutes=m))
        obtained = _maybe(later, unknown=u)
    return st.builds(
        c.Evidence,
        obtained_at=obtained,
        id=st.just(eid),
        allegation=st.sampled_from(aids),
        kind=_lit(c.EvidenceKind),
        basis=_maybe(_lit(c.EvidenceBasis), unknown=u),
        shows=_maybe(_lit(c.EvidenceShows), unknown=u),
        **{name: _maybe(_B, unknown=u) for name in EVIDENCE_FLAGS},
    )


@_cached
def officer_proposals(
    opid: str, allegation_ids: list[str] | tuple[str, ...], *, unknown_facts: bool = True
) -> st.SearchStrategy[c.OfficerProposal]:
    """An officer's proposed recording outcome for one of ``allegation_ids``, with a basis."""
    return st.builds(
        c.OfficerProposal,
        id=st.just(opid),
        allegation=st.sampled_from(tuple(allegation_ids)),
        outcome=_lit(c.ProposedOutcome),
        basis=_maybe(_lit(c.ProposalBasis), unknown=unknown_facts),
    )


@_cached
def proposals(
    pid: str, allegation_ids: list[str] | tuple[str, ...], *, unknown_facts: bool = True
) -> st.SearchStrategy[c.Proposal]:
    """A proposed cancellation or transfer (C1-C5) of one of ``allegation_ids``; a C3
    duplicate names another allegation."""
    aids, u = tuple(allegation_ids), unknown_facts

    @st.composite
    def draw_proposal(draw: st.DrawFn) -> c.Proposal:
        aid = draw(st.sampled_from(aids))
        others = [a for a in aids if a != aid]
        category = draw(_lit(c.CancellationCategory))
        if category == "C3" and not others and not u:  # every fact known: a duplicate of what?
            category = draw(st.sampled_from(NOT_A_DUPLICATE))
        return c.Proposal(
            id=pid,
            allegation=aid,
            category=category,
            proposer_role=draw(_maybe(_lit(c.DeciderRole), unknown=u)),
            duplicate_of=draw(_maybe(st.sampled_from(others), unknown=u)) if others else None,
            victim_informed=draw(_maybe(_B, unknown=u)),
        )

    return draw_proposal()


# Home Office codes a force might record (valid or not for the allegation: an audit sees both).
_CODES = ("8N", "105A", "5D", "9A", "19C", "20A", "34B", "28E", "49", "58D", "8L", "999X")


def as_recorded(case: c.CaseFacts) -> st.SearchStrategy[c.AsRecorded]:
    """What a force might have done with ``case``: crimes, N100s, cancellations and
    referrals naming its allegations and victims, an incident record, every time after the
    report. Right or wrong by the rules, as a real force's records are."""
    received = case.report.received_at
    aids = tuple(a.id for a in case.allegations)
    vids = tuple(v.id for v in case.victims)

    def after(start: datetime | None) -> st.SearchStrategy[datetime]:
        base = received if start is None else start
        return st.integers(0, 30 * 24 * 3600).map(lambda s: base + timedelta(seconds=s))

    later = after(received)
    maybe_victim = st.none() | st.sampled_from(vids) if vids else st.none()

    @st.composite
    def draw_record(draw: st.DrawFn) -> c.AsRecorded:
        crimes = draw(
            st.lists(
                st.builds(
                    c.RecordedCrime,
                    allegation=st.sampled_from(aids),
                    code=st.sampled_from(_CODES),
                    victim=maybe_victim,
                    recorded_at=st.none() | later,
                ),
                max_size=3,
            )
        )
        recorded = sorted({cr.allegation for cr in crimes})
        n100s = []
        for aid in draw(st.lists(st.sampled_from(aids), max_size=2)):
            created = draw(st.none() | later)
            converted = None
            if aid in recorded and draw(_B):
                converted = draw(after(created))
            n100 = st.sampled_from(("N100/1", "N100/2", "N100/3"))
            n100s.append(
                c.RecordedN100(
                    allegation=aid,
                    n100_type=draw(st.none() | n100),
                    created_at=created,
                    converted_at=converted,
                )
            )
        cancellations = []
        for aid in draw(st.lists(st.sampled_from(recorded), max_size=2)) if recorded else ():
            decided = draw(st.none() | later)
            told = draw(_lit(c.Told))
            told_at = None
            if told == "yes":
                told_at = draw(st.none() | after(decided))
            cancellations.append(
                c.RecordedCancellation(
                    allegation=aid,
                    category=draw(_lit(c.CancellationCategory)),
                    decider=draw(st.none() | _lit(c.DeciderRole)),
                    decided_at=decided,
                    victim_told=told,
                    told_at=told_at,
                )
            )
        opened = draw(st.none() | later)
        closed = draw(st.none() | after(opened))
        incident = c.RecordedIncident(
            opened_at=opened,
            closed_at=closed,
            closing_code=draw(st.none() | st.sampled_from(("NCR", "CRIME", "ADV"))),
            closing_rationale=draw(st.none() | st.just("Words of advice given.")),
        )
        referrals = draw(
            st.lists(
                st.builds(
                    c.RecordedReferral,
                    to=_lit(c.ReferredTo),
                    victim=maybe_victim,
                    allegation=st.none() | st.sampled_from(aids),
                    referred_at=st.none() | later,
                ),
                max_size=2,
            )
        )
        return c.AsRecorded(
            incident=draw(st.none() | st.just(incident)),
            crimes=tuple(crimes),
            n100s=tuple(n100s),
            cancellations=tuple(cancellations),
            referrals=tuple(referrals),
        )

    return draw_record()


def _all_known(
    kind: Callable[[], str],
    charges: list[c.Allegation],
    suspects: list[c.Offender],
    persons: list[str],
) -> tuple[list[c.Allegation], list[c.Offender]]:
    """Name a suspect on every allegation against a person, and state each suspect's
    relationship to each person they are alleged to have offended against."""
    if suspects:
        first = suspects[0].id
        charges = [
            a.model_copy(update={"offenders": (first,)})
            if a.victim in persons and not a.offenders
            else a
            for a in charges
        ]
    out = []
    for o in suspects:
        stated = {r.victim for r in o.relationships}
        wanted = sorted({a.victim for a in charges if o.id in a.offenders and a.victim in persons})
        extra = tuple(
            c.Relationship(victim=v, kind=kind())  # type: ignore[arg-type]
            for v in wanted
            if v not in stated
        )
        out.append(o.model_copy(update={"relationships": (*o.relationships, *extra)}))
    return charges, out


@st.composite
def cases(
    draw: st.DrawFn,
    *,
    min_victims: int = 0,
    max_victims: int = 3,
    max_offenders: int = 2,
    min_allegations: int = 1,
    max_allegations: int = 4,
    min_evidence: int = 0,
    max_evidence: int = 2,
    min_proposals: int = 0,
    max_proposals: int = 1,
    max_officer_proposals: int = 1,
    offences: tuple[str, ...] | None = None,
    unknown_facts: bool = True,
    received: st.SearchStrategy[datetime] | None = None,
    case_ids: st.SearchStrategy[str] | None = None,
    pinned: Mapping[str, Mapping[str, st.SearchStrategy[Any]]] | None = None,
) -> c.CaseFacts:
    """A valid case: a report, victims, offenders, allegations, evidence, proposals to cancel
    and officers' proposed outcomes.

    Offences are drawn first (from ``offences``, default all) and victims fitted to them.
    ``unknown_facts=False`` gives cases where every fact bearing on an offence is known,
    including who the victim is (so there is at least one victim when one is needed).
    ``pinned`` draws some fields from given strategies instead, for every item of a section:
    ``{"victims": {"age": st.integers(13, 15)}, "reporter": {"kind": st.just("witness")}}``
    (sections: report, reporter, victims, offenders, allegations, evidence, proposals,
    officer_proposals).
    """
    # A third of cases are complete even when facts may be unknown: a finished inquiry.
    u = unknown_facts and draw(st.sampled_from(COMPLETE))
    kinds = tuple(offences or get_args(c.OffenceKind))
    report = draw(reports(unknown_facts=u, received=received, case_ids=case_ids))
    at = report.received_at
    # Every fact known: a victim-based allegation has a named suspect (see below).
    n_o = draw(st.integers(0 if u else min(1, max_offenders), max_offenders))
    slots = max(max_victims, 1) if not u else max_victims
    specs = draw(
        st.lists(_charge(kinds, u, slots, n_o), min_size=min_allegations, max_size=max_allegations)
    )
    # Victims are fitted to what is alleged against them: people for offences against the
    # person, children for child offences; numbered in order of first mention.
    used = [slot for off, slot, _, _ in specs if slot is not None and off not in STATE_OFFENCES]
    order = list(dict.fromkeys(used))
    vids = [f"V{i + 1}" for i in range(max(min_victims, len(order)))]
    victim_of: dict[int | None, str] = {slot: vids[i] for i, slot in enumerate(order)}
    people: list[c.Victim] = []
    for vid in vids:
        mine = {off for off, slot, _, _ in specs if victim_of.get(slot) == vid}
        people.append(
            draw(
                victims(
                    vid,
                    unknown_facts=u,
                    kind=None if mine and mine <= PROPERTY_OFFENCES else "person",
                    max_age=15 if mine & CHILD_OFFENCES else 95,
                    confirmed_after=at,
                )
            )
        )
    persons = [v.id for v in people if v.kind == "person"]  # a business has no partner
    oids = [f"O{i + 1}" for i in range(n_o)]
    aids = [f"A{i + 1}" for i in range(len(specs))]
    charges = [
        _allegation(
            aid,
            off,
            None if off in STATE_OFFENCES else victim_of.get(slot),
            tuple(oids[k] for k in who),
            drawn,
            at,
        )
        for aid, (off, slot, drawn, who) in zip(aids, specs, strict=True)
    ]
    suspects = [draw(offenders(o, persons, unknown_facts=u)) for o in oids]
    if not u:
        charges, suspects = _all_known(
            lambda: draw(_lit(c.RelationshipKind)), charges, suspects, persons
        )
    n_e = draw(st.integers(min_evidence, max(min_evidence, max_evidence)))
    n_p = draw(st.integers(min_proposals, max(min_proposals, max_proposals)))
    case = c.CaseFacts(
        report=report,
        victims=tuple(people),
        offenders=tuple(suspects),
        allegations=tuple(charges),
        evidence=tuple(
            draw(evidence(f"E{i + 1}", aids, unknown_facts=u, received=at)) for i in range(n_e)
        ),
        proposals=tuple(draw(proposals(f"P{i + 1}", aids, unknown_facts=u)) for i in range(n_p)),
        officer_proposals=tuple(
            draw(officer_proposals(f"OP{i + 1}", aids, unknown_facts=u))
            for i in range(draw(st.integers(0, max_officer_proposals)))
        ),
    )
    if not pinned:
        return case
    data = case.model_dump()
    for section, fields in pinned.items():
        if section == "reporter":
            items = [data["report"]["reporter"]]
        else:
            items = [data[section]] if section == "report" else list(data[section])
        for item in items:
            item.update({name: draw(strategy) for name, strategy in fields.items()})
    return c.CaseFacts.model_validate(data)


# Facts that travel together: hiding the first hides the others.
_TOGETHER = {"confirmed": ("confirmed_at",), "disclosed_later": ("reported_at",)}
_NOT_FACTS = frozenset({"id", "kind", "incident", "occasion", "offence", "category", "allegation"})
_NOT_FACTS |= {"relationships", "recording_force", "received_at", "format", "outcome"}
_PARTS = frozenset({"report", "reporter", "victims", "offenders", "allegations", "evidence"})
_PARTS |= {"proposals", "officer_proposals"}


Path = tuple[str | int, ...]


def _known(data: dict[str, Any], path: Path = ()) -> list[Path]:
    out: list[Path] = []
    for key, value in data.items():
        if key in _PARTS and isinstance(value, dict):
            out += _known(value, (*path, key))
        elif key in _PARTS:  # a list of parts (an allegation's offenders are ids: skipped)
            for i, item in enumerate(value):
                out += _known(item, (*path, key, i)) if isinstance(item, dict) else []
        elif key not in _NOT_FACTS and value is not None:
            out.append((*path, key))
    return out


def hide_facts(
    case: c.CaseFacts, *, min_size: int = 1, max_size: int | None = None
) -> st.SearchStrategy[c.CaseFacts]:
    """Copies of ``case`` with between ``min_size`` and ``max_size`` of its known optional
    facts made unknown: the same incident, earlier in the call."""
    paths = _known(case.model_dump())
    if len(paths) < min_size:
        return st.nothing()
    chosen = st.lists(st.sampled_from(paths), unique=True, min_size=min_size, max_size=max_size)

    def apply(picked: list[Path]) -> c.CaseFacts:
        data = case.model_dump()
        for *parents, last in picked:
            node: Any = data
            for p in parents:
                node = node[p]
            for name in (last, *_TOGETHER.get(str(last), ())):
                node[name] = None
        return c.CaseFacts.model_validate(data)

    return chosen.map(apply)
