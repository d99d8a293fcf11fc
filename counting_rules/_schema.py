"""The fact schema rules are checked against: fact types, their fields, kinds and questions.

Base fact types are flattened from :class:`~counting_rules.case.CaseFacts` by ``_facts``.
Outcome types are the conclusions the decision builder understands. A rulebook may declare
more (intermediate) types in its ``vocabulary.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from . import case as c

Kind = Literal["str", "int", "bool"]
Role = Literal["key", "value", "detail"]

# Keys the engine reserves on every fact; rules may not name them.
RESERVED = frozenset({"t", "sid", "id", "mode"})


@dataclass(frozen=True)
class FieldSpec:
    """One field of a fact type."""

    kind: Kind
    nullable: bool = True
    values: tuple[str, ...] | None = None  # allowed values of an enumerated str field
    question: str = ""  # asked when the field is unknown and a rule needs it
    role: Role = "detail"  # for derived types: identity (key), compared (value) or neither
    ask: bool = True  # False for audit facts: unknown means "not audited", never a question


@dataclass(frozen=True)
class FactType:
    """A fact type: its fields and, for derived types, whether one value per key is allowed."""

    name: str
    fields: dict[str, FieldSpec]
    derived: bool = False
    functional: bool = False  # derived: at most one value per key, else a conflict
    subject: str = ""  # the field naming what the fact is about, for question wording
    description: str = ""

    def key_fields(self) -> tuple[str, ...]:
        return tuple(n for n, f in self.fields.items() if f.role == "key")

    def value_fields(self) -> tuple[str, ...]:
        return tuple(n for n, f in self.fields.items() if f.role == "value")


def _e(values: object, question: str = "", nullable: bool = True) -> FieldSpec:
    return FieldSpec("str", nullable, tuple(get_args(values)), question)


def _b(question: str) -> FieldSpec:
    return FieldSpec("bool", True, None, question)


_ID = FieldSpec("str", nullable=False)

# Fact types whose very existence can be unknown, with the ids a possible fact carries. A
# case fact of these types carries ``exists: true``; a *possible* fact (one that may or may
# not exist: an unnamed victim, an unstated relationship, hostility nobody asked about) lacks
# it and has only these ids. Every pattern on these types tests ``exists`` and treats its
# other fields as possibly unknown (the resolver), so only the maybe variant of a rule can
# match a possible fact, and the decision asks for it (``_needs``).
EXISTS = "exists"
POSSIBLE_TYPES: dict[str, frozenset[str]] = {
    "victim": frozenset({"vid"}),
    "offender": frozenset({"oid"}),
    "relationship": frozenset({"oid", "vid"}),
    "involvement": frozenset({"aid", "oid"}),
    "hostility": frozenset({"aid"}),
}
_EXISTS = FieldSpec("bool", True, None, "", ask=False)

BASE_TYPES: dict[str, FactType] = {
    t.name: t
    for t in [
        FactType(
            "case",
            {
                "rid": _ID,
                "recording_force": _ID,
                "received_at": FieldSpec("int", nullable=False),
                "reporter_kind": _e(c.ReporterKind, nullable=False),
                "reporter_role": _e(
                    c.ProfessionalRole, "What is the professional reporter's role?"
                ),
                "acting_for_victim": _b("Is the reporter acting on behalf of the victim?"),
                "channel": _e(c.Channel, "How was the report received?"),
            },
            subject="rid",
        ),
        FactType(
            "victim",
            {
                "vid": _ID,
                EXISTS: _EXISTS,
                "kind": _e(Literal["person", "business"], nullable=False),
                "age": FieldSpec("int", True, None, "How old is the victim?"),
                "sex": _e(Literal["female", "male"], "What is the victim's sex?"),
                "ethnicity": FieldSpec("str", True, None, "What is the victim's ethnicity?"),
                "disability": _b("Does the victim have a disability?"),
                "vulnerable": _b("Is the victim vulnerable?"),
                "has_capacity": _b("Does the victim have mental capacity?"),
                "traceable": _b("Can the victim be traced and contacted?"),
                "confirmed": _b("Has the victim confirmed the report?"),
                "confirmed_at": FieldSpec("int", True, None, "When did the victim confirm?"),
                "objects_to_referral": _b("Does the victim object to a referral to support?"),
                "is_police_officer": _b("Is the victim a police officer on duty?"),
            },
            subject="vid",
        ),
        FactType(
            "offender",
            {
                "oid": _ID,
                EXISTS: _EXISTS,
                "age": FieldSpec("int", True, None, "How old is the offender?"),
            },
            subject="oid",
        ),
        FactType(
            "relationship",
            {
                "oid": _ID,
                "vid": _ID,
                EXISTS: _EXISTS,
                "kind": _e(c.RelationshipKind, nullable=False),
                "intimate": FieldSpec("bool", nullable=False),
                "family": FieldSpec("bool", nullable=False),
                "former": FieldSpec("bool", nullable=False),
            },
            subject="oid",
        ),
        FactType(
            "allegation",
            {
                "aid": _ID,
                "vid": FieldSpec("str", True, None, "Who is the victim?"),
                "offence": _e(c.OffenceKind, nullable=False),
                "incident": _ID,
                "occasion": _ID,
                "offender_count": FieldSpec("int", nullable=False),
                "received_at": FieldSpec("int", nullable=False),
                "in_force_area": _b("Did it happen in the recording force's area?"),
                "outside_england_and_wales": _b("Did it happen outside England and Wales?"),
                "disclosed_later": _b("Was it disclosed later in the investigation?"),
                "amounts_to_crime": _b(
                    "On the balance of probability, does the account amount to a crime in law?"
                ),
                "injury": _e(c.Injury, "What injury did the victim suffer?"),
                "intent_serious_harm": _b("Was there intent to cause really serious harm?"),
                "aggravating_feature": _b(
                    "Was there a weapon, biting, kicking on the ground, strangulation or similar?"
                ),
                "racially_or_religiously_aggravated": _b(
                    "Was racial or religious hostility demonstrated or the motive?"
                ),
                "hate_perceived": _b(
                    "Does the victim or anyone else perceive it as motivated by hostility?"
                ),
                "penetration": _b("Was there penetration?"),
                "victim_consented": _b("Did the victim consent?"),
                "force_on_person": _b("Was force used or threatened against the person?"),
                "threat_of_force": _b("Was the victim put in fear of force?"),
                "property_owner": _e(c.PropertyOwner, "Whose property was it?"),
                "item_carried_by_victim": _b("Was the item worn or carried by the victim?"),
                "mainly_business_property": _b(
                    "Was the business property worth more than the personal property?"
                ),
                "item_normally_personal": _b(
                    "Is the business item one normally seen as personal (phone, laptop)?"
                ),
                "theft_type": _e(c.TheftType, "What kind of theft was it?"),
                "damage_target": _e(c.DamageTarget, "What was damaged?"),
                "attempted": _b("Was it an attempt?"),
                "armed": _b("Was the offender armed with a weapon, firearm or explosive?"),
                "intended_target": _b("Was this victim's property the intended target?"),
                "diminished_responsibility": _b(
                    "Is it manslaughter on the grounds of diminished responsibility?"
                ),
                "resolved_by_warning": _b("Was it resolved by a warning, with no further action?"),
                "premises": _e(c.Premises, "What kind of premises?"),
                "life_endangered": _b("Was life endangered?"),
                "course_of_conduct": _b("Is there a course of conduct (two or more occasions)?"),
                "harassment_only": _b("Are the police satisfied it is harassment only?"),
                "fear_of_violence": _b("Was the victim put in fear of violence?"),
                "online": _b("Was it committed wholly or partly online?"),
                "public_order_section": _e(
                    c.PublicOrderSection, "Which section of the Public Order Act 1986?"
                ),
                "nrm_referral": _b("Did it come as a National Referral Mechanism referral?"),
                "recorded_after_hours": FieldSpec("int", True, None, "", ask=False),
            },
            subject="aid",
        ),
        FactType("involvement", {"aid": _ID, "oid": _ID, EXISTS: _EXISTS}, subject="aid"),
        FactType(
            "hostility",
            {"aid": _ID, EXISTS: _EXISTS, "strand": _e(c.HateStrand, nullable=False)},
            subject="aid",
        ),
        FactType(
            "evidence",
            {
                "eid": _ID,
                "aid": _ID,
                "kind": _e(c.EvidenceKind, nullable=False),
                "basis": _e(c.EvidenceBasis, "What is the information based on?"),
                "shows": _e(
                    c.EvidenceShows,
                    "What would the information show: that it did not happen, that it is not a "
                    "crime, only who the offender is, or a lawful excuse?",
                ),
                "verified": _b("Has the information been verified?"),
                "new_information": _b("Is it information the police did not already hold?"),
                "immediately_available": _b("Is it immediately available?"),
            },
            subject="eid",
        ),
        FactType(
            "proposal",
            {
                "pid": _ID,
                "aid": _ID,
                "category": _e(c.CancellationCategory, nullable=False),
                "proposer_role": _e(c.DeciderRole, "Who proposes the cancellation?"),
                "duplicate_of": FieldSpec("str", True, None, "Which record does it duplicate?"),
                "victim_informed": _b("Was the victim told of the cancellation, with reasons?"),
            },
            subject="pid",
        ),
    ]
}


def _k(kind: Kind = "str") -> FieldSpec:
    return FieldSpec(kind, nullable=False, role="key")


def _v(
    kind: Kind = "str", values: tuple[str, ...] | None = None, nullable: bool = False
) -> FieldSpec:
    return FieldSpec(kind, nullable=nullable, values=values, role="value")


def _d(kind: Kind = "str", values: tuple[str, ...] | None = None) -> FieldSpec:
    return FieldSpec(kind, nullable=True, values=values, role="detail")


RECORDING_OUTCOMES = ("record", "n100", "incident_only", "transfer")
DEADLINE_BASES = ("received", "confirmation", "disclosure")
DECIDERS = get_args(c.DeciderRole)

# Conclusions the decision builder turns into decision items.
OUTCOME_TYPES: dict[str, FactType] = {
    t.name: t
    for t in [
        FactType(
            "recording",
            {
                "aid": _k(),
                "outcome": _v("str", RECORDING_OUTCOMES),
                "n100_type": _v("str", ("N100/1", "N100/2", "N100/3"), nullable=True),
                "reason": _d(),
            },
            derived=True,
            functional=True,
            subject="aid",
            description="What to record for an allegation: a crime, an N100, an incident only, "
            "or a transfer to another force.",
        ),
        FactType(
            "classification",
            {"aid": _k(), "code": _v()},
            derived=True,
            functional=True,
            subject="aid",
            description="The Home Office classification code of an allegation.",
        ),
        FactType(
            "deadline",
            {"aid": _k(), "hours": _v("int"), "basis": _v("str", DEADLINE_BASES)},
            derived=True,
            functional=True,
            subject="aid",
            description="The recording deadline of a crime, in hours from its basis.",
        ),
        FactType(
            "absorbed",
            {"aid": _k(), "by": _k()},
            derived=True,
            subject="aid",
            description="A candidate crime not counted because another crime absorbs it.",
        ),
        FactType(
            "flag",
            {"aid": _k(), "flag": _k()},
            derived=True,
            subject="aid",
            description="A Home Office crime flag on a recorded crime.",
        ),
        FactType(
            "cancellation",
            {
                "pid": _k(),
                "allowed": _v("bool"),
                "category": _v("str", get_args(c.CancellationCategory)),
                "decider": _v("str", DECIDERS),
            },
            derived=True,
            functional=True,
            subject="pid",
            description="The ruling on a proposed cancellation or transfer.",
        ),
        FactType(
            "victim_duty",
            {"vid": _k(), "duty": _k(), "due_hours": _d("int"), "basis": _d("str", DEADLINE_BASES)},
            derived=True,
            subject="vid",
            description="A duty owed to a victim (Victims' Code, HOCR Section C).",
        ),
        FactType(
            "finding",
            {"subject": _k(), "code": _k(), "severity": _d("str", ("advisory", "breach"))},
            derived=True,
            subject="subject",
            description="An advisory or compliance finding about the case.",
        ),
    ]
}
