"""Still needed: the unknown facts that keep a rule from being decided either way.

For each *maybe* firing with no *sure* twin, the unknown fields its conditions test are
needed (the binding's own facts, and facts that could block an ``absent`` pattern); a
possible fact (one that may not exist: ``_engine.facts``) is asked for as the case field it stands
for. A maybe firing whose conclusion is already surely drawn by another rule needs nothing.
A sure firing that rests on a field being unknown (``known: false``) needs that field too:
the outcome changes once it is known.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import cast

from counting_rules._case.answer_types import answer_for
from counting_rules._engine.actions import Firing, applies_fact
from counting_rules._engine.facts import (
    Fact,
    case_field,
    case_path,
    fact_key,
    possible_of,
)
from counting_rules._engine.match import pattern_holds
from counting_rules._rulebook.fact_types import EXISTS, POSSIBLE_TYPES, FactType
from counting_rules._rulebook.ir import APPLIES, CompiledRule, Cond, Edition, Pattern, Rulebook
from counting_rules.decision import Settles, StillNeeded

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
    subject_type, field, asked = _POSSIBLE[ftype]
    sid = str(fact.get(field, ""))
    aid = possible_of(sid)
    if aid is not None:  # the possible victim or suspect of an allegation
        return "allegation", aid, "victim" if ftype == "victim" else "offenders"
    return subject_type, sid, asked


def _not_crimes(trace: Sequence[Firing]) -> set[object]:
    """Allegations surely decided as not crimes (an incident, an N100). Their classification
    is moot: only rules about recorded crimes read a classification (a health test checks)."""
    recordings = [f for f in trace if f.conclusion["t"] == "recording"]
    may_be_crimes = {
        f.conclusion["aid"] for f in recordings if f.conclusion.get("outcome") == "record"
    }  # surely or perhaps (an exception that may yet apply)
    return {
        f.conclusion["aid"]
        for f in recordings
        if f.variant == "sure" and f.conclusion.get("outcome") != "record"
    } - may_be_crimes


def _open(trace: Sequence[Firing], types: Mapping[str, FactType]) -> list[Firing]:
    """Maybe firings with no sure twin whose conclusion no sure firing draws."""
    sure = {f.key()[0::2] for f in trace if f.variant == "sure"}
    sure_conclusions = {_strip(f.conclusion, types) for f in trace if f.variant == "sure"}
    return [
        f
        for f in trace
        if f.variant == "maybe"
        and f.key()[0::2] not in sure
        and _strip(f.conclusion, types) not in sure_conclusions
    ]


class _Analysis:
    """Which unknown facts each unsettled firing rests on, and so which rules may change."""

    def __init__(
        self, trace: Sequence[Firing], facts: Iterable[Fact], types: Mapping[str, FactType]
    ) -> None:
        self.types = types
        self.facts_of: dict[str, list[Fact]] = {}
        for fact in facts:
            self.facts_of.setdefault(fact["t"], []).append(fact)
        self.needed: dict[Need, set[str]] = {}
        self.pending: set[str] = set()
        # Overriding rules that may yet apply, as the hidden facts their firings assert: a
        # firing held to "maybe" by one of them rests on that rule's unknown facts.
        self.maybe_overrides: list[tuple[Fact, Firing]] = [
            (applies_fact(f.rule.id, f.variant, f.conclusion, types[f.conclusion["t"]]), f)
            for f in trace
            if f.variant == "maybe" and f.rule.emits_applies
        ]
        self._seen: set[int] = set()
        opened: set[str] = set()  # conclusions of open maybe firings
        for firing in trace:
            if firing.variant == "sure":
                self._record(firing, self._assumed_unknown(firing))
        moot = _not_crimes(trace)
        unsettled = {
            id(f)
            for f in _open(trace, types)
            if not (f.conclusion["t"] == "classification" and f.conclusion.get("aid") in moot)
        }
        for firing in trace:  # producers come before the rules that match their facts
            if id(firing) not in unsettled:
                continue
            needs = self._unknowns(firing)
            rests_on_open = any(
                types[fact["t"]].derived and _strip(fact, types) in opened
                for _, fact in firing.bindings
            )
            if needs or rests_on_open:
                opened.add(_strip(firing.conclusion, types))
                self.pending.add(firing.rule.id)
            self._record(firing, needs)

    def _record(self, firing: Firing, needs: list[Need]) -> None:
        for n in needs:
            self.needed.setdefault(n, set()).add(firing.rule.id)
        if needs:
            self.pending.add(firing.rule.id)

    def _need(self, ftype: str, fact: Fact, fname: str) -> list[Need]:
        if not self.types[ftype].fields[fname].ask:
            return []  # an audit fact: unknown means "not audited", never a question
        return [(ftype, str(fact.get(self.types[ftype].subject, "")), fname)]

    def _assumed_unknown(self, firing: Firing) -> list[Need]:
        """A sure firing that rests on a field being unknown changes once it is known."""
        bound = dict(firing.bindings)
        return [
            n
            for pat in firing.rule.positives()
            if not self.types[pat.type].derived
            for c in pat.conds
            if c.op == "known" and c.value is False
            for n in self._need(pat.type, bound[pat.alias], c.field)
        ]

    def _override_unknowns(self, pat: Pattern, bound: dict[str, Fact]) -> list[Need]:
        """The unknown facts of the overriding rules that may yet apply to this binding:
        until they are known, the rule they would override may or may not decide."""
        out: list[Need] = []
        for fact, other in self.maybe_overrides:
            if id(other) in self._seen or not pattern_holds(pat, fact, bound, True):
                continue
            self._seen.add(id(other))  # an override chain is followed once, never round
            out += self._unknowns(other)
            self._seen.discard(id(other))
        return out

    def _fact_unknowns(self, ftype: str, fact: Fact, conds: Iterable[Cond]) -> list[Need]:
        if ftype in POSSIBLE_TYPES and EXISTS not in fact:
            return [_possible_need(ftype, fact)]
        return [
            n
            for c in conds
            if c.field not in fact and c.field != EXISTS
            for n in self._need(ftype, fact, c.field)
        ]

    def _unknowns(self, firing: Firing) -> list[Need]:
        bound = dict(firing.bindings)
        out: list[Need] = []
        for pat in firing.rule.patterns:
            if pat.negated and pat.type == APPLIES:
                out += self._override_unknowns(pat, bound)
                continue
            if self.types[pat.type].derived:
                continue  # an unsure derived fact: its own producer reports the root cause
            if not pat.negated:
                out += self._fact_unknowns(pat.type, bound[pat.alias], pat.conds)
                continue
            for other in self.facts_of.get(pat.type, ()):
                if pattern_holds(pat, other, bound, True) and not pattern_holds(
                    pat, other, bound, False
                ):
                    out += self._fact_unknowns(pat.type, other, pat.conds)
        return out


Stages = tuple[frozenset[str], frozenset[str]]


def stages(rules: Iterable[CompiledRule]) -> Stages:
    """The derived types that settle the recording decision, and those that settle the count
    (read from the rules)."""
    rules = tuple(rules)
    return _feeding(rules, "recording"), _feeding(rules, "absorbed")


def edition_stages(book: Rulebook, edition: Edition) -> Stages:
    """``stages`` of the edition's rules, computed once per edition and kept by the rulebook."""
    key = ("stages", edition.id)
    found = book.caches.get(key)
    if found is None:
        found = book.caches[key] = stages(edition.rules)
    return cast(Stages, found)


def analyse(
    trace: Sequence[Firing],
    facts: Iterable[Fact],
    types: Mapping[str, FactType],
    stage_types: Stages | None = None,
) -> tuple[tuple[StillNeeded, ...], tuple[str, ...]]:
    """The still-needed facts (sorted, de-duplicated) and the rules that may yet fire, or
    stop firing, once unknown facts are known. ``stage_types`` (from ``stages``) default to
    those of the rules in the trace."""
    found = _Analysis(trace, facts, types)
    concludes = {f.rule.id: f.rule.rule.conclusion.type for f in trace}
    recording, counting = stage_types or stages({f.rule.id: f.rule for f in trace}.values())
    needed = []
    for (ftype, sid, fname), rules in found.needed.items():
        path = case_path(ftype, sid, fname)
        answer, choices = answer_for(*case_field(ftype, fname))
        needed.append(
            StillNeeded(
                subject_type=ftype,
                subject_id=sid,
                field=fname,
                path=path,
                question=_question(types, ftype, fname),
                answer_type=answer,
                choices=choices,
                settles=min(
                    (_settles(concludes.get(r, ""), recording, counting) for r in rules),
                    key=_STAGES.index,
                ),
                needed_by=tuple(sorted(rules)),
            )
        )
    # Whether to record first, then which crime, then how many, then the rest; within each,
    # the questions more rules wait on first, then in case order.
    needed.sort(key=lambda n: (_STAGES.index(n.settles), -len(n.needed_by), n.path))
    return tuple(needed), tuple(sorted(found.pending))


# What a rule's conclusion settles: the recording decision (and the facts it rests on), the
# classification, the count (which crimes absorb others), or the rest (deadlines, flags,
# duties, findings).
_STAGES: tuple[Settles, ...] = ("recording", "classification", "counting", "other")


def _feeding(rules: Sequence[CompiledRule], root: str) -> frozenset[str]:
    """``root`` and the derived types the rules concluding it match, transitively: for
    ``recording``, whether the account is a crime in law and credible evidence to the
    contrary; for ``absorbed``, the candidate and ranked crimes."""
    found = {root}
    grew = True
    while grew:
        grew = False
        for rule in rules:
            if rule.rule.conclusion.type not in found:
                continue
            for p in rule.patterns:
                if p.derived and not p.negated and p.type not in found:
                    found.add(p.type)
                    grew = True
    return frozenset(found)


def _settles(ctype: str, recording: frozenset[str], counting: frozenset[str]) -> Settles:
    if ctype in recording:
        return "recording"
    if ctype == "classification":
        return "classification"
    return "counting" if ctype in counting else "other"


def still_needed(
    trace: Sequence[Firing], facts: Iterable[Fact], types: Mapping[str, FactType]
) -> tuple[StillNeeded, ...]:
    """The still-needed facts of a trace."""
    return analyse(trace, facts, types)[0]


def _question(types: Mapping[str, FactType], ftype: str, fname: str) -> str:
    if (ftype, fname) in QUESTIONS:
        return QUESTIONS[(ftype, fname)]
    spec = types[ftype].fields.get(fname)
    return (spec.question if spec else "") or f"What is the {fname}?"


__all__ = ["analyse", "fact_key", "still_needed"]
