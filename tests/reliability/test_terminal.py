"""Case and scenario text reaches the terminal literally: no escape sequences, no rich markup
(issue 8, item 12)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from counting_rules import Rulebook
from counting_rules._cli.training import walk
from counting_rules._common.printable import literal, printable
from counting_rules.cli import main
from counting_rules.scenario import check_scenario, load_scenario

ROOT = Path(__file__).parents[2]
REPROS = Path(__file__).parent / "repros"
EVIL = "[link=https://evil.example]click[/link] [bold red]loud[/] \x1b[2J\x1b]8;;x\x07\u202e"


def test_printable_shows_controls_as_visible_escapes() -> None:
    assert printable("a\x1b[31mb\x9bc\x7f\u202ed") == "a\\x1b[31mb\\x9bc\\x7f\\u202ed"
    assert printable("line\n\tnext") == "line\n\tnext"  # layout stays
    assert literal("[link=x]y[/link]") == "\\[link=x]y\\[/link]"


def test_a_walkthrough_shows_scenario_text_literally(book: Rulebook) -> None:
    original = load_scenario(ROOT / "scenarios/hocr/crime_types/theft/thefts_on_a_saturday.yaml")
    stages = list(original.stages)
    stages[0] = stages[0].model_copy(update={"title": EVIL, "question": EVIL})
    evil = original.model_copy(update={"title": EVIL, "stages": tuple(stages)})
    result = check_scenario(evil, evaluator="reference", rulebook=book)
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, width=200, color_system="truecolor")
    walk(result, book, console, io.StringIO(), "auto")
    out = buf.getvalue()
    assert "\x1b]8;" not in out  # no hyperlink was opened
    assert "\x1b[2J" not in out  # the screen was not cleared
    assert "\u202e" not in out
    assert "[link=https://evil.example]click[/link]" in out
    assert "[bold red]loud[/]" in out
    assert "\\x1b[2J" in out


def test_explain_refuses_markup_as_an_ethnicity_without_echoing_or_running_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Ethnicity was the free text explain printed; it is a closed vocabulary now, so markup
    there is an input error that names the field, never the text, and runs no template."""
    doc = json.loads((REPROS / "ansi.json").read_text())
    doc["victims"][0]["ethnicity"] = "[link=https://evil.example]x[/link]{{7*7}}<script>"
    path = tmp_path / "case.json"
    path.write_text(json.dumps(doc))
    rule = "general_rules/equality_data/missing/ethnicity"
    assert main(["explain", str(path), "--why-not", rule]) == 65
    out, err = capsys.readouterr()
    assert out == ""
    assert "victims[V1].ethnicity: Input should be 'W1'" in err
    assert "evil.example" not in err
    assert "{{7*7}}" not in err
    assert "49" not in err  # no template ran on case text


def test_explain_refuses_the_ansi_repro_without_echoing_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    rule = "general_rules/equality_data/missing/ethnicity"
    assert main(["explain", str(REPROS / "ansi.json"), "--why-not", rule]) == 65
    out, err = capsys.readouterr()
    assert out == ""
    assert "\x1b" not in err
    assert "PWNED" not in err
    assert "victims[V1].ethnicity: control character U+001B" in err


def test_cli_errors_escape_control_characters_in_file_names(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["decide", str(tmp_path / "x\x1b[2J.yaml")]) == 66
    err = capsys.readouterr().err
    assert "\x1b" not in err
    assert "x\\x1b[2J.yaml" in err
