"""Control characters: refused in case input, shown as visible escapes on output.

A string from a case or a scenario must not be able to move the cursor, clear the screen,
change colours, reverse text direction or (through rich markup) open a link in the terminal.
"""

from __future__ import annotations

import re

from rich.markup import escape

__all__ = ["first_control", "literal", "printable"]

# C0, DEL and C1 controls, and the bidirectional overrides and isolates ("trojan source").
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_INPUT_BAD = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")
# On output, newlines and tabs are layout and stay.
_OUTPUT_BAD = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")


def _visible(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def first_control(text: str) -> int | None:
    """The index of the first control character input may not hold, or None."""
    m = _INPUT_BAD.search(text)
    return m.start() if m else None


def printable(text: str) -> str:
    """``text`` with every control character (but newline and tab) as a visible escape."""
    return _OUTPUT_BAD.sub(_visible, text)


def literal(text: str) -> str:
    """``text`` safe to hand to rich as markup: escaped controls, escaped ``[`` tags."""
    return escape(printable(text))
