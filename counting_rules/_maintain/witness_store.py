"""Stored witnesses: for each edition and rule, a case on which the rule fires surely.

A witness search costs seconds of hypothesis generation per rule; a stored witness costs one
evaluation to confirm. ``check --witnesses FILE`` and the differential tests try the stored
case first and search only when there is none or it no longer fires its rule (the rulebook
changed), so a stale store makes them slower, never wrong. ``check --save-witnesses`` writes
the store afresh: every rule the sample fired (with the first sample case that fired it) and
every rule a search reached.

The file is gzipped JSON: the distinct cases once, and ``edition -> rule -> case index``.
"""

from __future__ import annotations

import gzip
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from counting_rules._maintain.witness import evaluate, sure_rules
from counting_rules._rulebook.ir import Edition, Rulebook
from counting_rules.case import CaseFacts

__all__ = ["Witnesses"]

FORMAT = 1


class Witnesses:
    """Witness cases keyed by (edition id, rule id), read from and saved to one file."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._cases: dict[tuple[str, str], CaseFacts] = {}
        self.stale: set[tuple[str, str]] = set()  # stored but no longer firing
        self._used: set[tuple[str, str]] = set()  # confirmed or added in this run
        if path is not None and path.exists():
            self._read(path)

    def __len__(self) -> int:
        return len(self._cases)

    def _read(self, path: Path) -> None:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            doc = json.load(fh)
        if doc.get("format") != FORMAT:
            return  # an older layout: searched afresh, rewritten on save
        cases = [CaseFacts.model_validate_json(json.dumps(c)) for c in doc["cases"]]
        for edition_id, rules in doc["witnesses"].items():
            for rule_id, index in rules.items():
                self._cases[(edition_id, rule_id)] = cases[index]

    def stored(self, edition_id: str, rule_id: str) -> CaseFacts | None:
        return self._cases.get((edition_id, rule_id))

    def add(self, edition_id: str, rule_id: str, case: CaseFacts) -> None:
        self._cases[(edition_id, rule_id)] = case
        self.stale.discard((edition_id, rule_id))
        self._used.add((edition_id, rule_id))

    def fires(self, book: Rulebook, edition: Edition, rule_id: str) -> CaseFacts | None:
        """The stored case for ``rule_id`` if it still fires the rule surely, else None."""
        case = self.stored(edition.id, rule_id)
        if case is None:
            return None
        if rule_id in sure_rules(evaluate(book, edition, case)):
            self._used.add((edition.id, rule_id))
            return case
        self.stale.add((edition.id, rule_id))
        return None

    def unconfirmed(self, book: Rulebook) -> list[tuple[str, str]]:
        """Each (edition, rule) of ``book`` with no stored case that fires it surely; each
        distinct case is evaluated once per edition."""
        out: list[tuple[str, str]] = []
        for edition in book.editions:
            by_case: dict[int, tuple[CaseFacts, list[str]]] = {}
            for rule in edition.rules:
                case = self.stored(edition.id, rule.id)
                if case is None:
                    out.append((edition.id, rule.id))
                else:
                    by_case.setdefault(id(case), (case, []))[1].append(rule.id)
            for case, rule_ids in by_case.values():
                fired = sure_rules(evaluate(book, edition, case))
                out += [(edition.id, rid) for rid in rule_ids if rid not in fired]
        return out

    def save(self, path: Path | None = None) -> int:
        """Write the witnesses this run confirmed or found, and only those (a rule removed
        from the rulebook drops out); atomically, so a reader never sees half a file."""
        target = path or self.path
        if target is None:
            raise ValueError("no file to save the witnesses to")
        index: dict[str, int] = {}
        written = 0
        cases: list[Any] = []
        table: dict[str, dict[str, int]] = {}
        for (edition_id, rule_id), case in sorted(self._cases.items()):
            if (edition_id, rule_id) not in self._used:
                continue
            text = case.model_dump_json(exclude_defaults=True)
            if text not in index:
                index[text] = len(cases)
                cases.append(json.loads(text))
            table.setdefault(edition_id, {})[rule_id] = index[text]
            written += 1
        doc = {"format": FORMAT, "cases": cases, "witnesses": table}
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        os.fchmod(fd, 0o644)  # test data, not a secret: readable like the rest of a checkout
        try:
            with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
                gz.write(json.dumps(doc, sort_keys=True, separators=(",", ":")).encode())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return written
