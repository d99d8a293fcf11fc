"""The rulebook file formats, as pydantic models: what a rule, an edition list, a table
and a vocabulary file may contain. Anything else is rejected with a "did you mean"."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Confidence = Literal["high", "medium", "low"]
_ALIAS = re.compile(r"^[a-z][a-z0-9_]{0,15}$")
_SENTENCE = re.compile(r"^[A-Z].*[.]$", re.S)


def _one_sentence(cls: type, v: str) -> str:
    """A rule's or a table's description is one sentence, ending with a period."""
    if not _SENTENCE.match(v.strip()):
        raise ValueError("write the description as one sentence ending with a period")
    return v


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


_URL = r"^https?://\S+$"


class CitationSpec(_Spec):
    """Where a rule comes from: ``url`` is the document's official publication, ``read_at``
    the copy actually read where that was another. ``interpretation: true`` marks an
    unverified reading."""

    document: str = Field(min_length=3)
    section: str = Field(min_length=1)
    paragraph: str | None = None
    edition: str | None = None
    url: str = Field(pattern=_URL)
    read_at: str | None = Field(None, pattern=_URL)
    sources: tuple[str, ...] = ()
    confidence: Confidence
    interpretation: bool = False
    note: str | None = None


class InForceSpec(_Spec):
    """The editions a rule is in force in: from ``from`` up to (not including) ``until``."""

    from_: str = Field(alias="from")
    until: str | None = None


class PatternSpec(_Spec):
    """One pattern of a rule's ``when``: a fact that must match, or one that must be absent."""

    match: str | None = None
    absent: str | None = None
    as_: str | None = Field(None, alias="as")
    where: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _one_kind(self) -> PatternSpec:
        if (self.match is None) == (self.absent is None):
            raise ValueError("give exactly one of 'match' or 'absent'")
        if self.match is not None and self.as_ is None:
            raise ValueError("a 'match' pattern needs 'as: <alias>' so later patterns can join it")
        if self.absent is not None and self.as_ is not None:
            raise ValueError("an 'absent' pattern cannot have an alias: nothing is bound")
        if self.as_ is not None and not _ALIAS.match(self.as_):
            raise ValueError(f"alias {self.as_!r} must be lower case letters, digits, _")
        return self


class RuleSpec(_Spec):
    """One rule file: ``<rule id>.yaml``, with ``<rule id>.md.j2`` beside it."""

    title: str = Field(min_length=3, max_length=120)
    description: str
    citation: CitationSpec
    in_force: InForceSpec
    precedence: Literal["general", "crime_type"] = "general"
    overrides: tuple[str, ...] = ()
    # "possible": the rules it overrides wait while this rule may yet apply (an unknown fact).
    # "known": they go on deciding until this rule is known to apply; the decision still
    # asks for the facts that would make it apply (decide on what is known, HOCR Section B).
    overrides_when: Literal["possible", "known"] = "possible"
    when: tuple[PatternSpec, ...] = Field(min_length=1)
    then: dict[str, dict[str, Any]]

    _sentence = field_validator("description")(_one_sentence)

    @field_validator("then")
    @classmethod
    def _one_conclusion(cls, v: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        if len(v) != 1:
            raise ValueError("'then' must name exactly one conclusion type")
        return v


class TableBody(_Spec):
    """The columns of a decision table: the facts it matches (the first is its subject),
    the conclusion each row draws (``$row.<output>`` takes the row's value), the hit policy."""

    # unique: no two rows match one case; any: rows that both match conclude the same;
    # first: rows in priority order, an earlier row displacing a later one once it is known
    # to apply (decide on what is known, reclassify when more is known: HOCR Section B);
    # collect: every row that matches concludes (findings, flags: types with many values).
    hit_policy: Literal["unique", "any", "first", "collect"] = "unique"
    when: tuple[PatternSpec, ...] = Field(min_length=1)
    inputs: tuple[str, ...] = Field(min_length=1)
    outputs: tuple[str, ...] = ()
    then: dict[str, dict[str, Any]]

    @field_validator("inputs")
    @classmethod
    def _qualified(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for name in v:
            if not re.match(r"^[a-z][a-z0-9_]{0,15}\.[a-z][a-z0-9_]*$", name):
                raise ValueError(f"input column {name!r} must be <alias>.<field>")
        return v


class RowSpec(BaseModel):
    """One row of a decision table: a rule of its own (``<table id>/<row id>``). Cells are
    keyed by column; an omitted cell or ``-`` is not tested, so the row binds only the facts
    its cells test."""

    model_config = ConfigDict(extra="allow", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")
    title: str = Field(min_length=3, max_length=120)
    description: str | None = None
    citation: CitationSpec | str | None = None  # a citation, or a key of the table's citations
    section: str | None = Field(default=None, min_length=3)  # of that citation, for this row
    explanation: str | None = Field(default=None, min_length=3)  # template; else the file's


class UncoveredSpec(BaseModel):
    """Combinations a table leaves to other rules on purpose, and why: cells keyed by column as
    in a row (none: whatever no row covers). ``check`` lists every other gap."""

    model_config = ConfigDict(extra="allow", frozen=True)

    why: str = Field(min_length=10)


class TableSpec(_Spec):
    """A decision table file: one rule per row, sharing a citation, an edition range and an
    explanation template (``rule.title`` names the row)."""

    title: str = Field(min_length=3, max_length=120)
    description: str
    citation: CitationSpec
    in_force: InForceSpec
    precedence: Literal["general", "crime_type"] = "general"
    overrides: tuple[str, ...] = ()  # every row overrides these (as a rule file's would)
    overrides_when: Literal["possible", "known"] = "possible"
    table: TableBody
    citations: dict[str, CitationSpec] = Field(default_factory=dict)  # shared by rows, by key
    rows: tuple[RowSpec, ...] = Field(min_length=1)
    uncovered: tuple[UncoveredSpec, ...] = ()

    _sentence = field_validator("description")(_one_sentence)


class EditionSpec(_Spec):
    """One edition of the rulebook."""

    id: str = Field(pattern=r"^[0-9]{4}$")
    title: str
    in_force_from: str = Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
    summary: str
    sources: tuple[str, ...] = ()
    confidence: Confidence = "high"


class EditionsFile(_Spec):
    """``editions.yaml``: the editions, oldest first."""

    rulebook: str
    title: str
    vocabulary: str = "vocabulary.yaml"
    tables: dict[str, str]
    sources: str = "sources.yaml"
    editions: tuple[EditionSpec, ...] = Field(min_length=1)

    @field_validator("tables")
    @classmethod
    def _known_tables(cls, v: dict[str, str]) -> dict[str, str]:
        needed = {"offence_catalogue", "principal_crime_table"}
        if set(v) != needed:
            raise ValueError(f"tables must name exactly {sorted(needed)}")
        return v


SourceKind = Literal["official", "secondary", "aggregator", "news"]


class PublisherSpec(_Spec):
    """An official publisher and the hosts it publishes on: ``www.gov.uk`` is that host only,
    ``.parliament.uk`` the domain and every host under it."""

    name: str = Field(min_length=3)
    hosts: tuple[str, ...] = Field(min_length=1)

    @field_validator("hosts")
    @classmethod
    def _hostnames(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for host in v:
            if not re.match(r"^\.?[a-z0-9-]+(\.[a-z0-9-]+)+$", host):
                raise ValueError(f"{host!r} is not a host name (or .domain)")
        return v


class SourceSpec(_Spec):
    """One document of the source register. ``official``: published by an official publisher;
    ``secondary``: a force, a commissioner, a charity, a blog or a thesis quoting or summarising
    it; ``aggregator``: a document-sharing site's copy (``copy_of`` names the official entry it
    copies, where the register has it); ``news``: a newspaper or a news wire."""

    title: str = Field(min_length=3)
    url: str | None = Field(None, pattern=_URL)  # None: found only by an index id (note)
    read_at: str | None = Field(None, pattern=_URL)  # an official document read in a copy
    publisher: str = Field(min_length=2)
    kind: SourceKind
    copy_of: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _findable(self) -> SourceSpec:
        if self.url is None and not self.note:
            raise ValueError("a source with no url needs a note saying how to find it")
        return self


class SourcesFile(_Spec):
    """``sources.yaml``: the source register and the official publishers' hosts."""

    official_publishers: tuple[PublisherSpec, ...] = Field(min_length=1)
    sources: dict[str, SourceSpec] = Field(min_length=1)

    @field_validator("sources")
    @classmethod
    def _ids(cls, v: dict[str, SourceSpec]) -> dict[str, SourceSpec]:
        for sid in v:
            if not re.match(r"^[A-Z][0-9]{1,3}$", sid):
                raise ValueError(f"source id {sid!r} must be a capital letter and a number")
        return v


class FieldDecl(_Spec):
    """A field of a vocabulary-declared fact type."""

    kind: Literal["str", "int", "bool"]
    role: Literal["key", "value", "detail"] = "detail"
    nullable: bool = False
    values: tuple[str, ...] | None = None


class TypeDecl(_Spec):
    """An intermediate fact type that rules may conclude and match."""

    description: str
    functional: bool = False
    fields: dict[str, FieldDecl]


class VocabularyFile(_Spec):
    """``vocabulary.yaml``: intermediate fact types declared by the rulebook."""

    types: dict[str, TypeDecl] = Field(default_factory=dict)


class OffenceEntry(_Spec):
    """One Home Office classification in the offence catalogue."""

    title: str
    group: str
    subgroup: str
    max_sentence: str = Field(pattern=r"^(life|fine|[0-9]+ (years|months))$")
    max_sentence_note: str | None = None
    victim_based: bool
    conduct_crime: bool = False
    sources: tuple[str, ...] = ()
    confidence: Confidence = "high"
    notifiable_until: str | None = None
    note: str | None = None

    def max_sentence_months(self) -> int:
        """The statutory maximum in months; life ranks above any term, a fine below all."""
        if self.max_sentence == "life":
            return 100 * 12
        if self.max_sentence == "fine":
            return 0
        n, unit = self.max_sentence.split()
        return int(n) * (12 if unit == "years" else 1)


class CatalogueFile(_Spec):
    """``offence_catalogue.yaml``."""

    description: str
    citation: CitationSpec
    offences: dict[str, OffenceEntry] = Field(min_length=1)


class PrincipalTableFile(_Spec):
    """``annex_c_principal_crime_table.yaml``: codes ranked most serious first."""

    description: str
    basis: str
    citation: CitationSpec
    ranking: tuple[str, ...] = Field(min_length=1)
