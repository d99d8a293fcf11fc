"""A real service on loopback: `counting-rules serve` in its own process, its log kept."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import httpx
import pytest

STARTUP_SECONDS = 120  # a worker loads and warms the rulebook first


@dataclass
class Server:
    url: str
    log: Path
    process: subprocess.Popen[bytes]
    sink: BinaryIO

    def log_text(self) -> str:
        return self.log.read_text("utf-8")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(tmp: Path, *, workers: int = 1, **env: str) -> Server:
    port = free_port()
    log = tmp / f"serve-{port}.log"
    settings = {f"COUNTING_RULES_SERVE_{k.upper()}": v for k, v in env.items()}
    sink = log.open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "counting_rules",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        stdout=sink,
        stderr=subprocess.STDOUT,
        env={**os.environ, **settings},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sink.close()
            raise RuntimeError(f"the service exited: {log.read_text('utf-8')[-2000:]}")
        try:
            if httpx.get(url + "/v1/readyz", timeout=2).status_code == 200:
                return Server(url, log, process, sink)
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    process.wait()
    sink.close()
    raise RuntimeError("the service did not become ready")


def stop(server: Server) -> int:
    server.process.send_signal(signal.SIGTERM)
    try:
        return server.process.wait(timeout=60)
    finally:
        server.sink.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    # Small limits so the 408 and 413 paths are quick to reach.
    s = start(tmp_path_factory.mktemp("service"), body_seconds="1", max_body_bytes="200000")
    yield s
    stop(s)


@pytest.fixture
def http(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60) as c:
        yield c
