"""The input boundary through the API: JSON text, Python mappings, CaseFacts instances and case
files each give a CaseFacts or a typed error naming the field (issue 8, items 6-10)."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from counting_rules import (
    CaseFacts,
    CaseFactsError,
    CaseFileError,
    Limits,
    UsageError,
    decide,
    parse_case,
)
from counting_rules._case.files import load_case_file

from .cases import report

NOW = datetime(2024, 3, 4, 12, 0, tzinfo=UTC)
CASE: dict[str, Any] = {
    "report": report(),
    "victims": [{"id": "V1", "age": 34}, {"id": "V2"}],
    "offenders": [{"id": "O1", "relationships": [{"victim": "V1", "kind": "stranger"}]}],
    "allegations": [
        {"id": "A1", "offence": "assault", "victim": "V1", "offenders": ["O1"]},
        {"id": "A2", "offence": "theft", "victim": "V2"},
    ],
}


def case(**changes: Any) -> dict[str, Any]:
    doc = copy.deepcopy(CASE)
    doc.update(changes)
    return doc


def error(data: Any, **kw: Any) -> CaseFactsError:
    with pytest.raises(CaseFactsError) as err:
        parse_case(data, now=NOW, **kw)
    return err.value


# ---------------------------------------------------------------- item 6: duplicate JSON keys


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('{"report": {}, "allegations": [], "allegations": []}', "allegations"),
        ('{"report": {"id": "R1", "id": "R2"}, "allegations": []}', "report.id"),
        (
            json.dumps(CASE).replace(
                '"offence": "assault"', '"offence": "assault", "offence": "x"'
            ),
            "allegations[A1].offence",
        ),
    ],
)
def test_duplicate_json_keys_at_any_depth_are_refused(text: str, field: str) -> None:
    err = error(text)
    assert err.field == field
    assert "duplicate key" in err.message
    assert error(text.encode()).field == field  # bytes too


# ---------------------------------------------------------------- item 8: Python objects


def test_a_mapping_may_hold_aware_datetimes_dates_and_tuples() -> None:
    doc = case()
    doc["report"]["received_at"] = datetime(2024, 3, 4, 10, tzinfo=UTC)
    doc["allegations"][0]["occurred_on"] = date(2024, 3, 3)
    doc["allegations"][0]["offenders"] = ("O1",)
    got = parse_case(doc, now=NOW)
    assert got.report.received_at == datetime(2024, 3, 4, 10, tzinfo=UTC)
    assert got.allegations[0].occurred_on == date(2024, 3, 3)
    assert decide(doc, evaluator="reference").case_id == "R1"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ({"race"}, "a set is not case data (give a list)"),
        (Decimal("3"), "a Decimal is not case data"),
        (object(), "a object is not case data"),
        (b"race", "a bytes is not case data"),
        (10**5000, "integer out of range"),
        (float("nan"), "not a finite number"),
        (datetime(2024, 3, 4), "without a timezone"),
    ],
    ids=["set", "decimal", "object", "bytes", "huge-int", "nan", "naive-datetime"],
)
def test_other_python_objects_are_refused_at_their_field(value: object, text: str) -> None:
    doc = case()
    doc["allegations"][0]["hostility_perceived"] = value
    err = error(doc)
    assert err.field == "allegations[A1].hostility_perceived"
    assert text in err.message


def test_non_text_keys_and_non_mappings_are_refused() -> None:
    doc = case()
    doc["victims"][0][3] = "x"
    assert error(doc).field == "victims[V1]"
    assert "a case is a mapping" in error([CASE]).message
    assert "a case is a mapping" in error(None).message


@pytest.mark.parametrize("depth", [40, 5000])
def test_deep_nesting_is_a_limit_in_json_text_and_in_mappings(depth: int) -> None:
    assert "Limits.depth" in error("[" * depth + "]" * depth).message
    nested: Any = []
    for _ in range(depth):
        nested = [nested]
    assert "Limits.depth" in error(case(evidence=nested)).message
    loop = case()
    loop["report"]["reporter"]["self"] = loop
    assert "Limits.depth" in error(loop).message


def test_model_construct_and_model_copy_are_revalidated_by_decide() -> None:
    good = parse_case(CASE, now=NOW)
    assert decide(good, evaluator="reference").case_id == "R1"
    with pytest.raises(CaseFactsError, match="allegations: Field required"):
        decide(CaseFacts.model_construct(report=good.report), evaluator="reference")
    with pytest.raises(CaseFactsError, match="at least 1 item"):
        decide(good.model_copy(update={"allegations": ()}), evaluator="reference")
    with pytest.raises(CaseFactsError) as err:
        decide(good.model_copy(update={"victims": ({"id": "V1", "age": "x"},)}))
    assert err.value.field == "victims[V1].age"
    bad_victim = good.victims[0].model_copy(update={"age": 500})
    with pytest.raises(CaseFactsError) as err:
        decide(good.model_copy(update={"victims": (bad_victim, good.victims[1])}))
    assert err.value.field == "victims[V1].age"


def test_a_bad_evaluator_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="evaluator must be") as err:
        decide(CASE, evaluator="nope")  # type: ignore[arg-type]
    assert isinstance(err.value, ValueError)  # as before, for callers that caught ValueError
    assert err.value.exit_code == 64


# ---------------------------------------------------------------- item 9: limits


@pytest.mark.parametrize(
    ("limits", "where", "field"),
    [
        (Limits(victims=1), "victims", "victims"),
        (Limits(allegations=1), "allegations", "allegations"),
        (Limits(offenders=0), "offenders", "offenders"),
        (Limits(relationships=0), "relationships", "offenders[O1].relationships"),
    ],
)
def test_each_list_limit_names_itself_and_the_value(limits: Limits, where: str, field: str) -> None:
    err = error(CASE, limits=limits)
    assert err.field == field
    assert f"(Limits.{where})" in err.message
    assert "items is more than the limit of" in err.message


def test_default_limits_and_the_remaining_caps() -> None:
    assert Limits().file_bytes == 1024 * 1024
    assert (Limits().allegations, Limits().victims, Limits().evidence) == (100, 50, 400)
    many = case(
        evidence=[
            {"id": f"E{i}", "allegation": "A1", "kind": "additional_verifiable_information"}
            for i in range(401)
        ]
    )
    assert "(Limits.evidence)" in error(many).message
    doc = case()
    doc["allegations"][0]["hostility_perceived"] = ["race"] * 11
    assert "(Limits.hostility_strands)" in error(doc).message
    doc = case()
    doc["victims"][0]["ethnicity"] = "x" * 2001
    assert "longer than the limit of 2000 (Limits.string_chars)" in error(doc).message
    assert "(Limits.file_bytes)" in error(json.dumps(CASE), limits=Limits(file_bytes=100)).message
    big = parse_case(many, limits=Limits(evidence=1000), now=NOW)  # a batch user raises a cap
    assert len(big.evidence) == 401


def test_a_large_file_is_refused_after_a_bounded_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("report: x\n" + "# padding\n" * 200_000)
    with pytest.raises(CaseFileError, match=r"larger than the limit of 1048576 bytes"):
        load_case_file(path)
    if Path("/dev/zero").exists():
        with pytest.raises(CaseFileError, match=r"Limits\.file_bytes"):
            load_case_file("/dev/zero", limits=Limits(file_bytes=1000))


# ---------------------------------------------------------------- item 7: YAML 1.2, nothing more


@pytest.mark.parametrize(
    ("line", "field", "text"),
    [
        ("    age: 015", "victims[V1].age", "valid integer"),
        ("    age: 0x1F", "victims[V1].age", "valid integer"),
        ("    confirmed: yes", "victims[V1].confirmed", "valid boolean"),
        ("    confirmed: off", "victims[V1].confirmed", "valid boolean"),
        ("    age: 1:20", "victims[V1].age", "valid integer"),
        ("    age: !!int 34", "victims[V1].age", "tags"),
        ("    ethnicity: !!binary aGVsbG8=", "victims[V1].ethnicity", "tags"),
        ("    ethnicity: !custom W1", "victims[V1].ethnicity", "tags"),
        ("    ethnicity: !!set {a, b}", "victims[V1].ethnicity", "tags"),
        ("    age: 1" + "0" * 30, "victims[V1].age", "integer out of range"),
    ],
)
def test_yaml_scalars_never_coerce(tmp_path: Path, line: str, field: str, text: str) -> None:
    path = tmp_path / "case.yaml"
    doc = [
        "report: {id: R1, received_at: 2024-03-04T10:00:00Z, reporter: {kind: victim},",
        "  recording_force: kent}",
        "victims:",
        "  - id: V1",
        line,
        "allegations: [{id: A1, offence: assault, victim: V1}]",
    ]
    path.write_text("\n".join(doc) + "\n")
    with pytest.raises(CaseFactsError) as err:
        load_case_file(path)
    assert (err.value.field, err.value.line) == (field, 5)
    assert text in err.value.message


def test_yaml_1_2_directive_and_plain_json_are_read(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text("%YAML 1.2\n---\n" + json.dumps(CASE) + "\n")
    assert load_case_file(path).victims[0].age == 34
    path.write_text("%TAG !e! tag:example.com,2000:\n---\n" + json.dumps(CASE) + "\n")
    with pytest.raises(CaseFactsError, match="%TAG"):
        load_case_file(path)
    path.write_text(json.dumps(CASE) + "\n---\n" + json.dumps(CASE) + "\n")
    with pytest.raises(CaseFactsError, match="more than one document"):
        load_case_file(path)


# ---------------------------------------------------------------- item 10: across fields


def at(day: int, hour: int = 10) -> str:
    return datetime(2024, 3, day, hour, tzinfo=UTC).isoformat()


@pytest.mark.parametrize(
    ("section", "index", "values", "field", "text"),
    [
        ("allegations", 0, {"occurred_on": "2024-03-05"}, "allegations[A1].occurred_on", "after"),
        ("allegations", 0, {"recorded_at": at(4, 9)}, "allegations[A1].recorded_at", "before"),
        ("allegations", 1, {"reported_at": at(3)}, "allegations[A2].reported_at", "before"),
        ("victims", 1, {"confirmed_at": at(1)}, "victims[V2].confirmed_at", "before"),
        (
            "allegations",
            0,
            {"reported_at": at(4, 11), "recorded_at": at(4, 10)},
            "allegations[A1].recorded_at",
            "before allegations[A1].reported_at",
        ),
        ("allegations", 0, {"offenders": ["O1", "O1"]}, "allegations[A1].offenders", "O1 more"),
    ],
)
def test_cross_field_checks_name_the_field_by_id(
    section: str, index: int, values: dict[str, Any], field: str, text: str
) -> None:
    doc = case()
    doc[section][index].update(values)
    err = error(doc)
    assert err.field == field
    assert text in err.message


def test_received_in_the_future_allows_five_minutes_of_clock_skew() -> None:
    doc = case()
    doc["report"]["received_at"] = (NOW + timedelta(minutes=4)).isoformat()
    assert parse_case(doc, now=NOW).report.id == "R1"
    doc["report"]["received_at"] = (NOW + timedelta(minutes=6)).isoformat()
    err = error(doc)
    assert err.field == "report.received_at"
    assert "in the future" in err.message


def test_every_problem_is_reported_at_once_each_with_its_line(tmp_path: Path) -> None:
    doc = case()
    doc["victims"][0]["age"] = "34"
    doc["victims"][1]["sex"] = "x"
    doc["allegations"][1]["victim"] = "V9"
    err = error(doc)
    fields = [e.field for e in err.errors]
    assert fields == ["victims[V1].age", "victims[V2].sex"]  # the model's errors come first
    assert "and 1 more" in err.message
    path = tmp_path / "case.yaml"
    path.write_text(json.dumps(doc, indent=1))
    with pytest.raises(CaseFactsError) as from_file:
        load_case_file(path)
    lines = path.read_text().splitlines()
    got = {e.field: e.line for e in from_file.value.errors}
    assert lines[got["victims[V1].age"] - 1].strip() == '"age": "34"'
    assert lines[got["victims[V2].sex"] - 1].strip() == '"sex": "x"'
    refs = error(
        case(allegations=[{"id": "A1", "offence": "assault", "victim": "V8", "offenders": ["O9"]}])
    )
    assert [e.field for e in refs.errors] == [
        "allegations[A1].victim",
        "allegations[A1].offenders[0]",
    ]


def test_why_not_revalidates_a_copied_case_too() -> None:
    from counting_rules import why_not

    good = parse_case(CASE, now=NOW)
    with pytest.raises(CaseFactsError, match="at least 1 item"):
        why_not(good.model_copy(update={"allegations": ()}), "x/y")


@pytest.mark.parametrize("bad", [{"depth": 10_000}, {"depth": 0}, {"victims": -1}, {"keys": 1.5}])
def test_limits_themselves_are_checked(bad: dict[str, Any]) -> None:
    with pytest.raises(UsageError, match="Limits"):
        Limits(**bad)


def test_an_invalid_only_item_is_one_problem_not_also_a_list_too_short() -> None:
    bad = copy.deepcopy(CASE)
    bad["allegations"][0]["injury"] = "bruised"
    with pytest.raises(CaseFactsError) as err:
        parse_case(bad, now=NOW)
    assert [e.field for e in err.value.errors] == ["allegations[A1].injury"]
