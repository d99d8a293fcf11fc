"""Walk a scenario stage by stage: what each stage shows in the terminal, on the two printed
sheets (the trainer's, with the model answers; the trainees', with none) and on the projector.

Every stage is run through the engine; what is shown as the answer is the engine's decision,
with its reasons and citations, and the scenario's model answer is checked against it. The
quiz (scoring a trainee's answer) is in ``_training.quiz``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, replace
from typing import Any, Literal

from counting_rules._explain.render import environment
from counting_rules._explain.sections import Item, Section, sections, source
from counting_rules._explain.why_not import why_not
from counting_rules._rulebook.fact_types import OUTCOME_TYPES
from counting_rules._rulebook.ir import Rulebook
from counting_rules._training.changes import decision_changes
from counting_rules._training.facts import LABELS, case_sentences, fact_changes
from counting_rules._version import __version__
from counting_rules.case import CaseFacts
from counting_rules.decision import Citation, Decision, Reason
from counting_rules.scenario import Scenario, ScenarioResult, StageRun

__all__ = [
    "SHEETS",
    "Sheet",
    "decision_sections",
    "render_handout",
    "render_projector",
    "stage_facts",
    "stage_view",
    "stage_views",
]


def _w(value: object) -> str:
    return str(value).replace("_", " ")


# ---------------------------------------------------------------- the facts of a stage


def stage_facts(cases: Sequence[CaseFacts], index: int) -> list[dict[str, str]]:
    """The facts a stage gives, in sentences: the whole case at the first stage; after it,
    what is new, corrected, unknown again, added or removed (``label`` says which)."""
    if index == 0:
        return [{"kind": "known", "label": "", "text": t} for t in case_sentences(cases[0])]
    return [
        {"kind": c.kind, "label": LABELS[c.kind], "text": c.text}
        for c in fact_changes(cases[index - 1], cases[index])
    ]


# ---------------------------------------------------------------- the decision, in words


def _source(c: Citation | Any) -> dict[str, str | None]:
    """A citation as text without its address, and the address."""
    return asdict(source(c))


def _wanted(keep: Iterable[str], book: Rulebook) -> Callable[[Reason], bool]:
    """Reasons from counting bookkeeping rules (which conclude intermediate facts) are left
    out unless in ``keep``."""
    shown = set(keep)

    def wanted(r: Reason) -> bool:
        rule = book.rules.get(r.rule_id)
        return r.rule_id in shown or rule is None or rule.conclusion.type in OUTCOME_TYPES

    return wanted


def _sections(d: Decision, book: Rulebook, keep: Iterable[str]) -> list[Section]:
    """The decision's sections, with a rule that may still change it named by its title."""

    def titled(it: Item) -> Item:
        rid = it.key.removeprefix("may-change ")
        if it.key.startswith("may-change ") and rid in book.rules:
            return replace(it, text=book.rules[rid].title)
        return it

    return [
        replace(sec, items=tuple(titled(it) for it in sec.items))
        for sec in sections(d, _wanted(keep, book))
    ]


def decision_sections(d: Decision, book: Rulebook, keep: Iterable[str] = ()) -> list[Any]:
    """The decision's one view, as plain data (bookkeeping reasons left out, unless kept)."""
    return [asdict(sec) for sec in _sections(d, book, keep)]


_RULE_ID = re.compile(r" \((?:[a-z0-9_]+/)+[a-z0-9_]+\)")


def _no_ids(text: str) -> str:
    """Text written for the terminal, without the rule ids in brackets that it names rules by
    (the printed sheets name a rule by its title and cite its document)."""
    return _RULE_ID.sub("", text)


def _register(book: Rulebook, cited: str | None) -> str:
    """A teaching point's source (a register id, then where in it) as the document's title."""
    if not cited:
        return "Source"
    sid, _, where = cited.partition(" ")
    spec = book.sources.sources.get(sid)
    title = " ".join(spec.title.split()) if spec else sid
    return title + (f", {where}" if where else "")


def _citations(
    rules: Sequence[str], url: str | None, cited: str | None, book: Rulebook
) -> list[Any]:
    out = [
        {"label": book.rules[r].title, "rule_id": r, **_source(book.rules[r].citation)}
        for r in rules
    ]
    if url:
        out.append(
            {
                "label": _register(book, cited),
                "rule_id": "",
                "source_id": cited or "",
                "where": "",
                "url": url,
                "read_at": None,
            }
        )
    return out


def stage_view(
    scenario: Scenario,
    run: StageRun,
    index: int,
    problems: Sequence[str],
    book: Rulebook,
    previous: StageRun | None = None,
) -> dict[str, Any]:
    """Everything shown for one stage, as plain data for the terminal, the sheets and the
    projector; ``previous`` is the stage before, for what changed."""
    stage = scenario.stages[index]
    asked = [
        why_not(run.case, q.rule, edition=run.edition, subject=q.subject, rulebook=book)
        for q in stage.why_not
    ]
    now = _sections(run.decision, book, scenario.teaches)
    before = _sections(previous.decision, book, scenario.teaches) if previous else None
    cases = (previous.case, run.case) if previous else (run.case,)
    return {
        "number": index + 1,
        "title": stage.title,
        "narrative": stage.narrative.strip(),
        "facts": stage_facts(cases, len(cases) - 1),
        "question": stage.question.strip(),
        "asks": [ASKS[a] for a in stage.asks],
        "edition": run.decision.edition_title,
        "sections": [asdict(sec) for sec in now],
        "changes": None if before is None else [asdict(c) for c in decision_changes(before, now)],
        "why_not": [
            {
                "title": w.title,
                "rule_id": w.rule_id,
                "status": _w(w.status),
                "reason": w.reason,
                "said": _no_ids(w.reason),
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


def stage_views(result: ScenarioResult, book: Rulebook) -> list[dict[str, Any]]:
    """Every stage's view, each with what changed since the stage before."""
    runs = {s.index: s.run for s in result.stages}
    return [
        stage_view(result.scenario, s.run, s.index, s.problems, book, runs.get(s.index - 1))
        for s in result.stages
    ]


# What a trainee is asked to write, by quiz part (no examples: an example could be an answer).
ASKS = {
    "crimes": "Crimes to record, with their codes (or none yet)",
    "n100": "Any N100 records",
    "cancellation": "Cancellation: your ruling, and who decides",
    "flags": "Flags on the crimes",
    "findings": "What an audit finds",
}


# ---------------------------------------------------------------- the printed sheets

_INTERNAL_PATH = re.compile(r"\s*\(?\b(?:[\w.-]+/)+[\w.-]+\.[a-z]{2,4}\b\)?")
_SOURCE_ID = re.compile(r"\s*\((?:[SRPX]\d+)\)")


def _public(text: str) -> str:
    """Scenario text for a printed sheet, without internal file paths or register ids."""
    return " ".join(_SOURCE_ID.sub("", _INTERNAL_PATH.sub("", text)).split())


Sheet = Literal["trainer", "trainee"]
SHEETS: tuple[Sheet, ...] = ("trainer", "trainee")


def _render(template_name: str, **context: Any) -> str:
    # The package's own templates (never built from input), sandboxed, strict and escaped.
    return environment(html=True).get_template(template_name).render(**context)


def _scenario(sc: Scenario) -> dict[str, Any]:
    return {
        "id": sc.id,
        "title": sc.title,
        "audience": list(sc.audience),
        "objectives": list(sc.objectives),
        "source": _public(sc.source),
        "edition": sc.edition,
    }


def render_handout(result: ScenarioResult, book: Rulebook, sheet: Sheet = "trainer") -> str:
    """A self-contained, printable HTML sheet of the scenario (no network assets): the
    trainer's (model answers, what changed, reasons, citations, teaching points) or the
    trainees' (the story, the facts and the questions, with room to answer, and nothing of
    the answers)."""
    sc = result.scenario
    views = stage_views(result, book)
    if sheet == "trainee":
        stages = [
            {k: v[k] for k in ("number", "title", "narrative", "facts", "question", "asks")}
            for v in views
        ]
        return _render(
            "handout_trainee.html.j2",
            scenario={"title": sc.title, "audience": list(sc.audience)},
            stages=stages,
            version=__version__,
        )
    taught = [
        {"id": r, "title": book.rules[r].title, **_source(book.rules[r].citation)}
        for r in sc.teaches
        if r in book.rules
    ]
    return _render(
        "handout.html.j2",
        scenario=_scenario(sc),
        taught=taught,
        stages=views,
        problems=list(result.problems),
        version=__version__,
    )


def render_projector(result: ScenarioResult, book: Rulebook) -> str:
    """A self-contained HTML presentation: one stage at a time, the facts and the question
    first, the decision (or what changed in it) revealed on a key press."""
    return _render(
        "projector.html.j2",
        scenario=_scenario(result.scenario),
        stages=stage_views(result, book),
        version=__version__,
    )
