"""Each rule variant of an edition compiled into one SQL query over a whole batch of cases.

A fact type is a table (``c`` the case, ``id`` the fact, ``mode`` for derived facts, one
column per field, NULL where unknown). A rule variant is a join of its positive patterns on
the case column, its conditions as WHERE predicates and its ``absent`` patterns as correlated
``NOT EXISTS`` anti-joins. The query returns the case and the ids of the bound facts.

Three-valued logic is SQL's own: a condition on an unknown (NULL) field is neither true nor
false. The *sure* variant keeps rows where every predicate IS TRUE; the *maybe* variant rows
where none IS FALSE. The forms are written out (``col IS NULL OR col = v``) where the
reference evaluator's matching (``_engine.match``) differs from plain ``IS NOT FALSE``: a
condition comparing with a field that is unknown on the *other* fact never holds.

Anything this compiler cannot express is a ``BatchCompileError`` at compile time, naming the
rule: never a silently different answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from counting_rules._rulebook.fact_types import FactType
from counting_rules._rulebook.ir import CompiledRule, Cond, Edition, Pattern, Ref, Scalar, Variant
from counting_rules.errors import EngineError

SQL_TYPES = {"str": "VARCHAR", "int": "BIGINT", "bool": "BOOLEAN"}
_OPS = {"eq": "=", "ne": "<>", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}


class BatchCompileError(EngineError):
    """A rule uses a construct the batch evaluator cannot express in SQL."""


@dataclass(frozen=True)
class Query:
    """One rule variant as SQL: it returns ``c`` and the id of each positive pattern's fact."""

    rule: CompiledRule
    variant: Variant
    sql: str
    reads: tuple[str, ...]  # the fact types of its positive patterns (all must be non-empty)
    negates: tuple[str, ...]  # the fact types of its absent patterns
    # Per positive pattern, a test on a field that is never missing: some fact of the batch
    # must have one of these values, or the query can bind nothing and is not run.
    needs: tuple[tuple[str, str, frozenset[Scalar]], ...]


def table(type_name: str) -> str:
    """The quoted table name of a fact type (``$applies`` needs quoting)."""
    return quote(f"t_{type_name}")


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _kind(value: Scalar) -> str:
    # bool before int: a Python bool is an int.
    if isinstance(value, bool):
        return "bool"
    return "int" if isinstance(value, int) else "str"


def _literal(value: Scalar) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    return "'" + value.replace("'", "''") + "'"


class _RuleCompiler:
    def __init__(self, cr: CompiledRule, types: Mapping[str, FactType]) -> None:
        self.cr = cr
        self.types = types
        self.alias: dict[str, str] = {}  # IR alias -> SQL alias of a positive pattern
        self.type_of: dict[str, str] = {}

    def fail(self, what: str) -> BatchCompileError:
        rule = self.cr.rule
        return BatchCompileError(
            f"rule {rule.id} ({rule.file}:{rule.line}): the batch evaluator cannot compile {what}",
            fix="use evaluator='durable' or 'reference' for this rulebook, "
            "or extend counting_rules/_engine/batch/compile.py",
        )

    def field_kind(self, type_name: str, field: str) -> str:
        ftype = self.types.get(type_name)
        if ftype is None:
            raise self.fail(f"a pattern on the unknown fact type {type_name!r}")
        if field == "mode":  # a derived fact's mode (sure or maybe), a column of every table
            return "str"
        spec = ftype.fields.get(field)
        if spec is None:
            raise self.fail(f"a condition on {type_name}.{field}, which is not a field")
        if spec.kind not in SQL_TYPES:
            raise self.fail(f"{type_name}.{field} of kind {spec.kind!r}")
        return spec.kind

    def cond(self, pat: Pattern, sql_alias: str, c: Cond, possible: bool, first_join: bool) -> str:
        """The predicate for ``c`` on ``sql_alias`` (a match, possibly, when ``possible``)."""
        kind = self.field_kind(pat.type, c.field)
        col = f"{sql_alias}.{quote(c.field)}"
        if c.op == "known":
            if c.value is False:
                return f"{col} IS NULL"
            if c.value is not True:
                raise self.fail(f"known: {c.value!r} on {pat.type}.{c.field}")
            return "TRUE" if possible and c.nullable else f"{col} IS NOT NULL"
        if isinstance(c.value, Ref):
            if c.op not in _OPS:
                raise self.fail(f"{c.op!r} with a reference on {pat.type}.{c.field}")
            ref_alias = self.alias.get(c.value.alias)
            if ref_alias is None:
                raise self.fail(f"a reference to {c.value.alias!r}, not bound before it")
            if self.field_kind(self.type_of[c.value.alias], c.value.field) != kind:
                raise self.fail(f"{pat.type}.{c.field} compared with a field of another kind")
            other = f"{ref_alias}.{quote(c.value.field)}"
            test = f"{col} {_OPS[c.op]} {other}"
            # Unknown on the other fact never matches; unknown on this one may, when possible
            # (a field that is never missing needs no such test, and stays an equi-join).
            held = f"({col} IS NULL OR {test})" if possible and c.nullable else test
            # The reference evaluator finds candidates through the first join: none when the
            # joined value is unknown, even for an absent pattern.
            return f"({other} IS NOT NULL AND {held})" if first_join else held
        if isinstance(c.value, tuple):
            if c.op not in ("in", "not_in"):
                raise self.fail(f"{c.op!r} with a list on {pat.type}.{c.field}")
            if any(_kind(v) != kind for v in c.value):
                raise self.fail(f"a list of another kind than {pat.type}.{c.field}")
            if c.value:
                neg = "NOT " if c.op == "not_in" else ""
                test = f"{col} {neg}IN ({', '.join(_literal(v) for v in c.value)})"
            else:  # nothing is in an empty list; every known value is not
                test = "FALSE" if c.op == "in" else f"{col} IS NOT NULL"
        else:
            if c.op not in _OPS:
                raise self.fail(f"{c.op!r} with a single value on {pat.type}.{c.field}")
            if _kind(c.value) != kind:
                raise self.fail(f"{pat.type}.{c.field} ({kind}) compared with {c.value!r}")
            test = f"{col} {_OPS[c.op]} {_literal(c.value)}"
        return f"({col} IS NULL OR {test})" if possible and c.nullable else test

    def pattern(self, pat: Pattern, sql_alias: str, possible: bool) -> list[str]:
        """Every predicate of ``pat`` on ``sql_alias`` (the case join excluded)."""
        out = [f"{sql_alias}.mode = 'sure'"] if pat.derived and not possible else []
        first = next(
            (i for i, c in enumerate(pat.conds) if c.op == "eq" and isinstance(c.value, Ref)), -1
        )
        for i, c in enumerate(pat.conds):
            pred = self.cond(pat, sql_alias, c, possible, i == first)
            if pred != "TRUE":
                out.append(pred)
        return out

    def query(self, variant: Variant) -> Query:
        positives = self.cr.positives()
        if not positives:
            raise self.fail("a rule without a positive pattern")
        possible = variant == "maybe"
        froms: list[str] = []
        where: list[str] = []
        negated: list[str] = []
        for pat in self.cr.patterns:
            if pat.negated:
                continue
            sql_alias = f"p{len(froms)}"
            if pat.type not in self.types:
                raise self.fail(f"a pattern on the unknown fact type {pat.type!r}")
            froms.append(f"{table(pat.type)} {sql_alias}")
            if froms[1:]:
                where.append(f"{sql_alias}.c = p0.c")
            # A fact is bound to at most one alias of a binding.
            for other, other_type in self.type_of.items():
                if other_type == pat.type:
                    where.append(f"{sql_alias}.id <> {self.alias[other]}.id")
            self.alias[pat.alias] = sql_alias
            self.type_of[pat.alias] = pat.type
        # Conditions may refer to any earlier pattern; bind all aliases first.
        for pat in self.cr.patterns:
            if pat.negated:
                continue
            where.extend(self.pattern(pat, self.alias[pat.alias], possible))
        for n, pat in enumerate(p for p in self.cr.patterns if p.negated):
            if pat.type not in self.types:
                raise self.fail(f"an absent pattern on the unknown fact type {pat.type!r}")
            sql_alias = f"n{n}"
            # Sure: nothing could match (possibly); maybe: nothing surely matches.
            preds = [f"{sql_alias}.c = p0.c", *self.pattern(pat, sql_alias, not possible)]
            where.append(
                f"NOT EXISTS (SELECT 1 FROM {table(pat.type)} {sql_alias} "
                f"WHERE {' AND '.join(preds)})"
            )
            negated.append(pat.type)
        ids = ", ".join(f"{self.alias[p.alias]}.id" for p in positives)
        sql = f"SELECT p0.c, {ids} FROM {', '.join(froms)}"
        if where:
            sql += f" WHERE {' AND '.join(where)}"
        reads = tuple(sorted({p.type for p in positives}))
        return Query(self.cr, variant, sql, reads, tuple(sorted(set(negated))), _needs(positives))


def _needs(positives: tuple[Pattern, ...]) -> tuple[tuple[str, str, frozenset[Scalar]], ...]:
    out = []
    for p in positives:
        for c in p.conds:
            if c.nullable or isinstance(c.value, Ref) or c.op not in ("eq", "in"):
                continue
            values = c.value if isinstance(c.value, tuple) else (c.value,)
            out.append((p.type, c.field, frozenset(values)))
            break
    return tuple(out)


def compile_edition(edition: Edition, types: Mapping[str, FactType]) -> list[list[Query]]:
    """Per stratum, the query of every rule variant of ``edition``."""
    strata: list[list[Query]] = [[] for _ in range(edition.max_stratum + 1)]
    for cr in edition.rules:
        strata[cr.stratum].append(_RuleCompiler(cr, types).query("sure"))
        if cr.can_be_maybe:
            strata[cr.stratum].append(_RuleCompiler(cr, types).query("maybe"))
    return strata


def used_fields(edition: Edition) -> dict[str, tuple[str, ...]]:
    """Per fact type some pattern of ``edition`` reads, the fields its conditions read: the
    only columns a query ever looks at (the facts themselves stay in Python)."""
    used: dict[str, dict[str, None]] = {}
    for cr in edition.rules:
        types = {p.alias: p.type for p in cr.patterns}
        for p in cr.patterns:
            fields = used.setdefault(p.type, {})
            for c in p.conds:
                fields[c.field] = None
                if isinstance(c.value, Ref):
                    used.setdefault(types[c.value.alias], {})[c.value.field] = None
    return {t: tuple(f for f in fields if f != "mode") for t, fields in used.items()}


def create_tables(types: Mapping[str, FactType]) -> list[str]:
    """``CREATE TEMP TABLE`` for every fact type (temporary: each connection has its own)."""
    out = []
    for name, ftype in types.items():
        cols = ["c INTEGER", "id INTEGER", "mode VARCHAR"]
        cols += [f"{quote(f)} {SQL_TYPES[spec.kind]}" for f, spec in ftype.fields.items()]
        out.append(f"CREATE TEMP TABLE {table(name)} ({', '.join(cols)})")
    return out
