"""Every command's --help ends with examples that parse and the exit codes it can give."""

from __future__ import annotations

import argparse
import re
import shlex

import pytest

from counting_rules._cli.epilog import EXAMPLES, EXIT_CODES, epilog
from counting_rules._cli.exits import MEANINGS
from counting_rules.cli import _parser, main

SHELL = {"|", "<", ">", "&&", ";"}  # where an example's own arguments end


def commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command path (the program itself first), through nested subcommands."""
    found = [path]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += commands(sub, (*path, name))
    return found


COMMANDS = commands(_parser())


def help_text(capsys: pytest.CaptureFixture[str], path: tuple[str, ...]) -> str:
    with pytest.raises(SystemExit) as done:
        main([*path, "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


def section(text: str, heading: str) -> list[str]:
    """The indented lines under ``heading``, up to the first blank line."""
    after = text.split(f"\n{heading}\n", 1)
    assert len(after) == 2, f"no {heading!r} section"
    return after[1].split("\n\n", 1)[0].splitlines()


def test_the_walk_finds_the_nested_commands() -> None:
    # Else a broken walk would check only the top level and pass.
    assert {("decide",), ("serve",), ("scenarios", "check"), ("convert-case",)} <= set(COMMANDS)
    assert len(COMMANDS) >= 14


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "counting-rules")
def test_help_has_examples_and_exit_codes(
    capsys: pytest.CaptureFixture[str], path: tuple[str, ...]
) -> None:
    text = help_text(capsys, path)
    examples = [e.strip() for e in section(text, EXAMPLES) if e.startswith("  counting-rules")]
    assert examples, "no example of the command"
    prefix = " ".join(("counting-rules", *path))
    assert any(e.startswith(prefix) for e in examples), f"no example starts with {prefix!r}"
    codes = section(text, EXIT_CODES)
    found = [int(m.group(1)) for m in (re.match(r"  (\d+) +\S", c) for c in codes) if m]
    assert len(found) == len(codes), codes
    assert {0, 2} <= set(found)
    for example in examples:  # each example is one the command line accepts
        words = shlex.split(example)[1:]
        cut = next((i for i, w in enumerate(words) if w in SHELL), len(words))
        _parser().parse_args(words[:cut])


def test_a_code_means_what_the_table_says_unless_the_command_says_otherwise() -> None:
    plain = epilog(["counting-rules x"], [65])["epilog"]
    assert f"  65   {MEANINGS[65]}" in plain
    assert "  1 " not in plain
    own = epilog(["counting-rules x"], [1], meaning={1: "findings"})["epilog"]
    assert "  1    findings" in own
    with pytest.raises(KeyError):
        epilog(["counting-rules x"], [99])  # a code nobody described
