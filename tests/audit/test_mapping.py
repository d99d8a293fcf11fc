"""The mapping file (counting_rules._audit.mapping): validated strictly against the case model,
every problem named by its key; and what it makes of a force's rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from counting_rules import parse_case
from counting_rules._audit.mapping import ColumnError, ForceMapping, load_mapping
from counting_rules.errors import CaseFactsError

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "audit" / "northshire-mapping.yaml"

BASE: dict[str, Any] = {
    "report.id": {"column": "ref"},
    "report.received_at": {"column": "at"},
    "report.reporter.kind": {"constant": "victim"},
    "report.recording_force": {"constant": "kent"},
    "allegations[0].id": {"constant": "A1"},
    "allegations[0].offence": {"column": "offence", "map": {"ASLT": "assault"}},
}


def mapping(fields: dict[str, Any] | None = None, **top: Any) -> ForceMapping:
    return ForceMapping.model_validate({"format": 1, "fields": {**BASE, **(fields or {})}, **top})


def problem(tmp_path: Path, text: str) -> CaseFactsError:
    path = tmp_path / "map.yaml"
    path.write_text(text)
    with pytest.raises(CaseFactsError) as info:
        load_mapping(path)
    return info.value


HEAD = """format: 1
fields:
  report.id: {column: ref}
  report.received_at: {column: at}
  report.reporter.kind: {constant: victim}
  report.recording_force: {constant: kent}
  allegations[0].id: {constant: A1}
  allegations[0].offence: {column: offence}
"""


def test_the_example_mapping_loads() -> None:
    m = load_mapping(EXAMPLE)
    assert m.group_by == "occurrence_ref"
    assert "crime_code" in m.columns


@pytest.mark.parametrize(
    ("extra", "key", "words"),
    [
        ("  victims[0].height: {column: h}\n", "fields.victims[0].height", "not a field of Victim"),
        ("  victims.age: {column: a}\n", "fields.victims.age", "name an item"),
        ("  report[0].id: {column: r}\n", "fields.report[0].id", "not a list"),
        (
            "  allegations[0].injury: {column: i, map: {X: bad}}\n",
            "fields.allegations[0].injury",
            "'bad' is not one of none, minor, abh, serious",
        ),
        (
            "  as_recorded.crimes[{row}].code: {column: c}\n",
            "fields.as_recorded.crimes[{row}].code",
            "needs group_by",
        ),
        (
            "  victims[0].age: {column: a, format: '%d'}\n",
            "fields.victims[0].age",
            "format is for datetime and date",
        ),
        ("  report: {column: r}\n", "fields.report", "name one of its fields"),
    ],
)
def test_a_path_the_case_model_does_not_have_is_named(
    tmp_path: Path, extra: str, key: str, words: str
) -> None:
    err = problem(tmp_path, HEAD + extra)
    assert err.field == key
    assert words in err.message
    assert err.line == HEAD.count("\n") + 1  # the line of the key in the file
    assert str(tmp_path / "map.yaml") in err.message


def test_a_source_is_one_column_or_one_constant(tmp_path: Path) -> None:
    err = problem(tmp_path, HEAD + "  victims[0].age: {column: a, constant: 3}\n")
    assert err.field.startswith("fields.victims[0].age")
    assert "exactly one of column and constant" in err.message
    err = problem(tmp_path, HEAD + "  victims[0].age: {colum: a}\n")
    assert "colum" in err.field


def test_every_required_field_of_an_object_it_fills_is_mapped(tmp_path: Path) -> None:
    text = HEAD.replace("  report.id: {column: ref}\n", "") + "  victims[0].age: {column: a}\n"
    err = problem(tmp_path, text)
    messages = [e.message for e in err.errors]
    assert any("report.id is required" in m for m in messages)
    assert any("victims[0].id is required" in m for m in messages)


def test_unknown_keys_a_bad_timezone_and_clashing_words_are_named(tmp_path: Path) -> None:
    err = problem(tmp_path, HEAD + "colour: red\n")
    assert err.field == "colour"
    err = problem(tmp_path, "timezone: Mars/Olympus\n" + HEAD)
    assert err.field == "timezone"
    assert err.line == 1
    err = problem(tmp_path, "true_values: [Y]\nfalse_values: [y]\n" + HEAD)
    assert err.field == "true_values"


def row(**cells: str) -> dict[str, str]:
    return {"ref": "R1", "at": "2024-07-01 09:30", "offence": "ASLT", **cells}


def test_a_row_becomes_a_case_typed_by_the_case_model() -> None:
    m = mapping(
        {
            "victims[0].id": {"constant": "V1"},
            "victims[0].age": {"column": "age"},
            "victims[0].confirmed": {"column": "conf"},
            "allegations[0].victim": {"constant": "V1"},
            "allegations[0].hostility_perceived": {
                "column": "hate",
                "map": {"NONE": None, "R": "race", "D": "disability"},
            },
            "allegations[0].injury": {"column": "inj", "map": {"X": None, "M": "minor"}},
        },
        true_values=["Y"],
        false_values=["N"],
    ).compiled()
    doc = m.case([row(age="41", conf="Y", hate="R; D", inj="X")])
    case = parse_case(doc)
    assert case.report.received_at.isoformat() == "2024-07-01T09:30:00+01:00"  # London, summer
    assert case.victims[0].age == 41
    assert case.victims[0].confirmed is True
    assert case.allegations[0].hostility_perceived == ("race", "disability")
    assert case.allegations[0].injury is None  # mapped to unknown
    assert case.as_recorded is not None  # always there: an empty one means the force did nothing
    winter = m.case([row(at="2024-01-01 09:30", hate="NONE", age="", conf="", inj="M")])
    assert winter["report"]["received_at"] == "2024-01-01T09:30:00+00:00"
    assert winter["allegations"][0]["hostility_perceived"] == []  # none perceived
    assert winter["victims"] == [{"id": "V1"}]  # a blank cell is unknown


@pytest.mark.parametrize(
    ("cells", "field", "words"),
    [
        ({"at": "31/02/2024"}, "report.received_at", "not a date and time"),
        ({"offence": "BURG"}, "allegations[0].offence", "a code the map does not have"),
        ({"ref": " "}, "report.id", "is empty; it is required"),
        ({"age": "forty"}, "victims[0].age", "not a whole number"),
    ],
)
def test_a_cell_it_cannot_convert_names_the_field_never_the_value(
    cells: dict[str, str], field: str, words: str
) -> None:
    m = mapping(
        {
            "report.id": {"column": "ref", "required": True},
            "victims[0].id": {"constant": "V1"},
            "victims[0].age": {"column": "age"},
        }
    ).compiled()
    with pytest.raises(ColumnError) as info:
        m.case([row(**cells)])
    assert info.value.field == field
    assert words in str(info.value)
    for value in cells.values():
        if value.strip():
            assert value not in str(info.value)


def test_a_record_item_no_column_filled_is_left_out_and_rows_of_one_case_are_items() -> None:
    m = mapping(
        {
            "victims[0].id": {"constant": "V1"},
            "as_recorded.crimes[{row}].allegation": {"constant": "A1"},
            "as_recorded.crimes[{row}].code": {"column": "code"},
            "as_recorded.incident.closing_code": {"column": "closed"},
        },
        group_by="ref",
    ).compiled()
    none = m.case([row(code="", closed="")])
    assert none["as_recorded"] == {}
    two = m.case([row(code="105A", closed="ADV"), row(code="8N", closed="")])
    assert [c["code"] for c in two["as_recorded"]["crimes"]] == ["105A", "8N"]
    assert two["as_recorded"]["incident"] == {"closing_code": "ADV"}
    gap = m.case([row(code="", closed=""), row(code="8N", closed="")])
    assert gap["as_recorded"]["crimes"] == [{"allegation": "A1", "code": "8N"}]


def test_an_optional_item_no_column_filled_is_left_out() -> None:
    fields = {
        "evidence[0].id": {"constant": "E1"},
        "evidence[0].allegation": {"constant": "A1"},
        "evidence[0].kind": {"constant": "additional_verifiable_information"},
        "evidence[0].basis": {"column": "basis", "map": {"CCTV": "cctv"}},
    }
    kept = mapping(fields).compiled().case([row(basis="")])
    assert kept["evidence"] == [fields_of_constants()]
    left = mapping(fields, optional_items=["evidence[0]"]).compiled()
    assert "evidence" not in left.case([row(basis="")])
    assert left.case([row(basis="CCTV")])["evidence"][0]["basis"] == "cctv"
    with pytest.raises(ValueError, match=r"optional_items\.0"):
        mapping(fields, optional_items=["victims[0]"])


def fields_of_constants() -> dict[str, str]:
    return {"id": "E1", "allegation": "A1", "kind": "additional_verifiable_information"}


def test_a_missing_column_names_it() -> None:
    m = mapping({"victims[0].id": {"constant": "V1"}, "victims[0].age": {"column": "age"}})
    with pytest.raises(ColumnError, match="no column 'age'"):
        m.compiled().case([row()])


def test_typed_cells_from_parquet_or_json_are_taken_as_they_are() -> None:
    from datetime import datetime

    m = mapping(
        {
            "victims[0].id": {"constant": "V1"},
            "victims[0].age": {"column": "age"},
            "victims[0].confirmed": {"column": "conf"},
        }
    ).compiled()
    doc = m.case(
        [
            {
                "ref": 17,
                "at": datetime(2024, 7, 1, 9, 30),
                "offence": "ASLT",
                "age": 41.0,
                "conf": True,
            }
        ]
    )
    assert doc["report"]["id"] == "17"
    assert doc["report"]["received_at"] == "2024-07-01T09:30:00+01:00"  # naive: the timezone
    assert doc["victims"][0] == {"id": "V1", "age": 41, "confirmed": True}
    with pytest.raises(ColumnError, match="not a whole number"):
        m.case(
            [{"ref": "R", "at": "2024-07-01 09:30", "offence": "ASLT", "age": 41.5, "conf": None}]
        )
