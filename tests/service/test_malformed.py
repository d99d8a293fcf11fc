"""No malformed case ever gets a decision or a 5xx: a valid case, damaged at random, gets a
problem document exactly when decide() in process refuses it, and otherwise the decision."""

from __future__ import annotations

import copy
import json
from typing import Any

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from counting_rules import CaseFactsError, Decision, EditionNotFoundError, decide

from .conftest import Server
from .test_problems import PROBLEM, case

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**60), 2**60) | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(doc: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [at]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _paths(v, (*at, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _paths(v, (*at, i))
    return out


@st.composite
def damaged(draw: st.DrawFn) -> dict[str, Any]:
    doc = case()
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(doc) if p]
        path = draw(st.sampled_from(paths))
        parent = doc
        for step in path[:-1]:
            parent = parent[step]
        if draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(JSON)
    return doc


@settings(max_examples=60)
@given(doc=damaged())
def test_a_damaged_case_is_refused_exactly_when_decide_refuses_it(
    server: Server, doc: dict[str, Any]
) -> None:
    try:
        expected: Decision | None = decide(copy.deepcopy(doc))
    except (CaseFactsError, EditionNotFoundError):
        expected = None
    body = json.dumps(doc, allow_nan=True)
    r = httpx.post(server.url + "/v1/decide", content=body, timeout=60)
    assert r.status_code < 500, r.text[:500]
    if expected is None:
        assert 400 <= r.status_code < 500
        assert r.headers["content-type"] == PROBLEM
    else:
        assert r.status_code == 200
        assert Decision.model_validate_json(r.content) == expected
