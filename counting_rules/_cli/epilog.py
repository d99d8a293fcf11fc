"""The end of every command's ``--help``: examples, then the exit codes it can give.

Each command writes its examples and its own codes once, beside its options; what a code
means comes from ``exits.MEANINGS``, so no help text restates it. 0, 2 and 141 can come
from every command, so each gets them without listing them.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from typing import Any

from counting_rules._cli.exits import BAD_USAGE, BROKEN_PIPE, DONE, MEANINGS

__all__ = ["EXAMPLES", "EXIT_CODES", "epilog"]

EXAMPLES = "examples:"
EXIT_CODES = "exit codes:"
_EVERY = (DONE, BAD_USAGE, BROKEN_PIPE)


def epilog(
    examples: Sequence[str],
    codes: Sequence[int] = (),
    *,
    meaning: Mapping[int, str] | None = None,
    note: str = "",
) -> dict[str, Any]:
    """``add_parser`` keywords for a help that ends with ``examples``, ``note`` and the exit
    codes: ``codes`` and the three every command has, each meaning as in ``exits.MEANINGS``
    unless this command's ``meaning`` says what it means here."""
    own = dict(meaning or {})
    lines = [EXAMPLES, *(f"  {e}" for e in examples), ""]
    if note:
        lines += [note, ""]
    lines.append(EXIT_CODES)
    for code in sorted({*_EVERY, *codes, *own}):
        lines.append(f"  {code:<4} {own.get(code) or MEANINGS[code]}")
    return {
        "epilog": "\n".join(lines),
        # The examples and the table keep their lines; argparse would re-wrap them.
        "formatter_class": argparse.RawDescriptionHelpFormatter,
    }
