"""Check one rule spec against the fact schema and turn it into the intermediate form.

Every name a rule uses (fact type, alias, field, enumerated value, table) is checked here,
at load time, with a "did you mean" for near misses (HOCR rules as data, design note §3).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from counting_rules._rulebook.fact_types import (
    EXISTS,
    POSSIBLE_TYPES,
    RESERVED,
    FactType,
    FieldSpec,
)
from counting_rules._rulebook.file_format import RuleSpec
from counting_rules._rulebook.ir import (
    Conclusion,
    Cond,
    Expr,
    Lookup,
    Op,
    Pattern,
    Ref,
    Rule,
    Scalar,
)

_OPS: frozenset[str] = frozenset({"eq", "ne", "lt", "le", "gt", "ge", "in", "not_in", "known"})
_ORDERED: frozenset[str] = frozenset({"lt", "le", "gt", "ge"})


class ResolveError(Exception):
    """A rule names something that does not exist; ``path`` locates it in the rule file."""

    def __init__(self, message: str, path: tuple[str | int, ...], fix: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.fix = fix


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A suggestion for a misspelt name, or None."""
    match = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f"did you mean {match[0]!r}?" if match else None


def _unknown(
    what: str, word: str, choices: Iterable[str], path: tuple[str | int, ...]
) -> ResolveError:
    choices = list(choices)
    hint = did_you_mean(word, choices) or "choose one of: " + ", ".join(sorted(choices))
    return ResolveError(f"unknown {what} {word!r}", path, hint)


def _kind_of(value: Any) -> str | None:
    # bool before int: True is an int in Python but never in a fact.
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, str):
        return "str"
    return None


class _Scope:
    def __init__(self, types: Mapping[str, FactType]) -> None:
        self.types = types
        self.aliases: dict[str, FactType] = {}
        self.constrained: set[tuple[str, str]] = set()

    def field(self, ftype: FactType, name: str, path: tuple[str | int, ...]) -> FieldSpec:
        if name in RESERVED:
            raise ResolveError(f"field {name!r} is reserved for the engine", path)
        if name not in ftype.fields:
            raise _unknown(f"field of {ftype.name}", name, ftype.fields, path)
        return ftype.fields[name]

    def ref(self, text: str, path: tuple[str | int, ...]) -> tuple[Ref, FieldSpec]:
        alias, _, fname = text[1:].partition(".")
        if alias not in self.aliases:
            raise _unknown("alias", alias, self.aliases, path)
        spec = self.field(self.aliases[alias], fname, path)
        return Ref(alias, fname), spec


def _literal(value: Any, spec: FieldSpec, path: tuple[str | int, ...]) -> Scalar:
    kind = _kind_of(value)
    if kind != spec.kind:
        raise ResolveError(
            f"value {value!r} is {kind or type(value).__name__}, but the field is {spec.kind}",
            path,
            f"write a {spec.kind} value",
        )
    if spec.values is not None and value not in spec.values:
        raise _unknown("value", str(value), spec.values, path)
    assert isinstance(value, str | int)
    return value


def _operand(
    scope: _Scope, op: str, raw: Any, spec: FieldSpec, path: tuple[str | int, ...]
) -> Scalar | tuple[Scalar, ...] | Ref:
    if op == "known":
        if not isinstance(raw, bool):
            raise ResolveError("'known' takes true or false", path)
        return raw
    if op in ("in", "not_in"):
        if not isinstance(raw, list) or not raw:
            raise ResolveError(f"'{op}' takes a non-empty list", path)
        return tuple(_literal(v, spec, (*path, i)) for i, v in enumerate(raw))
    if isinstance(raw, str) and raw.startswith("$"):
        ref, other = scope.ref(raw, path)
        if other.kind != spec.kind:
            raise ResolveError(
                f"cannot compare a {spec.kind} field with {raw} ({other.kind})", path
            )
        return ref
    if op in _ORDERED and spec.kind == "bool":
        raise ResolveError(f"'{op}' does not apply to a true/false field", path)
    return _literal(raw, spec, path)


def may_be_missing(ftype: FactType, spec: FieldSpec) -> bool:
    """Can the field be absent from a fact? Derived facts always carry their keys; any other
    derived field may be missing from a *maybe* fact whose source was unknown."""
    if ftype.derived:
        return spec.nullable or spec.role != "key"
    return spec.nullable


def _not_on_possible_facts(ftype: FactType, fname: str) -> bool:
    """Is ``fname`` a field a possible fact of this type lacks (it has only its ids)?"""
    return ftype.name in POSSIBLE_TYPES and fname not in POSSIBLE_TYPES[ftype.name]


def _conds(
    scope: _Scope,
    ftype: FactType,
    where: Mapping[str, Any],
    path: tuple[str | int, ...],
    negated: bool = False,
) -> tuple[Cond, ...]:
    out: list[Cond] = []
    for fname, raw in where.items():
        fpath = (*path, "where", fname)
        spec = scope.field(ftype, fname, fpath)
        ops: Mapping[str, Any]
        if isinstance(raw, dict):
            ops = raw
        elif isinstance(raw, list):
            ops = {"in": raw}
        else:
            ops = {"eq": raw}
        if not ops:
            raise ResolveError("empty condition", fpath)
        for op, operand in ops.items():
            if op not in _OPS:
                raise _unknown("operator", op, _OPS, (*fpath, op))
            value = _operand(scope, op, operand, spec, (*fpath, op))
            missing = may_be_missing(ftype, spec) or _not_on_possible_facts(ftype, fname)
            if negated and missing and isinstance(value, Ref):
                # durable_rules cannot test a join inside "$or" (error 311), which "no fact
                # that could match" would need for a field that may be unknown.
                raise ResolveError(
                    f"an 'absent' pattern can join only on a field that is always known; "
                    f"{ftype.name}.{fname} may be unknown",
                    (*fpath, op),
                    "join on an id or key field",
                )
            out.append(Cond(fname, _as_op(op), value, missing))
    return tuple(out)


def _join_keys_known(patterns: list[Pattern]) -> list[Pattern]:
    """A field a later pattern joins on must be present on the bound fact even in the maybe
    variant (durable_rules fails a join on a missing property, error 311), so its
    ``known: true`` test is strict: an unknown join key leaves the rule unfired."""
    keys = {
        (c.value.alias, c.value.field)
        for p in patterns
        for c in p.conds
        if isinstance(c.value, Ref)
    }
    out = []
    for p in patterns:
        conds = tuple(
            replace(c, nullable=False)
            if c.op == "known" and c.value is True and (p.alias, c.field) in keys
            else c
            for c in p.conds
        )
        out.append(replace(p, conds=conds))
    return out


def _as_op(op: str) -> Op:
    assert op in _OPS
    return op  # type: ignore[return-value]


def _expr(
    scope: _Scope,
    raw: Any,
    target: FieldSpec,
    path: tuple[str | int, ...],
    tables: Mapping[str, Mapping[str, Mapping[str, Scalar]]],
) -> Expr:
    if isinstance(raw, dict):
        if set(raw) != {"lookup", "key"}:
            raise ResolveError("a computed value is {lookup: table.column, key: ...}", path)
        tname, _, column = str(raw["lookup"]).partition(".")
        if tname not in tables:
            raise _unknown("table", tname, tables, (*path, "lookup"))
        columns = next(iter(tables[tname].values()), {})
        if column not in columns:
            raise _unknown(f"column of {tname}", column, columns, (*path, "lookup"))
        key_raw = raw["key"]
        key: Ref | Scalar
        if isinstance(key_raw, str) and key_raw.startswith("$"):
            key = scope.ref(key_raw, (*path, "key"))[0]
        elif isinstance(key_raw, str):
            if key_raw not in tables[tname]:
                raise _unknown(f"key of {tname}", key_raw, tables[tname], (*path, "key"))
            key = key_raw
        else:
            raise ResolveError("a look-up key is a string or a $alias.field", (*path, "key"))
        sample = columns[column]
        if _kind_of(sample) != target.kind:
            raise ResolveError(
                f"{tname}.{column} is {_kind_of(sample)}, the field is {target.kind}", path
            )
        return Lookup(tname, column, key)
    if isinstance(raw, str) and raw.startswith("$"):
        ref, source = scope.ref(raw, path)
        if source.kind != target.kind:
            raise ResolveError(f"{raw} is {source.kind}, the field is {target.kind}", path)
        if (
            source.nullable
            and not target.nullable
            and (ref.alias, ref.field) not in scope.constrained
        ):
            raise ResolveError(
                f"{raw} may be unknown, but the concluded field must always be known",
                path,
                f"add a condition on {ref.field} to the '{ref.alias}' pattern",
            )
        return ref
    return _literal(raw, target, path)


def resolve(
    rule_id: str,
    spec: RuleSpec,
    types: Mapping[str, FactType],
    tables: Mapping[str, Mapping[str, Mapping[str, Scalar]]],
    *,
    file: str,
    line: int,
) -> Rule:
    """Check ``spec`` against the schema and return its intermediate form."""
    scope = _Scope(types)
    patterns: list[Pattern] = []
    for i, pat in enumerate(spec.when):
        path: tuple[str | int, ...] = ("when", i)
        tname = pat.match if pat.match is not None else pat.absent
        assert tname is not None
        if tname not in types or tname.startswith("$"):
            raise _unknown("fact type", tname, [t for t in types if not t.startswith("$")], path)
        ftype = types[tname]
        negated = pat.absent is not None
        if not negated:
            assert pat.as_ is not None
            if pat.as_ in scope.aliases:
                raise ResolveError(f"alias {pat.as_!r} is bound twice", (*path, "as"))
        conds = _conds(scope, ftype, pat.where, path, negated)
        if tname in POSSIBLE_TYPES:  # only a fact known to exist matches surely
            conds = (*conds, Cond(EXISTS, "eq", True, True))
        alias = pat.as_ if pat.as_ is not None else f"n{i}"
        patterns.append(Pattern(tname, alias, negated, conds, ftype.derived))
        if not negated:
            scope.aliases[alias] = ftype
            for cond in conds:
                if not (cond.op == "known" and cond.value is False):
                    scope.constrained.add((alias, cond.field))
    if all(p.negated for p in patterns):
        raise ResolveError("a rule needs at least one 'match' pattern", ("when",))
    patterns = _join_keys_known(patterns)
    ((ctype, raw_fields),) = spec.then.items()
    if ctype not in types or not types[ctype].derived:
        derived = [t for t, ft in types.items() if ft.derived]
        raise _unknown("conclusion type", ctype, derived, ("then",))
    target = types[ctype]
    fields: list[tuple[str, Expr]] = []
    for fname, raw in raw_fields.items():
        fspec = scope.field(target, fname, ("then", ctype, fname))
        fields.append((fname, _expr(scope, raw, fspec, ("then", ctype, fname), tables)))
    for fname, expr in fields:
        fspec = target.fields[fname]
        if fspec.role == "key" and isinstance(expr, Ref):
            src = scope.aliases[expr.alias]
            if may_be_missing(src, src.fields[expr.field]):
                raise ResolveError(
                    f"key {fname!r} must come from a field that is always known, "
                    f"not {expr.alias}.{expr.field}",
                    ("then", ctype, fname),
                    "take the key from an id field",
                )
    given = {f for f, _ in fields}
    for fname, fspec in target.fields.items():
        if not fspec.nullable and fname not in given:
            raise ResolveError(
                f"conclusion {ctype} needs field {fname!r}", ("then", ctype), f"add {fname}: ..."
            )
    return Rule(
        id=rule_id,
        title=spec.title,
        description=spec.description.strip(),
        citation=spec.citation,
        precedence=spec.precedence,
        overrides=spec.overrides,
        overrides_when=spec.overrides_when,
        patterns=tuple(patterns),
        conclusion=Conclusion(ctype, tuple(fields)),
        file=file,
        line=line,
        in_force_from=spec.in_force.from_,
        in_force_until=spec.in_force.until,
    )
