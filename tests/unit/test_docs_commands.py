"""The tutorial's commands run as written, and print what the tutorial shows (docs/tutorial.md).

Every ``sh`` block of the tutorial is run with bash, in a scratch folder that has the
checkout's examples and scenarios, with this environment's ``counting-rules`` on the PATH;
only the install commands are left out (the wheel is built and installed by
tests/health/test_wheel.py). A ``text`` block right after a command block is its output: each
line shown must be in what the commands printed. A line may be shortened with ``…``: the
pieces either side of it must appear, in order, in one line of the output; ``…`` alone stands
for lines left out.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
TUTORIAL = ROOT / "docs" / "tutorial.md"
# The install, which the test's own environment has already done.
INSTALL = ("python3 -m venv .venv", ".venv/bin/pip install -q .", "source .venv/bin/activate")
_BLOCK = re.compile(r"^```(\w*)\n(.*?)^```$", re.M | re.S)


def _steps() -> list[tuple[list[str], list[str]]]:
    """(commands, output lines shown) of each command block, in the tutorial's order."""
    blocks = [(m.group(1), m.group(2).splitlines()) for m in _BLOCK.finditer(TUTORIAL.read_text())]
    steps = []
    for i, (kind, lines) in enumerate(blocks):
        if kind != "sh":
            continue
        shown = blocks[i + 1][1] if i + 1 < len(blocks) and blocks[i + 1][0] == "text" else []
        steps.append((lines, shown))
    return steps


def _matches(shown: str, printed: list[str]) -> bool:
    pieces = [p.strip() for p in shown.split("…") if p.strip()]
    for line in printed:
        at = 0
        for piece in pieces:
            at = line.find(piece, at)
            if at < 0:
                break
            at += len(piece)
        else:
            return True
    return False


def test_the_tutorial_has_the_steps_it_promises() -> None:
    steps = _steps()
    commands = [c for lines, _ in steps for c in lines]
    assert commands[:3] == list(INSTALL)  # the install comes first, and only there
    assert not any(c in INSTALL for c in commands[3:])
    run = " ".join(commands)
    for needed in ("decide", "--why-not", "walkthrough", "--quiz", "scenarios list"):
        assert needed in run, needed
    assert sum(1 for lines, shown in steps if shown) >= 8  # output shown for most steps


def test_every_tutorial_command_runs_and_prints_what_it_shows(tmp_path: Path) -> None:
    bin_dir = Path(sys.executable).parent
    assert shutil.which("counting-rules", path=str(bin_dir)), f"no counting-rules in {bin_dir}"
    for name in ("examples", "scenarios"):
        (tmp_path / name).symlink_to(ROOT / name)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    for lines, shown in _steps():
        script = "\n".join(c for c in lines if c not in INSTALL)
        if not script:
            continue
        done = subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", script],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        printed = (done.stdout + done.stderr).splitlines()
        assert done.returncode == 0, f"{script}\nexit {done.returncode}\n{done.stderr}"
        missing = [s for s in shown if s.strip() != "…" and not _matches(s, printed)]
        assert missing == [], f"{script}\nprinted:\n" + "\n".join(printed[:60])


@pytest.mark.parametrize(
    ("shown", "printed", "found"),
    [
        ("Status: complete.", ["Status: complete."], True),
        ("Rules: HOCR 2023 …", ["Rules: HOCR 2023 changes"], True),
        (
            "… injury is not known … Ask: What",
            ["x: injury is not known yet. Ask: What injury"],
            True,
        ),
        ("Ask: What … injury is not known", ["injury is not known yet. Ask: What"], False),
        ("Status: complete.", ["Status: NOT complete"], False),
    ],
)
def test_a_shortened_line_matches_its_pieces_in_order(
    shown: str, printed: list[str], found: bool
) -> None:
    assert _matches(shown, printed) is found
