"""Rule maintenance subcommands: ``check`` (lint a rulebook) and ``diff`` (compare editions).

Both need hypothesis (the ``testing`` extra) to generate cases; ``diff`` does not when every
case is given and ``--examples 0``. Without it they print one line naming the extra, not a
traceback.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from counting_rules._case.files import load_case_file
from counting_rules._cli import exits, options
from counting_rules._cli.epilog import epilog
from counting_rules._engine.decide import default_rulebook, edition_for
from counting_rules._rulebook.ir import Rulebook
from counting_rules._rulebook.loader import load_rulebook
from counting_rules._rulebook.resolve import did_you_mean
from counting_rules.case import CaseFacts
from counting_rules.errors import UsageError

EXIT_FINDINGS = 1
TESTING_EXTRA = "pip install 'counting-rules[testing]'"

Command = Callable[[argparse.Namespace], int]


def needs_testing_extra(command: Command) -> Command:
    """``command``, saying in one line which extra to install when hypothesis is missing."""

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except ModuleNotFoundError as exc:
            if (exc.name or "").partition(".")[0] != "hypothesis":
                raise
            print(
                f"counting-rules: {args.command} generates cases with hypothesis, which is not "
                f"installed: {TESTING_EXTRA}",
                file=sys.stderr,
            )
            return exits.MISSING_EXTRA

    return run


def register(subparsers: Any) -> None:
    """Add ``check`` and ``diff`` to the ``counting-rules`` command line."""
    c = subparsers.add_parser(
        "check",
        help="lint a rulebook: citations, templates, table gaps, unreachable and conflicting "
        "rules on generated cases (exit 1 on findings)",
        parents=[options.output("text", "json")],
        **epilog(
            [
                "counting-rules check",
                "counting-rules check my-rulebook/ --rule crime_types/burglary --quiet",
            ],
            [EXIT_FINDINGS, 64, exits.MISSING_EXTRA, 78],
            meaning={EXIT_FINDINGS: "findings (each printed)"},
            note=f"Needs the testing extra: {TESTING_EXTRA}",
        ),
    )
    c.add_argument("rulebook", nargs="?", help="rulebook folder (default: the shipped HOCR)")
    c.add_argument("--examples", type=int, default=300, help="generated cases per edition")
    c.add_argument("--budget", type=int, default=1000, help="cases aimed at each unfired rule")
    c.add_argument(
        "--rule",
        action="append",
        default=[],
        help="report generated-case findings only for this rule id or folder (repeatable)",
    )
    c.add_argument("--seed", type=int, default=0)
    c.add_argument(
        "--witnesses",
        metavar="FILE",
        help="stored witness cases (gzipped JSON): each is tried before a search for its rule",
    )
    c.add_argument(
        "--save-witnesses",
        action="store_true",
        help="write --witnesses FILE afresh with every witness this run confirmed or found",
    )
    c.add_argument("--quiet", action="store_true", help="no progress on stderr")
    c.set_defaults(func=needs_testing_extra(_cmd_check))
    v = subparsers.add_parser(
        "convert-case",
        help="convert a format-1 case (verdicts) to format 2 (the account): JSON on stdout, "
        "what changed and what to ask on stderr",
        **epilog(["counting-rules convert-case old-case.yaml > new-case.json"], [66]),
    )
    v.add_argument("case", help="path of a format-1 case file (.yaml or .json)")
    v.set_defaults(func=_cmd_convert)
    d = subparsers.add_parser(
        "diff",
        help="decide cases under two editions; list each changed outcome and its causing rules",
        parents=[options.evaluator(), options.output("text", "json")],
        **epilog(
            [
                "counting-rules diff 2018 2023",
                "counting-rules diff 2018 2023 examples/cases --examples 0",
            ],
            [64, 65, 66, exits.MISSING_EXTRA, 70, 78],
            note="Generated cases need the testing extra: " + TESTING_EXTRA,
        ),
    )
    d.add_argument("before", metavar="EDITION_A")
    d.add_argument("after", metavar="EDITION_B")
    d.add_argument(
        "cases",
        nargs="*",
        metavar="CASES",
        help="case files or folders of them (default: every scenario stage and a generated sample)",
    )
    d.add_argument("--examples", type=int, help="generated cases (default 300 with no CASES)")
    d.add_argument("--seed", type=int, default=0)
    d.add_argument("--scenarios", help="scenario folder (default: the scenario library)")
    d.set_defaults(func=needs_testing_extra(_cmd_diff))


def _cmd_convert(args: argparse.Namespace) -> int:
    from counting_rules._case.files import read_mapping_file
    from counting_rules._case.format1 import convert, is_format_1
    from counting_rules._rulebook.points_to_prove import points_to_prove

    located = read_mapping_file(Path(args.case), "case file", "a case is a mapping")
    if is_format_1(located.data) is None:
        sys.stderr.write(f"{args.case}: already format 2; nothing to convert\n")
        return 0
    result = convert(located.data, points_to_prove(default_rulebook()))
    sys.stdout.write(json.dumps(result.case, indent=2, ensure_ascii=False) + "\n")
    for line in result.changes:
        sys.stderr.write(f"changed: {line}\n")
    for line in result.to_ask:
        sys.stderr.write(f"to ask: {line} (a dropped verdict stood in for it)\n")
    return 0


def _known_rules(book: Rulebook, selectors: tuple[str, ...]) -> None:
    """Each --rule names a rule, or a folder of rules, of the rulebook (else nothing would be
    checked, and "no findings" would mislead)."""
    from counting_rules._maintain.check import names

    for wanted in selectors:
        if not any(names(wanted, rid) for rid in book.rules):
            raise UsageError(
                f"--rule {wanted!r} names no rule or folder of rules in rulebook {book.name}",
                fix=did_you_mean(wanted, book.rules) or "see `counting-rules rulebooks`",
            )


def _cmd_check(args: argparse.Namespace) -> int:
    from counting_rules._maintain.check import Options, check
    from counting_rules._maintain.witness_store import Witnesses

    if args.save_witnesses and not args.witnesses:
        raise UsageError("--save-witnesses needs --witnesses FILE", fix="name the file to write")

    def progress(message: str) -> None:
        if not args.quiet:
            print(f"check: {message}", file=sys.stderr, flush=True)

    opts = Options(
        examples=args.examples,
        budget=args.budget,
        seed=args.seed,
        rules=tuple(args.rule),
        progress=progress,
        witnesses=Witnesses(Path(args.witnesses)) if args.witnesses else None,
    )
    if opts.rules:
        _known_rules(
            load_rulebook(args.rulebook) if args.rulebook else default_rulebook(), opts.rules
        )
    findings = check(args.rulebook, opts)
    if opts.witnesses is not None and args.save_witnesses:
        written = opts.witnesses.save()
        progress(f"saved {written} witnesses to {args.witnesses}")
    if args.format == "json":
        doc = [
            {
                "kind": f.kind,
                "file": f.file,
                "line": f.line,
                "rule": f.rule_id,
                "message": f.message,
                "case": f.case,
            }
            for f in findings
        ]
        sys.stdout.write(json.dumps(doc, indent=2) + "\n")
    else:
        for f in findings:
            print(f.one_line())
            if f.case is not None:
                print("    smallest case: " + json.dumps(f.case, sort_keys=True))
        print(f"{len(findings)} finding(s)" if findings else "no findings")
    return EXIT_FINDINGS if findings else 0


def _case_files(paths: list[str]) -> list[tuple[str, CaseFacts]]:
    out: list[tuple[str, CaseFacts]] = []
    for p in paths:
        path = Path(p)
        files = (
            sorted(f for ext in ("*.yaml", "*.yml", "*.json") for f in path.rglob(ext))
            if path.is_dir()
            else [path]
        )
        out += [(str(f), load_case_file(str(f))) for f in files]
    return out


def _cmd_diff(args: argparse.Namespace) -> int:
    from counting_rules._maintain.diff import compare, default_cases, generated_cases, render_text

    book: Rulebook = load_rulebook(args.rulebook) if args.rulebook else default_rulebook()
    before = edition_for(book, book.editions[0].in_force_from, args.before)
    after = edition_for(book, book.editions[0].in_force_from, args.after)
    if args.cases:
        cases = _case_files(args.cases) + generated_cases(args.examples or 0, args.seed)
    else:
        n = 300 if args.examples is None else args.examples
        cases = default_cases(n, args.seed, args.scenarios)
    report = compare(book, before, after, cases, args.evaluator)
    if args.format == "json":
        sys.stdout.write(json.dumps(report.as_dict(), indent=2) + "\n")
    else:
        sys.stdout.write(render_text(report))
    return 0
