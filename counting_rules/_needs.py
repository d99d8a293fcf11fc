"""Still needed: the unknown facts that keep a rule from being decided either way.

For each *maybe* firing with no *sure* twin, the unknown fields its conditions test are
needed (the binding's own facts, and facts that could block an ``absent`` pattern). A maybe
firing whose conclusion is already surely drawn by another rule needs nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ._actions import Firing
from ._facts import Fact, fact_key
from ._match import pattern_holds
from ._schema import FactType
from .decision import StillNeeded


def _strip(fact: Fact) -> str:
    return fact_key({k: v for k, v in fact.items() if k != "mode"})


def still_needed(
    trace: Sequence[Firing], facts: Iterable[Fact], types: Mapping[str, FactType]
) -> tuple[StillNeeded, ...]:
    """The still-needed facts of a trace, sorted and de-duplicated."""
    sure = {f.key()[0::2] for f in trace if f.variant == "sure"}
    sure_conclusions = {_strip(f.conclusion) for f in trace if f.variant == "sure"}
    facts_of: dict[str, list[Fact]] = {}
    for fact in facts:
        facts_of.setdefault(fact["t"], []).append(fact)
    needed: dict[tuple[str, str, str], set[str]] = {}

    def need(ftype: str, fact: Fact, fname: str, rule_id: str) -> None:
        if not types[ftype].fields[fname].ask:
            return
        subject = types[ftype].subject
        needed.setdefault((ftype, str(fact.get(subject, "")), fname), set()).add(rule_id)

    for firing in trace:
        if firing.variant != "maybe" or firing.key()[0::2] in sure:
            continue
        if _strip(firing.conclusion) in sure_conclusions:
            continue
        bound = dict(firing.bindings)
        for pat in firing.rule.patterns:
            if types[pat.type].derived:
                continue  # an unsure derived fact: its own producer reports the root cause
            if not pat.negated:
                fact = bound[pat.alias]
                for c in pat.conds:
                    if c.op != "known" and c.field not in fact:
                        need(pat.type, fact, c.field, firing.rule.id)
                continue
            for other in facts_of.get(pat.type, ()):
                if pattern_holds(pat, other, bound, True) and not pattern_holds(
                    pat, other, bound, False
                ):
                    for c in pat.conds:
                        if c.op != "known" and c.field not in other:
                            need(pat.type, other, c.field, firing.rule.id)
    return tuple(
        StillNeeded(
            subject_type=ftype,
            subject_id=sid,
            field=fname,
            question=types[ftype].fields[fname].question or f"What is the {fname}?",
            needed_by=tuple(sorted(rules)),
        )
        for (ftype, sid, fname), rules in sorted(needed.items())
    )


__all__ = ["fact_key", "still_needed"]
