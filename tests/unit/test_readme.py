"""Every Python snippet in README.md runs as written, from the repository root."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
BLOCK = re.compile(r"^```python\n(.*?)^```$", re.DOTALL | re.MULTILINE)


def python_blocks(markdown: str) -> list[str]:
    return BLOCK.findall(markdown)


def test_the_readme_has_python_to_run() -> None:
    # Else the test below would pass on nothing.
    assert python_blocks((ROOT / "README.md").read_text(encoding="utf-8"))


def test_blocks_are_found_whole() -> None:
    text = "a\n```python\nx = 1\n\ny = 2\n```\nb\n```sh\nls\n```\n```python\nz = 3\n```\n"
    assert python_blocks(text) == ["x = 1\n\ny = 2\n", "z = 3\n"]


@pytest.mark.parametrize(
    "source",
    python_blocks((ROOT / "README.md").read_text(encoding="utf-8")),
    ids=lambda s: s.splitlines()[0][:40],
)
def test_readme_python_runs_verbatim(source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the snippets name files as a reader in a checkout would
    exec(compile(source, "README.md", "exec"), {"__name__": "readme"})
