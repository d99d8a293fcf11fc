"""The decision: what must be recorded, as what, by when, and why.

Every item carries its reasons: the rules that produced it, each with its HOCR citation,
the facts it matched and its explanation. A decision states the rulebook edition and the
engine version, so it can be replayed. Lists are sorted, so the same case always gives the
same bytes.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    computed_field,
    model_serializer,
    model_validator,
)

from counting_rules.vocabulary import document_schema, meanings

__all__ = [
    "Absorbed",
    "CancellationRuling",
    "Citation",
    "Crime",
    "Decision",
    "Finding",
    "IncidentRecord",
    "N100Record",
    "Reason",
    "Referral",
    "StillNeeded",
    "Summary",
    "SummaryCrime",
    "SummaryDeadline",
    "SummaryN100",
    "SummaryRuling",
    "Transfer",
    "Undecided",
    "VictimDuty",
]

FactValue = str | int | bool


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", json_schema_extra=document_schema)


Confidence = Literal["high", "medium", "low"]
UndecidedStatus = Literal["facts_needed", "no_rule_applies"]
DeadlineKind = Literal["record_crime", "victim_duty"]
ReferTo = Literal["force_crime_registrar"]
meanings(
    Confidence,
    {
        "high": "An official text, read, says it.",
        "medium": "An official text says it as a secondary source quotes or summarises it, or "
        "was read only in part, or is applied to an edition whose text was not read.",
        "low": "An inference, or a source neither official nor quoting one.",
    },
)
meanings(
    UndecidedStatus,
    {
        "facts_needed": "Facts still needed decide the outcome (see still_needed).",
        "no_rule_applies": "No rule decides the outcome on these facts.",
    },
)
meanings(
    DeadlineKind,
    {"record_crime": "A crime to record.", "victim_duty": "A duty owed to a victim."},
)
meanings(ReferTo, {"force_crime_registrar": "The Force Crime Registrar decides."})


class Citation(_Out):
    """Where a rule comes from; ``interpretation`` marks a reading not verified in the text."""

    document: str = Field(
        description="The document the rule comes from.",
        examples=["Home Office, Crime Recording Rules for Frontline Officers and Staff 2026/27"],
    )
    section: str = Field(
        description="The section of the document.", examples=["Assaults: 8N assault with injury"]
    )
    paragraph: str | None = Field(
        None, description="The paragraph or page, where the section is long.", examples=["pp.43-45"]
    )
    edition: str | None = Field(
        None, description="The edition of the document read.", examples=["April 2026"]
    )
    url: str = Field(
        description="The official publication of the document.",
        examples=["https://www.gov.uk/government/publications/counting-rules-for-recorded-crime"],
    )
    read_at: str | None = Field(
        None,
        description="The copy actually read, where it is not the official publication.",
        examples=["https://hampshire-pcc.gov.uk/commissioner/partnership-working/victims-code"],
    )
    sources: tuple[str, ...] = Field(
        (),
        description="The project's ids of the sources read for the rule "
        "(docs/explanation/source-verification.md).",
        examples=[["R1", "S64"]],
    )
    confidence: Confidence = Field(
        description="How surely the sources read say what the rule says.", examples=["high"]
    )
    interpretation: bool = Field(
        False, description="True when the rule goes beyond what any source read says in words."
    )


class Reason(_Out):
    """One rule firing that supports an item."""

    rule_id: str = Field(
        description="The rule's id: its path in the rulebook, and its row.",
        examples=["crime_types/violence_against_the_person/assault/with_injury"],
    )
    title: str = Field(
        description="The rule's title.",
        examples=["An assault causing any injury, without intent, is classified 8N"],
    )
    citation: Citation = Field(description="Where the rule comes from.")
    explanation: str = Field(
        description="Why the rule fired for this case, in words.",
        examples=[
            "Allegation A1 is an assault that caused injury, so it is classified 8N, assault "
            "with injury."
        ],
    )
    facts: dict[str, dict[str, FactValue]] = Field(
        description="The facts the rule matched, by the rule's alias for them: each names "
        "its kind (``fact``), its ids and the fields the rule tests; times are ISO 8601.",
        examples=[
            {
                "a": {
                    "fact": "allegation",
                    "aid": "A1",
                    "offence": "assault",
                    "received_at": "2024-03-04T10:00:00+00:00",
                }
            }
        ],
    )


class Absorbed(_Out):
    """A candidate crime not counted separately, and why (HOCR Sections D to F)."""

    allegation_id: str = Field(
        description="The allegation not counted separately.", examples=["A2"]
    )
    code: str | None = Field(
        description="Its Home Office classification; null if still needed.", examples=["58D"]
    )
    title: str | None = Field(
        description="The classification's title.", examples=["Other criminal damage"]
    )
    absorbed_by: str = Field(description="The allegation whose crime absorbs it.", examples=["A1"])
    reasons: tuple[Reason, ...] = Field(
        description="The rules that absorbed it, each with its citation."
    )


class Crime(_Out):
    """A crime to record."""

    allegation_id: str = Field(
        description="The allegation recorded as this crime.", examples=["A1"]
    )
    victim_id: str | None = Field(
        description="Its victim; null for a state-based crime.", examples=["V1"]
    )
    offender_ids: tuple[str, ...] = Field(
        description="The offenders named for it.", examples=[["O1"]]
    )
    incident: str = Field(description="The incident it belongs to.", examples=["incident-1"])
    occasion: str = Field(description="The occasion within the incident.", examples=["occasion-1"])
    code: str | None = Field(
        description="Home Office classification; null if still needed.", examples=["8N"]
    )
    title: str | None = Field(
        description="The classification's title; null while the code is still needed.",
        examples=["Assault with injury"],
    )
    flags: tuple[str, ...] = Field(
        description="The Home Office flags on the crime (domestic_abuse, hate_race, online ...).",
        examples=[["domestic_abuse"]],
    )
    deadline: AwareDatetime | None = Field(
        description="When the crime must be recorded by; null if no deadline applies.",
        examples=["2024-03-05T10:00:00+00:00"],
    )
    deadline_basis: str | None = Field(
        description="What the deadline runs from: received (the report), confirmation (by the "
        "victim) or disclosure (later in the investigation).",
        examples=["received"],
    )
    absorbed: tuple[Absorbed, ...] = Field(
        description="The candidate crimes it absorbs, not counted separately."
    )
    reasons: tuple[Reason, ...] = Field(
        description="The rules that made it a crime, classified it, flagged it and set its "
        "deadline."
    )


class N100Record(_Out):
    """A reported rape or attempted rape recorded as an N100 incident, not (yet) a crime."""

    allegation_id: str = Field(description="The rape report recorded as an N100.", examples=["A4"])
    victim_id: str | None = Field(description="Its victim.", examples=["V3"])
    n100_type: str | None = Field(
        description="The N100 classification: N100/1, N100/2 or N100/3.", examples=["N100/1"]
    )
    reasons: tuple[Reason, ...] = Field(description="The rules that made it an N100.")


class IncidentRecord(_Out):
    """An incident recorded without a crime, with the reasons the audit trail needs."""

    allegation_id: str = Field(
        description="The allegation recorded as an incident only.", examples=["A2"]
    )
    victim_id: str | None = Field(description="Its victim, if one.", examples=["V1"])
    reason_codes: tuple[str, ...] = Field(
        description="Why no crime is recorded, as codes for the audit trail.",
        examples=[["not_a_crime_in_law"]],
    )
    reasons: tuple[Reason, ...] = Field(description="The rules that made it an incident only.")


class Transfer(_Out):
    """A crime to be transferred to the force where it happened (HOCR Annex A, C1)."""

    allegation_id: str = Field(
        description="The allegation whose crime is to be transferred.", examples=["A3"]
    )
    victim_id: str | None = Field(description="Its victim.", examples=["V1"])
    to_force: str | None = Field(
        description="The force to transfer it to, as the case names it; null if not known.",
        examples=["greater-manchester"],
    )
    reasons: tuple[Reason, ...] = Field(description="The rules that call for the transfer.")


class CancellationRuling(_Out):
    """The ruling on a proposal to cancel or transfer a crime record (HOCR Section C)."""

    proposal_id: str = Field(description="The proposal ruled on.", examples=["P1"])
    allegation_id: str = Field(
        description="The allegation whose crime record it would cancel or transfer.",
        examples=["A1"],
    )
    category: str = Field(
        description="The cancellation category proposed (C1 to C5).", examples=["C2"]
    )
    allowed: bool = Field(description="Whether the cancellation is allowed.")
    decider: str = Field(
        description="Who must decide it: officer, supervisor, designated_decision_maker or "
        "force_crime_registrar.",
        examples=["designated_decision_maker"],
    )
    reasons: tuple[Reason, ...] = Field(description="The rules that ruled on it.")


class VictimDuty(_Out):
    """Something the force owes the victim, with its due time where one applies."""

    victim_id: str = Field(description="The victim owed the duty.", examples=["V1"])
    duty: str = Field(
        description="What is owed (confirm_crime_recorded, inform_of_transfer, "
        "inform_of_cancellation, refer_to_support_services ...).",
        examples=["confirm_crime_recorded"],
    )
    due: AwareDatetime | None = Field(
        description="When it is due; null if no time applies.",
        examples=["2024-03-05T10:00:00+00:00"],
    )
    reasons: tuple[Reason, ...] = Field(description="The rules that owe it.")


class Finding(_Out):
    """An advisory or compliance finding (late recording, missing equality data, ...)."""

    subject: str = Field(
        description="What the finding is about: an allegation, victim or proposal id.",
        examples=["V1"],
    )
    code: str = Field(
        description="What was found, as a code.", examples=["missing_equality_data_ethnicity"]
    )
    severity: str = Field(
        description="advisory (good practice) or breach (of a rule).", examples=["advisory"]
    )
    reasons: tuple[Reason, ...] = Field(description="The rules that found it.")


class Referral(_Out):
    """Rules disagree on one subject: the Force Crime Registrar must decide."""

    subject_type: str = Field(
        description="The kind of subject the rules disagree on.", examples=["allegation"]
    )
    subject_id: str = Field(description="The subject's id.", examples=["A1"])
    conclusion: str = Field(description="What the rules disagree on.", examples=["classification"])
    values: tuple[dict[str, FactValue], ...] = Field(
        description="The values the rules came to, one each.",
        examples=[[{"code": "8N"}, {"code": "105A"}]],
    )
    refer_to: ReferTo = Field(
        "force_crime_registrar", description="Who must decide.", examples=["force_crime_registrar"]
    )
    reasons: tuple[Reason, ...] = Field(description="The rules that disagree.")


Settles = Literal["recording", "classification", "counting", "other"]
meanings(
    Settles,
    {
        "recording": "Whether a crime is recorded: the question blocks the decision.",
        "classification": "Which crime: it can only reclassify a crime recorded on what is known.",
        "counting": "How many crimes are counted (one crime per victim, the principal crime).",
        "other": "How a crime is flagged and followed up (deadlines, duties, findings).",
    },
)


class StillNeeded(_Out):
    """A fact that is unknown and that a rule needs before the decision is complete."""

    subject_type: str = Field(
        description="The kind of subject the fact is about.", examples=["allegation"]
    )
    subject_id: str = Field(description="The subject's id.", examples=["A1"])
    field: str = Field(description="The fact's field.", examples=["injury"])
    path: str = Field(
        description="Where the case holds it, e.g. allegations[A1].injury.",
        examples=["allegations[A1].injury"],
    )
    question: str = Field(
        description="The question to ask.", examples=["What injury did the victim suffer?"]
    )
    answer_type: str = Field(
        description="What the answer is: yes_no, number, text, choice, choices (several), "
        "date, date_time, id (of a person, an offender or an allegation), ids, items.",
        examples=["choice"],
    )
    choices: tuple[str, ...] = Field(
        (),
        description="The allowed answers, for a choice.",
        examples=[["none", "minor", "abh", "serious"]],
    )
    settles: Settles = Field(
        description="The most a known answer can change: whether a crime is recorded "
        "(recording), which crime (classification), how many crimes are counted "
        "(counting: one crime per victim, the principal crime), or how a crime is flagged "
        "and followed up (other). Recording questions block the decision; classification ones "
        "can only reclassify a crime recorded on what is known (HOCR Section B).",
        examples=["classification"],
    )
    needed_by: tuple[str, ...] = Field(
        description="The rules that need the fact.",
        examples=[["crime_types/violence_against_the_person/assault/with_injury"]],
    )


class Undecided(_Out):
    """An allegation with no recording outcome yet. Never read as "no crime"."""

    allegation_id: str = Field(description="The allegation with no outcome yet.", examples=["A1"])
    victim_id: str | None = Field(description="Its victim.", examples=["V1"])
    status: UndecidedStatus = Field(description="Why it is undecided.", examples=["facts_needed"])
    possible_outcomes: tuple[str, ...] = Field(
        description="The outcomes still possible: record, n100, incident_only, transfer.",
        examples=[["record", "incident_only"]],
    )


class SummaryCrime(_Out):
    """A crime to record, in brief."""

    allegation_id: str = Field(description="The allegation recorded.", examples=["A1"])
    victim_id: str | None = Field(
        description="Its victim; null for a state-based crime.", examples=["V1"]
    )
    code: str | None = Field(
        description="Home Office classification; null while still needed.", examples=["8N"]
    )
    title: str | None = Field(
        description="The classification's title.", examples=["Assault with injury"]
    )


class SummaryN100(_Out):
    """An N100 record, in brief."""

    allegation_id: str = Field(description="The rape report recorded as an N100.", examples=["A4"])
    victim_id: str | None = Field(description="Its victim.", examples=["V3"])
    n100_type: str | None = Field(description="The N100 type.", examples=["N100/1"])


class SummaryRuling(_Out):
    """A ruling on a proposal to cancel or transfer a crime record, in brief."""

    proposal_id: str = Field(description="The proposal ruled on.", examples=["P1"])
    allegation_id: str = Field(description="The crime record it would cancel.", examples=["A1"])
    category: str = Field(description="The cancellation category proposed.", examples=["C2"])
    allowed: bool = Field(description="Whether the cancellation is allowed.", examples=[False])


class SummaryDeadline(_Out):
    """Something due by a time: a crime to record, or a duty owed to a victim."""

    due: AwareDatetime = Field(
        description="When it is due.", examples=["2024-03-05T10:00:00+00:00"]
    )
    what: DeadlineKind = Field(
        description="A crime to record, or a duty owed to a victim.", examples=["record_crime"]
    )
    subject_id: str = Field(
        description="The allegation (for a crime) or the victim (for a duty).", examples=["A1"]
    )
    duty: str | None = Field(
        None, description="The victim duty, for a duty.", examples=["refer_to_support_services"]
    )


class Summary(_Out):
    """The decision in brief, for a reader or a system that wants only the outcome: what to
    record, the rulings, what is due when, and how much is still open. The detail, with
    every reason, follows in the decision's other fields."""

    crimes: tuple[SummaryCrime, ...] = Field(
        description="The crimes to record (absorbed allegations are not among them).",
        examples=[[{"allegation_id": "A1", "victim_id": "V1", "code": "8N", "title": "Assault"}]],
    )
    n100s: tuple[SummaryN100, ...] = Field(
        description="The rape reports recorded as N100s.",
        examples=[[{"allegation_id": "A4", "victim_id": "V3", "n100_type": "N100/1"}]],
    )
    incidents: tuple[str, ...] = Field(
        description="The allegations recorded as incidents only, no crime.", examples=[["A2"]]
    )
    transfers: tuple[str, ...] = Field(
        description="The allegations to transfer to the force where they happened.",
        examples=[["A3"]],
    )
    rulings: tuple[SummaryRuling, ...] = Field(
        description="The rulings on proposals to cancel or transfer a crime record.",
        examples=[
            [{"proposal_id": "P1", "allegation_id": "A1", "category": "C2", "allowed": False}]
        ],
    )
    deadlines: tuple[SummaryDeadline, ...] = Field(
        description="Everything due by a time, soonest first.",
        examples=[
            [{"due": "2024-03-05T10:00:00+00:00", "what": "record_crime", "subject_id": "A1"}]
        ],
    )
    still_needed: int = Field(
        description="How many questions are still to be answered.", examples=[0]
    )
    undecided: int = Field(description="How many allegations are undecided.", examples=[0])
    referrals: int = Field(
        description="How many subjects are referred to the Force Crime Registrar.", examples=[0]
    )


_DERIVED = ("complete", "summary")


class Decision(_Out):
    """Everything the rules decide about one case.

    As JSON it starts with ``complete`` and ``summary``, both derived from the rest (read
    back, they are computed again, never trusted), then the detail."""

    case_id: str = Field(description="The id of the case's report.", examples=["R1"])
    edition: str = Field(
        description="The rulebook edition in force for the case.", examples=["2023"]
    )
    edition_title: str = Field(
        description="The edition's title.",
        examples=["HOCR 2023 changes (principal offence approach)"],
    )
    rulebook: str = Field(description="The rulebook.", examples=["hocr"])
    rulebook_digest: str = Field(
        description="A digest of the rulebook's content, to replay the decision.",
        examples=["76ba45d3ab7a51f3"],
    )
    engine_version: str = Field(description="The engine's version.", examples=["0.1.0"])
    crimes: tuple[Crime, ...] = Field((), description="The crimes to record.")
    n100s: tuple[N100Record, ...] = Field((), description="The rape reports recorded as N100s.")
    incidents: tuple[IncidentRecord, ...] = Field(
        (), description="The allegations recorded as incidents only, no crime."
    )
    transfers: tuple[Transfer, ...] = Field(
        (), description="The crimes to transfer to the force where they happened."
    )
    cancellations: tuple[CancellationRuling, ...] = Field(
        (), description="The rulings on proposals to cancel or transfer a crime record."
    )
    victim_duties: tuple[VictimDuty, ...] = Field(
        (), description="What the force owes each victim."
    )
    findings: tuple[Finding, ...] = Field((), description="Advisory and compliance findings.")
    referrals: tuple[Referral, ...] = Field(
        (), description="Subjects the rules disagree on, for the Force Crime Registrar."
    )
    undecided: tuple[Undecided, ...] = Field(
        (), description="Allegations with no recording outcome yet."
    )
    still_needed: tuple[StillNeeded, ...] = Field(
        (), description="The facts still needed, each with its question."
    )
    may_change: tuple[str, ...] = Field(
        (),
        description="Rules whose firing rests on a fact not yet known: the decision may "
        "still change through them.",
        examples=[["general_rules/a_whether_and_when_to_record/record_within_24_hours"]],
    )

    @model_validator(mode="before")
    @classmethod
    def _derived_are_recomputed(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if k not in _DERIVED}
        return data

    # No return annotation: pydantic would take it for the serialized shape, and the JSON
    # Schema of a decision would lose every field.
    @model_serializer(mode="wrap")
    def _derived_first(self, handler: SerializerFunctionWrapHandler):  # type: ignore[no-untyped-def]
        out = handler(self)
        if not isinstance(out, dict):  # pragma: no cover - a model always dumps to a dict
            return out
        return {k: out[k] for k in _DERIVED if k in out} | out

    @computed_field(  # type: ignore[prop-decorator]
        description="True only when no part of the decision can still change: nothing still "
        "needed, undecided or referred, no rule resting on an unknown fact, every crime "
        "classified.",
        examples=[True],
    )
    @property
    def complete(self) -> bool:
        """True only when no part of the decision can still change: nothing still needed,
        undecided or referred, no rule resting on an unknown fact, every crime classified."""
        return not (
            self.still_needed
            or self.undecided
            or self.referrals
            or self.may_change
            or any(c.code is None for c in self.crimes)
            or any(a.code is None for c in self.crimes for a in c.absorbed)
        )

    @computed_field(  # type: ignore[prop-decorator]
        description="The decision in brief: what to record, the rulings, the deadlines and how "
        "much is still open.",
    )
    @property
    def summary(self) -> Summary:
        """The decision in brief (the detail is in the other fields)."""
        deadlines = [
            SummaryDeadline(due=c.deadline, what="record_crime", subject_id=c.allegation_id)
            for c in self.crimes
            if c.deadline is not None
        ] + [
            SummaryDeadline(due=v.due, what="victim_duty", subject_id=v.victim_id, duty=v.duty)
            for v in self.victim_duties
            if v.due is not None
        ]
        return Summary(
            crimes=tuple(
                SummaryCrime(
                    allegation_id=c.allegation_id, victim_id=c.victim_id, code=c.code, title=c.title
                )
                for c in self.crimes
            ),
            n100s=tuple(
                SummaryN100(
                    allegation_id=n.allegation_id, victim_id=n.victim_id, n100_type=n.n100_type
                )
                for n in self.n100s
            ),
            incidents=tuple(i.allegation_id for i in self.incidents),
            transfers=tuple(t.allegation_id for t in self.transfers),
            rulings=tuple(
                SummaryRuling(
                    proposal_id=r.proposal_id,
                    allegation_id=r.allegation_id,
                    category=r.category,
                    allowed=r.allowed,
                )
                for r in self.cancellations
            ),
            deadlines=tuple(
                sorted(deadlines, key=lambda d: (d.due, d.what, d.subject_id, d.duty or ""))
            ),
            still_needed=len(self.still_needed),
            undecided=len(self.undecided),
            referrals=len(self.referrals),
        )
