"""The facts of one reported incident: the case that goes into a decision.

Every optional fact may be **unknown** (``null`` or omitted), which is different from false:
a rule that needs an unknown fact neither fires nor fails, and the decision lists the fact
under *still needed* (NCRS; HOCR General Rules, Section A). Input is validated strictly:
no type coercion, no unknown fields, and timestamps must carry a timezone.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, model_validator

__all__ = [
    "Allegation",
    "CaseFacts",
    "Evidence",
    "Offender",
    "Proposal",
    "Relationship",
    "Report",
    "Reporter",
    "Victim",
]

Ident = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,63}$")]

OffenceKind = Literal[
    "murder",
    "manslaughter",
    "attempted_murder",
    "conspiracy_to_murder",
    "threats_to_kill",
    "assault",
    "endangering_life",
    "rape",
    "attempted_rape",
    "sexual_assault",
    "sexual_activity_with_child",
    "causing_sexual_activity_without_consent",
    "exposure_or_voyeurism",
    "exploitation_of_prostitution",
    "keeping_a_brothel",
    "stalking",
    "harassment",
    "malicious_communications",
    "controlling_or_coercive_behaviour",
    "public_order",
    "robbery",
    "theft",
    "burglary",
    "criminal_damage",
    "arson",
    "possession_of_bladed_article",
    "child_cruelty_or_neglect",
    "kidnapping",
    "concealing_birth",
    "modern_slavery",
]

# Offence kinds with no victim in law (state-based): every Home Office code the rules give
# them is ``victim_based: false`` in the offence catalogue (checked by a health test). Any
# other offence has a victim, so an allegation of it without one has a victim still to name.
STATE_BASED_OFFENCES = frozenset({"possession_of_bladed_article", "concealing_birth"})

Injury = Literal["none", "minor", "abh", "serious"]
TheftType = Literal[
    "from_person",
    "pedal_cycle",
    "from_vehicle",
    "of_vehicle",
    "shoplifting",
    "in_dwelling",
    "other",
]
DamageTarget = Literal["dwelling", "other_building", "vehicle", "other"]
Premises = Literal["dwelling", "dwelling_outbuilding_business", "non_dwelling"]
PropertyOwner = Literal["personal", "business"]
PublicOrderSection = Literal["s4", "s4A", "s5"]
HateStrand = Literal["race", "religion", "sexual_orientation", "disability", "transgender"]
RelationshipKind = Literal[
    "current_partner",
    "former_partner",
    "family",
    "acquaintance",
    "stranger",
    "colleague",
    "carer",
    "other",
]
ReporterKind = Literal[
    "victim",
    "professional_third_party",
    "other_third_party",
    "witness",
    "police",
    "nrm_competent_authority",
]
ProfessionalRole = Literal[
    "doctor",
    "nurse",
    "social_worker",
    "teacher",
    "health_visitor",
    "carer",
    "other_professional",
]
Channel = Literal["emergency_call", "non_emergency_call", "in_person", "online", "partner_agency"]
CancellationCategory = Literal["C1", "C2", "C3", "C4", "C5"]
DeciderRole = Literal["officer", "supervisor", "designated_decision_maker", "force_crime_registrar"]
EvidenceKind = Literal["credible_evidence_to_contrary", "additional_verifiable_information"]
EvidenceBasis = Literal[
    "victim_withdrew_support",
    "lack_of_evidence",
    "victim_disbelieved",
    "suspect_denial",
    "delay_in_reporting",
    "victim_intoxicated",
    "no_visible_injury",
    "independent_record",
    "cctv",
    "medical",
    "forensic",
    "witness",
    "officer_observation",
    "other",
]
# What the information would show, if true: that the event did not happen, that what
# happened is not a crime in law, only who the offender is (or is not), or a lawful excuse.
EvidenceShows = Literal["did_not_occur", "not_a_crime", "offender_identity_only", "lawful_excuse"]


class _Model(BaseModel):
    model_config = ConfigDict(strict=True, frozen=True, extra="forbid")


class Reporter(_Model):
    """Who reported the incident (NCRS; HOCR Section A on third-party reports)."""

    kind: ReporterKind
    role: ProfessionalRole | None = Field(
        None, description="For a professional third party: their role."
    )
    acting_for_victim: bool | None = Field(
        None, description="Is the reporter reasonably assumed to be acting for the victim?"
    )


class Report(_Model):
    """The report received by the police."""

    id: Ident
    received_at: AwareDatetime = Field(description="When the police received the report.")
    channel: Channel | None = None
    reporter: Reporter
    recording_force: Ident = Field(description="The force that received and records the report.")


class Victim(_Model):
    """A victim named in the report. Personal details stay in the decision, never in logs."""

    id: Ident
    kind: Literal["person", "business"] = "person"
    age: int | None = Field(None, ge=0, le=130)
    sex: Literal["female", "male"] | None = None
    ethnicity: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = None
    disability: bool | None = None
    vulnerable: bool | None = Field(None, description="Is the victim vulnerable?")
    has_capacity: bool | None = Field(None, description="Does the victim have mental capacity?")
    traceable: bool | None = Field(None, description="Can the victim be traced and contacted?")
    confirmed: bool | None = Field(None, description="Has the victim confirmed the report?")
    confirmed_at: AwareDatetime | None = None
    objects_to_referral: bool | None = Field(
        None, description="Has the victim objected to referral to victim support services?"
    )
    is_police_officer: bool | None = None


class Relationship(_Model):
    """An offender's relationship to one victim."""

    victim: Ident
    kind: RelationshipKind


class Offender(_Model):
    """A suspect or offender named in the report."""

    id: Ident
    age: int | None = Field(None, ge=0, le=130)
    relationships: tuple[Relationship, ...] = ()


class Allegation(_Model):
    """One thing alleged to have happened to one victim (or to no victim, if state-based)."""

    id: Ident
    offence: OffenceKind
    victim: Ident | None = Field(None, description="The victim; none for state-based offences.")
    offenders: tuple[Ident, ...] = ()
    incident: Ident = Field("incident-1", description="The incident this allegation belongs to.")
    occasion: Ident = Field("occasion-1", description="Occasion within the incident.")
    occurred_on: date | None = None
    occurred_in_force: Ident | None = Field(None, description="Force area where it happened.")
    outside_england_and_wales: bool | None = None
    reported_at: AwareDatetime | None = Field(
        None, description="When this allegation reached the police, if later than the report."
    )
    disclosed_later: bool | None = Field(
        None, description="Was it disclosed later, during the investigation?"
    )
    amounts_to_crime: bool | None = Field(
        None,
        description="On the balance of probability, do the circumstances as reported "
        "amount to a crime in law?",
    )
    injury: Injury | None = None
    intent_serious_harm: bool | None = None
    aggravating_feature: bool | None = Field(
        None, description="Weapon, biting, kicking on the ground, strangulation or similar."
    )
    racially_or_religiously_aggravated: bool | None = None
    hostility_perceived: tuple[HateStrand, ...] | None = Field(
        None, description="Strands of hostility perceived by the victim or any other person."
    )
    penetration: bool | None = None
    victim_consented: bool | None = None
    force_on_person: bool | None = None
    threat_of_force: bool | None = None
    property_owner: PropertyOwner | None = None
    business_property_value: int | None = Field(None, ge=0, description="Value, in pounds.")
    personal_property_value: int | None = Field(None, ge=0, description="Value, in pounds.")
    item_normally_personal: bool | None = Field(
        None, description="A business item normally seen as personal (phone, laptop)?"
    )
    theft_type: TheftType | None = None
    damage_target: DamageTarget | None = None
    attempted: bool | None = Field(None, description="Was it an attempt?")
    armed: bool | None = Field(None, description="Was the offender armed (aggravated burglary)?")
    intended_target: bool | None = Field(
        None, description="Was this victim's property the intended target?"
    )
    diminished_responsibility: bool | None = None
    resolved_by_warning: bool | None = Field(
        None, description="Was it resolved by a warning, with no further action?"
    )
    item_carried_by_victim: bool | None = None
    premises: Premises | None = None
    life_endangered: bool | None = None
    course_of_conduct: bool | None = None
    harassment_only: bool | None = Field(
        None, description="Are the police satisfied the conduct is harassment only?"
    )
    fear_of_violence: bool | None = None
    online: bool | None = Field(None, description="Committed wholly or partly online?")
    public_order_section: PublicOrderSection | None = None
    nrm_referral: bool | None = None
    recorded_at: AwareDatetime | None = Field(
        None, description="When the force recorded it (for audits of timeliness)."
    )


class Evidence(_Model):
    """Information bearing on an allegation (NCRS; HOCR Section C on AVI)."""

    id: Ident
    allegation: Ident
    kind: EvidenceKind
    basis: EvidenceBasis | None = Field(None, description="What the information is.")
    shows: EvidenceShows | None = Field(None, description="What it would show, if true.")
    verified: bool | None = None
    new_information: bool | None = Field(
        None, description="Is it information the police did not already hold?"
    )
    immediately_available: bool | None = None


class Proposal(_Model):
    """A proposal to cancel or transfer an existing crime record (HOCR Section C)."""

    id: Ident
    allegation: Ident
    category: CancellationCategory
    proposer_role: DeciderRole | None = None
    duplicate_of: Ident | None = None
    victim_informed: bool | None = Field(None, description="Was the victim told, with reasons?")


class CaseFacts(_Model):
    """Everything known about one reported incident."""

    report: Report
    victims: tuple[Victim, ...] = ()
    offenders: tuple[Offender, ...] = ()
    allegations: tuple[Allegation, ...] = Field(min_length=1)
    evidence: tuple[Evidence, ...] = ()
    proposals: tuple[Proposal, ...] = ()

    @model_validator(mode="after")
    def _check_references(self) -> CaseFacts:
        """Every id is unique and every reference points at something in the case.

        Every problem is reported, one a line, each led by its path."""
        bad: list[str] = []
        victims = _unique("victims", [v.id for v in self.victims], bad)
        offenders = _unique("offenders", [o.id for o in self.offenders], bad)
        allegations = _unique("allegations", [a.id for a in self.allegations], bad)
        _unique("evidence", [e.id for e in self.evidence], bad)
        _unique("proposals", [p.id for p in self.proposals], bad)
        for i, off in enumerate(self.offenders):
            for j, rel in enumerate(off.relationships):
                _ref(f"offenders.{i}.relationships.{j}.victim", rel.victim, victims, bad)
        for i, al in enumerate(self.allegations):
            if al.victim is not None:
                _ref(f"allegations.{i}.victim", al.victim, victims, bad)
            for j, oid in enumerate(al.offenders):
                _ref(f"allegations.{i}.offenders.{j}", oid, offenders, bad)
        for i, ev in enumerate(self.evidence):
            _ref(f"evidence.{i}.allegation", ev.allegation, allegations, bad)
        for i, pr in enumerate(self.proposals):
            _ref(f"proposals.{i}.allegation", pr.allegation, allegations, bad)
            if pr.duplicate_of is not None:
                _ref(f"proposals.{i}.duplicate_of", pr.duplicate_of, allegations, bad)
                if pr.duplicate_of == pr.allegation:  # a record cannot duplicate itself
                    bad.append(
                        f"proposals.{i}.duplicate_of: a record cannot duplicate itself; "
                        "name the other record"
                    )
        if bad:
            raise ValueError("\n".join(bad))
        return self


def _unique(section: str, ids: list[str], bad: list[str]) -> set[str]:
    seen: set[str] = set()
    for i, ident in enumerate(ids):
        if ident in seen:
            bad.append(f"{section}.{i}.id: duplicate id {ident!r}; ids must be unique")
        seen.add(ident)
    return seen


def _ref(path: str, ident: str, known: set[str], bad: list[str]) -> None:
    if ident not in known:
        choices = ", ".join(sorted(known)[:20]) or "none defined"
        bad.append(f"{path}: {ident!r} is not defined (known: {choices})")
