"""Write tests/regression/decisions.jsonl.gz: every per-rule test case, worked example and
scenario stage, and generated cases (unaimed and aimed at each rule, per edition), with the
outcomes the rulebook gives them now. Generation is derandomised, so a re-run gives the same
cases on the same hypothesis version; the cases are stored, so the test never regenerates.

    python -m tests.regression.record [--generated-per-edition N] [--aimed-per-rule N]
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counting_rules import CaseFacts, default_rulebook, parse_case
from counting_rules._maintain.witness import edition_cases, focus
from counting_rules.scenario import load_scenarios
from tests.casefiles import collect
from tests.regression.stored import RENAMED, STORE, decide_stored

ROOT = Path(__file__).resolve().parents[2]


def _draw(strategy: st.SearchStrategy[CaseFacts], n: int) -> list[CaseFacts]:
    got: list[CaseFacts] = []

    @settings(
        max_examples=n,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def draw(case: CaseFacts) -> None:
        got.append(case)

    draw()
    return got


def _dump(case: CaseFacts) -> dict[str, Any]:
    return case.model_dump(mode="json", exclude_none=True)


def written_cases() -> Iterator[tuple[str, dict[str, Any], str | None]]:
    for folder in ("rulebooks", "examples"):
        for spec in collect(folder):
            case = spec.data["case"]
            yield f"tests/{spec.id}", _dump(parse_case(case)), spec.data.get("edition")
    for scenario in load_scenarios(ROOT / "scenarios"):
        for i, case in enumerate(scenario.cases()):
            edition = scenario.stages[i].edition or scenario.edition
            yield f"scenarios/{scenario.id}#{i + 1}", _dump(case), edition


def generated_cases(per_edition: int, per_rule: int) -> Iterator[tuple[str, dict[str, Any], None]]:
    book = default_rulebook()
    for edition in book.editions:
        for i, case in enumerate(_draw(edition_cases(edition), per_edition)):
            yield f"generated/{edition.id}/{i}", _dump(case), None
        for rule in edition.rules:
            for i, case in enumerate(_draw(focus(book, edition, rule), per_rule)):
                yield f"aimed/{edition.id}/{rule.id}/{i}", _dump(case), None


def record(per_edition: int, per_rule: int, say: Callable[[str], None] = print) -> int:
    n = 0
    with gzip.open(STORE, "wt", encoding="utf-8", compresslevel=9) as out:
        sources = (written_cases(), generated_cases(per_edition, per_rule))
        for source in sources:
            for name, case, edition in source:
                entry: dict[str, Any] = {"name": name, "case": case}
                if edition is not None:
                    entry["edition"] = edition
                entry["outcome"] = decide_stored(entry)
                out.write(json.dumps(entry, sort_keys=True, separators=(",", ":")) + "\n")
                n += 1
    RENAMED.unlink(missing_ok=True)  # the store now holds today's rule ids
    say(f"{n} decisions stored in {STORE.relative_to(ROOT)}")
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--generated-per-edition", type=int, default=600)
    parser.add_argument("--aimed-per-rule", type=int, default=3)
    args = parser.parse_args()
    record(args.generated_per_edition, args.aimed_per_rule)


if __name__ == "__main__":
    main()
