"""One per-record audit finding: what the force did that the rules' decision did not require.

Each kind's sentence is written once, in ``SENTENCES``; ``finding`` fills it from the
finding's ids and details. docs/reference/as-recorded.md gives each kind's rule basis.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from counting_rules.decision import Reason

__all__ = ["SENTENCES", "AuditFinding", "CrimeGroup", "FindingKind", "finding"]

FindingKind = Literal[
    "crime_not_recorded",
    "wrong_classification",
    "wrong_count",
    "recorded_late",
    "n100_instead_of_crime",
    "n100_not_converted",
    "c4_for_substantive_crime",
    "cancellation_not_allowed",
    "wrong_decider",
    "victim_not_told",
    "incident_closed_without_crime",
    "cannot_judge",
]
# The groups an inspection reports recording rates for; every other offence is "other".
CrimeGroup = Literal["violence", "sexual_offences", "rape", "robbery", "other"]
Detail = str | int

SENTENCES: Mapping[FindingKind, str] = {
    "crime_not_recorded": "No crime was recorded for allegation {allegation} ({victim}); the "
    "rules require {decided_code} {decided_title}.",
    "wrong_classification": "The crime for allegation {allegation} was recorded as "
    "{recorded_code}; the rules classify it as {decided_code} {decided_title}.",
    "wrong_count": "{recorded_count} crime(s) were recorded for {victim}; the rules count "
    "{decided_count}.",
    "recorded_late": "The crime for allegation {allegation} was recorded {hours_late} hour(s) "
    "after its deadline of {deadline}.",
    "n100_instead_of_crime": "An N100 was made for allegation {allegation} where the rules "
    "require a crime from the outset: {decided_code} {decided_title}.",
    "n100_not_converted": "The N100 for allegation {allegation} was not converted to a crime "
    "when the victim confirmed the report; the rules require {decided_code} {decided_title}.",
    "c4_for_substantive_crime": "The crime for allegation {allegation} was cancelled as created "
    "in error (C4), but the rules require it: {decided_code} {decided_title}.",
    "cancellation_not_allowed": "The {category} cancellation of the crime for allegation "
    "{allegation} is one the rules do not allow.",
    "wrong_decider": "The {category} cancellation of the crime for allegation {allegation} was "
    "decided by the {recorded_decider}; the rules give it to the {decider}.",
    "victim_not_told": "The victim ({victim}) was not told of the {category} cancellation of "
    "the crime for allegation {allegation}.",
    "incident_closed_without_crime": "The incident was closed ({closing_code}) with no crime "
    "recorded for allegation {allegation}, where the rules require {decided_code} "
    "{decided_title}.",
    "cannot_judge": "Whether {question} for allegation {allegation} cannot be judged yet; still "
    "needed: {needed}.",
}


class AuditFinding(BaseModel):
    """Where the force's records (``case.as_recorded``) differ from the rules' decision, or
    where they cannot yet be compared (``cannot_judge``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: FindingKind
    about: FindingKind | None = Field(
        None, description="For cannot_judge: the finding that could not yet be judged."
    )
    allegation_id: str | None
    victim_id: str | None
    crime_group: CrimeGroup | None = Field(
        description="The group of the crime the rules require (or, failing one, of the crime "
        "recorded): violence, sexual_offences, rape, robbery or other."
    )
    sentence: str
    details: dict[str, Detail] = Field(
        description="The values the sentence names: codes, counts, hours, roles."
    )
    reasons: tuple[Reason, ...] = Field(
        description="The decision's reasons that show what the rules required."
    )
    still_needed: tuple[str, ...] = Field(
        (), description="For cannot_judge: where the case or its record needs a fact."
    )


_QUESTIONS: Mapping[FindingKind | None, str] = {
    None: "the force recorded it rightly",
    "wrong_classification": "the crime was classified rightly",
    "recorded_late": "the crime was recorded in time",
    "cancellation_not_allowed": "the cancellation was allowed",
    "wrong_decider": "the right person decided the cancellation",
    "victim_not_told": "the victim was told of the cancellation",
}


def finding(
    kind: FindingKind,
    allegation_id: str | None,
    victim_id: str | None,
    *,
    group: CrimeGroup | None,
    reasons: Iterable[Reason] = (),
    about: FindingKind | None = None,
    still_needed: Iterable[str] = (),
    details: Mapping[str, Detail] | None = None,
) -> AuditFinding:
    """A finding of ``kind``, its sentence filled from the ids and ``details``; reasons are
    kept once per rule, in rule-id order."""
    needed = tuple(dict.fromkeys(still_needed))
    details = dict(details or {})
    values: dict[str, Detail] = {
        "allegation": allegation_id or "(none)",
        "victim": f"victim {victim_id}" if victim_id else "no victim",
        "question": _QUESTIONS.get(about, _QUESTIONS[None]),
        "needed": "; ".join(needed),
        **details,
    }
    unique = {r.rule_id: r for r in reasons}
    return AuditFinding(
        kind=kind,
        about=about,
        allegation_id=allegation_id,
        victim_id=victim_id,
        crime_group=group,
        sentence=SENTENCES[kind].format_map(values),
        details=dict(details),
        reasons=tuple(unique[k] for k in sorted(unique)),
        still_needed=needed,
    )
