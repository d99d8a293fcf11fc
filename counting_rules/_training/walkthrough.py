"""Walk a scenario stage by stage: what each stage shows in the terminal and in the printed
handout.

Every stage is run through the engine; what is shown as the answer is the engine's decision,
with its reasons and citations, and the scenario's model answer is checked against it. The
quiz (scoring a trainee's answer) is in ``_training.quiz``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from counting_rules._explain.why_not import why_not
from counting_rules._rulebook.fact_types import OUTCOME_TYPES
from counting_rules._rulebook.ir import Rulebook
from counting_rules._version import __version__
from counting_rules.decision import Citation, Crime, Decision, Reason
from counting_rules.scenario import REMOVE, Scenario, ScenarioResult, StageRun

__all__ = ["decision_sections", "describe_facts", "render_handout", "stage_view"]

_THERE = "the force where it happened"
_DT = "%Y-%m-%d %H:%M %z"


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


def _source(c: Citation | Any) -> dict[str, str]:
    """A citation as text without its address, and the address."""
    where = f"{c.document}, {c.section}" + (f", {c.paragraph}" if c.paragraph else "")
    note = ", interpretation" if c.interpretation else ""
    return {"where": f"{where} [{c.confidence} confidence{note}]", "url": c.url}


def _crime(c: Crime) -> str:
    text = f"{c.code or '(classification still needed)'} {c.title or ''} — allegation "
    text += f"{c.allegation_id}, victim {c.victim_id or 'none (state-based)'}"
    text += f"; flags: {', '.join(map(_w, c.flags))}" if c.flags else ""
    return text + (f"; record by {c.deadline:{_DT}} ({c.deadline_basis})" if c.deadline else "")


def _texts(d: Decision) -> dict[str, list[tuple[str, Sequence[Reason]]]]:
    crimes: list[tuple[str, Sequence[Reason]]] = []
    for c in d.crimes:
        crimes.append((_crime(c), c.reasons))
        crimes += [
            (
                f"{a.allegation_id} ({a.code} {a.title or ''}) is not counted separately: "
                f"absorbed by {a.absorbed_by}",
                a.reasons,
            )
            for a in c.absorbed
        ]
    verdict = {True: "ALLOWED", False: "REFUSED"}
    return {
        "Crimes to record": crimes,
        "N100 records": [
            (f"{n.n100_type} — allegation {n.allegation_id}, victim {n.victim_id}", n.reasons)
            for n in d.n100s
        ],
        "Incident records (no crime)": [
            (f"allegation {i.allegation_id}: {', '.join(map(_w, i.reason_codes))}", i.reasons)
            for i in d.incidents
        ],
        "Transfers": [
            (f"allegation {t.allegation_id} to {t.to_force or _THERE}", t.reasons)
            for t in d.transfers
        ],
        "Cancellation rulings": [
            (
                f"{c.category} on {c.allegation_id} (proposal {c.proposal_id}): "
                f"{verdict[c.allowed]}, decided by {_w(c.decider)}",
                c.reasons,
            )
            for c in d.cancellations
        ],
        "Victim duties": [
            (
                f"{_w(v.duty)} — victim {v.victim_id}" + (f", due {v.due:{_DT}}" if v.due else ""),
                v.reasons,
            )
            for v in d.victim_duties
        ],
        "Findings": [(f"{f.severity}: {_w(f.code)} ({f.subject})", f.reasons) for f in d.findings],
        "Referred to the Force Crime Registrar": [
            (f"rules disagree on {r.conclusion} for {r.subject_id}", r.reasons) for r in d.referrals
        ],
        "Undecided (never 'no crime')": [
            (
                f"allegation {u.allegation_id}: {_w(u.status)}; possible: "
                f"{', '.join(u.possible_outcomes) or 'none'}",
                (),
            )
            for u in d.undecided
        ],
        "Still needed": [
            (f"{n.question} ({n.subject_type} {n.subject_id})", ()) for n in d.still_needed
        ],
    }


def decision_sections(d: Decision, book: Rulebook, keep: Iterable[str] = ()) -> list[Any]:
    """The decision as headed lists of items, each with its reasons. Reasons from counting
    bookkeeping rules (which conclude intermediate facts) are left out unless in ``keep``."""
    shown = set(keep)

    def reason(r: Reason) -> dict[str, str]:
        return {"title": r.title, "explanation": r.explanation, **_source(r.citation)}

    def wanted(r: Reason) -> bool:
        rule = book.rules.get(r.rule_id)
        return r.rule_id in shown or rule is None or rule.conclusion.type in OUTCOME_TYPES

    return [
        {
            "heading": heading,
            "items": [
                {"text": text, "reasons": [reason(r) for r in reasons if wanted(r)]}
                for text, reasons in items
            ],
        }
        for heading, items in _texts(d).items()
        if items
    ]


def _citations(
    rules: Sequence[str], url: str | None, source: str | None, book: Rulebook
) -> list[Any]:
    out = [
        {"label": f"{book.rules[r].title} ({r})", **_source(book.rules[r].citation)} for r in rules
    ]
    if url:
        out.append({"label": f"Source {source or ''}".strip(), "where": "", "url": url})
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
    env = ImmutableSandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
    source = resources.files("counting_rules").joinpath("templates", "handout.html.j2")
    template = env.from_string(source.read_text(encoding="utf-8"))
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
