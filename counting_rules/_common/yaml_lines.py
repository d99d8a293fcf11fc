"""Read YAML (or JSON) into plain data while remembering the line of every key and item."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

Path = tuple[str | int, ...]


class Located:
    """Plain data from a YAML document and the 1-based line of each path in it."""

    def __init__(self, data: Any, lines: dict[Path, int]) -> None:
        self.data = data
        self.lines = lines

    def line(self, path: Sequence[str | int]) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        p = tuple(path)
        while p:
            if p in self.lines:
                return self.lines[p]
            p = p[:-1]
        return self.lines.get((), None)


def _plain(node: Any, path: Path, lines: dict[Path, int]) -> Any:
    if isinstance(node, CommentedMap):
        out: dict[str, Any] = {}
        for key, value in node.items():
            child = (*path, str(key))
            with contextlib.suppress(KeyError, TypeError):  # merged keys have no position
                lines[child] = node.lc.key(key)[0] + 1
            out[str(key)] = _plain(value, child, lines)
        return out
    if isinstance(node, CommentedSeq):
        items = []
        for i, value in enumerate(node):
            child = (*path, i)
            with contextlib.suppress(KeyError, TypeError):
                lines[child] = node.lc.item(i)[0] + 1
            items.append(_plain(value, child, lines))
        return items
    if isinstance(node, datetime):
        # ruamel parses timestamps itself; hand them on as ISO text for strict validation.
        return node.isoformat()
    if isinstance(node, date):
        return node.isoformat()
    if isinstance(node, Mapping):  # pragma: no cover - rt loader always gives CommentedMap
        return {str(k): _plain(v, (*path, str(k)), lines) for k, v in node.items()}
    if isinstance(node, str):
        return str(node)
    return node


def load_text(text: str, source: str = "<string>") -> Located:
    """Parse YAML (JSON is YAML) text. Raises ``ValueError`` with the line on syntax errors."""
    yaml = YAML(typ="rt", pure=True)
    try:
        node = yaml.load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark is not None else source
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ValueError(f"{where}: not valid YAML: {problem}") from exc
    lines: dict[Path, int] = {(): 1}
    return Located(_plain(node, (), lines), lines)
