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
    model_config = ConfigDict(frozen=True, extra="forbid")


class Citation(_Out):
    """Where a rule comes from; ``interpretation`` marks a reading not verified in the text."""

    document: str
    section: str
    paragraph: str | None = None
    edition: str | None = None
    url: str = Field(description="The official publication of the document.")
    read_at: str | None = Field(
        None, description="The copy actually read, where it is not the official publication."
    )
    sources: tuple[str, ...] = ()
    confidence: Literal["high", "medium", "low"]
    interpretation: bool = False


class Reason(_Out):
    """One rule firing that supports an item."""

    rule_id: str
    title: str
    citation: Citation
    explanation: str
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

    allegation_id: str
    code: str | None
    title: str | None
    absorbed_by: str
    reasons: tuple[Reason, ...]


class Crime(_Out):
    """A crime to record."""

    allegation_id: str
    victim_id: str | None
    offender_ids: tuple[str, ...]
    incident: str
    occasion: str
    code: str | None = Field(description="Home Office classification; null if still needed.")
    title: str | None
    flags: tuple[str, ...]
    deadline: AwareDatetime | None
    deadline_basis: str | None
    absorbed: tuple[Absorbed, ...]
    reasons: tuple[Reason, ...]


class N100Record(_Out):
    """A reported rape or attempted rape recorded as an N100 incident, not (yet) a crime."""

    allegation_id: str
    victim_id: str | None
    n100_type: str | None
    reasons: tuple[Reason, ...]


class IncidentRecord(_Out):
    """An incident recorded without a crime, with the reasons the audit trail needs."""

    allegation_id: str
    victim_id: str | None
    reason_codes: tuple[str, ...]
    reasons: tuple[Reason, ...]


class Transfer(_Out):
    """A crime to be transferred to the force where it happened (HOCR Annex A, C1)."""

    allegation_id: str
    victim_id: str | None
    to_force: str | None
    reasons: tuple[Reason, ...]


class CancellationRuling(_Out):
    """The ruling on a proposal to cancel or transfer a crime record (HOCR Section C)."""

    proposal_id: str
    allegation_id: str
    category: str
    allowed: bool
    decider: str
    reasons: tuple[Reason, ...]


class VictimDuty(_Out):
    """Something the force owes the victim, with its due time where one applies."""

    victim_id: str
    duty: str
    due: AwareDatetime | None
    reasons: tuple[Reason, ...]


class Finding(_Out):
    """An advisory or compliance finding (late recording, missing equality data, ...)."""

    subject: str
    code: str
    severity: str
    reasons: tuple[Reason, ...]


class Referral(_Out):
    """Rules disagree on one subject: the Force Crime Registrar must decide."""

    subject_type: str
    subject_id: str
    conclusion: str
    values: tuple[dict[str, FactValue], ...]
    refer_to: Literal["force_crime_registrar"] = "force_crime_registrar"
    reasons: tuple[Reason, ...]


Settles = Literal["recording", "classification", "counting", "other"]


class StillNeeded(_Out):
    """A fact that is unknown and that a rule needs before the decision is complete."""

    subject_type: str
    subject_id: str
    field: str
    path: str = Field(description="Where the case holds it, e.g. allegations[A1].injury.")
    question: str
    answer_type: str = Field(
        description="What the answer is: yes_no, number, text, choice, choices (several), "
        "date, date_time, id (of a person or force), ids, items."
    )
    choices: tuple[str, ...] = Field((), description="The allowed answers, for a choice.")
    settles: Settles = Field(
        description="The most a known answer can change: whether a crime is recorded "
        "(recording), which crime (classification), how many crimes are counted "
        "(counting: one crime per victim, the principal crime), or how a crime is flagged "
        "and followed up (other). Recording questions block the decision; classification ones "
        "can only reclassify a crime recorded on what is known (HOCR Section B)."
    )
    needed_by: tuple[str, ...]


class Undecided(_Out):
    """An allegation with no recording outcome yet. Never read as "no crime"."""

    allegation_id: str
    victim_id: str | None
    status: Literal["facts_needed", "no_rule_applies"]
    possible_outcomes: tuple[str, ...]


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
    what: Literal["record_crime", "victim_duty"] = Field(
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

    case_id: str
    edition: str
    edition_title: str
    rulebook: str
    rulebook_digest: str
    engine_version: str
    crimes: tuple[Crime, ...] = ()
    n100s: tuple[N100Record, ...] = ()
    incidents: tuple[IncidentRecord, ...] = ()
    transfers: tuple[Transfer, ...] = ()
    cancellations: tuple[CancellationRuling, ...] = ()
    victim_duties: tuple[VictimDuty, ...] = ()
    findings: tuple[Finding, ...] = ()
    referrals: tuple[Referral, ...] = ()
    undecided: tuple[Undecided, ...] = ()
    still_needed: tuple[StillNeeded, ...] = ()
    may_change: tuple[str, ...] = Field(
        (),
        description="Rules whose firing rests on a fact not yet known: the decision may "
        "still change through them.",
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
