"""Why not: why a rule did not fire on a case, in plain words, with the rule's citation.

The case is run through the reference evaluator to get the final working memory (the base
facts and every conclusion drawn). The rule's patterns are then matched in order, with the
same three-valued semantics as the engine (``_engine.match``), and the search goes as deep into the
rule as any binding gets. The first pattern no fact satisfies, and in it the first condition
that is false (or rests on an unknown fact), is the answer. An exception that applies
(``overrides``) and a rule not in force in the edition are answers too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from counting_rules._case.parse import validated
from counting_rules._engine.actions import Firing, conclude
from counting_rules._engine.decide import (
    default_rulebook,
    edition_for,
    report_date,
)
from counting_rules._engine.decision_builder import template_of
from counting_rules._engine.facts import Fact, fact_key
from counting_rules._engine.match import cond_holds, pattern_holds
from counting_rules._engine.pipeline import run_case
from counting_rules._engine.still_needed import still_needed
from counting_rules._explain.sections import source
from counting_rules._explain.wording import (
    ask,
    expect,
    fact_name,
    is_join,
    pattern_words,
    words,
)
from counting_rules._rulebook.ir import APPLIES, CompiledRule, Cond, Pattern, Ref, Rule, Rulebook
from counting_rules._rulebook.resolve import did_you_mean
from counting_rules._rulebook.templates import render
from counting_rules.case import CaseFacts
from counting_rules.decision import Citation
from counting_rules.errors import CaseFactsError, UsageError

__all__ = ["WhyNot", "why_not"]

Status = Literal[
    "fired", "not_in_force", "overridden", "condition_failed", "fact_unknown", "no_matching_fact"
]
# fmt: off
_SUBJECT_FIELDS = {"allegations": "aid", "proposals": "pid", "victims": "vid",
                   "offenders": "oid", "evidence": "eid"}
# fmt: on


class WhyNot(BaseModel):
    """Why a rule did (or did not) fire on a case, for one subject or any."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule_id: str
    title: str
    citation: Citation
    edition: str
    subject: str | None
    status: Status
    pattern: int | None = None  # 1-based index of the pattern that stopped the rule
    conditions_met: int = 0  # conditions of that pattern that held before the one that failed
    fact: str | None = None  # the fact that failed the condition, in words
    field: str | None = None
    questions: tuple[str, ...] = ()  # what to ask, when an unknown fact stops the rule
    overridden_by: tuple[str, ...] = ()
    reason: str
    text: str


@dataclass
class _Fail:
    depth: int
    passed: int
    kind: Literal["false", "unknown", "none", "blocked", "blocked_maybe", "maybe_fact"]
    pattern: Pattern
    bound: dict[str, Fact]
    fact: Fact | None = None
    cond: Cond | None = None


def _constraints(cr: CompiledRule, types: Mapping[str, Any], field: str) -> set[tuple[str, str]]:
    """(alias, field) pairs that must equal the subject: the conclusion's key, spread
    along the rule's equality joins."""
    rule = cr.rule
    ctype = types[rule.conclusion.type]
    out = {
        (e.alias, e.field)
        for name, e in rule.conclusion.fields
        if isinstance(e, Ref) and e.field == field and name in ctype.key_fields()
    }
    if not out:
        pat = next((p for p in cr.positives() if field in types[p.type].fields), None)
        out = {(pat.alias, field)} if pat else set()
    changed = True
    while changed:
        changed = False
        for p in cr.positives():
            for c in p.conds:
                if is_join(c) and isinstance(c.value, Ref):
                    a, b = (p.alias, c.field), (c.value.alias, c.value.field)
                    for x, y in ((a, b), (b, a)):
                        if x in out and y not in out:
                            out.add(y)
                            changed = True
    return out


def _search(
    cr: CompiledRule,
    facts_of: Mapping[str, Sequence[Fact]],
    constrained: set[tuple[str, str]],
    subject: str | None,
) -> _Fail | None:
    """The deepest failure of the rule's sure variant (None if some binding matches)."""
    pats = cr.patterns
    best: list[_Fail] = []

    def fail(f: _Fail) -> None:
        if not best or (f.depth, f.passed) > (best[0].depth, best[0].passed):
            best[:] = [f]

    def walk(i: int, bound: dict[str, Fact], used: frozenset[str]) -> bool:
        if i == len(pats):
            return True
        pat = pats[i]
        pool = facts_of.get(pat.type, ())
        if pat.negated:
            sure = [f for f in pool if pattern_holds(pat, f, bound, False)]
            maybe = [f for f in pool if pattern_holds(pat, f, bound, True)]
            if sure or maybe:
                kind: Any = "blocked" if sure else "blocked_maybe"
                fail(_Fail(i, len(pat.conds), kind, pat, dict(bound), (sure or maybe)[0]))
                return False
            return walk(i + 1, bound, used)
        cands = [
            f
            for f in pool
            if fact_key(f) not in used
            and all(cond_holds(c, f, bound, False) for c in pat.conds if is_join(c))
            and all(f.get(fl) == subject for a, fl in constrained if a == pat.alias)
        ]
        if not cands:
            fail(_Fail(i, 0, "none", pat, dict(bound)))
        for f in cands:
            for n, c in enumerate(pat.conds):
                if not cond_holds(c, f, bound, False):
                    kind = "unknown" if cond_holds(c, f, bound, True) else "false"
                    if kind == "false" and isinstance(c.value, Ref):
                        kind = (
                            "unknown" if bound[c.value.alias].get(c.value.field) is None else kind
                        )
                    fail(_Fail(i, n, kind, pat, dict(bound), f, c))
                    break
            else:
                if pat.derived and f.get("mode") != "sure":
                    fail(_Fail(i, len(pat.conds), "maybe_fact", pat, dict(bound), f))
                    continue
                bound[pat.alias] = f
                done = walk(i + 1, bound, used | {fact_key(f)})
                del bound[pat.alias]
                if done:
                    return True
        return False

    return None if walk(0, {}, frozenset()) else (best[0] if best else None)


def _subject_field(case: CaseFacts, subject: str) -> str:
    for section, fname in _SUBJECT_FIELDS.items():
        if any(x.id == subject for x in getattr(case, section)):
            return fname
    if subject == case.report.id:
        return "rid"
    raise CaseFactsError(
        f"subject {subject!r} is not the id of an allegation, proposal, victim, offender, "
        "evidence or the report in this case",
        field="subject",
        fix="give an id from the case, e.g. an allegation id",
    )


def why_not(
    case: CaseFacts | Mapping[str, Any],
    rule_id: str,
    *,
    edition: str | None = None,
    subject: str | None = None,
    rulebook: Rulebook | None = None,
) -> WhyNot:
    """Why ``rule_id`` did not fire on ``case`` (for ``subject``, an id in the case, if
    given): the first condition that failed or the fact still unknown, in plain words."""
    case = validated(case)  # as decide: a CaseFacts parse_case did not build is re-checked
    book = rulebook or default_rulebook()
    if rule_id not in book.rules:
        raise UsageError(
            f"no rule {rule_id!r} in rulebook {book.name}",
            fix=did_you_mean(rule_id, book.rules) or "see `counting-rules rulebooks`",
        )
    rule = book.rules[rule_id]
    ed = edition_for(book, report_date(case), edition)
    sfield = _subject_field(case, subject) if subject is not None else None
    cr = next((c for c in ed.rules if c.id == rule_id), None)
    found: dict[str, Any]
    if cr is None:
        until = f" until edition {rule.in_force_until}" if rule.in_force_until else ""
        found = {
            "status": "not_in_force",
            "reason": "it is not in force in this edition; it is in force from edition "
            f"{rule.in_force_from}{until}.",
        }
    else:
        found = _diagnose(book, ed.id, ed.title, cr, case, sfield, subject)
    citation = _citation(rule)
    lead = "applies" if found["status"] == "fired" else "does not apply"
    about = f" for {subject}" if subject else ""
    text = f"{rule.title} ({rule_id}) {lead}{about} under {ed.title}: {found['reason']}"
    return WhyNot(
        rule_id=rule_id,
        title=rule.title,
        citation=citation,
        edition=ed.id,
        subject=subject,
        text=f"{text} Source: {source(citation)}",
        **found,
    )


def _citation(rule: Rule) -> Citation:
    return Citation(**rule.citation.model_dump(exclude={"note"}))


def _diagnose(
    book: Rulebook,
    ed_id: str,
    ed_title: str,
    cr: CompiledRule,
    case: CaseFacts,
    sfield: str | None,
    subject: str | None,
) -> dict[str, Any]:
    """The WhyNot fields (status, reason, ...) for a rule in force in the edition."""
    run = run_case(book, book.edition(ed_id), case, "reference")
    facts, trace = run.facts, run.trace
    constrained = _constraints(cr, book.types, sfield) if sfield else set()
    for f in trace:
        bound = dict(f.bindings)
        mine = f.rule.id == cr.id and f.variant == "sure"
        if mine and all(bound[a].get(fl) == subject for a, fl in constrained):
            return {"status": "fired", "reason": _explain(book, ed_id, ed_title, f)}
    fail = _search(cr, _memory(facts, trace, book), constrained, subject)
    if fail is None:
        return {"status": "no_matching_fact", "reason": "no binding of its facts was found."}
    out: dict[str, Any] = {"pattern": fail.depth + 1, "conditions_met": fail.passed}
    if fail.kind == "none" or fail.fact is None:
        want = pattern_words(fail.pattern, fail.bound)
        return {
            **out,
            "status": "no_matching_fact",
            "reason": f"it needs {want}, and there is none.",
        }
    name = fact_name(fail.fact)
    if fail.kind in ("blocked", "blocked_maybe", "maybe_fact"):
        needs = still_needed(trace, facts, book.types)
        producers = _producers(trace, fail.fact)
        asks = tuple(n.question for n in needs if set(n.needed_by) & producers)
        by = book.rules.get(str(fail.fact.get("rule"))) if fail.pattern.type == APPLIES else None
        if by is not None and fail.kind == "blocked":
            why = f"an exception applies: {by.title} ({by.id}) displaces it."
            if _citation(by) != _citation(cr.rule):  # rows of one table often share one
                why += f" Source of the exception: {source(_citation(by))}."
            return {**out, "status": "overridden", "reason": why, "overridden_by": (by.id,)}
        if fail.kind == "blocked":
            absent = pattern_words(fail.pattern, fail.bound)
            why = f"it needs there to be no {absent}, but there is: {name}."
            return {**out, "status": "condition_failed", "reason": why, "fact": name}
        if by is not None:
            why = f"an exception, {by.title} ({by.id}), may apply: it rests on facts not yet known."
            out["overridden_by"] = (by.id,)
        else:
            why = f"{name} is not certain yet: it rests on facts not yet known."
            out["fact"] = name
        return {**out, "status": "fact_unknown", "reason": ask(why, asks), "questions": asks}
    c = fail.cond
    assert c is not None
    want = expect(c, fail.bound)
    out.update(fact=name, field=c.field)
    if fail.kind == "unknown":
        spec = book.types[fail.pattern.type].fields[c.field]
        q = spec.question or f"Find out the {words(c.field)}."
        if not spec.ask:
            q = f"The record does not show the {words(c.field)} (an audit fact)."
        why = f"{name}: {words(c.field)} is not known yet, and the rule needs {want}."
        return {**out, "status": "fact_unknown", "reason": ask(why, (q,)), "questions": (q,)}
    actual = words(fail.fact.get(c.field), c.field)
    why = f"{name} has {words(c.field)} {actual}; the rule needs {want}."
    return {**out, "status": "condition_failed", "reason": why}


def _memory(
    facts: Sequence[Fact], trace: Sequence[Firing], book: Rulebook
) -> dict[str, list[Fact]]:
    """Base facts and everything the trace concluded (conclusions and exceptions)."""
    seen: set[str] = set()
    out: dict[str, list[Fact]] = {}

    def add(f: Fact) -> None:
        k = fact_key(f)
        if k not in seen:
            seen.add(k)
            out.setdefault(f["t"], []).append(f)

    for f in facts:
        add(f)
    for firing in trace:
        _, derived = conclude(
            firing.rule, firing.variant, dict(firing.bindings), book.tables, book.types
        )
        for d in derived:
            add(d)
    return out


def _producers(trace: Sequence[Firing], fact: Fact) -> set[str]:
    """The rules that concluded ``fact``, and, behind an uncertain derived fact they bound,
    the rules that concluded that one (so an unknown is traced to its question however many
    concluded facts lie between: recording <- whether the account is a crime in law <- ...)."""
    if fact["t"] == APPLIES:
        return {str(fact["rule"])}

    def plain(f: Fact) -> tuple[tuple[str, Any], ...]:
        return tuple(sorted((k, v) for k, v in f.items() if k != "mode"))

    out: set[str] = set()
    todo, seen = [plain(fact)], set()
    while todo:
        want = todo.pop()
        if want in seen:
            continue
        seen.add(want)
        for f in trace:
            if plain(f.conclusion) != want:
                continue
            out.add(f.rule.id)
            todo.extend(plain(b) for _, b in f.bindings if b.get("mode") == "maybe")
    return out


def _explain(book: Rulebook, ed_id: str, ed_title: str, firing: Firing) -> str:
    rule: Rule = firing.rule.rule
    context: dict[str, Any] = {
        a: {k: v for k, v in f.items() if k not in ("mode", "sid")} for a, f in firing.bindings
    }
    context["conclusion"] = {k: v for k, v in firing.conclusion.items() if k != "mode"}
    context["rule"] = {"id": rule.id, "title": rule.title}
    context["edition"] = {"id": ed_id, "title": ed_title}
    return render(template_of(book, rule.id), context)
