"""POST /v1/decide on a real server answers exactly what decide() answers in process."""

from __future__ import annotations

import io
from contextlib import redirect_stdout
from pathlib import Path

import httpx
import pytest

from counting_rules import Decision, decide
from counting_rules.cli import main
from counting_rules.scenario import default_scenarios, load_scenarios

EXAMPLE = Path(__file__).parents[2] / "examples" / "cases" / "punched_outside_pub.yaml"


def test_the_bundled_example_gives_the_cli_json_byte_for_byte(http: httpx.Client) -> None:
    r = http.post(
        "/v1/decide",
        content=EXAMPLE.read_bytes(),
        headers={"content-type": "application/yaml"},
    )
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["decide", "--format", "json", str(EXAMPLE)]) == 0
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    assert r.text == out.getvalue()


STAGES = [
    (s.id, i, case) for s in load_scenarios(default_scenarios()) for i, case in enumerate(s.cases())
]


def test_every_scenario_stage_decides_as_in_process(http: httpx.Client) -> None:
    assert len(STAGES) > 100
    for sid, i, case in STAGES:
        r = http.post("/v1/decide", content=case.model_dump_json())
        assert r.status_code == 200, (sid, i, r.text[:500])
        assert Decision.model_validate_json(r.content) == decide(case), (sid, i)


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_rendered_formats(http: httpx.Client, fmt: str) -> None:
    r = http.post(
        f"/v1/decide?format={fmt}",
        content=EXAMPLE.read_bytes(),
        headers={"content-type": "application/yaml"},
    )
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/")
    assert "Decision for case example-c01" in r.text


def test_explain_false_keeps_every_reason_without_its_explanation(http: httpx.Client) -> None:
    yaml = {"content-type": "application/yaml"}
    full = Decision.model_validate_json(
        http.post("/v1/decide", content=EXAMPLE.read_bytes(), headers=yaml).content
    )
    lean = Decision.model_validate_json(
        http.post("/v1/decide?explain=false", content=EXAMPLE.read_bytes(), headers=yaml).content
    )
    assert [c.code for c in lean.crimes] == [c.code for c in full.crimes]
    assert {r.rule_id for c in lean.crimes for r in c.reasons} == {
        r.rule_id for c in full.crimes for r in c.reasons
    }
    assert all(r.explanation == "" for c in lean.crimes for r in c.reasons)
    assert all(r.explanation for c in full.crimes for r in c.reasons)


def test_a_named_edition_is_used(http: httpx.Client) -> None:
    r = http.post(
        "/v1/decide?edition=2018",
        content=EXAMPLE.read_bytes(),
        headers={"content-type": "application/yaml"},
    )
    assert r.status_code == 200
    assert r.json()["edition"] == "2018"
