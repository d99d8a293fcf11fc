"""The typed intermediate form every rule is validated into. Both evaluators are built
from it: the durable_rules compiler and the plain-Python reference evaluator."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Literal

from counting_rules._rulebook.fact_types import FactType
from counting_rules._rulebook.file_format import CitationSpec

if TYPE_CHECKING:
    from jinja2 import Template

    from counting_rules._rulebook.sources import Register

Op = Literal["eq", "ne", "lt", "le", "gt", "ge", "in", "not_in", "known"]
Scalar = str | int | bool
Variant = Literal["sure", "maybe"]

APPLIES = "$applies"  # hidden fact: an overriding rule applies to a subject
STRATUM = "$stratum"  # hidden gate fact: stratum n may start
SENTINEL = "$case"  # hidden fact every case asserts, matched by a no-op rule


@dataclass(frozen=True)
class Ref:
    """A reference to a field of a fact bound earlier in the same rule."""

    alias: str
    field: str


@dataclass(frozen=True)
class Cond:
    """``<field> <op> <value>`` on one fact; ``value`` is a literal, a tuple, or a Ref."""

    field: str
    op: Op
    value: Scalar | tuple[Scalar, ...] | Ref
    nullable: bool  # the field can be unknown on this fact type

    @property
    def rests_on_unknown(self) -> bool:
        """Can this condition be undecided because its field is unknown? (``known: false``
        is decided either way: it holds exactly while the field is unknown.)"""
        return self.nullable and not (self.op == "known" and self.value is False)


@dataclass(frozen=True)
class Pattern:
    """A fact that must be present (bound to ``alias``) or absent (``negated``)."""

    type: str
    alias: str  # generated for negated patterns
    negated: bool
    conds: tuple[Cond, ...]
    derived: bool  # the fact type is concluded by rules (facts carry a mode)


@dataclass(frozen=True)
class Lookup:
    """A table look-up: ``table.column`` at ``key``."""

    table: str
    column: str
    key: Ref | Scalar


Expr = Ref | Lookup | Scalar


@dataclass(frozen=True)
class Conclusion:
    """The derived fact a rule asserts."""

    type: str
    fields: tuple[tuple[str, Expr], ...]


@dataclass(frozen=True)
class Rule:
    """A rule as loaded, independent of edition."""

    id: str
    title: str
    description: str
    citation: CitationSpec
    precedence: Literal["general", "crime_type"]
    overrides: tuple[str, ...]
    patterns: tuple[Pattern, ...]
    conclusion: Conclusion
    file: str
    line: int
    in_force_from: str
    in_force_until: str | None
    overrides_when: Literal["possible", "known"] = "possible"


@dataclass(frozen=True)
class CompiledRule:
    """A rule as compiled into one edition: its stratum, variants and override guards."""

    index: int
    rule: Rule
    patterns: tuple[Pattern, ...]  # including the negations added for overrides
    stratum: int
    can_be_maybe: bool
    emits_applies: bool  # other rules in this edition override this one

    @property
    def id(self) -> str:
        return self.rule.id

    @cached_property
    def _positives(self) -> tuple[Pattern, ...]:
        return tuple(p for p in self.patterns if not p.negated)

    @cached_property
    def types(self) -> frozenset[str]:
        """Every fact type the rule's patterns look at."""
        return frozenset(p.type for p in self.patterns)

    def positives(self) -> tuple[Pattern, ...]:
        return self._positives


@dataclass(frozen=True)
class Table:
    """A data table rules consult by key."""

    name: str
    rows: dict[str, dict[str, Scalar]]


@dataclass(frozen=True)
class Edition:
    """One edition: the rules in force from ``in_force_from`` until the next edition."""

    id: str
    title: str
    in_force_from: date
    in_force_until: date | None
    summary: str
    rules: tuple[CompiledRule, ...]
    max_stratum: int
    maybe_types: frozenset[str]

    @property
    def ruleset_name(self) -> str:
        return f"hocr@{self.in_force_from.isoformat()}"


@dataclass(frozen=True)
class Rulebook:
    """Every edition of a rulebook, with the schema and tables its rules use."""

    name: str
    title: str
    editions: tuple[Edition, ...]
    types: dict[str, FactType]
    tables: dict[str, Table]
    rules: dict[str, Rule]
    sources: Register = field(repr=False)  # the source register every citation's ids are in
    templates: dict[str, str] = field(repr=False)  # rule id -> template source
    digest: str = ""
    compiled_templates: dict[str, Template] = field(default_factory=dict, repr=False, compare=False)
    # What later stages build from this rulebook once and keep with it (an evaluator per
    # edition): owned here so nothing is cached at module level, dropped with the rulebook.
    caches: dict[object, object] = field(default_factory=dict, repr=False, compare=False)

    def edition(self, edition_id: str) -> Edition:
        for ed in self.editions:
            if ed.id == edition_id:
                return ed
        raise KeyError(edition_id)
