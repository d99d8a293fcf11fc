"""Raw case data to plain JSON data, inside the limits, before the model validates it.

Input comes as JSON text, as a YAML file's data, or as a Python mapping a caller built. Each
is walked once, with bounded depth, and becomes plain JSON data (dict, list, str, int, float,
bool, None). Python datetimes (with a timezone) and dates become ISO text and tuples become
lists, as a user would expect; every other Python object, a duplicate key, a number too big,
a control character or a breach of a limit is a problem at its path. Problems are reported
together as one CaseFactsError; none of them echoes a value, only paths, names and types.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from counting_rules._common.field_paths import field_path
from counting_rules._common.limits import Limits
from counting_rules._common.printable import first_control, printable
from counting_rules.case import _Model
from counting_rules.errors import CaseFactsError

__all__ = ["load_json", "plain_case"]

Loc = tuple[str | int, ...]
_MAX_PROBLEMS = 20  # enough to fix a file in one go; bounds the message
_MAX_DIGITS = 16  # longer integer literals are out of range (MAX_INT has 16 digits)


class _Refused:
    """A JSON value the decoder refused to build (NaN, or an integer too long to convert)."""

    def __init__(self, why: str) -> None:
        self.why = why


class _Pairs(dict[str, Any]):
    """A decoded JSON object that remembers the keys it was given more than once."""

    duplicates: tuple[str, ...] = ()


def _pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
    out = _Pairs(items)
    if len(out) != len(items):
        seen: set[str] = set()
        dups: list[str] = []
        for k, _ in items:
            if k in seen:
                dups.append(k)
            seen.add(k)
        out.duplicates = tuple(dups)
    return out


def _int(text: str) -> int | _Refused:
    if len(text.lstrip("-")) > _MAX_DIGITS:
        return _Refused("integer out of range (limit int_magnitude)")
    return int(text)


def _constant(name: str) -> _Refused:
    return _Refused(f"{name} is not a number JSON allows")


def load_json(data: str | bytes, limits: Limits) -> Any:
    """Decode JSON text; duplicate keys and big numbers are marked for ``plain_case``."""
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "replace"))
    if size > limits.file_bytes:
        raise CaseFactsError(
            f"(case): {size} bytes of JSON is more than the limit of {limits.file_bytes} "
            "(Limits.file_bytes)",
            field="(case)",
            fix="split the case, or pass a larger Limits(file_bytes=...)",
        )
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CaseFactsError(
                f"(case): not UTF-8 text (byte {exc.start})", field="(case)", fix="save as UTF-8"
            ) from None
    try:
        return json.loads(data, object_pairs_hook=_pairs, parse_int=_int, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise CaseFactsError(
            f"(case): line {exc.lineno} column {exc.colno}: not valid JSON: {exc.msg}",
            field="(case)",
            line=exc.lineno,
            fix="fix the JSON syntax",
        ) from None
    except RecursionError:
        raise _too_deep((), limits) from None


def _too_deep(loc: Loc, limits: Limits) -> CaseFactsError:
    return CaseFactsError(
        f"{field_path(loc)}: nested deeper than the limit of {limits.depth} (Limits.depth)",
        field=field_path(loc),
        fix="a case needs only a few levels of nesting",
    )


def plain_case(data: Any, limits: Limits) -> Any:
    """``data`` as plain JSON data. Raises CaseFactsError listing every problem found."""
    walker = _Walker(limits)
    out = walker.value(data, (), 1)
    if walker.problems:
        fix = "see `counting-rules schema`; limits: docs/explanation/reliability.md"
        raise CaseFactsError.collect(
            [
                CaseFactsError(
                    f"{field_path(loc, data)}: {why}", field=field_path(loc, data), fix=fix
                )
                for loc, why in walker.problems
            ]
        )
    return out


def _type_name(value: object) -> str:
    return printable(type(value).__name__)[:40]


class _Walker:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.problems: list[tuple[Loc, str]] = []

    def problem(self, loc: Loc, why: str) -> None:
        if len(self.problems) < _MAX_PROBLEMS:
            self.problems.append((loc, why))

    def value(self, v: Any, loc: Loc, depth: int) -> Any:
        if v is None or isinstance(v, bool):
            return v
        if isinstance(v, int):
            if abs(v) > self.limits.int_magnitude:
                self.problem(loc, "integer out of range (limit int_magnitude)")
            return int(v)
        if isinstance(v, float):
            if not math.isfinite(v):
                self.problem(loc, "not a finite number")
            return float(v)
        if isinstance(v, str):
            return self.text(str(v), loc)
        if isinstance(v, datetime):
            if v.utcoffset() is None:
                self.problem(loc, "a datetime without a timezone; give it a tzinfo")
            return v.isoformat()
        if isinstance(v, date):
            return v.isoformat()
        if isinstance(v, _Refused):
            self.problem(loc, v.why)
            return None
        if isinstance(v, Mapping | _Model):
            return self.mapping(v, loc, depth)
        if isinstance(v, list | tuple):
            return self.items(v, loc, depth)
        hint = "give a list" if isinstance(v, set | frozenset) else "give text, a number or a bool"
        self.problem(loc, f"a {_type_name(v)} is not case data ({hint})")
        return None

    def text(self, s: str, loc: Loc) -> str:
        if len(s) > self.limits.string_chars:
            self.problem(
                loc,
                f"text of {len(s)} characters is longer than the limit of "
                f"{self.limits.string_chars} (Limits.string_chars)",
            )
            return ""
        at = first_control(s)
        if at is not None:
            self.problem(
                loc, f"control character U+{ord(s[at]):04X} at position {at} is not allowed"
            )
        return s

    def mapping(self, m: Mapping[Any, Any] | _Model, loc: Loc, depth: int) -> dict[str, Any]:
        if depth > self.limits.depth:
            self.problem(loc, f"nested deeper than the limit of {self.limits.depth} (Limits.depth)")
            return {}
        if isinstance(m, _Model):  # a model built without validation: read what it holds
            m = {k: m.__dict__[k] for k in type(m).model_fields if k in m.__dict__}
        for dup in getattr(m, "duplicates", ()):
            self.problem((*loc, dup), "duplicate key; give each key once")
        if len(m) > self.limits.keys:
            self.problem(
                loc, f"{len(m)} keys is more than the limit of {self.limits.keys} (Limits.keys)"
            )
            return {}
        out: dict[str, Any] = {}
        for k, v in m.items():
            if not isinstance(k, str):
                self.problem(loc, f"a key of type {_type_name(k)}; keys must be text")
                continue
            if len(k) > self.limits.key_chars or first_control(k) is not None:
                self.problem(
                    loc,
                    f"a key longer than {self.limits.key_chars} characters or with control "
                    "characters",
                )
                continue
            out[k] = self.value(v, (*loc, k), depth + 1)
        return out

    def items(self, seq: list[Any] | tuple[Any, ...], loc: Loc, depth: int) -> list[Any]:
        if depth > self.limits.depth:
            self.problem(loc, f"nested deeper than the limit of {self.limits.depth} (Limits.depth)")
            return []
        name, cap = self.limits.list_cap(loc[-1] if loc else None)
        if len(seq) > cap:
            self.problem(loc, f"{len(seq)} items is more than the limit of {cap} (Limits.{name})")
            return []
        return [self.value(v, (*loc, i), depth + 1) for i, v in enumerate(seq)]


def dumps(data: Any) -> str:
    """Plain data as JSON text for the model's strict JSON validation."""
    return json.dumps(data, ensure_ascii=False, allow_nan=False)
