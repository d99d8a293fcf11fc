"""The record readers (counting_rules._audit.readers): every row of a CSV, JSONL or Parquet
file with its line, the rows that cannot be read kept as errors, and rows grouped by a key."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from counting_rules._audit import readers
from counting_rules._audit.readers import Row, count_rows, read_rows, records
from counting_rules.errors import CaseFileError, UsageError


def write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode())
    return path


def test_csv_rows_carry_the_line_they_start_on(tmp_path: Path) -> None:
    path = write(
        tmp_path / "x.csv",
        '\ufeffref,note\nR1,plain\nR2,"two\nlines"\n\nR3,a,b\nR4,last',
    )
    rows = list(read_rows(path))
    assert [r.line for r in rows] == [2, 3, 6, 7]
    assert rows[0].cells == {"ref": "R1", "note": "plain"}  # the byte-order mark is gone
    assert rows[1].cells == {"ref": "R2", "note": "two\nlines"}
    assert rows[2].cells is None
    assert rows[2].field == "(row)"
    assert rows[2].error == "has 3 fields; the header has 2"
    assert rows[3].cells == {"ref": "R4", "note": "last"}
    assert count_rows(path) == 6  # an upper bound: the quoted line break and blank line count


def test_a_csv_header_that_names_a_column_twice_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CaseFileError, match="'a' twice"):
        list(read_rows(write(tmp_path / "x.csv", "a,b,a\n1,2,3\n")))


def test_a_csv_that_is_not_utf8_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"a,b\n1,2\n3,\xff\n")
    with pytest.raises(CaseFileError) as info:
        list(read_rows(path))
    assert "UTF-8" in str(info.value)


def test_jsonl_lines_that_are_not_objects_are_rows_with_errors(tmp_path: Path) -> None:
    path = write(tmp_path / "x.jsonl", '{"a": 1}\n\nnot json\n[1, 2]\n{"a": 2}\n')
    rows = list(read_rows(path))
    assert [(r.line, r.cells, r.error) for r in rows] == [
        (1, {"a": 1}, ""),
        (3, None, "not a JSON value"),
        (4, None, "a JSON list, not an object"),
        (5, {"a": 2}, ""),
    ]
    assert count_rows(path) == 5


def test_parquet_is_read_a_batch_at_a_time_with_row_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readers, "_BATCH", 3)
    path = tmp_path / "x.parquet"
    table = pa.table({"ref": [f"R{i}" for i in range(10)], "age": list(range(10))})
    pq.write_table(table, path, row_group_size=4)
    rows = list(read_rows(path))
    assert [r.line for r in rows] == list(range(1, 11))
    assert rows[9].cells == {"ref": "R9", "age": 9}
    assert count_rows(path) == 10


def test_a_parquet_file_pyarrow_cannot_read_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CaseFileError, match="not a Parquet file"):
        list(read_rows(write(tmp_path / "x.parquet", "a,b\n")))


def test_the_format_comes_from_the_extension(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"\.xlsx"):
        read_rows(write(tmp_path / "x.xlsx", ""))
    with pytest.raises(CaseFileError, match="no such file"):
        read_rows(tmp_path / "absent.csv")


def test_records_group_consecutive_rows_by_key_and_keep_bad_rows_alone() -> None:
    rows = [
        Row(2, {"k": "A"}),
        Row(3, {"k": "A"}),
        Row(4, None, "(row)", "bad"),
        Row(5, {"k": "A"}),
        Row(6, {"k": ""}),
        Row(7, {"k": ""}),
        Row(8, {"k": "B"}),
    ]
    grouped = [[r.line for r in rec.rows] for rec in records(rows, "k")]
    assert grouped == [[2, 3], [4], [5], [6], [7], [8]]  # a blank key is no key
    assert [rec.line for rec in records(rows)] == [2, 3, 4, 5, 6, 7, 8]
    # A split by the unreadable row: line 5 is not silently a second case A.
    again = list(records(rows, "k"))[2].rows[0]
    assert again.cells is None
    assert again.field == "k"
    assert "began on line 2" in again.error


def test_a_key_seen_again_after_other_keys_is_a_rejected_record_with_all_its_rows() -> None:
    rows = [Row(2, {"k": "A"}), Row(3, {"k": "B"}), Row(4, {"k": "A"}), Row(5, {"k": "A"})]
    out = list(records(rows, "k"))
    assert [rec.line for rec in out] == [2, 3, 4]  # every row is in some record
    rejected = out[2]
    assert rejected.rows[0].cells is None
    assert rejected.rows[0].field == "k"
    assert "'A' began on line 2" in rejected.rows[0].error
    assert "sort the file by k" in (rejected.rows[0].error)
    assert [r.line for r in rejected.rows[1:]] == [5]
    assert [r.cells for r in out[0].rows] == [{"k": "A"}]
