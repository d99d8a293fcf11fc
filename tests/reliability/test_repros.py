"""Each input-boundary reproduction from the reliability review is refused with a typed error
at its field and line (issue 8, items 7-9, 11 and 12), through the API and the CLI."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from counting_rules import CaseFactsError, CaseFileError, decide
from counting_rules._case.files import load_case_file
from counting_rules.cli import main

REPROS = Path(__file__).parent / "repros"


def refused(name: str) -> CaseFactsError:
    with pytest.raises(CaseFactsError) as err:
        load_case_file(REPROS / name)
    assert not isinstance(err.value, CaseFileError)  # an invalid case, not an unreadable file
    return err.value


def test_yaml_1_1_directive_is_refused_so_015_never_becomes_13() -> None:
    err = refused("yaml11_age.yaml")
    assert err.line == 1
    assert "%YAML 1.1" in err.message


def test_yaml_1_2_reads_015_as_text_so_the_age_is_refused_not_coerced(tmp_path: Path) -> None:
    text = (REPROS / "yaml11_age.yaml").read_text().replace("%YAML 1.1\n", "%YAML 1.2\n")
    path = tmp_path / "case.yaml"
    path.write_text(text)
    with pytest.raises(CaseFactsError) as err:
        load_case_file(path)
    assert err.value.field == "victims[V1].age"
    assert err.value.line == 10
    assert "valid integer" in err.value.message


def test_a_tag_is_refused_at_its_field_and_line() -> None:
    err = refused("tag_str.yaml")
    assert (err.field, err.line) == ("victims[V1].ethnicity", 8)
    assert "tags" in err.message


def test_an_impossible_date_names_the_field_and_line() -> None:
    err = refused("ts_feb30.yaml")
    assert (err.field, err.line) == ("report.received_at", 3)
    assert "day value is outside expected range" in err.message


def test_deep_nesting_is_a_limit_not_a_recursion_error() -> None:
    err = refused("deep1000.yaml")
    assert err.line == 1
    assert "limit of 32 (Limits.depth)" in err.message


def test_an_alias_bomb_is_refused_at_once() -> None:
    start = time.perf_counter()
    err = refused("bomb6.yaml")
    assert time.perf_counter() - start < 1.0
    assert (err.field, err.line) == ("a0", 1)
    assert "anchors and aliases" in err.message


def test_a_duplicate_key_names_the_key_and_not_the_victims_details() -> None:
    err = refused("dup_victims.yaml")
    assert (err.field, err.line) == ("victims", 3)
    assert "duplicate key" in err.message
    for secret in ("ZZETHNICSECRET", "87", "age"):
        assert secret not in str(err)


def test_escape_sequences_in_case_text_are_refused_and_never_echoed() -> None:
    err = refused("ansi.json")
    assert err.field == "victims[V1].ethnicity"
    assert "U+001B" in err.message
    assert "\x1b" not in str(err)
    assert "PWNED" not in str(err)


@pytest.mark.parametrize(
    "name",
    [
        "yaml11_age.yaml",
        "tag_str.yaml",
        "ts_feb30.yaml",
        "deep1000.yaml",
        "bomb6.yaml",
        "dup_victims.yaml",
        "ansi.json",
    ],
)
@pytest.mark.parametrize("command", [["decide"], ["explain", "--why-not", "x/y"]])
def test_the_cli_exits_65_with_one_clean_line(
    capsys: pytest.CaptureFixture[str], name: str, command: list[str]
) -> None:
    code = main([command[0], str(REPROS / name), *command[1:]])
    out, err = capsys.readouterr()
    assert code == 65
    assert out == ""
    assert err.startswith("counting-rules: error [case-facts]: ")
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert "\x1b" not in err


def test_the_cli_exits_66_for_a_missing_or_unreadable_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["decide", str(tmp_path / "missing.yaml")]) == 66
    assert main(["decide", str(tmp_path)]) == 66  # a folder
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes(b"report:\n  id: R1\n  caf\xe9: x\n")
    assert main(["decide", str(bad)]) == 66
    err = capsys.readouterr().err
    assert "latin1.yaml:3: not UTF-8 text" in err
    assert "Traceback" not in err


def test_the_fixed_repro_decides(tmp_path: Path) -> None:
    """The tagged value without its tag is an ordinary case."""
    path = tmp_path / "case.yaml"
    path.write_text((REPROS / "tag_str.yaml").read_text().replace("!!str W1", "W1"))
    decision = decide(load_case_file(path), evaluator="reference")
    assert [c.allegation_id for c in decision.crimes] == ["A1"]
