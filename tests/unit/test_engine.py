"""The durable_rules driver contains the engine's measured pitfalls (durable-rules-notes)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

import counting_rules._engine.durable.run as engine
from counting_rules import decide, load_rulebook, parse_case
from counting_rules._engine.decide import default_rulebook
from counting_rules._rulebook.loader import default_root

from .test_loader import DATA_FILES


def fnv1a32(text: str) -> int:
    h = 0x811C9DC5
    for byte in text.encode():
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def make_case(case_id: str, offence: str, amounts: bool, victim_age: int) -> dict[str, Any]:
    return {
        "report": {
            "id": case_id,
            "received_at": "2024-03-04T10:00:00+00:00",
            "reporter": {"kind": "victim"},
            "recording_force": "kent",
        },
        "victims": [{"id": "V1", "age": victim_age, "confirmed": True, "vulnerable": False}],
        "allegations": [
            {
                "id": "A1",
                "offence": offence,
                "victim": "V1",
                # the account makes out the offence, or denies its first point to prove
                **(
                    {"force_on_person": True, "property_taken": True, "dishonest": True}
                    if amounts
                    else {
                        "force_on_person": False,
                        "threat_of_force": False,
                        "property_taken": False,
                    }
                ),
            }
        ],
    }


def test_colliding_case_ids_never_share_state() -> None:
    a, b = "case-478212", "case-1221200"
    assert fnv1a32(a) == fnv1a32(b)  # the trap is real: durable would find one state for both
    ca = parse_case(make_case(a, "assault", True, 30))
    cb = parse_case(make_case(b, "theft", False, 50))
    expected = {a: decide(ca, evaluator="reference"), b: decide(cb, evaluator="reference")}
    for _ in range(3):
        for c in (ca, cb, cb, ca):
            got = decide(c)
            assert got == expected[c.report.id]
            assert got.case_id == c.report.id


def test_an_action_that_raises_fails_the_case_loudly_and_leaves_no_state(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = parse_case(make_case("case-1", "assault", True, 30))
    good = decide(case)

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("action failed")

    monkeypatch.setattr(engine, "conclude", boom)
    with pytest.raises(RuntimeError, match="action failed"):
        decide(case)
    monkeypatch.undo()
    assert (
        decide(case) == good
    )  # the state was deleted in finally; nothing leaked into the next case


def test_each_edition_ruleset_is_created_once_under_a_versioned_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    book = default_rulebook()
    created: list[str] = []
    real = engine.dre.create_ruleset

    def counting(name: str, text: str) -> Any:
        created.append(name)
        return real(name, text)

    monkeypatch.setattr(engine.dre, "create_ruleset", counting)

    def decide_each_edition() -> None:
        for ed in book.editions:
            c = make_case("case-2", "assault", True, 30)
            c["report"]["received_at"] = f"{ed.in_force_from.isoformat()}T12:00:00+00:00"
            assert decide(parse_case(c)).edition == ed.id

    decide_each_edition()
    first = list(created)
    decide_each_edition()
    assert created == first  # the second round creates nothing: no reload, no leak (B5)
    for ed in book.editions:
        assert f"hocr@{ed.in_force_from.isoformat()}#{book.digest}" in engine.loaded_rulesets()
    assert all(n.startswith("hocr@") and "#" in n for n in first)


def test_a_case_where_no_rule_fires_does_not_crash(tmp_path: Path) -> None:
    # The sentinel rule runs in every case: deleting a state where no action ever ran would
    # free an uninitialised pointer in durable_rules 2.0.28 (B3).
    root = tmp_path / "hocr"
    for rel in DATA_FILES:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(Path(str(default_root())) / rel, root / rel)
    (root / "only.yaml").write_text(
        "title: Only murder\ndescription: Fires only for murder.\n"
        "citation: {document: Test, section: T, url: 'https://example.org', confidence: low}\n"
        "in_force: {from: '2018'}\n"
        "when: [{match: allegation, as: a, where: {offence: murder}}]\n"
        "then: {finding: {subject: $a.aid, code: murder}}\n"
    )
    (root / "only.md.j2").write_text("Murder {{ a.aid }}.")
    book = load_rulebook(root)
    for i in range(50):
        d = decide(parse_case(make_case(f"case-{i}", "theft", True, 30)), rulebook=book)
        assert d.findings == ()
        assert d.undecided[0].status == "no_rule_applies"
