"""Problems in the core modules found by the property tests and ``check``, pinned as
regression tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from counting_rules import EngineError, decide, load_rulebook
from counting_rules._case.files import load_case_file

ROOT = Path(__file__).parents[2] / "rulebooks" / "hocr"
NCRS_RULE = "general_rules/ncrs/record_when_test_met"

ONLINE_THEFT = """
report: {id: c1, received_at: "2024-05-01T10:00:00+01:00", reporter: {kind: victim},
         recording_force: kent}
victims: [{id: V1, kind: person, age: 40}]
allegations:
  - {id: A1, offence: theft, victim: V1, property_taken: true, dishonest: true, online: true}
"""


def test_an_explanation_that_fails_on_some_facts_is_an_engine_error(tmp_path: Path) -> None:
    book_dir = tmp_path / "hocr"
    shutil.copytree(ROOT, book_dir)
    template = book_dir / f"{NCRS_RULE}.md.j2"
    template.write_text(
        template.read_text().replace(
            "appointments.",
            "appointments.{% if a.online is defined and a.online %} ({{ a.injury }}){% endif %}",
        )
    )
    broken = load_rulebook(book_dir)
    case_file = tmp_path / "case.yaml"
    case_file.write_text(ONLINE_THEFT)
    case = load_case_file(case_file)
    for evaluator in ("reference", "durable"):
        with pytest.raises(EngineError, match=NCRS_RULE) as err:
            decide(case, evaluator=evaluator, rulebook=broken)
        assert f"{NCRS_RULE}.md.j2:5" in str(err.value)
        assert "counting-rules check" in str(err.value)
