"""The counting-rules command line: decisions, schema, rulebooks, and errors with exit codes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import pytest

from counting_rules._common.limits import MAX_FILE_BYTES
from counting_rules.cli import main

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "cases" / "punched_outside_pub.yaml"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_decide_text_shows_every_item_with_a_cited_reason(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "decide", str(EXAMPLE))
    assert code == 0, err
    assert "Record crime:" in out
    assert "Source:" in out
    assert "general_rules/ncrs/record_when_test_met" in out


def test_decide_json_validates_against_the_schema(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "decide", str(EXAMPLE), "--format", "json")
    assert code == 0
    decision = json.loads(out)
    _, schema_out, _ = run(capsys, "schema", "decision")
    jsonschema.validate(decision, json.loads(schema_out))
    items = [
        *decision["crimes"],
        *decision["n100s"],
        *decision["incidents"],
        *decision["transfers"],
        *decision["cancellations"],
        *decision["victim_duties"],
        *decision["findings"],
    ]
    assert items
    for item in items:
        assert item["reasons"], item
        for reason in item["reasons"]:
            assert reason["citation"]["url"].startswith("http")
            assert reason["explanation"].strip()


def test_the_example_case_validates_against_the_case_schema(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from counting_rules._common.yaml_lines import load_text

    _, schema_out, _ = run(capsys, "schema", "case")
    jsonschema.validate(load_text(EXAMPLE.read_text()).data, json.loads(schema_out))


def test_decide_markdown(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "decide", str(EXAMPLE), "--format", "markdown")
    assert code == 0
    assert out.startswith("# Decision for case example-c01")


def test_json_is_byte_identical_across_runs_and_evaluators(
    capsys: pytest.CaptureFixture[str],
) -> None:
    outs = {
        run(capsys, "decide", str(EXAMPLE), "--format", "json", "--evaluator", ev)[1]
        for ev in ("durable", "reference", "batch", "durable")
    }
    assert len(outs) == 1


def test_rulebooks_lists_editions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "rulebooks", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    editions = doc["editions"]
    # From before April 2015 (the 72-hour limit) to the current edition.
    assert editions[0]["edition"] == "2014"
    assert editions[0]["in_force_from"] < "2015-04-01"
    assert editions[-1]["in_force_until"] is None
    assert all(e["rules"] > 0 for e in doc["editions"])


@pytest.mark.parametrize(
    ("content", "code", "text", "problems"),
    [
        ("report: {id: r1}\nallegations: []\n", 65, "report.received_at: Field required", 4),
        (EXAMPLE.read_text().replace("age: 34", 'age: "34"'), 65, "victims[V1].age", 1),
        (
            EXAMPLE.read_text().replace("ethnicity: W1", "ethnicty: W1"),
            65,
            "victims[V1].ethnicty",
            1,
        ),
        ("report: [unclosed\n", 66, "not valid YAML", 1),
    ],
)
def test_bad_case_files_exit_non_zero_with_one_line_a_problem(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    content: str,
    code: int,
    text: str,
    problems: int,
) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(content)
    got, out, err = run(capsys, "decide", str(path))
    assert got == code
    assert out == ""  # never a decision after an error
    assert text in err
    lines = err.splitlines()
    if problems > 1:
        assert lines.pop() == f"counting-rules: {problems} problems, listed above"
    assert len(lines) == problems
    assert all(line.startswith("counting-rules: error [case-") for line in lines)


THREE_ERRORS = (
    EXAMPLE.read_text(encoding="utf-8")
    .replace("    injury: none", "    injry: none")
    .replace("channel: non_emergency_call", "channel: non_emergncy_call")
    .replace("age: 34", "age: -3")
)


@pytest.mark.parametrize("from_stdin", [False, True], ids=["file", "stdin"])
def test_a_case_with_three_errors_lists_all_three_by_id_each_with_its_fix(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    from_stdin: bool,
) -> None:
    path = tmp_path / "three.yaml"
    path.write_text(THREE_ERRORS, encoding="utf-8")
    if from_stdin:
        with_stdin(monkeypatch, THREE_ERRORS.encode())
    code, out, err = run(capsys, "decide", "-" if from_stdin else str(path))
    assert (code, out) == (65, "")
    name = "<stdin>" if from_stdin else str(path)
    lines = THREE_ERRORS.splitlines()

    def at(text: str) -> int:
        return next(i for i, t in enumerate(lines, 1) if text in t)

    prefix = "counting-rules: error [case-facts]: "
    assert err.splitlines() == [
        f"{prefix}{name}:{at('injry')}: allegations[A1].injry: Extra inputs are not permitted "
        "(did you mean 'injury'?)",
        f"{prefix}{name}:{at('non_emergncy')}: report.channel: Input should be 'emergency_call', "
        "'non_emergency_call', 'in_person', 'online' or 'partner_agency' "
        "(did you mean 'non_emergency_call'?)",
        f"{prefix}{name}:{at('age: -3')}: victims[V1].age: Input should be greater than or equal "
        "to 0 (give a whole number from 0 to 130)",
        "counting-rules: 3 problems, listed above",
    ]


def test_field_errors_name_the_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(EXAMPLE.read_text().replace("age: 34", 'age: "34"'))
    _, _, err = run(capsys, "decide", str(path))
    line = next(i for i, t in enumerate(path.read_text().splitlines(), 1) if 'age: "34"' in t)
    assert f"case.yaml:{line}:" in err


def test_missing_file_and_unknown_edition(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(capsys, "decide", "no/such.yaml")[0] == 66
    code, _, err = run(capsys, "decide", str(EXAMPLE), "--edition", "1999")
    assert code == 64
    assert "unknown edition '1999'" in err


def test_report_before_the_first_edition_is_an_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "old.yaml"
    path.write_text(EXAMPLE.read_text().replace("2024-03-04", "2013-03-04"))
    code, out, err = run(capsys, "decide", str(path))
    assert code == 64
    assert out == ""
    assert "before the first edition" in err
    assert "2014-04-01" in err  # names the earliest date covered


def test_broken_rulebook_exits_78(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "editions.yaml").write_text("rulebook: x\n")
    code, _, err = run(capsys, "rulebooks", "--rulebook", str(tmp_path))
    assert code == 78
    assert "editions.yaml" in err


def test_multi_victim_example_shows_crimes_absorbed_flags_and_n100(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = ROOT / "examples" / "cases" / "domestic_incident.yaml"
    code, out, _ = run(capsys, "decide", str(path), "--format", "json")
    assert code == 0
    d = json.loads(out)
    crimes = {c["allegation_id"]: c for c in d["crimes"]}
    assert {a: (c["victim_id"], c["code"]) for a, c in crimes.items()} == {
        "A1": ("V1", "8N"),
        "A3": ("V2", "105A"),
    }
    assert [a["allegation_id"] for a in crimes["A1"]["absorbed"]] == ["A2"]
    assert any(
        r["rule_id"] == "general_rules/f_principal_crime_rule/principal_crime_rule"
        for r in crimes["A1"]["absorbed"][0]["reasons"]
    )
    assert all(c["flags"] == ["domestic_abuse"] for c in crimes.values())
    assert all(c["deadline"] == "2024-06-15T23:40:00+01:00" for c in crimes.values())
    assert [(n["allegation_id"], n["n100_type"]) for n in d["n100s"]] == [("A4", "N100/1")]


def test_check_refuses_a_rule_filter_that_names_no_rule(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", "--rule", "crime_types/offence_code", "--quiet")
    assert code == 64
    assert "error [usage]: --rule 'crime_types/offence_code' names no rule" in err
    assert "did you mean 'crime_types/offence_codes/" in err


# ---------------------------------------------------------------- decide - (standard input)


def with_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


@pytest.mark.parametrize("as_json", [False, True], ids=["yaml", "json"])
def test_decide_dash_reads_the_case_from_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, as_json: bool
) -> None:
    from counting_rules._common.yaml_lines import load_text

    _, from_file, _ = run(capsys, "decide", str(EXAMPLE), "--format", "json")
    text = EXAMPLE.read_text(encoding="utf-8")
    with_stdin(monkeypatch, (json.dumps(load_text(text).data) if as_json else text).encode())
    code, out, err = run(capsys, "decide", "-", "--format", "json")
    assert code == 0, err
    assert out == from_file


@pytest.mark.parametrize(
    ("data", "code", "text"),
    [
        (b"", 66, "<stdin>: no case on standard input"),
        (b"  \n\n", 66, "<stdin>: no case on standard input"),
        (b"# only a comment\n", 66, "<stdin>: a case is a mapping"),
        (b"report: [unclosed\n", 66, "not valid YAML"),
        (EXAMPLE.read_bytes().replace(b"age: 34", b'age: "34"'), 65, "<stdin>:11: victims[V1].age"),
        (b"#" * (MAX_FILE_BYTES + 1), 66, "<stdin>: larger than the limit"),
        (b"report: \xff\n", 66, "<stdin>:1: not UTF-8 text"),
    ],
    ids=["empty", "blank", "comment", "not-yaml", "bad-field", "too-large", "not-utf8"],
)
def test_decide_dash_validates_stdin_as_strictly_as_a_file(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    data: bytes,
    code: int,
    text: str,
) -> None:
    with_stdin(monkeypatch, data)
    got, out, err = run(capsys, "decide", "-")
    assert (got, out) == (code, "")
    assert text in err
    assert err.count("\n") == 1


# ---------------------------------------------------------------- decide --fail-on-incomplete


@pytest.fixture
def incomplete(tmp_path: Path) -> Path:
    """The example with the injury not yet asked about: a question is still needed."""
    path = tmp_path / "incomplete.yaml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8").replace("    injury: none\n", ""))
    return path


def test_fail_on_incomplete_exits_3_after_printing_the_decision(
    capsys: pytest.CaptureFixture[str], incomplete: Path
) -> None:
    code, out, err = run(
        capsys, "decide", str(incomplete), "--fail-on-incomplete", "--format", "json"
    )
    assert code == 3
    assert json.loads(out)["still_needed"]  # the decision, as usual, then the code
    assert "not complete (1 question(s) still needed); exit 3" in err


def test_an_incomplete_decision_exits_0_without_the_option(
    capsys: pytest.CaptureFixture[str], incomplete: Path
) -> None:
    code, out, err = run(capsys, "decide", str(incomplete))
    assert (code, err) == (0, "")
    assert "Record crime:" in out


def test_fail_on_incomplete_exits_0_on_a_complete_decision(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "decide", str(EXAMPLE), "--fail-on-incomplete")
    assert (code, err) == (0, "")
    assert "Record crime:" in out


def test_fail_on_incomplete_leaves_errors_their_own_codes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(capsys, "decide", "no/such.yaml", "--fail-on-incomplete")[0] == 66
