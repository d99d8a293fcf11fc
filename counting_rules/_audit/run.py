"""An audit over a file of records: read, map, decide, compare, tally, in bounded memory.

``run_audit`` reads the records a chunk at a time, decides each chunk in this process or in
a pool of worker processes (each loads the rulebook once, from the compiled-rulebook cache),
and writes, in input order:

- ``findings.jsonl``: one line per decided record: its ``line``, ``id`` (the case's report
  id), whether the decision is ``complete``, and its ``findings`` with their reasons and
  citations (the reasons without the facts they read: those are the record's own);
- ``rejected.jsonl``: one line per record that could not be read, mapped or validated: its
  ``line``, ``rows``, the ``field`` at fault and the ``error`` (never a cell's value);
- ``summary.json``: the ``AuditSummary`` tally, its statistics and the accounting.

Every row read is decided or rejected; ``Accounting.check`` proves it at the end. Each
worker's tallies are merged with ``AuditSummary.merge``, so the summary is the same for any
number of workers.
"""

from __future__ import annotations

import json
import multiprocessing
import re
import signal
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from itertools import islice
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import IO, Any

import orjson

from counting_rules._audit.finding import AuditFinding
from counting_rules._audit.findings import audit_record
from counting_rules._audit.mapping import ColumnError, CompiledMapping, ForceMapping
from counting_rules._audit.readers import Record, file_format, read_rows, records
from counting_rules._audit.sample import Strata, stratum_of
from counting_rules._audit.summary import AuditSummary, summary_document
from counting_rules._case.parse import parse_case
from counting_rules._engine.decide import decide, decide_many, default_rulebook
from counting_rules._engine.pipeline import EvaluatorName
from counting_rules._rulebook.ir import Rulebook
from counting_rules._rulebook.loader import load_rulebook
from counting_rules.case import CaseFacts
from counting_rules.decision import Decision
from counting_rules.errors import CaseFactsError, CountingRulesError, EngineError, WriteError

__all__ = [
    "OUTPUTS",
    "Accounting",
    "AuditRun",
    "Options",
    "prepare_out",
    "run_audit",
    "write_summary",
]

OUTPUTS = ("findings.jsonl", "rejected.jsonl", "summary.json")
_CHUNK = 64  # records a worker takes at once: large enough to amortise the hand-over
_BATCH_CHUNK = 2_000  # the batch evaluator's fixed cost per run is paid once per chunk


@dataclass(frozen=True)
class Options:
    """How to run an audit (the ``audit`` command's options)."""

    mapping: ForceMapping | None = None
    evaluator: EvaluatorName = "reference"
    workers: int = 1
    rulebook: str | None = None
    recorded_per_year: int | None = None
    population: int | None = None
    strata: Strata | None = None
    chunk: int | None = None  # records per chunk; by default 64, or 2,000 for the batch evaluator

    @property
    def chunk_size(self) -> int:
        if self.chunk is not None:
            return self.chunk
        return _BATCH_CHUNK if self.evaluator == "batch" else _CHUNK


@dataclass
class Accounting:
    """Rows and records read, decided and rejected."""

    rows_read: int = 0
    rows_decided: int = 0
    rows_rejected: int = 0
    records_decided: int = 0
    records_rejected: int = 0

    def add(self, part: Accounting) -> None:
        for name, value in asdict(part).items():
            setattr(self, name, getattr(self, name) + value)

    def check(self) -> None:
        if self.rows_decided + self.rows_rejected != self.rows_read:
            raise EngineError(
                f"{self.rows_read} rows read but {self.rows_decided} decided and "
                f"{self.rows_rejected} rejected: a row is unaccounted for"
            )


@dataclass
class AuditRun:
    """What ``run_audit`` did."""

    summary: AuditSummary
    accounting: Accounting
    interrupted: bool = False
    out: Path = field(default_factory=Path)


@dataclass
class _Chunk:
    summary: AuditSummary
    findings: list[bytes]
    rejected: list[bytes]
    accounting: Accounting


# --- one chunk of records, in whichever process ---------------------------------------------


class _Auditor:
    """What a worker holds: the rulebook, loaded once, and the compiled mapping."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.book: Rulebook = (
            load_rulebook(options.rulebook) if options.rulebook else default_rulebook()
        )
        self.mapping: CompiledMapping | None = (
            options.mapping.compiled() if options.mapping is not None else None
        )

    def chunk(self, batch: list[Record]) -> _Chunk:
        out = _Chunk(AuditSummary(), [], [], Accounting())
        read = [self._read(record) for record in batch]
        cases = [r[0] for r in read if not isinstance(r, _Rejected)]
        decided = iter(self._decide(cases))
        for record, got in zip(batch, read, strict=True):
            out.accounting.rows_read += len(record.rows)
            if isinstance(got, _Rejected):
                self._reject(record, out, got.field, got.message)
                continue
            case, doc = got
            decision = next(decided)
            try:
                if isinstance(decision, CountingRulesError):
                    raise decision
                found = audit_record(case, decision, rulebook=self.book)
            except CountingRulesError as exc:
                # A decision that fails is not a finding; the record is accounted for as rejected.
                error = f"{exc.code}: the engine could not decide it"
                self._reject(record, out, "(decision)", error)
                continue
            self._tally(record, out, case, doc, decision, found)
        return out

    def _read(self, record: Record) -> tuple[CaseFacts, Any] | _Rejected:
        """The record's case (and the document it was parsed from), or why it is rejected."""
        first = record.rows[0]
        try:
            if first.cells is None:
                raise _Rejected(first.field, first.error)
            doc = (
                self.mapping.case([r.cells or {} for r in record.rows])
                if self.mapping
                else first.cells
            )
            case = parse_case(doc)
            if case.as_recorded is None:
                raise _Rejected("as_recorded", "the case has no as_recorded part: nothing to audit")
        except _Rejected as exc:
            return exc
        except ColumnError as exc:
            return _Rejected(exc.field, str(exc))
        except CaseFactsError as exc:
            return _Rejected(exc.field or "(case)", exc.message)
        except CountingRulesError as exc:
            return _Rejected("(decision)", f"{exc.code}: the engine could not decide it")
        return case, doc

    def _decide(self, cases: list[CaseFacts]) -> list[Decision | CountingRulesError]:
        """Each case's decision, or the error deciding it raised. The batch evaluator decides
        the chunk at once; if that fails, case by case, to find the cases that fail."""
        ev = self.options.evaluator
        if ev == "batch" and cases:
            try:
                return list(decide_many(cases, evaluator=ev, rulebook=self.book))
            except CountingRulesError:
                pass
        out: list[Decision | CountingRulesError] = []
        for case in cases:
            try:
                out.append(decide(case, evaluator=ev, rulebook=self.book))
            except CountingRulesError as exc:
                out.append(exc)
        return out

    def _tally(
        self,
        record: Record,
        out: _Chunk,
        case: CaseFacts,
        doc: Any,
        decision: Decision,
        found: list[AuditFinding],
    ) -> None:
        rows = len(record.rows)
        strata = self.options.strata
        stratum = stratum_of(strata.by, record, doc) if strata is not None else None
        out.summary.add(case, decision, found, rulebook=self.book, stratum=stratum)
        out.findings.append(
            orjson.dumps(
                {
                    "line": record.line,
                    "id": case.report.id,
                    "complete": decision.complete,
                    "findings": [_finding(f.model_dump(mode="json")) for f in found],
                }
            )
        )
        out.accounting.rows_decided += rows
        out.accounting.records_decided += 1

    @staticmethod
    def _reject(record: Record, out: _Chunk, where: str, error: str) -> None:
        out.summary.reject(_generic(where))
        out.rejected.append(
            orjson.dumps(
                {"line": record.line, "rows": len(record.rows), "field": where, "error": error}
            )
        )
        out.accounting.rows_rejected += len(record.rows)
        out.accounting.records_rejected += 1


class _Rejected(Exception):
    def __init__(self, field: str, message: str) -> None:
        self.field, self.message = field, message
        super().__init__(message)


def _finding(doc: dict[str, Any]) -> dict[str, Any]:
    for reason in doc.get("reasons", ()):
        reason.pop("facts", None)
    return doc


def _generic(where: str) -> str:
    """``allegations[A1].offence`` -> ``allegations[].offence``: a count by field, no ids."""
    return re.sub(r"\[[^\]]*\]", "[]", where)


_WORKER: _Auditor | None = None


def _init_worker(options: Options) -> None:
    # Ctrl-C is the parent's to handle: it stops the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    global _WORKER
    _WORKER = _Auditor(options)


def _work(batch: list[Record]) -> _Chunk:
    assert _WORKER is not None, "the worker was not initialised"
    return _WORKER.chunk(batch)


# --- the run -----------------------------------------------------------------------------------


def run_audit(
    path: Path,
    out: Path,
    options: Options,
    *,
    progress: Callable[[int], None] | None = None,
) -> AuditRun:
    """Audit every record of ``path``, writing ``OUTPUTS`` into the folder ``out``.

    ``progress`` is called with the number of rows each chunk finished. On Ctrl-C the
    outputs hold the records finished so far and the result says ``interrupted``.
    """
    fmt = file_format(path)
    if options.mapping is None and fmt != "jsonl":
        raise CaseFactsError(
            f"{path}: a {fmt.upper()} export needs a mapping onto the case model",
            field="--mapping",
            fix="give --mapping MAP.yaml (docs/reference/audit-mapping.md); only JSONL of "
            "case documents needs none",
        )
    prepare_out(out)
    delimiter = options.mapping.csv_delimiter if options.mapping else ","
    group_by = options.mapping.group_by if options.mapping else None
    batches = _batches(records(read_rows(path, delimiter=delimiter), group_by), options.chunk_size)
    run = AuditRun(AuditSummary(), Accounting(), out=out)
    with (
        (out / "findings.jsonl").open("wb") as findings,
        (out / "rejected.jsonl").open("wb") as rejected,
    ):

        def take(chunk: _Chunk) -> None:
            run.summary = run.summary.merge(chunk.summary)
            run.accounting.add(chunk.accounting)
            _lines(findings, chunk.findings)
            _lines(rejected, chunk.rejected)
            if progress is not None:
                progress(chunk.accounting.rows_read)

        try:
            if options.workers <= 1:
                auditor = _Auditor(options)
                for batch in batches:
                    take(auditor.chunk(batch))
            else:
                _in_pool(batches, options, take)
        except KeyboardInterrupt:
            run.interrupted = True
    if not run.interrupted:
        run.accounting.check()
    write_summary(out / "summary.json", run, options, path, fmt)
    return run


def _in_pool(
    batches: Iterator[list[Record]], options: Options, take: Callable[[_Chunk], None]
) -> None:
    # spawn, not fork: a forked child of a process with threads (a progress bar's) may hang.
    ctx = multiprocessing.get_context("spawn")
    pool: Pool = ctx.Pool(options.workers, initializer=_init_worker, initargs=(options,))
    try:
        pending: deque[AsyncResult[_Chunk]] = deque()
        for batch in batches:
            pending.append(pool.apply_async(_work, (batch,)))
            # At most two chunks a worker in flight: memory stays bounded, the pool busy.
            while len(pending) >= 2 * options.workers:
                take(pending.popleft().get())
        while pending:
            take(pending.popleft().get())
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()


def _batches(items: Iterator[Record], size: int) -> Iterator[list[Record]]:
    while batch := list(islice(items, size)):
        yield batch


def _lines(f: IO[bytes], lines: list[bytes]) -> None:
    for line in lines:
        f.write(line)
        f.write(b"\n")


def prepare_out(out: Path) -> None:
    """The output folder, made if need be; never over an earlier audit's outputs."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(f"{out}: cannot make the folder: {exc.strerror}") from None
    there = [name for name in OUTPUTS if (out / name).exists()]
    if there:
        raise WriteError(
            f"{out}: already holds {there[0]} from an earlier audit",
            fix="give a new --out folder, or remove the earlier outputs",
        )


def write_summary(
    target: Path,
    run: AuditRun,
    options: Options,
    path: Path,
    fmt: str,
    *,
    extra: dict[str, object] | None = None,
) -> None:
    """``summary.json``: the tally, its statistics, the input and the accounting."""
    sizes = options.strata.populations() if options.strata is not None else None
    stats = run.summary.statistics(
        population=options.population,
        recorded_per_year=options.recorded_per_year,
        stratum_sizes=sizes,
    )
    doc = summary_document(
        run.summary,
        stats,
        evaluator=options.evaluator,
        workers=options.workers,
        population=options.population,
        recorded_per_year=options.recorded_per_year,
        strata_by=options.strata.by if options.strata is not None else None,
    )
    doc["input"] = {"file": path.name, "format": fmt}
    doc["accounting"] = asdict(run.accounting)
    doc["interrupted"] = run.interrupted
    doc.update(extra or {})
    try:
        target.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")
    except OSError as exc:
        raise WriteError(f"{target}: cannot write: {exc.strerror}") from None
