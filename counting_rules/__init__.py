"""counting-rules: the Home Office Counting Rules for Recorded Crime as data.

The public API is listed here, once, and pinned by a test. Everything else is private.
"""

from __future__ import annotations

from counting_rules._case.files import load_case_file as load_case
from counting_rules._common.limits import Limits
from counting_rules._engine.decide import (
    decide,
    decide_many,
    default_rulebook,
    edition_for,
    parse_case,
)
from counting_rules._explain.why_not import WhyNot, why_not
from counting_rules._rulebook.ir import Edition, Rulebook
from counting_rules._rulebook.loader import load_rulebook
from counting_rules._version import __version__
from counting_rules.case import (
    Allegation,
    CaseFacts,
    Evidence,
    Offender,
    Proposal,
    Relationship,
    Report,
    Reporter,
    Victim,
)
from counting_rules.decision import (
    Absorbed,
    CancellationRuling,
    Citation,
    Crime,
    Decision,
    Finding,
    IncidentRecord,
    N100Record,
    Reason,
    Referral,
    StillNeeded,
    Transfer,
    Undecided,
    VictimDuty,
)
from counting_rules.errors import (
    CaseFactsError,
    CaseFileError,
    CountingRulesError,
    EditionNotFoundError,
    EngineError,
    RulebookError,
    RuleConflictError,
    RuleSpecError,
    RuleTemplateError,
    ScenarioError,
    StratificationError,
    UnknownFactError,
    UsageError,
    WriteError,
)
from counting_rules.scenario import Scenario

__all__ = [
    "Absorbed",
    "Allegation",
    "CancellationRuling",
    "CaseFacts",
    "CaseFactsError",
    "CaseFileError",
    "Citation",
    "CountingRulesError",
    "Crime",
    "Decision",
    "Edition",
    "EditionNotFoundError",
    "EngineError",
    "Evidence",
    "Finding",
    "IncidentRecord",
    "Limits",
    "N100Record",
    "Offender",
    "Proposal",
    "Reason",
    "Referral",
    "Relationship",
    "Report",
    "Reporter",
    "RuleConflictError",
    "RuleSpecError",
    "RuleTemplateError",
    "Rulebook",
    "RulebookError",
    "Scenario",
    "ScenarioError",
    "StillNeeded",
    "StratificationError",
    "Transfer",
    "Undecided",
    "UnknownFactError",
    "UsageError",
    "Victim",
    "VictimDuty",
    "WhyNot",
    "WriteError",
    "__version__",
    "decide",
    "decide_many",
    "default_rulebook",
    "edition_for",
    "load_case",
    "load_rulebook",
    "parse_case",
    "why_not",
]
