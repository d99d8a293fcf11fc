"""``check`` and ``diff`` without the ``testing`` extra: one line naming it, not a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from counting_rules._cli.exits import MISSING_EXTRA

ROOT = Path(__file__).parents[2]
# As if hypothesis were not installed: `import hypothesis` fails in the child.
WITHOUT = "import sys; sys.modules['hypothesis'] = None; from counting_rules.cli import run; run()"


def without_hypothesis(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT, *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("argv", [["check"], ["diff", "2018", "2023"]], ids=["check", "diff"])
def test_a_command_that_generates_cases_names_the_extra_in_one_line(argv: list[str]) -> None:
    done = without_hypothesis(*argv)
    assert (done.returncode, done.stdout) == (MISSING_EXTRA, "")
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith(f"counting-rules: {argv[0]} generates cases with hypothesis")
    assert "pip install 'counting-rules[testing]'" in done.stderr


def test_diff_of_given_cases_alone_needs_no_extra() -> None:
    case = "examples/cases/punched_outside_pub.yaml"
    done = without_hypothesis("diff", "2018", "2023", case, "--examples", "0")
    assert (done.returncode, done.stderr) == (0, "")
    assert "hypothesis" not in done.stdout
    assert done.stdout.strip()
