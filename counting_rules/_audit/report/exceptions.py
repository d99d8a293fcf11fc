"""The exceptions of an audit report: each finding with its record, reasons and citations.

Findings come from ``audit_record`` as ``(record id, AuditFinding)`` pairs, or from the
``findings.jsonl`` that ``counting-rules audit`` writes (``_audit/run.py``): JSON Lines, one
decided record a line, its report ``id`` and its ``findings`` (their reasons without the
facts they matched)::

    {"line": 12, "id": "SYN-0000012", "complete": true, "findings": [{"kind": ...}, ...]}

Only record, allegation and victim ids, codes and the rules' words reach the report: never
a reason's explanation or its matched facts, which may carry a victim's details.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from counting_rules._audit.finding import AuditFinding
from counting_rules._audit.report.figures import GROUP_LABELS, KIND_LABELS
from counting_rules._explain.sections import source
from counting_rules.errors import UsageError

__all__ = ["Cited", "Exceptions", "Row", "exceptions", "read_findings"]

Findings = str | Path | Iterable[tuple[str, AuditFinding]]


def read_findings(path: str | Path) -> Iterator[tuple[str, AuditFinding]]:
    """Every finding of a ``findings.jsonl``, with its record id; a bad line is a
    ``UsageError`` naming the file, the line and the field."""
    where = Path(path)
    try:
        f = where.open(encoding="utf-8")
    except OSError as e:
        raise UsageError(
            f"{where}: cannot read the findings file ({e.strerror})",
            fix="give the findings.jsonl the audit wrote",
        ) from None
    with f:
        for n, line in enumerate(f, 1):
            if line.strip():
                yield from _line(where, n, line)


def _line(where: Path, n: int, line: str) -> Iterator[tuple[str, AuditFinding]]:
    try:
        doc = json.loads(line)
    except json.JSONDecodeError as e:
        raise UsageError(f"{where}, line {n}: not JSON ({e.msg})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("id"), str):
        raise UsageError(f"{where}, line {n}: id: the record's id (a string) is needed")
    items: Any = doc.get("findings")
    if not isinstance(items, list):
        raise UsageError(f"{where}, line {n}: findings: a list of findings is needed")
    for i, item in enumerate(items):
        if isinstance(item, dict):
            for reason in item.get("reasons") or ():
                if isinstance(reason, dict):
                    reason.setdefault("facts", {})  # the audit leaves them out of the file
        try:
            finding = AuditFinding.model_validate(item)
        except ValidationError as e:
            err = e.errors()[0]
            field = ".".join(str(p) for p in err["loc"])
            at = f"findings[{i}].{field}" if field else f"findings[{i}]"
            raise UsageError(f"{where}, line {n}: {at}: {err['msg']}") from None
        yield doc["id"], finding


@dataclass(frozen=True)
class Cited:
    """A reason as the report shows it: the rule's title and where the rule comes from."""

    title: str
    where: str
    url: str


@dataclass(frozen=True)
class Row:
    """One finding of one record."""

    record: str
    anchor: str
    kind: str
    label: str
    group: str
    allegation: str
    victim: str
    sentence: str
    still_needed: tuple[str, ...]
    reasons: tuple[Cited, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "record": self.record,
            "anchor": self.anchor,
            "kind": self.kind,
            "crime_group": self.group,
            "allegation_id": self.allegation or None,
            "victim_id": self.victim or None,
            "sentence": self.sentence,
            "still_needed": list(self.still_needed),
            "reasons": [{"rule": c.title, "cited": c.where, "url": c.url} for c in self.reasons],
        }


@dataclass(frozen=True)
class Exceptions:
    """The findings shown (at most ``limit``, in the order read), grouped by record, and how
    many were read in all."""

    records: list[tuple[str, str, list[Row]]]  # (record id, anchor, its rows)
    shown: int
    total: int
    by_kind: dict[str, int]


def anchor(record_id: str) -> str:
    """The HTML id of a record's rows (a record id is letters, digits and ``_.:/-``)."""
    return f"record-{record_id}"


def _row(record_id: str, f: AuditFinding) -> Row:
    cited: dict[tuple[str, str], Cited] = {}
    for r in f.reasons:
        s = source(r.citation)
        cited.setdefault((r.title, s.where), Cited(r.title, s.where, s.url))
    label = KIND_LABELS[f.kind]
    if f.about is not None:
        label = f"{label}: {KIND_LABELS[f.about].lower()}"
    return Row(
        record=record_id,
        anchor=anchor(record_id),
        kind=f.kind,
        label=label,
        group=GROUP_LABELS.get(f.crime_group or "unclassified", "Not yet classified"),
        allegation=f.allegation_id or "",
        victim=f.victim_id or "",
        sentence=f.sentence,
        still_needed=f.still_needed,
        reasons=tuple(cited.values()),
    )


def exceptions(found: Findings, limit: int) -> Exceptions:
    """The first ``limit`` findings of ``found`` as rows; the rest are only counted."""
    if limit < 0:
        raise UsageError(f"max_exceptions: {limit} is negative; give 0 or more")
    pairs = read_findings(found) if isinstance(found, str | Path) else found
    rows: dict[str, list[Row]] = {}
    by_kind: dict[str, int] = {}
    shown = total = 0
    for record_id, f in pairs:
        total += 1
        by_kind[f.kind] = by_kind.get(f.kind, 0) + 1
        if shown >= limit:
            continue
        shown += 1
        rows.setdefault(record_id, []).append(_row(record_id, f))
    records = [(rid, anchor(rid), mine) for rid, mine in rows.items()]
    return Exceptions(records, shown, total, dict(sorted(by_kind.items())))
