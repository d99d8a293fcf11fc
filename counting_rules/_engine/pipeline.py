"""The one pipeline seam: a case run through an evaluator, facts and trace returned.

``run_case(rulebook, edition, case, evaluator)`` is the single place a case becomes facts and
an evaluator turns them into a trace of firings. Everything that needs a trace (``decide``,
scenario stages, ``diff``, the witness search, why-not, the tests, the benchmarks) calls it, so
the step is written once. The evaluators share one protocol; the rulebook keeps each one it
builds (a compiled evaluator per edition), so nothing is cached at module level here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol, cast

from counting_rules._common.printable import printable
from counting_rules._engine.actions import Firing
from counting_rules._engine.durable import run as durable
from counting_rules._engine.facts import Fact, flatten
from counting_rules._engine.reference import ReferenceEvaluator
from counting_rules._rulebook.ir import Edition, Rulebook
from counting_rules.case import CaseFacts
from counting_rules.errors import UsageError

if TYPE_CHECKING:
    # Imported when first asked for: DuckDB and NumPy cost ~0.3 s of start-up a plain decide
    # never uses.
    from counting_rules._engine.batch.run import BatchEvaluator

EvaluatorName = Literal["durable", "reference", "batch"]
EVALUATORS: tuple[EvaluatorName, ...] = ("durable", "reference", "batch")


class Evaluator(Protocol):
    """Runs one edition's rules on one case's facts and returns every firing."""

    def run(self, facts: Sequence[Fact]) -> list[Firing]: ...


@dataclass(frozen=True)
class DurableEvaluator:
    """One edition on durable_rules (the engine of record)."""

    edition: Edition
    book: Rulebook

    def run(self, facts: Sequence[Fact]) -> list[Firing]:
        book = self.book
        return durable.run(self.edition, facts, book.tables, book.types, book.digest)


@dataclass(frozen=True)
class Run:
    """A case run once: the edition, the facts it became and the evaluator's firings."""

    case: CaseFacts
    edition: Edition
    facts: tuple[Fact, ...]
    trace: tuple[Firing, ...]

    @property
    def fired(self) -> frozenset[str]:
        """The rules that fired surely."""
        return frozenset(f.rule.id for f in self.trace if f.variant == "sure")


def evaluator(book: Rulebook, edition: Edition, name: EvaluatorName = "durable") -> Evaluator:
    """The rulebook's evaluator of ``edition`` by name, built once per rulebook."""
    if name not in EVALUATORS:
        raise UsageError(
            f"evaluator must be 'durable', 'reference' or 'batch', not {printable(repr(name))[:40]}"
        )
    key = ("evaluator", name, edition.id)
    found = book.caches.get(key)
    if found is None:
        if name == "durable":
            found = DurableEvaluator(edition, book)
        elif name == "reference":
            found = ReferenceEvaluator(edition, book.tables, book.types)
        else:
            from counting_rules._engine.batch.run import BatchEvaluator

            found = BatchEvaluator(edition, book.tables, book.types)
        book.caches[key] = found
    return cast("Evaluator", found)


def run_case(
    book: Rulebook, edition: Edition, case: CaseFacts, name: EvaluatorName = "durable"
) -> Run:
    """Flatten ``case`` and run ``edition`` on it through the named evaluator."""
    facts = tuple(flatten(case))
    return Run(case, edition, facts, tuple(evaluator(book, edition, name).run(facts)))


def run_cases(
    book: Rulebook, edition: Edition, cases: Sequence[CaseFacts], name: EvaluatorName = "durable"
) -> list[Run]:
    """``run_case`` for each of ``cases`` (all of ``edition``): the batch evaluator runs them
    all in one go, the others one by one."""
    facts = [tuple(flatten(case)) for case in cases]
    ev = evaluator(book, edition, name)
    if name == "batch":
        traces = cast("BatchEvaluator", ev).run_many(facts)
    else:
        traces = [ev.run(f) for f in facts]
    return [
        Run(case, edition, f, tuple(trace))
        for case, f, trace in zip(cases, facts, traces, strict=True)
    ]


__all__ = [
    "EVALUATORS",
    "Evaluator",
    "EvaluatorName",
    "Run",
    "evaluator",
    "run_case",
    "run_cases",
]
