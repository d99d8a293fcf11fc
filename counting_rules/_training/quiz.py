"""The quiz in a walkthrough: the trainee's answer, parsed and scored against the engine's
decision; for every code the trainee expected that the engine did not give, the why-not
analysis says which condition stopped it, and for every one they missed, which rule gave it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from counting_rules._explain.why_not import WhyNot, why_not
from counting_rules._rulebook.ir import Rulebook
from counting_rules.decision import Decision, Reason
from counting_rules.scenario import QuizPart, StageRun

__all__ = [
    "PROMPTS",
    "Why",
    "explain_given",
    "explain_missing",
    "parse_answer",
    "same_code",
    "score",
    "truth",
    "why_given",
    "why_not_given",
    "wrongly_given",
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
_UNCLASSIFIED = "UNCLASSIFIED"  # a crime to record whose code still needs a fact
_RANK = {"fired": -1, "not_in_force": 0, "no_matching_fact": 1, "overridden": 2}  # else 3
# fmt: off
_GIVES = {"crimes": ("classification", "code"), "n100": ("recording", "n100_type"),
          "flags": ("flag", "flag"), "findings": ("finding", "code")}
_CONCLUDES = {"crimes": ("classification", "recording"), "n100": ("recording",),
              "flags": ("flag",), "cancellation": ("cancellation",), "findings": ("finding",)}
# fmt: on


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


@dataclass(frozen=True)
class Why:
    """An explanation for one value of a quiz answer, and the rules it rests on: the rules
    that give a right answer the trainee did not give, or the rule that would have given
    the wrong one (the rule whose condition the trainee missed)."""

    value: str
    text: str
    rules: tuple[str, ...] = ()


def wrongly_given(part: QuizPart, given: Sequence[str], right: Sequence[str]) -> list[str]:
    """The values the trainee gave that the engine did not (a multiset difference)."""
    missing = list(given)
    for r in right:
        hit = next((g for g in missing if g == r or (part == "crimes" and same_code(g, r))), None)
        if hit is not None:
            missing.remove(hit)
    return missing


def explain_missing(run: StageRun, part: QuizPart, value: str, book: Rulebook) -> str:
    """Why the engine did not give ``value`` (a code, N100 type or flag) the trainee expected."""
    return why_not_given(run, part, value, book).text


def why_not_given(run: StageRun, part: QuizPart, value: str, book: Rulebook) -> Why:
    """:func:`explain_missing` with the rule it names."""
    d, case = run.decision, run.case
    if part == "crimes":
        coded = {
            f.conclusion["aid"]: str(f.conclusion["code"])
            for f in run.trace
            if f.variant == "sure" and f.conclusion["t"] == "classification"
        }
        for aid, code in sorted(coded.items()):
            if same_code(value, code) and aid not in {c.allegation_id for c in d.crimes}:
                return _outcome(d, aid, value, code, book)
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
        return Why(value, f"No rule in the rulebook gives {value} to an allegation of this case.")
    return Why(value, best.text, (best.rule_id,))


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
    return [(w.value, w.text) for w in why_given(run, part, given, book)]


def why_given(run: StageRun, part: QuizPart, given: Sequence[str], book: Rulebook) -> list[Why]:
    """:func:`explain_given` with the rules behind each right answer not given (for a crime
    given another code, only the rules that classify it)."""
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
    # A crime the trainee gave another code for was recorded but miscoded: the rules it
    # missed are those that classify it, not those that record it.
    miscoded = len(wrongly_given(part, given, truth(d, part))) if part == "crimes" else 0
    out = []
    for n, (value, reasons) in enumerate(found):
        used = [
            r
            for r in reasons
            if book.rules[r.rule_id].conclusion.type in types
            and (part != "flags" or r.rule_id.startswith("crime_flags/"))
        ]
        text = " ".join(dict.fromkeys(r.explanation for r in used))
        missed = [
            r.rule_id
            for r in used
            if n >= miscoded or book.rules[r.rule_id].conclusion.type == "classification"
        ]
        out.append(Why(value, text, tuple(dict.fromkeys(missed))))
    return out


def _outcome(d: Decision, aid: str, value: str, code: str, book: Rulebook) -> Why:
    for c in d.crimes:
        for a in c.absorbed:
            if a.allegation_id == aid:
                used = [r for r in a.reasons if book.rules[r.rule_id].conclusion.type == "absorbed"]
                why = " ".join(r.explanation for r in used)
                text = (
                    f"{aid} is {code}, but it is not counted separately: {c.code} "
                    f"({c.allegation_id}) absorbs it. {why}"
                )
                return Why(value, text, tuple(dict.fromkeys(r.rule_id for r in used)))
    for group in (d.incidents, d.n100s, d.transfers):
        for x in group:
            if x.allegation_id == aid:
                why = " ".join(r.explanation for r in x.reasons)
                text = f"{aid} would be {code}, but it is not recorded as a crime: {why}"
                return Why(value, text, tuple(dict.fromkeys(r.rule_id for r in x.reasons)))
    text = f"{aid} would be {code}, but its recording is not decided yet (see still needed)."
    return Why(value, text)


# ---------------------------------------------------------------- the handout
