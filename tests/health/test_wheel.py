"""The wheel, installed in a fresh virtual environment and run away from the checkout: the
scenario library and the rulebooks come from the package, every command's --help works, and
``check`` says which extra it needs until it is installed, then runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from counting_rules._cli.exits import MISSING_EXTRA
from counting_rules.cli import _parser
from tests.cli.test_help import commands

ROOT = Path(__file__).parents[2]
CHECK_QUICKLY = (
    "--examples",
    "20",
    "--budget",
    "50",
    "--rule",
    "general_rules/ncrs/record_when_test_met",
)


def _pip(python: Path, *args: str) -> None:
    # This interpreter's pip installs into the new one: a venv without pip is made in a second.
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", *args],
        check=True,
        timeout=240,
    )


@pytest.mark.slow
def test_the_wheel_works_installed_outside_the_checkout(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        timeout=240,
    )
    (wheel,) = tmp_path.glob("counting_rules-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python, script = venv / "bin" / "python", venv / "bin" / "counting-rules"
    _pip(python, str(wheel))
    away = tmp_path / "elsewhere"
    away.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(script), *argv], cwd=away, env=env, capture_output=True, text=True, timeout=240
        )

    where = subprocess.run(
        [str(python), "-c", "import counting_rules as c; print(c.__file__)"],
        cwd=away,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(venv)  # not the checkout's package

    listed = run("scenarios", "list", "--format", "json")
    assert (listed.returncode, listed.stderr) == (0, "")
    ids = [s["id"] for s in json.loads(listed.stdout)["scenarios"]]
    shipped = {p.relative_to(ROOT / "scenarios") for p in (ROOT / "scenarios").rglob("*.yaml")}
    assert len(ids) == len(shipped)
    walked = run("walkthrough", ids[0], "--auto")
    assert (walked.returncode, walked.stderr) == (0, "")
    assert "Stage 1 of" in walked.stdout

    helps = {
        path: subprocess.Popen(
            [str(script), *path, "--help"],
            cwd=away,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in commands(_parser())
    }
    for path, proc in helps.items():
        out, err = proc.communicate(timeout=240)
        assert (proc.returncode, err) == (0, ""), path
        assert "examples:" in out, path
        assert "exit codes:" in out, path

    bare = run("check", *CHECK_QUICKLY)
    assert (bare.returncode, bare.stdout) == (MISSING_EXTRA, "")
    assert bare.stderr.strip().endswith("pip install 'counting-rules[testing]'")
    _pip(python, f"{wheel}[testing]")  # what the line says: the testing extra, hypothesis
    checked = run("check", *CHECK_QUICKLY)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.strip() == "no findings"
    assert "edition 2026" in checked.stderr  # it ran every edition, from the packaged rulebook
