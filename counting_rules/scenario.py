"""Training scenarios: a case told in stages, each with a question and a model answer.

A scenario is YAML validated by :class:`Scenario` (JSON Schema: ``counting-rules scenarios
schema``). The first stage's ``facts`` is a whole case (see :class:`~counting_rules.CaseFacts`);
each later stage's ``facts`` is a *patch* merged into the case of the stage before:

* a mapping merges key by key, recursively (``report: {channel: in_person}`` changes one key);
* a list of mappings that all have an ``id`` (victims, offenders, allegations, evidence,
  proposals) merges item by item on ``id``: a known id is merged into that item, a new id is
  appended, and ``{id: X, $remove: true}`` removes item X;
* any other value, including other lists (``offenders: [O1]``, ``relationships``), replaces
  the earlier value; ``null`` makes a fact unknown again.

So a later stage can reveal a fact (set what was unknown), correct one (overwrite it) or add
people, allegations, evidence and proposals. Model answers are checked against the engine with
the subset matching of the per-rule tests: a mapping checks only the keys given; a list must
have the same length as the decision's list (``includes`` checks membership instead).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, TypeGuard

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from counting_rules._case.files import read_mapping_file
from counting_rules._common.printable import first_control
from counting_rules._common.validation import problems
from counting_rules._common.yaml_lines import Located
from counting_rules._engine.actions import Firing
from counting_rules._engine.decide import (
    Evaluator,
    default_rulebook,
    edition_for,
    parse_case,
    report_date,
)
from counting_rules._engine.decision_builder import build
from counting_rules._engine.pipeline import run_case
from counting_rules._explain.why_not import Status, why_not
from counting_rules._rulebook.ir import Rulebook
from counting_rules._rulebook.sources import Register
from counting_rules.case import CaseFacts
from counting_rules.decision import Decision
from counting_rules.errors import CaseFactsError, CaseFileError, ScenarioError

__all__ = [
    "Answer",
    "QuizPart",
    "Scenario",
    "ScenarioResult",
    "Stage",
    "StageResult",
    "StageRun",
    "TeachingPoint",
    "WhyNotQuestion",
    "check_scenario",
    "covered_rules",
    "default_scenarios",
    "load_scenario",
    "load_scenarios",
    "match",
    "merge_facts",
    "run_stage",
    "taught_rules",
]

QuizPart = Literal["crimes", "n100", "cancellation", "flags", "findings"]
REMOVE = "$remove"
_TOPIC = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")
_DECISION_KEYS = frozenset(Decision.model_fields)


def _words(value: str) -> str:
    if not value.strip() or first_control(value) is not None:
        raise ValueError(f"{value!r} is empty or holds a control character")
    return value


def _topic(value: str) -> str:
    if not _TOPIC.fullmatch(value):
        raise ValueError(
            f"topic {value!r} is not lower-case words separated by single spaces "
            "(e.g. 'domestic abuse')"
        )
    return value


_Words = Annotated[str, AfterValidator(_words)]
_Topic = Annotated[str, AfterValidator(_topic)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TeachingPoint(_Model):
    """A point to make to trainees, with where it comes from: rule ids (their citations are
    taken from the rulebook) and/or a source consulted (an id of the source register and its
    address)."""

    text: str = Field(min_length=3)
    rules: tuple[str, ...] = ()
    source: str | None = Field(
        None,
        description="An id of the source register (rulebooks/hocr/sources.yaml), e.g. S14, "
        "optionally followed by where in it: R1 p.43.",
    )
    url: str | None = Field(None, pattern=r"^https?://\S+$")

    @model_validator(mode="after")
    def _cited(self) -> TeachingPoint:
        if not self.rules and not self.url:
            raise ValueError("a teaching point needs a citation: give 'rules' or 'url'")
        return self


class WhyNotQuestion(_Model):
    """ "Why is this not recorded as X?": the named rule, optionally for one subject (an
    allegation, proposal or victim id), and the answer the engine must give."""

    rule: str
    subject: str | None = None
    expect: Status | None = Field(None, description="The why-not status the engine gives.")
    field: str | None = Field(None, description="The fact field that stops the rule.")


class Answer(_Model):
    """The model answer: the decision at this stage, as a subset of the decision's JSON."""

    expect: dict[str, Any] = Field(default_factory=dict)
    includes: dict[str, list[dict[str, Any]]] = Field(default_factory=dict)
    fires: tuple[str, ...] = Field((), description="Rules that must fire (surely).")
    not_fired: tuple[str, ...] = Field((), description="Rules that must not fire.")

    @model_validator(mode="after")
    def _decision_keys(self) -> Answer:
        for key in (*self.expect, *self.includes):
            if key not in _DECISION_KEYS:
                hint = difflib.get_close_matches(key, sorted(_DECISION_KEYS), n=1)
                fix = f" (did you mean {hint[0]!r}?)" if hint else ""
                raise ValueError(f"{key!r} is not a field of the decision{fix}")
        return self


class Stage(_Model):
    """One stage of the story: what happens, the facts it adds, the question, the answer."""

    title: str = Field(min_length=3, description="E.g. first call; attendance; review.")
    narrative: str = Field(min_length=3)
    facts: dict[str, Any] = Field(
        description="Stage 1: a whole case. Later stages: a patch merged into the case so far."
    )
    edition: str | None = Field(
        None, description="Edition for this stage (default: the scenario's)."
    )
    question: str = Field(min_length=3)
    asks: tuple[QuizPart, ...] = Field(("crimes",), description="What a quiz asks the trainee.")
    answer: Answer
    why_not: tuple[WhyNotQuestion, ...] = ()
    teaching_points: tuple[TeachingPoint, ...] = Field(min_length=1)


class Scenario(_Model):
    """A training scenario (HOCR General Rules and crime types), told in stages."""

    id: str | None = Field(None, description="Set from the file path when loaded.")
    title: str = Field(min_length=3)
    audience: tuple[_Words, ...] = Field(min_length=1)
    topics: tuple[_Topic, ...] = Field(
        (),
        description="What it is about, for `scenarios list --topic`: lower-case words, "
        "e.g. robbery, domestic abuse, n100, removing recorded crimes.",
    )
    objectives: tuple[str, ...] = Field(min_length=1)
    teaches: tuple[str, ...] = Field(min_length=1, description="Rule ids this scenario teaches.")
    edition: str
    source: str = Field(min_length=3, description="Where the story comes from.")
    stages: tuple[Stage, ...] = Field(min_length=1)

    @field_validator("audience", "topics")
    @classmethod
    def _once(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        dup = next((v for i, v in enumerate(values) if v in values[:i]), None)
        if dup is not None:
            raise ValueError(f"{dup!r} is given twice")
        return values

    @model_validator(mode="after")
    def _cases_valid(self) -> Scenario:
        self.cases()
        return self

    @property
    def editions(self) -> tuple[str, ...]:
        """The editions the stages are decided under: the scenario's and the stages' own."""
        named = {self.edition} | {st.edition for st in self.stages if st.edition}
        return tuple(sorted(named))

    def cases(self) -> tuple[CaseFacts, ...]:
        """The case at each stage, each stage's patch merged into the one before."""
        out: list[CaseFacts] = []
        doc: dict[str, Any] = {}
        for i, stage in enumerate(self.stages):
            doc = merge_facts(doc, stage.facts)
            try:
                out.append(parse_case(doc))
            except CaseFactsError as exc:
                raise ValueError(f"stage {i + 1} ({stage.title}): {exc.one_line()}") from None
        return tuple(out)


def merge_facts(base: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    """Merge a stage's patch into the case so far (rules in the module docstring)."""
    out = dict(base)
    for key, value in patch.items():
        old = out.get(key)
        if isinstance(value, Mapping) and isinstance(old, Mapping):
            out[key] = merge_facts(old, value)
        elif _id_list(value) and _id_list(old):
            out[key] = _merge_items(old, value)
        elif _id_list(value):
            out[key] = [dict(v) for v in value if not v.get(REMOVE)]
        else:
            out[key] = value
    return out


def _id_list(value: Any) -> TypeGuard[list[Mapping[str, Any]]]:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, Mapping) and "id" in v for v in value)
    )


def _merge_items(old: list[Mapping[str, Any]], patch: list[Mapping[str, Any]]) -> list[Any]:
    items = [dict(v) for v in old]
    for p in patch:
        at = next((i for i, v in enumerate(items) if v["id"] == p["id"]), None)
        if p.get(REMOVE):
            if at is not None:
                del items[at]
        elif at is None:
            items.append(dict(p))
        else:
            items[at] = merge_facts(items[at], p)
    return items


def match(expected: Any, actual: Any, where: str = "decision") -> list[str]:
    """Subset match; the problems found (none means it matches). Mappings check only the
    keys given; lists check length and order; other values must be equal."""
    if isinstance(expected, Mapping):
        if not isinstance(actual, Mapping):
            return [f"{where}: expected a mapping, got {actual!r}"]
        problems = []
        for k, v in expected.items():
            if k not in actual:
                problems.append(f"{where}: no field {k!r} in {sorted(actual)}")
            else:
                problems += match(v, actual[k], f"{where}.{k}")
        return problems
    if isinstance(expected, list):
        if not isinstance(actual, list | tuple):
            return [f"{where}: expected a list, got {actual!r}"]
        if len(expected) != len(actual):
            return [f"{where}: expected {len(expected)} items, got {len(actual)}: {actual!r}"]
        return [
            p
            for i, (e, a) in enumerate(zip(expected, actual, strict=True))
            for p in match(e, a, f"{where}[{i}]")
        ]
    if expected != actual:
        return [f"{where}: expected {expected!r}, got {actual!r}"]
    return []


def load_scenario(
    path: str | Path, root: str | Path | None = None, *, register: Register | None = None
) -> Scenario:
    """Read and validate one scenario file; its id is its path under ``root`` (no suffix).
    Its teaching points' sources must be in ``register`` (default: the shipped rulebook's)."""
    p = Path(path)
    located = read_mapping_file(
        p, "scenario .yaml", "a scenario is a mapping with 'title' and 'stages'"
    )
    ident = p.with_suffix("").name
    if root is not None and Path(root).resolve() in p.resolve().parents:
        ident = p.resolve().relative_to(Path(root).resolve()).with_suffix("").as_posix()
    fix = "see docs/how-to/trainer-guide.md and `counting-rules scenarios schema`"
    try:
        loaded = Scenario.model_validate({**located.data, "id": located.data.get("id") or ident})
    except ValidationError as exc:
        invalid: list[CaseFactsError] = []
        for problem in problems(exc):
            line = located.line(problem.loc)
            where = problem.where or "(scenario)"
            at = f"{p}:{line}" if line else str(p)
            invalid.append(
                ScenarioError(f"{at}: {where}: {problem.message}", field=where, line=line, fix=fix)
            )
        raise ScenarioError.collect(invalid, fix) from None
    _check_sources(loaded, located, p, register or default_rulebook().sources, fix)
    return loaded


def _check_sources(
    scenario: Scenario, located: Located, path: Path, register: Register, fix: str
) -> None:
    """Every teaching point's source (its first word, an id) is in the register; each that
    is not is an error naming the file, the line and the id."""
    errors: list[CaseFactsError] = []
    for i, stage in enumerate(scenario.stages):
        for j, point in enumerate(stage.teaching_points):
            sid = point.source.split()[0] if point.source else None
            if sid is None or sid in register.sources:
                continue
            line = located.line(("stages", i, "teaching_points", j, "source"))
            where = f"stages.{i}.teaching_points.{j}.source"
            hint = difflib.get_close_matches(sid, sorted(register.sources), n=1)
            errors.append(
                ScenarioError(
                    f"{path}:{line}: {where}: source {sid!r} is not in the source register",
                    field=where,
                    line=line,
                    fix=f"did you mean {hint[0]!r}?" if hint else "add it to sources.yaml",
                )
            )
    if errors:
        raise ScenarioError.collect(errors, fix)


def default_scenarios() -> Path:
    """The scenario library: inside the installed package, else beside it in a checkout,
    else ``./scenarios``."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "scenarios", package.parent / "scenarios"):
        if candidate.is_dir():
            return candidate
    return Path.cwd() / "scenarios"


def load_scenarios(folder: str | Path, *, register: Register | None = None) -> list[Scenario]:
    """Every scenario under ``folder`` (``**/*.yaml``), sorted by id."""
    root = Path(folder)
    if not root.is_dir():
        raise CaseFileError(f"{root}: no such scenario folder", fix="give a folder of scenarios")
    return [load_scenario(p, root, register=register) for p in sorted(root.rglob("*.yaml"))]


@dataclass(frozen=True)
class StageRun:
    """One stage run through the engine."""

    case: CaseFacts
    edition: str
    decision: Decision
    trace: tuple[Firing, ...]

    @property
    def fired(self) -> frozenset[str]:
        """The rules that fired surely."""
        return frozenset(f.rule.id for f in self.trace if f.variant == "sure")


def run_stage(
    scenario: Scenario,
    index: int,
    *,
    evaluator: Evaluator = "reference",
    rulebook: Rulebook | None = None,
) -> StageRun:
    """Decide the case as it stands at stage ``index`` (0-based)."""
    book = rulebook or default_rulebook()
    case = scenario.cases()[index]
    ed = edition_for(book, report_date(case), scenario.stages[index].edition or scenario.edition)
    run = run_case(book, ed, case, evaluator)
    return StageRun(case, ed.id, build(case, book, ed, run.facts, run.trace), run.trace)


@dataclass(frozen=True)
class StageResult:
    """Whether a stage's model answer (and its why-not answers) agree with the engine."""

    index: int
    title: str
    run: StageRun
    problems: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class ScenarioResult:
    """Every stage's result, and problems with the scenario as a whole."""

    scenario: Scenario
    stages: tuple[StageResult, ...]
    problems: tuple[str, ...] = field(default=())

    @property
    def passed(self) -> bool:
        return not self.problems and all(s.passed for s in self.stages)


def _unknown_rules(scenario: Scenario, book: Rulebook) -> list[str]:
    named = [("teaches", r) for r in scenario.teaches]
    for i, st in enumerate(scenario.stages, 1):
        named += [(f"stage {i} teaching point", r) for tp in st.teaching_points for r in tp.rules]
        named += [(f"stage {i} why_not", q.rule) for q in st.why_not]
        named += [(f"stage {i} answer", r) for r in (*st.answer.fires, *st.answer.not_fired)]
    out = []
    for where, rid in named:
        if rid not in book.rules:
            hint = difflib.get_close_matches(rid, sorted(book.rules), n=1)
            out.append(
                f"{where}: unknown rule {rid!r}" + (f" (did you mean {hint[0]!r}?)" if hint else "")
            )
    return out


def check_scenario(
    scenario: Scenario,
    *,
    evaluator: Evaluator = "reference",
    rulebook: Rulebook | None = None,
) -> ScenarioResult:
    """Run every stage through the engine and compare it with the model answers."""
    book = rulebook or default_rulebook()
    problems = _unknown_rules(scenario, book)
    if problems:
        return ScenarioResult(scenario, (), tuple(problems))
    results: list[StageResult] = []
    fired: set[str] = set()
    asked: set[str] = set()
    for i, stage in enumerate(scenario.stages):
        run = run_stage(scenario, i, evaluator=evaluator, rulebook=book)
        fired |= run.fired
        dumped = run.decision.model_dump(mode="json")
        found = match(stage.answer.expect, dumped)
        for key, wanted in stage.answer.includes.items():
            for item in wanted:
                if not any(not match(item, got) for got in dumped[key]):
                    found.append(f"decision.{key} has no item matching {item!r}")
        found += [f"rule {r} did not fire" for r in stage.answer.fires if r not in run.fired]
        found += [f"rule {r} fired" for r in stage.answer.not_fired if r in run.fired]
        for q in stage.why_not:
            asked.add(q.rule)
            wn = why_not(run.case, q.rule, edition=run.edition, subject=q.subject, rulebook=book)
            if q.expect is not None and wn.status != q.expect:
                found.append(f"why not {q.rule}: expected {q.expect}, got {wn.status}: {wn.text}")
            if q.field is not None and wn.field != q.field:
                found.append(f"why not {q.rule}: expected field {q.field}, got {wn.field}")
        results.append(StageResult(i, stage.title, run, tuple(found)))
    untaught = [
        f"teaches {r}, but it fires in no stage and no stage asks why it does not"
        for r in scenario.teaches
        if r not in fired and r not in asked
    ]
    return ScenarioResult(scenario, tuple(results), tuple(untaught))


def covered_rules(scenarios: Sequence[Scenario]) -> set[str]:
    """Rule ids some scenario teaches."""
    return {r for s in scenarios for r in s.teaches}


def taught_rules(book: Rulebook, scenarios: Sequence[Scenario]) -> set[str]:
    """Rules of ``book`` that scenarios teach: a decision table counts as taught, every row
    of it, once a scenario teaches some row (each row has its own tests in tests/rulebooks)."""
    named = covered_rules(scenarios) & set(book.rules)
    files = {book.rules[r].file for r in named}
    return named | {
        rid
        for rid, rule in book.rules.items()
        if rule.file in files and rid != rule.file.removesuffix(".yaml")
    }
