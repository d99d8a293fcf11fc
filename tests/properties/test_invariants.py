"""Invariants every decision keeps, on generated cases (counting_rules.strategies).

Each invariant is a function returning the ways a decision breaks it (empty when it holds),
so the suite can also show that a deliberately broken rulebook breaks one
(tests/maintain/test_broken_rulebook.py). Decisions use the reference evaluator unless the
invariant is about the engine: the differential tests prove both evaluators agree.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from datetime import date, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from counting_rules import CaseFacts, Decision, Rulebook, decide, parse_case
from counting_rules._engine.decide import default_rulebook, edition_for, report_date
from counting_rules._engine.facts import flatten
from counting_rules._engine.pipeline import evaluator
from counting_rules._explain.render import render_decision
from counting_rules.case import DeciderRole
from counting_rules.strategies import allegations, cases, hide_facts, received_times, victims

BOOK = default_rulebook()
RAPES = ("rape", "attempted_rape")


def rape_codes(book: Rulebook) -> set[str]:
    catalogue = book.tables["offence_catalogue"].rows
    return {code for code, row in catalogue.items() if "rape" in str(row["title"]).lower()}


def decided(case: CaseFacts, book: Rulebook = BOOK) -> Decision:
    return decide(case, evaluator="reference", rulebook=book)


def placements(d: Decision) -> dict[str, list[str]]:
    """Where each allegation ended up in the decision."""
    out: dict[str, list[str]] = {}
    for cr in d.crimes:
        out.setdefault(cr.allegation_id, []).append(f"crime {cr.code}")
        for ab in cr.absorbed:
            out.setdefault(ab.allegation_id, []).append(f"absorbed {ab.code} into {cr.code}")
    for kind, items in (
        ("n100", d.n100s),
        ("incident", d.incidents),
        ("transfer", d.transfers),
        ("undecided", d.undecided),
    ):
        for item in items:
            out.setdefault(item.allegation_id, []).append(kind)
    for r in d.referrals:
        if r.subject_type == "allegation":
            out.setdefault(r.subject_id, []).append(f"referral {r.conclusion}")
    return out


# ------------------------------------------------------------------ the invariants


def rape_problems(case: CaseFacts, d: Decision, book: Rulebook = BOOK) -> list[str]:
    """A reported rape or attempted rape with a victim is a rape crime (perhaps absorbed into
    another rape crime of the same victim) or an N100, exactly one, once its facts are known."""
    codes = rape_codes(book)
    where = placements(d)
    out = []
    for al in case.allegations:
        if al.offence not in RAPES or al.victim is None:
            continue
        got = where.get(al.id, [])
        rape_records = [p for p in got if p == "n100" or p.split()[-1] in codes]
        if len(got) != 1 or len(rape_records) != 1:
            out.append(f"{al.id} ({al.offence} of {al.victim}) became {got}")
    return out


def placement_problems(case: CaseFacts, d: Decision) -> list[str]:
    """Every allegation is in exactly one place: never recorded and not recorded at once."""
    where = placements(d)
    return [
        f"{al.id} is in {where.get(al.id, [])}"
        for al in case.allegations
        if len(where.get(al.id, [])) != 1
    ]


def reason_problems(d: Decision, book: Rulebook = BOOK) -> list[str]:
    """Every outcome has a reason; every reason names a rule, cites a source, explains."""
    items: list[Any] = [*d.crimes, *(a for c in d.crimes for a in c.absorbed), *d.n100s]
    items += [*d.incidents, *d.transfers, *d.cancellations, *d.victim_duties, *d.findings]
    items += d.referrals
    out = []
    for item in items:
        if not item.reasons:
            out.append(f"{type(item).__name__} without a reason: {item}")
        for r in item.reasons:
            c = r.citation
            if r.rule_id not in book.rules or not c.url.startswith("http"):
                out.append(f"{r.rule_id}: no such rule, or no source url")
            if not (c.document.strip() and c.section.strip() and r.explanation.strip()):
                out.append(f"{r.rule_id}: empty citation or explanation")
            if any(mark in r.explanation for mark in ("{{", "}}", "{%", "%}")):
                out.append(f"{r.rule_id}: unrendered template text: {r.explanation!r}")
    return out


def explanations_render(case: CaseFacts, book: Rulebook = BOOK) -> list[str]:
    """Deciding renders every explanation, and the decision renders as text and Markdown."""
    try:
        d = decided(case, book)
        render_decision(d)
        render_decision(d, markdown=True)
    except Exception as exc:  # any failure to explain is the finding
        return [f"{type(exc).__name__}: {exc}"]
    return reason_problems(d, book)


def deadline_problems(case: CaseFacts, d: Decision) -> list[str]:
    """Every crime is due 24 hours after the allegation reached the police, or after a rape
    victim confirmed the report."""
    al = {a.id: a for a in case.allegations}
    vic = {v.id: v for v in case.victims}
    out = []
    for cr in d.crimes:
        a = al[cr.allegation_id]
        start: datetime | None = a.reported_at or case.report.received_at
        if cr.deadline_basis == "confirmation":
            start = vic[a.victim].confirmed_at if a.victim else None
        elif cr.deadline_basis != "received":
            out.append(f"{cr.allegation_id}: deadline basis {cr.deadline_basis!r}")
            continue
        if start is None or cr.deadline != start + timedelta(hours=24):
            out.append(f"{cr.allegation_id}: due {cr.deadline}, not 24 hours after {start}")
    return out


def cancellation_problems(case: CaseFacts, d: Decision) -> list[str]:
    """An allowed cancellation has the proposal's category, a decider of a known role and,
    where the crime has a victim and the category needs notice (C1, C2, C5: R1 p.26), a duty
    to tell that victim."""
    proposal = {p.id: p for p in case.proposals}
    victim = {a.id: a.victim for a in case.allegations}
    duties = {(v.victim_id, v.duty) for v in d.victim_duties}
    out = []
    for cn in d.cancellations:
        if not cn.allowed:
            continue
        if cn.category != proposal[cn.proposal_id].category or cn.decider not in DECIDERS:
            out.append(f"{cn.proposal_id}: category {cn.category}, decider {cn.decider}")
        v = victim[cn.allegation_id]
        if cn.category not in NOTICE:
            continue
        duty = "inform_of_transfer" if cn.category == "C1" else "inform_of_cancellation"
        if v is not None and (v, duty) not in duties:
            out.append(f"{cn.proposal_id}: allowed, but no duty {duty} to {v}")
    return out


DECIDERS = set(DeciderRole.__args__)  # type: ignore[attr-defined]
NOTICE = {"C1", "C2", "C5"}  # the categories the victim is told of first (R1 p.26)


# ------------------------------------------------------------------ the property tests


@settings(max_examples=200)
@given(cases(offences=RAPES, unknown_facts=False, min_victims=1))
def test_every_rape_report_gives_its_victim_a_rape_crime_or_an_n100(case: CaseFacts) -> None:
    assert rape_problems(case, decided(case)) == []


@settings(max_examples=200)
@given(cases(offences=(*RAPES, "assault", "sexual_assault")))
def test_a_rape_report_is_never_an_incident_a_transfer_or_two_records(case: CaseFacts) -> None:
    where = placements(decided(case))
    for al in case.allegations:
        if al.offence in RAPES:
            got = where.get(al.id, [])
            assert len(got) == 1, (al.id, got)
            assert got[0] not in ("incident", "transfer"), (al.id, got)


@settings(max_examples=300)
@given(cases())
def test_no_allegation_is_both_recorded_and_not_recorded(case: CaseFacts) -> None:
    assert placement_problems(case, decided(case)) == []


@settings(max_examples=200)
@given(cases(unknown_facts=False))
def test_a_case_with_every_fact_known_needs_nothing_more(case: CaseFacts) -> None:
    d = decided(case)
    assert d.still_needed == ()
    assert [u for u in d.undecided if u.status == "facts_needed"] == []


# Where a still-needed fact lives in the case, when its name there differs.
REVEAL = {
    ("case", "reporter_role"): ("reporter", "role"),
    ("case", "reporter_identified"): ("reporter", "identified"),
    ("case", "channel"): ("report", "channel"),
    ("allegation", "in_force_area"): ("allegations", "occurred_in_force"),
    ("allegation", "hate_perceived"): ("allegations", "hostility_perceived"),
    ("allegation", "vid"): ("allegations", "victim"),
    # Derived from evidence[].obtained_at against the recording time (facts.py).
    ("evidence", "obtained_after_recording"): ("evidence", "obtained_at"),
}
SECTIONS = {"victim": "victims", "offender": "offenders", "allegation": "allegations"}
SECTIONS |= {"evidence": "evidence", "proposal": "proposals"}
SECTIONS |= {"officer_proposal": "officer_proposals"}


def reveal(partial: CaseFacts, full: CaseFacts, subject_type: str, sid: str, fname: str) -> Any:
    """``partial`` with one fact copied from ``full`` (both property values together)."""
    data, whole = partial.model_dump(), full.model_dump()
    # Not .get(key, default): the default would be evaluated, and "case" has no section.
    found = REVEAL.get((subject_type, fname))
    section, field = found if found is not None else (SECTIONS[subject_type], fname)
    if section in ("report", "reporter"):
        src = whole["report"] if section == "report" else whole["report"]["reporter"]
        dst = data["report"] if section == "report" else data["report"]["reporter"]
    else:
        src = next(i for i in whole[str(section)] if i["id"] == sid)
        dst = next(i for i in data[str(section)] if i["id"] == sid)
    names = [field]
    if field == "mainly_business_property":
        names = ["business_property_value", "personal_property_value"]
    for name in names:
        dst[name] = src[name]
    if field == "confirmed":
        dst["confirmed_at"] = src["confirmed_at"]
    return CaseFacts.model_validate(data)


def related(case: CaseFacts, subject_type: str, sid: str) -> set[str] | None:
    """Allegations a fact of this subject can bear on: its own, then any sharing a victim or
    an incident occasion with them (None: the whole case)."""
    own: set[str] = set()
    for a in case.allegations:
        if (
            (subject_type == "allegation" and a.id == sid)
            or (subject_type == "victim" and a.victim == sid)
            or (subject_type == "offender" and sid in a.offenders)
        ):
            own.add(a.id)
    for item in (*case.evidence, *case.proposals, *case.officer_proposals):
        if item.id == sid:
            own.add(item.allegation)
    if subject_type == "case":
        return None
    changed = True
    while changed:
        mine = [a for a in case.allegations if a.id in own]
        grown = {
            a.id
            for a in case.allegations
            for m in mine
            if (a.victim is not None and a.victim == m.victim)
            or (a.incident, a.occasion) == (m.incident, m.occasion)
        }
        changed = not grown <= own
        own |= grown
    return own


def side_by_side(first: CaseFacts, second: CaseFacts) -> CaseFacts:
    """One case holding both: ``second``'s people and allegations renamed (V1 -> W1, A1 ->
    B1, ...) and in an incident of their own, so the two parts share nothing."""
    new = {"V": "W", "O": "Q", "A": "B", "E": "F", "P": "R"}

    def rn(ident: str | None) -> str | None:
        return None if ident is None else new[ident[0]] + ident[1:]

    data, extra = first.model_dump(), second.model_dump()
    for v in extra["victims"]:
        v["id"] = rn(v["id"])
    for o in extra["offenders"]:
        o["id"] = rn(o["id"])
        o["relationships"] = tuple({**r, "victim": rn(r["victim"])} for r in o["relationships"])
    for a in extra["allegations"]:
        a.update(id=rn(a["id"]), victim=rn(a["victim"]), incident="far-" + a["incident"])
        a["offenders"] = tuple(map(rn, a["offenders"]))
    for e in extra["evidence"]:
        e.update(id=rn(e["id"]), allegation=rn(e["allegation"]))
    for p in extra["proposals"]:
        p.update(id=rn(p["id"]), allegation=rn(p["allegation"]), duplicate_of=rn(p["duplicate_of"]))
    for section in ("victims", "offenders", "allegations", "evidence", "proposals"):
        data[section] = (*data[section], *extra[section])
    return CaseFacts.model_validate(data)


@st.composite
def known_and_partly_known(draw: st.DrawFn) -> tuple[CaseFacts, CaseFacts]:
    first = draw(cases(unknown_facts=False))
    # The second half shares the report time, so its times stay after the report's.
    second = draw(cases(unknown_facts=False, received=st.just(first.report.received_at)))
    full = side_by_side(first, second)
    return full, draw(hide_facts(full, min_size=2, max_size=12))


@settings(max_examples=150)
@given(known_and_partly_known(), st.data())
def test_making_a_needed_fact_known_never_removes_an_unrelated_crime(
    pair: tuple[CaseFacts, CaseFacts], data: st.DataObject
) -> None:
    full, partial = pair
    before = decided(partial)
    if not before.still_needed:
        return
    need = data.draw(st.sampled_from(before.still_needed))
    after = decided(reveal(partial, full, need.subject_type, need.subject_id, need.field))
    near = related(partial, need.subject_type, need.subject_id)
    codes = {c.allegation_id: c.code for c in after.crimes}
    for crime in before.crimes:
        if near is not None and crime.allegation_id not in near:
            assert codes.get(crime.allegation_id) == crime.code, (need, crime.allegation_id)


@st.composite
def with_an_unrelated_victim(draw: st.DrawFn) -> tuple[CaseFacts, CaseFacts]:
    case = draw(cases())
    at = case.report.received_at
    newcomer = draw(victims("VX", confirmed_after=at))
    oids = [o.id for o in case.offenders]
    extra = draw(allegations("AX", ["VX"], oids, received=at))
    extra = extra.model_copy(update={"incident": "incident-x", "victim": "VX"})
    bigger = case.model_copy(
        update={"victims": (*case.victims, newcomer), "allegations": (*case.allegations, extra)}
    )
    return case, CaseFacts.model_validate(bigger.model_dump())


@settings(max_examples=200)
@given(with_an_unrelated_victim())
def test_adding_an_unrelated_victim_never_changes_the_others_crimes(
    pair: tuple[CaseFacts, CaseFacts],
) -> None:
    case, bigger = pair
    before, after = decided(case), decided(bigger)
    assert [c for c in after.crimes if c.allegation_id != "AX"] == list(before.crimes)
    assert [n for n in after.n100s if n.allegation_id != "AX"] == list(before.n100s)
    assert [i for i in after.incidents if i.allegation_id != "AX"] == list(before.incidents)
    assert [u for u in after.undecided if u.allegation_id != "AX"] == list(before.undecided)
    assert [v for v in after.victim_duties if v.victim_id != "VX"] == list(before.victim_duties)


def shuffled(case: CaseFacts, rnd: random.Random) -> CaseFacts:
    data = case.model_dump()
    for section in ("victims", "offenders", "allegations", "evidence", "proposals"):
        data[section] = tuple(rnd.sample(data[section], len(data[section])))
    for off in data["offenders"]:
        off["relationships"] = tuple(rnd.sample(off["relationships"], len(off["relationships"])))
    for al in data["allegations"]:
        al["offenders"] = tuple(rnd.sample(al["offenders"], len(al["offenders"])))
        if al["hostility_perceived"]:
            strands = al["hostility_perceived"]
            al["hostility_perceived"] = tuple(rnd.sample(strands, len(strands)))
    return CaseFacts.model_validate(data)


@settings(max_examples=150)
@given(cases(), st.randoms(use_true_random=False))
def test_the_order_of_facts_never_changes_the_decision(case: CaseFacts, rnd: random.Random) -> None:
    # In the case: the whole decision, on durable_rules, byte for byte.
    assert decide(shuffled(case, rnd)).model_dump_json() == decide(case).model_dump_json()
    # Below the canonical order: facts asserted into durable_rules in any order fire the same.
    edition = edition_for(BOOK, report_date(case))
    facts = flatten(case)
    mixed = rnd.sample(facts, len(facts))

    def fired(fs: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
        return sorted(f.key() for f in evaluator(BOOK, edition, "durable").run(fs))

    assert fired(mixed) == fired(facts)


@settings(max_examples=200)
@given(cases())
def test_every_outcome_has_a_reason_whose_citation_and_explanation_render(
    case: CaseFacts,
) -> None:
    assert explanations_render(case) == []


@settings(max_examples=200)
@given(cases(min_proposals=1, max_proposals=2, min_evidence=1))
def test_an_allowed_cancellation_has_a_category_a_decider_and_a_victim_duty(
    case: CaseFacts,
) -> None:
    assert cancellation_problems(case, decided(case)) == []


@settings(max_examples=200)
@given(cases(offences=(*RAPES, "assault", "theft", "stalking")))
def test_every_recording_deadline_is_24_hours_after_receipt_or_confirmation(
    case: CaseFacts,
) -> None:
    d = decided(case)
    assert deadline_problems(case, d) == []
    assert all(c.deadline is not None for c in d.crimes)


def near_edition_boundaries() -> st.SearchStrategy[datetime]:
    """Report times within two days of an edition coming into force, or anywhere."""
    starts = [e.in_force_from for e in BOOK.editions[1:]]
    near = st.sampled_from(starts).flatmap(
        lambda d: received_times(min_value=d - timedelta(days=2), max_value=d + timedelta(days=1))
    )
    return st.one_of(near, received_times())


def in_force_on(day: date) -> str:
    (edition,) = [
        e.id
        for e in BOOK.editions
        if e.in_force_from <= day and (e.in_force_until is None or day < e.in_force_until)
    ]
    return edition


@settings(max_examples=200)
@given(cases(received=near_edition_boundaries(), max_allegations=2))
def test_a_case_is_decided_under_the_edition_in_force_on_its_report_date(
    case: CaseFacts,
) -> None:
    expected = in_force_on(report_date(case))
    d = decided(case)
    assert d.edition == expected
    in_force = {r.id for r in BOOK.edition(expected).rules}
    fired = {r.rule_id for item in (*d.crimes, *d.n100s, *d.victim_duties) for r in item.reasons}
    assert fired <= in_force


@settings(max_examples=100)
@given(cases())
def test_the_same_case_gives_the_same_bytes(case: CaseFacts) -> None:
    first = decide(case).model_dump_json()
    assert decide(case).model_dump_json() == first
    assert decide(parse_case(case.model_dump_json())).model_dump_json() == first


_DECIDE_LINES = """
import sys
from counting_rules import decide, parse_case
for line in sys.stdin:
    print(decide(parse_case(line)).model_dump_json())
"""


def test_the_same_case_gives_the_same_bytes_in_another_process() -> None:
    """Across processes with different hash seeds (set and dict order), the same bytes."""
    sample: list[CaseFacts] = []

    @settings(max_examples=25, database=None)
    @given(cases())
    def collect(case: CaseFacts) -> None:
        sample.append(case)

    collect()
    lines = "".join(case.model_dump_json() + "\n" for case in sample)
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", _DECIDE_LINES],
            input=lines,
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        outputs.append(done.stdout.splitlines())
    here = [decide(case).model_dump_json() for case in sample]
    assert outputs[0] == outputs[1] == here
    assert all(json.loads(o)["case_id"] == c.report.id for o, c in zip(here, sample, strict=True))
