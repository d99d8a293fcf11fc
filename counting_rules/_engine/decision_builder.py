"""Turn a trace of firings into a Decision: group conclusions by subject, attach reasons,
turn conflicts into referrals and undetermined allegations into "undecided"."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from jinja2 import Template

from counting_rules._engine.actions import Firing
from counting_rules._engine.facts import Fact, fact_key
from counting_rules._engine.still_needed import analyse, edition_stages
from counting_rules._engine.working_days import after_working_days
from counting_rules._rulebook.fact_types import EXISTS
from counting_rules._rulebook.ir import Edition, Rulebook
from counting_rules._rulebook.templates import compile_template, render, template_line
from counting_rules._version import __version__
from counting_rules.case import CaseFacts
from counting_rules.decision import (
    Absorbed,
    CancellationRuling,
    Citation,
    Crime,
    Decision,
    Finding,
    IncidentRecord,
    N100Record,
    Reason,
    Referral,
    Transfer,
    Undecided,
    VictimDuty,
)
from counting_rules.errors import EngineError

_HIDDEN = frozenset({"mode", "sid"})
# Keys the engine builds to join facts (the report time as text, the offenders' ids joined):
# internal, and said better by the fields they are made of.
_JOIN_KEYS = frozenset({"report_key", "offender_key"})
# What an absorbed allegation's reasons leave out: the firings that treat it as a crime of its
# own (recorded, a deadline, a flag). Its classification, whether it is a crime in law and
# what absorbed it stay; the crime that absorbed it carries the recording.
_NOT_FOR_ABSORBED = frozenset({"recording", "recorded", "candidate", "deadline", "flag"})


def template_of(book: Rulebook, rule_id: str) -> Template:
    """The rule's compiled template, kept by the rulebook (compiled by the loader)."""
    found = book.compiled_templates.get(rule_id)
    if found is None:
        found = book.compiled_templates[rule_id] = compile_template(book.templates[rule_id])
    return found


def _public(fact: Fact) -> dict[str, Any]:
    return {k: v for k, v in fact.items() if k not in _HIDDEN}


class _Builder:
    def __init__(
        self,
        case: CaseFacts,
        book: Rulebook,
        edition: Edition,
        trace: Sequence[Firing],
        explain: bool = True,
    ):
        self.case = case
        self.explain = explain
        self.book = book
        self.edition = edition
        self.sure = [f for f in trace if f.variant == "sure"]
        self.by_type: dict[str, list[Firing]] = defaultdict(list)
        for f in self.sure:
            self.by_type[f.conclusion["t"]].append(f)
        self.tz = case.report.received_at.tzinfo
        self._reasons: dict[tuple[str, str], Reason] = {}

    def reason(self, firing: Firing) -> Reason:
        rule = firing.rule.rule
        facts = {alias: _public(f) for alias, f in firing.bindings}
        key = (rule.id, fact_key({"b": facts, "c": _public(firing.conclusion)}))
        if key not in self._reasons:
            context: dict[str, Any] = dict(facts)
            context["conclusion"] = _public(firing.conclusion)
            context["rule"] = {"id": rule.id, "title": rule.title}
            context["edition"] = {"id": self.edition.id, "title": self.edition.title}
            try:
                explanation = (
                    render(template_of(self.book, rule.id), context) if self.explain else ""
                )
            except Exception as exc:  # a template that passed the load-time sample, not these facts
                line = template_line(exc)
                at = f"{rule.id}.md.j2" + (f":{line}" if line else "")
                raise EngineError(
                    f"explanation of rule {rule.id} fails to render ({at}): "
                    f"{type(exc).__name__}: {exc}; run `counting-rules check` on the rulebook"
                ) from exc
            self._reasons[key] = Reason(
                rule_id=rule.id,
                title=rule.title,
                citation=Citation(**rule.citation.model_dump(exclude={"note"})),
                explanation=explanation,
                facts={a: self._shown(firing, a, f) for a, f in facts.items()},
            )
        return self._reasons[key]

    def _shown(self, firing: Firing, alias: str, fact: dict[str, Any]) -> dict[str, Any]:
        """The part of a matched fact a reason shows: its ids and the fields the rule tests.
        Personal details the rule does not test (a victim's age, sex, ethnicity) stay out
        of the decision's reasons; the explanation template still sees the whole fact."""
        pat = next(p for p in firing.rule.patterns if p.alias == alias)
        spec = self.book.types[pat.type]
        keep = {c.field for c in pat.conds} | {spec.subject, *spec.key_fields(), "t"}
        keep |= {n for n, f in spec.fields.items() if not f.nullable}  # ids and kinds
        keep.discard(EXISTS)
        keep -= _JOIN_KEYS
        shown: dict[str, Any] = {}
        for k, v in sorted(fact.items()):
            if k == "t":
                shown["fact"] = v
            elif k in keep:
                shown[k] = self.timestamp(v) if k.endswith("_at") and type(v) is int else v
        return shown

    def timestamp(self, epoch: int) -> str:
        """An engine time (epoch seconds) as the case gives times: ISO 8601 with the offset
        of the report's time zone."""
        return datetime.fromtimestamp(epoch, tz=self.tz).isoformat()

    def reasons(self, firings: Iterable[Firing]) -> tuple[Reason, ...]:
        unique = {
            (r.rule_id, r.explanation, fact_key(r.facts)): r for r in map(self.reason, firings)
        }
        return tuple(unique[k] for k in sorted(unique))

    def about(self, field: str, value: str) -> list[Firing]:
        """Sure firings whose conclusion is about ``field == value`` (any conclusion type)."""
        return [f for f in self.sure if f.conclusion.get(field) == value]

    def functional(
        self, ctype: str, field: str, subject_type: str
    ) -> tuple[dict[str, dict[str, Any]], list[Referral]]:
        """One value per subject for a functional type; more than one is a referral."""
        spec = self.book.types[ctype]
        values: dict[str, dict[str, list[Firing]]] = defaultdict(lambda: defaultdict(list))
        for f in self.by_type.get(ctype, ()):
            v = {k: f.conclusion.get(k) for k in spec.value_fields() if k in f.conclusion}
            values[f.conclusion[field]][fact_key(v)].append(f)
        chosen: dict[str, dict[str, Any]] = {}
        referrals: list[Referral] = []
        for subject, options in sorted(values.items()):
            if len(options) == 1:
                (firings,) = options.values()
                chosen[subject] = {**firings[0].conclusion, "_firings": firings}
                continue
            referrals.append(
                Referral(
                    subject_type=subject_type,
                    subject_id=subject,
                    conclusion=ctype,
                    values=tuple(
                        {
                            k: v
                            for k, v in _public(fs[0].conclusion).items()
                            if k in spec.value_fields()
                        }
                        for _, fs in sorted(options.items())
                    ),
                    reasons=self.reasons(f for fs in options.values() for f in fs),
                )
            )
        return chosen, referrals

    def when(self, epoch: int | None, hours: int) -> datetime | None:
        if epoch is None:
            return None
        return datetime.fromtimestamp(epoch, tz=self.tz) + timedelta(hours=hours)


def build(
    case: CaseFacts,
    book: Rulebook,
    edition: Edition,
    facts: Sequence[Fact],
    trace: Sequence[Firing],
    *,
    explain: bool = True,
) -> Decision:
    """Assemble the decision for ``case`` from its firings. With ``explain=False`` no
    template is rendered: every reason keeps its rule, citation and facts, and its
    explanation is empty (reasons then differ only by rule and facts)."""
    b = _Builder(case, book, edition, trace, explain)
    recording, referrals = b.functional("recording", "aid", "allegation")
    codes, more = b.functional("classification", "aid", "allegation")
    referrals += more
    deadlines, more = b.functional("deadline", "aid", "allegation")
    referrals += more
    rulings, more = b.functional("cancellation", "pid", "proposal")
    referrals += more
    deciders, more = b.functional("cancellation_decider", "pid", "proposal")
    referrals += more
    referred = {r.subject_id for r in referrals}
    afacts = {f["aid"]: f for f in facts if f["t"] == "allegation"}
    vfacts = {f["vid"]: f for f in facts if f["t"] == "victim"}
    catalogue = book.tables["offence_catalogue"].rows
    absorbed_by: dict[str, list[Firing]] = defaultdict(list)
    for f in b.by_type.get("absorbed", ()):
        absorbed_by[f.conclusion["aid"]].append(f)
    maybe_outcomes: dict[str, set[str]] = defaultdict(set)
    for f in trace:
        if f.variant == "maybe" and f.conclusion["t"] == "recording" and "outcome" in f.conclusion:
            maybe_outcomes[f.conclusion.get("aid", "")].add(f.conclusion["outcome"])

    def title(code: str | None) -> str | None:
        return str(catalogue[code]["title"]) if code in catalogue else None

    crimes: list[Crime] = []
    n100s: list[N100Record] = []
    incidents: list[IncidentRecord] = []
    transfers: list[Transfer] = []
    undecided: list[Undecided] = []
    pending_absorbed: dict[str, list[Absorbed]] = defaultdict(list)
    for al in sorted(case.allegations, key=lambda a: a.id):
        if al.id in referred:
            continue
        rec = recording.get(al.id)
        own = b.about("aid", al.id)
        if rec is None:
            status = "facts_needed" if maybe_outcomes.get(al.id) else "no_rule_applies"
            undecided.append(
                Undecided(
                    allegation_id=al.id,
                    victim_id=al.victim,
                    status=status,
                    possible_outcomes=tuple(sorted(maybe_outcomes.get(al.id, ()))),
                )
            )
            continue
        outcome = rec["outcome"]
        if outcome == "record":
            code = codes.get(al.id, {}).get("code")
            absorbers = sorted({f.conclusion["by"] for f in absorbed_by.get(al.id, ())})
            if absorbers:
                pending_absorbed[_final(absorbers[0], absorbed_by)].append(
                    Absorbed(
                        allegation_id=al.id,
                        code=code,
                        title=title(code),
                        absorbed_by=absorbers[0],
                        reasons=b.reasons(
                            f for f in own if f.conclusion["t"] not in _NOT_FOR_ABSORBED
                        ),
                    )
                )
                continue
            dl = deadlines.get(al.id)
            deadline = basis = None
            if dl is not None:
                basis = str(dl["basis"])
                epoch = afacts[al.id]["received_at"]
                if basis == "confirmation":
                    epoch = vfacts.get(al.victim or "", {}).get("confirmed_at")
                deadline = b.when(epoch, int(dl["hours"]))
            flags = sorted(
                {
                    f.conclusion["flag"]
                    for f in b.by_type.get("flag", ())
                    if f.conclusion["aid"] == al.id
                }
            )
            crimes.append(
                Crime(
                    allegation_id=al.id,
                    victim_id=al.victim,
                    offender_ids=tuple(sorted(al.offenders)),
                    incident=al.incident,
                    occasion=al.occasion,
                    code=code,
                    title=title(code),
                    flags=tuple(flags),
                    deadline=deadline,
                    deadline_basis=basis,
                    absorbed=(),
                    reasons=b.reasons(f for f in own if f.conclusion["t"] != "absorbed"),
                )
            )
        elif outcome == "n100":
            n100s.append(
                N100Record(
                    allegation_id=al.id,
                    victim_id=al.victim,
                    n100_type=rec.get("n100_type"),
                    reasons=b.reasons(own),
                )
            )
        elif outcome == "transfer":
            transfers.append(
                Transfer(
                    allegation_id=al.id,
                    victim_id=al.victim,
                    to_force=al.occurred_in_force,
                    reasons=b.reasons(own),
                )
            )
        else:
            why = sorted(
                {str(f.conclusion["reason"]) for f in rec["_firings"] if "reason" in f.conclusion}
            )
            incidents.append(
                IncidentRecord(
                    allegation_id=al.id,
                    victim_id=al.victim,
                    reason_codes=tuple(why),
                    reasons=b.reasons(own),
                )
            )
    recorded = {c.allegation_id for c in crimes}
    for absorber, entries in sorted(pending_absorbed.items()):
        if absorber in recorded:
            continue
        for a in entries:  # absorbed by something not recorded: never silently dropped
            referrals.append(
                Referral(
                    subject_type="allegation",
                    subject_id=a.allegation_id,
                    conclusion="absorbed",
                    values=({"by": a.absorbed_by},),
                    reasons=a.reasons,
                )
            )
    crimes = [
        c.model_copy(
            update={
                "absorbed": tuple(
                    sorted(pending_absorbed.get(c.allegation_id, ()), key=lambda a: a.allegation_id)
                )
            }
        )
        for c in crimes
    ]
    cancellations = [
        CancellationRuling(
            proposal_id=pid,
            allegation_id=next(p.allegation for p in case.proposals if p.id == pid),
            category=str(r["category"]),
            allowed=bool(r["allowed"]),
            decider=str(deciders[pid]["decider"]),  # a row of who_decides fits every proposal
            reasons=b.reasons(b.about("pid", pid)),
        )
        for pid, r in sorted(rulings.items())
    ]
    duties: dict[tuple[str, str], list[Firing]] = defaultdict(list)
    for f in b.by_type.get("victim_duty", ()):
        duties[(f.conclusion["vid"], f.conclusion["duty"])].append(f)
    victim_duties = []
    absorbed = {a.allegation_id for c in crimes for a in c.absorbed}
    for (vid, duty), fs in sorted(duties.items()):
        # A duty owed for a crime counted on its own is not also cited for the victim's
        # absorbed allegations; a victim whose only crime was absorbed is still owed it.
        counted = [f for f in fs if not _allegations(f) & absorbed]
        fs = counted or fs
        dues = [
            b.when(int(case.report.received_at.timestamp()), int(f.conclusion["due_hours"]))
            for f in fs
            if "due_hours" in f.conclusion
        ]
        dues += [
            after_working_days(case.report.received_at, int(f.conclusion["due_working_days"]))
            for f in fs
            if "due_working_days" in f.conclusion
        ]
        due = min((d for d in dues if d is not None), default=None)
        victim_duties.append(VictimDuty(victim_id=vid, duty=duty, due=due, reasons=b.reasons(fs)))
    found: dict[tuple[str, str], list[Firing]] = defaultdict(list)
    for f in b.by_type.get("finding", ()):
        found[(f.conclusion["subject"], f.conclusion["code"])].append(f)
    findings = [
        Finding(
            subject=s,
            code=c,
            severity=str(
                next(
                    (f.conclusion["severity"] for f in fs if "severity" in f.conclusion), "advisory"
                )
            ),
            reasons=b.reasons(fs),
        )
        for (s, c), fs in sorted(found.items())
    ]
    needed, may_change = analyse(trace, facts, book.types, edition_stages(book, edition))
    return Decision(
        case_id=case.report.id,
        edition=edition.id,
        edition_title=edition.title,
        rulebook=book.name,
        rulebook_digest=book.digest,
        engine_version=__version__,
        crimes=tuple(sorted(crimes, key=lambda c: c.allegation_id)),
        n100s=tuple(n100s),
        incidents=tuple(incidents),
        transfers=tuple(transfers),
        cancellations=tuple(cancellations),
        victim_duties=tuple(victim_duties),
        findings=tuple(findings),
        referrals=tuple(sorted(referrals, key=lambda r: (r.conclusion, r.subject_id))),
        undecided=tuple(undecided),
        still_needed=needed,
        may_change=may_change,
    )


def _allegations(firing: Firing) -> set[str]:
    """The allegations a firing's facts are about."""
    return {str(f["aid"]) for _, f in firing.bindings if "aid" in f}


def _final(aid: str, absorbed_by: Mapping[str, list[Firing]]) -> str:
    """Follow a chain of absorptions to the crime finally recorded (cycles stop where they
    close), so an absorbed candidate is always listed under a recorded crime."""
    seen = {aid}
    while aid in absorbed_by:
        nxt = sorted({f.conclusion["by"] for f in absorbed_by[aid]})[0]
        if nxt in seen:
            break
        seen.add(nxt)
        aid = nxt
    return aid
