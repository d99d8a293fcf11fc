"""The generated reference pages (docs/reference/cli.md, docs/reference/schemas/) are what the
code says today, and the generator covers every command."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from counting_rules import cli
from counting_rules._reference_docs import COMMAND, cli_markdown, main, pages

ROOT = Path(__file__).parents[2]
# docs/reference/rules.md has its own test, with the rulebook fixture
# (test_rulebook_health.py::test_rule_reference_is_up_to_date); the generator writes it too.
GENERATED = [rel for rel in pages() if rel != "docs/reference/rules.md"]


@pytest.mark.parametrize("rel", GENERATED)
def test_generated_page_is_up_to_date(rel: str) -> None:
    committed = (ROOT / rel).read_text(encoding="utf-8")
    assert committed == pages()[rel](), f"{rel} is stale: run `{COMMAND}` in the checkout"


def _every_command(parser: argparse.ArgumentParser) -> list[str]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found += [sub.prog, *_every_command(sub)]
    return found


def test_cli_reference_has_every_command_with_its_examples_and_exit_codes() -> None:
    page = cli_markdown(cli._parser())
    sections = page.split("\n## ")[1:]
    titles = [s.splitlines()[0] for s in sections]
    commands = _every_command(cli._parser())
    assert "counting-rules scenarios list" in commands  # nested subcommands are walked
    assert titles == ["counting-rules", *commands]
    for section in sections:
        assert "\nexamples:\n" in section, section.splitlines()[0]
        assert "\nexit codes:\n" in section, section.splitlines()[0]


def test_cli_reference_does_not_depend_on_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    narrow = cli_markdown(cli._parser())
    monkeypatch.setenv("COLUMNS", "250")
    assert cli_markdown(cli._parser()) == narrow


def test_schema_files_are_the_schema_command_output(capsys: pytest.CaptureFixture[str]) -> None:
    for which in ("case", "decision"):
        assert cli.main(["schema", which]) == 0
        printed = capsys.readouterr().out
        committed = (ROOT / "docs/reference/schemas" / f"{which}.schema.json").read_text()
        assert json.loads(committed) == json.loads(printed)


def test_check_names_a_stale_page_and_writing_fixes_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "docs" / "reference").mkdir(parents=True)
    assert main(["--root", str(tmp_path), "--check"]) == 1
    out = capsys.readouterr().out
    assert f"stale: docs/reference/cli.md (run `{COMMAND}`)" in out
    assert not (tmp_path / "docs/reference/cli.md").exists()  # --check writes nothing

    assert main(["--root", str(tmp_path)]) == 0
    assert "wrote docs/reference/schemas/case.schema.json" in capsys.readouterr().out
    for rel in pages():
        assert (tmp_path / rel).read_text() == (ROOT / rel).read_text(), rel
    assert main(["--root", str(tmp_path), "--check"]) == 0

    (tmp_path / "docs/reference/cli.md").write_text("edited by hand\n")
    assert main(["--root", str(tmp_path), "--check"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"stale: docs/reference/cli.md (run `{COMMAND}`)"
    ]


def test_outside_a_checkout_it_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(tmp_path)]) == 2
    assert "docs/reference is not a folder" in capsys.readouterr().err
