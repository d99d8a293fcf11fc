"""``counting-rules audit``: replay what a force recorded against the rules, and draw samples.

``audit RECORDS`` is ``audit run RECORDS`` (``_RunByDefault`` puts the ``run`` in);
``audit sample`` draws a stratified sample. docs/how-to/run-an-audit.md walks through both.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from counting_rules._cli import exits
from counting_rules._cli.epilog import epilog

if TYPE_CHECKING:
    from counting_rules._audit.mapping import ForceMapping

__all__ = ["register"]

RUN_EXAMPLES = [
    "counting-rules audit export.csv --mapping map.yaml --out audit-out",
    "counting-rules audit run cases.jsonl --out audit-out --workers 2 --recorded-per-year 60000",
    "counting-rules audit exports/ --mapping map.yaml --out audit-out --dask local --workers 2",
]
RUN_NOTE = """Writes DIR/findings.jsonl (one line per decided record), DIR/rejected.jsonl (each
record that could not be read or validated: line, field, error), DIR/summary.json (the
tally and its statistics) and the report: DIR/report.html (self-contained), report.md and
report.json. Every row is decided or rejected; the counts are printed at the end.
Ctrl-C stops it; the outputs then hold the records finished so far."""
SAMPLE_EXAMPLES = [
    "counting-rules audit sample export.csv --mapping map.yaml --by group --size 400 --seed 7 "
    "--out sample.csv",
]
SAMPLE_NOTE = """Writes FILE (the sampled rows, in the population's format and order) and beside it
FILE's name with .strata.json (each stratum's population and sample size), for
`counting-rules audit FILE --strata ...strata.json`."""


class _AnyName(dict[str, argparse.ArgumentParser]):
    """Subcommand names as argparse checks them: once ``lenient``, any word passes
    (``_RunByDefault`` says which subcommand it is)."""

    lenient = False

    def __contains__(self, key: object) -> bool:
        return self.lenient or dict.__contains__(self, key)


class _RunByDefault(argparse._SubParsersAction):  # type: ignore[type-arg]
    """Subcommands where a first word that names none is the records of ``run``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._name_parser_map = self.choices = _AnyName()

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[object] | None,
        option_string: str | None = None,
    ) -> None:
        words = list(values) if isinstance(values, list | tuple) else [values]
        if words and not dict.__contains__(self.choices, words[0]):
            words = ["run", *words]
        super().__call__(parser, namespace, words, option_string)


_MEANING = {
    65: "an invalid mapping file, or a CSV or Parquet export with no --mapping",
    66: "the records, mapping or strata file is missing or unreadable",
    70: "engine failure, or a row unaccounted for (decided + rejected is not the rows read)",
    73: "an output cannot be written, or would overwrite an earlier audit",
}


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return n


def _mapping(path: str | None) -> ForceMapping | None:
    if path is None:
        return None
    from counting_rules._audit.mapping import load_mapping

    return load_mapping(path)


def _cmd_run(args: argparse.Namespace) -> int:
    from counting_rules._audit.run import Options, run_audit
    from counting_rules._audit.sample import Strata

    records = Path(args.records)
    options = Options(
        mapping=_mapping(args.mapping),
        evaluator=args.evaluator,
        workers=args.workers,
        rulebook=args.rulebook,
        recorded_per_year=args.recorded_per_year,
        population=args.population,
        strata=Strata.load(Path(args.strata)) if args.strata else None,
    )
    if args.dask is not None:
        from counting_rules._audit.distributed import partitions, run_audit_on_dask

        with _progress(partitions(records)) as advance:
            run = run_audit_on_dask(
                records, Path(args.out), options, scheduler=args.dask, progress=advance
            )
    else:
        with _progress([records]) as advance:
            run = run_audit(records, Path(args.out), options, progress=advance)
    from counting_rules._audit.report import write_reports

    out = Path(args.out)
    partial = " (stopped early: the records finished)" if run.interrupted else ""
    write_reports(
        run.summary,
        out / "findings.jsonl",
        out,
        population=options.population,
        recorded_per_year=options.recorded_per_year,
        stratum_sizes=options.strata.populations() if options.strata is not None else None,
        title=f"Crime data integrity audit: {records.name}{partial}",
    )
    a = run.accounting
    print(
        f"audit: {a.rows_read} row(s) read: {a.rows_decided} decided "
        f"({a.records_decided} record(s)), {a.rows_rejected} rejected "
        f"({a.records_rejected} record(s), see rejected.jsonl); outputs in {args.out}"
    )
    if run.interrupted:
        print(
            f"counting-rules: stopped by Ctrl-C; the outputs hold the {a.rows_read} row(s) "
            f"finished; exit {exits.INTERRUPTED}",
            file=sys.stderr,
        )
        return exits.INTERRUPTED
    found = sum(v for k, v in run.summary.findings.items() if k != "cannot_judge")
    rate = run.summary.statistics().recording_rate
    share = f"{rate.correct} of {rate.checked} crimes recorded" if rate.checked else "no crimes"
    print(
        f"audit: {found} finding(s), {run.summary.findings.get('cannot_judge', 0)} cannot be "
        f"judged yet; {share}"
    )
    return exits.DONE


def _cmd_sample(args: argparse.Namespace) -> int:
    from counting_rules._audit.sample import draw_sample, strata_path

    strata = draw_sample(
        Path(args.population),
        Path(args.out),
        by=args.by,
        size=args.size,
        seed=args.seed,
        mapping=_mapping(args.mapping),
        allocation=args.allocation,
    )
    drawn = sum(s.sample for s in strata.strata.values())
    print(
        f"sample: {drawn} of {strata.population} record(s) from {len(strata.strata)} "
        f"stratum(s) by {strata.by} into {args.out}; sizes in {strata_path(Path(args.out))}"
    )
    return exits.DONE


@contextmanager
def _progress(files: list[Path]) -> Iterator[Callable[[int], None] | None]:
    """A progress bar with the rate and time left on stderr, when it is a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from counting_rules._audit.readers import count_rows

    counts = [count_rows(f) for f in files]
    total = None if None in counts else sum(c for c in counts if c is not None)
    columns = (
        TextColumn("audit"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]} rows/s"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=False) as bar:
        task = bar.add_task("rows", total=total, rate="-")

        def advance(rows: int) -> None:
            bar.advance(task, rows)
            speed = bar.tasks[task].speed
            bar.update(task, rate=f"{speed:,.0f}" if speed else "-")

        yield advance


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    a = sub.add_parser(
        "audit",
        help="audit a force's records against the rules (audit RECORDS), or draw a sample",
        description="Replay what a force recorded against the rules. `audit RECORDS` (the same\n"
        "as `audit run RECORDS`) decides every record and compares it with the force's\n"
        "record; `audit sample` draws a reproducible stratified sample.",
        **epilog([*RUN_EXAMPLES, *SAMPLE_EXAMPLES], [64, 65, 66, 70, 73, exits.INTERRUPTED]),
    )
    a.register("action", "parsers", _RunByDefault)
    commands = a.add_subparsers(dest="audit_command", required=True)
    r = commands.add_parser(
        "run",
        help="decide every record and compare it with what the force recorded",
        **epilog(
            RUN_EXAMPLES,
            [64, 65, 66, 70, 73, 78, exits.INTERRUPTED],
            meaning={
                **_MEANING,
                exits.INTERRUPTED: "stopped by Ctrl-C: the outputs hold what was finished",
            },
            note=RUN_NOTE,
        ),
    )
    r.add_argument("records", metavar="RECORDS", help="the records: .csv, .jsonl or .parquet")
    r.add_argument(
        "--mapping",
        metavar="MAP.yaml",
        help="mapping of the export's columns onto the case model (YAML; not needed for JSONL "
        "of case documents)",
    )
    r.add_argument(
        "--out", metavar="DIR", required=True, help="folder for the outputs (made if need be)"
    )
    r.add_argument(
        "--workers",
        type=_positive,
        default=1,
        metavar="N",
        help="worker processes (default 1; one a core)",
    )
    r.add_argument(
        "--evaluator",
        choices=("reference", "durable", "batch"),
        default="reference",
        help="the plain-Python reference evaluator (default: faster), durable_rules, or the "
        "batch evaluator (the rules as SQL on DuckDB, 2,000 records at a time)",
    )
    r.add_argument("--rulebook", help="path of a rulebook folder (default: the shipped HOCR)")
    r.add_argument(
        "--dask",
        metavar="SCHEDULER",
        help="audit a partitioned dataset (RECORDS a folder of files of one format) on the Dask "
        "cluster at this scheduler address, or 'local' for a cluster of --workers processes "
        "here (the cluster extra)",
    )
    r.add_argument(
        "--recorded-per-year",
        type=_positive,
        metavar="N",
        help="the force's recorded crimes a year, to estimate the crimes left unrecorded",
    )
    r.add_argument(
        "--population",
        type=_positive,
        metavar="N",
        help="how many records the audited sample was drawn from (finite population correction)",
    )
    r.add_argument(
        "--strata",
        metavar="FILE",
        help="the .strata.json of a sample, for the stratum-weighted recording rate",
    )
    r.set_defaults(func=_cmd_run)
    s = commands.add_parser(
        "sample",
        help="draw a reproducible stratified sample of a population of records",
        **epilog(SAMPLE_EXAMPLES, [64, 65, 66, 73], meaning=_MEANING, note=SAMPLE_NOTE),
    )
    s.add_argument(
        "population", metavar="POPULATION", help="the population: .csv, .jsonl or .parquet"
    )
    s.add_argument(
        "--mapping", metavar="MAP.yaml", help="mapping onto the case model (needed for --by group)"
    )
    s.add_argument(
        "--by",
        required=True,
        metavar="COLUMN_OR_GROUP",
        help="stratify by this column (a case path for case documents), or by 'group': the "
        "crime group of the offence",
    )
    s.add_argument(
        "--size", type=_positive, required=True, metavar="N", help="records in the sample"
    )
    s.add_argument(
        "--seed", type=int, required=True, metavar="S", help="the same seed draws the same sample"
    )
    s.add_argument(
        "--allocation",
        choices=("proportional", "fixed"),
        default="proportional",
        help="share --size by stratum size (default), or draw --size from each stratum",
    )
    s.add_argument(
        "--out", required=True, metavar="FILE", help="file for the sample (the population's format)"
    )
    s.set_defaults(func=_cmd_sample)
    names = commands.choices
    assert isinstance(names, _AnyName)
    names.lenient = True
