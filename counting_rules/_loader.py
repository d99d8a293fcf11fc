"""Find, validate and compile a rulebook: editions, vocabulary, tables, rules, templates.

Everything is checked here, once, when the rulebook loads; an error names the file, the
line, the rule id and the fix. A rule's id is its path under the rulebook folder.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

from jinja2 import TemplateError
from pydantic import BaseModel, ValidationError

from ._editions import applies_type, compile_edition
from ._explain import compile_template, render, template_line
from ._ir import APPLIES, Edition, Rule, Rulebook, Scalar, Table
from ._resolve import ResolveError, did_you_mean, resolve
from ._schema import BASE_TYPES, OUTCOME_TYPES, FactType, FieldSpec
from ._spec import (
    CatalogueFile,
    EditionsFile,
    PrincipalTableFile,
    RuleSpec,
    VocabularyFile,
    _Spec,
)
from ._yaml import Located, load_text
from .errors import RuleSpecError, RuleTemplateError, UnknownFactError

_M = TypeVar("_M", bound=BaseModel)
_TEMPLATE_SUFFIX = ".md.j2"
_RESERVED_ALIASES = frozenset({"conclusion", "rule", "edition"})


def _all_spec_keys() -> set[str]:
    keys: set[str] = set()
    for model in _Spec.__subclasses__():
        for name, info in model.model_fields.items():
            keys.add(info.alias or name)
    return keys


def _validate(model: type[_M], loc: Located, file: str, rule_id: str = "") -> _M:
    try:
        return model.model_validate(loc.data)
    except ValidationError as exc:
        # An unknown key explains a "missing" one (a misspelling), so report it first.
        err = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")[0]
        path = tuple(err["loc"])
        where = ".".join(str(p) for p in path) or "(top level)"
        fix = None
        if err["type"] == "extra_forbidden":
            fix = did_you_mean(str(path[-1]), _all_spec_keys())
            message = f"unknown field {where}"
        else:
            message = f"{where}: {err['msg']}"
        raise RuleSpecError(
            message, file=file, line=loc.line(path), rule_id=rule_id, fix=fix
        ) from None


def default_root() -> Traversable:
    """The shipped rulebook: inside the installed package, or beside it in a checkout."""
    packaged = resources.files("counting_rules") / "rulebooks" / "hocr"
    if packaged.is_dir():
        return packaged
    return resources.files("counting_rules").joinpath("..", "rulebooks", "hocr")


def _read(root: Traversable, rel: str) -> tuple[Located, str]:
    node = root.joinpath(*rel.split("/"))
    text = node.read_text(encoding="utf-8")
    try:
        return load_text(text, rel), text
    except ValueError as exc:
        raise RuleSpecError(str(exc)) from None


def _walk(node: Traversable, prefix: str = "") -> list[str]:
    out: list[str] = []
    for child in node.iterdir():
        rel = f"{prefix}{child.name}"
        if child.is_dir():
            out += _walk(child, rel + "/")
        elif child.is_file():
            out.append(rel)
    return sorted(out)


def _vocabulary(vocab: VocabularyFile) -> dict[str, FactType]:
    types: dict[str, FactType] = {}
    for name, decl in vocab.types.items():
        if name in BASE_TYPES or name in OUTCOME_TYPES:
            raise RuleSpecError(f"vocabulary type {name!r} is already a built-in fact type")
        fields = {
            f: FieldSpec(d.kind, d.nullable, d.values, "", d.role) for f, d in decl.fields.items()
        }
        keys = [f for f, s in fields.items() if s.role == "key"]
        types[name] = FactType(
            name,
            fields,
            derived=True,
            functional=decl.functional,
            subject=keys[0] if keys else "",
            description=decl.description,
        )
    return types


def _tables(cat: CatalogueFile, table: PrincipalTableFile, file: str) -> dict[str, Table]:
    codes = set(cat.offences)
    ranked = list(table.ranking)
    if len(ranked) != len(set(ranked)) or set(ranked) != codes:
        missing = sorted(codes - set(ranked))
        extra = sorted(set(ranked) - codes)
        raise RuleSpecError(
            f"principal crime table must rank every catalogue code once (missing {missing}, "
            f"not in catalogue {extra})",
            file=file,
        )
    n = len(ranked)
    catalogue: dict[str, dict[str, Scalar]] = {
        code: {
            "title": e.title,
            "group": e.group,
            "subgroup": e.subgroup,
            "max_sentence_months": e.max_sentence_months(),
            "victim_based": e.victim_based,
            "conduct_crime": e.conduct_crime,
        }
        for code, e in cat.offences.items()
    }
    principal: dict[str, dict[str, Scalar]] = {
        code: {"rank": i + 1, "seriousness": n - i} for i, code in enumerate(ranked)
    }
    return {
        "offence_catalogue": Table("offence_catalogue", catalogue),
        "principal_crime_table": Table("principal_crime_table", principal),
    }


def _sample(spec: FieldSpec) -> Scalar:
    if spec.kind == "bool":
        return True
    if spec.kind == "int":
        return 7200
    return spec.values[0] if spec.values else "X1"


def _check_template(rule: Rule, source: str, file: str, types: Mapping[str, FactType]) -> None:
    try:
        template = compile_template(source)
    except TemplateError as exc:
        raise RuleTemplateError(
            f"template does not compile: {exc}",
            file=file,
            line=getattr(exc, "lineno", None),
            rule_id=rule.id,
        ) from None
    context: dict[str, Any] = {}
    for p in rule.patterns:
        if p.negated:
            continue
        ftype = types[p.type]
        constrained = {c.field for c in p.conds if not (c.op == "known" and c.value is False)}
        context[p.alias] = {
            f: _sample(s) for f, s in ftype.fields.items() if not s.nullable or f in constrained
        }
    ctype = types[rule.conclusion.type]
    context["conclusion"] = {f: _sample(ctype.fields[f]) for f, _ in rule.conclusion.fields}
    context["rule"] = {"id": rule.id, "title": rule.title}
    context["edition"] = {"id": "0000", "title": "sample"}
    try:
        text = render(template, context)
    except TemplateError as exc:
        line = getattr(exc, "lineno", None) or template_line(exc)
        raise RuleTemplateError(
            f"template fails to render: {exc}",
            file=file,
            line=line,
            rule_id=rule.id,
            fix="use only the rule's aliases and the fields its conditions make known",
        ) from None
    if not text.strip():
        raise RuleTemplateError("template renders empty text", file=file, rule_id=rule.id)


def load_rulebook(root: Traversable | Path | str | None = None) -> Rulebook:
    """Load, validate and compile a rulebook folder (default: the shipped HOCR rulebook)."""
    if root is None:
        base: Traversable = default_root()
    elif isinstance(root, str | Path):
        base = Path(root)
    else:
        base = root
    if not base.joinpath("editions.yaml").is_file():
        raise RuleSpecError(f"{base}: no editions.yaml here; is this a rulebook folder?")
    digest = hashlib.sha256()
    loc, text = _read(base, "editions.yaml")
    digest.update(text.encode())
    eds = _validate(EditionsFile, loc, "editions.yaml")
    data_files = {"editions.yaml", eds.vocabulary, *eds.tables.values()}
    loc, text = _read(base, eds.vocabulary)
    digest.update(text.encode())
    types: dict[str, FactType] = {**BASE_TYPES, **OUTCOME_TYPES}
    types.update(_vocabulary(_validate(VocabularyFile, loc, eds.vocabulary)))
    types[APPLIES] = applies_type(types)
    cat_file = eds.tables["offence_catalogue"]
    table_file = eds.tables["principal_crime_table"]
    loc, text = _read(base, cat_file)
    digest.update(text.encode())
    catalogue = _validate(CatalogueFile, loc, cat_file)
    loc, text = _read(base, table_file)
    digest.update(text.encode())
    tables = _tables(catalogue, _validate(PrincipalTableFile, loc, table_file), table_file)
    raw_tables = {name: t.rows for name, t in tables.items()}
    edition_ids = [e.id for e in eds.editions]
    rules: dict[str, Rule] = {}
    templates: dict[str, str] = {}
    files = _walk(base)
    for rel in files:
        if not rel.endswith(".yaml") or rel in data_files:
            continue
        rule_id = rel[: -len(".yaml")]
        loc, text = _read(base, rel)
        digest.update(rel.encode() + text.encode())
        spec = _validate(RuleSpec, loc, rel, rule_id)
        for key in ("from_", "until"):
            value = getattr(spec.in_force, key)
            if value is not None and value not in edition_ids:
                raise RuleSpecError(
                    f"in_force names unknown edition {value!r}",
                    file=rel,
                    line=loc.line(("in_force",)),
                    rule_id=rule_id,
                    fix=did_you_mean(value, edition_ids) or f"use one of {edition_ids}",
                )
        for pat in spec.when:
            if pat.as_ in _RESERVED_ALIASES:
                raise RuleSpecError(f"alias {pat.as_!r} is reserved", file=rel, rule_id=rule_id)
        try:
            rule = resolve(rule_id, spec, types, raw_tables, file=rel, line=1)
        except ResolveError as exc:
            raise UnknownFactError(
                exc.message, file=rel, line=loc.line(exc.path), rule_id=rule_id, fix=exc.fix
            ) from None
        _check_codes(rule, tables["offence_catalogue"], rel, loc)
        tpl_rel = rule_id + _TEMPLATE_SUFFIX
        if tpl_rel not in files:
            raise RuleTemplateError(
                f"no explanation template {tpl_rel}",
                file=rel,
                rule_id=rule_id,
                fix="write the explanation beside the rule, as <rule>.md.j2",
            )
        tpl_text = base.joinpath(*tpl_rel.split("/")).read_text(encoding="utf-8")
        digest.update(tpl_text.encode())
        _check_template(rule, tpl_text, tpl_rel, types)
        rules[rule_id] = rule
        templates[rule_id] = tpl_text
    for rel in files:
        if rel.endswith(_TEMPLATE_SUFFIX) and rel[: -len(_TEMPLATE_SUFFIX)] not in rules:
            raise RuleTemplateError(f"template {rel} has no rule beside it", file=rel)
    for rule in rules.values():
        for target in rule.overrides:
            if target not in rules:
                raise UnknownFactError(
                    f"overrides unknown rule {target!r}",
                    file=rule.file,
                    rule_id=rule.id,
                    fix=did_you_mean(target, rules),
                )
    editions = []
    for i, e in enumerate(eds.editions):
        nxt = eds.editions[i + 1] if i + 1 < len(eds.editions) else None
        in_force = [
            r
            for r in rules.values()
            if edition_ids.index(r.in_force_from) <= i
            and (r.in_force_until is None or i < edition_ids.index(r.in_force_until))
        ]
        editions.append(
            compile_edition(
                e.id,
                e.title,
                date.fromisoformat(e.in_force_from),
                date.fromisoformat(nxt.in_force_from) if nxt else None,
                e.summary,
                in_force,
                types,
            )
        )
    return Rulebook(
        name=eds.rulebook,
        title=eds.title,
        editions=tuple(editions),
        types=types,
        tables=tables,
        rules=rules,
        templates=templates,
        digest=digest.hexdigest()[:16],
    )


def _check_codes(rule: Rule, catalogue: Table, file: str, loc: Located) -> None:
    """A literal classification code must be in the offence catalogue."""
    if rule.conclusion.type != "classification":
        return
    code = dict(rule.conclusion.fields).get("code")
    if isinstance(code, str) and code not in catalogue.rows:
        raise UnknownFactError(
            f"classification code {code!r} is not in the offence catalogue",
            file=file,
            line=loc.line(("then", "classification", "code")),
            rule_id=rule.id,
            fix=did_you_mean(code, catalogue.rows) or "add it to offence_catalogue.yaml",
        )


__all__ = ["Edition", "default_root", "load_rulebook"]
