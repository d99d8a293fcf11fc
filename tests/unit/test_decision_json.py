"""The decision as JSON: ``complete`` and a short ``summary`` first, then the detail, and no
internal fact shapes (the engine's ``t`` key, epoch seconds, join keys) anywhere in it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from counting_rules import Decision, decide, load_case, parse_case
from counting_rules._common.schemas import schemas
from tests.casefiles import collect

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted((ROOT / "examples" / "cases").glob("*.yaml"))
CASES = collect("examples")
# 2001-09-09 onwards in epoch seconds: any whole number this large is a time, not a count.
EPOCH_FLOOR = 1_000_000_000
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


def walk(node: Any, path: str = "") -> Iterator[tuple[str, Any, Any]]:
    """Every (path, key, value) of a JSON document."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield f"{path}.{k}", k, v
            yield from walk(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk(v, f"{path}[{i}]")


def public_json(decision: Decision) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(decision.model_dump_json())
    return doc


def assert_public(doc: dict[str, Any]) -> None:
    for path, key, value in walk(doc):
        assert key not in {"t", "sid", "mode", "report_key", "offender_key"}, path
        assert not (type(value) is int and value >= EPOCH_FLOOR), (path, value)
        if key.endswith("_at") and value is not None and key != "read_at":
            assert isinstance(value, str), (path, value)
            assert ISO.match(value), (path, value)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_complete_and_summary_come_first_and_agree_with_the_detail(path: Path) -> None:
    decision = decide(load_case(path))
    doc = public_json(decision)
    assert list(doc)[:3] == ["complete", "summary", "case_id"]
    assert doc["complete"] is decision.complete
    summary = doc["summary"]
    assert [c["allegation_id"] for c in summary["crimes"]] == [
        c.allegation_id for c in decision.crimes
    ]
    assert [c["code"] for c in summary["crimes"]] == [c.code for c in decision.crimes]
    assert [n["allegation_id"] for n in summary["n100s"]] == [
        n.allegation_id for n in decision.n100s
    ]
    assert summary["still_needed"] == len(decision.still_needed)
    schema = schemas()["decision"]
    assert {"complete", "summary", "crimes"} <= set(schema["properties"])
    jsonschema.validate(doc, schema)
    dues = [datetime.fromisoformat(d["due"]) for d in summary["deadlines"]]
    assert dues == sorted(dues)
    expected = {c.deadline for c in decision.crimes if c.deadline} | {
        v.due for v in decision.victim_duties if v.due
    }
    assert set(dues) == expected


def test_the_summary_counts_what_is_still_open() -> None:
    doc = load_case(EXAMPLES[-1]).model_dump(mode="json")
    del doc["allegations"][0]["injury"]
    decision = decide(doc)
    summary = public_json(decision)["summary"]
    assert summary["still_needed"] == len(decision.still_needed) > 0
    assert public_json(decision)["complete"] is False


def test_read_back_the_derived_fields_are_computed_again_not_trusted() -> None:
    decision = decide(load_case(EXAMPLES[0]))
    doc = public_json(decision)
    doc["complete"] = not doc["complete"]
    doc["summary"]["still_needed"] = 99
    again = Decision.model_validate_json(json.dumps(doc))
    assert again == decision
    assert public_json(again) == public_json(decision)


@pytest.mark.parametrize("spec", CASES, ids=lambda s: s.id)
def test_no_internal_fact_shape_reaches_the_public_json(spec: Any) -> None:
    decision = decide(parse_case(spec.data["case"]), edition=spec.data.get("edition"))
    doc = public_json(decision)
    assert_public(doc)
    facts = [f for _, k, v in walk(doc) if k == "facts" for f in v.values()]
    assert all("fact" in f for f in facts)
