"""The same audit over a partitioned dataset, on a Dask cluster (the ``cluster`` extra).

A partitioned dataset is a folder of files of one format (CSV, JSONL or Parquet: a force's
export split by month, say, as a data lake holds it), or a single file (one partition). Each
partition is audited by ``run_audit`` inside a Dask worker process, exactly as on one machine:
the worker keeps its rulebook (``default_rulebook`` is loaded once a process, from the
compiled-rulebook cache), so it is loaded once per worker, not once per partition. Each
partition writes its outputs under ``OUT/parts/NNNNN/`` and returns its tally; the tallies are
merged with ``AuditSummary.merge``, which adds counts, so the statistics are identical to
those of one pass over the same records, whatever the number of workers or partitions.

On a real cluster ``OUT`` and the dataset must be on storage every worker sees (a shared or
network file system); docs/how-to/run-an-audit.md says how to start one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

import orjson

from counting_rules._audit.readers import FORMATS, file_format
from counting_rules._audit.run import (
    OUTPUTS,
    Accounting,
    AuditRun,
    Options,
    prepare_out,
    run_audit,
    write_summary,
)
from counting_rules._audit.summary import AuditSummary
from counting_rules.errors import UsageError, WriteError

__all__ = ["LOCAL", "Part", "partitions", "run_audit_on_dask"]

LOCAL = "local"  # the scheduler address that starts a cluster of worker processes here


@dataclass(frozen=True)
class Part:
    """One partition's result, as a worker returns it (counts only, nothing personal)."""

    index: int
    name: str
    summary: AuditSummary
    accounting: Accounting
    interrupted: bool


def partitions(source: Path) -> list[Path]:
    """The partition files of ``source``: the file itself, or a folder's files of one format
    in name order (hidden files skipped)."""
    if source.is_file():
        return [source]
    if not source.is_dir():
        raise UsageError(f"{source}: no such file or folder")
    files = sorted(p for p in source.iterdir() if p.is_file() and not p.name.startswith((".", "_")))
    if not files:
        raise UsageError(f"{source}: the folder holds no partition files")
    unknown = [p.name for p in files if p.suffix.lower() not in FORMATS]
    if unknown:
        raise UsageError(
            f"{source}: {unknown[0]} is not a CSV, JSONL or Parquet file",
            fix="a partitioned dataset is a folder of files of one format",
        )
    formats = {file_format(p) for p in files}
    if len(formats) > 1:
        raise UsageError(f"{source}: the partitions mix formats ({', '.join(sorted(formats))})")
    return files


def audit_partition(index: int, path: str, out: str, options: Options) -> Part:
    """Audit one partition in this (worker) process; its outputs go under ``out``."""
    run = run_audit(Path(path), Path(out), replace(options, workers=1))
    return Part(index, Path(path).name, run.summary, run.accounting, run.interrupted)


def run_audit_on_dask(
    source: Path,
    out: Path,
    options: Options,
    *,
    scheduler: str = LOCAL,
    progress: Callable[[int], None] | None = None,
) -> AuditRun:
    """Audit every partition of ``source`` on the Dask cluster at ``scheduler`` (or on a local
    cluster of ``options.workers`` processes), writing the same outputs as ``run_audit``: the
    findings and rejected lines of every partition, in partition order, each with its
    ``partition``, and one ``summary.json``."""
    files = partitions(source)
    fmt = file_format(files[0])
    prepare_out(out)
    parts_dir = out / "parts"
    run = AuditRun(AuditSummary(), Accounting(), out=out)
    done: dict[int, Part] = {}
    with _client(scheduler, options.workers) as client:
        from distributed import as_completed

        futures = [
            client.submit(
                audit_partition,
                i,
                str(p.resolve()),
                str((parts_dir / f"{i:05d}").resolve()),
                options,
                key=f"audit-partition-{i:05d}-{p.name}",
                pure=False,
            )
            for i, p in enumerate(files)
        ]
        try:
            for future in as_completed(futures):
                part: Part = future.result()
                done[part.index] = part
                if progress is not None:
                    progress(part.accounting.rows_read)
        except KeyboardInterrupt:
            client.cancel(futures)
            run.interrupted = True
    for index in sorted(done):  # partition order: the same output for any completion order
        part = done[index]
        run.summary = run.summary.merge(part.summary)
        run.accounting.add(part.accounting)
        run.interrupted |= part.interrupted
    _join(parts_dir, out, done)
    if not run.interrupted:
        run.accounting.check()
    workers = options.workers if scheduler == LOCAL else _worker_count(scheduler)
    write_summary(
        out / "summary.json",
        run,
        replace(options, workers=workers),
        source,
        fmt,
        extra={"partitions": len(files), "scheduler": "local" if scheduler == LOCAL else "dask"},
    )
    return run


@contextlib.contextmanager
def _client(scheduler: str, workers: int) -> Iterator[Any]:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise UsageError(
            "an audit on Dask needs the cluster extra",
            fix="pip install 'counting-rules[cluster]'",
        ) from None
    if scheduler == LOCAL:
        # One thread a worker: deciding is CPU-bound Python, so processes give the speed-up.
        with (
            LocalCluster(
                n_workers=max(1, workers),
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",  # any free port: never clash
            ) as cluster,
            Client(cluster) as client,
        ):
            yield client
    else:
        with Client(scheduler) as client:
            yield client


def _worker_count(scheduler: str) -> int:
    from distributed import Client

    with Client(scheduler) as client:
        return len(client.scheduler_info().get("workers", {}))


def _join(parts_dir: Path, out: Path, done: dict[int, Part]) -> None:
    """Each partition's findings and rejected lines, in partition order, into ``out``."""
    for name in OUTPUTS:
        if not name.endswith(".jsonl"):
            continue
        try:
            with (out / name).open("wb") as target:
                for index in sorted(done):
                    _copy(parts_dir / f"{index:05d}" / name, done[index].name, target)
        except OSError as exc:
            raise WriteError(f"{out / name}: cannot write: {exc.strerror}") from None


def _copy(source: Path, partition: str, target: IO[bytes]) -> None:
    with source.open("rb") as f:
        for line in f:
            doc = orjson.loads(line)
            target.write(orjson.dumps({"partition": partition, **doc}))
            target.write(b"\n")
