"""``counting-rules diff``: decide the same cases under two editions and explain each change.

What a maintainer checks before a new April edition: which outcomes change (a crime's code,
an allegation recorded, absorbed or turned into an incident, a flag, a victim duty, a
cancellation ruling, a question still needed) and which rules caused each change: the rules
that fire, about that subject, under one edition and not the other.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from counting_rules._engine.actions import Firing
from counting_rules._engine.decision_builder import build
from counting_rules._engine.facts import fact_key
from counting_rules._engine.pipeline import run_case
from counting_rules._rulebook.ir import Edition, Rulebook
from counting_rules.case import CaseFacts
from counting_rules.decision import Decision
from counting_rules.scenario import default_scenarios, load_scenarios

Evaluator = Literal["durable", "reference"]
_SUBJECT_FIELDS = ("aid", "by", "pid", "vid", "subject")


@dataclass(frozen=True)
class Cause:
    """A rule that fired about the subject under one edition only."""

    rule_id: str
    fired_under: str  # the edition id it fired under
    in_force_in_other: bool  # False: the rule is not in force in the other edition at all


@dataclass(frozen=True)
class Change:
    """One outcome that differs between the two editions."""

    case_id: str
    source: str
    subject: str  # "allegation A2", "victim V1", "proposal P1", "case"
    before: str
    after: str
    conduct_crime: bool  # a conduct crime (stalking, harassment, coercive control) is involved
    causes: tuple[Cause, ...]


@dataclass
class Report:
    """The changes from edition ``before`` to edition ``after`` over ``cases`` cases."""

    before: str
    after: str
    cases: int
    changes: list[Change] = field(default_factory=list)

    def by_rule(self) -> list[tuple[str, int]]:
        """Causing rules with the number of changes each took part in, most first."""
        counts = Counter(c.rule_id for ch in self.changes for c in ch.causes)
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.before,
            "to": self.after,
            "cases": self.cases,
            "changed_cases": len({(c.source, c.case_id) for c in self.changes}),
            "changes": [
                {
                    "case_id": ch.case_id,
                    "source": ch.source,
                    "subject": ch.subject,
                    "before": ch.before,
                    "after": ch.after,
                    "conduct_crime": ch.conduct_crime,
                    "causes": [vars(c) for c in ch.causes],
                }
                for ch in self.changes
            ],
            "by_rule": dict(self.by_rule()),
        }


def _run(
    book: Rulebook, edition: Edition, case: CaseFacts, evaluator: Evaluator
) -> tuple[Decision, list[Firing]]:
    run = run_case(book, edition, case, evaluator)
    return build(case, book, edition, run.facts, run.trace), list(run.trace)


Subject = tuple[str, str, str]  # (subject type, id, aspect)


def outcomes(decision: Decision) -> dict[Subject, str]:
    """Each subject of a decision and a one-line summary of what was decided about it.

    The aspects of one subject (its outcome, duties, rulings, findings, open questions) are
    kept apart, so a change in one does not repeat the others."""
    out: dict[Subject, list[str]] = {}

    def say(kind: str, ident: str, aspect: str, text: str) -> None:
        out.setdefault((kind, ident, aspect), []).append(text)

    for cr in decision.crimes:
        flags = f" flags {','.join(cr.flags)}" if cr.flags else ""
        due = f" due {cr.deadline_basis}+24h" if cr.deadline_basis else ""
        say(
            "allegation",
            cr.allegation_id,
            "",
            f"crime {cr.code or '?'} {cr.title or ''}{flags}{due}",
        )
        for ab in cr.absorbed:
            into = f"{cr.allegation_id} ({cr.code or '?'} {cr.title or ''})"
            say("allegation", ab.allegation_id, "", f"{ab.code or '?'} absorbed into {into}")
    for n in decision.n100s:
        say("allegation", n.allegation_id, "", f"N100 {n.n100_type or '?'}")
    for i in decision.incidents:
        say("allegation", i.allegation_id, "", f"incident only ({', '.join(i.reason_codes)})")
    for t in decision.transfers:
        say("allegation", t.allegation_id, "", f"transfer to {t.to_force or '?'}")
    for u in decision.undecided:
        say("allegation", u.allegation_id, "", f"undecided ({u.status})")
    for r in decision.referrals:
        say(r.subject_type, r.subject_id, "", f"referred to the FCR ({r.conclusion})")
    for cn in decision.cancellations:
        verdict = "allowed" if cn.allowed else "refused"
        say("proposal", cn.proposal_id, "", f"{cn.category} {verdict}, decided by {cn.decider}")
    for d in decision.victim_duties:
        say("victim", d.victim_id, "duties", d.duty)
    for f in decision.findings:
        say("finding on", f.subject, "", f"{f.severity} {f.code}")
    for q in decision.still_needed:
        say(q.subject_type, q.subject_id, "still needed", q.field)
    return {k: "; ".join(sorted(v)) for k, v in out.items()}


def _key(fact: Mapping[str, Any]) -> str:
    return fact_key({k: v for k, v in fact.items() if k != "mode"})


# The conclusion types that make up each kind of outcome (None: any).
_OUTCOME_TYPES: dict[tuple[str, str], frozenset[str] | None] = {
    ("allegation", ""): frozenset({"recording", "classification", "deadline", "absorbed", "flag"}),
    ("proposal", ""): frozenset({"cancellation"}),
    ("victim", "duties"): frozenset({"victim_duty"}),
    ("finding on", ""): frozenset({"finding"}),
}


def _causes(
    book: Rulebook, this: Sequence[Firing], other: Sequence[Firing], subject: Subject
) -> set[str]:
    """Rules behind the conclusions about ``subject`` drawn in ``this`` trace and not in
    ``other``, following each one back through the derived facts it matched that ``other``
    lacks too (so the root cause, often a rule in force in one edition only, is named)."""
    kind, ident, aspect = subject
    types = _OUTCOME_TYPES.get((kind, aspect))
    theirs = {_key(f.conclusion) for f in other if f.variant == "sure"}
    producers: dict[str, list[Firing]] = {}
    for f in this:
        if f.variant == "sure":
            producers.setdefault(_key(f.conclusion), []).append(f)
    todo = [
        f
        for fs in producers.values()
        for f in fs
        if _key(f.conclusion) not in theirs
        and (types is None or f.conclusion["t"] in types)
        and any(f.conclusion.get(k) == ident for k in _SUBJECT_FIELDS)
    ]
    rules: set[str] = set()
    seen: set[int] = set()
    while todo:
        f = todo.pop()
        if id(f) in seen:
            continue
        seen.add(id(f))
        rules.add(f.rule.id)
        for _, fact in f.bindings:
            if book.types[fact["t"]].derived and _key(fact) not in theirs:
                todo += producers.get(_key(fact), [])
    return rules


def compare(
    book: Rulebook,
    before: Edition,
    after: Edition,
    cases: Iterable[tuple[str, CaseFacts]],
    evaluator: Evaluator = "durable",
) -> Report:
    """Decide every case under both editions; return every change with its causes."""
    report = Report(before.id, after.id, 0)
    in_force = {ed.id: {r.id for r in ed.rules} for ed in (before, after)}
    conduct = {
        code for code, row in book.tables["offence_catalogue"].rows.items() if row["conduct_crime"]
    }
    for source, case in cases:
        report.cases += 1
        d1, t1 = _run(book, before, case, evaluator)
        d2, t2 = _run(book, after, case, evaluator)
        o1, o2 = outcomes(d1), outcomes(d2)
        codes = _codes(d1) | _codes(d2)
        for subject in sorted(o1.keys() | o2.keys()):
            if o1.get(subject) == o2.get(subject):
                continue
            kind, ident, aspect = subject
            causes = {
                Cause(r, after.id, r in in_force[before.id]) for r in _causes(book, t2, t1, subject)
            }
            causes |= {
                Cause(r, before.id, r in in_force[after.id]) for r in _causes(book, t1, t2, subject)
            }
            report.changes.append(
                Change(
                    case_id=case.report.id,
                    source=source,
                    subject=" ".join(p for p in (kind, ident, aspect) if p),
                    before=o1.get(subject, "(nothing)"),
                    after=o2.get(subject, "(nothing)"),
                    conduct_crime=any(codes.get(a) in conduct for a in _alongside(case, ident)),
                    causes=tuple(
                        sorted(causes, key=lambda cz: (cz.fired_under != after.id, cz.rule_id))
                    ),
                )
            )
    return report


def _codes(decision: Decision) -> dict[str, str | None]:
    out = {cr.allegation_id: cr.code for cr in decision.crimes}
    out |= {ab.allegation_id: ab.code for cr in decision.crimes for ab in cr.absorbed}
    return out


def _alongside(case: CaseFacts, aid: str) -> list[str]:
    """``aid`` and the allegations against the same victim on the same occasion."""
    mine = next((a for a in case.allegations if a.id == aid), None)
    if mine is None:
        return []
    return [
        a.id
        for a in case.allegations
        if (a.incident, a.occasion, a.victim) == (mine.incident, mine.occasion, mine.victim)
    ]


def render_text(report: Report) -> str:
    """The report as plain text: the conduct-crime changes first (the 2023 principal offence
    change), then every changed case, then the causing rules by number of changes."""
    changed = len({(c.source, c.case_id) for c in report.changes})
    conduct = [c for c in report.changes if c.conduct_crime]
    lines = [
        f"diff {report.before} -> {report.after}: {len(report.changes)} outcomes change "
        f"in {changed} of {report.cases} cases ({len(conduct)} involve a conduct crime)",
    ]
    if conduct:
        lines += ["", "conduct-crime changes:"]
        lines += _changes(report, conduct)
    if report.changes:
        lines += ["", "all changes:"]
        lines += _changes(report, report.changes)
        lines += ["", "rules causing changes:"]
        lines += [f"  {n:5d}  {rule}" for rule, n in report.by_rule()]
    return "\n".join(lines) + "\n"


def _changes(report: Report, changes: Iterable[Change]) -> list[str]:
    lines: list[str] = []
    last = None
    for ch in changes:
        if (ch.source, ch.case_id) != last:
            last = (ch.source, ch.case_id)
            lines.append(f"  {ch.case_id} ({ch.source})")
        lines.append(f"    {ch.subject}: {ch.before}  ->  {ch.after}")
        for cz in ch.causes:
            sign = "+" if cz.fired_under == report.after else "-"
            other = report.before if cz.fired_under == report.after else report.after
            note = "" if cz.in_force_in_other else f" (not in force in {other})"
            lines.append(f"        {sign} {cz.rule_id}{note}")
    return lines


def scenario_cases(folder: str | Path | None = None) -> list[tuple[str, CaseFacts]]:
    """The case at every stage of every training scenario (none if the folder is missing):
    the scenarios' own library unless ``folder`` is given."""
    root = Path(folder) if folder else default_scenarios()
    if not root.is_dir():
        return []
    return [
        (f"scenario {sc.id} stage {n}", case)
        for sc in load_scenarios(root)
        for n, case in enumerate(sc.cases(), start=1)
    ]


def generated_cases(examples: int, seed: int) -> list[tuple[str, CaseFacts]]:
    """``examples`` generated cases, the same ones for the same seed (needs hypothesis)."""
    if examples <= 0:
        return []
    from counting_rules._maintain.witness import draw_examples
    from counting_rules.strategies import cases

    drawn = draw_examples(cases(max_victims=2), examples, seed)
    return [(f"generated #{i + 1}", case) for i, case in enumerate(drawn)]


def default_cases(
    examples: int, seed: int, scenarios: str | Path | None = None
) -> list[tuple[str, CaseFacts]]:
    """Every scenario stage, then ``examples`` generated cases."""
    generated = generated_cases(examples, seed)  # first: without hypothesis, fail at once
    return scenario_cases(scenarios) + generated


__all__ = ["Change", "Report", "compare", "default_cases", "generated_cases", "render_text"]
