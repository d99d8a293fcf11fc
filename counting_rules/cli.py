"""The ``counting-rules`` command line.

Exit codes are listed once, in ``_cli.exits``, and each command's ``--help`` gives its own.
Errors print to stderr, one line a problem (an invalid case lists every problem), each
naming the field or rule and the fix; no decision is printed after an error.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from counting_rules import __version__
from counting_rules._case.files import load_case_file, load_case_stream
from counting_rules._cli import exits, options
from counting_rules._cli.epilog import epilog
from counting_rules._common.printable import printable
from counting_rules._common.schemas import schemas
from counting_rules._engine.decide import decide, default_rulebook
from counting_rules._explain.render import render_decision
from counting_rules._explain.rule_reference import edition_rows, rules_markdown
from counting_rules._rulebook.ir import Rulebook
from counting_rules._rulebook.loader import load_rulebook
from counting_rules.errors import CaseFactsError, CountingRulesError


def _book(path: str | None) -> Rulebook:
    return load_rulebook(path) if path else default_rulebook()


def _cmd_decide(args: argparse.Namespace) -> int:
    book = _book(args.rulebook)
    # "-" is standard input, read with the same rules and limits as a file.
    case = load_case_stream(sys.stdin.buffer) if args.case == "-" else load_case_file(args.case)
    decision = decide(case, edition=args.edition, evaluator=args.evaluator, rulebook=book)
    if args.format == "json":
        sys.stdout.write(decision.model_dump_json(indent=2) + "\n")
    else:
        sys.stdout.write(printable(render_decision(decision, markdown=args.format == "markdown")))
    if args.fail_on_incomplete and not decision.complete:
        # Counts only: the questions' text could carry what the case says.
        print(
            f"counting-rules: the decision is not complete ({len(decision.still_needed)} "
            f"question(s) still needed); exit {exits.INCOMPLETE}",
            file=sys.stderr,
        )
        return exits.INCOMPLETE
    return exits.DONE


def _cmd_schema(args: argparse.Namespace) -> int:
    docs = schemas()
    out = docs if args.which == "all" else docs[args.which]
    sys.stdout.write(json.dumps(out, indent=2, sort_keys=True) + "\n")
    return 0


def _cmd_rulebooks(args: argparse.Namespace) -> int:
    book = _book(args.rulebook)
    rows = edition_rows(book)
    if args.format == "markdown":
        sys.stdout.write(rules_markdown(book))
        return 0
    if args.format == "json":
        doc = {
            "rulebook": book.name,
            "digest": book.digest,
            "rules": len(book.rules),
            "editions": rows,
        }
        sys.stdout.write(json.dumps(doc, indent=2) + "\n")
        return 0
    print(f"{book.title} ({book.name}, digest {book.digest}): {len(book.rules)} rule files")
    print(f"{'edition':8} {'in force from':14} {'until':11} {'rules':>5}  title")
    for r in rows:
        print(
            f"{r['edition']:8} {r['in_force_from']:14} {r['in_force_until'] or '-':11} "
            f"{r['rules']:>5}  {r['title']}"
        )
    return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="counting-rules",
        description="Decide what must be recorded under the Home Office Counting Rules, and why.",
        **epilog(
            [
                "counting-rules decide examples/cases/punched_outside_pub.yaml",
                "counting-rules rulebooks",
            ],
            sorted(exits.MEANINGS),
            note="Each command's --help gives its own examples and exit codes.",
        ),
    )
    p.add_argument("--version", action="version", version=f"counting-rules {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    d = sub.add_parser(
        "decide",
        help="decide one case (YAML or JSON)",
        parents=[
            options.edition(),
            options.output("text", "json", "markdown"),
            options.evaluator(),
        ],
        **epilog(
            [
                "counting-rules decide examples/cases/punched_outside_pub.yaml",
                "counting-rules decide - --format json < examples/cases/punched_outside_pub.yaml",
                "counting-rules decide examples/cases/domestic_incident.yaml --fail-on-incomplete",
            ],
            [exits.INCOMPLETE, 64, 65, 66, 70, 78],
        ),
    )
    d.add_argument("case", help="path of a case file (.yaml or .json), or - for standard input")
    d.add_argument(
        "--fail-on-incomplete",
        action="store_true",
        help=f"exit {exits.INCOMPLETE} after printing the decision if it is not complete "
        "(something still needed, undecided, referred or unclassified)",
    )
    d.set_defaults(func=_cmd_decide)
    s = sub.add_parser(
        "schema",
        help="print the JSON Schema of cases and decisions",
        **epilog(["counting-rules schema case > case.schema.json", "counting-rules schema"]),
    )
    s.add_argument("which", nargs="?", choices=("all", "case", "decision"), default="all")
    s.set_defaults(func=_cmd_schema)
    r = sub.add_parser(
        "rulebooks",
        help="list the editions and the rules in force in each (markdown: the rule reference)",
        description="List the rulebook's editions, when each is in force and how many rules it "
        "has in force (--format text or json); --format markdown prints the rule reference, "
        "every rule with its editions, citation and confidence (docs/reference/rules.md).",
        parents=[options.rulebook(), options.output("text", "json", "markdown")],
        **epilog(
            [
                "counting-rules rulebooks",
                "counting-rules rulebooks --format markdown > rules.md",
                "counting-rules rulebooks --rulebook my-rulebook/",
            ],
            [78],
        ),
    )
    r.set_defaults(func=_cmd_rulebooks)
    for register in _plugins():
        register(sub)
    return p


def _plugins() -> list[Callable[[Any], None]]:
    """Subcommands that live in their own modules (training; rule maintenance)."""
    found: list[Callable[[Any], None]] = []
    for name in (
        "counting_rules._cli.training",
        "counting_rules._cli.maintain",
        "counting_rules._cli.scaffold",
        "counting_rules._cli.serve",
        "counting_rules._cli.audit",
    ):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        found.append(module.register)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except CountingRulesError as exc:
        # The message may carry a file name or a key from the input: no terminal controls.
        lines = exc.each() if isinstance(exc, CaseFactsError) else [exc.one_line()]
        for line in lines:  # one problem a line, each with its fix, as a compiler lists them
            print(f"counting-rules: error [{exc.code}]: {printable(line)}", file=sys.stderr)
        if len(lines) > 1:
            print(f"counting-rules: {len(lines)} problems, listed above", file=sys.stderr)
        return exc.exit_code
    return code


def run() -> None:  # pragma: no cover - run in a subprocess by tests/cli/test_pipes.py
    """The console-script entry point: ``main()``, quiet when the output's reader goes away."""
    try:
        code = main()
        sys.stdout.flush()  # a closed pipe shows here, where it can be caught, not at exit
    except BrokenPipeError:
        # As the Python docs advise (signal module, "Note on SIGPIPE"): point stdout at
        # devnull so the interpreter's flush at exit cannot fail again with a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = exits.BROKEN_PIPE
    raise SystemExit(code)
