"""``new rule`` and ``new edition`` scaffold into a copy of the checkout's rulebook, tests and
scenarios; the result loads, its stubs pass as written, and ``check`` then lists exactly what
the maintainer still has to fill in (and what the suite would fail on), not a crash."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from counting_rules import edition_for, load_rulebook, parse_case
from counting_rules._common.yaml_lines import load_text
from counting_rules._engine.decide import report_date
from counting_rules._engine.pipeline import run_case
from counting_rules._maintain.check import Options, check
from counting_rules.cli import main
from counting_rules.errors import UsageError
from counting_rules.scenario import check_scenario, load_scenario

ROOT = Path(__file__).parents[2]
RULE = "general_rules/ncrs/my_new_rule"
QUICK = Options(examples=2, budget=40, rules=(RULE,))  # the generated-case part, at its least


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A checkout's rulebook, per-rule tests, scenarios and rule reference, copied."""
    for rel in ("rulebooks/hocr", "tests/rulebooks", "scenarios"):
        shutil.copytree(ROOT / rel, tmp_path / rel)
    (tmp_path / "docs" / "reference").mkdir(parents=True)
    shutil.copy(ROOT / "docs/reference/rules.md", tmp_path / "docs/reference/rules.md")
    return tmp_path


@pytest.mark.slow
def test_a_scaffolded_rule_and_edition_are_valid_and_check_lists_what_is_left(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    book = "rulebooks/hocr"
    assert main(["new", "rule", RULE, "--rulebook", book]) == 0
    assert main(["new", "edition", "2027", "--rulebook", book]) == 0
    written = capsys.readouterr().out
    scenario = project / "scenarios/hocr" / f"{RULE}.yaml"
    edition_scenario = project / "scenarios/hocr/general_rules/ncrs/edition_2027.yaml"
    for path in (
        project / book / f"{RULE}.yaml",
        project / book / f"{RULE}.md.j2",
        project / "tests/rulebooks" / f"{RULE}.yaml",
        scenario,
        edition_scenario,
    ):
        assert f"wrote {path}" in written

    loaded = load_rulebook(project / book)  # valid from the start
    assert RULE in loaded.rules
    assert loaded.editions[-1].id == "2027"
    tests = load_text((project / "tests/rulebooks" / f"{RULE}.yaml").read_text(), "t").data
    assert [c["fires"] for c in tests["cases"]] == [True, False]
    for stub in tests["cases"]:  # it fires on one stub case and not on the other
        case = parse_case(stub["case"])
        edition = edition_for(loaded, report_date(case))
        trace = run_case(loaded, edition, case, "reference").trace
        assert (RULE in {f.rule.id for f in trace if f.variant == "sure"}) is stub["fires"]
    for path in (scenario, edition_scenario):  # the stubs' model answers are right
        result = check_scenario(load_scenario(path, project / "scenarios"), rulebook=loaded)
        assert result.passed, result

    found = check(book, QUICK)
    kinds = {(f.kind, f.file) for f in found}
    assert ("docs", "docs/reference/rules.md") in kinds  # the reference must be regenerated
    todo = {(f.file, f.line) for f in found if f.kind == "todo"}
    assert (f"{book}/{RULE}.yaml", 2) in todo  # the title, on its line
    assert any(f == f"{book}/editions.yaml" for f, _ in todo)  # the edition's summary
    for path in (scenario, edition_scenario, project / "tests/rulebooks" / f"{RULE}.yaml"):
        assert any(f == str(path.relative_to(project)) for f, _ in todo), path
    assert {f.kind for f in found} == {"todo", "docs"}, [f.one_line() for f in found]

    # Filled in, a placeholder is no longer listed.
    rule_file = project / book / f"{RULE}.yaml"
    text = rule_file.read_text()
    rule_file.write_text(text.replace('"TODO(maintainer): the rule in a line"', "A new rule"))
    after = check(book, QUICK)
    assert (f"{book}/{RULE}.yaml", 2) not in {(f.file, f.line) for f in after}


def test_check_reports_a_rule_without_tests_or_scenario_and_an_unused_edition(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    main(["new", "rule", RULE, "--rulebook", "rulebooks/hocr"])
    main(["new", "edition", "2027", "--rulebook", "rulebooks/hocr"])
    (project / "tests/rulebooks" / f"{RULE}.yaml").unlink()
    (project / "scenarios/hocr" / f"{RULE}.yaml").unlink()
    (project / "scenarios/hocr/general_rules/ncrs/edition_2027.yaml").unlink()
    found = {(f.kind, f.rule_id, f.message) for f in check("rulebooks/hocr", QUICK)}
    assert ("tests", RULE, "no test case where it fires and none where it does not fire") in found
    scenario = "no scenario teaches it (list it under a scenario's teaches:)"
    assert ("scenario", RULE, scenario) in found
    unused = "no scenario uses edition 2027 (a scenario's or a stage's edition:)"
    assert ("edition", "", unused) in found


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["new", "rule", "general_rules/nrcs/x"], "did you mean 'general_rules/ncrs'"),
        (["new", "rule", "general_rules/ncrs/record_when_test_met"], "exists already"),
        (["new", "rule", "NoArea"], "is not AREA/NAME"),
        (["new", "edition", "2020"], "is not after the latest, 2026"),
    ],
)
def test_bad_scaffold_requests_say_why(
    project: Path, capsys: pytest.CaptureFixture[str], argv: list[str], says: str
) -> None:
    assert main([*argv, "--rulebook", str(project / "rulebooks/hocr")]) == UsageError.exit_code
    assert says in capsys.readouterr().err
