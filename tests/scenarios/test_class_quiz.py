"""A class session of the quiz, driven through the command line as a trainer would: trainees
at the prompt (answers scripted on standard input) and answer files, results written and
summarised, end of input, Ctrl-C (a real SIGINT, in a subprocess) and the pass mark.

The right answers come from the engine (``truth`` on each stage's decision); each trainee's
answers are built from them, right or deliberately wrong, so the expected marks are known by
construction and not copied from the output.
"""

from __future__ import annotations

import csv
import io
import json
import os
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from counting_rules import Rulebook
from counting_rules._cli import exits
from counting_rules._training.quiz import truth
from counting_rules.cli import main
from counting_rules.scenario import ScenarioResult, check_scenario, load_scenario
from tests.scenarios.test_scenarios import LIBRARY

ROOT = LIBRARY.parent
REF = ["--evaluator", "reference"]
# Its stages ask for crimes and flags, crimes and findings, then the cancellation.
SCENARIO = "inspection_domestic_abuse_at_the_door"
PATH = LIBRARY / "hocr/general_rules/ncrs" / f"{SCENARIO}.yaml"
QUESTIONS = [(1, "crimes"), (1, "flags"), (2, "crimes"), (2, "findings"), (3, "cancellation")]


@pytest.fixture(scope="module")
def checked(book: Rulebook) -> ScenarioResult:
    return check_scenario(load_scenario(PATH, LIBRARY), evaluator="reference", rulebook=book)


def right(checked: ScenarioResult, stage: int, part: str) -> list[str]:
    return truth(checked.stages[stage - 1].run.decision, part)  # type: ignore[arg-type]


def typed(values: list[str]) -> str:
    """A right answer as a trainee types it."""
    return ", ".join("?" if v == "UNCLASSIFIED" else v for v in values) or "none"


def quiz(
    args: list[str], capsys: pytest.CaptureFixture[str], stdin: str = ""
) -> tuple[int, str, str]:
    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        code = main(["walkthrough", SCENARIO, *REF, *args])
    finally:
        sys.stdin = old
    out, err = capsys.readouterr()
    return code, out, err


def write_yaml(path: Path, trainee: str, answers: dict[tuple[int, str], str]) -> Path:
    lines = [f"trainee: {trainee}", f"scenario: {SCENARIO}", "answers:"]
    for stage in sorted({s for s, _ in answers}):
        lines.append(f"  - stage: {stage}")
        lines += [f"    {p}: {json.dumps(a)}" for (s, p), a in answers.items() if s == stage]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_json(path: Path, trainee: str, answers: dict[tuple[int, str], str]) -> Path:
    stages: dict[int, dict[str, Any]] = {}
    for (s, p), a in answers.items():
        stages.setdefault(s, {"stage": s})[p] = a
    path.write_text(json.dumps({"trainee": trainee, "answers": list(stages.values())}), "utf-8")
    return path


def rows(folder: Path) -> dict[tuple[str, int, str], dict[str, str]]:
    with (folder / "results.csv").open(encoding="utf-8", newline="") as f:
        found = list(csv.DictReader(f))
    return {(r["trainee"], int(r["stage"]), r["question"]): r for r in found}


@pytest.fixture
def a_class(
    checked: ScenarioResult, tmp_path: Path
) -> tuple[str, Path, Path, dict[str, dict[tuple[int, str], str]]]:
    """Asha at the prompt, all right; Ben (YAML) wrong on flags and the cancellation; Cy
    (JSON) wrong on crimes at stage 2 and the cancellation, findings left out."""
    good = {q: typed(right(checked, *q)) for q in QUESTIONS}
    assert right(checked, 1, "flags"), "flags 'none' must be wrong here"
    assert right(checked, 2, "crimes") != ["8N"]
    assert right(checked, 3, "cancellation") == ["refused"]
    ben = {**good, (1, "flags"): "none", (3, "cancellation"): "allowed"}
    cy = {**good, (2, "crimes"): "8N", (3, "cancellation"): "allowed"}
    del cy[(2, "findings")]
    stdin = "".join(good[q] + "\n" for q in QUESTIONS)
    return (
        stdin,
        write_yaml(tmp_path / "ben.yaml", "Ben", ben),
        write_json(tmp_path / "cy.json", "Cy", cy),
        {"Asha": good, "Ben": ben, "Cy": cy},
    )


EXPECTED = {  # by construction of the answers above
    "Asha": dict.fromkeys(QUESTIONS, "right"),
    "Ben": {
        **dict.fromkeys(QUESTIONS, "right"),
        (1, "flags"): "wrong",
        (3, "cancellation"): "wrong",
    },
    "Cy": {
        (1, "crimes"): "right",
        (1, "flags"): "right",
        (2, "crimes"): "wrong",
        (2, "findings"): "unanswered",
        (3, "cancellation"): "wrong",
    },
}


def test_a_class_of_three_is_marked_recorded_and_summarised(
    a_class: Any,
    checked: ScenarioResult,
    book: Rulebook,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    stdin, ben, cy, given = a_class
    results = tmp_path / "results"
    args = ["--trainee", "Asha", "--answers", str(ben), "--answers", str(cy)]
    code, out, err = quiz([*args, "--results", str(results)], capsys, stdin)
    assert code == 0, err
    assert "Stage 1 asks each trainee for 2 answers, one line each: crimes, flags." in out
    assert "At the prompt, in turn: Asha." in out
    assert "✗ Ben: flags — said none; the answer is domestic_abuse" in out
    assert sorted(p.name for p in results.iterdir()) == [
        "results.csv",
        "results.json",
        "summary.json",
        "summary.md",
    ]

    found = rows(results)
    assert len(found) == 3 * len(QUESTIONS)
    for name, marks in EXPECTED.items():
        for (stage, part), status in marks.items():
            r = found[(name, stage, part)]
            assert r["result"] == status, (name, stage, part)
            assert r["right_answer"] == (", ".join(right(checked, stage, part)) or "none")
            assert r["scenario"] == str(checked.scenario.id)
            assert bool(r["missed_rules"]) == (status == "wrong"), (name, stage, part)
            if status == "unanswered":
                assert r["answer"] == ""
    assert found[("Ben", 1, "flags")]["answer"] == "none"
    assert found[("Cy", 2, "crimes")]["answer"] == "8N"
    flag_rules = found[("Ben", 1, "flags")]["missed_rules"].split("; ")
    assert all(r.startswith("crime_flags/domestic_abuse") for r in flag_rules), flag_rules
    assert "Why domestic_abuse? " in found[("Ben", 1, "flags")]["why"]
    assert "Why is this not" not in found[("Ben", 1, "flags")]["why"]
    assert found[("Cy", 2, "crimes")]["why"].startswith("Why not 8N? ")

    doc = json.loads((results / "results.json").read_text(encoding="utf-8"))
    assert [(a["trainee"], a["stage"], a["question"], a["result"]) for a in doc["answers"]] == [
        (n, s, p, EXPECTED[n][(s, p)]) for n in ("Asha", "Ben", "Cy") for s, p in QUESTIONS
    ]
    cy_crimes = next(a for a in doc["answers"] if a["trainee"] == "Cy" and a["stage"] == 2)
    assert cy_crimes["answer"] == ["8N"]
    assert cy_crimes["why"][0]["kind"] == "given_but_not_right"

    summary = json.loads((results / "summary.json").read_text(encoding="utf-8"))
    assert summary["complete"] is True
    assert summary["stopped"] is None
    people = {p["trainee"]: p for p in summary["trainees"]}
    for name, marks in EXPECTED.items():
        statuses = list(marks.values())
        assert people[name]["right"] == statuses.count("right")
        assert people[name]["wrong"] == statuses.count("wrong")
        assert people[name]["unanswered"] == statuses.count("unanswered")
        assert people[name]["questions"] == len(QUESTIONS)
    for q in summary["questions"]:
        n_right = sum(EXPECTED[n][(q["stage"], q["question"])] == "right" for n in EXPECTED)
        assert q["right"] == n_right
        assert q["share_right"] == round(n_right / 3, 3)
        assert q["right_answer"] == right(checked, q["stage"], q["question"])
    ranked = summary["rules_missed"]
    counts = [m["wrong_answers"] for m in ranked]
    assert counts == sorted(counts, reverse=True)
    assert [m["rank"] for m in ranked] == list(range(1, len(ranked) + 1))
    assert all(m["rule"] in book.rules and m["title"] for m in ranked)
    top = ranked[0]  # the cancellation both Ben and Cy got wrong, ranked above the rest
    assert top["rule"].startswith("general_rules/c_removing_recorded_crimes/")
    assert top["wrong_answers"] == 2
    assert top["trainees"] == ["Ben", "Cy"]
    flags = [m for m in ranked if m["rule"].startswith("crime_flags/")]
    assert flags
    assert all(m["trainees"] == ["Ben"] and m["wrong_answers"] == 1 for m in flags)
    assert {m["rule"] for m in flags} == set(flag_rules)

    md = (results / "summary.md").read_text(encoding="utf-8")
    assert "| Asha | 5 | 0 | 0 | 5 of 5 (100%) |" in md
    assert "| Ben | 3 | 2 | 0 | 3 of 5 (60%) |" in md
    assert "| Cy | 2 | 2 | 1 | 2 of 5 (40%) |" in md
    assert f"| 1 | {top['title']} (`{top['rule']}`) | 2 | Ben, Cy |" in md
    assert given["Cy"][(3, "cancellation")] == "allowed"


def test_the_end_of_input_mid_stage_stops_the_session_and_scores_nothing(
    checked: ScenarioResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = typed(right(checked, 1, "crimes")), typed(right(checked, 1, "flags"))
    stdin = f"{good[0]}\n{good[1]}\n{good[0]}\n"  # Asha's two answers, then Ben's first
    results = tmp_path / "r"
    code, out, err = quiz(
        ["--trainee", "Asha", "--trainee", "Ben", "--results", str(results)], capsys, stdin
    )
    assert code == exits.UNANSWERED == 5
    assert "The answers ran out (end of input): Ben did not answer stage 1 (flags)." in out
    assert "Stage 2 of 3" not in out  # the session stopped
    assert err.strip().splitlines() == [
        "counting-rules: the quiz stopped at the end of input at stage 1 of 3; exit 5"
    ]
    found = rows(results)
    assert found[("Asha", 1, "crimes")]["result"] == "right"
    assert found[("Asha", 1, "flags")]["result"] == "right"
    assert found[("Ben", 1, "crimes")]["result"] == "right"
    assert found[("Ben", 1, "flags")]["result"] == "unanswered"
    assert all(
        found[(n, s, p)]["result"] == "unanswered"
        for n in ("Asha", "Ben")
        for s, p in QUESTIONS[2:]
    )
    assert not any(r["result"] == "wrong" for r in found.values())
    summary = json.loads((results / "summary.json").read_text(encoding="utf-8"))
    assert summary["stopped"] == "end of input"
    assert summary["complete"] is False


def test_a_plain_quiz_says_what_each_stage_wants_and_never_scores_the_end_of_input(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = quiz(["--quiz"], capsys, "9A\n")
    assert code == exits.UNANSWERED
    assert "This stage asks for 2 answers, one line each: crimes, flags." in out
    assert "The answers ran out (end of input): no answer to stage 1 (flags)." in out
    assert "Score: 1 of 5 (4 unanswered)" in out
    assert "you said none" not in out


def test_ctrl_c_writes_the_answers_so_far_and_exits_130_in_one_line(
    checked: ScenarioResult, tmp_path: Path
) -> None:
    results = tmp_path / "r"
    command = [sys.executable, "-m", "counting_rules", "walkthrough", SCENARIO, *REF]
    pipes = {"stdin": subprocess.PIPE, "stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    with subprocess.Popen(
        [*command, "--trainee", "Asha", "--results", str(results)], cwd=ROOT, **pipes
    ) as proc:
        assert proc.stdin
        assert proc.stdout
        assert proc.stderr
        try:
            answers = [typed(right(checked, 1, p)) for p in ("crimes", "flags")]
            proc.stdin.write(("\n".join(answers) + "\n").encode())
            proc.stdin.flush()  # and keep it open: the quiz waits at stage 2's prompt
            seen = b""
            prompt = "Asha — crimes".encode()
            deadline = time.monotonic() + 240
            with selectors.DefaultSelector() as sel:
                sel.register(proc.stdout, selectors.EVENT_READ)
                while b"Stage 2 asks" not in seen or prompt not in seen.split(b"Stage 2 asks")[1]:
                    assert time.monotonic() < deadline, seen[-2000:]
                    if sel.select(timeout=1):
                        chunk = os.read(proc.stdout.fileno(), 65536)
                        assert chunk, seen[-2000:]  # it must not end before the prompt
                        seen += chunk
            time.sleep(0.3)
            proc.send_signal(signal.SIGINT)
            code = proc.wait(timeout=120)
            err = proc.stderr.read().decode()
        finally:
            if proc.poll() is None:
                proc.kill()
    assert code == exits.INTERRUPTED == 130
    assert "Traceback" not in err
    assert err.strip().splitlines() == [
        f"counting-rules: stopped by Ctrl-C at stage 2 of 3; 2 answers so far written to "
        f"{results} (the rest as unanswered); exit 130"
    ]
    found = rows(results)
    assert [found[("Asha", s, p)]["result"] for s, p in QUESTIONS] == [
        "right",
        "right",
        "unanswered",
        "unanswered",
        "unanswered",
    ]
    summary = json.loads((results / "summary.json").read_text(encoding="utf-8"))
    assert summary["stopped"] == "Ctrl-C"


@pytest.mark.parametrize(("mark", "code", "below"), [(50, 4, ["Cy"]), (40, 0, [])])
def test_the_pass_mark(
    a_class: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    mark: int,
    code: int,
    below: list[str],
) -> None:
    _, ben, cy, _ = a_class  # Ben 3 of 5 (60%), Cy 2 of 5 (40%: not below 40)
    results = tmp_path / "r"
    got, out, err = quiz(
        [
            *("--answers", str(ben), "--answers", str(cy)),
            "--pass-mark",
            str(mark),
            "--results",
            str(results),
        ],
        capsys,
    )
    assert got == code
    if below:
        assert err.strip() == (
            f"counting-rules: below the pass mark of {mark}%: Cy (40%); "
            f"exit {exits.BELOW_PASS_MARK}"
        )
    else:
        assert err == ""
    summary = json.loads((results / "summary.json").read_text(encoding="utf-8"))
    assert [p["trainee"] for p in summary["trainees"] if p["below_pass_mark"]] == below
    assert summary["pass_mark"] == mark
    assert "Ben: 3 of 5 (60%)" in out


def test_an_answer_file_is_validated_strictly_naming_file_line_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "dee.yaml"
    bad.write_text(
        "trainee: Dee\n"
        "scenario: some_other_scenario\n"
        "answers:\n"
        "  - {stage: 1, crimes: 9A, findings: none}\n"
        "  - {stage: 9, crimes: 9A}\n"
        "  - stage: 2\n"
        "    crimes: null\n"
        "  - {stage: 3, cancelation: refused}\n",
        encoding="utf-8",
    )
    code, out, err = quiz(["--answers", str(bad)], capsys)
    assert code == 65
    assert out == ""  # before the first question
    assert f"error [answers]: {bad}:8: answers.3.cancelation: Extra inputs" in err
    for problem in (
        f"{bad}:7: answers.2.crimes: null is not an answer",
        f"{bad}:2: scenario: the answers are for 'some_other_scenario'",
        f"{bad}:4: answers.0.findings: stage 1 does not ask for findings",
        f"{bad}:5: answers.1.stage: there is no stage 9",
    ):
        assert problem in err, problem


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--trainee", "Asha", "--trainee", "asha"], 64, "the trainee 'asha' is named twice"),
        (["--trainee", " "], 64, "--trainee: a trainee's name must be"),
        (["--trainee", "Asha", "--auto"], 64, "are for the quiz, not --auto"),
        (["--pass-mark", "120"], 2, "not a percentage from 0 to 100"),
    ],
)
def test_bad_class_options(
    capsys: pytest.CaptureFixture[str], args: list[str], code: int, message: str
) -> None:
    if code == 2:
        with pytest.raises(SystemExit) as done:
            quiz(args, capsys)
        assert done.value.code == 2
        assert message in capsys.readouterr().err
        return
    got, out, err = quiz(args, capsys)
    assert got == code
    assert message in err
    assert "Stage 1" not in out


def test_results_are_never_overwritten(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "summary.md").write_text("last week's class\n", encoding="utf-8")
    code, out, err = quiz(["--trainee", "Asha", "--results", str(tmp_path)], capsys, "9A\n")
    assert code == 73
    assert "already holds summary.md" in err
    assert "Stage 1" not in out  # refused before the first question
    assert (tmp_path / "summary.md").read_text(encoding="utf-8") == "last week's class\n"


def test_a_spreadsheet_formula_in_a_name_stays_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    results = tmp_path / "r"
    quiz(["--trainee", "=HYPERLINK(1)", "--results", str(results)], capsys, "")
    with (results / "results.csv").open(encoding="utf-8", newline="") as f:
        names = {r["trainee"] for r in csv.DictReader(f)}
    assert names == {"'=HYPERLINK(1)"}
    doc = json.loads((results / "summary.json").read_text(encoding="utf-8"))
    assert doc["trainees"][0]["trainee"] == "=HYPERLINK(1)"  # JSON keeps the name as given
