"""Table completeness: the combinations of known input values no row of a table covers.

Each tested column's known values are split into a few classes that every cell treats
alike: a yes/no field's two answers, a coded field's codes, an integer field's intervals
between the thresholds the cells name, a free-text field's named values and "any other".
Every combination of classes is tried against the rows; those no row matches are the gaps,
merged column by column into as few lines as possible. (Unknown is not a gap: an unknown
fact is asked for.) A table may list combinations it leaves to other rules on purpose,
under ``uncovered:`` with the reason; those are not reported.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from counting_rules._rulebook.fact_types import FieldSpec
from counting_rules._rulebook.tables import Row, _holds, _literals

MAX_COMBINATIONS = 100_000  # steps of the search; the largest shipped table takes a few hundred
_OTHER = "\x00other"


@dataclass(frozen=True)
class Klass:
    """A class of a column's known values that every cell treats alike."""

    value: Any  # a representative
    label: str
    lo: int | None = None  # an integer class: [lo, hi), None for unbounded
    hi: int | None = None


def domain(cells: Sequence[Any], spec: FieldSpec | None) -> list[Klass]:
    """The classes of one column's known values, given the cells that test it. A coded or
    free-text column's classes are the values its cells name: a table is complete within the
    values it speaks of (the offences of an offence column, say), not over every code."""
    if spec is not None and spec.kind == "bool":
        return [Klass(True, "true"), Klass(False, "false")]
    literals = [v for c in cells for v in _literals(c) if not (isinstance(v, str) and v[:1] == "$")]
    if spec is not None and spec.kind == "int":
        return _intervals(cells)
    negated = any(isinstance(c, dict) and ("not_in" in c or "ne" in c) for c in cells)
    named = sorted({str(v) for v in literals if not isinstance(v, bool)})
    return [Klass(v, v) for v in named] + ([Klass(_OTHER, "any other value")] if negated else [])


_CUTS = {"lt": (0,), "ge": (0,), "gt": (1,), "le": (1,), "eq": (0, 1), "ne": (0, 1)}


def _intervals(cells: Sequence[Any]) -> list[Klass]:
    """Half-open intervals between the thresholds cells name (``lt 13`` and ``ge 13`` both
    cut at 13, ``le 13`` at 14; a value, ``eq`` or a list cuts either side of it)."""
    found: set[int] = set()
    for cell in cells:
        pairs = cell.items() if isinstance(cell, dict) else [("eq", cell)]
        for op, arg in pairs:
            for n in arg if isinstance(arg, list) else [arg]:
                if isinstance(n, int) and not isinstance(n, bool):
                    found.update(n + d for d in _CUTS.get(op, (0, 1)))
    cuts = sorted(found)
    if not cuts:
        return [Klass(0, "any number")]
    bounds: list[tuple[int | None, int | None]] = [(None, cuts[0])]
    bounds += list(itertools.pairwise(cuts))
    bounds.append((cuts[-1], None))
    return [Klass(cuts[0] - 1 if lo is None else lo, _span(lo, hi), lo, hi) for lo, hi in bounds]


def _span(lo: int | None, hi: int | None) -> str:
    if lo is None:
        return f"under {hi}"
    if hi is None:
        return f"{lo} or over"
    return str(lo) if hi == lo + 1 else f"{lo} to {hi - 1}"


def _labels(klasses: list[Klass], picked: list[int]) -> list[str]:
    """The labels of the picked classes, consecutive integer intervals joined into one."""
    picked = sorted(set(picked))
    if not klasses or (klasses[0].lo is None and klasses[0].hi is None):
        return [klasses[i].label for i in picked]
    runs: list[list[int]] = []
    for i in picked:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return [_span(klasses[r[0]].lo, klasses[r[-1]].hi) for r in runs]


Gap = dict[str, list[str]]  # column -> the labels of its classes; a column left out is any


def gaps(
    rows: Sequence[Row],
    fields: Mapping[str, FieldSpec | None],
    uncovered: Sequence[Mapping[str, Any]] = (),
) -> list[Gap]:
    """The combinations of known values no row (and no ``uncovered`` entry) covers, merged."""
    domains = _domains(rows, fields, uncovered)
    found = _search([dict(r.cells) for r in rows] + [dict(u) for u in uncovered], domains)
    index = {c: {id(k): i for i, k in enumerate(ks)} for c, ks in domains.items()}
    merged = _merge([{c: (index[c][id(k)],) for c, k in g.items()} for g in found], domains)
    order = list(domains)
    return [
        {
            c: _labels(domains[c], list(ix))
            for c, ix in sorted(g.items(), key=lambda kv: order.index(kv[0]))
        }
        for g in merged
    ]


def stale(
    rows: Sequence[Row],
    fields: Mapping[str, FieldSpec | None],
    uncovered: Sequence[Mapping[str, Any]],
) -> list[int]:
    """The ``uncovered`` entries (by index) that name no combination the rows leave open."""
    domains = _domains(rows, fields, uncovered)
    open_ = _search([dict(r.cells) for r in rows], domains)
    return [
        i
        for i, u in enumerate(uncovered)
        if not any(_covered(u, {c: k.value for c, k in g.items()}) for g in open_)
    ]


def _domains(
    rows: Sequence[Row],
    fields: Mapping[str, FieldSpec | None],
    uncovered: Sequence[Mapping[str, Any]],
) -> dict[str, list[Klass]]:
    cells = [r.cells for r in rows] + list(uncovered)
    return {
        c: domain([x[c] for x in cells if c in x], fields.get(c))
        for c in fields
        if any(c in x for x in cells)
    }


def _search(
    cells: list[dict[str, Any]], domains: Mapping[str, list[Klass]]
) -> list[dict[str, Klass]]:
    """Split on one tested column at a time, keeping the rows that may still match, so a
    column only matters where some remaining row tests it (a table of 40 columns whose rows
    each test three is cheap); a branch with no row left is a gap."""
    found: list[dict[str, Klass]] = []
    steps = [0]

    def walk(live: list[dict[str, Any]], assigned: dict[str, Klass]) -> None:
        steps[0] += 1
        if steps[0] > MAX_COMBINATIONS:
            raise ValueError(f"more than {MAX_COMBINATIONS} combinations to check")
        if not live:
            found.append(dict(assigned))
            return
        if any(set(x) <= set(assigned) for x in live):
            return  # a row every one of whose cells holds: covered
        col = next(c for c in domains if c not in assigned and any(c in x for x in live))
        for k in domains[col]:
            keep = [x for x in live if col not in x or _holds(x[col], k.value)]
            walk(keep, {**assigned, col: k})

    walk(cells, {})
    return found


def _covered(cells: Mapping[str, Any], values: Mapping[str, Any]) -> bool:
    """Do the cells hold for these values (a column not among them is any value)?"""
    return all(c not in values or _holds(cell, values[c]) for c, cell in cells.items())


_Raw = dict[str, tuple[int, ...]]  # column -> indexes of its classes


def _merge(found: list[_Raw], domains: Mapping[str, list[Klass]]) -> list[_Raw]:
    """Gaps that differ in one column's classes become one, column by column; a column whose
    every class is listed is dropped (any value)."""
    for col in domains:
        merged: dict[tuple[tuple[str, tuple[int, ...]], ...], set[int]] = {}
        rest: list[_Raw] = []
        for g in found:
            if col not in g:
                rest.append(g)
                continue
            key = tuple((c, v) for c, v in g.items() if c != col)
            merged.setdefault(key, set()).update(g[col])
        found = rest
        for key, picked in merged.items():
            g = dict(key)
            if len(picked) < len(domains[col]):
                g[col] = tuple(sorted(picked))
            found.append(g)
    return found


def describe(gap: Mapping[str, list[str]]) -> str:
    """One gap as a line: ``a.offence: sexual_activity_with_child; v.age: 16 or over``."""
    if not gap:
        return "any case"
    return "; ".join(f"{c}: {' or '.join(v)}" for c, v in gap.items())


__all__ = ["MAX_COMBINATIONS", "Gap", "describe", "domain", "gaps", "stale"]
