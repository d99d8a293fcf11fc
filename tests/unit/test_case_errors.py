"""Every problem of a bad case at once: by id, with a did-you-mean and a fix for each."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from counting_rules import CaseFactsError, decide, load_case, parse_case

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "cases" / "punched_outside_pub.yaml"


def example() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["report"]["received_at"] = data["report"]["received_at"].isoformat()
    return data


def three_errors() -> dict[str, Any]:
    """A misspelt field, a misspelt value and a number out of range, in three places."""
    data = example()
    data["allegations"][0]["injry"] = data["allegations"][0].pop("injury")
    data["report"]["channel"] = "non_emergncy_call"
    data["victims"][0]["age"] = -3
    return data


def errors_of(data: Any) -> CaseFactsError:
    with pytest.raises(CaseFactsError) as err:
        parse_case(data)
    return err.value


def test_a_case_with_three_errors_reports_all_three_by_id_with_a_did_you_mean() -> None:
    err = errors_of(three_errors())
    by_field = {e.field: e for e in err.errors}
    assert set(by_field) == {"allegations[A1].injry", "report.channel", "victims[V1].age"}
    assert by_field["allegations[A1].injry"].fix == "did you mean 'injury'?"
    assert by_field["report.channel"].fix == "did you mean 'non_emergency_call'?"
    assert by_field["victims[V1].age"].fix == "give a whole number from 0 to 130"
    assert [e.one_line() for e in err.errors] == err.each()
    with pytest.raises(CaseFactsError) as via_decide:
        decide(three_errors())
    assert [e.field for e in via_decide.value.errors] == [e.field for e in err.errors]


def test_a_case_file_with_three_errors_reports_each_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "three.yaml"
    path.write_text(yaml.safe_dump(three_errors(), sort_keys=False), encoding="utf-8")
    with pytest.raises(CaseFactsError) as err:
        load_case(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(err.value.errors) == 3
    for e in err.value.errors:
        assert e.line is not None
        assert e.message.startswith(f"{path}:{e.line}: {e.field}: ")
        key = e.field.rsplit(".", 1)[-1]
        assert lines[e.line - 1].strip().startswith(f"{key}:"), (e.field, lines[e.line - 1])


def test_a_misspelt_required_field_is_one_problem_not_also_a_missing_one() -> None:
    data = example()
    data["allegations"][0]["offense"] = data["allegations"][0].pop("offence")
    err = errors_of(data)
    assert [(e.field, e.fix) for e in err.errors] == [
        ("allegations[A1].offense", "did you mean 'offence'?")
    ]


def test_a_missing_field_with_no_look_alike_is_still_reported() -> None:
    data = example()
    del data["allegations"][0]["offence"]
    data["allegations"][0]["colour"] = "red"
    fields = {e.field: e.fix for e in errors_of(data).errors}
    assert fields == {
        "allegations[A1].colour": "remove it or check its spelling against `counting-rules schema`",
        "allegations[A1].offence": "add it",
    }


@pytest.mark.parametrize(
    ("where", "value", "field", "fix"),
    [
        (("allegations", 0, "offence"), "asault", "allegations[A1].offence", "'assault'"),
        (("allegations", 0, "injury"), "Minor", "allegations[A1].injury", "'minor'"),
        (
            ("allegations", 0, "hostility_perceived"),
            ["rase"],
            "allegations[A1].hostility_perceived[0]",
            "'race'",
        ),
        (
            ("offenders", 0, "relationships", 0, "kind"),
            "strangr",
            "offenders[O1].relationships[0].kind",
            "'stranger'",
        ),
    ],
)
def test_a_misspelt_value_gets_the_value_it_is_closest_to(
    where: tuple[str | int, ...], value: Any, field: str, fix: str
) -> None:
    data = example()
    node: Any = data
    for step in where[:-1]:
        node = node[step]
    node[where[-1]] = copy.deepcopy(value)
    (only,) = errors_of(data).errors
    assert (only.field, only.fix) == (field, f"did you mean {fix}?")


def test_a_value_like_nothing_allowed_gets_no_guess() -> None:
    data = example()
    data["allegations"][0]["injury"] = "bruised"
    (only,) = errors_of(data).errors
    assert "did you mean" not in only.one_line()
    assert "'none', 'minor', 'abh' or 'serious'" in only.message
