"""Every field of the case and decision JSON Schemas is documented (issue 15, item 8).

The rule, for every property of every model (the top level and each ``$defs`` entry) of both
generated schemas:

* it has a non-empty ``description``;
* it has at least one ``examples`` value, unless it holds nested models (a ``$ref``, or a
  list of them, optional or not): there the field's description is enough, since each of
  the nested model's own fields is documented and exemplified in its ``$defs`` entry;
* every closed vocabulary inside it (an ``enum``, or the ``const`` of a one-member
  ``Literal``) carries ``x-enumDescriptions``: a meaning, in words, for exactly its members.

Every model has a description too. One failure names every field that breaks the rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from counting_rules._common.schemas import schemas


def _models(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    yield schema.get("title", "(top)"), schema
    yield from schema.get("$defs", {}).items()


def _strip_null(node: dict[str, Any]) -> dict[str, Any]:
    options = [o for o in node.get("anyOf", []) if o.get("type") != "null"]
    return options[0] if len(options) == 1 else node


def _holds_models(prop: dict[str, Any]) -> bool:
    """A field whose value is a nested model, or a list of them."""
    node = _strip_null(prop)
    if node.get("type") == "array" and isinstance(node.get("items"), dict):
        node = _strip_null(node["items"])
    return "$ref" in node


def _vocabularies(node: Any) -> Iterator[dict[str, Any]]:
    """Every schema node with an ``enum`` or a ``const`` under ``node`` (not through $ref)."""
    if isinstance(node, list):
        for item in node:
            yield from _vocabularies(item)
    elif isinstance(node, dict):
        if "enum" in node or "const" in node:
            yield node
        for key, value in node.items():
            if key not in ("x-enumDescriptions", "examples", "default"):
                yield from _vocabularies(value)


def undocumented(schema: dict[str, Any]) -> list[str]:
    """Every field of ``schema`` that breaks the rule, each with what it lacks."""
    bad: list[str] = []
    for model, body in _models(schema):
        if not str(body.get("description", "")).strip():
            bad.append(f"{model}: no description")
        for name, prop in body.get("properties", {}).items():
            where = f"{model}.{name}"
            if not str(prop.get("description", "")).strip():
                bad.append(f"{where}: no description")
            if not _holds_models(prop) and not prop.get("examples"):
                bad.append(f"{where}: no examples")
            for vocab in _vocabularies(prop):
                members = [str(m) for m in vocab.get("enum", [vocab.get("const")])]
                docs = vocab.get("x-enumDescriptions") or {}
                missing = [m for m in members if not str(docs.get(m, "")).strip()]
                if missing or set(docs) != set(members):
                    bad.append(f"{where}: members without a meaning: {missing or sorted(docs)}")
    return bad


@pytest.mark.parametrize("which", ["case", "decision"])
def test_every_field_has_a_description_examples_and_documented_members(which: str) -> None:
    bad = undocumented(schemas()[which])
    assert not bad, f"{len(bad)} undocumented in the {which} schema:\n" + "\n".join(bad)


def test_the_check_catches_each_kind_of_gap() -> None:
    """The walker finds a missing description, missing examples and an undocumented member,
    and lets a nested-model field go without examples."""
    schema = {
        "title": "Top",
        "description": "A model.",
        "properties": {
            "bare": {"type": "string"},
            "nested": {"$ref": "#/$defs/Inner", "description": "An inner model."},
            "listed": {
                "anyOf": [{"type": "array", "items": {"$ref": "#/$defs/Inner"}}, {"type": "null"}],
                "description": "Inner models.",
            },
            "choice": {
                "anyOf": [
                    {"enum": ["a", "b"], "x-enumDescriptions": {"a": "A."}},
                    {"type": "null"},
                ],
                "description": "A choice.",
                "examples": ["a"],
            },
        },
        "$defs": {"Inner": {"properties": {"ok": {"description": "Fine.", "examples": [1]}}}},
    }
    assert undocumented(schema) == [
        "Top.bare: no description",
        "Top.bare: no examples",
        "Top.choice: members without a meaning: ['b']",
        "Inner: no description",
    ]
