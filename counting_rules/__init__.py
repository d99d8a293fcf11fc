"""counting-rules: the Home Office Counting Rules for Recorded Crime as data.

The public API is listed here, once, and pinned by a test. Everything else is private.
"""

from __future__ import annotations

from ._decide import decide, default_rulebook, edition_for, parse_case
from ._ir import Edition, Rulebook
from ._limits import Limits
from ._loader import load_rulebook
from ._version import __version__
from ._whynot import WhyNot, why_not
from .case import (
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
from .decision import (
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
from .errors import (
    CaseFactsError,
    CaseFileError,
    CountingRulesError,
    EditionNotFoundError,
    EngineError,
    RulebookError,
    RuleConflictError,
    RuleSpecError,
    RuleTemplateError,
    StratificationError,
    UnknownFactError,
    UsageError,
)
from .scenario import Scenario

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
    "StillNeeded",
    "StratificationError",
    "Transfer",
    "Undecided",
    "UnknownFactError",
    "UsageError",
    "Victim",
    "VictimDuty",
    "WhyNot",
    "__version__",
    "decide",
    "default_rulebook",
    "edition_for",
    "load_rulebook",
    "parse_case",
    "why_not",
]
