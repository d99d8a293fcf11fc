"""The service's own request and response documents (the case and the decision are the
library's models, used as they are)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from counting_rules._explain.why_not import WhyNot
from counting_rules.decision import Citation, StillNeeded

__all__ = [
    "Health",
    "RuleDoc",
    "RuleSummary",
    "RulebooksDoc",
    "ScenarioSummary",
    "StillNeededAnswer",
    "WhyNotAnswer",
    "WhyNotRequest",
]


class _Doc(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class WhyNotRequest(_Doc):
    """A case and the rules to ask about."""

    case: dict[str, Any] = Field(description="The case, as POST /v1/decide takes it.")
    rule_ids: tuple[str, ...] = Field(min_length=1, max_length=50)
    subject: str | None = Field(
        None, description="An id in the case (allegation, victim, ...) to ask about."
    )


class WhyNotAnswer(_Doc):
    """Why each rule asked about did or did not fire."""

    answers: tuple[WhyNot, ...]


class StillNeededAnswer(_Doc):
    """The interview: what to ask next, in order, each with its answer type."""

    case_id: str
    edition: str
    rulebook_digest: str
    engine_version: str
    complete: bool = Field(description="True when nothing in the decision can still change.")
    questions: tuple[StillNeeded, ...]


class Edition(_Doc):
    edition: str
    title: str
    in_force_from: str
    in_force_until: str | None
    rules: int
    strata: int


class RuleSummary(_Doc):
    id: str
    title: str
    editions: tuple[str, ...]
    citation: Citation


class RulebooksDoc(_Doc):
    """The rulebook a worker serves: its editions and every rule."""

    rulebook: str
    title: str
    digest: str
    engine_version: str
    editions: tuple[Edition, ...]
    rules: tuple[RuleSummary, ...]


class RuleDoc(_Doc):
    """One rule in full."""

    id: str
    title: str
    description: str
    citation: Citation
    precedence: str
    overrides: tuple[str, ...]
    in_force_from: str
    in_force_until: str | None
    editions: tuple[str, ...]
    file: str
    template: str = Field(description="The explanation template (Jinja2, sandboxed).")


class ScenarioSummary(_Doc):
    id: str
    title: str
    audience: tuple[str, ...]
    edition: str
    stages: int
    teaches: tuple[str, ...]


class Health(_Doc):
    status: str
    rulebook: str | None = None
    digest: str | None = None
    engine_version: str
