"""parse_case(): raw case data to a validated CaseFacts, or one CaseFactsError listing why not.

Three steps, each reporting every problem it finds: the raw data becomes plain JSON data
inside the limits (``_case.raw_data``); the model validates it strictly; cross-field checks
(``_case.cross_field``) run on the result. ``validated`` lets ``decide`` trust only the cases
parse_case built: a CaseFacts from ``model_construct`` or ``model_copy(update=...)`` skipped
validation, so it goes through parse_case again.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError

from counting_rules._case.cross_field import cross_field_problems
from counting_rules._case.format1 import is_format_1
from counting_rules._case.raw_data import dumps, load_json, plain_case
from counting_rules._case.suggest import (
    bounds_at,
    by_meaning,
    closest,
    fields_at,
    meanings_at,
    value_at,
    values_at,
)
from counting_rules._common.field_paths import field_path
from counting_rules._common.limits import Limits
from counting_rules._common.validation import Loc, Problem, problems
from counting_rules.case import CaseFacts
from counting_rules.errors import CaseFactsError

__all__ = ["parse_case", "validated"]

# Cases parse_case returned, by id: frozen, so still valid (a copy is a new object).
_VALIDATED: weakref.WeakValueDictionary[int, CaseFacts] = weakref.WeakValueDictionary()

_FIXES = {
    "extra_forbidden": "remove it or check its spelling against `counting-rules schema`",
    "missing": "add it",
    "timezone_aware": "give the time with its offset, e.g. 2024-03-04T10:00:00+00:00",
    "literal_error": "use one of the values listed",
}


def parse_case(
    data: Mapping[str, Any] | str | bytes | CaseFacts,
    *,
    limits: Limits | None = None,
    now: datetime | None = None,
) -> CaseFacts:
    """Validate case data strictly: JSON text, a mapping of JSON-like data, or a CaseFacts.

    A mapping may hold Python datetimes (with a timezone), dates and tuples. ``limits`` caps
    the case's size (see :class:`Limits`); ``now`` is the time "in the future" is measured
    from (default: the clock). Raises CaseFactsError naming every problem's field.
    """
    limits = limits or Limits()
    raw = load_json(data, limits) if isinstance(data, str | bytes) else data
    plain = plain_case(raw, limits)
    if not isinstance(plain, dict):
        raise CaseFactsError(
            f"(case): a case is a mapping with 'report' and 'allegations', not a "
            f"{type(raw).__name__}",
            field="(case)",
            fix="see `counting-rules schema`",
        )
    old = is_format_1(plain)
    if old is not None:
        raise CaseFactsError(
            f"{old}: this is a format-1 case, which typed in the recording verdicts; format 2 "
            "holds the account, and the rules decide",
            field=old,
            fix="convert it with `counting-rules convert-case FILE` and answer the points to "
            "prove it then asks for",
        )
    try:
        case = CaseFacts.model_validate_json(dumps(plain))
    except ValidationError as exc:
        raise CaseFactsError.collect(_model_errors(exc, plain)) from None
    skew = timedelta(seconds=limits.clock_skew_seconds)
    problems = cross_field_problems(case, now or datetime.now(UTC), skew)
    if problems:
        raise CaseFactsError.collect(
            [CaseFactsError(f"{f}: {m}", field=f, fix="correct the case") for f, m in problems]
        )
    _VALIDATED[id(case)] = case
    return case


def validated(case: CaseFacts | Mapping[str, Any]) -> CaseFacts:
    """``case`` if parse_case built it; otherwise parse_case's result for it."""
    if isinstance(case, CaseFacts) and _VALIDATED.get(id(case)) is case:
        return case
    return parse_case(case)


def _model_errors(exc: ValidationError, plain: dict[str, Any]) -> list[CaseFactsError]:
    out: list[CaseFactsError] = []
    found = problems(exc)
    # pydantic also reports a list "too short" when its only items failed: not a second fault.
    failed_items = {
        tuple(p.loc[:i]) for p in found for i, step in enumerate(p.loc) if isinstance(step, int)
    }
    renamed = _renamed(found, plain)
    for problem in found:
        msg, kind = problem.message, problem.kind
        if kind == "too_short" and tuple(problem.loc) in failed_items:
            continue
        if kind == "missing" and problem.loc in renamed.values():
            continue  # a misspelt key stands for it: one problem, its did-you-mean the fix
        if kind == "value_error" and not problem.loc:
            # The model's reference checks name their own paths, one problem a line.
            for line in msg.splitlines():
                head, _, rest = line.partition(": ")
                loc = [int(p) if p.isdigit() else p for p in head.split(".")]
                where = field_path(loc, plain)
                out.append(
                    CaseFactsError(
                        f"{where}: {rest}", field=where, fix="define it, or correct the reference"
                    )
                )
            continue
        where = field_path(list(problem.loc), plain)
        fix = _FIXES.get(kind) or _range_fix(problem.loc) or "see `counting-rules schema`"
        hint = (
            renamed.get(problem.loc) if kind == "extra_forbidden" else _value_hint(problem, plain)
        )
        if hint is not None:
            fix = f"did you mean {hint[-1]!r}?"
        out.append(CaseFactsError(f"{where}: {msg}", field=where, fix=fix))
    return out


def _renamed(found: list[Problem], plain: dict[str, Any]) -> dict[Loc, Loc]:
    """Each unknown key's location, to the location of the field it most likely misspells."""
    out: dict[Loc, Loc] = {}
    for p in found:
        if p.kind != "extra_forbidden" or not p.loc or not isinstance(p.loc[-1], str):
            continue
        parent = p.loc[:-1]
        given = value_at(plain, parent)
        free = [f for f in fields_at(parent) if not (isinstance(given, dict) and f in given)]
        hint = closest(p.loc[-1], free)
        if hint is not None:
            out[p.loc] = (*parent, hint)
    return out


def _range_fix(loc: Loc) -> str | None:
    low, high = bounds_at(loc)
    if low is not None and high is not None:
        return f"give a whole number from {low} to {high}"
    if low is not None:
        return f"give a whole number of {low} or more"
    return None


def _value_hint(problem: Problem, plain: dict[str, Any]) -> Loc | None:
    """For a value outside a closed vocabulary, the allowed value it most likely misspells."""
    if problem.kind not in ("literal_error", "enum"):
        return None
    given = value_at(plain, problem.loc)
    # a misspelt code first; else a value written out in words ("White British" for W1)
    hint = closest(given, values_at(problem.loc)) or by_meaning(given, meanings_at(problem.loc))
    return None if hint is None else (hint,)
