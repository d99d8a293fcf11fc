"""The add-a-rule and add-an-edition how-tos give commands a reader can run: the scaffolds run
as written in a copy of the checkout, every other ``counting-rules`` command parses, and every
module and test path they name exists."""

from __future__ import annotations

import importlib.util
import re
import shlex
import shutil
from pathlib import Path

import pytest

from counting_rules.cli import _parser, main

ROOT = Path(__file__).parents[2]
PAGES = ("docs/how-to/add-a-rule.md", "docs/how-to/add-an-edition.md")
_SH = re.compile(r"^```sh\n(.*?)^```$", re.M | re.S)


def commands(page: str) -> list[list[str]]:
    text = (ROOT / page).read_text(encoding="utf-8")
    return [shlex.split(line) for block in _SH.findall(text) for line in block.splitlines()]


@pytest.mark.parametrize("page", PAGES)
def test_the_commands_of_the_how_to_run(
    page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for rel in ("rulebooks/hocr", "tests/rulebooks", "scenarios"):
        shutil.copytree(ROOT / rel, tmp_path / rel)
    monkeypatch.chdir(tmp_path)
    found = commands(page)
    assert any(c[:2] == ["counting-rules", "new"] for c in found)
    for words in found:
        if words[:2] == ["counting-rules", "new"]:  # run, into the copy
            assert main([*words[1:], "--rulebook", "rulebooks/hocr"]) == 0, words
        elif words[0] == "counting-rules":
            _parser().parse_args(words[1:])
        elif words[:2] == ["python", "-m"] and words[2] != "pytest":
            assert importlib.util.find_spec(words[2]) is not None, words
        else:
            assert words[:4] == ["python", "-m", "pytest", "-q"], words
            for path in words[4:]:
                assert (ROOT / path).exists(), path
