"""The other endpoints on a real server, each against the library's own answer."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from counting_rules import decide, default_rulebook, why_not
from counting_rules._common.limits import MAX_FILE_BYTES
from counting_rules._common.schemas import schemas
from counting_rules.scenario import default_scenarios, load_scenarios

from .conftest import start, stop
from .test_problems import case, problem_of

RULE = "general_rules/ncrs/record_when_test_met"


def test_why_not_answers_as_the_library(http: httpx.Client) -> None:
    r = http.post("/v1/why-not", json={"case": case(), "rule_ids": [RULE]})
    assert r.status_code == 200, r.text[:300]
    (answer,) = r.json()["answers"]
    assert answer == why_not(case(), RULE).model_dump(mode="json")


def test_why_not_names_unknown_rules_and_bad_case_fields(http: httpx.Client) -> None:
    doc = problem_of(
        http.post("/v1/why-not", json={"case": case(), "rule_ids": [RULE, "general_rules/nope"]}),
        422,
    )
    assert [e["path"] for e in doc["errors"]] == ["rule_ids[1]"]
    bad = case()
    bad["allegations"][0]["injury"] = "bruised"
    doc = problem_of(http.post("/v1/why-not", json={"case": bad, "rule_ids": [RULE]}), 422)
    assert [e["path"] for e in doc["errors"]] == ["case.allegations[A1].injury"]
    doc = problem_of(http.post("/v1/why-not", json={"case": case()}), 422)
    assert [e["path"] for e in doc["errors"]] == ["rule_ids"]


def test_still_needed_is_the_decisions_questions_in_order(http: httpx.Client) -> None:
    first_call = case()
    del first_call["allegations"][0]["injury"]
    del first_call["offenders"]
    first_call["allegations"][0]["offenders"] = []
    r = http.post("/v1/still-needed", json=first_call)
    assert r.status_code == 200, r.text[:300]
    doc = r.json()
    d = decide(first_call)
    assert doc["complete"] is False
    assert doc["questions"] == [q.model_dump(mode="json") for q in d.still_needed]
    assert any(q["path"] == "allegations[A1].injury" for q in doc["questions"])
    assert all(q["answer_type"] for q in doc["questions"])


def test_batch_accounts_for_every_line_in_order(http: httpx.Client) -> None:
    good = json.dumps(case())
    bad = case()
    bad["allegations"][0]["injury"] = "bruised"
    body = "\n".join([good, "", "{oops", json.dumps(bad), good]) + "\n"
    r = http.post(
        "/v1/decide/batch", content=body, headers={"content-type": "application/x-ndjson"}
    )
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/x-ndjson")
    out = [json.loads(line) for line in r.text.splitlines()]
    assert [o.get("line") for o in out[:-1]] == [1, 2, 3, 4, 5]
    assert out[-1] == {"summary": {"lines": 5, "decided": 2, "rejected": 3}}
    assert out[0]["decision"] == json.loads(decide(case()).model_dump_json())
    assert out[1]["problem"]["status"] == 422
    assert out[2]["problem"]["status"] == 400
    assert out[3]["problem"]["errors"][0]["path"] == "allegations[A1].injury"
    assert "decision" in out[4]


def test_batch_line_longer_than_a_case_may_be(http: httpx.Client) -> None:
    body = json.dumps(case()) + "\n" + " " * 200_001 + "\n"
    # the whole body is over max_body_bytes but within the batch limit
    r = http.post(
        "/v1/decide/batch", content=body, headers={"content-type": "application/x-ndjson"}
    )
    out = [json.loads(line) for line in r.text.splitlines()]
    assert out[1]["problem"]["status"] == 413
    assert out[-1]["summary"] == {"lines": 2, "decided": 1, "rejected": 1}


def test_rulebooks_lists_editions_and_every_rule(http: httpx.Client) -> None:
    book = default_rulebook()
    doc = http.get("/v1/rulebooks").json()
    assert doc["digest"] == book.digest
    assert [e["edition"] for e in doc["editions"]] == [e.id for e in book.editions]
    assert {r["id"] for r in doc["rules"]} == set(book.rules)
    assert all(r["citation"]["url"].startswith(("https://", "http://")) for r in doc["rules"])


def test_one_rule_in_full(http: httpx.Client) -> None:
    doc = http.get(f"/v1/rules/{RULE}").json()
    rule = default_rulebook().rules[RULE]
    assert doc["title"] == rule.title
    assert doc["template"] == default_rulebook().templates[RULE]
    assert doc["editions"][-1] == default_rulebook().editions[-1].id
    assert (
        "record_when_test_met"
        in problem_of(http.get("/v1/rules/general_rules/ncrs/record_when_test_mt"), 404)["fix"]
    )


def test_scenarios_listed(http: httpx.Client) -> None:
    listed = http.get("/v1/scenarios").json()
    assert [s["id"] for s in listed] == [s.id for s in load_scenarios(default_scenarios())]


def test_schemas_are_the_libraries(http: httpx.Client) -> None:
    assert http.get("/v1/schema/case").json() == schemas()["case"]
    assert http.get("/v1/schema/decision").json() == schemas()["decision"]


def test_health_and_readiness(http: httpx.Client) -> None:
    assert http.get("/v1/healthz").json()["status"] == "ok"
    ready = http.get("/v1/readyz").json()
    assert ready["status"] == "ready"
    assert ready["digest"] == default_rulebook().digest


def test_openapi_has_the_library_models_and_an_example_for_every_request(
    http: httpx.Client,
) -> None:
    doc = http.get("/v1/openapi.json").json()
    comps = doc["components"]["schemas"]
    assert {"CaseFacts", "Decision", "Problem", "WhyNotRequest", "StillNeeded"} <= set(comps)
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            body = op.get("requestBody")
            if body:
                content = next(iter(body["content"].values()))
                assert content.get("examples") or content.get("example"), (method, path)
            problems = [s for s, r in op["responses"].items() if s.startswith(("4", "5"))]
            assert problems, (method, path)
            for status in problems:
                assert "application/problem+json" in op["responses"][status]["content"]


def test_a_worker_with_a_larger_body_limit_takes_a_case_that_large(
    tmp_path: Path, http: httpx.Client
) -> None:
    # One limit: a case may be as large as max_body_bytes, above the library's 1 MiB default.
    text = json.dumps(case())
    body = text[:-1] + " " * (MAX_FILE_BYTES + 1000) + "}"  # valid JSON, over 1 MiB
    json_type = {"content-type": "application/json"}
    big = start(tmp_path, max_body_bytes=str(2 * MAX_FILE_BYTES))
    try:
        with httpx.Client(base_url=big.url, timeout=60) as c:
            r = c.post("/v1/decide", content=body, headers=json_type)
            assert r.status_code == 200, r.text[:300]
            assert r.json() == json.loads(decide(case()).model_dump_json())
            r = c.post("/v1/decide/batch", content=body + "\n")
            assert json.loads(r.text.splitlines()[-1])["summary"]["decided"] == 1
    finally:
        stop(big)
    assert http.post("/v1/decide", content=body, headers=json_type).status_code == 413
