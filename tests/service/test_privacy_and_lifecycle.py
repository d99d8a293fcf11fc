"""No personal data in the service's logs; a stopped service finishes what it started."""

from __future__ import annotations

import json
import signal
import threading
import time
from pathlib import Path

import httpx

from .conftest import Server, start, stop
from .test_problems import case

NAME, AGE, ETHNICITY = "Jane Doe-Planted", 97, "ZZETHNICSECRET"
PLANTED = (NAME, "Jane", "Planted", ETHNICITY)
MADE_HERE = {"ts", "ms", "request_id"}  # values the service makes itself
# uvicorn re-raises the signal it stopped on once it has shut down gracefully.
STOPPED = (0, -signal.SIGTERM)


def test_planted_names_and_ages_never_reach_the_log(server: Server, http: httpx.Client) -> None:
    good = case()
    good["victims"][0].update(age=AGE, ethnicity="W1")
    good["report"]["id"] = "privacy-1"
    bad_ones = []
    for field, value in (("ethnicity", NAME), ("sex", NAME), ("age", str(AGE)), ("id", NAME)):
        bad = case()
        bad["victims"][0][field] = value
        bad_ones.append(bad)
    unknown = case()
    unknown["victims"][0]["nickname"] = NAME
    bad_ones.append(unknown)
    ethnic = case()
    ethnic["victims"][0]["ethnicity"] = ETHNICITY
    bad_ones.append(ethnic)
    assert http.post("/v1/decide", json=good).status_code == 200
    for bad in bad_ones:
        assert http.post("/v1/decide", json=bad).status_code in (200, 422)
        http.post("/v1/why-not", json={"case": bad, "rule_ids": ["nope"]})
        http.post(
            "/v1/decide/batch",
            content=json.dumps(bad) + "\n",
            headers={"content-type": "application/x-ndjson"},
        )
    http.post(f"/v1/decide?edition={NAME}", json=good)
    http.get(f"/v1/rules/{NAME}")
    time.sleep(0.5)  # the log is written as each request ends
    log = server.log_text()
    lines = [json.loads(line) for line in log.splitlines()]
    assert sum(1 for line in lines if line.get("event") == "request") >= 3 * len(bad_ones)
    for planted in PLANTED:
        assert planted not in log, planted
    for line in lines:
        for key, value in line.items():
            assert key in MADE_HERE or str(AGE) not in str(value), (key, value)


def test_sigterm_lets_a_batch_in_flight_finish(tmp_path: Path) -> None:
    s = start(tmp_path)
    body = "\n".join(json.dumps(case()) for _ in range(40)) + "\n"
    got: dict[str, object] = {}

    def send() -> None:
        with httpx.Client(base_url=s.url, timeout=120) as c:
            r = c.post(
                "/v1/decide/batch",
                content=body,
                headers={"content-type": "application/x-ndjson"},
            )
            got["lines"] = r.text.splitlines()

    sender = threading.Thread(target=send)
    sender.start()
    time.sleep(0.3)  # the request is in flight
    s.process.send_signal(signal.SIGTERM)
    sender.join(timeout=120)
    code = stop(s)
    lines = got["lines"]
    assert isinstance(lines, list)
    assert json.loads(lines[-1]) == {"summary": {"lines": 40, "decided": 40, "rejected": 0}}
    assert code in STOPPED
    assert "Shutting down" in s.log_text() or "shutdown" in s.log_text().lower()


def test_two_workers_answer_alike(tmp_path: Path) -> None:
    s = start(tmp_path, workers=2)
    try:
        with httpx.Client(base_url=s.url, timeout=60) as c:
            answers = {c.post("/v1/decide", json=case()).text for _ in range(8)}
        assert len(answers) == 1
    finally:
        assert stop(s) in STOPPED
