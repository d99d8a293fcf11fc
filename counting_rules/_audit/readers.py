"""Reading an audit's records: CSV, JSONL or Parquet, a row at a time, in bounded memory.

Each reader yields ``Row``s: the row's line (CSV and JSONL: the line of the file it starts
on, the header being line 1 of a CSV; Parquet: the row number from 1) and its cells, or why it
could not be read (a CSV row with the wrong number of fields, a JSONL line that is not a JSON
object). Nothing is dropped: a row that cannot be read is a ``Row`` with an ``error``.
Parquet is read a row group's batch at a time (pyarrow, the ``audit`` extra).

``records`` then makes records of rows: one row a record, or, with a key column, the
consecutive rows that share its value.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import orjson

from counting_rules.errors import CaseFileError, UsageError

__all__ = ["FORMATS", "Record", "Row", "count_rows", "file_format", "read_rows", "records"]

Format = Literal["csv", "jsonl", "parquet"]
FORMATS: dict[str, Format] = {
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}
_BATCH = 1024  # Parquet rows held at once


@dataclass(frozen=True, slots=True)
class Row:
    """One input row: its cells, or the reason it could not be read (``field`` and ``error``)."""

    line: int
    cells: dict[str, Any] | None
    field: str = ""
    error: str = ""


@dataclass(slots=True)
class Record:
    """The rows of one case (one, unless a key column groups them), from ``line`` on."""

    line: int
    rows: list[Row] = field(default_factory=list)


def file_format(path: Path) -> Format:
    """The format named by the file's extension."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise UsageError(
            f"{path}: cannot tell the format from the extension {path.suffix!r}",
            fix=f"name the file with one of {known}",
        )
    return fmt


def read_rows(path: Path, *, delimiter: str = ",") -> Iterator[Row]:
    """Every row of the file, in order."""
    fmt = file_format(path)
    if not path.is_file():
        raise CaseFileError(f"{path}: no such file", fix="give the path of the records")
    if fmt == "csv":
        return _csv(path, delimiter)
    if fmt == "jsonl":
        return _jsonl(path)
    return _parquet(path)


def count_rows(path: Path) -> int | None:
    """How many rows the file holds, for a progress bar's total (None if it cannot tell
    cheaply: a CSV with quoted line breaks counts more lines than rows, so this is an
    upper bound there)."""
    fmt = file_format(path)
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return int(pq.ParquetFile(path).metadata.num_rows)
    lines = 0
    last = b"\n"
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    lines += last != b"\n"  # a last line with no newline
    return max(0, lines - (fmt == "csv"))


def _text(path: Path) -> io.TextIOWrapper:
    # utf-8-sig: spreadsheets often write a byte-order mark before the header.
    return path.open("r", encoding="utf-8-sig", newline="")


def _csv(path: Path, delimiter: str) -> Iterator[Row]:
    with _text(path) as f:
        reader = csv.reader(f, delimiter=delimiter, strict=True)
        try:
            header = next(reader)
        except StopIteration:
            return
        except (csv.Error, UnicodeDecodeError) as exc:
            raise _unreadable(path, 1, exc) from None
        dupes = sorted({h for h in header if header.count(h) > 1})
        if dupes:
            raise CaseFileError(
                f"{path}:1: the header names column {dupes[0]!r} twice",
                fix="give every column its own name",
                line=1,
            )
        width = len(header)
        line = reader.line_num + 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield Row(line, None, "(row)", f"not CSV the reader can parse: {exc}")
                line = reader.line_num + 1
                continue
            except UnicodeDecodeError as exc:
                raise _unreadable(path, line, exc) from None
            if not cells:  # a blank line is no row
                line = reader.line_num + 1
                continue
            if len(cells) != width:
                yield Row(line, None, "(row)", f"has {len(cells)} fields; the header has {width}")
            else:
                yield Row(line, dict(zip(header, cells, strict=True)))
            line = reader.line_num + 1


def _jsonl(path: Path) -> Iterator[Row]:
    with path.open("rb") as f:
        for line, raw in enumerate(f, start=1):
            if not raw.strip():
                continue
            try:
                data = orjson.loads(raw)
            except orjson.JSONDecodeError:
                yield Row(line, None, "(line)", "not a JSON value")
                continue
            if not isinstance(data, dict):
                yield Row(line, None, "(line)", f"a JSON {type(data).__name__}, not an object")
                continue
            yield Row(line, data)


def _parquet(path: Path) -> Iterator[Row]:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises its own error types for a file it cannot open
        raise CaseFileError(f"{path}: not a Parquet file pyarrow can read ({exc})") from None
    n = 0
    for batch in pf.iter_batches(batch_size=_BATCH):
        for cells in batch.to_pylist():
            n += 1
            yield Row(n, cells)


def _unreadable(path: Path, line: int, exc: Exception) -> CaseFileError:
    return CaseFileError(
        f"{path}:{line}: cannot be read ({type(exc).__name__})",
        fix="save the file as UTF-8 CSV",
        line=line,
    )


def records(rows: Iterable[Row], key: str | None = None) -> Iterator[Record]:
    """Records of ``rows``: each row alone, or with ``key`` the consecutive rows with one
    value in that column. A row that could not be read is a record of its own. A key seen
    again after other keys is a rejected record (never silently a second case): the rows of
    one case must be consecutive."""
    current: Record | None = None
    current_key: Any = None
    first_line: dict[Any, int] = {}  # key -> line of its case, to refuse a key seen again
    for row in rows:
        if key is None or row.cells is None:
            if current is not None:
                yield current
                current = None
            yield Record(row.line, [row])
            continue
        value = row.cells.get(key)
        if current is not None and value == current_key and value not in (None, ""):
            current.rows.append(row)
            continue
        if current is not None:
            yield current
        current, current_key = Record(row.line, [row]), value
        if value in (None, "") or not isinstance(value, str | int):
            continue
        seen = first_line.setdefault(value, row.line)
        if seen != row.line:
            error = (
                f"the case with {key} {value!r} began on line {seen}; the rows of one case "
                f"must be consecutive (sort the file by {key})"
            )
            current = Record(row.line, [Row(row.line, None, key, error)])
    if current is not None:
        yield current
