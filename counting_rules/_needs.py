"""Still needed: the unknown facts that keep a rule from being decided either way.

For each *maybe* firing with no *sure* twin, the unknown fields its conditions test are
needed (the binding's own facts, and facts that could block an ``absent`` pattern); a
possible fact (one that may not exist: ``_facts``) is asked for as the case field it stands
for. A maybe firing whose conclusion is already surely drawn by another rule needs nothing.
A sure firing that rests on a field being unknown (``known: false``) needs that field too:
the outcome changes once it is known.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ._actions import Firing
from ._facts import Fact, case_path, fact_key
from ._ir import Cond
from ._match import pattern_holds
from ._schema import EXISTS, POSSIBLE_TYPES, FactType
from .decision import StillNeeded

Need = tuple[str, str, str]  # subject type, subject id, field

# What a possible fact stands for in the case: (subject type, subject field, case field).
_POSSIBLE: dict[str, tuple[str, str, str]] = {
    "victim": ("allegation", "vid", "victim"),
    "offender": ("allegation", "oid", "offenders"),
    "involvement": ("allegation", "aid", "offenders"),
    "hostility": ("allegation", "aid", "hostility_perceived"),
    "relationship": ("offender", "oid", "relationships"),
}
QUESTIONS = {
    ("allegation", "victim"): "Who is the victim of this allegation?",
    ("allegation", "offenders"): "Who is the suspect, and how are they related to the victim?",
    ("allegation", "hostility_perceived"): (
        "Does the victim or anyone else perceive it as motivated by hostility or prejudice "
        "(race, religion, sexual orientation, disability, transgender identity)?"
    ),
    ("offender", "relationships"): "What is the offender's relationship to the victim?",
}


def _strip(fact: Fact, types: Mapping[str, FactType]) -> str:
    """What a conclusion decides: its type, keys and values (details such as a reason code
    do not change the decision)."""
    spec = types.get(fact["t"])
    keep = None if spec is None else {*spec.key_fields(), *spec.value_fields()}
    return fact_key(
        {k: v for k, v in fact.items() if k != "mode" and (keep is None or k in keep or k == "t")}
    )


def _possible_need(ftype: str, fact: Fact) -> Need:
    subject_type, field, case_field = _POSSIBLE[ftype]
    sid = str(fact.get(field, ""))
    if sid.startswith("?"):  # the possible victim or suspect of an allegation
        sid = sid[1:]
        subject_type, case_field = "allegation", "victim" if ftype == "victim" else "offenders"
    return subject_type, sid, case_field


def _open(trace: Sequence[Firing], types: Mapping[str, FactType]) -> list[Firing]:
    """Maybe firings with no sure twin whose conclusion no sure firing draws: what may
    still change once the unknown facts are known."""
    sure = {f.key()[0::2] for f in trace if f.variant == "sure"}
    sure_conclusions = {_strip(f.conclusion, types) for f in trace if f.variant == "sure"}
    return [
        f
        for f in trace
        if f.variant == "maybe"
        and f.key()[0::2] not in sure
        and _strip(f.conclusion, types) not in sure_conclusions
    ]


def open_rules(trace: Sequence[Firing], types: Mapping[str, FactType]) -> tuple[str, ...]:
    """The rules that may yet fire, or stop firing, once unknown facts are known."""
    pending = {f.rule.id for f in _open(trace, types)}
    for f in trace:
        if f.variant == "sure" and any(
            c.op == "known" and c.value is False for p in f.rule.positives() for c in p.conds
        ):
            pending.add(f.rule.id)
    return tuple(sorted(pending))


def still_needed(
    trace: Sequence[Firing], facts: Iterable[Fact], types: Mapping[str, FactType]
) -> tuple[StillNeeded, ...]:
    """The still-needed facts of a trace, sorted and de-duplicated."""
    facts_of: dict[str, list[Fact]] = {}
    for fact in facts:
        facts_of.setdefault(fact["t"], []).append(fact)
    needed: dict[Need, set[str]] = {}

    def need(ftype: str, fact: Fact, fname: str | None, rule_id: str) -> None:
        if ftype in POSSIBLE_TYPES and EXISTS not in fact:
            needed.setdefault(_possible_need(ftype, fact), set()).add(rule_id)
            return
        if fname is None or not types[ftype].fields[fname].ask:
            return
        subject = types[ftype].subject
        needed.setdefault((ftype, str(fact.get(subject, "")), fname), set()).add(rule_id)

    def unknown_fields(conds: Iterable[Cond], fact: Fact) -> list[str]:
        return [c.field for c in conds if c.field not in fact and c.field != EXISTS]

    for firing in trace:
        if firing.variant != "sure":
            continue
        bound = dict(firing.bindings)
        for pat in firing.rule.positives():
            for c in pat.conds:
                if c.op == "known" and c.value is False and not types[pat.type].derived:
                    need(pat.type, bound[pat.alias], c.field, firing.rule.id)
    for firing in _open(trace, types):
        bound = dict(firing.bindings)
        for pat in firing.rule.patterns:
            if types[pat.type].derived:
                continue  # an unsure derived fact: its own producer reports the root cause
            if not pat.negated:
                fact = bound[pat.alias]
                if pat.type in POSSIBLE_TYPES and EXISTS not in fact:
                    need(pat.type, fact, None, firing.rule.id)
                    continue
                for fname in unknown_fields(pat.conds, fact):
                    need(pat.type, fact, fname, firing.rule.id)
                continue
            for other in facts_of.get(pat.type, ()):
                if pattern_holds(pat, other, bound, True) and not pattern_holds(
                    pat, other, bound, False
                ):
                    if pat.type in POSSIBLE_TYPES and EXISTS not in other:
                        need(pat.type, other, None, firing.rule.id)
                        continue
                    for fname in unknown_fields(pat.conds, other):
                        need(pat.type, other, fname, firing.rule.id)
    return tuple(
        StillNeeded(
            subject_type=ftype,
            subject_id=sid,
            field=fname,
            path=case_path(ftype, sid, fname),
            question=_question(types, ftype, fname),
            needed_by=tuple(sorted(rules)),
        )
        for (ftype, sid, fname), rules in sorted(needed.items())
    )


def _question(types: Mapping[str, FactType], ftype: str, fname: str) -> str:
    if (ftype, fname) in QUESTIONS:
        return QUESTIONS[(ftype, fname)]
    spec = types[ftype].fields.get(fname)
    return (spec.question if spec else "") or f"What is the {fname}?"


__all__ = ["fact_key", "open_rules", "still_needed"]
