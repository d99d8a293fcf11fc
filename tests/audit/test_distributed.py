"""The audit on Dask: a partitioned dataset audited by a local cluster of worker processes gives
the same statistics, findings and accounting as one pass on one machine over the same rows."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from distributed import LocalCluster

from counting_rules._audit.distributed import partitions, run_audit_on_dask
from counting_rules._audit.mapping import load_mapping
from counting_rules._audit.run import Options, run_audit
from counting_rules.cli import main
from counting_rules.errors import UsageError

# distributed leaves sockets of closed comms to the garbage collector; not this project's leak.
pytestmark = pytest.mark.filterwarnings(
    "ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning"
)

ROOT = Path(__file__).parents[2]
EXPORT = ROOT / "examples" / "audit" / "northshire-export.csv"
MAPPING = ROOT / "examples" / "audit" / "northshire-mapping.yaml"
ROWS = len(EXPORT.read_text().splitlines()) - 1  # the header is not a row


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """One local cluster of two worker processes for the module (starting one costs seconds)."""
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster:
        yield str(cluster.scheduler_address)


def split(folder: Path, parts: int) -> list[Path]:
    """The example export in ``parts`` CSV files, each with the header, never splitting the
    rows of one occurrence (the mapping's group_by)."""
    with EXPORT.open(newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    groups: list[list[list[str]]] = []
    for row in body:
        if groups and groups[-1][0][0] == row[0]:
            groups[-1].append(row)
        else:
            groups.append([row])
    folder.mkdir()
    files = []
    size = -(-len(groups) // parts)
    for i in range(parts):
        path = folder / f"month-{i:02d}.csv"
        with path.open("w", newline="") as f:
            w = csv.writer(f)
            w.writerow(header)
            for group in groups[i * size : (i + 1) * size]:
                w.writerows(group)
        files.append(path)
    return files


def summary(out: Path) -> dict[str, Any]:
    doc = json.loads((out / "summary.json").read_text())
    for key in ("input", "partitions", "scheduler"):
        doc.pop(key, None)
    doc["options"].pop("workers")  # how it ran, not what it found
    return doc


def findings_by_id(out: Path) -> dict[str, Any]:
    lines = [orjson.loads(x) for x in (out / "findings.jsonl").read_bytes().splitlines()]
    return {d["id"]: d["findings"] for d in lines}


def rejected_fields(out: Path) -> list[str]:
    lines = [orjson.loads(x) for x in (out / "rejected.jsonl").read_bytes().splitlines()]
    return sorted(d["field"] for d in lines)


def test_partitions_on_a_cluster_give_the_single_machine_statistics(
    tmp_path: Path, scheduler: str
) -> None:
    options = Options(mapping=load_mapping(str(MAPPING)))
    one = run_audit(EXPORT, tmp_path / "one", options)
    split(tmp_path / "lake", 3)
    many = run_audit_on_dask(tmp_path / "lake", tmp_path / "many", options, scheduler=scheduler)
    assert many.summary == one.summary
    assert many.accounting == one.accounting
    assert many.accounting.rows_read == ROWS
    assert summary(tmp_path / "many") == summary(tmp_path / "one")
    assert findings_by_id(tmp_path / "many") == findings_by_id(tmp_path / "one")
    assert rejected_fields(tmp_path / "many") == rejected_fields(tmp_path / "one")


def test_each_output_line_names_its_partition_in_partition_order(
    tmp_path: Path, scheduler: str
) -> None:
    files = split(tmp_path / "lake", 4)
    options = Options(mapping=load_mapping(str(MAPPING)))
    run_audit_on_dask(tmp_path / "lake", tmp_path / "out", options, scheduler=scheduler)
    lines = [
        orjson.loads(x) for x in (tmp_path / "out" / "findings.jsonl").read_bytes().splitlines()
    ]
    names = [d["partition"] for d in lines]
    assert set(names) <= {p.name for p in files}
    assert names == sorted(names)  # partition order, whatever order they finished in
    doc = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert doc["partitions"] == 4
    assert doc["scheduler"] == "dask"


def test_a_local_cluster_is_started_when_no_scheduler_is_given(tmp_path: Path) -> None:
    split(tmp_path / "lake", 2)
    options = Options(mapping=load_mapping(str(MAPPING)), workers=2)
    run = run_audit_on_dask(tmp_path / "lake", tmp_path / "out", options)
    assert run.accounting.rows_read == ROWS
    doc = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert (doc["scheduler"], doc["options"]["workers"]) == ("local", 2)


def test_the_cli_runs_the_audit_on_dask(
    tmp_path: Path, scheduler: str, capsys: pytest.CaptureFixture[str]
) -> None:
    split(tmp_path / "lake", 2)
    code = main(
        [
            "audit",
            str(tmp_path / "lake"),
            "--mapping",
            str(MAPPING),
            "--out",
            str(tmp_path / "out"),
            "--dask",
            scheduler,
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "decided" in out
    assert (tmp_path / "out" / "summary.json").exists()
    html = (tmp_path / "out" / "report.html").read_text()
    assert "Crime data integrity audit" in html
    assert (tmp_path / "out" / "report.md").exists()


def test_a_dataset_must_be_files_of_one_format(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError, match="no partition files"):
        partitions(tmp_path / "empty")
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    (mixed / "a.csv").write_text("x\n")
    (mixed / "b.jsonl").write_text("{}\n")
    with pytest.raises(UsageError, match="mix formats"):
        partitions(mixed)
    (mixed / "b.jsonl").unlink()
    (mixed / "notes.txt").write_text("")
    with pytest.raises(UsageError, match=r"notes\.txt is not a CSV"):
        partitions(mixed)
    with pytest.raises(UsageError, match="no such file"):
        partitions(tmp_path / "missing")
