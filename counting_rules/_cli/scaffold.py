"""``counting-rules new rule AREA/NAME`` and ``new edition YYYY``: scaffolds for maintainers
(counting_rules._maintain.scaffold)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from counting_rules._cli import options
from counting_rules._cli.epilog import epilog
from counting_rules._maintain.scaffold import new_edition, new_rule
from counting_rules._rulebook.loader import default_root

_NEXT = "next: fill in each placeholder, then run `counting-rules check` until it reports none"


def register(subparsers: Any) -> None:
    """Add ``new rule`` and ``new edition``."""
    new = subparsers.add_parser(
        "new",
        help="scaffold a rule or an April edition: the files it needs, with placeholders",
        **epilog(
            [
                "counting-rules new rule general_rules/ncrs/my_new_rule",
                "counting-rules new edition 2027",
            ],
            [64, 78],
        ),
    )
    kinds = new.add_subparsers(dest="kind", required=True)
    r = kinds.add_parser(
        "rule",
        help="a rule: its YAML and template, a test file and a scenario that teaches it",
        parents=[options.rulebook()],
        **epilog(
            [
                "counting-rules new rule general_rules/ncrs/my_new_rule",
                "counting-rules new rule crime_types/burglary/my_rule --rulebook rulebooks/hocr",
            ],
            [64, 78],
        ),
    )
    r.add_argument("rule_id", metavar="AREA/NAME", help="the new rule's id; AREA is a folder")
    r.set_defaults(func=_cmd_rule)
    e = kinds.add_parser(
        "edition",
        help="an April edition: its editions.yaml entry and a scenario that uses it",
        parents=[options.rulebook()],
        **epilog(["counting-rules new edition 2027"], [64, 78]),
    )
    e.add_argument("year", type=int, metavar="YYYY", help="the year it comes into force, 1 April")
    e.set_defaults(func=_cmd_edition)


def _rulebook(args: argparse.Namespace) -> Path:
    return Path(args.rulebook) if args.rulebook else Path(str(default_root()))


def _report(written: list[Any]) -> int:
    for w in written:
        print(f"wrote {w.path}: {w.what}")
    print(_NEXT, file=sys.stderr)
    return 0


def _cmd_rule(args: argparse.Namespace) -> int:
    return _report(new_rule(_rulebook(args), args.rule_id))


def _cmd_edition(args: argparse.Namespace) -> int:
    return _report(new_edition(_rulebook(args), args.year))
