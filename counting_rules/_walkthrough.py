"""Walk a scenario stage by stage: in the terminal (rich), as a quiz, or as a printed handout.

Every stage is run through the engine; what is shown as the answer is the engine's decision,
with its reasons and citations, and the scenario's model answer is checked against it. In a
quiz the trainee's answer is scored against the engine, and for every code the trainee
expected that the engine did not give, the why-not analysis says which condition stopped it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ._ir import Rulebook
from ._schema import OUTCOME_TYPES
from ._version import __version__
from ._whynot import WhyNot, why_not
from .decision import Citation, Crime, Decision, Reason
from .scenario import REMOVE, QuizPart, Scenario, ScenarioResult, StageRun

__all__ = [
    "PROMPTS",
    "explain_given",
    "explain_missing",
    "parse_answer",
    "render_handout",
    "same_code",
    "score",
    "stage_view",
    "truth",
]

PROMPTS: dict[str, str] = {
    "crimes": 'crimes to record (codes, comma-separated; "?" if not yet classifiable; or "none")',
    "n100": 'N100 records (e.g. N100/1, or "none")',
    "cancellation": "cancellation (allowed or refused)",
    "flags": 'flags on the crimes (e.g. domestic_abuse, or "none")',
    "findings": 'audit findings (e.g. late_recording, or "none")',
}
_YES = {"allowed", "allow", "yes", "y", "cancel", "cancelled", "accept", "accepted"}
_NO = {"refused", "refuse", "no", "n", "reject", "rejected", "keep"}
_EMPTY = {"", "none", "-", "nothing", "no crime", "no"}
_THERE = "the force where it happened"
_UNCLASSIFIED = "UNCLASSIFIED"  # a crime to record whose code still needs a fact
_DT = "%Y-%m-%d %H:%M %z"
_RANK = {"fired": -1, "not_in_force": 0, "no_matching_fact": 1, "overridden": 2}  # else 3
# fmt: off
_GIVES = {"crimes": ("classification", "code"), "n100": ("recording", "n100_type"),
          "flags": ("flag", "flag"), "findings": ("finding", "code")}
_CONCLUDES = {"crimes": ("classification", "recording"), "n100": ("recording",),
              "flags": ("flag",), "cancellation": ("cancellation",), "findings": ("finding",)}
# fmt: on


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


def truth(d: Decision, part: QuizPart) -> list[str]:
    """The engine's answer to one quiz part, normalised."""
    if part == "crimes":
        return sorted(c.code or _UNCLASSIFIED for c in d.crimes)
    if part == "n100":
        return sorted(n.n100_type or "?" for n in d.n100s)
    if part == "cancellation":
        return ["allowed" if c.allowed else "refused" for c in d.cancellations]
    if part == "findings":
        return sorted({f.code for f in d.findings})
    return sorted({f for c in d.crimes for f in c.flags})


def parse_answer(part: QuizPart, line: str) -> list[str]:
    """A trainee's typed answer, normalised like :func:`truth`."""
    text = line.strip()
    head, sep, rest = text.partition(":")
    if sep and head.strip().lower() in PROMPTS:
        text = rest.strip()
    if text.lower() in _EMPTY and part != "cancellation":
        return []
    if part in ("flags", "findings"):
        return sorted(
            {re.sub(r"\s+", "_", t.strip().lower()) for t in text.split(",") if t.strip()}
        )
    tokens = [t for t in re.split(r"[,\s]+", text) if t]
    if part == "cancellation":
        return [
            "allowed" if t.lower() in _YES else "refused" if t.lower() in _NO else t.lower()
            for t in tokens
        ]
    if part == "n100":
        return sorted(t.upper() if t.upper().startswith("N100") else f"N100/{t}" for t in tokens)
    return sorted(
        _UNCLASSIFIED if t.lower() in ("?", "unclassified") else t.upper() for t in tokens
    )


def same_code(given: str, code: str) -> bool:
    # "9A" names class 9A; the catalogue keeps s5 as 9A/125-12 (class 9A, HO code 125/12).
    return given == code.upper() or ("-" in code and given == code.split("/")[0].upper())


def score(part: QuizPart, given: Sequence[str], right: Sequence[str]) -> bool:
    """Is the trainee's answer right?"""
    if part != "crimes":
        return list(given) == list(right)
    rest = list(right)
    for g in given:
        hit = next((c for c in rest if same_code(g, c)), None)
        if hit is None:
            return False
        rest.remove(hit)
    return not rest


def explain_missing(run: StageRun, part: QuizPart, value: str, book: Rulebook) -> str:
    """Why the engine did not give ``value`` (a code, N100 type or flag) the trainee expected."""
    d, case = run.decision, run.case
    if part == "crimes":
        coded = {
            f.conclusion["aid"]: str(f.conclusion["code"])
            for f in run.trace
            if f.variant == "sure" and f.conclusion["t"] == "classification"
        }
        for aid, code in sorted(coded.items()):
            if same_code(value, code) and aid not in {c.allegation_id for c in d.crimes}:
                return _outcome(d, aid, code, book)
    ctype, key = _GIVES.get(part, ("", ""))
    rules = sorted(
        (r for r in book.rules.values() if r.conclusion.type == ctype),
        key=lambda r: r.id,
    )
    rules = [r for r in rules if _gives(dict(r.conclusion.fields).get(key), value, part)]
    answers = (
        why_not(case, r.id, edition=run.edition, subject=al.id, rulebook=book)
        for r in rules
        for al in case.allegations
    )
    best = max(answers, key=_rank, default=None)
    if best is None:
        return f"No rule in the rulebook gives {value} to an allegation of this case."
    return best.text


def _gives(literal: object, value: str, part: QuizPart) -> bool:
    if not isinstance(literal, str):
        return False
    return literal.upper() == value.upper() or (part == "crimes" and same_code(value, literal))


def _rank(w: WhyNot) -> tuple[int, int, int]:
    """How close the rule came to firing: the deeper the failure, the better the answer."""
    return (_RANK.get(w.status, 3), w.pattern or 0, w.conditions_met)


def explain_given(
    run: StageRun, part: QuizPart, given: Sequence[str], book: Rulebook
) -> list[tuple[str, str]]:
    """The engine's reasons for the right answers the trainee did not give."""
    d = run.decision
    types = _CONCLUDES[part]
    found: list[tuple[str, tuple[Reason, ...]]] = []
    if part == "crimes":
        found = [
            (c.code or _UNCLASSIFIED, c.reasons)
            for c in d.crimes
            if not any(same_code(g, c.code or _UNCLASSIFIED) for g in given)
        ]
    elif part == "n100":
        found = [(n.n100_type or "?", n.reasons) for n in d.n100s if n.n100_type not in given]
    elif part == "flags":
        found = [(f, c.reasons) for c in d.crimes for f in c.flags if f not in given]
    elif part == "findings":
        found = [(f.code, f.reasons) for f in d.findings if f.code not in given]
    else:
        found = [
            (f"{'allowed' if c.allowed else 'refused'} ({c.proposal_id})", c.reasons)
            for c in d.cancellations
        ]
    out = []
    for value, reasons in found:
        why = [
            r.explanation
            for r in reasons
            if book.rules[r.rule_id].conclusion.type in types
            and (part != "flags" or r.rule_id.startswith("crime_flags/"))
        ]
        out.append((value, " ".join(dict.fromkeys(why))))
    return out


def _outcome(d: Decision, aid: str, code: str, book: Rulebook) -> str:
    for c in d.crimes:
        for a in c.absorbed:
            if a.allegation_id == aid:
                why = " ".join(
                    r.explanation
                    for r in a.reasons
                    if book.rules[r.rule_id].conclusion.type == "absorbed"
                )
                return (
                    f"{aid} is {code}, but it is not counted separately: {c.code} "
                    f"({c.allegation_id}) absorbs it. {why}"
                )
    for group in (d.incidents, d.n100s, d.transfers):
        for x in group:
            if x.allegation_id == aid:
                why = " ".join(r.explanation for r in x.reasons)
                return f"{aid} would be {code}, but it is not recorded as a crime: {why}"
    return f"{aid} would be {code}, but its recording is not decided yet (see still needed)."


# ---------------------------------------------------------------- the handout


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
