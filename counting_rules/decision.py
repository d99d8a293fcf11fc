"""The decision: what must be recorded, as what, by when, and why.

Every item carries its reasons: the rules that produced it, each with its HOCR citation,
the facts it matched and its explanation. A decision states the rulebook edition and the
engine version, so it can be replayed. Lists are sorted, so the same case always gives the
same bytes.
"""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

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
        description="The facts the rule matched, by the rule's alias for them."
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


Settles = Literal["recording", "classification", "other"]


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
        "(recording), which crime (classification), or how it is counted, flagged and "
        "followed up (other). Recording questions block the decision; classification ones "
        "can only reclassify a crime recorded on what is known (HOCR Section B)."
    )
    needed_by: tuple[str, ...]


class Undecided(_Out):
    """An allegation with no recording outcome yet. Never read as "no crime"."""

    allegation_id: str
    victim_id: str | None
    status: Literal["facts_needed", "no_rule_applies"]
    possible_outcomes: tuple[str, ...]


class Decision(_Out):
    """Everything the rules decide about one case."""

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
