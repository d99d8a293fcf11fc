"""What the test suite of a checkout would fail on for a rulebook change, found by ``check``.

A rulebook at ``PROJECT/rulebooks/NAME`` has its per-rule tests in ``PROJECT/tests/rulebooks``,
its scenarios in ``PROJECT/scenarios`` and its rule reference in
``PROJECT/docs/reference/rules.md``; each that exists is checked: every rule has a case that
fires it and one that does not, every rule is taught and every edition used by some scenario,
the rule reference is current, and no scaffold placeholder (``TODO(maintainer)``) is left.
An installed package has none of them, so nothing is checked there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from counting_rules._common.yaml_lines import load_text
from counting_rules._explain.rule_reference import rules_markdown
from counting_rules._rulebook.ir import Rulebook
from counting_rules.errors import CountingRulesError
from counting_rules.scenario import load_scenarios, taught_rules

__all__ = ["PLACEHOLDER", "Layout", "SuiteProblem", "rule_tests", "suite_problems"]

PLACEHOLDER = "TODO(maintainer)"  # what a scaffold leaves for the maintainer to fill in
REGENERATE = "python -m counting_rules._reference_docs"


@dataclass(frozen=True)
class SuiteProblem:
    kind: str  # tests | scenario | edition | docs | todo
    file: str
    line: int | None
    rule_id: str
    message: str


@dataclass(frozen=True)
class Layout:
    """Where a checkout keeps what goes with a rulebook."""

    project: Path
    rulebook: Path

    @classmethod
    def around(cls, rulebook: Path) -> Layout | None:
        rulebook = rulebook.resolve()
        if rulebook.parent.name != "rulebooks":
            return None
        layout = cls(rulebook.parent.parent, rulebook)
        return layout if layout.rule_tests.is_dir() else None

    @property
    def rule_tests(self) -> Path:
        return self.project / "tests" / "rulebooks"

    @property
    def scenarios(self) -> Path:
        return self.project / "scenarios"

    @property
    def rules_md(self) -> Path:
        return self.project / "docs" / "reference" / "rules.md"


def rule_tests(folder: Path) -> dict[str, list[dict[str, object]]]:
    """Each rule id's test cases in ``folder`` (a file per rule, table or versioned rule)."""
    out: dict[str, list[dict[str, object]]] = {}
    for path in sorted(folder.rglob("*.yaml")):
        doc = load_text(path.read_text(encoding="utf-8"), str(path)).data
        rid = str(path.relative_to(folder).with_suffix(""))
        key = next((k for k in ("table", "versions") if k in doc), "rule")
        if doc.get(key) != rid:
            raise ValueError(f"{path}: {key!r} must be {rid!r} (the file's path)")
        if key == "rule":
            out[rid] = list(doc.get("cases", []))
            continue
        part = {"table": "row", "versions": "version"}[key]
        for case in doc.get("cases", []):  # a table's (or versions') file: cases name theirs
            out.setdefault(f"{rid}/{case[part]}", []).append(case)
    return out


def suite_problems(
    layout: Layout, book: Rulebook, shown: Callable[[Path], str]
) -> list[SuiteProblem]:
    out = _placeholders(layout, shown)
    tests = rule_tests(layout.rule_tests)
    for rid in sorted(book.rules):
        fires = {c.get("fires") for c in tests.get(rid, [])}
        lacking = [w for w, v in (("fires", True), ("does not fire", False)) if v not in fires]
        if lacking:
            where = layout.rule_tests / f"{book.rules[rid].file}"
            out.append(
                SuiteProblem(
                    "tests",
                    shown(where),
                    None,
                    rid,
                    "no test case where it " + " and none where it ".join(lacking),
                )
            )
    out += _scenario_problems(layout, book, shown)
    if layout.rules_md.is_file() and layout.rules_md.read_text("utf-8") != rules_markdown(book):
        out.append(
            SuiteProblem("docs", shown(layout.rules_md), None, "", f"stale: run `{REGENERATE}`")
        )
    return out


def _scenario_problems(
    layout: Layout, book: Rulebook, shown: Callable[[Path], str]
) -> list[SuiteProblem]:
    if not layout.scenarios.is_dir():
        return []
    try:
        scenarios = load_scenarios(layout.scenarios)
    except CountingRulesError as exc:  # the suite fails on it too: say why
        return [SuiteProblem("scenario", shown(layout.scenarios), None, "", exc.one_line())]
    out = [
        SuiteProblem(
            "scenario",
            shown(layout.scenarios),
            None,
            rid,
            "no scenario teaches it (list it under a scenario's teaches:)",
        )
        for rid in sorted(set(book.rules) - taught_rules(book, scenarios))
    ]
    used = {s.edition for s in scenarios} | {
        st.edition for s in scenarios for st in s.stages if st.edition
    }
    for edition in book.editions:
        if edition.id not in used:
            message = f"no scenario uses edition {edition.id} (a scenario's or a stage's edition:)"
            out.append(SuiteProblem("edition", shown(layout.scenarios), None, "", message))
    return out


def _placeholders(layout: Layout, shown: Callable[[Path], str]) -> list[SuiteProblem]:
    out: list[SuiteProblem] = []
    for folder in (layout.rulebook, layout.rule_tests, layout.scenarios):
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.suffix in {".yaml", ".j2"}):
            for n, text in enumerate(path.read_text("utf-8").splitlines(), start=1):
                if PLACEHOLDER in text:
                    what = text.split(PLACEHOLDER, 1)[1].lstrip(": ").rstrip("\"'")
                    out.append(SuiteProblem("todo", shown(path), n, "", f"to fill in: {what}"))
    return out
