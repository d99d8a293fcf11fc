"""The fact schema rules are checked against: fact types, their fields, kinds and questions.

Base fact types are flattened from :class:`~counting_rules.case.CaseFacts` by ``_engine.facts``.
Outcome types are the conclusions the decision builder understands. A rulebook may declare
more (intermediate) types in its ``vocabulary.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal, get_args, get_origin

from pydantic import BaseModel

from counting_rules import case as c

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
# match a possible fact, and the decision asks for it (``_engine.still_needed``).
EXISTS = "exists"
POSSIBLE_TYPES: dict[str, frozenset[str]] = {
    "victim": frozenset({"vid"}),
    "offender": frozenset({"oid"}),
    "relationship": frozenset({"oid", "vid"}),
    "involvement": frozenset({"aid", "oid"}),
    "hostility": frozenset({"aid"}),
}
_EXISTS = FieldSpec("bool", True, None, "", ask=False)


def _copied(model: type[BaseModel], name: str) -> FieldSpec:
    """The fact field a case field is copied into: kind, values and question all read from
    the case model, where each fact's question is written once (its ``description``)."""
    info = model.model_fields[name]
    args = [a for a in get_args(info.annotation) if a is not type(None)] or [info.annotation]
    (base,) = args
    question = info.description or ""
    if get_origin(base) is Literal:
        return FieldSpec("str", True, tuple(get_args(base)), question)
    if get_origin(base) is Annotated:
        base = get_args(base)[0]
    if base is bool:
        return FieldSpec("bool", True, None, question)
    if base is int:
        return FieldSpec("int", True, None, question)
    if base is str:
        return FieldSpec("str", True, None, question)
    raise TypeError(f"{model.__name__}.{name}: no fact kind for {base!r}")  # pragma: no cover


def _all_copied(model: type[BaseModel], names: tuple[str, ...]) -> dict[str, FieldSpec]:
    return {n: _copied(model, n) for n in names}


# Case fields copied unchanged onto the fact of their section (``_facts.flatten``): the fact
# field has the case field's name, kind, values and question.
COPIED: dict[str, tuple[str, ...]] = {
    "victim": (
        "age",
        "sex",
        "ethnicity",
        "disability",
        "vulnerable",
        "has_capacity",
        "traceable",
        "confirmed",
        "supports_action",
        "objects_to_referral",
        "is_police_officer",
    ),
    "allegation": tuple(
        n
        for n in c.Allegation.model_fields
        if n
        not in {
            "id",
            "offence",
            "victim",
            "offenders",
            "incident",
            "occasion",
            "occurred_on",
            "occurred_in_force",
            "reported_at",
            "hostility_perceived",
            "business_property_value",
            "personal_property_value",
            "recorded_at",
        }
    ),
    "evidence": (
        "basis",
        "shows",
        "verified",
        "new_information",
        "immediately_available",
    ),
    # onto the case fact, prefixed: reporter_role, reporter_identified
    "reporter": ("role", "identified"),
}

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
                **{f"reporter_{n}": _copied(c.Reporter, n) for n in COPIED["reporter"]},
                "channel": _copied(c.Report, "channel"),
            },
            subject="rid",
        ),
        FactType(
            "victim",
            {
                "vid": _ID,
                EXISTS: _EXISTS,
                "kind": _e(Literal["person", "business"], nullable=False),
                **_all_copied(c.Victim, COPIED["victim"]),
                "confirmed_at": FieldSpec("int", True, None, "When did the victim confirm?"),
            },
            subject="vid",
        ),
        FactType(
            "offender",
            {
                "oid": _ID,
                EXISTS: _EXISTS,
                "age": _copied(c.Offender, "age"),
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
                # Identity keys for grouping by "the same offender" and "reported together":
                # the named offenders in a canonical order ("" for none), the receipt time.
                "offender_key": _ID,
                "report_key": _ID,
                "in_force_area": _b("Did it happen in the recording force's area?"),
                **_all_copied(c.Allegation, COPIED["allegation"]),
                "hate_perceived": _b(
                    "Does the victim or anyone else perceive it as motivated by hostility?"
                ),
                "mainly_business_property": _b(
                    "Was the business property worth more than the personal property?"
                ),
                "recorded_after_hours": FieldSpec("int", True, None, "", ask=False),
                "recorded_after_confirmation_hours": FieldSpec("int", True, None, "", ask=False),
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
                **_all_copied(c.Evidence, COPIED["evidence"]),
                # after the allegation was recorded as a crime (no recorded_at: not recorded)
                "obtained_after_recording": _b(
                    c.Evidence.model_fields["obtained_at"].description or ""
                ),
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
        FactType(
            "officer_proposal",
            {
                "opid": _ID,
                "aid": _ID,
                "outcome": _e(c.ProposedOutcome, nullable=False),
                "basis": _copied(c.OfficerProposal, "basis"),
            },
            subject="opid",
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
            },
            derived=True,
            functional=True,
            subject="pid",
            description="The ruling on a proposed cancellation or transfer.",
        ),
        FactType(
            "cancellation_decider",
            {"pid": _k(), "decider": _v("str", DECIDERS)},
            derived=True,
            functional=True,
            subject="pid",
            description="Who decides a proposed cancellation or transfer.",
        ),
        FactType(
            "victim_duty",
            {
                "vid": _k(),
                "duty": _k(),
                "due_hours": _d("int"),
                "due_working_days": _d("int"),  # Victims' Code deadlines, on a real calendar
                "basis": _d("str", DEADLINE_BASES),
            },
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
