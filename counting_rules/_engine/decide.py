"""decide(): choose the edition in force, run an evaluator, build the decision."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from counting_rules._case.parse import parse_case, validated
from counting_rules._common.printable import printable
from counting_rules._engine.decision_builder import build
from counting_rules._engine.pipeline import EvaluatorName, run_case, run_cases
from counting_rules._rulebook.ir import Edition, Rulebook
from counting_rules._rulebook.loader import load_rulebook
from counting_rules.case import CaseFacts
from counting_rules.decision import Decision
from counting_rules.errors import EditionNotFoundError, UsageError

Evaluator = EvaluatorName

__all__ = ["Evaluator", "decide", "decide_many", "default_rulebook", "edition_for", "parse_case"]


@lru_cache(maxsize=1)
def default_rulebook() -> Rulebook:
    """The shipped HOCR rulebook, loaded and compiled once per process."""
    return load_rulebook()


# The Counting Rules are English and Welsh: an edition comes into force on a date in London,
# so the same instant gives the same edition whatever UTC offset it was written with.
LONDON = ZoneInfo("Europe/London")


def report_date(case: CaseFacts) -> date:
    """The Europe/London calendar date on which the report was received."""
    return case.report.received_at.astimezone(LONDON).date()


def edition_for(book: Rulebook, on: date, edition: str | None = None) -> Edition:
    """The named edition, or the one in force on ``on``."""
    if edition is not None:
        try:
            return book.edition(edition)
        except KeyError:
            ids = ", ".join(e.id for e in book.editions)
            raise EditionNotFoundError(
                f"unknown edition {edition!r}", fix=f"use one of: {ids}"
            ) from None
    for ed in reversed(book.editions):
        if ed.in_force_from <= on:
            return ed
    first = book.editions[0]
    raise EditionNotFoundError(
        f"report.received_at {on.isoformat()} is before the first edition "
        f"({first.id}, in force from {first.in_force_from.isoformat()})",
        fix="these rulebooks cover reports from that date on",
    )


def decide(
    case: CaseFacts | Mapping[str, Any],
    *,
    edition: str | None = None,
    evaluator: Evaluator = "durable",
    rulebook: Rulebook | None = None,
    explain: bool = True,
) -> Decision:
    """Decide one case under the edition in force on its report date (or the one named).

    ``evaluator="durable"`` runs the rules on durable_rules; ``"reference"`` runs the
    plain-Python reference evaluator built from the same rules (faster; the test oracle);
    ``"batch"`` runs them as SQL on DuckDB (made for many cases: see :func:`decide_many`).
    ``explain=False`` skips rendering the explanations (every reason's is empty).

    ``case`` is a CaseFacts (from :func:`load_case` or :func:`parse_case`) or a mapping of
    JSON-like data, which may hold lists, tuples and timezone-aware datetimes; anything else
    (a file name, JSON text) is a UsageError naming its type.
    """
    case = validated(_case_data(case))  # a model_construct or model_copy case is re-checked
    book = rulebook or default_rulebook()
    ed = edition_for(book, report_date(case), edition)
    run = run_case(book, ed, case, evaluator)
    return build(case, book, ed, run.facts, run.trace, explain=explain)


def decide_many(
    cases: Iterable[CaseFacts | Mapping[str, Any]],
    *,
    edition: str | None = None,
    evaluator: Evaluator = "durable",
    rulebook: Rulebook | None = None,
    explain: bool = True,
) -> list[Decision]:
    """:func:`decide` for each of ``cases``, the decisions in the same order.

    With ``evaluator="batch"`` the cases of each edition are evaluated together, set at a
    time, in one DuckDB run; the decisions are the same as one :func:`decide` at a time.
    """
    checked = [validated(_case_data(case)) for case in cases]
    book = rulebook or default_rulebook()
    by_edition: dict[str, list[int]] = {}
    editions: dict[str, Edition] = {}
    for i, case in enumerate(checked):
        ed = edition_for(book, report_date(case), edition)
        editions[ed.id] = ed
        by_edition.setdefault(ed.id, []).append(i)
    out: list[Decision | None] = [None] * len(checked)
    for ed_id, indexes in by_edition.items():
        ed = editions[ed_id]
        runs = run_cases(book, ed, [checked[i] for i in indexes], evaluator)
        for i, run in zip(indexes, runs, strict=True):
            out[i] = build(run.case, book, ed, run.facts, run.trace, explain=explain)
    return [d for d in out if d is not None]


def _case_data(case: object) -> CaseFacts | Mapping[str, Any]:
    """``case`` if decide takes it; otherwise a UsageError that names its type, never its
    value (it may be personal data), and says what to call first."""
    if isinstance(case, CaseFacts | Mapping):
        return case
    if isinstance(case, str | bytes | os.PathLike):
        fix = (
            "read a case file with load_case(path), or JSON text with parse_case(text), "
            "and pass decide() the CaseFacts it returns"
        )
    else:
        fix = "pass a CaseFacts from load_case() or parse_case(), or a mapping of case data"
    kind = printable(type(case).__name__)[:40]
    raise UsageError(f"decide() takes a CaseFacts or a mapping of case data, not a {kind}", fix=fix)
