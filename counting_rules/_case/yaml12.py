"""Case files as YAML 1.2 with no surprises: plain data and the line of every key and item.

The document is built from the parser's events, so nothing is constructed that was not
asked for and nesting is bounded before it grows. Refused, each with its line: a ``%YAML``
directive other than 1.2 and every ``%TAG`` directive; tags (``!!str``, ``!!set``, custom
ones); anchors and aliases (an alias "bomb" expands 749 bytes into gigabytes); duplicate
keys; keys that are not plain text; more than one document; nesting beyond the limit.

Plain scalars resolve as JSON would read them: ``null``/``~``/empty, ``true``/``false``
and JSON numbers. Everything else is text, so ``015``, ``1:20``, ``yes``, ``off`` and
``2024-03-04`` stay strings, and the model decides whether a string is allowed (times are
ISO 8601 text, which the model parses).
"""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
    SequenceEndEvent,
)

from counting_rules._common.field_paths import field_path
from counting_rules._common.limits import Limits
from counting_rules._common.yaml_lines import Located, Path

__all__ = ["YamlRefused", "load_case_yaml"]

_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"-?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_MAX_DIGITS = 16  # longer integers are out of range (see Limits.int_magnitude)


class YamlRefused(ValueError):
    """Why a YAML text is refused, the 1-based line, and the path (None: a syntax error)."""

    def __init__(self, line: int | None, problem: str, fix: str, path: str | None = None) -> None:
        self.line = line
        self.problem = problem
        self.fix = fix
        self.path = path
        super().__init__(problem)


def _line(ev: Event) -> int | None:
    mark = getattr(ev, "start_mark", None)
    return mark.line + 1 if mark is not None else None


def _directive_line(text: str) -> int | None:
    """The event of a document starts at ``---``; its directives come before it."""
    lines = text.splitlines()
    return next((i for i, line in enumerate(lines, 1) if line.startswith("%")), None)


def _scalar(ev: ScalarEvent) -> Any:
    value = ev.value
    if ev.style is not None:  # quoted or block scalars are always text
        return value
    if value in _NULL:
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT.fullmatch(value):
        if len(value.lstrip("-")) > _MAX_DIGITS:
            raise YamlRefused(_line(ev), "integer out of range", "give a smaller number")
        return int(value)
    if _FLOAT.fullmatch(value):
        return float(value)
    return value


class _Builder:
    """A stack machine over parser events: no recursion, however deep the input."""

    def __init__(self, text: str, limits: Limits) -> None:
        self.text = text
        self.limits = limits
        self.lines: dict[Path, int] = {(): 1}
        self.stack: list[tuple[Any, Path, list[Any]]] = []  # container, path, pending key
        self.root: Any = None
        self.documents = 0

    def _place(self, value: Any, ev: Event) -> Path | None:
        """Put a finished value into the open container; its path, or None if it was a key."""
        if not self.stack:
            self.root = value
            return ()
        container, path, pending = self.stack[-1]
        if isinstance(container, list):
            child = (*path, len(container))
            container.append(value)
            self.lines[child] = _line(ev) or 1
            return child
        if not pending:
            if not isinstance(value, str):
                raise YamlRefused(_line(ev), "a mapping key must be plain text", "quote the key")
            if value in container:
                raise YamlRefused(
                    _line(ev),
                    "duplicate key",
                    "give each key once",
                    field_path((*path, value), self.root),
                )
            pending.append(value)
            self.lines[(*path, value)] = _line(ev) or 1
            return None
        key = pending.pop()
        container[key] = value
        return (*path, key)

    def event(self, ev: Event) -> None:
        try:
            self._event(ev)
        except YamlRefused as exc:
            if exc.path is None:
                exc.path = field_path(self._next_loc(), self.root)
            raise

    def _next_loc(self) -> Path:
        """Where the value now being read goes."""
        if not self.stack:
            return ()
        container, path, pending = self.stack[-1]
        if isinstance(container, list):
            return (*path, len(container))
        return (*path, *pending)

    def _event(self, ev: Event) -> None:
        if isinstance(ev, DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise YamlRefused(_line(ev), "more than one document", "one case per file")
            if ev.version is not None and tuple(ev.version) != (1, 2):
                v = ".".join(map(str, ev.version))
                raise YamlRefused(
                    _directive_line(self.text),
                    f"a %YAML {v} directive: case files are YAML 1.2",
                    "remove the %YAML line",
                )
            if ev.tags:
                raise YamlRefused(
                    _directive_line(self.text), "a %TAG directive", "remove the %TAG line"
                )
            return
        if isinstance(ev, AliasEvent) or (isinstance(ev, NodeEvent) and ev.anchor):
            raise YamlRefused(
                _line(ev),
                "anchors and aliases (& and *) are not allowed in case files",
                "write each value out in full",
            )
        if isinstance(ev, NodeEvent) and getattr(ev, "tag", None):
            raise YamlRefused(
                _line(ev),
                "tags (such as !!str or !!set) are not allowed in case files",
                "remove the tag; quote a value to make it text",
            )
        if isinstance(ev, ScalarEvent):
            self._place(_scalar(ev), ev)
        elif isinstance(ev, CollectionStartEvent):
            if len(self.stack) >= self.limits.depth:
                raise YamlRefused(
                    _line(ev),
                    f"nested deeper than the limit of {self.limits.depth} (Limits.depth)",
                    "a case needs only a few levels of nesting",
                )
            if self.stack and isinstance(self.stack[-1][0], dict) and not self.stack[-1][2]:
                raise YamlRefused(_line(ev), "a mapping key must be plain text", "quote the key")
            container: Any = {} if isinstance(ev, MappingStartEvent) else []
            path = self._place(container, ev)
            self.stack.append((container, path or (), []))
        elif isinstance(ev, MappingEndEvent | SequenceEndEvent):
            self.stack.pop()


def load_case_yaml(text: str, limits: Limits) -> Located:
    """Parse a case file's YAML (or JSON). Raises YamlRefused with the line."""
    builder = _Builder(text, limits)
    try:
        for ev in YAML(typ="safe", pure=True).parse(text):
            builder.event(ev)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise YamlRefused(
            mark.line + 1 if mark is not None else None,
            f"not valid YAML: {problem}",
            "fix the YAML/JSON syntax",
        ) from None
    return Located(builder.root, builder.lines)
