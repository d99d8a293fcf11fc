"""The quiz of ``walkthrough --quiz`` in the terminal, for one trainee or a class.

A class is named trainees answering at the prompt in turn (``--trainee``) and trainees whose
answers are in files (``--answers``). Each stage first says how many answers it wants; the end
of input is never an answer (the session stops and says who and which stage were not
answered); Ctrl-C stops cleanly. With ``--results DIR`` every answer is written, marked, with
a summary (``_training.session``); ``--pass-mark`` makes the command exit 4 when a trainee
scores below it. Answers are never logged.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from counting_rules._cli import exits
from counting_rules._common.printable import printable
from counting_rules._rulebook.ir import Rulebook
from counting_rules._training.quiz import PROMPTS
from counting_rules._training.session import (
    RESULT_FILES,
    Record,
    Sheet,
    check_name,
    load_answer_file,
    mark,
    prepare_results,
    summarise,
    unanswered,
    write_results,
)
from counting_rules.errors import UsageError
from counting_rules.scenario import QuizPart, Scenario, ScenarioResult, StageResult

__all__ = ["ClassRun", "Member", "add_arguments", "ask_stage", "finish", "interrupted", "setup"]

ANONYMOUS = "trainee"  # the one trainee of a plain --quiz, as results name them


@dataclass(frozen=True)
class Member:
    """A trainee: answering at the prompt (no sheet) or from an answer file."""

    name: str
    sheet: Sheet | None = None


@dataclass
class ClassRun:
    """A quiz session: who answers, where results go, and every answer marked so far."""

    result: ScenarioResult
    book: Rulebook
    members: list[Member]
    named: bool  # False for a plain --quiz: one trainee, no name
    folder: Path | None = None
    pass_mark: float | None = None
    records: dict[tuple[str, int, str], Record] = field(default_factory=dict)
    stage: int = 0  # the stage being asked (0-based)
    stopped: str | None = None  # "end of input" or "Ctrl-C"

    @property
    def scenario(self) -> Scenario:
        return self.result.scenario


def _percent(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"{text} is not a percentage from 0 to 100")
    return value


def add_arguments(w: argparse.ArgumentParser) -> None:
    """The class-session options of ``walkthrough`` (each implies ``--quiz``)."""
    g = w.add_argument_group("class sessions (each implies --quiz)")
    g.add_argument(
        "--trainee",
        metavar="NAME",
        action="append",
        default=[],
        help="a trainee answering at the prompt (repeatable: they answer in turn)",
    )
    g.add_argument(
        "--answers",
        metavar="FILE",
        action="append",
        default=[],
        help="one trainee's answers, YAML or JSON (repeatable: one file per trainee)",
    )
    g.add_argument(
        "--results",
        metavar="DIR",
        help=f"write every answer and a summary to DIR ({', '.join(RESULT_FILES)}); "
        "a folder that already holds results is refused",
    )
    g.add_argument(
        "--pass-mark",
        metavar="PERCENT",
        type=_percent,
        help=f"exit {exits.BELOW_PASS_MARK} if any trainee scores below PERCENT (named on stderr)",
    )


def setup(args: argparse.Namespace, result: ScenarioResult, book: Rulebook) -> ClassRun:
    """The session the options ask for: names checked, answer files validated and the
    results folder prepared, all before the first question."""
    sc = result.scenario
    members = [Member(check_name(n, "--trainee")) for n in args.trainee]
    members += [Member(s.trainee, s) for s in (load_answer_file(p, sc) for p in args.answers)]
    seen: dict[str, Member] = {}
    for m in members:
        other = seen.get(m.name.casefold())
        if other is not None:
            where = " and ".join(x.sheet.path if x.sheet else "--trainee" for x in (other, m))
            raise UsageError(
                f"the trainee {m.name!r} is named twice ({where})",
                fix="give each trainee a name of their own (results are kept by name)",
            )
        seen[m.name.casefold()] = m
    named = bool(members)
    folder = prepare_results(args.results) if args.results else None
    return ClassRun(
        result,
        book,
        members or [Member(ANONYMOUS)],
        named,
        folder=folder,
        pass_mark=args.pass_mark,
    )


def _say(console: Console, text: str, style: str = "", lead: str = "") -> None:
    console.print(Text(printable(lead), style="bold") + Text(printable(text), style=style))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def ask_stage(run: ClassRun, sr: StageResult, console: Console, stdin: IO[str]) -> bool:
    """Ask one stage's questions: of each trainee at the prompt in turn, then mark every
    trainee's answers. False when the input ended (the session stops)."""
    sc, book = run.scenario, run.book
    run.stage = sr.index
    asks = sc.stages[sr.index].asks
    wants = f"{_plural(len(asks), 'answer')}, one line each: {', '.join(asks)}"
    prompted = [m for m in run.members if m.sheet is None]
    if not run.named:
        _say(console, f"This stage asks for {wants}.", "cyan")
    else:
        turn = ", ".join(m.name for m in prompted)
        _say(
            console,
            f"Stage {sr.index + 1} asks each trainee for {wants}."
            + (f" At the prompt, in turn: {turn}." if prompted else ""),
            "cyan",
        )
    for m in prompted:
        for part in asks:
            lead = f"{m.name} — " if run.named else ""
            console.print(Text(printable(f"{lead}{PROMPTS[part]}> "), style="cyan"), end="")
            console.file.flush()  # the prompt shows before the read, even through a pipe
            raw = stdin.readline()
            if not raw:  # the end of input: never an answer
                console.print()
                _ran_out(run, m, sr, part, console)
                return False
            line = raw.rstrip("\r\n")
            console.print(Text("" if stdin.isatty() else printable(line)))  # echo scripts
            record = mark(m.name, sc, sr.index, sr.run, part, line, book)
            run.records[(m.name, sr.index, part)] = record
            if not run.named:
                _feedback(console, record, "", set())
    if run.named:
        explained: set[tuple[str, tuple[str, ...] | None]] = set()
        for m in run.members:
            for part in asks:
                record = run.records.get((m.name, sr.index, part)) or _from_sheet(run, m, sr, part)
                run.records[(m.name, sr.index, part)] = record
                _feedback(console, record, m.name, explained)
    return True


def _from_sheet(run: ClassRun, m: Member, sr: StageResult, part: QuizPart) -> Record:
    sc = run.scenario
    text = m.sheet.answers.get((sr.index, part)) if m.sheet else None
    if text is None:
        return unanswered(m.name, sc, sr.index, sr.run, part)
    return mark(m.name, sc, sr.index, sr.run, part, text, run.book)


def _ran_out(run: ClassRun, m: Member, sr: StageResult, part: QuizPart, console: Console) -> None:
    run.stopped = "end of input"
    asks = run.scenario.stages[sr.index].asks
    left = ", ".join(asks[asks.index(part) :])
    who = f"{m.name} did not answer" if run.named else "no answer to"
    _say(
        console,
        f"The answers ran out (end of input): {who} stage {sr.index + 1} ({left}). The "
        "session stops here; what was not answered is recorded as unanswered, not wrong.",
        "yellow",
    )


def _feedback(
    console: Console,
    r: Record,
    name: str,
    explained: set[tuple[str, tuple[str, ...] | None]],
) -> None:
    shown = ", ".join(r.right) or "none"
    who = f"{name}: " if name else ""
    if r.status == "unanswered":
        _say(console, f"· {who}{r.question} — no answer; the answer is {shown}", "yellow")
        return
    if r.status == "right":
        _say(console, f"✓ {who or 'Right: '}{r.question} — {shown}", "green")
        return
    said = ", ".join(r.given or ()) or "none"
    if name:
        _say(console, f"✗ {who}{r.question} — said {said}; the answer is {shown}", "red")
    else:
        _say(console, f"✗ Not right: {r.question} — you said {said}; the answer is {shown}", "red")
    if (r.question, r.given) in explained:
        return  # the same wrong answer was explained for a trainee before
    explained.add((r.question, r.given))
    for w in r.not_right:
        _say(console, w.text, lead=f"Why is this not {w.value}? ")
    for w in r.missed:
        _say(console, w.text, lead=f"Why {w.value}? ")


def _every_record(run: ClassRun) -> list[Record]:
    """Every trainee's every question: as marked; else from their file (answers in a file
    are marked whether or not the session reached them); else unanswered."""
    out = []
    for m in run.members:
        for sr in run.result.stages:
            for part in run.scenario.stages[sr.index].asks:
                key = (m.name, sr.index, part)
                if key not in run.records:
                    run.records[key] = _from_sheet(run, m, sr, part)
                out.append(run.records[key])
    return out


def _summary(run: ClassRun, records: list[Record]) -> dict[str, Any]:
    """The class summary of ``records``, as the session stands."""
    return summarise(
        records,
        run.scenario,
        run.book,
        trainees=[m.name for m in run.members],
        pass_mark=run.pass_mark,
        stopped=run.stopped,
    )


def finish(run: ClassRun, console: Console) -> int:
    """The scores, the results written, and the exit code: 5 if the answers ran out, else
    4 if a trainee is below the pass mark, else 0."""
    records = _every_record(run)
    summary = _summary(run, records)
    people = summary["trainees"]
    if run.named:
        lines = [
            f"{p['trainee']}: {p['right']} of {p['questions']} ({p['score_percent']:g}%)"
            + (f", {p['unanswered']} unanswered" if p["unanswered"] else "")
            for p in people
        ]
        console.print(Panel(Text(printable("\n".join(lines)), style="bold"), title="Scores"))
    else:
        (p,) = people
        left = f" ({p['unanswered']} unanswered)" if p["unanswered"] else ""
        console.print(Panel(Text(f"Score: {p['right']} of {p['questions']}{left}", style="bold")))
    if run.folder is not None:
        write_results(run.folder, run.scenario, records, summary)
        _say(console, f"Wrote {', '.join(RESULT_FILES)} to {run.folder}")
    if run.stopped:
        n = len(run.scenario.stages)
        not_judged = " (the pass mark is not applied)" if run.pass_mark is not None else ""
        _err(
            f"the quiz stopped at the end of input at stage {run.stage + 1} of {n}"
            f"{not_judged}; exit {exits.UNANSWERED}"
        )
        return exits.UNANSWERED
    below = [p for p in people if p["below_pass_mark"]]
    if below:
        names = ", ".join(f"{p['trainee']} ({p['score_percent']:g}%)" for p in below)
        _err(f"below the pass mark of {run.pass_mark:g}%: {names}; exit {exits.BELOW_PASS_MARK}")
        return exits.BELOW_PASS_MARK
    return exits.DONE


def interrupted(run: ClassRun | None, console: Console) -> int:
    """Ctrl-C: write what was answered (the rest as unanswered) and say so in one line."""
    console.print()  # end the prompt's line
    if run is None:
        _err(f"stopped by Ctrl-C; exit {exits.INTERRUPTED}")
        return exits.INTERRUPTED
    run.stopped = "Ctrl-C"
    at = f"at stage {run.stage + 1} of {len(run.scenario.stages)}"
    if run.folder is None:
        _err(f"stopped by Ctrl-C {at}; no answers written (no --results); exit 130")
        return exits.INTERRUPTED
    records = _every_record(run)
    summary = _summary(run, records)
    write_results(run.folder, run.scenario, records, summary)
    given = sum(r.status != "unanswered" for r in records)
    _err(
        f"stopped by Ctrl-C {at}; {_plural(given, 'answer')} so far written to {run.folder} "
        f"(the rest as unanswered); exit {exits.INTERRUPTED}"
    )
    return exits.INTERRUPTED


def _err(text: str) -> None:
    sys.stdout.flush()
    print(f"counting-rules: {printable(text)}", file=sys.stderr)
