"""``counting-rules audit`` end to end: the example export gives the findings its rows were
made to give, every row is accounted for, any number of workers gives the same summary, the
outputs hold no personal data, and Ctrl-C stops it cleanly."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from counting_rules._audit import run as audit_run
from counting_rules._cli.exits import INTERRUPTED
from counting_rules.cli import main
from tests.audit.test_findings import PUB, faithful

ROOT = Path(__file__).parents[2]
EXPORT = ROOT / "examples" / "audit" / "northshire-export.csv"
MAPPING = ROOT / "examples" / "audit" / "northshire-mapping.yaml"

# What each of the example's rows was made to show (docs/how-to/run-an-audit.md).
EXPECTED_FINDINGS = {
    "crime_not_recorded": 5,
    "wrong_classification": 1,
    "wrong_count": 1,
    "recorded_late": 2,
    "n100_instead_of_crime": 1,
    "n100_not_converted": 1,
    "c4_for_substantive_crime": 1,
    "cancellation_not_allowed": 2,
    "wrong_decider": 1,
    "victim_not_told": 1,
    "incident_closed_without_crime": 1,
    "cannot_judge": 2,
}
EXPECTED_REJECTED = [
    (34, "report.received_at"),
    (35, "allegations[0].offence"),
    (36, "victims[0].age"),
    (37, "as_recorded.crimes[0].code"),
]


def audit(
    capsys: pytest.CaptureFixture[str], out: Path, *args: str, records: Path = EXPORT
) -> tuple[int, str, str]:
    code = main(["audit", str(records), "--out", str(out), *args])
    o, e = capsys.readouterr()
    return code, o, e


def outputs(out: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    findings = [orjson.loads(x) for x in (out / "findings.jsonl").read_bytes().splitlines()]
    rejected = [orjson.loads(x) for x in (out / "rejected.jsonl").read_bytes().splitlines()]
    return findings, rejected, json.loads((out / "summary.json").read_text())


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("audit") / "out"
    assert main(["audit", str(EXPORT), "--mapping", str(MAPPING), "--out", str(out)]) == 0
    return out


def test_the_example_export_gives_the_findings_it_was_made_to_give(example: Path) -> None:
    findings, rejected, summary = outputs(example)
    assert summary["statistics"]["findings"] == EXPECTED_FINDINGS
    counted: dict[str, int] = {}
    for line in findings:
        for f in line["findings"]:
            counted[f["kind"]] = counted.get(f["kind"], 0) + 1
    assert counted == EXPECTED_FINDINGS
    assert [(r["line"], r["field"]) for r in rejected] == EXPECTED_REJECTED
    late = next(x for x in findings if x["id"] == "NS24-0121")
    assert late["line"] == 13
    (f,) = late["findings"]
    assert f["kind"] == "recorded_late"
    assert f["reasons"]
    assert all(r["citation"]["url"].startswith("https://") for r in f["reasons"])
    assert all("facts" not in r for r in f["reasons"])  # the record's own facts stay out
    report = json.loads((example / "report.json").read_text())
    assert (example / "report.html").read_text().count("NS24-0121") >= 1  # linked exception
    assert json.dumps(report).count("recorded_late") >= 1


def test_every_row_is_accounted_for(example: Path) -> None:
    findings, rejected, summary = outputs(example)
    with EXPORT.open(newline="") as f:
        rows = sum(1 for _ in csv.DictReader(f))
    accounting = summary["accounting"]
    assert accounting["rows_read"] == rows == 36
    assert accounting["rows_decided"] + accounting["rows_rejected"] == rows
    assert accounting["records_decided"] == len(findings) == 31  # one report is two rows
    assert accounting["records_rejected"] == len(rejected) == 4
    records = summary["summary"]["records"]
    assert (records["decided"], records["rejected"]) == (31, 4)
    assert summary["interrupted"] is False


def test_the_statistics_of_the_example(example: Path) -> None:
    _, _, summary = outputs(example)
    stats = summary["statistics"]
    rate = stats["recording_rate"]
    assert (rate["correct"], rate["checked"]) == (25, 30)
    assert rate["wilson"]["lower"] < 25 / 30 < rate["wilson"]["upper"]
    violence = stats["recording_rate_by_group"]["violence"]
    assert (violence["correct"], violence["checked"]) == (15, 17)
    assert stats["n100_accuracy"]["correct"] == 1  # of the three N100s, one was converted
    assert stats["n100_accuracy"]["checked"] == 3
    assert stats["victim_notification_accuracy"]["correct"] == 2
    assert stats["victim_notification_accuracy"]["checked"] == 3
    assert sum(stats["hours_to_record"].values()) == stats["timeliness"]["checked"]


def test_rejected_rows_name_the_field_and_never_the_value(example: Path) -> None:
    text = (example / "rejected.jsonl").read_text()
    for value in ("31/02/2024", "BURG", "thirty", "CODE?"):
        assert value not in text
    assert "NS24-09" not in text  # not even the reference


def test_any_number_of_workers_gives_the_same_outputs(
    capsys: pytest.CaptureFixture[str], example: Path, tmp_path: Path
) -> None:
    code, _, _ = audit(capsys, tmp_path / "w2", "--mapping", str(MAPPING), "--workers", "2")
    assert code == 0
    one, two = outputs(example), outputs(tmp_path / "w2")
    assert one[0] == two[0]
    assert one[1] == two[1]
    assert one[2]["summary"] == two[2]["summary"]
    assert one[2]["statistics"] == two[2]["statistics"]


def test_a_parquet_export_gives_the_same_summary(
    capsys: pytest.CaptureFixture[str], example: Path, tmp_path: Path
) -> None:
    with EXPORT.open(newline="") as f:
        rows = list(csv.DictReader(f))
    path = tmp_path / "export.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path)
    code, _, _ = audit(capsys, tmp_path / "pq", "--mapping", str(MAPPING), records=path)
    assert code == 0
    assert outputs(tmp_path / "pq")[2]["summary"] == outputs(example)[2]["summary"]


def test_jsonl_of_case_documents_needs_no_mapping(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "cases.jsonl"
    right = {**PUB, "as_recorded": faithful(PUB)}
    missed = {**PUB, "report": {**PUB["report"], "id": "c2"}, "as_recorded": {}}
    no_record = {**PUB, "report": {**PUB["report"], "id": "c3"}}
    lines = [json.dumps(d, default=str) for d in (right, missed, no_record)] + ["[]"]
    path.write_text("\n".join(lines) + "\n")
    code, out, _ = audit(capsys, tmp_path / "out", records=path)
    assert code == 0
    findings, rejected, _ = outputs(tmp_path / "out")
    assert [len(x["findings"]) for x in findings] == [0, 1]
    assert [(r["line"], r["field"]) for r in rejected] == [(3, "as_recorded"), (4, "(line)")]
    assert "4 row(s) read: 2 decided" in out


def test_a_csv_needs_a_mapping_and_earlier_outputs_are_kept(
    capsys: pytest.CaptureFixture[str], example: Path
) -> None:
    code, _, err = audit(capsys, example / "again")
    assert code == 65
    assert "--mapping" in err
    code, _, err = audit(capsys, example, "--mapping", str(MAPPING))
    assert code == 73
    assert "already holds" in err


def test_a_bad_mapping_names_its_key(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "map.yaml"
    bad.write_text(MAPPING.read_text().replace("victims[0].age:", "victims[0].agee:"))
    code, _, err = audit(capsys, tmp_path / "out", "--mapping", str(bad))
    assert code == 65
    assert "fields.victims[0].agee" in err
    assert "not a field of Victim" in err


def test_ctrl_c_stops_cleanly_with_what_was_finished(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"n": 0}
    real = audit_run._Auditor.chunk

    def interrupted(self: audit_run._Auditor, batch: list[Any]) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real(self, batch)

    monkeypatch.setattr(audit_run._Auditor, "chunk", interrupted)
    batches = audit_run._batches
    monkeypatch.setattr(audit_run, "_batches", lambda items, size: batches(items, 10))
    code, _, err = audit(capsys, tmp_path / "out", "--mapping", str(MAPPING))
    assert code == INTERRUPTED
    assert "stopped by Ctrl-C" in err
    findings, rejected, summary = outputs(tmp_path / "out")
    assert summary["interrupted"] is True
    assert summary["accounting"]["rows_read"] == len(findings) + len(rejected) == 10


@pytest.mark.parametrize("evaluator", ["durable", "batch"])
def test_the_other_evaluators_give_the_same_audit(
    capsys: pytest.CaptureFixture[str], example: Path, tmp_path: Path, evaluator: str
) -> None:
    out = tmp_path / evaluator
    code, _, _ = audit(capsys, out, "--mapping", str(MAPPING), "--evaluator", evaluator)
    assert code == 0
    other, reference = outputs(out), outputs(example)
    assert other[0] == reference[0]
    assert other[1] == reference[1]
    assert other[2]["summary"] == reference[2]["summary"]
    assert other[2]["options"]["evaluator"] == evaluator


def test_a_terminal_gets_a_progress_bar_and_a_pipe_none(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = audit(capsys, tmp_path / "quiet", "--mapping", str(MAPPING))
    assert code == 0
    assert err == ""  # not a terminal: nothing on stderr
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    code, _, err = audit(capsys, tmp_path / "bar", "--mapping", str(MAPPING))
    assert code == 0
    assert "36/36" in err  # rows done of the rows counted
    assert "rows/s" in err
