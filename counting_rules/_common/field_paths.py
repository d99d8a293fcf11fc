"""Field paths in error messages: ``allegations[A1].recorded_at``, by id where there is one.

A path names list items by their ``id`` (what a user sees in the case), falling back to the
index. ``steps`` turns a path back into keys and indexes against the data, so a case file
can report the line; it also reads the older dotted form ``allegations.0.recorded_at``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

__all__ = ["field_path", "steps"]

_IDENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,63}$")
_LONGEST = 120
_PART = re.compile(r"\[([^\]]*)\]|([^.\[\]]+)")


def _item_id(items: Any, index: int) -> str | None:
    if isinstance(items, list | tuple) and 0 <= index < len(items):
        item = items[index]
        ident = item.get("id") if isinstance(item, dict) else None
        if isinstance(ident, str) and _IDENT.match(ident):
            ids = [i.get("id") for i in items if isinstance(i, dict)]
            if ids.count(ident) == 1:  # a repeated id would point at the wrong item
                return ident
    return None


def field_path(loc: Sequence[str | int], data: Any = None) -> str:
    """The path of ``loc`` (keys and indexes) in ``data``, items named by id."""
    out = ""
    node = data
    for part in loc:
        if isinstance(part, int):
            index = part
            ident = _item_id(node, index)
            out += f"[{ident if ident is not None else index}]"
            node = node[index] if ident is not None or _in(node, index) else None
        else:
            out += f".{part}" if out else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    if len(out) > _LONGEST:  # a path through a self-referencing mapping goes on and on
        out = out[: _LONGEST // 2] + "…" + out[-_LONGEST // 2 :]
    return out or "(case)"


def _in(node: Any, index: int) -> bool:
    return isinstance(node, list | tuple) and 0 <= index < len(node)


def steps(path: str, data: Any) -> list[str | int]:
    """Keys and indexes of ``path`` in ``data`` (an id in brackets is found by search)."""
    out: list[str | int] = []
    node = data
    for m in _PART.finditer(path):
        bracket, key = m.group(1), m.group(2)
        if key is not None and not (key.isdigit() and isinstance(node, list)):
            out.append(key)
            node = node.get(key) if isinstance(node, dict) else None
            continue
        token = bracket if bracket is not None else key
        index = _find(node, token)
        if index is None:
            break
        out.append(index)
        node = node[index]
    return out


def _find(node: Any, token: str) -> int | None:
    if not isinstance(node, list):
        return None
    for i, item in enumerate(node):
        if isinstance(item, dict) and item.get("id") == token:
            return i
    if token.isdigit() and int(token) < len(node):
        return int(token)
    return None
