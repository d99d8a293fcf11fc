"""Compile one edition's intermediate form into a durable_rules ruleset (plain JSON).

Only the checked subset is emitted: typed scalar comparisons, joins on bound facts, ``$or``
of equalities for ``in``, ``$ex``/``$nex`` for known/unknown. No regexes (their DFA is wrong
for alternations). Each rule becomes a *sure* and, where facts can be unknown, a *maybe*
rule with the semantics of ``_engine.match``. A rule in stratum n > 0 starts with a gate pattern
on the ``$stratum`` fact n, placed *first*: durable_rules checks a negation only when the
patterns before it are joined, so the gate makes that happen after every fact the negation
looks at has been asserted (durable-rules-notes B1).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import product
from typing import Any

from counting_rules._rulebook.ir import (
    SENTINEL,
    STRATUM,
    CompiledRule,
    Cond,
    Edition,
    Pattern,
    Ref,
    Scalar,
    Variant,
)

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


# Fields that split facts of one type into small groups; tested first.
_DISCRIMINATORS = (
    "offence",
    "outcome",
    "kind",
    "category",
    "code",
    "flag",
    "duty",
    "strand",
    "reporter_kind",
    "rule",
    "n100_type",
    "subject",
)


def _order(cond: Cond) -> tuple[int, int, str, str, str]:
    """Canonical condition order, so the alpha network is a shared discrimination tree.

    durable_rules walks matching alpha nodes with a 64-entry stack (error 303 past that) and
    pushes every join node of a matching parent unconditionally. Identical conditions under
    the same parent share a node, so every pattern tests the same fields in the same order:
    discriminating literals first, other literals next, joins last.
    """
    is_ref = isinstance(cond.value, Ref)
    rank = _DISCRIMINATORS.index(cond.field) if cond.field in _DISCRIMINATORS else 99
    return (int(is_ref), rank, cond.field, cond.op, repr(cond.value))


def _wrapped(cond: Cond, possible: bool) -> bool:
    """Is the test "holds, or the field is unknown"? (an ``$or`` with ``$nex``)"""
    return possible and cond.op != "known" and cond.nullable


def _cond(cond: Cond, aliases: dict[str, str], possible: bool) -> list[dict[str, Any]]:
    """The durable_rules tests of one condition: flat tests, or one group."""
    if possible and cond.op == "known" and cond.value is True and cond.nullable:
        return []  # an unknown field may yet become known: no test to make
    if cond.op == "not_in" and not _wrapped(cond, possible):
        assert isinstance(cond.value, tuple)
        return [{"$neq": {cond.field: v}} for v in cond.value]
    expr = _cmp(cond, aliases)
    if _wrapped(cond, possible):
        return [{"$or": [{"$nex": {cond.field: 1}}, expr]}]
    return [expr]


def _is_group(test: dict[str, Any]) -> bool:
    return "$or" in test or "$and" in test


def _residual(cond: Cond, pat: Pattern) -> bool:
    """A condition the maybe variant checks in its action rather than in the alpha network.

    "Holds or is unknown" needs an ``$or`` with ``$nex``, and every ``$or`` adds an unshared
    forward node that durable_rules pushes on its 64-entry alpha stack (error 303); so a
    positive pattern of a maybe rule keeps only its always-known tests in durable_rules.
    """
    return cond.rests_on_unknown


def _pattern(pat: Pattern, aliases: dict[str, str], variant: Variant) -> dict[str, Any]:
    # Positive patterns accept unknowns in the maybe variant; absent patterns the reverse.
    possible = (variant == "maybe") != pat.negated
    parts: list[dict[str, Any]] = [{"t": pat.type}]
    if pat.derived and not possible:
        parts.append({"mode": "sure"})
    conds = sorted(pat.conds, key=_order)
    if possible and not pat.negated:
        conds = [c for c in conds if not _residual(c, pat)]
    tests = [(t, c) for c in conds for t in _cond(c, aliases, possible)]
    # Order matters beyond speed: durable_rules silently ignores a join that comes after an
    # "$or" or a nested "$and" in the same pattern, so groups go last, after the joins.
    flat = [t for t, c in tests if not _is_group(t) and not isinstance(c.value, Ref)]
    joins = [t for t, c in tests if not _is_group(t) and isinstance(c.value, Ref)]
    groups = [t for t, _ in tests if _is_group(t)]
    parts += flat + joins + groups
    return {"$and": parts} if len(parts) > 1 else parts[0]


_MAX_SPLIT = 16


def _splits(cr: CompiledRule, variant: Variant) -> list[dict[tuple[int, int], Scalar]]:
    """Ways to split the ``in`` tests of positive patterns into plain equalities.

    An ``in`` would compile to ``$or``, whose forward nodes durable_rules never shares and
    pushes onto its 64-entry alpha stack (error 303). A fact has one value per field, so the
    split rules are mutually exclusive and fire exactly when the ``in`` would.
    """
    options: list[list[tuple[tuple[int, int], Scalar]]] = []
    for i, pat in enumerate(cr.patterns):
        if pat.negated:
            continue
        for j, cond in enumerate(pat.conds):
            if cond.op != "in" or (variant == "maybe" and _residual(cond, pat)):
                continue
            assert isinstance(cond.value, tuple)
            options.append([((i, j), v) for v in cond.value])
    combos: list[dict[tuple[int, int], Scalar]] = [{}]
    for opt in options:
        if len(combos) * len(opt) > _MAX_SPLIT:
            break  # keep the remaining ``in`` tests as $or
        combos = [{**c, k: v} for c in combos for k, v in opt]
    return combos


# Alpha nodes durable_rules pushes unconditionally onto its 64-entry stack when a fact of a
# type arrives: join tests (never shared between rules) and ``$or`` forward nodes. Rules are
# packed into shards so that no shard has more than this many for any fact type.
PUSH_BUDGET = 40


@dataclass
class Shard:
    """One durable_rules ruleset: part of an edition's rules."""

    ruleset: dict[str, Any]
    names: RuleMap
    pushes: dict[str, int]


def _unshared(pat: Pattern, variant: Variant) -> int:
    """How many alpha nodes of ``pat`` durable_rules pushes without sharing: its joins and
    the forward node of each ``$or`` (``in`` lists, and "holds or unknown" in negations)."""
    possible = (variant == "maybe") != pat.negated
    n = 0
    for c in pat.conds:
        if possible and not pat.negated and _residual(c, pat):
            continue  # checked in the action, not in durable_rules
        if isinstance(c.value, Ref):
            n += 1
        if (c.op == "in" and isinstance(c.value, tuple) and len(c.value) > 1) or _wrapped(
            c, possible
        ):
            n += 1
    return n


_DurableRule = tuple[str, dict[str, Any], Variant, dict[str, str], dict[str, int]]


def _durable_rules(cr: CompiledRule) -> list[_DurableRule]:
    """The durable_rules rules of one rule: each variant, with its ``in`` tests split into
    equalities where that pushes fewer unshared nodes (splits copy the rule's joins)."""
    whole = _durable_variants(cr, split=False)
    parts = _durable_variants(cr, split=True)
    return parts if _worst(parts) < _worst(whole) else whole


def _worst(rules: list[_DurableRule]) -> int:
    total: dict[str, int] = {}
    for *_, pushes in rules:
        for t, n in pushes.items():
            total[t] = total.get(t, 0) + n
    return max(total.values(), default=0)


def _known_splits(cr: CompiledRule, variant: Variant) -> list[tuple[int, int]]:
    """The residual tests a maybe variant splits on, so that durable_rules tests them.

    A maybe variant's "holds or unknown" test cannot be an ``$or`` within the 64-entry alpha
    stack, and for a join not at all (durable_rules ignores a join inside or after one), so
    it is a residual test in Python and every fact, or pair of facts, reaches an action:
    cost quadratic in the facts of a type. Split on such a test instead: one rule makes it in
    the network (the field known and the test holding), its twin tests the field unknown
    (``$nex``). The two are mutually exclusive (the field is known or not) and together fire
    exactly when the residual holds. Only rules that pair facts are split (with one pattern,
    a residual costs an action per fact, cheaper than the extra rules), and at most one
    literal (the first positive pattern's) and one join (on an id if there is one): each
    split doubles the variant's rules.
    """
    if variant != "maybe" or len(cr.positives()) < 2:
        return []  # one pattern: a residual costs one action per fact, not per pair
    literal: tuple[int, int] | None = None
    joins: list[tuple[int, int, Cond]] = []
    for i, pat in enumerate(cr.patterns):
        if pat.negated:
            continue
        for j, c in sorted(enumerate(pat.conds), key=lambda jc: _order(jc[1])):
            if not _residual(c, pat) or c.op not in ("eq", "in"):
                continue
            if isinstance(c.value, Ref):
                joins.append((i, j, c))
            elif literal is None:
                literal = (i, j)
    out = [literal] if literal is not None else []
    if joins:
        i, j, _ = min(joins, key=lambda x: (not x[2].field.endswith("id"), x[0]))
        out.append((i, j))
    return out


def _durable_variants(cr: CompiledRule, *, split: bool) -> list[_DurableRule]:
    out = []
    variants: tuple[Variant, ...] = ("sure", "maybe") if cr.can_be_maybe else ("sure",)
    for variant in variants:
        splits = _splits(cr, variant) if split else [{}]
        at = _known_splits(cr, variant)
        for n, split_at in enumerate(splits):
            for halves in product("ju", repeat=len(at)):
                known = dict(zip(at, halves, strict=True))
                suffix = f"{n}{''.join(halves)}"
                out.append(_durable_rule(cr, variant, suffix, split_at, known))
    return out


def _durable_rule(
    cr: CompiledRule,
    variant: Variant,
    suffix: str,
    split_at: dict[tuple[int, int], Scalar],
    known: dict[tuple[int, int], str],
) -> _DurableRule:
    aliases: dict[str, str] = {}
    back: dict[str, str] = {}
    pushes: dict[str, int] = {}
    pats: list[dict[str, Any]] = []
    if cr.stratum > 0:
        pats.append({GATE_ALIAS: {"$and": [{"t": STRATUM}, {"n": cr.stratum}]}})
    for i, pat in enumerate(cr.patterns):
        name = f"p{i}"
        conds = []
        for j, c in enumerate(pat.conds):
            if (i, j) in split_at:
                c = replace(c, op="eq", value=split_at[(i, j)])
            elif known.get((i, j)) == "j":
                c = replace(c, nullable=False)  # known, and tested in the network
            elif (i, j) in known:
                c = Cond(c.field, "known", False, True)  # unknown: nothing more to test
            conds.append(c)
        split_pat = replace(pat, conds=tuple(conds))
        expr = _pattern(split_pat, aliases, variant)
        pats.append({f"{name}$not" if pat.negated else name: expr})
        pushes[pat.type] = pushes.get(pat.type, 0) + _unshared(split_pat, variant)
        if not pat.negated:
            aliases[pat.alias] = name
            back[name] = pat.alias
    return (f"r{cr.index}{variant[0]}{suffix}", {"all": pats}, variant, back, pushes)


def compile_edition(edition: Edition) -> list[Shard]:
    """The durable_rules rulesets (shards) of ``edition``, each with a map from durable rule
    name back to (rule, variant, durable alias -> rule alias)."""
    shards: list[Shard] = []
    for cr in edition.rules:
        rules = _durable_rules(cr)
        need: dict[str, int] = {}
        for *_, pushes in rules:
            for t, n in pushes.items():
                need[t] = need.get(t, 0) + n
        home = next(
            (
                sh
                for sh in shards
                if all(sh.pushes.get(t, 0) + n <= PUSH_BUDGET for t, n in need.items())
            ),
            None,
        )
        if home is None:
            home = Shard({SENTINEL_RULE: {"all": [{"m": {"t": SENTINEL}}]}}, {}, {})
            shards.append(home)
        for rname, body, variant, back, _ in rules:
            home.ruleset[rname] = body
            home.names[rname] = (cr, variant, back)
        for t, n in need.items():
            home.pushes[t] = home.pushes.get(t, 0) + n
    if not shards:
        shards.append(Shard({SENTINEL_RULE: {"all": [{"m": {"t": SENTINEL}}]}}, {}, {}))
    return shards
