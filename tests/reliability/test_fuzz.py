"""Fuzzing the input boundary: only a Decision or a CountingRulesError ever comes out.

Three kinds of input: raw bytes (to the case-file reader and to parse_case); hostile YAML and
JSON text built from a valid case, with tags, anchors, aliases, duplicate keys, directives,
deep nesting, huge numbers, odd unicode and wrong types at every field; and the same trees
as Python mappings with Python objects mixed in. Decisions use the reference evaluator: the
boundary is what is under test, and it is the same for both evaluators.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counting_rules import (
    Allegation,
    CaseFacts,
    CountingRulesError,
    Decision,
    Offender,
    Report,
    Victim,
    decide,
    parse_case,
)
from counting_rules._case.files import load_case_file

REPROS = Path(__file__).parent / "repros"
BASE: dict[str, Any] = json.loads((REPROS / "ansi.json").read_text())
BASE["victims"][0]["ethnicity"] = "W1"  # the repro's escape sequences, as a valid code
FIELDS = sorted(
    {
        name
        for model in (CaseFacts, Report, Victim, Offender, Allegation)
        for name in model.model_fields
    }
)
TOKENS = [
    "015", "0x1F", "0o17", "1:20", "yes", "off", "~", ".inf", "-.nan", "1e999", "9" * 40,
    "2024-02-30T10:00:00Z", "2024-03-04", "2024-03-04T10:00:00", "+1", "1_000", "<<",
]  # fmt: skip
SETTINGS = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(),
    st.text(max_size=12),
    st.text(st.characters(codec="utf-8"), max_size=6),
    st.sampled_from(TOKENS),
    st.sampled_from(["V1", "O1", "A1", "assault", "victim", "2024-03-04T10:00:00+00:00"]),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=8,
)
python_objects = st.one_of(
    st.sampled_from(
        [
            datetime(2024, 3, 4, 10, tzinfo=UTC),
            datetime(2024, 3, 4, 10),
            date(2024, 3, 3),
            Decimal("1.5"),
            {"race"},
            frozenset(),
            b"bytes",
            object(),
            10**5000,
            float("nan"),
            ("O1",),
        ]
    ),
    values,
)


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*path, i))
    return out


@st.composite
def hostile_trees(draw: st.DrawFn, leaves: st.SearchStrategy[Any] = values) -> Any:
    """The valid case with a few values replaced, some nested deeply."""
    doc: Any = copy.deepcopy(BASE)
    for _ in range(draw(st.sampled_from([0, 0, 1, 1, 2, 3]))):  # a third stay valid
        path = draw(st.sampled_from(_paths(doc)))
        new = draw(leaves)
        for _ in range(draw(st.sampled_from([0, 0, 0, 1, 40]))):
            new = [new]
        if not path:
            doc = new
            continue
        parent = doc
        for p in path[:-1]:
            parent = parent[p]
        parent[path[-1]] = new
    return doc


DECORATIONS = ["!!str ", "!!binary ", "!!set ", "!x ", "! ", "&a ", "*a"]
DIRECTIVES = ["", "", "", "%YAML 1.1\n---\n", "%YAML 1.2\n---\n", "%TAG !x! tag:x,1:\n---\n"]


def _scalar(v: Any, as_json: bool) -> str:
    if isinstance(v, str) and not as_json and v in TOKENS:
        return v  # plain, for the resolver to see
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) > 10**4000:
        return "1" + "0" * 5000
    return json.dumps(v)


def emit(node: Any, draw: st.DrawFn, as_json: bool) -> str:
    """Flow-style YAML (or JSON) text, with decorations drawn at each node."""
    rare = not as_json and draw(st.integers(0, 39)) == 0  # about one node in a document
    deco = draw(st.sampled_from(DECORATIONS)) if rare else ""
    if deco == "*a":
        return deco
    if isinstance(node, dict):
        items = [f"{json.dumps(k)}: {emit(v, draw, as_json)}" for k, v in node.items()]
        if items and draw(st.integers(0, 9)) == 0:
            items.append(items[draw(st.integers(0, len(items) - 1))])  # a duplicate key
        body = "{" + ", ".join(items) + "}"
    elif isinstance(node, list):
        body = "[" + ", ".join(emit(v, draw, as_json) for v in node) + "]"
    else:
        body = _scalar(node, as_json)
    return deco + body


def outcome(run: Any) -> None:
    """Run the boundary and decide; anything but a Decision or a typed error fails."""
    try:
        case = run()
    except CountingRulesError:
        return
    assert isinstance(case, CaseFacts)
    assert isinstance(decide(case, evaluator="reference"), Decision)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@SETTINGS
@given(raw=st.binary(max_size=400) | st.sampled_from(list(REPROS.iterdir())).map(Path.read_bytes))
def test_raw_bytes(workdir: Path, raw: bytes) -> None:
    path = workdir / "raw.yaml"
    path.write_bytes(raw)
    outcome(lambda: load_case_file(path))
    outcome(lambda: parse_case(raw))
    outcome(lambda: parse_case(raw.decode("utf-8", "replace")))


@SETTINGS
@given(data=st.data(), as_json=st.booleans())
def test_hostile_yaml_and_json_text(workdir: Path, data: st.DataObject, as_json: bool) -> None:
    tree = data.draw(hostile_trees())
    text = emit(tree, data.draw, as_json)
    if not as_json:
        text = data.draw(st.sampled_from(DIRECTIVES)) + text
    path = workdir / ("case.json" if as_json else "case.yaml")
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    outcome(lambda: load_case_file(path))
    if as_json:
        outcome(lambda: parse_case(text))


@SETTINGS
@given(tree=hostile_trees(python_objects))
def test_hostile_python_mappings(tree: Any) -> None:
    outcome(lambda: parse_case(tree))
    try:
        decision = decide(tree, evaluator="reference")
    except CountingRulesError:
        return
    assert isinstance(decision, Decision)
