"""A class session of the quiz: every trainee's answer marked against the engine, recorded,
and written as results and a summary.

Trainees answer at the prompt, in turn, or in an answer file (one per trainee, YAML or JSON,
validated strictly: every error names the file, the line and the field)::

    trainee: Asha Patel
    scenario: common_assault_or_abh        # optional; if given, it must be the one run
    answers:
      - {stage: 1, crimes: "?"}
      - {stage: 2, crimes: 105A}
      - stage: 3
        crimes: [8N]

An answer is the line a trainee would type (``"8N, 105A"``, ``none``) or a list of values. A
question left out is recorded as unanswered, not as wrong.

The only personal data written is the trainees' names as the trainer gave them (on the
command line or in an answer file). Answers are kept in memory and written only to the results
folder the trainer names; nothing is logged.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    ValidationError,
)

from counting_rules._case.files import read_mapping_file
from counting_rules._common.printable import first_control
from counting_rules._common.validation import problems
from counting_rules._rulebook.ir import Rulebook
from counting_rules._training.quiz import (
    Why,
    parse_answer,
    score,
    truth,
    why_given,
    why_not_given,
    wrongly_given,
)
from counting_rules.errors import AnswerFileError, CaseFactsError, UsageError, WriteError
from counting_rules.scenario import QuizPart, Scenario, StageRun

__all__ = [
    "RESULT_FILES",
    "Record",
    "Sheet",
    "Status",
    "check_name",
    "load_answer_file",
    "mark",
    "prepare_results",
    "summarise",
    "unanswered",
    "write_results",
]

Status = Literal["right", "wrong", "unanswered"]
RESULT_FILES = ("results.csv", "results.json", "summary.md", "summary.json")
_PARTS: tuple[QuizPart, ...] = ("crimes", "n100", "cancellation", "flags", "findings")
_NAME_MAX = 80
_ANSWER_MAX = 500
_FIX = "see 'Answer files' in docs/how-to/run-a-training-session.md"


# ---------------------------------------------------------------- one answer, marked


@dataclass(frozen=True)
class Record:
    """One trainee's answer to one question (a quiz part of a stage), marked."""

    trainee: str
    scenario: str
    stage: int  # 1-based, as the walkthrough shows it
    stage_title: str
    question: QuizPart
    given: tuple[str, ...] | None  # None: unanswered
    right: tuple[str, ...]
    status: Status
    not_right: tuple[Why, ...] = ()  # values given that the engine did not give: why not
    missed: tuple[Why, ...] = ()  # right values the trainee did not give: the engine's reasons

    @property
    def missed_rules(self) -> tuple[str, ...]:
        """The rules a wrong answer missed: those behind the right values not given, then the
        rules that would have given the wrong values (whose conditions do not hold)."""
        return tuple(dict.fromkeys(r for w in (*self.missed, *self.not_right) for r in w.rules))

    def why(self) -> list[dict[str, Any]]:
        return [
            {"value": w.value, "kind": "given_but_not_right", "text": w.text, "rules": [*w.rules]}
            for w in self.not_right
        ] + [
            {"value": w.value, "kind": "right_but_not_given", "text": w.text, "rules": [*w.rules]}
            for w in self.missed
        ]

    def doc(self) -> dict[str, Any]:
        return {
            "trainee": self.trainee,
            "scenario": self.scenario,
            "stage": self.stage,
            "stage_title": self.stage_title,
            "question": self.question,
            "answer": None if self.given is None else list(self.given),
            "right_answer": list(self.right),
            "result": self.status,
            "missed_rules": list(self.missed_rules),
            "why": self.why(),
        }


def mark(
    trainee: str,
    scenario: Scenario,
    index: int,
    run: StageRun,
    part: QuizPart,
    line: str | None,
    book: Rulebook,
) -> Record:
    """Mark one answer (``line`` as typed; None when unanswered) against the engine."""
    stage = scenario.stages[index]
    right = tuple(truth(run.decision, part))
    base = (trainee, str(scenario.id), index + 1, stage.title, part)
    if line is None:
        return Record(*base, None, right, "unanswered")
    given = tuple(parse_answer(part, line))
    if score(part, given, right):
        return Record(*base, given, right, "right")
    wrong = wrongly_given(part, given, right) if part != "cancellation" else []
    return Record(
        *base,
        given,
        right,
        "wrong",
        tuple(why_not_given(run, part, v, book) for v in wrong),
        tuple(why_given(run, part, given, book)),
    )


def unanswered(
    trainee: str, scenario: Scenario, index: int, run: StageRun, part: QuizPart
) -> Record:
    """A question the trainee did not answer (end of input, Ctrl-C, left out of a file)."""
    stage = scenario.stages[index]
    right = tuple(truth(run.decision, part))
    return Record(
        trainee, str(scenario.id), index + 1, stage.title, part, None, right, "unanswered"
    )


# ---------------------------------------------------------------- trainees and answer files


def check_name(name: str, where: str) -> str:
    """A trainee's name as given, stripped; a UsageError if it is empty, too long or holds
    a control character."""
    text = name.strip()
    if not text or len(text) > _NAME_MAX or first_control(text) is not None:
        raise UsageError(
            f"{where}: a trainee's name must be 1 to {_NAME_MAX} characters with no "
            "control characters",
            fix="give the name as the trainer knows the trainee, e.g. --trainee 'Asha P'",
        )
    return text


def _name(value: str) -> str:
    text = value.strip()
    if not text or len(text) > _NAME_MAX or first_control(text) is not None:
        raise ValueError(f"a name of 1 to {_NAME_MAX} characters with no control characters")
    return text


def _answer_text(value: object) -> str:
    """An answer as the line a trainee types: text, a whole number, or a list of them."""
    if value is None:
        raise ValueError(
            "null is not an answer: write none for 'nothing', or leave the question out "
            "to leave it unanswered"
        )
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(v, str | int) and not isinstance(v, bool) for v in items):
        raise ValueError(
            "an answer is text as typed at the prompt (e.g. '8N, 105A' or none), "
            "or a list of codes (e.g. [8N, 105A])"
        )
    text = ", ".join(str(v) for v in items)
    if first_control(text) is not None or len(text) > _ANSWER_MAX:
        raise ValueError(f"an answer of at most {_ANSWER_MAX} characters, no control characters")
    return text


_Answer = Annotated[str | None, BeforeValidator(_answer_text)]


class _StageAnswers(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    stage: StrictInt = Field(ge=1, description="The stage's number, as the walkthrough shows.")
    crimes: _Answer = None
    n100: _Answer = None
    cancellation: _Answer = None
    flags: _Answer = None
    findings: _Answer = None


class _AnswerFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    trainee: Annotated[str, AfterValidator(_name)]
    scenario: str | None = None
    answers: tuple[_StageAnswers, ...] = Field(min_length=1)


@dataclass(frozen=True)
class Sheet:
    """One trainee's answers from a file: by stage (0-based) and part, each as typed."""

    trainee: str
    path: str
    answers: Mapping[tuple[int, QuizPart], str] = field(default_factory=dict)


def load_answer_file(path: str | Path, scenario: Scenario) -> Sheet:
    """Read and validate one trainee's answer file for ``scenario``. Raises CaseFileError
    (missing, unreadable, not YAML/JSON) or AnswerFileError naming every problem with its
    file, line and field."""
    p = Path(path)
    located = read_mapping_file(
        p,
        "answer file (.yaml or .json)",
        "an answer file is a mapping with 'trainee' and 'answers'",
    )
    errors: list[CaseFactsError] = []

    def error(loc: Sequence[str | int], message: str) -> None:
        line = located.line(loc)
        where = ".".join(map(str, loc)) or "(answer file)"
        at = f"{p}:{line}" if line else str(p)
        errors.append(
            AnswerFileError(f"{at}: {where}: {message}", field=where, line=line, fix=_FIX)
        )

    try:
        doc: _AnswerFile | None = _AnswerFile.model_validate(located.data)
    except ValidationError as exc:
        doc = None
        for problem in problems(exc):
            error(problem.loc, problem.message)
    ident = str(scenario.id)
    named = located.data.get("scenario")
    if isinstance(named, str) and named not in (ident, ident.rsplit("/", 1)[-1]):
        error(("scenario",), f"the answers are for {named!r}, not for {ident!r}")
    items = located.data.get("answers")
    seen: set[int] = set()
    for i, item in enumerate(items if isinstance(items, list) else []):
        # On the file's own data, so that these come with the type errors, not after them.
        n = item.get("stage") if isinstance(item, dict) else None
        if not isinstance(n, int) or isinstance(n, bool) or n < 1:
            continue  # a type error, reported above
        if n > len(scenario.stages):
            error(
                ("answers", i, "stage"),
                f"there is no stage {n}: the scenario has {len(scenario.stages)}",
            )
            continue
        if n in seen:
            error(("answers", i, "stage"), f"stage {n} is answered twice")
            continue
        seen.add(n)
        asks = scenario.stages[n - 1].asks
        for part in _PARTS:
            if part in item and part not in asks:
                error(
                    ("answers", i, part),
                    f"stage {n} does not ask for {part} (it asks for {', '.join(asks)})",
                )
    if errors or doc is None:
        raise AnswerFileError.collect(errors, _FIX)
    answers: dict[tuple[int, QuizPart], str] = {}
    for stage_answers in doc.answers:
        for part in _PARTS:
            text = getattr(stage_answers, part)
            if text is not None:
                answers[(stage_answers.stage - 1, part)] = text
    return Sheet(doc.trainee, str(p), answers)


# ---------------------------------------------------------------- the summary


def summarise(
    records: Sequence[Record],
    scenario: Scenario,
    book: Rulebook,
    *,
    trainees: Sequence[str],
    pass_mark: float | None = None,
    stopped: str | None = None,
) -> dict[str, Any]:
    """Per trainee the score; per question the share right; the rules the class got wrong
    most, ranked (by wrong answers, then by trainees, then by id)."""
    questions = [(i + 1, p) for i, st in enumerate(scenario.stages) for p in st.asks]
    people = []
    for name in trainees:
        own = [r for r in records if r.trainee == name]
        right = sum(r.status == "right" for r in own)
        row: dict[str, Any] = {
            "trainee": name,
            "right": right,
            "wrong": sum(r.status == "wrong" for r in own),
            "unanswered": sum(r.status == "unanswered" for r in own),
            "questions": len(questions),
            "score_percent": round(100 * right / len(questions), 1),
            "below_pass_mark": None
            if pass_mark is None
            else right * 100 < pass_mark * len(questions),
        }
        people.append(row)
    per_question = []
    for stage, part in questions:
        on = [r for r in records if r.stage == stage and r.question == part]
        right = sum(r.status == "right" for r in on)
        per_question.append(
            {
                "stage": stage,
                "stage_title": scenario.stages[stage - 1].title,
                "question": part,
                "right_answer": list(on[0].right) if on else [],
                "right": right,
                "wrong": sum(r.status == "wrong" for r in on),
                "unanswered": sum(r.status == "unanswered" for r in on),
                "share_right": round(right / len(trainees), 3) if trainees else 0.0,
            }
        )
    missed: dict[str, list[str]] = {}
    for r in records:
        if r.status == "wrong":
            for rid in r.missed_rules:
                missed.setdefault(rid, []).append(r.trainee)
    ranked = sorted(missed.items(), key=lambda kv: (-len(kv[1]), -len(set(kv[1])), kv[0]))
    return {
        "scenario": str(scenario.id),
        "title": scenario.title,
        "trainees": people,
        "questions": per_question,
        "rules_missed": [
            {
                "rank": n,
                "rule": rid,
                "title": book.rules[rid].title if rid in book.rules else "",
                "wrong_answers": len(names),
                "trainees": list(dict.fromkeys(names)),
            }
            for n, (rid, names) in enumerate(ranked, 1)
        ],
        "complete": stopped is None,
        "stopped": stopped,
        "pass_mark": pass_mark,
    }


# ---------------------------------------------------------------- the files


def prepare_results(folder: str | Path) -> Path:
    """The results folder, created if need be; a WriteError, before the session starts, if
    it cannot be or already holds results (results are never overwritten)."""
    p = Path(folder)
    try:
        p.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(
            f"{p}: cannot create the results folder: {exc.strerror or type(exc).__name__}",
            fix="give a folder you can write to",
        ) from None
    taken = [name for name in RESULT_FILES if (p / name).exists()]
    if taken:
        raise WriteError(
            f"{p}: already holds {', '.join(taken)}",
            fix="give a new folder for this session's results (they are never overwritten)",
        )
    return p


_CSV_COLUMNS = (
    "trainee",
    "scenario",
    "stage",
    "stage_title",
    "question",
    "answer",
    "right_answer",
    "result",
    "missed_rules",
    "why",
)


def _cell(text: str) -> str:
    # A spreadsheet runs a cell that starts with = + - @ as a formula: keep it text.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") and text != "-" else text


def _csv(records: Sequence[Record]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_CSV_COLUMNS)
    for r in records:
        why = [f"Why not {w.value}? {w.text}" for w in r.not_right]
        why += [f"Why {w.value}? {w.text}" for w in r.missed]
        row = (
            r.trainee,
            r.scenario,
            str(r.stage),
            r.stage_title,
            r.question,
            "" if r.given is None else ", ".join(r.given) or "none",
            ", ".join(r.right) or "none",
            r.status,
            "; ".join(r.missed_rules),
            " ".join(why),
        )
        writer.writerow([_cell(c) for c in row])
    return out.getvalue()


def _md(text: str) -> str:
    """Text safe in a Markdown table cell."""
    out = "".join(f"\\{c}" if c in "\\`*_[]<>|#!" else c for c in text)
    return " ".join(out.split())


def _markdown(summary: Mapping[str, Any]) -> str:
    people = summary["trainees"]
    lines = [
        f"# Class results: {_md(summary['title'])}",
        "",
        f"Scenario `{summary['scenario']}`: {len(people)} trainee(s), "
        f"{people[0]['questions'] if people else 0} question(s) each.",
    ]
    if summary["stopped"]:
        lines.append(
            f"The session stopped early ({summary['stopped']}): questions not reached or not "
            "answered are counted as unanswered, not wrong."
        )
    mark = summary["pass_mark"]
    if mark is not None:
        below = [p["trainee"] for p in people if p["below_pass_mark"]]
        lines.append(
            f"Pass mark {mark:g}%: "
            + (
                f"below it: {', '.join(_md(b) for b in below)}."
                if below
                else "every trainee met it."
            )
        )
    lines += ["", "## Trainees", "", "| trainee | right | wrong | unanswered | score |"]
    lines.append("| --- | ---: | ---: | ---: | ---: |")
    for p in people:
        lines.append(
            f"| {_md(p['trainee'])} | {p['right']} | {p['wrong']} | {p['unanswered']} | "
            f"{p['right']} of {p['questions']} ({p['score_percent']:g}%) |"
        )
    lines += ["", "## Questions", ""]
    lines.append("| stage | question | right answer | right | wrong | unanswered | share right |")
    lines.append("| ---: | --- | --- | ---: | ---: | ---: | ---: |")
    for q in summary["questions"]:
        lines.append(
            f"| {q['stage']}. {_md(q['stage_title'])} | {q['question']} | "
            f"{_md(', '.join(q['right_answer']) or 'none')} | {q['right']} | {q['wrong']} | "
            f"{q['unanswered']} | {round(100 * q['share_right'])}% |"
        )
    lines += ["", "## The rules the class got wrong most", ""]
    if not summary["rules_missed"]:
        lines.append("No wrong answers.")
    else:
        lines.append("| rank | rule | wrong answers | trainees |")
        lines.append("| ---: | --- | ---: | --- |")
        for m in summary["rules_missed"]:
            lines.append(
                f"| {m['rank']} | {_md(m['title'])} (`{m['rule']}`) | {m['wrong_answers']} | "
                f"{', '.join(_md(t) for t in m['trainees'])} |"
            )
    return "\n".join(lines) + "\n"


def write_results(
    folder: Path, scenario: Scenario, records: Sequence[Record], summary: Mapping[str, Any]
) -> list[Path]:
    """Write results.csv, results.json, summary.md and summary.json into ``folder``."""
    docs = {
        "results.csv": _csv(records),
        "results.json": json.dumps(
            {
                "scenario": str(scenario.id),
                "title": scenario.title,
                "answers": [r.doc() for r in records],
            },
            indent=2,
        )
        + "\n",
        "summary.md": _markdown(summary),
        "summary.json": json.dumps(summary, indent=2) + "\n",
    }
    written = []
    for name, text in docs.items():
        target = folder / name
        try:
            # newline="" so the csv module's line endings are written as they are.
            with target.open("w", encoding="utf-8", newline="") as out:
                out.write(text)
        except OSError as exc:
            raise WriteError(
                f"{target}: cannot write the results: {exc.strerror or type(exc).__name__}",
                fix="give a folder you can write to, with space on its disk",
            ) from None
        written.append(target)
    return written
