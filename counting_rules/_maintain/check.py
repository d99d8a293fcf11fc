"""``counting-rules check``: lint a rulebook, statically and on generated cases.

Static: every rule has a citation and an explanation template; the principal crime table
ranks every code of the offence catalogue once (HOCR General Rules, Annex C). Then the
rulebook is loaded (with its own checks) and each edition runs, on the reference evaluator,
on seeded cases (:mod:`counting_rules._seeded`, the vocabulary of
:mod:`counting_rules.strategies`) within the edition's dates: every sure
firing's explanation must render; every rule must fire surely on some case (a search aimed at
the rule runs for those the sample missed); no two rules may both fire with conflicting
conclusions for one subject (reported with the smallest such case, shrunk by hypothesis).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from counting_rules import case as c
from counting_rules._common.yaml_lines import Located, load_text
from counting_rules._engine.actions import Firing
from counting_rules._engine.decide import default_rulebook
from counting_rules._engine.decision_builder import _Builder
from counting_rules._engine.facts import fact_key
from counting_rules._maintain.suite import Layout, suite_problems
from counting_rules._maintain.witness import (
    edition_cases,
    evaluate,
    search,
    sure_rules,
    witness,
)
from counting_rules._maintain.witness_store import Witnesses
from counting_rules._rulebook.completeness import describe, gaps, stale
from counting_rules._rulebook.file_format import TableSpec
from counting_rules._rulebook.ir import Edition, Rulebook
from counting_rules._rulebook.loader import _read_text, _walk, default_root, load_rulebook
from counting_rules._rulebook.tables import expand, table_fields
from counting_rules._rulebook.templates import template_line
from counting_rules._rulebook.versions import Document, documents
from counting_rules._seeded import Shape, edition_span
from counting_rules._seeded import cases as seeded_cases
from counting_rules.errors import RulebookError

_TEMPLATE = ".md.j2"


@dataclass(frozen=True)
class Finding:
    """One problem ``check`` found, and where."""

    # citation | template | table | gap | load | render | unreachable | conflict, and what the
    # checkout's test suite would fail on (counting_rules._maintain.suite): tests | scenario |
    # edition | docs | todo
    kind: str
    file: str
    line: int | None
    rule_id: str
    message: str
    case: dict[str, Any] | None = field(default=None, compare=False)

    def one_line(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        rule = f" {self.rule_id}:" if self.rule_id else ""
        return f"{where}: [{self.kind}]{rule} {self.message}"


# ---------------------------------------------------------------- static checks


def _static(base: Traversable, shown: Callable[[str], str]) -> list[Finding]:
    out: list[Finding] = []
    files = _walk(base)
    try:
        eds = load_text(_read_text(base, "editions.yaml"), "editions.yaml").data
        tables: dict[str, str] = dict(eds.get("tables") or {})
        data_files = {
            "editions.yaml",
            str(eds.get("vocabulary", "vocabulary.yaml")),
            str(eds.get("sources", "sources.yaml")),
        }
        data_files |= set(tables.values())
    except (OSError, ValueError, AttributeError, RulebookError):
        return out  # the loader reports an unreadable editions file
    for rel in files:
        if not rel.endswith(".yaml") or rel in data_files:
            continue
        rule_id = rel[: -len(".yaml")]
        try:
            loc = load_text(_read_text(base, rel), rel)
            docs = documents(rule_id, loc, [str(e.get("id")) for e in eds.get("editions") or []])
        except (ValueError, RulebookError):  # not YAML, or bad versions: the loader says where
            if rule_id + _TEMPLATE not in files:
                out.append(
                    Finding("template", shown(rel), 1, rule_id, f"no template {rule_id}.md.j2")
                )
            continue
        for doc in docs:
            out += _document(doc, rel, rule_id + _TEMPLATE in files, shown)
    out += _table_gaps(base, tables, shown)
    return out


def _document(
    doc: Document, rel: str, has_template: bool, shown: Callable[[str], str]
) -> list[Finding]:
    """A rule (or a version of one): its template and its citation."""
    out: list[Finding] = []
    if not has_template and doc.explanation is None and not _rows_explain_themselves(doc.loc):
        file_id = rel[: -len(".yaml")]
        out.append(Finding("template", shown(rel), 1, doc.id, f"no template {file_id}.md.j2"))
    cite = doc.loc.data.get("citation") if isinstance(doc.loc.data, dict) else None
    if not isinstance(cite, dict):
        return [*out, Finding("citation", shown(rel), doc.line or 1, doc.id, "no citation")]
    for key in ("document", "section", "url"):
        if not str(cite.get(key) or "").strip():
            line = doc.loc.line(("citation",))
            out.append(Finding("citation", shown(rel), line, doc.id, f"citation has no {key}"))
    return out


def _rows_explain_themselves(doc: Located) -> bool:
    """Is this a decision table whose every row has its own explanation template?"""
    rows = doc.data.get("rows") if isinstance(doc.data, dict) else None
    if not isinstance(rows, list) or not rows or "table" not in doc.data:
        return False
    return all(isinstance(r, dict) and r.get("explanation") for r in rows)


def _table_gaps(
    base: Traversable, tables: dict[str, str], shown: Callable[[str], str]
) -> list[Finding]:
    cat_rel, rank_rel = tables.get("offence_catalogue"), tables.get("principal_crime_table")
    if not cat_rel or not rank_rel:
        return []
    try:
        # Read as the loader reads: never outside the folder (the loader reports why).
        cat = load_text(_read_text(base, cat_rel), cat_rel)
        rank = load_text(_read_text(base, rank_rel), rank_rel)
        codes = [str(k) for k in cat.data["offences"]]
        ranked = [str(k) for k in rank.data["ranking"]]
    except (OSError, ValueError, KeyError, TypeError, RulebookError):
        return []
    out = [
        Finding(
            "table",
            shown(cat_rel),
            cat.line(("offences", code)),
            "",
            f"offence {code!r} is missing from the principal crime table {rank_rel}",
        )
        for code in codes
        if code not in ranked
    ]
    seen: set[str] = set()
    for i, code in enumerate(ranked):
        problem = "is ranked twice" if code in seen else None
        if code not in codes:
            problem = "is not in the offence catalogue"
        if problem:
            line = rank.line(("ranking", i))
            out.append(Finding("table", shown(rank_rel), line, "", f"code {code!r} {problem}"))
        seen.add(code)
    return out


# ---------------------------------------------------------------- dynamic checks


def conflicts(book: Rulebook, trace: Iterable[Firing]) -> set[tuple[str, str, str]]:
    """(type, rule, rule) for every two sure firings that give one subject different values
    of a functional conclusion type."""
    values: dict[tuple[str, str], dict[str, set[str]]] = {}
    for f in trace:
        ctype = book.types[f.conclusion["t"]]
        if f.variant != "sure" or not ctype.functional:
            continue
        key = fact_key({k: f.conclusion.get(k) for k in ctype.key_fields()})
        value = fact_key({k: f.conclusion.get(k) for k in ctype.value_fields()})
        values.setdefault((ctype.name, key), {}).setdefault(value, set()).add(f.rule.id)
    out: set[tuple[str, str, str]] = set()
    for (ctype_name, _), options in values.items():
        groups = list(options.values())
        for i, left in enumerate(groups):
            for right in groups[i + 1 :]:
                for a in left:
                    for b in right:
                        first, second = sorted((a, b))
                        out.add((ctype_name, first, second))
    return out


def _render_failures(
    book: Rulebook, edition: Edition, case: c.CaseFacts, trace: list[Firing]
) -> dict[str, tuple[int | None, str]]:
    builder = _Builder(case, book, edition, trace)
    bad: dict[str, tuple[int | None, str]] = {}
    for f in trace:
        if f.variant != "sure" or f.rule.id in bad:
            continue
        try:
            builder.reason(f)
        except Exception as exc:  # any error in a template is the finding
            cause = exc.__cause__ or exc  # the builder wraps template errors in EngineError
            bad[f.rule.id] = (template_line(cause), f"{type(cause).__name__}: {cause}")
    return bad


@dataclass
class Options:
    """How hard ``check`` looks: sample size per edition, search budget per rule, seed; and
    which rules to report on (ids or folders; default all) in the generated-case checks."""

    examples: int = 300
    budget: int = 1000
    seed: int = 0
    shrink_budget: int = 400
    rules: tuple[str, ...] = ()
    progress: Callable[[str], None] = field(default=lambda _msg: None)
    # Stored witnesses tried before a search; each rule fired is recorded in it.
    witnesses: Witnesses | None = None

    def wanted(self, rule_id: str) -> bool:
        return not self.rules or any(names(r, rule_id) for r in self.rules)


def names(selector: str, rule_id: str) -> bool:
    """Does a --rule selector (a rule id, or a folder of rules) name ``rule_id``?"""
    return rule_id == selector or rule_id.startswith(selector.rstrip("/") + "/")


def check(
    root: Traversable | Path | str | None = None, options: Options | None = None
) -> list[Finding]:
    """Every finding on the rulebook at ``root`` (default: the shipped one), sorted."""
    opts = options or Options()
    base: Traversable = default_root() if root is None else _as_path(root)
    prefix = _display(base)

    def shown(rel: str) -> str:
        return f"{prefix}/{rel}" if prefix else rel

    found = _static(base, shown)
    try:
        book = default_rulebook() if root is None else load_rulebook(base)
    except RulebookError as exc:
        if not any(f.file == shown(exc.file) for f in found):
            message = exc.one_line().split(": ", 2 if exc.rule_id else 1)[-1]
            found.append(Finding("load", shown(exc.file), exc.line, exc.rule_id, message))
        return sorted(found, key=_order)
    located: dict[str, Located] = {}
    clashed: set[tuple[str, str, str]] = set()  # conflicts are reported once, shrunk once

    def where(rule_id: str, key: str) -> tuple[str, int | None]:
        rule = book.rules[rule_id]
        if rule.line > 1:  # a table's row: the line it starts on
            return shown(rule.file), rule.line
        if rule.file not in located:
            located[rule.file] = load_text(_read_text(base, rule.file), rule.file)
        return shown(rule.file), located[rule.file].line((key,))

    found += _completeness(base, book, shown)
    found += _suite(base, book)
    clock = Clock(len(book.editions))
    for n, edition in enumerate(book.editions, start=1):
        step = f"edition {edition.id} ({n} of {len(book.editions)}{clock.eta(n - 1)})"
        opts.progress(f"{step}: {opts.examples} generated cases")
        found += _dynamic(book, edition, opts, shown, where, clashed, step)
    return sorted(set(found), key=_order)


class Clock:
    """How long the remaining editions will take, at the pace of those done so far."""

    def __init__(self, total: int) -> None:
        self.total, self.started = total, time.monotonic()

    def eta(self, done: int) -> str:
        if not done:
            return ""
        left = (time.monotonic() - self.started) / done * (self.total - done)
        minutes, seconds = divmod(round(left), 60)
        return f", about {minutes}m{seconds:02d}s left" if minutes else f", about {seconds}s left"


def _suite(base: Traversable, book: Rulebook) -> list[Finding]:
    """What the checkout's test suite would fail on (nothing for an installed package)."""
    layout = Layout.around(Path(str(base))) if isinstance(base, Path) or base.is_dir() else None
    if layout is None:
        return []

    def shown(path: Path) -> str:
        try:
            return str(path.resolve().relative_to(Path.cwd()))
        except ValueError:
            return str(path)

    return [
        Finding(p.kind, p.file, p.line, p.rule_id, p.message)
        for p in suite_problems(layout, book, shown)
    ]


def _completeness(base: Traversable, book: Rulebook, shown: Callable[[str], str]) -> list[Finding]:
    """Every decision table's gaps (combinations of known values no row covers and no
    ``uncovered`` entry leaves on purpose), and ``uncovered`` entries that no longer name a
    gap; the rulebook has loaded, so every table here is well formed."""
    out: list[Finding] = []
    edition_ids = [e.id for e in book.editions]
    for rel in sorted({r.file for r in book.rules.values()}):
        loc = load_text(_read_text(base, rel), rel)
        for doc in documents(rel[: -len(".yaml")], loc, edition_ids):
            if "table" not in doc.loc.data:
                continue
            spec = TableSpec.model_validate(doc.loc.data)
            if spec.table.hit_policy == "collect":
                continue  # findings and flags: a case no row matches simply has none
            rows = expand(doc.id, spec, book.types)
            fields = table_fields(spec, book.types)
            entries = [dict(u.model_extra or {}) for u in spec.uncovered]
            line = doc.loc.line(("table",))
            for gap in gaps(rows, fields, entries):
                out.append(
                    Finding("gap", shown(rel), line, doc.id, f"no row covers {describe(gap)}")
                )
            for i in stale(rows, fields, entries):
                out.append(
                    Finding(
                        "gap",
                        shown(rel),
                        doc.loc.line(("uncovered", i)),
                        doc.id,
                        f"uncovered entry {i + 1} names nothing the rows leave open: remove it",
                    )
                )
    return out


def _as_path(root: Traversable | Path | str) -> Traversable:
    return Path(root) if isinstance(root, str) else root


def _display(base: Traversable) -> str:
    """The rulebook folder as the user would type it: relative to here when inside."""
    try:
        path = Path(str(base)).resolve()
    except (OSError, ValueError):  # pragma: no cover - a zipped package
        return ""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _order(f: Finding) -> tuple[str, int, str, str]:
    return (f.file, f.line or 0, f.kind, f.message)


Where = Callable[[str, str], tuple[str, int | None]]


def _dynamic(
    book: Rulebook,
    edition: Edition,
    opts: Options,
    shown: Callable[[str], str],
    where: Where,
    clashed: set[tuple[str, str, str]],
    step: str = "",
) -> list[Finding]:
    fired: set[str] = set()
    clashes: dict[tuple[str, str, str], c.CaseFacts] = {}
    broken: dict[str, tuple[int | None, str]] = {}
    shape = Shape(received=edition_span(edition))
    for sample in seeded_cases(opts.examples, opts.seed, shape):
        trace = evaluate(book, edition, sample)
        new = sure_rules(trace) - fired
        fired |= new
        if opts.witnesses is not None:
            for rid in new:
                opts.witnesses.add(edition.id, rid, sample)
        for clash in conflicts(book, trace):
            clashes.setdefault(clash, sample)
        for rid, problem in _render_failures(book, edition, sample, trace).items():
            broken.setdefault(rid, problem)
    out: list[Finding] = []
    unfired = [r for r in edition.rules if r.id not in fired and opts.wanted(r.id)]
    for n, rule in enumerate(unfired, start=1):
        stored = opts.witnesses
        case = stored.fires(book, edition, rule.id) if stored is not None else None
        if case is None:
            opts.progress(
                f"{step or 'edition ' + edition.id}: rule {n} of {len(unfired)} the sample "
                f"missed: searching for a case that fires {rule.id}"
            )
            case = witness(book, edition, rule.id, budget=opts.budget, rng_seed=opts.seed)
            if case is not None and stored is not None:
                stored.add(edition.id, rule.id, case)
        if case is None:
            out.append(
                Finding(
                    "unreachable",
                    *where(rule.id, "when"),
                    rule.id,
                    f"no generated case fires it surely in edition {edition.id} "
                    f"({opts.examples} cases, then {opts.budget} aimed at it)",
                )
            )
            continue
        trace = evaluate(book, edition, case)
        for rid, problem in _render_failures(book, edition, case, trace).items():
            broken.setdefault(rid, problem)
    for rid, (line, error) in broken.items():
        if not opts.wanted(rid):
            continue
        message = f"explanation fails to render on generated facts: {error}"
        out.append(Finding("render", shown(rid + _TEMPLATE), line, rid, message))
    for (ctype, left, right), first in sorted(clashes.items()):
        if (ctype, left, right) in clashed or not (opts.wanted(left) or opts.wanted(right)):
            continue
        clashed.add((ctype, left, right))
        out.append(_conflict(book, edition, ctype, left, right, first, opts, where))
    return out


_PARTS = ("allegations", "evidence", "proposals", "officer_proposals", "victims", "offenders")


def _reduce(case: c.CaseFacts, holds: Callable[[c.CaseFacts], bool]) -> c.CaseFacts:
    """Drop whole parts of ``case`` (an allegation, an item of evidence, ...) one at a time
    while ``holds`` still does: hypothesis's shrinking can stop at a local minimum."""
    changed = True
    while changed:
        changed = False
        for part in _PARTS:
            items = getattr(case, part)
            for i in range(len(items)):
                data = case.model_dump()
                data[part] = tuple(x for j, x in enumerate(data[part]) if j != i)
                try:
                    smaller = c.CaseFacts.model_validate(data)
                except ValueError:  # another part refers to it
                    continue
                if holds(smaller):
                    case, changed = smaller, True
                    break
    return case


def _conflict(
    book: Rulebook,
    edition: Edition,
    ctype: str,
    left: str,
    right: str,
    found_on: c.CaseFacts,
    opts: Options,
    where: Where,
) -> Finding:
    def clash(case: c.CaseFacts) -> bool:
        return (ctype, left, right) in conflicts(book, evaluate(book, edition, case))

    offences = tuple(sorted({a.offence for a in found_on.allegations}))
    aimed = edition_cases(edition, offences=offences)
    smallest = search(aimed, clash, opts.shrink_budget, opts.seed, shrink=True) or found_on
    smallest = _reduce(smallest, clash)
    other_file, other_line = where(right, "then")
    return Finding(
        "conflict",
        *where(left, "then"),
        left,
        f"concludes a different {ctype} for the same subject as {right} "
        f"({other_file}:{other_line}) on generated cases in edition {edition.id}",
        case=smallest.model_dump(mode="json", exclude_defaults=True),
    )
