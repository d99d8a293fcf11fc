"""The walkthrough (auto, quiz, step, handout) and the `scenarios` commands, driven as a
trainer would: through the command line, with scripted answers on standard input."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape

from counting_rules import Rulebook, Scenario
from counting_rules._training.quiz import parse_answer, score
from counting_rules.cli import main
from tests.scenarios.test_scenarios import LIBRARY, SCENARIOS

ROOT = LIBRARY.parent
REF = ["--evaluator", "reference"]
IDS = [str(s.id) for s in SCENARIOS]


def run(args: list[str], capsys: pytest.CaptureFixture[str], stdin: str = "") -> tuple[int, str]:
    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        code = main(args)
    finally:
        sys.stdin = old
    return code, capsys.readouterr().out


@pytest.mark.parametrize("scenario", SCENARIOS, ids=IDS)
def test_auto_runs_every_scenario(scenario: Scenario, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(["walkthrough", str(scenario.id), "--auto", *REF], capsys)
    assert code == 0, out
    for i, stage in enumerate(scenario.stages, 1):
        assert f"Stage {i} of {len(scenario.stages)}: {stage.title}" in out
    assert out.count("Answer (the engine, ") == len(scenario.stages)
    assert "disagree" not in out


@pytest.mark.parametrize("scenario", SCENARIOS, ids=IDS)
def test_html_handout_for_every_scenario_is_self_contained(
    scenario: Scenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "handout.html"
    code, out = run(["walkthrough", str(scenario.id), "--html", str(out_file), *REF], capsys)
    assert code == 0, out
    page = out_file.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    # No network: no scripts, stylesheets, images, frames, fonts or imports; only links.
    assert not re.search(r"<script|<link|<img|<iframe|<object|@import|url\(|src=", page, re.I)
    assert "default-src 'none'" in page
    assert "@media print" in page
    assert str(escape(scenario.title)) in page
    for stage in scenario.stages:
        assert str(escape(stage.title)) in page
        for point in stage.teaching_points:
            assert str(escape(point.text.strip())) in page
    assert page.count("Checked against the rules engine") == len(scenario.stages)


def test_the_handout_escapes_scenario_text(tmp_path: Path, book: Rulebook) -> None:
    from counting_rules._training.walkthrough import render_handout
    from counting_rules.scenario import check_scenario, load_scenario

    original = load_scenario(LIBRARY / "hocr/crime_types/theft/thefts_on_a_saturday.yaml")
    evil = original.model_copy(update={"title": "<script>alert(1)</script> & co"})
    page = render_handout(check_scenario(evil, evaluator="reference", rulebook=book), book)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page


def test_quiz_scores_a_scripted_wrong_answer_and_explains_the_right_one() -> None:
    """Drive the real command in a subprocess, answers scripted on standard input."""
    answers = "?\n105A\n105A\n"  # stage 3: the nose is broken, so 105A is wrong
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "counting_rules",
            "walkthrough",
            "common_assault_or_abh",
            "--quiz",
            *REF,
        ],
        input=answers,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    out = proc.stdout
    assert proc.returncode == 0, proc.stderr
    assert "✓ Right: crimes — UNCLASSIFIED" in out
    assert "✓ Right: crimes — 105A" in out
    assert "✗ Not right: crimes — you said 105A; the answer is 8N" in out
    why_not_105a = out.split("Why is this not 105A? ", 1)[1].splitlines()[0]
    assert "allegation A1 (assault) has injury minor; the rule needs none." in why_not_105a
    assert "crime_types/violence_against_the_person/assault/without_injury" in why_not_105a
    assert "Why 8N? " in out
    assert "classified 8N, assault with injury" in out
    assert "Score: 2 of 3" in out


def test_quiz_explains_a_code_the_rules_give_but_do_not_record(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Stage 1: a friend's report of rape is an N100/1, not (yet) a crime of rape.
    answers = "crimes: 19C\nn100: none\ncrimes: 19C\nn100: none\n"
    code, out = run(["walkthrough", "friend_reports_rape", "--quiz", *REF], capsys, answers)
    assert code == 0
    assert "✗ Not right: crimes — you said 19C; the answer is none" in out
    assert "Why is this not 19C? A1 would be 19C, but it is not recorded as a crime" in out
    assert "✗ Not right: n100 — you said none; the answer is N100/1" in out
    assert "Why N100/1? " in out
    assert "Score: 2 of 4" in out


def test_quiz_scores_cancellations_and_findings(capsys: pytest.CaptureFixture[str]) -> None:
    answers = "9A\ndomestic abuse\n9A\nnone\nallowed\n"
    code, out = run(
        ["walkthrough", "inspection_domestic_abuse_at_the_door", "--quiz", *REF], capsys, answers
    )
    assert code == 0
    assert "✓ Right: flags — domestic_abuse" in out
    assert "✗ Not right: findings — you said none; the answer is late_recording" in out
    assert "✗ Not right: cancellation — you said allowed; the answer is refused" in out
    assert "Why refused (P1)? Proposal P1 to cancel allegation A1" in out
    assert "Score: 3 of 5" in out


def test_quiz_survives_the_end_of_input(capsys: pytest.CaptureFixture[str]) -> None:
    # The end of input is not an answer: the quiz stops, unscored, and exits 5.
    code, out = run(["walkthrough", "concealed_births", "--quiz", *REF], capsys, "")
    assert code == 5
    assert "This stage asks for 1 answer, one line each: crimes." in out
    assert "Score: 0 of 1 (1 unanswered)" in out
    assert "Not right" not in out


def test_step_mode_waits_for_enter(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(["walkthrough", "concealed_births", *REF], capsys, "\n")
    assert code == 0
    assert "Press Enter to see the answer" in out
    assert "Answer (the engine" in out


def test_a_scenario_is_found_by_path_or_id(capsys: pytest.CaptureFixture[str]) -> None:
    path = LIBRARY / "hocr/crime_types/weapons/knife_found_on_stop_search.yaml"
    code, out = run(["walkthrough", str(path), "--auto", *REF], capsys)
    assert code == 0
    assert "scenario hocr/crime_types/weapons/knife_found_on_stop_search" in out
    assert run(["walkthrough", "no_such_scenario", "--auto"], capsys)[0] == 66


@pytest.mark.parametrize(
    ("part", "line", "parsed"),
    [
        ("crimes", "crimes: 8N, 105a", ["105A", "8N"]),
        ("crimes", "none", []),
        ("crimes", "?", ["UNCLASSIFIED"]),
        ("n100", "n100: 1", ["N100/1"]),
        ("n100", "N100/3 n100/3", ["N100/3", "N100/3"]),
        ("cancellation", "cancellation: Refused", ["refused"]),
        ("cancellation", "yes", ["allowed"]),
        ("flags", "Domestic Abuse, online", ["domestic_abuse", "online"]),
        ("findings", "late_recording", ["late_recording"]),
    ],
)
def test_parse_answer(part: str, line: str, parsed: list[str]) -> None:
    assert parse_answer(part, line) == parsed  # type: ignore[arg-type]


def test_score_counts_codes_as_a_multiset() -> None:
    assert score("crimes", ["105A", "105A"], ["105A", "105A"])
    assert not score("crimes", ["105A"], ["105A", "105A"])
    assert score("crimes", ["9A"], ["9A/125-12"])  # class 9A, HO code 125/12
    assert not score("crimes", ["4"], ["4/1"])


# ---------------------------------------------------------------- scenarios check / list / ...


def test_scenarios_check_passes_on_the_library(
    book: Rulebook, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(["scenarios", "check", str(LIBRARY), *REF], capsys)
    assert code == 0, out
    assert f"{len(SCENARIOS)} of {len(SCENARIOS)} scenarios pass" in out
    n = len(book.rules)
    assert f"{n} of {n} rules are taught by a scenario" in out


def _drifted(tmp_path: Path) -> Path:
    source = LIBRARY / "hocr/crime_types/theft/thefts_on_a_saturday.yaml"
    text = source.read_text(encoding="utf-8").replace('code: "49"', 'code: "39"', 1)
    folder = tmp_path / "hocr" / "crime_types"
    folder.mkdir(parents=True)
    (folder / "drifted.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_scenarios_check_fails_when_a_model_answer_drifts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _drifted(tmp_path)
    code, out = run(["scenarios", "check", str(folder), *REF], capsys)
    assert code == 1
    assert "FAIL" in out
    assert "0 of 1 scenarios pass" in out
    code, out = run(["scenarios", "check", str(folder), "--format", "json", *REF], capsys)
    doc = json.loads(out)
    assert code == 1
    assert doc["failed"] == 1
    (entry,) = doc["scenarios"]
    assert entry["id"] == "hocr/crime_types/drifted"
    assert entry["problems"] == [
        "stage 1 (The café): decision.crimes[0].code: expected '39', got '49'"
    ]
    assert "crime_types/theft/classification/shoplifting" not in doc["uncovered"]
    assert "crime_types/offence_codes/possession_of_bladed_article" in doc["uncovered"]


def test_scenarios_coverage_lists_uncovered_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["scenarios", "coverage", str(LIBRARY)], capsys)[0] == 0
    code, out = run(["scenarios", "coverage", str(_drifted(tmp_path))], capsys)
    assert code == 1
    assert "uncovered: crime_types/offence_codes/possession_of_bladed_article" in out


def test_scenarios_list_and_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(["scenarios", "list", str(LIBRARY)], capsys)
    assert code == 0
    head, *rows = out.splitlines()
    assert head.split("\t") == ["scenario", "stages", "editions", "audience", "topics", "title"]
    assert len(rows) == len(SCENARIOS)
    bus = "hocr/crime_types/public_order/section_5_before_and_after_2023"
    (row,) = [r.split("\t") for r in rows if r.startswith(bus + "\t")]
    assert row[1:5] == ["4", "2021, 2023", "call handlers; response officers", "public order"]
    code, out = run(["scenarios", "schema"], capsys)
    schema = json.loads(out)
    assert code == 0
    assert {"title", "stages", "teaches", "edition"} <= set(schema["required"])
    assert "Stage" in schema["$defs"]
    assert "TeachingPoint" in schema["$defs"]


def listed(capsys: pytest.CaptureFixture[str], *filters: str) -> list[dict[str, object]]:
    code, out = run(["scenarios", "list", str(LIBRARY), *filters, "--format", "json"], capsys)
    assert code == 0
    doc = json.loads(out)
    assert doc["count"] == len(doc["scenarios"])
    return list(doc["scenarios"])


@pytest.mark.parametrize(
    ("filters", "keep"),
    [
        (["--topic", "robbery"], lambda s: "robbery" in s.topics),
        (["--topic", "Domestic_Abuse"], lambda s: "domestic abuse" in s.topics),
        (["--edition", "2023"], lambda s: "2023" in s.editions),
        (["--audience", "Call Handler"], lambda s: "call handlers" in s.audience),
        (
            ["--audience", "call handlers", "--edition", "2023", "--topic", "ncrs"],
            lambda s: "call handlers" in s.audience and "2023" in s.editions and "ncrs" in s.topics,
        ),
    ],
    ids=["topic", "topic-spelt-loosely", "edition", "audience-part", "all-three"],
)
def test_scenarios_list_filters(
    capsys: pytest.CaptureFixture[str], filters: list[str], keep: Any
) -> None:
    wanted = [str(s.id) for s in SCENARIOS if keep(s)]
    assert 0 < len(wanted) < len(SCENARIOS)  # else the filter would prove nothing
    found = listed(capsys, *filters)
    assert [f["id"] for f in found] == wanted
    for f in found:
        (s,) = [s for s in SCENARIOS if s.id == f["id"]]
        assert f == {
            "id": s.id,
            "title": s.title,
            "stages": len(s.stages),
            "audience": list(s.audience),
            "topics": list(s.topics),
            "editions": list(s.editions),
        }


def test_scenarios_list_names_a_filter_that_matches_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["scenarios", "list", str(LIBRARY), "--topic", "robery"])
    out, err = capsys.readouterr()
    assert code == 0
    assert out.splitlines() == ["scenario\tstages\teditions\taudience\ttopics\ttitle"]
    assert "no scenario has the topic 'robery' (did you mean 'robbery'?)" in err
    assert main(["scenarios", "list", str(LIBRARY), "--edition", "1999", "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out) == {"scenarios": [], "count": 0}
    assert "no scenario has the edition '1999'" in err


def test_scenarios_check_of_a_missing_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["scenarios", "check", str(tmp_path / "none")], capsys)[0] == 66


def test_a_handout_that_cannot_be_written_is_a_write_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "missing" / "handout.html"
    code = main(["walkthrough", "concealed_births", "--html", str(target), *REF])
    assert code == 73  # EX_CANTCREAT
    err = capsys.readouterr().err
    assert "error [write]" in err
    assert "cannot write the handout" in err
