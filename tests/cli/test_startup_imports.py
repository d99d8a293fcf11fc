"""A plain ``decide`` does not pay for the batch evaluator's libraries (DuckDB and NumPy cost
about 0.3 s of start-up); asking for the batch evaluator loads them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
CASE = ROOT / "examples" / "cases" / "punched_outside_pub.yaml"
# Runs the CLI in-process, then says which of the heavy modules it loaded.
PROBE = """
import contextlib, io, json, sys
from counting_rules.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
loaded = sorted(m for m in ("duckdb", "numpy") if m in sys.modules)
print(json.dumps({"code": code, "loaded": loaded}))
"""


def _loaded(*args: str) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, "decide", str(CASE), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.parametrize("args", [(), ("--evaluator", "reference")], ids=["durable", "reference"])
def test_decide_loads_neither_duckdb_nor_numpy(args: tuple[str, ...]) -> None:
    assert _loaded(*args) == {"code": 0, "loaded": []}


def test_the_batch_evaluator_loads_them_when_asked_for() -> None:
    assert _loaded("--evaluator", "batch") == {"code": 0, "loaded": ["duckdb", "numpy"]}
