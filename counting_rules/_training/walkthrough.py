"""Walk a scenario stage by stage: what each stage shows in the terminal and in the printed
handout.

Every stage is run through the engine; what is shown as the answer is the engine's decision,
with its reasons and citations, and the scenario's model answer is checked against it. The
quiz (scoring a trainee's answer) is in ``_training.quiz``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict
from typing import Any

from counting_rules._explain.render import environment
from counting_rules._explain.sections import sections, source
from counting_rules._explain.why_not import why_not
from counting_rules._rulebook.fact_types import OUTCOME_TYPES
from counting_rules._rulebook.ir import Rulebook
from counting_rules._version import __version__
from counting_rules.decision import Citation, Decision, Reason
from counting_rules.scenario import REMOVE, Scenario, ScenarioResult, StageRun

__all__ = ["decision_sections", "describe_facts", "render_handout", "stage_view"]


def _w(value: object) -> str:
    return str(value).replace("_", " ")


# ---------------------------------------------------------------- the facts of a stage


def _fields(item: Mapping[str, Any], skip: Iterable[str] = ("id",)) -> str:
    parts = []
    for k, v in item.items():
        if k in skip:
            continue
        if v is None:
            parts.append(f"{_w(k)} unknown")
        elif isinstance(v, bool):
            parts.append(f"{_w(k)} {'yes' if v else 'no'}")
        elif isinstance(v, Mapping):
            parts.append(f"{_w(k)}: " + _fields(v, ()))
        elif isinstance(v, list):
            shown = [_fields(x, ()) if isinstance(x, Mapping) else _w(x) for x in v]
            parts.append(f"{_w(k)}: " + ("; ".join(shown) or "none"))
        else:
            parts.append(f"{_w(k)} {_w(v)}")
    return ", ".join(parts)


def describe_facts(patch: Mapping[str, Any]) -> list[str]:
    """The facts a stage adds or corrects, one readable line per item."""
    lines = []
    for section, value in patch.items():
        if isinstance(value, list) and all(isinstance(v, Mapping) and "id" in v for v in value):
            noun = section.rstrip("s") if section != "evidence" else "evidence"
            for item in value:
                what = "removed" if item.get(REMOVE) else _fields(item)
                lines.append(f"{noun} {item['id']}: {what}")
        elif isinstance(value, Mapping):
            lines.append(f"{section}: {_fields(value)}")
        else:
            lines.append(_fields({section: value}, ()))
    return lines


# ---------------------------------------------------------------- the decision, in words


def _source(c: Citation | Any) -> dict[str, str | None]:
    """A citation as text without its address, and the address."""
    return asdict(source(c))


def decision_sections(d: Decision, book: Rulebook, keep: Iterable[str] = ()) -> list[Any]:
    """The decision's one view, as plain data. Reasons from counting bookkeeping rules (which
    conclude intermediate facts) are left out unless in ``keep``."""
    shown = set(keep)

    def wanted(r: Reason) -> bool:
        rule = book.rules.get(r.rule_id)
        return r.rule_id in shown or rule is None or rule.conclusion.type in OUTCOME_TYPES

    return [asdict(sec) for sec in sections(d, wanted)]


def _citations(
    rules: Sequence[str], url: str | None, source: str | None, book: Rulebook
) -> list[Any]:
    out = [
        {"label": f"{book.rules[r].title} ({r})", **_source(book.rules[r].citation)} for r in rules
    ]
    if url:
        out.append(
            {"label": f"Source {source or ''}".strip(), "where": "", "url": url, "read_at": None}
        )
    return out


def stage_view(
    scenario: Scenario, run: StageRun, index: int, problems: Sequence[str], book: Rulebook
) -> dict[str, Any]:
    """Everything shown for one stage, as plain data for the terminal and the handout."""
    stage = scenario.stages[index]
    asked = [
        why_not(run.case, q.rule, edition=run.edition, subject=q.subject, rulebook=book)
        for q in stage.why_not
    ]
    return {
        "number": index + 1,
        "title": stage.title,
        "narrative": stage.narrative.strip(),
        "facts": describe_facts(stage.facts),
        "question": stage.question.strip(),
        "edition": run.decision.edition_title,
        "sections": decision_sections(run.decision, book, scenario.teaches),
        "why_not": [
            {
                "title": w.title,
                "rule_id": w.rule_id,
                "status": _w(w.status),
                "reason": w.reason,
                **_source(w.citation),
            }
            for w in asked
        ],
        "points": [
            {"text": tp.text.strip(), "citations": _citations(tp.rules, tp.url, tp.source, book)}
            for tp in stage.teaching_points
        ],
        "passed": not problems,
        "problems": list(problems),
    }


# ---------------------------------------------------------------- the quiz


def render_handout(result: ScenarioResult, book: Rulebook) -> str:
    """A self-contained, printable HTML handout of the scenario (no network assets)."""
    sc = result.scenario
    template = environment(html=True).get_template("handout.html.j2")
    taught = [
        {"id": r, "title": book.rules[r].title, **_source(book.rules[r].citation)}
        for r in sc.teaches
        if r in book.rules
    ]
    return template.render(
        scenario=sc.model_dump(
            include={"id", "title", "audience", "objectives", "source", "edition"}
        ),
        taught=taught,
        stages=[stage_view(sc, s.run, s.index, s.problems, book) for s in result.stages],
        problems=list(result.problems),
        version=__version__,
    )
