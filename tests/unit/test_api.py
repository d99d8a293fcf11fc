"""The public API is declared once, in counting_rules.__all__, and pinned here."""

from __future__ import annotations

import counting_rules

PUBLIC = {
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
    "ScenarioError",
    "StratificationError",
    "Transfer",
    "Undecided",
    "UnknownFactError",
    "UsageError",
    "WriteError",
    "Victim",
    "VictimDuty",
    "WhyNot",
    "__version__",
    "decide",
    "decide_many",
    "default_rulebook",
    "edition_for",
    "load_case",
    "load_rulebook",
    "parse_case",
    "why_not",
}


def test_all_is_exactly_the_public_api() -> None:
    assert set(counting_rules.__all__) == PUBLIC
    assert list(counting_rules.__all__) == sorted(counting_rules.__all__, key=str)


def test_every_public_name_exists() -> None:
    for name in counting_rules.__all__:
        assert hasattr(counting_rules, name), name
