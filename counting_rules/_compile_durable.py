"""Compile one edition's intermediate form into a durable_rules ruleset (plain JSON).

Only the checked subset is emitted: typed scalar comparisons, joins on bound facts, ``$or``
of equalities for ``in``, ``$ex``/``$nex`` for known/unknown. No regexes (their DFA is wrong
for alternations). Each rule becomes a *sure* and, where facts can be unknown, a *maybe*
rule with the semantics of ``_match``. A rule in stratum n > 0 starts with a gate pattern
on the ``$stratum`` fact n, placed *first*: durable_rules checks a negation only when the
patterns before it are joined, so the gate makes that happen after every fact the negation
looks at has been asserted (durable-rules-notes B1).
"""

from __future__ import annotations

from typing import Any

from ._ir import SENTINEL, STRATUM, CompiledRule, Cond, Edition, Pattern, Ref, Variant

SENTINEL_RULE = "sentinel"
GATE_ALIAS = "g"

RuleMap = dict[str, tuple[CompiledRule, Variant, dict[str, str]]]


def _cmp(cond: Cond, aliases: dict[str, str]) -> dict[str, Any]:
    value = cond.value
    f = cond.field
    if cond.op == "known":
        return {"$ex" if value else "$nex": {f: 1}}
    if cond.op == "in":
        assert isinstance(value, tuple)
        return {"$or": [{f: v} for v in value]} if len(value) > 1 else {f: value[0]}
    if cond.op == "not_in":
        assert isinstance(value, tuple)
        return {"$and": [{"$neq": {f: v}} for v in value]}
    operand: Any = {aliases[value.alias]: value.field} if isinstance(value, Ref) else value
    if cond.op == "eq":
        return {f: operand}
    op = {"ne": "$neq", "lt": "$lt", "le": "$lte", "gt": "$gt", "ge": "$gte"}[cond.op]
    return {op: {f: operand}}


def _cond(cond: Cond, aliases: dict[str, str], possible: bool, derived: bool) -> dict[str, Any]:
    expr = _cmp(cond, aliases)
    if possible and cond.op != "known" and (cond.nullable or derived):
        return {"$or": [expr, {"$nex": {cond.field: 1}}]}
    return expr


def _pattern(pat: Pattern, aliases: dict[str, str], variant: Variant) -> dict[str, Any]:
    # Positive patterns accept unknowns in the maybe variant; absent patterns the reverse.
    possible = (variant == "maybe") != pat.negated
    parts: list[dict[str, Any]] = [{"t": pat.type}]
    if pat.derived and not possible:
        parts.append({"mode": "sure"})
    # Literal tests before joins: durable_rules pushes every join node of a matching parent
    # onto a 64-entry alpha stack unconditionally (error 303 past that), so joins go last,
    # under the literal tests that filter them.
    conds = sorted(pat.conds, key=lambda c: isinstance(c.value, Ref))
    parts += [_cond(c, aliases, possible, pat.derived) for c in conds]
    return {"$and": parts} if len(parts) > 1 else parts[0]


def compile_edition(edition: Edition) -> tuple[dict[str, Any], RuleMap]:
    """The durable_rules ruleset of ``edition`` and a map from durable rule name back to
    (rule, variant, durable alias -> rule alias)."""
    ruleset: dict[str, Any] = {SENTINEL_RULE: {"all": [{"m": {"t": SENTINEL}}]}}
    names: RuleMap = {}
    for cr in edition.rules:
        variants: tuple[Variant, ...] = ("sure", "maybe") if cr.can_be_maybe else ("sure",)
        for variant in variants:
            aliases: dict[str, str] = {}
            back: dict[str, str] = {}
            pats: list[dict[str, Any]] = []
            if cr.stratum > 0:
                pats.append({GATE_ALIAS: {"$and": [{"t": STRATUM}, {"n": cr.stratum}]}})
            for i, pat in enumerate(cr.patterns):
                name = f"p{i}"
                expr = _pattern(pat, aliases, variant)
                if pat.negated:
                    pats.append({f"{name}$not": expr})
                else:
                    pats.append({name: expr})
                    aliases[pat.alias] = name
                    back[name] = pat.alias
            rname = f"r{cr.index}{variant[0]}"
            ruleset[rname] = {"all": pats}
            names[rname] = (cr, variant, back)
    return ruleset, names
