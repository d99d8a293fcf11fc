"""``counting-rules audit sample``: a stratified sample that the same seed draws again, its
strata sizes, and the stratum-weighted recording rate they give the audit."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from counting_rules._audit.mapping import load_mapping
from counting_rules._audit.sample import allocate, draw_sample
from counting_rules._audit.statistics import stratified
from counting_rules.cli import main
from counting_rules.errors import UsageError

ROOT = Path(__file__).parents[2]
EXPORT = ROOT / "examples" / "audit" / "northshire-export.csv"
MAPPING = ROOT / "examples" / "audit" / "northshire-mapping.yaml"


def sample(capsys: pytest.CaptureFixture[str], out: Path, *args: str) -> int:
    code = main(["audit", "sample", str(EXPORT), "--out", str(out), *args])
    capsys.readouterr()
    return code


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


def test_the_same_seed_draws_the_same_sample(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    args = ("--mapping", str(MAPPING), "--by", "group", "--size", "12")
    assert sample(capsys, tmp_path / "a.csv", *args, "--seed", "7") == 0
    assert sample(capsys, tmp_path / "b.csv", *args, "--seed", "7") == 0
    assert sample(capsys, tmp_path / "c.csv", *args, "--seed", "8") == 0
    a, b, c = (tmp_path / n for n in ("a.csv", "b.csv", "c.csv"))
    assert a.read_bytes() == b.read_bytes()
    assert (tmp_path / "a.strata.json").read_bytes() == (tmp_path / "b.strata.json").read_bytes()
    assert a.read_bytes() != c.read_bytes()


def test_the_sample_is_rows_of_the_population_in_order_with_its_strata(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "s.csv"
    assert (
        sample(
            capsys, out, "--mapping", str(MAPPING), "--by", "group", "--size", "12", "--seed", "3"
        )
        == 0
    )
    population = rows(EXPORT)
    drawn = rows(out)
    refs = [r["occurrence_ref"] for r in population]
    positions = [population.index(r) for r in drawn]
    assert positions == sorted(positions)  # input order, each a row of the population
    strata = json.loads((tmp_path / "s.strata.json").read_text())
    assert strata["by"] == "group"
    assert strata["population"] == 35  # records: one report is two rows
    sizes = strata["strata"]
    assert sum(s["sample"] for s in sizes.values()) == 12
    # 17 assault reports and one whose crime code is bad (the audit rejects it, not the
    # mapping); three rows the mapping cannot read are a stratum of their own.
    assert sizes["violence"]["population"] == 18
    assert sizes["(unmapped)"]["population"] == 3
    assert set(sizes) == {"violence", "rape", "other", "(unmapped)"}
    # A report of two rows is drawn whole, or not at all.
    assert refs.count("NS24-0131") == 2
    assert [r["occurrence_ref"] for r in drawn].count("NS24-0131") in (0, 2)


def test_fixed_allocation_and_a_column_stratum(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "f.csv"
    assert (
        sample(
            capsys, out, "--by", "offence", "--size", "2", "--seed", "1", "--allocation", "fixed"
        )
        == 0
    )
    strata = json.loads((tmp_path / "f.strata.json").read_text())["strata"]
    assert {h: s["sample"] for h, s in strata.items()} == {
        "ASLT": 2,
        "BURG": 1,
        "PUBO": 2,
        "RAPE": 2,
        "THFT": 2,
    }
    # With no mapping there is no group_by: every row is a record of its own.
    assert len(rows(out)) == 9


def test_proportional_allocation_adds_up_exactly() -> None:
    assert allocate({"a": 10, "b": 10, "c": 10}, 10, "proportional") == {"a": 4, "b": 3, "c": 3}
    assert sum(allocate({"a": 7, "b": 5, "c": 1}, 9, "proportional").values()) == 9
    assert allocate({"a": 2}, 5, "proportional") == {"a": 2}
    assert allocate({"a": 3, "b": 1}, 2, "fixed") == {"a": 2, "b": 1}


def test_the_stratified_estimate_of_a_sample(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "s.csv"
    assert (
        sample(
            capsys, out, "--mapping", str(MAPPING), "--by", "group", "--size", "20", "--seed", "5"
        )
        == 0
    )
    strata_file = tmp_path / "s.strata.json"
    code = main(
        [
            "audit",
            str(out),
            "--mapping",
            str(MAPPING),
            "--out",
            str(tmp_path / "a"),
            "--strata",
            str(strata_file),
        ]
    )
    capsys.readouterr()
    assert code == 0
    summary = json.loads((tmp_path / "a" / "summary.json").read_text())
    tallies = summary["summary"]["strata"]
    sizes = json.loads(strata_file.read_text())["strata"]
    expected = stratified(
        [
            (sizes[h]["population"], t["checked"], t["correct"])
            for h, t in sorted(tallies.items())
            if t["checked"]
        ]
    )
    got = summary["statistics"]["stratified_recording_rate"]
    assert got["share"] == pytest.approx(expected.share)
    assert got["lower"] == pytest.approx(expected.lower)


def test_bad_requests_are_refused(tmp_path: Path) -> None:
    mapping = load_mapping(MAPPING)
    with pytest.raises(UsageError, match="population's format"):
        draw_sample(EXPORT, tmp_path / "s.jsonl", by="group", size=3, seed=1, mapping=mapping)
    with pytest.raises(UsageError, match="needs the mapping"):
        draw_sample(EXPORT, tmp_path / "s.csv", by="group", size=3, seed=1)
    with pytest.raises(UsageError, match="overwrite"):
        draw_sample(EXPORT, EXPORT, by="offence", size=3, seed=1)
