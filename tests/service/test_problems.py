"""Bad requests get problem documents (RFC 9457): every problem, its path by id, the fix;
never a decision and never a 5xx."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from .conftest import Server

PROBLEM = "application/problem+json"
EXAMPLE = Path(__file__).parents[2] / "examples" / "cases" / "punched_outside_pub.yaml"


def case() -> dict[str, Any]:
    from counting_rules._service.openapi import example_cases

    return json.loads(json.dumps(example_cases()["punched_outside_pub"]))


def problem_of(r: httpx.Response, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text[:500]
    assert r.headers["content-type"] == PROBLEM
    doc = r.json()
    assert doc["status"] == status
    assert doc["type"].startswith("urn:counting-rules:problem:")
    assert doc["title"]
    assert doc["detail"]
    assert doc["request_id"] == r.headers["x-request-id"]
    return doc


def test_every_problem_of_a_case_at_once_with_paths_by_id(http: httpx.Client) -> None:
    bad = case()
    bad["allegations"][0]["injury"] = "bruised"
    bad["victims"][0]["age"] = "thirty"
    bad["allegations"][0]["colour"] = "red"
    doc = problem_of(http.post("/v1/decide", json=bad), 422)
    paths = {e["path"] for e in doc["errors"]}
    assert {"allegations[A1].injury", "victims[V1].age", "allegations[A1].colour"} <= paths
    assert all(e["problem"] and not e["problem"].startswith(e["path"]) for e in doc["errors"])
    assert all(e["fix"] for e in doc["errors"])


def test_not_json_is_a_400(http: httpx.Client) -> None:
    doc = problem_of(http.post("/v1/decide", content=b"{not json"), 400)
    assert "not valid JSON" in doc["detail"]


def test_not_yaml_is_a_400(http: httpx.Client) -> None:
    r = http.post("/v1/decide", content=b"a: [", headers={"content-type": "application/yaml"})
    problem_of(r, 400)


def test_an_unsupported_media_type_is_a_415(http: httpx.Client) -> None:
    r = http.post("/v1/decide", content=b"x", headers={"content-type": "text/csv"})
    assert "application/json" in problem_of(r, 415)["fix"]


def test_a_body_over_the_limit_is_a_413(http: httpx.Client) -> None:
    r = http.post("/v1/decide", content=b" " * 200_001)
    assert "200000" in problem_of(r, 413)["detail"]


def test_a_chunked_body_over_the_limit_is_a_413(http: httpx.Client) -> None:
    def chunks() -> Any:
        for _ in range(30):
            yield b" " * 10_000

    problem_of(http.post("/v1/decide", content=chunks()), 413)


def test_a_body_that_does_not_arrive_is_a_408_and_the_worker_goes_on(
    server: Server, http: httpx.Client
) -> None:
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(
            b"POST /v1/decide HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b'Content-Length: 1000\r\n\r\n{"report":'
        )
        started = time.monotonic()
        answer = s.recv(65536).decode()
        assert time.monotonic() - started < 10
    assert answer.startswith("HTTP/1.1 408")
    assert PROBLEM in answer
    assert http.get("/v1/healthz").status_code == 200


def test_an_unknown_edition_is_a_400_naming_the_parameter(http: httpx.Client) -> None:
    doc = problem_of(http.post("/v1/decide?edition=1999", json=case()), 400)
    assert doc["errors"][0]["path"] == "query.edition"
    assert "2023" in doc["fix"]


def test_a_report_before_the_first_edition_is_a_422(http: httpx.Client) -> None:
    old = case()
    old["report"]["received_at"] = "2010-05-01T10:00:00+00:00"
    doc = problem_of(http.post("/v1/decide", json=old), 422)
    assert "before the first edition" in doc["detail"]


def test_a_bad_query_value_is_a_400(http: httpx.Client) -> None:
    doc = problem_of(http.post("/v1/decide?format=xml", json=case()), 400)
    assert doc["errors"][0]["path"] == "query.format"


def test_explain_false_is_for_json_only(http: httpx.Client) -> None:
    problem_of(http.post("/v1/decide?format=text&explain=false", json=case()), 400)


def test_unknown_route_and_method(http: httpx.Client) -> None:
    problem_of(http.get("/v1/nothing"), 404)
    problem_of(http.get("/v1/decide"), 405)


def test_a_format_1_case_is_refused_with_the_conversion(http: httpx.Client) -> None:
    old = case()
    old["allegations"][0]["amounts_to_crime"] = True
    doc = problem_of(http.post("/v1/decide", json=old), 422)
    assert "convert-case" in json.dumps(doc)


def test_the_callers_request_id_is_kept_a_bad_one_replaced(http: httpx.Client) -> None:
    assert (
        http.get("/v1/healthz", headers={"x-request-id": "abc-123"}).headers["x-request-id"]
        == "abc-123"
    )
    made = http.get("/v1/healthz", headers={"x-request-id": "no spaces\tor tabs"})
    assert made.headers["x-request-id"] != "no spaces\tor tabs"
    assert len(made.headers["x-request-id"]) == 32


@pytest.mark.parametrize(
    "body",
    [b"[]", b"null", b"1", b'"case"', b"{}", b'{"report": {}}', b'{"allegations": 7}'],
)
def test_no_malformed_case_gets_a_decision(http: httpx.Client, body: bytes) -> None:
    r = http.post("/v1/decide", content=body)
    assert 400 <= r.status_code < 500
    assert r.headers["content-type"] == PROBLEM
