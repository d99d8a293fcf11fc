"""Training subcommands: ``walkthrough``, ``explain --why-not`` and ``scenarios``.

Loaded by ``cli._plugins()``. Errors are :class:`CountingRulesError` subclasses, so they map
to the CLI's exit codes; a walkthrough or check whose model answers disagree with the engine
exits 1.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from rich.console import Console
from rich.panel import Panel
from rich.rule import Rule as Line
from rich.table import Table
from rich.text import Text

from counting_rules._case.files import load_case_file
from counting_rules._cli import exits, options
from counting_rules._cli.epilog import epilog
from counting_rules._cli.quiz import (
    ANONYMOUS,
    ClassRun,
    Member,
    add_arguments,
    ask_stage,
    finish,
    interrupted,
    setup,
)
from counting_rules._common.printable import printable
from counting_rules._engine.decide import default_rulebook
from counting_rules._explain.sections import Source
from counting_rules._explain.why_not import why_not
from counting_rules._rulebook.ir import Rulebook
from counting_rules._rulebook.loader import load_rulebook
from counting_rules._training.walkthrough import (
    SHEETS,
    Sheet,
    render_handout,
    render_projector,
    stage_views,
)
from counting_rules.errors import CaseFileError, UsageError, WriteError
from counting_rules.scenario import (
    Scenario,
    ScenarioResult,
    check_scenario,
    default_scenarios,
    load_scenario,
    load_scenarios,
    taught_rules,
)

__all__ = ["WalkResult", "register", "walk"]


def _book(path: str | None) -> Rulebook:
    return load_rulebook(path) if path else default_rulebook()


def _console() -> Console:
    tty = sys.stdout.isatty()
    return Console(file=sys.stdout, highlight=False, width=None if tty else 100, soft_wrap=not tty)


def _find(name: str, folder: str | None) -> Scenario:
    root = Path(folder) if folder else default_scenarios()
    path = Path(name)
    if path.is_file():
        inside = root.resolve() in path.resolve().parents
        return load_scenario(path, root if inside else None)
    for candidate in (root / name, root / f"{name}.yaml"):
        if candidate.is_file():
            return load_scenario(candidate, root)
    hits = (
        sorted(p for p in root.rglob("*.yaml") if p.stem == Path(name).stem)
        if root.is_dir()
        else []
    )
    if len(hits) == 1:
        return load_scenario(hits[0], root)
    raise CaseFileError(
        f"{name}: no such scenario"
        + (f" (several match: {', '.join(map(str, hits))})" if hits else ""),
        fix=f"give a scenario file, or an id under {root} (see `counting-rules scenarios list`)",
    )


# ---------------------------------------------------------------- the walkthrough in a terminal


@dataclass
class WalkResult:
    """The quiz score and whether every model answer agreed with the engine."""

    right: int = 0
    asked: int = 0
    model_ok: bool = True
    session: ClassRun | None = None  # the quiz: every trainee's answers, marked
    code: int = 0  # the quiz's exit code (exits.UNANSWERED, exits.BELOW_PASS_MARK)


def _say(console: Console, text: str, style: str = "", lead: str = "") -> None:
    # Text, never markup, and no control characters: scenario and case text is shown as is.
    console.print(Text(printable(lead), style="bold") + Text(printable(text), style=style))


def walk(
    result: ScenarioResult,
    book: Rulebook,
    console: Console,
    stdin: IO[str],
    mode: str,
    session: ClassRun | None = None,
) -> WalkResult:
    """Run a checked scenario in the terminal; ``mode`` is ``auto``, ``quiz`` or ``step``.
    A quiz asks ``session``'s trainees (default: one trainee at the prompt)."""
    sc = result.scenario
    out = WalkResult(model_ok=result.passed)
    if mode == "quiz":
        out.session = session or ClassRun(result, book, [Member(ANONYMOUS)], named=False)
    console.print(
        Panel(
            Text(printable(sc.title), style="bold"),
            subtitle=Text(f"scenario {printable(str(sc.id))}"),
        )
    )
    _say(console, "; ".join(sc.audience), lead="Audience: ")
    _say(console, "; ".join(sc.objectives), lead="Objectives: ")
    _say(console, ", ".join(sc.teaches), lead="Rules taught: ")
    for problem in result.problems:
        _say(console, f"! {problem}", "red")
    for sr, view in zip(result.stages, stage_views(result, book), strict=True):
        title = f"Stage {view['number']} of {len(sc.stages)}: {view['title']}"
        console.print(Line(Text(printable(title))))
        _say(console, view["narrative"])
        _say(console, "", lead="The facts:" if view["changes"] is None else "New or corrected:")
        for f in view["facts"]:
            _say(console, f"  • {f['label'] + ': ' if f['label'] else ''}{f['text']}")
        if not view["facts"]:
            _say(console, "  • no new facts")
        console.print(
            Panel(Text(printable(view["question"])), title="Question", border_style="cyan")
        )
        if out.session is not None and not ask_stage(out.session, sr, console, stdin):
            break  # the answers ran out: the session stops
        if mode == "step":
            _say(console, "Press Enter to see the answer…", "dim")
            stdin.readline()
        _show(view, console)
    if out.session is not None:
        out.code = finish(out.session, console)
        mine = [r for r in out.session.records.values() if r.trainee == ANONYMOUS]
        out.right = sum(r.status == "right" for r in mine)
        out.asked = sum(r.status != "unanswered" for r in mine)
    if not out.model_ok:
        _say(console, "The model answers do not agree with the engine (see above).", "red")
    return out


def _cited(view: Mapping[str, Any]) -> str:
    """A citation of the stage view in words, by the one formatter."""
    return str(Source(view["where"], view["url"], view["read_at"]))


_MARK = {"added": "+", "removed": "-", "changed": "~"}
_STYLE = {"added": "green", "removed": "red", "changed": "yellow"}


def _show(view: Mapping[str, Any], console: Console) -> None:
    _say(console, "", lead=f"Answer (the engine, {view['edition']}):")
    for sec in view["sections"]:
        _say(console, sec["heading"], "bold underline")
        for it in sec["items"]:
            _say(console, f"  • {it['text']}")
            for r in it["reasons"]:
                _say(console, r["explanation"], lead=f"      {r['title']}: ")
                _say(console, f"      Source: {_cited(r)}", "dim")
    if view["changes"] is not None:
        _say(console, "", lead="What changed in the decision since the stage before:")
        for c in view["changes"]:
            _say(console, f"  {_MARK[c['kind']]} {c['heading']}: {c['text']}", _STYLE[c["kind"]])
            if c["before"]:
                _say(console, f"      before: {c['before']}", "dim")
        if not view["changes"]:
            _say(console, "  nothing: the decision stands", "dim")
    for w in view["why_not"]:
        _say(console, w["reason"], lead=f"Why not “{w['title']}”? ")
        _say(console, f"      Source: {_cited(w)}", "dim")
    _say(console, "", lead="Teaching points:")
    for p in view["points"]:
        _say(console, f"  ★ {p['text']}")
        for c in p["citations"]:
            _say(console, f"      {c['label']} {_cited(c)}", "dim")
    for problem in view["problems"]:
        _say(console, f"! model answer disagrees: {problem}", "red")


def _cmd_walkthrough(args: argparse.Namespace) -> int:
    console = _console()
    session: list[ClassRun] = []  # set once the session is ready, for Ctrl-C
    try:
        return _walkthrough(args, console, session)
    except KeyboardInterrupt:
        return interrupted(session[0] if session else None, console)


def _walkthrough(args: argparse.Namespace, console: Console, session: list[ClassRun]) -> int:
    quiz = args.quiz or bool(args.trainee or args.answers or args.results or args.pass_mark)
    if args.auto and quiz:
        raise UsageError(
            "--trainee, --answers, --results and --pass-mark are for the quiz, not --auto",
            fix="drop --auto (each of them implies --quiz)",
        )
    book = _book(args.rulebook)
    scenario = _find(args.scenario, args.scenarios)
    result = check_scenario(scenario, evaluator=args.evaluator, rulebook=book)
    if args.handout and not args.html:
        raise UsageError(
            "--handout says which sheet to write, and needs --html FILE to write it to",
            fix=f"add --html FILE, e.g. --handout {args.handout} --html {args.handout}.html",
        )
    if quiz:
        session.append(setup(args, result, book))  # before the handout: errors come first
    written = []
    if args.html:
        sheet: Sheet = "trainee" if args.handout == "trainee" else "trainer"
        _write(args.html, render_handout(result, book, sheet), f"the handout ({sheet} sheet)")
        written.append(f"the {sheet} sheet for {scenario.id} to {args.html}")
    if args.projector:
        _write(args.projector, render_projector(result, book), "the projector file")
        written.append(f"the projector file for {scenario.id} to {args.projector}")
    for what in written:
        console.print(Text(printable(f"Wrote {what}")))
    if written and not (args.auto or quiz):
        return 0 if result.passed else 1
    mode = "quiz" if quiz else "auto" if args.auto else "step"
    done = walk(result, book, console, sys.stdin, mode, session[0] if session else None)
    return 1 if not done.model_ok else done.code


def _write(path: str, text: str, what: str) -> None:
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise WriteError(
            f"{path}: cannot write {what}: {exc.strerror}",
            fix="give a path in a folder that exists and that you can write to",
        ) from None


def _cmd_explain(args: argparse.Namespace) -> int:
    book = _book(args.rulebook)
    case = load_case_file(args.case)
    answers = [
        why_not(case, rid, edition=args.edition, subject=args.subject, rulebook=book)
        for rid in args.why_not
    ]
    if args.format == "json":
        docs = [a.model_dump(mode="json") for a in answers]
        sys.stdout.write(json.dumps(docs if len(docs) > 1 else docs[0], indent=2) + "\n")
    else:
        for a in answers:
            head = f"Why not {a.rule_id}? [{a.status.replace('_', ' ')}]"
            sys.stdout.write(printable(f"{head}\n{a.text}\n\n"))
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    book = _book(args.rulebook)
    folder = Path(args.dir) if args.dir else default_scenarios()
    scenarios = load_scenarios(folder)
    if not scenarios:
        raise CaseFileError(f"{folder}: no scenarios (*.yaml) found", fix="give a scenario folder")
    results = [check_scenario(s, evaluator=args.evaluator, rulebook=book) for s in scenarios]
    covered = taught_rules(book, scenarios)
    uncovered = sorted(set(book.rules) - covered)
    failed = [r for r in results if not r.passed]
    if args.format == "json":
        doc: dict[str, Any] = {
            "scenarios": [
                {"id": r.scenario.id, "passed": r.passed, "problems": _problems(r)} for r in results
            ],
            "passed": len(results) - len(failed),
            "failed": len(failed),
            "rules": len(book.rules),
            "rules_taught": len(covered),
            "uncovered": uncovered,
        }
        sys.stdout.write(json.dumps(doc, indent=2) + "\n")
        return 1 if failed else 0
    table = Table(title=f"Scenarios in {folder}")
    for col in ("scenario", "stages", "result", "problems"):
        table.add_column(col, overflow="fold")
    for r in results:
        mark = Text("pass", style="green") if r.passed else Text("FAIL", style="bold red")
        table.add_row(
            Text(printable(str(r.scenario.id))),
            str(len(r.scenario.stages)),
            mark,
            Text(printable("\n".join(_problems(r)))),
        )
    console = _console()
    console.print(table)
    console.print(
        f"{len(results) - len(failed)} of {len(results)} scenarios pass; "
        f"{len(covered)} of {len(book.rules)} rules are taught by a scenario."
    )
    if uncovered:
        console.print(Text("Rules no scenario teaches: " + ", ".join(uncovered), style="yellow"))
    return 1 if failed else 0


def _problems(r: ScenarioResult) -> list[str]:
    out = list(r.problems)
    for s in r.stages:
        out += [f"stage {s.index + 1} ({s.title}): {p}" for p in s.problems]
    return out


def _cmd_list(args: argparse.Namespace) -> int:
    folder = Path(args.dir) if args.dir else default_scenarios()
    library = load_scenarios(folder)
    shown = [s for s in library if _listed(s, args)]
    for note in _unmatched(library, args):
        print(f"counting-rules: {printable(note)}", file=sys.stderr)
    if args.format == "json":
        doc = {
            "scenarios": [
                {
                    "id": s.id,
                    "title": s.title,
                    "stages": len(s.stages),
                    "audience": list(s.audience),
                    "topics": list(s.topics),
                    "editions": list(s.editions),
                }
                for s in shown
            ],
            "count": len(shown),
        }
        sys.stdout.write(json.dumps(doc, indent=2) + "\n")
        return 0
    sys.stdout.write("scenario\tstages\teditions\taudience\ttopics\ttitle\n")
    for s in shown:
        row = (
            str(s.id),
            str(len(s.stages)),
            ", ".join(s.editions),
            "; ".join(s.audience),
            "; ".join(s.topics) or "-",
            s.title,
        )
        sys.stdout.write(printable("\t".join(" ".join(c.split()) for c in row)) + "\n")
    return 0


def _topic(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").lower().split())


def _listed(s: Scenario, args: argparse.Namespace) -> bool:
    """Does the scenario pass every filter given? Audience: a part of one of its audience
    entries (any case); topic: one of its topics (any case, ``_`` or ``-`` for a space);
    edition: one of the editions its stages are decided under."""
    if args.audience and not any(_topic(args.audience) in _topic(a) for a in s.audience):
        return False
    if args.topic and _topic(args.topic) not in s.topics:
        return False
    return not args.edition or args.edition in s.editions


def _unmatched(library: Sequence[Scenario], args: argparse.Namespace) -> list[str]:
    """A note for each filter that no scenario of the library matches, with what does."""
    notes = []
    known = {
        "audience": sorted({a for s in library for a in s.audience}),
        "topic": sorted({t for s in library for t in s.topics}),
        "edition": sorted({e for s in library for e in s.editions}),
    }
    for name, values in known.items():
        wanted = getattr(args, name)
        if not wanted:
            continue
        alone = argparse.Namespace(**{**dict.fromkeys(known), name: wanted})
        if any(_listed(s, alone) for s in library):
            continue
        hint = difflib.get_close_matches(_topic(wanted), values, n=1)
        notes.append(
            f"no scenario has the {name} {wanted!r}"
            + (f" (did you mean {hint[0]!r}?)" if hint else "")
            + f"; the {name} values in use: {', '.join(values) or 'none'}"
        )
    return notes


def _cmd_coverage(args: argparse.Namespace) -> int:
    book = _book(args.rulebook)
    folder = Path(args.dir) if args.dir else default_scenarios()
    covered = taught_rules(book, load_scenarios(folder))
    uncovered = sorted(set(book.rules) - covered)
    sys.stdout.write(f"{len(set(book.rules) & covered)} of {len(book.rules)} rules taught\n")
    for rid in uncovered:
        sys.stdout.write(f"uncovered: {rid}\n")
    return 1 if uncovered else 0


def _cmd_schema(args: argparse.Namespace) -> int:
    doc = Scenario.model_json_schema(mode="validation")
    sys.stdout.write(json.dumps(doc, indent=2, sort_keys=True) + "\n")
    return 0


def register(sub: Any) -> None:
    """Add the training subcommands to the CLI's subparsers."""
    w = sub.add_parser(
        "walkthrough",
        help="run a training scenario stage by stage",
        parents=[options.evaluator()],
        **epilog(
            [
                "counting-rules walkthrough rape_reported_in_another_force",
                "counting-rules walkthrough rape_reported_in_another_force --quiz",
                "counting-rules walkthrough rape_reported_in_another_force --html handout.html",
                "counting-rules walkthrough rape_reported_in_another_force "
                "--handout trainee --html trainee.html",
                "counting-rules walkthrough rape_reported_in_another_force --projector slides.html",
                "counting-rules walkthrough common_assault_or_abh --trainee Asha --trainee Ben "
                "--answers cy.yaml --results class-results/ --pass-mark 70",
            ],
            [1, exits.BELOW_PASS_MARK, exits.UNANSWERED, 64, 65, 66, 70, 73, 78, exits.INTERRUPTED],
            meaning={1: "a model answer in the scenario disagrees with the engine"},
            note="Exit codes, the first that applies: 130, 1, 5, 4. With --results, the answers "
            "given so far are written before exiting 5 or 130.",
        ),
    )
    w.add_argument("scenario", help="a scenario file, or its id under the scenario folder")
    mode = w.add_mutually_exclusive_group()
    mode.add_argument("--quiz", action="store_true", help="ask, score and explain each stage")
    mode.add_argument("--auto", action="store_true", help="no pauses (for CI)")
    w.add_argument(
        "--html",
        metavar="FILE",
        help="write a printable HTML sheet (the trainer's, unless --handout trainee)",
    )
    w.add_argument(
        "--handout",
        choices=SHEETS,
        help="which sheet --html writes: trainer (model answers, what changed, reasons, "
        "citations, teaching points; the default) or trainee (facts and questions only)",
    )
    w.add_argument(
        "--projector",
        metavar="FILE",
        help="write a self-contained HTML presentation: one stage at a time, the answer "
        "on a key press (arrow keys move between stages)",
    )
    w.add_argument("--scenarios", metavar="DIR", help="the scenario folder for ids")
    add_arguments(w)
    w.set_defaults(func=_cmd_walkthrough)
    e = sub.add_parser(
        "explain",
        help="why a rule did not fire on a case",
        parents=[options.edition(), options.output("text", "json"), options.rulebook()],
        **epilog(
            [
                "counting-rules explain examples/cases/punched_outside_pub.yaml "
                "--why-not general_rules/ncrs/does_not_amount_to_crime",
            ],
            [64, 65, 66, 70, 78],
        ),
    )
    e.add_argument("case", help="path of a case file (.yaml or .json)")
    e.add_argument(
        "--why-not",
        dest="why_not",
        metavar="RULE_ID",
        action="append",
        required=True,
        help="the rule id to explain (repeatable)",
    )
    e.add_argument("--subject", help="an allegation, proposal or victim id in the case")
    e.set_defaults(func=_cmd_explain)
    s = sub.add_parser(
        "scenarios",
        help="check, list and describe training scenarios",
        **epilog(
            ["counting-rules scenarios check", "counting-rules scenarios list"],
            [1, 65, 66, 70, 78],
            meaning={1: "a scenario fails, or a rule is taught by none (see each command)"},
        ),
    )
    ssub = s.add_subparsers(dest="scenarios_command", required=True)
    c = ssub.add_parser(
        "check",
        help="run every scenario's model answers through the engine",
        parents=[options.output("text", "json"), options.evaluator()],
        **epilog(
            ["counting-rules scenarios check", "counting-rules scenarios check my-scenarios/"],
            [1, 65, 66, 70, 78],
            meaning={1: "a scenario's model answers disagree with the engine"},
        ),
    )
    c.add_argument("dir", nargs="?", help="scenario folder (default: the shipped library)")
    c.set_defaults(func=_cmd_check)
    ls = ssub.add_parser(
        "list",
        help="list scenarios: stages, editions, audience, topics, title",
        parents=[options.output("text", "json")],
        **epilog(
            [
                "counting-rules scenarios list",
                'counting-rules scenarios list --audience "call handlers" --topic robbery',
                "counting-rules scenarios list --edition 2023 --format json",
                "counting-rules scenarios list my-scenarios/",
            ],
            [65, 66],
            note="Filters combine (all must hold); a filter nothing matches is named on "
            "stderr with the values in use.",
        ),
    )
    ls.add_argument("dir", nargs="?", help="scenario folder (default: the shipped library)")
    ls.add_argument(
        "--audience", metavar="WHO", help="only scenarios for this audience (part of an entry)"
    )
    ls.add_argument("--topic", metavar="TOPIC", help="only scenarios with this topic")
    ls.add_argument(
        "--edition", metavar="ID", help="only scenarios with a stage decided under this edition"
    )
    ls.set_defaults(func=_cmd_list)
    cov = ssub.add_parser(
        "coverage",
        help="rules no scenario teaches (exit 1 if any)",
        parents=[options.rulebook()],
        **epilog(
            ["counting-rules scenarios coverage"],
            [1, 65, 78],
            meaning={1: "a rule of the rulebook is taught by no scenario"},
        ),
    )
    cov.add_argument("dir", nargs="?")
    cov.set_defaults(func=_cmd_coverage)
    sch = ssub.add_parser(
        "schema",
        help="print the JSON Schema of a scenario file",
        **epilog(["counting-rules scenarios schema > scenario.schema.json"]),
    )
    sch.set_defaults(func=_cmd_schema)
