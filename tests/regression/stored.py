"""Stored decisions: cases with the outcomes the rulebook gave them when they were recorded.

A decision's *outcome* is everything it decides (what is recorded, as what, by when, what is
still needed, which rules and facts support each item), without the words that may be
reworded (titles, citations, explanations, questions) and without the version stamps.
``python -m tests.regression.record`` writes the file afresh: do that only when a change is
meant to change decisions, and say so in the commit.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from counting_rules import Decision, decide, parse_case
from counting_rules._common.yaml_lines import load_text

STORE = Path(__file__).with_name("decisions.jsonl.gz")
RENAMED = Path(__file__).with_name("renamed.yaml")
_STAMPS = ("rulebook_digest", "engine_version", "edition_title")
_WORDS = ("title", "citation", "explanation", "question")


def _reason(reason: dict[str, Any]) -> str:
    # The rule and a digest of the facts it matched: as strict as the facts, a tenth the size.
    facts = json.dumps(reason["facts"], sort_keys=True).encode()
    return f"{reason['rule_id']} {hashlib.blake2b(facts, digest_size=6).hexdigest()}"


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        if "rule_id" in value:
            return _reason(value)
        return {k: _strip(v) for k, v in value.items() if k not in _WORDS}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def outcome(decision: Decision) -> dict[str, Any]:
    """The decision as compared: what it decides and on which rules and facts."""
    dumped = decision.model_dump(mode="json")
    return {k: _strip(v) for k, v in dumped.items() if k not in _STAMPS}


def decide_stored(entry: dict[str, Any]) -> dict[str, Any]:
    """Decide a stored entry's case afresh (in the form ``read`` gives stored outcomes)."""
    decision = decide(parse_case(entry["case"]), edition=entry.get("edition"))
    return _rename(outcome(decision), {})


def renamed() -> dict[str, str]:
    """Rule ids renamed since the store was written (old id: new id)."""
    if not RENAMED.exists():
        return {}
    data = load_text(RENAMED.read_text(encoding="utf-8"), str(RENAMED)).data
    return {str(k): str(v) for k, v in (data or {}).items()}


def _rename(value: Any, names: dict[str, str]) -> Any:
    """Rule ids renamed; a list of strings (reasons, rule ids, codes) sorted, because the
    decision sorts such lists by id, so a renamed id may move and that is no change."""
    if isinstance(value, dict):
        return {k: _rename(v, names) for k, v in value.items()}
    if isinstance(value, list):
        items = [_rename(v, names) for v in value]
        return sorted(items) if all(isinstance(v, str) for v in items) else items
    if isinstance(value, str):
        head, sep, tail = value.partition(" ")  # a reason is "<rule id> <facts digest>"
        return names.get(head, head) + sep + tail
    return value


def read() -> Iterator[dict[str, Any]]:
    """The stored entries, their outcomes under today's rule ids."""
    names = renamed()
    with gzip.open(STORE, "rt", encoding="utf-8") as f:
        for line in f:
            entry = json.loads(line)
            entry["outcome"] = _rename(entry["outcome"], names)
            yield entry
