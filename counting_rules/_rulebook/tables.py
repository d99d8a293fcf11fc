"""Decision tables: one rule per row, expanded here into ordinary rule specs.

A table file names the facts it matches, its input columns (``<alias>.<field>``), its output
columns and one conclusion; each row gives a value (or a list, or ``{op: value}``) per input
column and one per output. A row is a rule of its own, ``<table id>/<row id>``, so tests,
scenarios and reasons name it; the rest of the pipeline (both evaluators, why-not, ``check``,
``diff``) sees only rules. The hit policy is checked at load time: under ``unique`` no two
rows may both match one case; under ``any`` rows that may both match must conclude the same.
Under ``first`` the rows are in priority order: each row overrides every later row that may
match the same case and concludes differently, once it is known to apply (so a later, more
general row decides on what is known while an earlier one waits on a fact), and a row that
an earlier one always displaces is an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from counting_rules._rulebook.fact_types import FactType, FieldSpec
from counting_rules._rulebook.file_format import PatternSpec, RuleSpec, TableSpec
from counting_rules._rulebook.resolve import ResolveError

NOT_TESTED = "-"
_UNKNOWN = object()  # stands for an unknown field when looking for a case two rows share
_ROW_PREFIX = "$row."


class TableError(ResolveError):
    """A table or one of its rows is malformed; ``path`` locates it in the file."""


@dataclass(frozen=True)
class Row:
    """One row, expanded: its index in the file, its rule id and its rule spec."""

    index: int
    rule_id: str
    spec: RuleSpec
    cells: dict[str, Any]  # input column -> cell (tested columns only)
    outputs: dict[str, Any]
    explanation: str | None  # the row's own template, else the file's


def expand(table_id: str, spec: TableSpec, types: Mapping[str, FactType]) -> list[Row]:
    """The rows of ``spec`` as rule specs, in file order."""
    body = spec.table
    aliases = [p.as_ for p in body.when]
    for col in body.inputs:
        if col.partition(".")[0] not in aliases:
            raise TableError(
                f"input column {col!r} names no alias of the table's 'when'",
                ("table", "inputs"),
                f"use one of {[a for a in aliases if a]}",
            )
    for i, entry in enumerate(spec.uncovered):
        for key in entry.model_extra or {}:
            if key not in body.inputs:
                raise TableError(
                    f"uncovered entry {i + 1}: {key!r} is not an input column",
                    ("uncovered", i, key),
                    f"input columns: {list(body.inputs)}",
                )
    rows: list[Row] = []
    seen: dict[str, int] = {}
    for i, row in enumerate(spec.rows):
        if row.id in seen:
            raise TableError(f"row id {row.id!r} repeats row {seen[row.id] + 1}", ("rows", i))
        seen[row.id] = i
        extra = dict(row.model_extra or {})
        for key in extra:
            if key not in body.inputs and key not in body.outputs:
                raise TableError(
                    f"row {row.id!r}: {key!r} is not a column of the table",
                    ("rows", i, key),
                    f"columns: {[*body.inputs, *body.outputs]}",
                )
        missing = [o for o in body.outputs if o not in extra]
        if missing:
            raise TableError(f"row {row.id!r} gives no value for output {missing}", ("rows", i))
        cells = {c: v for c, v in extra.items() if c in body.inputs and v != NOT_TESTED}
        outputs = {o: extra[o] for o in body.outputs}
        citation = row.citation or spec.citation
        if isinstance(citation, str):
            if citation not in spec.citations:
                raise TableError(
                    f"row {row.id!r} cites {citation!r}, which the table's citations lack",
                    ("rows", i, "citation"),
                    f"use one of {sorted(spec.citations)}",
                )
            citation = spec.citations[citation]
        if row.section is not None:  # the same document, another section of it
            citation = citation.model_copy(update={"section": row.section})
        try:
            rule = RuleSpec(
                title=row.title,
                description=row.description or spec.description,
                citation=citation,
                in_force=spec.in_force,
                precedence=spec.precedence,
                overrides=spec.overrides,
                overrides_when=spec.overrides_when,
                when=_patterns(body.when, cells),
                then={
                    t: {f: _output(v, outputs) for f, v in fs.items()}
                    for t, fs in body.then.items()
                },
            )
        except ValidationError as exc:
            raise TableError(f"row {row.id!r}: {exc.errors()[0]['msg']}", ("rows", i)) from None
        rows.append(Row(i, f"{table_id}/{row.id}", rule, cells, outputs, row.explanation))
    return _prioritise(rows, table_fields(spec, types)) if body.hit_policy == "first" else rows


def table_fields(spec: TableSpec, types: Mapping[str, FactType]) -> dict[str, FieldSpec | None]:
    """Each input column's field spec (None where the fact type is unknown here)."""
    alias_type = {p.as_: (p.match or "") for p in spec.table.when if p.as_}
    fields: dict[str, FieldSpec | None] = {}
    for col in spec.table.inputs:
        alias, _, name = col.partition(".")
        ftype = types.get(alias_type[alias])
        fields[col] = ftype.fields.get(name) if ftype else None
    return fields


def _prioritise(rows: list[Row], fields: Mapping[str, FieldSpec | None]) -> list[Row]:
    """Under ``first``, each row overrides the later rows it may share a case with (and
    concludes differently from), as soon as it is known to apply."""
    out = []
    for i, a in enumerate(rows):
        later = [
            b.rule_id
            for b in rows[i + 1 :]
            if a.outputs != b.outputs
            and all(_may_share(a.cells.get(c), b.cells.get(c), fields[c]) for c in fields)
        ]
        if later and a.spec.overrides and a.spec.overrides_when != "known":
            raise TableError(
                "under hit policy first the rows override each other once known, so the "
                "table's own overrides must say 'overrides_when: known' too",
                ("overrides_when",),
            )
        update = {"overrides": (*a.spec.overrides, *later), "overrides_when": "known"}
        spec = a.spec.model_copy(update=update) if later else a.spec
        out.append(Row(a.index, a.rule_id, spec, a.cells, a.outputs, a.explanation))
    return out


def _patterns(when: tuple[PatternSpec, ...], cells: Mapping[str, Any]) -> tuple[PatternSpec, ...]:
    """The table's patterns a row needs: the subject, every pattern a cell tests or that has
    conditions of its own (a condition of every row), and every pattern a needed one joins to
    (so a row binds only the facts it tests)."""
    tested = {col.partition(".")[0] for col in cells}
    needed = [
        i == 0 or p.absent is not None or p.as_ in tested or _own_conditions(p.where)
        for i, p in enumerate(when)
    ]
    for i in reversed(range(len(when))):
        if needed[i]:
            refs = {v[1:].partition(".")[0] for v in _joins(when[i].where)}
            for j in range(i):
                if when[j].as_ in refs:
                    needed[j] = True
    out = []
    for keep, p in zip(needed, when, strict=True):
        if not keep:
            continue
        mine = {c.partition(".")[2]: v for c, v in cells.items() if c.partition(".")[0] == p.as_}
        out.append(p.model_copy(update={"where": {**p.where, **mine}}))
    return tuple(out)


def _own_conditions(where: Mapping[str, Any]) -> bool:
    """Does the pattern test anything but a plain join (``field: $alias.field``)?"""
    return any(not (isinstance(v, str) and v[:1] == "$") for v in where.values())


def _joins(where: Mapping[str, Any]) -> list[str]:
    """The ``$alias.field`` references in a pattern's conditions."""
    return [x for v in where.values() for x in _literals(v) if isinstance(x, str) and x[:1] == "$"]


def _output(value: Any, outputs: Mapping[str, Any]) -> Any:
    if isinstance(value, str) and value.startswith(_ROW_PREFIX):
        name = value[len(_ROW_PREFIX) :]
        if name not in outputs:
            raise TableError(f"{value} is not an output column", ("table", "then"))
        return outputs[name]
    return value


def check_hits(
    spec: TableSpec, rows: list[Row], types: Mapping[str, FactType]
) -> tuple[int, int, str] | None:
    """The first pair of rows the hit policy forbids (indices and why), or None."""
    if spec.table.hit_policy == "collect":
        (ctype,) = spec.table.then
        if ctype in types and types[ctype].functional:
            raise TableError(
                f"hit policy collect needs a conclusion that can hold several values; "
                f"{ctype} holds one per subject",
                ("table", "hit_policy"),
                "use unique, any or first",
            )
        return None
    fields = table_fields(spec, types)
    for i, a in enumerate(rows):
        for b in rows[i + 1 :]:
            if spec.table.hit_policy == "first":
                if a.outputs != b.outputs and all(
                    _covers(a.cells.get(c), b.cells.get(c), fields[c]) for c in fields
                ):
                    why = "the later row can never apply: the earlier one matches all its cases"
                    return a.index, b.index, why + " (hit policy first)"
                continue
            if not all(_may_share(a.cells.get(c), b.cells.get(c), fields[c]) for c in fields):
                continue
            if spec.table.hit_policy == "unique":
                return a.index, b.index, "both can match the same case (hit policy unique)"
            if a.outputs != b.outputs:
                return a.index, b.index, "both can match the same case and conclude differently"
    return None


def _may_share(x: Any, y: Any, spec: FieldSpec | None) -> bool:
    """Can one value of the column (or its being unknown) satisfy both cells?"""
    if x is None or y is None:
        return True
    return any(_holds(x, v) and _holds(y, v) for v in _candidates(x, y, spec))


def _covers(x: Any, y: Any, spec: FieldSpec | None) -> bool:
    """Does cell ``x`` hold for every value (or unknown) for which ``y`` holds?"""
    if x is None:
        return True
    if y is None:
        y = {"known": True}  # an untested cell holds for every known value ...
        if not _holds(x, _UNKNOWN):
            return False  # ... and for unknown, where x fails
    return all(_holds(x, v) for v in _candidates(x, y, spec) if _holds(y, v))


def _candidates(x: Any, y: Any, spec: FieldSpec | None) -> list[Any]:
    out: list[Any] = [_UNKNOWN]
    if spec is not None and spec.kind == "bool":
        return [*out, True, False]
    if spec is not None and spec.values is not None:
        return [*out, *spec.values]
    literals = [v for v in _literals(x) + _literals(y) if not isinstance(v, bool)]
    ints = [v for v in literals if isinstance(v, int)]
    out.extend(literals)
    out.extend(n + d for n in ints for d in (-1, 1))
    out.append("\x00fresh")  # a value no cell names
    return out


def _literals(cell: Any) -> list[Any]:
    if isinstance(cell, dict):
        return [x for v in cell.values() for x in (v if isinstance(v, list) else [v])]
    return list(cell) if isinstance(cell, list) else [cell]


def _holds(cell: Any, value: Any) -> bool:
    if isinstance(cell, str) and cell.startswith("$"):
        return True  # a join: may hold for any value
    if isinstance(cell, list):
        return value is not _UNKNOWN and value in cell
    if not isinstance(cell, dict):
        return value is not _UNKNOWN and value == cell
    return all(_op(op, arg, value) for op, arg in cell.items())


def _op(op: str, arg: Any, value: Any) -> bool:
    if op == "known":
        return (value is not _UNKNOWN) == bool(arg)
    if value is _UNKNOWN or (isinstance(arg, str) and arg.startswith("$")):
        return value is not _UNKNOWN
    if op in ("in", "not_in"):
        return bool((value in arg) == (op == "in"))
    if op in ("eq", "ne"):
        return bool((value == arg) == (op == "eq"))
    if not isinstance(value, int) or isinstance(value, bool):
        return False
    return bool({"lt": value < arg, "le": value <= arg, "gt": value > arg, "ge": value >= arg}[op])


__all__ = ["NOT_TESTED", "Row", "TableError", "check_hits", "expand", "table_fields"]
