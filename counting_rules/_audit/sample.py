"""A reproducible stratified audit sample drawn from a population of records.

Two passes over the population, in bounded memory: the first counts the records of each
stratum, the second writes the chosen ones, in input order. Which records of a stratum are
chosen depends only on the seed, the stratum's name and its size, so the same population and
seed give the same sample. Allocation is ``proportional`` (the sample size shared by the
strata's sizes, largest remainders first, so the shares add up to it exactly) or ``fixed``
(the size from each stratum, all of a smaller one).

A stratum is the value of a column (of a CSV or Parquet export, or of the JSON objects of a
JSONL file; for case documents, a dotted case path such as ``report.channel``), or, with
``--by group``, the crime group of the offence of the case's first allegation. Beside the
sample goes ``NAME.strata.json``: each stratum's population and sample size, which the
stratified estimate needs (``counting-rules audit --strata``).
"""

from __future__ import annotations

import csv
import json
import random
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field

from counting_rules._audit.mapping import ColumnError, CompiledMapping, ForceMapping
from counting_rules._audit.readers import Record, file_format, read_rows, records
from counting_rules.errors import CaseFileError, UsageError, WriteError

__all__ = ["GROUP", "OFFENCE_GROUPS", "Strata", "StratumSize", "draw_sample", "stratum_of"]

GROUP = "group"
Allocation = Literal["proportional", "fixed"]
BLANK, UNMAPPED = "(blank)", "(unmapped)"

# The crime group of the Home Office codes the rules classify each offence kind under
# (rulebooks/hocr/crime_types, the offence catalogue's groups as _audit.crime_groups reads
# them): modern slavery, public order, weapons and the crimes against society are "other".
OFFENCE_GROUPS: Mapping[str, str] = {
    **dict.fromkeys(
        (
            "murder",
            "manslaughter",
            "attempted_murder",
            "conspiracy_to_murder",
            "threats_to_kill",
            "assault",
            "endangering_life",
            "stalking",
            "harassment",
            "malicious_communications",
            "controlling_or_coercive_behaviour",
            "child_cruelty_or_neglect",
            "kidnapping",
        ),
        "violence",
    ),
    "rape": "rape",
    "attempted_rape": "rape",
    **dict.fromkeys(
        (
            "sexual_assault",
            "sexual_activity_with_child",
            "causing_sexual_activity_without_consent",
            "exposure_or_voyeurism",
        ),
        "sexual_offences",
    ),
    "robbery": "robbery",
}


class StratumSize(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    population: int = Field(ge=0)
    sample: int = Field(ge=0)


class Strata(BaseModel):
    """A sample's strata file: how it was drawn and each stratum's sizes."""

    model_config = ConfigDict(extra="forbid", strict=True)

    format: Literal[1] = 1
    by: str
    allocation: Allocation
    size: int
    seed: int
    population: int = Field(description="Records in the population that could be read.")
    unreadable: int = Field(0, description="Rows of the population that could not be read.")
    strata: dict[str, StratumSize]

    def populations(self) -> dict[str, int]:
        return {name: s.population for name, s in self.strata.items()}

    @classmethod
    def load(cls, path: Path) -> Strata:
        try:
            return cls.model_validate_json(path.read_bytes())
        except FileNotFoundError:
            raise CaseFileError(f"{path}: no such file", fix="give a .strata.json") from None
        except ValueError as exc:
            raise CaseFileError(
                f"{path}: not a strata file ({str(exc).splitlines()[0]})",
                fix="give the .strata.json `counting-rules audit sample` wrote",
            ) from None


def stratum_of(by: str, record: Record, doc: Mapping[str, Any] | None) -> str:
    """The stratum of ``record``: its column ``by`` (a case path for case documents), or
    with ``by == "group"`` the group of the case's first offence. ``doc`` is the case
    document (None when the record cannot be mapped)."""
    if by == GROUP:
        if doc is None:
            return UNMAPPED
        allegations = doc.get("allegations")
        first = allegations[0] if isinstance(allegations, list) and allegations else {}
        offence = first.get("offence") if isinstance(first, dict) else None
        return OFFENCE_GROUPS.get(str(offence), "other") if offence else BLANK
    cells = record.rows[0].cells or {}
    value: Any = cells.get(by) if by in cells else _at(cells, by)
    if value is None or (isinstance(value, str) and not value.strip()):
        return BLANK
    return str(value).strip()


def _at(doc: Mapping[str, Any], path: str) -> Any:
    node: Any = doc
    for part in path.replace("]", "").replace("[", ".").split("."):
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def _strata_of(path: Path, mapping: ForceMapping | None, by: str) -> Iterator[tuple[Record, str]]:
    compiled: CompiledMapping | None = mapping.compiled() if mapping is not None else None
    delimiter = mapping.csv_delimiter if mapping else ","
    key = mapping.group_by if mapping else None
    for record in records(read_rows(path, delimiter=delimiter), key):
        if record.rows[0].cells is None:
            yield record, ""
            continue
        doc: Mapping[str, Any] | None = record.rows[0].cells
        if compiled is not None and by == GROUP:
            try:
                doc = compiled.case([r.cells or {} for r in record.rows])
            except ColumnError:
                doc = None
        yield record, stratum_of(by, record, doc)


def allocate(sizes: Mapping[str, int], size: int, allocation: Allocation) -> dict[str, int]:
    """How many records to draw from each stratum."""
    if allocation == "fixed":
        return {h: min(size, n) for h, n in sizes.items()}
    total = sum(sizes.values())
    if total == 0:
        return dict.fromkeys(sizes, 0)
    size = min(size, total)
    exact = {h: size * n / total for h, n in sizes.items()}
    out = {h: int(x) for h, x in exact.items()}
    # Largest remainders first; ties by name, so the allocation is reproducible.
    for h in sorted(exact, key=lambda h: (out[h] - exact[h], h))[: size - sum(out.values())]:
        out[h] += 1
    return out


def draw_sample(
    path: Path,
    out: Path,
    *,
    by: str,
    size: int,
    seed: int,
    mapping: ForceMapping | None = None,
    allocation: Allocation = "proportional",
) -> Strata:
    """Draw the sample of ``path`` into ``out`` (same format) and its strata file beside
    it (``out`` with ``.strata.json``); returns the strata."""
    fmt = file_format(path)
    if file_format(out) != fmt:
        raise UsageError(
            f"{out}: the sample is written in the population's format ({fmt})",
            fix=f"name the output with the population's extension, {path.suffix}",
        )
    if by == GROUP and mapping is None and fmt != "jsonl":
        raise UsageError(
            f"--by {GROUP}: the offence of a {fmt.upper()} row needs the mapping",
            fix="give --mapping MAP.yaml, or stratify --by a column",
        )
    if size < 1:
        raise UsageError(f"--size {size}: a sample has at least one record")
    if out.resolve() == path.resolve():
        raise UsageError(f"{out}: the sample would overwrite its population")
    counts: Counter[str] = Counter()
    unreadable = 0
    for record, stratum in _strata_of(path, mapping, by):
        if record.rows[0].cells is None:
            unreadable += len(record.rows)
        else:
            counts[stratum] += 1
    wanted = allocate(dict(sorted(counts.items())), size, allocation)
    chosen = {
        h: set(random.Random(f"{seed}:{h}").sample(range(counts[h]), n)) for h, n in wanted.items()
    }
    seen: Counter[str] = Counter()
    rows: Iterator[dict[str, Any]] = (
        cells
        for record, stratum in _strata_of(path, mapping, by)
        if record.rows[0].cells is not None and _take(chosen, seen, stratum)
        for cells in (r.cells or {} for r in record.rows)
    )
    _write(fmt, path, out, rows)
    strata = Strata(
        by=by,
        allocation=allocation,
        size=size,
        seed=seed,
        population=sum(counts.values()),
        unreadable=unreadable,
        strata={h: StratumSize(population=counts[h], sample=wanted[h]) for h in sorted(counts)},
    )
    target = strata_path(out)
    try:
        target.write_text(json.dumps(strata.model_dump(), indent=2, sort_keys=True) + "\n")
    except OSError as exc:
        raise WriteError(f"{target}: cannot write: {exc.strerror}") from None
    return strata


def strata_path(sample: Path) -> Path:
    return sample.with_name(sample.stem + ".strata.json")


def _take(chosen: dict[str, set[int]], seen: Counter[str], stratum: str) -> bool:
    index = seen[stratum]
    seen[stratum] += 1
    return index in chosen.get(stratum, set())


def _write(fmt: str, source: Path, out: Path, rows: Iterator[dict[str, Any]]) -> None:
    try:
        if fmt == "csv":
            _write_csv(out, rows)
        elif fmt == "jsonl":
            with out.open("wb") as f:
                for cells in rows:
                    f.write(orjson.dumps(cells) + b"\n")
        else:
            _write_parquet(source, out, rows)
    except OSError as exc:
        raise WriteError(f"{out}: cannot write: {exc.strerror}") from None


def _write_csv(out: Path, rows: Iterator[dict[str, Any]]) -> None:
    with out.open("w", encoding="utf-8", newline="") as f:
        writer: csv.DictWriter[str] | None = None
        for cells in rows:
            if writer is None:
                writer = csv.DictWriter(f, fieldnames=list(cells), lineterminator="\n")
                writer.writeheader()
            writer.writerow(cells)


def _write_parquet(source: Path, out: Path, rows: Iterator[dict[str, Any]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pq.ParquetFile(source).schema_arrow
    with pq.ParquetWriter(out, schema) as writer:
        batch: list[dict[str, Any]] = []
        for cells in rows:
            batch.append(cells)
            if len(batch) >= 1024:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch = []
        if batch:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
