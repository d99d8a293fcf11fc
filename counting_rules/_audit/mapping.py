"""A declarative mapping from a force's export columns onto the case model
(docs/reference/audit-mapping.md).

A mapping file (YAML) names, for each case field it fills, the column it comes from or a
constant, with a value map for the force's codes. The field's type comes from the case model
(a datetime field parses dates and times in the mapping's formats and timezone, a yes/no
field reads the mapping's true and false words), so a mapping cannot give a field the wrong
type. The mapping is validated strictly when it is loaded: every problem names its key.

One row is one case, unless ``group_by`` names a key column: then consecutive rows with the
same key are one case, and fields whose path holds ``{row}`` take one list item per row.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any, Literal, Union
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, model_validator

from counting_rules._case.files import read_mapping_file
from counting_rules._common.validation import problems
from counting_rules.case import CaseFacts
from counting_rules.errors import CaseFactsError

__all__ = ["ColumnError", "FieldSpec", "ForceMapping", "load_mapping"]

Scalar = str | int | float | bool
Kind = Literal["string", "integer", "boolean", "datetime", "date", "list"]
ROW = "{row}"


class ColumnError(ValueError):
    """A cell the mapping cannot convert; ``field`` is the case path, never the value."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


class FieldSpec(BaseModel):
    """Where one case field comes from: a ``column`` of the export, or a ``constant``."""

    model_config = ConfigDict(extra="forbid", strict=True)

    column: str | None = Field(None, min_length=1, description="The export's column.")
    constant: Scalar | list[Scalar] | None = Field(None, description="A value for every case.")
    map: dict[str, Scalar | None] | None = Field(
        None,
        description="The force's codes onto the case model's values; null maps a code to "
        "unknown. A code not in the map rejects the row.",
    )
    default: Scalar | None = Field(None, description="The value when the cell is empty.")
    required: bool = Field(False, description="An empty cell rejects the row.")
    format: str | None = Field(
        None, min_length=1, description="A datetime or date format for this column alone."
    )
    separator: str = Field(";", min_length=1, description="Between the items of a list cell.")

    @model_validator(mode="after")
    def _one_source(self) -> FieldSpec:
        if (self.column is None) == (self.constant is None):
            raise ValueError("give exactly one of column and constant")
        if self.constant is not None and (self.map or self.default is not None or self.required):
            raise ValueError("a constant takes no map, default or required")
        return self


class ForceMapping(BaseModel):
    """A mapping file: how one force's export becomes cases with ``as_recorded``."""

    model_config = ConfigDict(extra="forbid", strict=True)

    format: Literal[1] = Field(description="The mapping format version.")
    description: str = ""
    group_by: str | None = Field(
        None, min_length=1, description="A key column: consecutive rows with one key are a case."
    )
    timezone: str = Field("Europe/London", description="For times the export gives without one.")
    datetime_formats: list[str] = Field(
        default_factory=lambda: ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"],
        min_length=1,
        description="strptime formats tried in turn (ISO 8601 is always read).",
    )
    date_formats: list[str] = Field(default_factory=lambda: ["%Y-%m-%d"], min_length=1)
    true_values: list[str] = Field(default_factory=lambda: ["Y", "yes", "true", "1"])
    false_values: list[str] = Field(default_factory=lambda: ["N", "no", "false", "0"])
    csv_delimiter: str = Field(",", min_length=1, max_length=1)
    optional_items: list[str] = Field(
        default_factory=list,
        description="List items (e.g. evidence[0]) left out of a case when none of the "
        "columns that fill them has a value; items of as_recorded always are.",
    )
    fields: dict[str, FieldSpec] = Field(min_length=1, description="Case path -> source.")

    @model_validator(mode="after")
    def _check(self) -> ForceMapping:
        bad: list[str] = []
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            bad.append(f"timezone: {self.timezone!r} is not an IANA timezone (e.g. Europe/London)")
        overlap = {v.lower() for v in self.true_values} & {v.lower() for v in self.false_values}
        if overlap:
            bad.append(f"true_values: {sorted(overlap)[0]!r} is also in false_values")
        for path, spec in self.fields.items():
            bad += [f"fields.{path}: {m}" for m in _check_field(path, spec, self.group_by)]
        bad += _check_required(self.fields)
        for i, item in enumerate(self.optional_items):
            if not any(p.startswith(f"{item}.") for p in self.fields) or not item.endswith("]"):
                bad.append(
                    f"optional_items.{i}: {item!r} is not a list item the fields fill "
                    "(e.g. evidence[0])"
                )
        if bad:
            raise ValueError("\n".join(bad))
        return self

    @property
    def zone(self) -> tzinfo:
        return ZoneInfo(self.timezone)

    @property
    def columns(self) -> set[str]:
        """Every column the mapping reads."""
        cols = {s.column for s in self.fields.values() if s.column is not None}
        return cols | ({self.group_by} if self.group_by else set())

    def compiled(self) -> CompiledMapping:
        return CompiledMapping(self)


def load_mapping(path: str | Path) -> ForceMapping:
    """Read and validate a mapping file; every problem names its key (and line)."""
    located = read_mapping_file(Path(path), "mapping file (YAML)", "a mapping file is a mapping")
    try:
        return ForceMapping.model_validate(located.data)
    except ValidationError as exc:
        errors: list[CaseFactsError] = []
        for p in problems(exc):
            found: list[tuple[list[str | int], str]]
            if p.loc:
                found = [(list(p.loc), p.message)]
            else:  # the mapping's own checks: one problem a line, each led by its key
                found = []
                for line in p.message.splitlines():
                    head, _, rest = line.partition(": ")
                    found.append(([*head.split(".", 1)], rest))
            for loc, message in found:
                key = ".".join(str(x) for x in loc)
                where = located.line(loc)
                at = f"{path}:{where}" if where else str(path)
                errors.append(
                    CaseFactsError(
                        f"{at}: {key}: {message}",
                        field=key,
                        line=where,
                        fix="see docs/reference/audit-mapping.md",
                    )
                )
        raise CaseFactsError.collect(errors) from None


# --- the case model's shape ------------------------------------------------------------------


@dataclass(frozen=True)
class Leaf:
    """What a path ends on: its kind, and for a closed vocabulary its choices."""

    kind: Kind
    choices: tuple[str, ...] = ()


Step = tuple[str, int | None]  # a field name, and the item index when it is a list


def parse_path(path: str) -> list[Step]:
    """``victims[0].age`` -> [("victims", 0), ("age", None)]; ``{row}`` is index -1."""
    out: list[Step] = []
    for part in path.split("."):
        name, bracket, rest = part.partition("[")
        if not name.isidentifier():
            raise ValueError(f"{part!r} is not a field name")
        if not bracket:
            out.append((name, None))
            continue
        index = rest.removesuffix("]")
        if not rest.endswith("]") or not (index.isdigit() or index == ROW):
            raise ValueError(f"{part!r}: an index is a whole number or {ROW}, in [ ]")
        out.append((name, -1 if index == ROW else int(index)))
    return out


def _unwrap(t: Any) -> Any:
    """The type under Optional and Annotated."""
    while True:
        origin = typing.get_origin(t)
        if origin is typing.Annotated:
            t = typing.get_args(t)[0]
        elif origin in (Union, types.UnionType):
            rest = [a for a in typing.get_args(t) if a is not type(None)]
            if len(rest) != 1:
                return t
            t = rest[0]
        else:
            return t


def _leaf(t: Any) -> Leaf | None:
    t = _unwrap(t)
    if t is AwareDatetime or t is datetime:
        return Leaf("datetime")
    if t is date:
        return Leaf("date")
    if t is bool:
        return Leaf("boolean")
    if t is int:
        return Leaf("integer")
    if t is str:
        return Leaf("string")
    if typing.get_origin(t) is Literal:
        args = typing.get_args(t)
        if all(isinstance(a, int) and not isinstance(a, bool) for a in args):
            return Leaf("integer")
        return Leaf("string", tuple(str(a) for a in args))
    return None


def resolve(path: str) -> tuple[list[Step], Leaf]:
    """The steps of ``path`` and the leaf it names in the case model; ValueError if none."""
    steps = parse_path(path)
    model: type[BaseModel] = CaseFacts
    for i, (name, index) in enumerate(steps):
        fields = model.model_fields
        if name not in fields:
            known = ", ".join(sorted(fields))
            raise ValueError(f"{name!r} is not a field of {model.__name__} (known: {known})")
        t = _unwrap(fields[name].annotation)
        last = i == len(steps) - 1
        if typing.get_origin(t) is tuple:
            item = _unwrap(typing.get_args(t)[0])
            if isinstance(item, type) and issubclass(item, BaseModel):
                if index is None or last:
                    raise ValueError(
                        f"{name} is a list of {item.__name__}: name an item, {name}[0]"
                    )
                model = item
                continue
            if index is not None:
                raise ValueError(f"{name} is a list filled from one cell: no index")
            leaf = _leaf(item)
            if leaf is None or not last:
                raise ValueError(f"{name} cannot be mapped from a column")
            return steps, Leaf("list", leaf.choices)
        if index is not None:
            raise ValueError(f"{name} is not a list: no index")
        if isinstance(t, type) and issubclass(t, BaseModel):
            if last:
                raise ValueError(f"{name} is a {t.__name__}: name one of its fields")
            model = t
            continue
        leaf = _leaf(t)
        if leaf is None or not last:
            raise ValueError(f"{name} cannot be mapped from a column")
        return steps, leaf
    raise ValueError("empty path")  # pragma: no cover - split gives one part at least


def _check_field(path: str, spec: FieldSpec, group_by: str | None) -> list[str]:
    try:
        _, leaf = resolve(path)
    except ValueError as exc:
        return [str(exc)]
    bad: list[str] = []
    if ROW in path and group_by is None:
        bad.append(f"{ROW} takes one item per row of a case: it needs group_by")
    if path.count(ROW) > 1:
        bad.append(f"{ROW} may appear once in a path")
    if spec.format is not None and leaf.kind not in ("datetime", "date"):
        bad.append("format is for datetime and date fields")
    values = [spec.constant] if spec.constant is not None else []
    values += [v for v in (spec.map or {}).values() if v is not None]
    values += [spec.default] if spec.default is not None else []
    for v in values:
        for one in v if isinstance(v, list) else [v]:
            if leaf.choices and str(one) not in leaf.choices:
                bad.append(f"{one!r} is not one of {', '.join(leaf.choices)}")
    return bad


def _check_required(fields: Mapping[str, FieldSpec]) -> list[str]:
    """Each object the mapping fills has every required field of the model mapped."""
    objects: dict[str, type[BaseModel]] = {"": CaseFacts}
    for path in fields:
        try:
            steps, _ = resolve(path)
        except ValueError:
            continue
        model: type[BaseModel] = CaseFacts
        prefix = ""
        for name, index in steps[:-1]:
            prefix += ("." if prefix else "") + name + ("" if index is None else _idx(index))
            t = _unwrap(model.model_fields[name].annotation)
            if typing.get_origin(t) is tuple:
                t = _unwrap(typing.get_args(t)[0])
            model = t
            objects[prefix] = model
    bad = []
    for prefix, model in sorted(objects.items()):
        for name, info in model.model_fields.items():
            if not info.is_required():
                continue
            full = f"{prefix}.{name}" if prefix else name
            if any(p == full or p.startswith((f"{full}.", f"{full}[")) for p in fields):
                continue
            bad.append(f"fields: {full} is required in a case: map it (a column or a constant)")
    return bad


def _idx(index: int) -> str:
    return f"[{ROW}]" if index == -1 else f"[{index}]"


# --- applying it to rows -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    path: str
    steps: list[Step]
    leaf: Leaf
    spec: FieldSpec
    per_row: bool
    # The object the field is part of, when it is left out if no column fills it.
    item: tuple[Step, ...] | None


def _item_of(steps: list[Step], optional: set[str]) -> tuple[Step, ...] | None:
    """The object whose presence depends on its columns: an item of as_recorded (a blank
    crime code is no crime recorded) or one of ``optional``; else None (always there)."""
    recorded = steps[0][0] == "as_recorded" and len(steps) > 2
    last = max((i for i, (_, index) in enumerate(steps) if index is not None), default=None)
    if last is not None:
        item = tuple(steps[: last + 1])
        if recorded or _spelled(item) in optional:
            return item
    return tuple(steps[:2]) if recorded else None


def _spelled(item: tuple[Step, ...]) -> str:
    return ".".join(name + ("" if i is None else _idx(i)) for name, i in item)


class CompiledMapping:
    """A mapping ready to turn rows (dicts of column -> cell) into case documents."""

    def __init__(self, mapping: ForceMapping) -> None:
        self.mapping = mapping
        self.zone = mapping.zone
        self._true = {v.lower() for v in mapping.true_values}
        self._false = {v.lower() for v in mapping.false_values}
        self.targets: list[_Target] = []
        optional = set(mapping.optional_items)
        for path, spec in mapping.fields.items():
            steps, leaf = resolve(path)
            item = _item_of(steps, optional)
            self.targets.append(_Target(path, steps, leaf, spec, ROW in path, item))

    def case(self, rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
        """The case document of one case's rows; ColumnError names the field at fault."""
        doc: dict[str, Any] = {"as_recorded": {}}
        from_columns: set[tuple[Step, ...]] = set()
        filled: set[tuple[Step, ...]] = set()
        for t in self.targets:
            for r, row in enumerate(rows if t.per_row else rows[:1]):
                item = None if t.item is None else _at_row(t.item, r)
                if item is not None and t.spec.column is not None:
                    from_columns.add(item)
                value = self._value(t, row)
                if value is None:
                    continue
                _put(doc, _at_row(tuple(t.steps), r), value)
                if item is not None and t.spec.column is not None:
                    filled.add(item)
        for item in sorted(from_columns - filled, key=len, reverse=True):
            if not any(f[: len(item)] == item for f in filled):  # nor anything inside it
                _drop(doc, item)
        return _listify(doc)

    def _value(self, t: _Target, row: Mapping[str, Any]) -> Any:
        spec = t.spec
        if spec.constant is not None:
            return spec.constant
        assert spec.column is not None
        if spec.column not in row:
            raise ColumnError(t.path, f"the export has no column {spec.column!r}")
        cell = row[spec.column]
        if _empty(cell):
            if spec.required:
                raise ColumnError(t.path, f"column {spec.column!r} is empty; it is required")
            return None if spec.default is None else self._convert(t, spec.default)
        if t.leaf.kind == "list":
            parts = cell if isinstance(cell, list) else str(cell).split(spec.separator)
            items = [self._mapped(t, p.strip() if isinstance(p, str) else p) for p in parts]
            return [self._convert(t, v, "string") for v in items if not _empty(v)]
        value = self._mapped(t, cell)
        return None if value is None else self._convert(t, value)

    def _mapped(self, t: _Target, cell: Any) -> Any:
        codes = t.spec.map
        if codes is None:
            return cell
        key = str(cell).strip() if not isinstance(cell, bool) else str(cell).lower()
        if key not in codes:
            raise ColumnError(
                t.path,
                f"column {t.spec.column!r} holds a code the map does not have "
                f"({len(codes)} codes mapped); add it to the map",
            )
        return codes[key]

    def _convert(self, t: _Target, value: Any, kind: Kind | None = None) -> Any:
        kind = kind or t.leaf.kind
        try:
            if kind == "datetime":
                return self._datetime(value, t.spec.format).isoformat()
            if kind == "date":
                return self._date(value, t.spec.format).isoformat()
            if kind == "boolean":
                return self._bool(value)
            if kind == "integer":
                if isinstance(value, bool):
                    raise ValueError
                if isinstance(value, float) and value.is_integer():
                    return int(value)
                return int(value) if isinstance(value, int) else int(str(value).strip())
        except (ValueError, TypeError, OverflowError):
            raise ColumnError(
                t.path, f"column {t.spec.column!r} is not {_KIND_WORDS[kind]} the mapping can read"
            ) from None
        return value.strip() if isinstance(value, str) else str(value)

    def _datetime(self, value: Any, fmt: str | None) -> datetime:
        if isinstance(value, datetime):
            dt = value
        elif isinstance(value, str):
            dt = _parse(value.strip(), [fmt] if fmt else self.mapping.datetime_formats, True)
        else:
            raise ValueError
        return dt if dt.tzinfo is not None else dt.replace(tzinfo=self.zone)

    def _date(self, value: Any, fmt: str | None) -> date:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            return _parse(value.strip(), [fmt] if fmt else self.mapping.date_formats, False).date()
        raise ValueError

    def _bool(self, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in self._true:
            return True
        if word in self._false:
            return False
        raise ValueError


_KIND_WORDS: Mapping[str, str] = {
    "datetime": "a date and time",
    "date": "a date",
    "boolean": "a yes or no",
    "integer": "a whole number",
}


def _parse(text: str, formats: list[str], iso: bool) -> datetime:
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    if iso:
        return datetime.fromisoformat(text)
    return datetime.combine(date.fromisoformat(text), datetime.min.time())


def _empty(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _at_row(steps: tuple[Step, ...], row: int) -> tuple[Step, ...]:
    return tuple((name, row if index == -1 else index) for name, index in steps)


def _put(doc: dict[str, Any], steps: tuple[Step, ...], value: Any) -> None:
    """Set ``value`` at ``steps``; lists are built as {index: item}, made lists at the end."""
    node: dict[Any, Any] = doc
    for name, index in steps[:-1]:
        child = node.setdefault(name, {})
        if index is not None:
            child = child.setdefault(index, {})
        node = child
    node[steps[-1][0]] = value


def _drop(doc: dict[str, Any], item: tuple[Step, ...]) -> None:
    """Remove the object at ``item`` (a list item or an object), if it is there."""
    node: Any = doc
    for name, index in item[:-1]:
        node = node.get(name, {})
        if index is not None:
            node = node.get(index, {})
    name, index = item[-1]
    if index is None:
        node.pop(name, None)
    elif isinstance(node.get(name), dict):
        node[name].pop(index, None)


def _is_items(value: Any) -> bool:
    return isinstance(value, dict) and bool(value) and all(isinstance(k, int) for k in value)


def _listify(node: dict[str, Any]) -> dict[str, Any]:
    """{index: item} -> [items] in index order, all the way down; a list emptied by
    dropping its items is left out."""
    for k, v in list(node.items()):
        if _is_items(v):
            node[k] = [_listify(v[i]) for i in sorted(v)]
        elif isinstance(v, dict) and v == {} and k != "as_recorded":
            del node[k]
        elif isinstance(v, dict):
            _listify(v)
    return node
