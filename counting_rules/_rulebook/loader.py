"""Find, validate and compile a rulebook: editions, vocabulary, tables, rules, templates.

Everything is checked here, once, when the rulebook loads; an error names the file, the
line, the rule id and the fix. A rule's id is its path under the rulebook folder.
"""

from __future__ import annotations

import hashlib
import re
import stat
from collections.abc import Mapping
from datetime import date
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple, TypeVar

from jinja2 import Template, TemplateError
from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    ScalarEvent,
)

from counting_rules._common.validation import Problem, problems
from counting_rules._common.yaml_lines import Located, load_text
from counting_rules._rulebook.cache import cached
from counting_rules._rulebook.editions import applies_type, compile_edition
from counting_rules._rulebook.fact_types import BASE_TYPES, OUTCOME_TYPES, FactType, FieldSpec
from counting_rules._rulebook.file_format import (
    CatalogueFile,
    EditionsFile,
    PrincipalTableFile,
    RuleSpec,
    SourcesFile,
    TableSpec,
    VocabularyFile,
    _Spec,
)
from counting_rules._rulebook.ir import APPLIES, Edition, Rule, Rulebook, Scalar, Table
from counting_rules._rulebook.resolve import ResolveError, did_you_mean, resolve
from counting_rules._rulebook.sources import Register, build_register, check_cited
from counting_rules._rulebook.tables import TableError, check_hits, expand
from counting_rules._rulebook.templates import (
    TemplateLimitError,
    compile_template,
    render,
    template_line,
)
from counting_rules._rulebook.versions import Document, VersionError, documents
from counting_rules.errors import RuleSpecError, RuleTemplateError, UnknownFactError

_M = TypeVar("_M", bound=BaseModel)
_TEMPLATE_SUFFIX = ".md.j2"
_RESERVED_ALIASES = frozenset({"conclusion", "rule", "edition"})

# A rulebook folder may come from anyone (--rulebook), so reading it is bounded.
MAX_FILE_BYTES = 1 << 20  # per file; the largest shipped file is about 40 KiB
MAX_FILES = 10_000  # files in the folder; the shipped rulebook has about 300
MAX_YAML_ALIASES = 20  # the shipped rulebook uses none; a few are harmless
MAX_YAML_NODES = 100_000  # after expanding aliases; the largest shipped file has ~2,300
MAX_YAML_DEPTH = 64  # nesting; deeper would exhaust the parser's stack


def _all_spec_keys() -> set[str]:
    keys: set[str] = set()
    for model in _Spec.__subclasses__():
        for name, info in model.model_fields.items():
            keys.add(info.alias or name)
    return keys


def _said(p: Problem) -> str:
    where = p.where or "(top level)"
    return f"unknown field {where}" if p.kind == "extra_forbidden" else f"{where}: {p.message}"


def _validate(model: type[_M], loc: Located, file: str, rule_id: str = "") -> _M:
    try:
        return model.model_validate(loc.data)
    except ValidationError as exc:
        found = problems(exc)  # every one, an unknown key (a misspelling) first
        first = found[0]
        fix = None
        if first.kind == "extra_forbidden":
            fix = did_you_mean(str(first.loc[-1]), _all_spec_keys())
        said = [_said(p) for p in found]
        more = f" (and {len(said) - 1} more: {'; '.join(said[1:])})" if len(said) > 1 else ""
        raise RuleSpecError(
            said[0] + more, file=file, line=loc.line(first.loc), rule_id=rule_id, fix=fix
        ) from None


def default_root() -> Traversable:
    """The shipped rulebook: inside the installed package, or beside it in a checkout."""
    packaged = resources.files("counting_rules") / "rulebooks" / "hocr"
    if packaged.is_dir():
        return packaged
    return resources.files("counting_rules").joinpath("..", "rulebooks", "hocr")


def _real(path: Path, rel: str) -> Path:
    """``path`` with every symlink followed; a loop or a dangling link is an error."""
    try:
        return path.resolve(strict=True)
    except FileNotFoundError:
        raise RuleSpecError("does not exist (or is a dangling symlink)", file=rel) from None
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        raise RuleSpecError("is a symlink loop or cannot be resolved", file=rel) from None


def _locate(
    base: Traversable, rel: str, *, named_in: str = "", line: int | None = None
) -> Traversable:
    """The file ``rel`` of the rulebook at ``base``. Nothing outside the folder is ever
    opened: absolute paths, ``..`` and symlinks that lead out are refused, naming the file
    (and, for a path another file names, that file and line)."""

    def refuse(why: str) -> RuleSpecError:
        if named_in:
            return RuleSpecError(f"names {rel!r}, which {why}", file=named_in, line=line)
        return RuleSpecError(why, file=rel)

    pure = PurePosixPath(rel)
    if not rel or "\\" in rel or pure.is_absolute() or ".." in pure.parts or ":" in pure.parts[0]:
        raise refuse("is not a path inside the rulebook folder")
    node = base.joinpath(*pure.parts)
    if isinstance(base, Path):
        root = _real(base, str(base))
        try:
            real = _real(Path(str(node)), rel)
        except RuleSpecError as exc:
            raise refuse(exc.message) from None
        if not real.is_relative_to(root):
            raise refuse("leads outside the rulebook folder")
        if not stat.S_ISREG(real.stat().st_mode):
            raise refuse("is not a regular file")
        return real
    if not node.is_file():  # a packaged (zipped) rulebook: no symlinks to follow
        raise refuse("is not a file in the rulebook")
    return node


def _read_text(base: Traversable, rel: str, *, named_in: str = "", line: int | None = None) -> str:
    """A rulebook file's text: at most MAX_FILE_BYTES, strictly UTF-8."""
    node = _locate(base, rel, named_in=named_in, line=line)
    with node.open("rb") as f:
        data = f.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise RuleSpecError(f"file is larger than {MAX_FILE_BYTES} bytes", file=rel)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RuleSpecError(
            f"not UTF-8 text: byte 0x{data[exc.start]:02x} at offset {exc.start}",
            file=rel,
            line=data.count(b"\n", 0, exc.start) + 1,
            fix="save the file as UTF-8",
        ) from None


# Only text with one of these can hold a YAML tag, anchor, alias or directive, or nest
# deeper than MAX_YAML_DEPTH (flow nesting needs that many brackets, block nesting that
# much indentation); the rest needs no event scan, which would add a third to load time.
_MAYBE_YAML_EXTRAS = re.compile(r"(?:^|[\s\[\]{},])(?:!|[&*][^\s\]}),])|^%", re.M)
_DEEP_INDENT = re.compile(rf"^[ \t?:-]{{{MAX_YAML_DEPTH}}}", re.M)


def _needs_scan(text: str) -> bool:
    return bool(
        _MAYBE_YAML_EXTRAS.search(text)
        or text.count("[") + text.count("{") >= MAX_YAML_DEPTH
        or _DEEP_INDENT.search(text)
    )


def _check_yaml_events(text: str, rel: str) -> None:
    """Refuse YAML features a rulebook does not need and an attacker would: tags (which
    ask for other types), directives (%YAML 1.1 changes what a value means), and aliases
    beyond a few (an alias bomb expands a kilobyte into gigabytes); bound the nesting."""
    if not _needs_scan(text):
        return
    sizes: dict[str, int] = {}
    open_: list[tuple[int, str | None]] = []  # per open collection: nodes before it, anchor
    nodes = aliases = 0
    try:
        for ev in YAML(typ="rt", pure=True).parse(text):
            line = ev.start_mark.line + 1 if ev.start_mark is not None else None
            if isinstance(ev, DocumentStartEvent) and (ev.version or ev.tags):
                raise RuleSpecError(
                    "YAML directives (%YAML, %TAG) are not allowed", file=rel, line=line
                )
            if isinstance(ev, ScalarEvent | CollectionStartEvent) and ev.tag is not None:
                raise RuleSpecError(f"YAML tag {ev.tag} is not allowed", file=rel, line=line)
            if isinstance(ev, AliasEvent):
                aliases += 1
                if aliases > MAX_YAML_ALIASES:
                    raise RuleSpecError(
                        f"more than {MAX_YAML_ALIASES} YAML aliases", file=rel, line=line
                    )
                if any(a == ev.anchor for _, a in open_):
                    raise RuleSpecError(
                        f"YAML alias *{ev.anchor} refers to itself", file=rel, line=line
                    )
                nodes += sizes.get(str(ev.anchor), 1)
            elif isinstance(ev, ScalarEvent):
                nodes += 1
                if ev.anchor:
                    sizes[ev.anchor] = 1
            elif isinstance(ev, CollectionStartEvent):
                open_.append((nodes, ev.anchor))
                nodes += 1
                if len(open_) > MAX_YAML_DEPTH:
                    raise RuleSpecError(
                        f"nested more than {MAX_YAML_DEPTH} deep", file=rel, line=line
                    )
            elif isinstance(ev, CollectionEndEvent):
                before, anchor = open_.pop()
                if anchor:
                    sizes[anchor] = nodes - before
            if nodes > MAX_YAML_NODES:
                raise RuleSpecError(
                    f"expands to more than {MAX_YAML_NODES} YAML nodes (an alias bomb?)",
                    file=rel,
                    line=line,
                )
    except YAMLError:
        return  # load_text reports the syntax error with its line


_YAML_ERROR = re.compile(r"^(?P<file>.*?):(?P<line>[0-9]+): (?P<message>.*)$", re.S)


def _read(
    root: Traversable, rel: str, *, named_in: str = "", line: int | None = None
) -> tuple[Located, str]:
    text = _read_text(root, rel, named_in=named_in, line=line)
    _check_yaml_events(text, rel)
    try:
        return load_text(text, rel), text
    except ValueError as exc:  # syntax, duplicate key: "<file>:<line>: <problem>"
        m = _YAML_ERROR.match(str(exc))
        if m is None:
            raise RuleSpecError(str(exc), file=rel) from None
        raise RuleSpecError(m["message"], file=rel, line=int(m["line"])) from None
    except (RecursionError, MemoryError):
        raise RuleSpecError("nested too deeply to read", file=rel) from None


def _walk(node: Traversable, prefix: str = "") -> list[str]:
    """Every file in the rulebook, as paths relative to it. A symlink may point only
    inside the folder; a loop, a dangling link or one leading out is an error naming it."""
    if not isinstance(node, Path):
        return _walk_packaged(node, prefix)
    root = _real(node, str(node))
    seen = {root}
    out: list[str] = []
    todo: list[tuple[Path, str]] = [(node, prefix)]
    while todo:
        folder, pre = todo.pop()
        try:
            children = sorted(folder.iterdir())
        except OSError as exc:
            raise RuleSpecError(
                f"cannot list the folder: {exc.strerror}", file=pre or "."
            ) from None
        for child in children:
            rel = f"{pre}{child.name}"
            real = _real(child, rel) if child.is_symlink() else child.resolve()
            if not real.is_relative_to(root):
                raise RuleSpecError("is a symlink leading outside the rulebook folder", file=rel)
            if real.is_dir():
                if real in seen:  # a loop, or a second path to one folder (rules twice)
                    raise RuleSpecError(
                        "is a symlink loop or a second path to a folder already read", file=rel
                    )
                seen.add(real)
                todo.append((child, rel + "/"))
            elif real.is_file():
                out.append(rel)
                if len(out) > MAX_FILES:
                    raise RuleSpecError(f"more than {MAX_FILES} files in the rulebook", file=rel)
    return sorted(out)


def _walk_packaged(node: Traversable, prefix: str) -> list[str]:
    out: list[str] = []
    for child in node.iterdir():
        rel = f"{prefix}{child.name}"
        if child.is_dir():
            out += _walk_packaged(child, rel + "/")
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


def _compile(source: str, file: str, rule_id: str) -> Template:
    """A rule file's template, compiled once (a table's rows share it)."""
    try:
        return compile_template(source)
    except TemplateLimitError as exc:
        raise RuleTemplateError(
            f"template refused: {exc}",
            file=file,
            line=exc.lineno,
            rule_id=rule_id,
            fix="an explanation may use text, {{ }}, if/else, a loop and the listed filters",
        ) from None
    except TemplateError as exc:
        raise RuleTemplateError(
            f"template does not compile: {exc}",
            file=file,
            line=getattr(exc, "lineno", None),
            rule_id=rule_id,
        ) from None


def _check_template(
    rule: Rule, template: Template, file: str, types: Mapping[str, FactType]
) -> None:
    """The template renders for a sample of the facts the rule binds."""
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
    except TemplateLimitError as exc:
        raise RuleTemplateError(
            f"template refused: {exc}",
            file=file,
            line=template_line(exc),
            rule_id=rule.id,
            fix="an explanation is a short paragraph: keep loops and values small",
        ) from None
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
    """Load, validate and compile a rulebook folder (default: the shipped HOCR rulebook).

    A rulebook that loaded before, unchanged, comes from the compiled-rulebook cache
    (:mod:`counting_rules._rulebook.cache`); any change to its files is loaded afresh."""
    if root is None:
        base: Traversable = default_root()
    elif isinstance(root, str | Path):
        base = Path(root)
    else:
        base = root
    if not base.joinpath("editions.yaml").is_file():
        raise RuleSpecError(f"{base}: no editions.yaml here; is this a rulebook folder?")
    files = _walk(base)  # first: a symlink out of the folder or a loop stops everything
    return cached(base, files, lambda: _build(base, files))


def _build(base: Traversable, files: list[str]) -> Rulebook:
    digest = hashlib.sha256()
    loc, text = _read(base, "editions.yaml")
    digest.update(text.encode())
    eds = _validate(EditionsFile, loc, "editions.yaml")
    eds_loc = loc
    data_files = {"editions.yaml", eds.vocabulary, eds.sources, *eds.tables.values()}
    register, text = _register(base, eds, eds_loc)
    digest.update(text.encode())
    check_cited(eds_loc, "editions.yaml", register)
    loc, text = _read(
        base, eds.vocabulary, named_in="editions.yaml", line=eds_loc.line(("vocabulary",))
    )
    digest.update(text.encode())
    types: dict[str, FactType] = {**BASE_TYPES, **OUTCOME_TYPES}
    types.update(_vocabulary(_validate(VocabularyFile, loc, eds.vocabulary)))
    types[APPLIES] = applies_type(types)
    cat_file = eds.tables["offence_catalogue"]
    table_file = eds.tables["principal_crime_table"]
    loc, text = _read(
        base,
        cat_file,
        named_in="editions.yaml",
        line=eds_loc.line(("tables", "offence_catalogue")),
    )
    digest.update(text.encode())
    check_cited(loc, cat_file, register)
    catalogue = _validate(CatalogueFile, loc, cat_file)
    loc, text = _read(
        base,
        table_file,
        named_in="editions.yaml",
        line=eds_loc.line(("tables", "principal_crime_table")),
    )
    digest.update(text.encode())
    check_cited(loc, table_file, register)
    tables = _tables(catalogue, _validate(PrincipalTableFile, loc, table_file), table_file)
    raw_tables = {name: t.rows for name, t in tables.items()}
    edition_ids = [e.id for e in eds.editions]
    rules: dict[str, Rule] = {}
    templates: dict[str, str] = {}
    compiled: dict[str, Template] = {}  # the same, compiled once here and kept by the rulebook
    stems: set[str] = set()  # rule and table files (a table file holds one rule per row)
    for rel in files:
        if not rel.endswith(".yaml") or rel in data_files:
            continue
        file_id = rel[: -len(".yaml")]
        loc, text = _read(base, rel)
        digest.update(rel.encode() + text.encode())
        check_cited(loc, rel, register, file_id)  # the whole file: every version and row
        try:
            docs = documents(file_id, loc, edition_ids)
        except VersionError as exc:
            raise RuleSpecError(
                exc.message, file=rel, line=loc.line(exc.path), rule_id=file_id, fix=exc.fix
            ) from None
        specs = [s for doc in docs for s in _specs(doc, rel, types)]
        tpl_rel = file_id + _TEMPLATE_SUFFIX
        own = [s for s in specs if s.explanation is not None]
        if tpl_rel not in files:
            if len(own) < len(specs):
                raise RuleTemplateError(
                    f"no explanation template {tpl_rel}",
                    file=rel,
                    rule_id=file_id,
                    fix="write the explanation beside the rule, as <rule>.md.j2"
                    + (", or give every row an 'explanation'" if own else ""),
                )
            file_template = None
        else:
            if len(own) == len(specs):
                raise RuleTemplateError(
                    f"template {tpl_rel} is never used: every row has its own explanation",
                    file=tpl_rel,
                    rule_id=file_id,
                )
            tpl_text = _read_text(base, tpl_rel)
            digest.update(tpl_text.encode())
            stems.add(file_id)
            file_template = (tpl_text, _compile(tpl_text, tpl_rel, file_id), tpl_rel)
        for s in specs:
            at = s.loc or loc
            rule = _rule(s.rule_id, s.spec, at, rel, s.line, types, raw_tables, edition_ids)
            _check_codes(rule, tables["offence_catalogue"], rel, at)
            if s.explanation is not None:  # in the rule file, so already in the digest
                text, where = s.explanation, rel
                template = _compile(text, rel, s.rule_id)
            else:
                assert file_template is not None
                text, template, where = file_template
            _check_template(rule, template, where, types)
            rules[s.rule_id] = rule
            templates[s.rule_id] = text
            compiled[s.rule_id] = template
    for rel in files:
        if rel.endswith(_TEMPLATE_SUFFIX) and rel[: -len(_TEMPLATE_SUFFIX)] not in stems:
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
        sources=register,
        templates=templates,
        compiled_templates=compiled,
        digest=digest.hexdigest()[:16],
    )


def _register(base: Traversable, eds: EditionsFile, eds_loc: Located) -> tuple[Register, str]:
    """The source register ``editions.yaml`` names, checked against itself, and its text."""
    loc, text = _read(base, eds.sources, named_in="editions.yaml", line=eds_loc.line(("sources",)))
    return build_register(_validate(SourcesFile, loc, eds.sources), loc, eds.sources), text


class _FileRule(NamedTuple):
    """One rule of a file: its id, spec, the line its row starts on, and its own template."""

    rule_id: str
    spec: RuleSpec
    line: int | None
    explanation: str | None = None
    loc: Located | None = None  # a version's merged document, its lines where they were


def _specs(doc: Document, rel: str, types: Mapping[str, FactType]) -> list[_FileRule]:
    """The rules of one document (a file, or one version of it): a rule holds one; a decision
    table holds one per row (``<id>/<row id>``), given with the line its row starts on."""
    file_id, loc = doc.id, doc.loc
    if not (isinstance(loc.data, dict) and "table" in loc.data):
        spec = _validate(RuleSpec, loc, rel, file_id)
        return [_FileRule(file_id, spec, None, doc.explanation, loc)]
    table = _validate(TableSpec, loc, rel, file_id)
    try:
        rows = expand(file_id, table, types)
        clash = check_hits(table, rows, types)
    except TableError as exc:
        raise RuleSpecError(
            exc.message, file=rel, line=loc.line(exc.path), rule_id=file_id, fix=exc.fix
        ) from None
    if clash is not None:
        a, b, why = clash
        raise RuleSpecError(
            f"rows {table.rows[a].id!r} (line {loc.line(('rows', a))}) and {table.rows[b].id!r} "
            f"(line {loc.line(('rows', b))}): {why}",
            file=rel,
            line=loc.line(("rows", b)),
            rule_id=file_id,
            fix="make the rows test a column with values that cannot both hold"
            if table.table.hit_policy != "first"
            else "remove the later row, or test a column the earlier row does not",
        )
    return [
        _FileRule(r.rule_id, r.spec, loc.line(("rows", r.index)) or 1, r.explanation, loc)
        for r in rows
    ]


def _rule(
    rule_id: str,
    spec: RuleSpec,
    loc: Located,
    rel: str,
    row_line: int | None,
    types: Mapping[str, FactType],
    raw_tables: Mapping[str, Mapping[str, Mapping[str, Scalar]]],
    edition_ids: list[str],
) -> Rule:
    """One rule spec, checked against the editions and the fact schema, resolved. A table
    row's errors point at its row (its spec has no paths of its own in the file)."""
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
        return resolve(rule_id, spec, types, raw_tables, file=rel, line=row_line or 1)
    except ResolveError as exc:
        raise UnknownFactError(
            exc.message,
            file=rel,
            line=row_line or loc.line(exc.path),
            rule_id=rule_id,
            fix=exc.fix,
        ) from None


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
