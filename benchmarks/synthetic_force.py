"""A seeded synthetic force: case documents, each with what the force recorded
(``as_recorded``), and a plan of the errors planted in them (issue 13).

    python -m benchmarks.synthetic_force --records 100000 --seed 1 --out force.jsonl \
        [--plan force.plan.json] [--error-share 0.3]

Each record is one report built from a realistic template (assaults with and without injury,
actual bodily harm, robbery, rape reports with and without the victim's confirmation,
sexual assault, burglary, theft, harassment, public order, domestic abuse, a professional's
report, fights with several victims, cancellations). A share of the records (``--error-share``)
carries one planted error, of each finding kind in turn; the rest are what the rules require.
The plan lists, per record id, the findings an audit must make on it (a crime not recorded
for want of an N100 or of an open incident is two findings, as the audit reports it) and the
totals. A plain ``random.Random(seed)``: the same seed gives the same bytes, quickly.

Each template knows the Home Office code, deadline and cancellation ruling the rules give
its facts; the engine is never asked while generating, so auditing the records checks the
engine and the audit against an answer written independently
(tests/audit/test_synthetic_force.py).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

__all__ = ["KINDS", "Expected", "Record", "generate", "main", "write"]

# The finding kinds an error can be planted for (counting_rules._audit.finding.FindingKind,
# less cannot_judge, which is a missing fact, not an error).
KINDS = (
    "crime_not_recorded",
    "wrong_classification",
    "wrong_count",
    "recorded_late",
    "n100_instead_of_crime",
    "n100_not_converted",
    "c4_for_substantive_crime",
    "cancellation_not_allowed",
    "wrong_decider",
    "victim_not_told",
    "incident_closed_without_crime",
)
FORCE = "cumbria"  # any force of the table: the records are made up
ID_PREFIX = "SYN"
_LONDON = ZoneInfo("Europe/London")
_START = datetime(2023, 4, 1, tzinfo=UTC)
_SPAN_S = int((datetime(2026, 10, 31, tzinfo=UTC) - _START).total_seconds())
_DAY = timedelta(hours=24)
_ETHNICITY = ("W1", "W2", "W9", "A1", "A2", "A3", "B1", "B2", "M1", "O9")


def _iso(at: datetime) -> str:
    """A time as a force's system writes it: London time, with its offset."""
    return at.astimezone(_LONDON).isoformat()


@dataclass(frozen=True)
class Due:
    """A crime the rules require: its allegation, victim, code, group, deadline, and a
    code a force might wrongly give it."""

    allegation: str
    victim: str | None
    code: str
    group: str
    deadline: datetime
    wrong_code: str


@dataclass(frozen=True)
class Cancel:
    """A cancellation the case proposes and the rules rule on."""

    allegation: str
    category: str
    allowed: bool
    decider: str


@dataclass
class Built:
    """One report from a template, with what the rules require of it."""

    case: dict[str, Any]
    received: datetime
    crimes: list[Due]
    n100s: list[tuple[str, str]] = field(default_factory=list)  # (allegation, type), no crime
    confirmed_at: datetime | None = None  # an N100 made on receipt, converted on confirmation
    absorbed: list[tuple[str, str, str]] = field(default_factory=list)  # (allegation, code, victim)
    cancel: Cancel | None = None

    def can(self, kind: str) -> bool:
        """Whether an error of ``kind`` can be planted in this report."""
        single = len(self.crimes) == 1 and not self.n100s
        free = self.cancel is None and self.confirmed_at is None
        if kind == "n100_instead_of_crime":
            return single and free and self.crimes[0].group == "rape"
        if kind == "n100_not_converted":
            return self.confirmed_at is not None
        if kind == "cancellation_not_allowed":
            return self.cancel is not None and not self.cancel.allowed
        if kind in ("wrong_decider", "victim_not_told"):
            return self.cancel is not None and self.cancel.allowed
        if kind in ("c4_for_substantive_crime", "incident_closed_without_crime"):
            return single and free
        if kind in ("crime_not_recorded", "wrong_count"):
            return bool(self.crimes) and free
        return bool(self.crimes) and self.confirmed_at is None


@dataclass(frozen=True)
class Expected:
    """A finding the audit must make: its kind, ids, crime group and the details it names."""

    kind: str
    allegation_id: str | None
    victim_id: str | None
    crime_group: str | None
    details: dict[str, str | int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "allegation_id": self.allegation_id,
            "victim_id": self.victim_id,
            "crime_group": self.crime_group,
            "details": self.details,
        }


@dataclass(frozen=True)
class Record:
    """One generated record: the case document and the findings planted in it."""

    case: dict[str, Any]
    template: str
    planted: str | None
    expected: tuple[Expected, ...]


class _Force:
    """The templates, drawing their facts from one generator."""

    def __init__(self, rng: random.Random) -> None:
        self.r = rng

    # --- parts -----------------------------------------------------------------------------

    def when(self) -> datetime:
        """A time of report, in UTC: the arithmetic on it is in real hours, across clock
        changes; every time written is London's."""
        return _START + timedelta(seconds=self.r.randrange(_SPAN_S))

    def report(
        self, rid: str, at: datetime, kind: str = "victim", role: str | None = None
    ) -> dict[str, Any]:
        reporter: dict[str, Any] = {"kind": kind}
        if role is not None:
            reporter |= {"role": role, "identified": True}
        channel = self.r.choice(("emergency_call", "non_emergency_call", "in_person", "online"))
        return {
            "id": rid,
            "received_at": _iso(at),
            "channel": channel,
            "reporter": reporter,
            "recording_force": FORCE,
        }

    def victim(
        self, vid: str, ages: tuple[int, int] = (18, 85), sex: str | None = None, **known: Any
    ) -> dict[str, Any]:
        return {
            "id": vid,
            "age": self.r.randint(*ages),
            "sex": sex or self.r.choice(("female", "male")),
            "ethnicity": self.r.choice(_ETHNICITY),
            "disability": self.r.random() < 0.08,
            "vulnerable": False,
            "confirmed": True,
            "objects_to_referral": self.r.random() < 0.3,
            "is_police_officer": False,
            **known,
        }

    def offender(self, oid: str, links: dict[str, str]) -> dict[str, Any]:
        return {
            "id": oid,
            "age": self.r.randint(16, 70),
            "relationships": [{"victim": v, "kind": k} for v, k in links.items()],
        }

    @staticmethod
    def allegation(aid: str, offence: str, vid: str | None, **facts: Any) -> dict[str, Any]:
        return {
            "id": aid,
            "offence": offence,
            "victim": vid,
            "offenders": facts.pop("offenders", ["O1"]),
            "occurred_in_force": FORCE,
            "outside_england_and_wales": False,
            "online": False,
            "racially_or_religiously_aggravated": False,
            "hostility_perceived": [],
            **facts,
        }

    def assault_facts(self, injury: str) -> dict[str, Any]:
        return {
            "force_on_person": True,
            "injury": injury,
            "intent_serious_harm": False,
            "aggravating_feature": self.r.random() < 0.2,
        }

    def case(self, report: dict[str, Any], victims: list[Any], offenders: list[Any],
             allegations: list[Any], **more: Any) -> dict[str, Any]:  # fmt: skip
        return {
            "report": report,
            "victims": victims,
            "offenders": offenders,
            "allegations": allegations,
            **more,
        }

    def stranger(self, rid: str, offence: str, facts: dict[str, Any], code: str, group: str,
                 wrong: str, **victim: Any) -> Built:  # fmt: skip
        """One victim, one offender unknown to them, one allegation."""
        at = self.when()
        kind = self.r.choice(("stranger", "acquaintance"))
        case = self.case(
            self.report(rid, at),
            [self.victim("V1", **victim)],
            [self.offender("O1", {"V1": kind})],
            [self.allegation("A1", offence, "V1", **facts)],
        )
        return Built(case, at, [Due("A1", "V1", code, group, at + _DAY, wrong)])

    # --- templates -------------------------------------------------------------------------

    def assault_without_injury(self, rid: str) -> Built:
        return self.stranger(rid, "assault", self.assault_facts("none"), "105A", "violence", "8N")

    def assault_with_injury(self, rid: str) -> Built:
        return self.stranger(rid, "assault", self.assault_facts("minor"), "8N", "violence", "105A")

    def actual_bodily_harm(self, rid: str) -> Built:
        return self.stranger(rid, "assault", self.assault_facts("abh"), "8N", "violence", "105A")

    def robbery(self, rid: str) -> Built:
        facts = {
            "property_taken": True,
            "dishonest": True,
            "force_on_person": self.r.random() < 0.6,
            "threat_of_force": True,
            "property_owner": "personal",
            "item_carried_by_victim": True,
            "attempted": False,
            "personal_property_value": self.r.randint(20, 900),
            "business_property_value": 0,
        }
        return self.stranger(rid, "robbery", facts, "34B", "robbery", "34A")

    def rape_reported_by_victim(self, rid: str) -> Built:
        at = self.when()
        sex = self.r.choice(("female",) * 9 + ("male",))
        code = "19C" if sex == "female" else "19F"
        case = self.case(
            self.report(rid, at),
            [self.victim("V1", (16, 60), sex, confirmed_at=_iso(at))],
            [self.offender("O1", {"V1": self.r.choice(("acquaintance", "stranger"))})],
            [self.allegation("A1", "rape", "V1", penetration=True, consent="not_given")],
        )
        return Built(case, at, [Due("A1", "V1", code, "rape", at + _DAY, "20A")])

    def rape_confirmed_later(self, rid: str) -> Built:
        """A friend reports a rape; the victim confirms it days later: an N100 until then,
        and a crime within 24 hours of the confirmation."""
        at = self.when()
        confirmed = at + timedelta(hours=self.r.randint(6, 120), minutes=self.r.randint(0, 59))
        case = self.case(
            self.report(rid, at, "other_third_party"),
            [self.victim("V1", (16, 40), "female", confirmed_at=_iso(confirmed))],
            [self.offender("O1", {"V1": "acquaintance"})],
            [self.allegation("A1", "rape", "V1", penetration=True, consent="not_given")],
        )
        due = Due("A1", "V1", "19C", "rape", confirmed + _DAY, "20A")
        return Built(case, at, [due], confirmed_at=confirmed)

    def rape_not_confirmed(self, rid: str) -> Built:
        """A neighbour reports a rape the victim has not confirmed: an N100/1, no crime."""
        at = self.when()
        case = self.case(
            self.report(rid, at, "other_third_party"),
            [self.victim("V1", (18, 50), "female", confirmed=False, traceable=True)],
            [self.offender("O1", {"V1": "acquaintance"})],
            [self.allegation("A1", "rape", "V1", penetration=True, consent="not_given")],
        )
        return Built(case, at, [], n100s=[("A1", "N100/1")])

    def sexual_assault(self, rid: str) -> Built:
        facts = {"sexual_touching": True, "consent": "not_given"}
        return self.stranger(
            rid, "sexual_assault", facts, "20A", "sexual_offences", "105A", sex="female"
        )

    def burglary(self, rid: str) -> Built:
        attempted = self.r.random() < 0.3
        facts = {
            "entered_as_trespasser": True,
            "entered_to_offend": True,
            "attempted": attempted,
            "armed": False,
            "premises": "dwelling",
        }
        code, wrong = ("28F", "28E") if attempted else ("28E", "28F")
        return self.stranger(rid, "burglary", facts, code, "other", wrong)

    def theft(self, rid: str) -> Built:
        kind, code, wrong = self.r.choice(
            (
                ("pedal_cycle", "44", "49"),
                ("from_vehicle", "45", "49"),
                ("shoplifting", "46", "49"),
                ("other", "49", "46"),
            )
        )
        facts = {
            "property_taken": True,
            "dishonest": True,
            "force_on_person": False,
            "threat_of_force": False,
            "theft_type": kind,
            "property_owner": "personal",
            "item_carried_by_victim": False,
        }
        return self.stranger(rid, "theft", facts, code, "other", wrong)

    def harassment(self, rid: str) -> Built:
        facts = {"course_of_conduct": True, "alarm_or_distress": True}
        return self.stranger(rid, "harassment", facts, "8L", "violence", "105A")

    def threats_at_the_door(self, rid: str) -> Built:
        """An ex-partner kicking the door and threatening violence (HMICFRS 2018 case
        study): a public order crime, flagged as domestic abuse."""
        at = self.when()
        facts = {
            "public_order_section": "s4",
            "fear_of_violence": True,
            "threatening_behaviour": True,
            "alarm_or_distress": True,
        }
        case = self.case(
            self.report(rid, at),
            [self.victim("V1", (18, 60), "female")],
            [self.offender("O1", {"V1": "former_partner"})],
            [self.allegation("A1", "public_order", "V1", **facts)],
        )
        return Built(case, at, [Due("A1", "V1", "9A", "other", at + _DAY, "8L")])

    def domestic_abuse(self, rid: str) -> Built:
        """A partner breaks the victim's nose and smashes her phone (one crime: the damage is
        absorbed by the principal crime rule) and pushes her son (a crime of its own)."""
        at = self.when()
        case = self.case(
            self.report(rid, at),
            [self.victim("V1", (22, 55), "female"), self.victim("V2", (12, 17), "male")],
            [self.offender("O1", {"V1": "current_partner", "V2": "family"})],
            [
                self.allegation("A1", "assault", "V1", **self.assault_facts("abh")),
                self.allegation(
                    "A2",
                    "criminal_damage",
                    "V1",
                    property_damaged=True,
                    damage_deliberate_or_reckless=True,
                    damage_target="other",
                ),
                self.allegation("A3", "assault", "V2", **self.assault_facts("none")),
            ],
        )
        crimes = [
            Due("A1", "V1", "8N", "violence", at + _DAY, "105A"),
            Due("A3", "V2", "105A", "violence", at + _DAY, "8N"),
        ]
        return Built(case, at, crimes, absorbed=[("A2", "58D", "V1")])

    def professional_report(self, rid: str) -> Built:
        """A nurse or social worker reports an injury to a vulnerable adult, who has not
        confirmed it: recorded on the professional's report."""
        at = self.when()
        role = self.r.choice(("nurse", "social_worker", "doctor"))
        case = self.case(
            self.report(rid, at, "professional_third_party", role),
            [self.victim("V1", (65, 95), vulnerable=True, confirmed=False)],
            [self.offender("O1", {"V1": "carer"})],
            [self.allegation("A1", "assault", "V1", **self.assault_facts("minor"))],
        )
        return Built(case, at, [Due("A1", "V1", "8N", "violence", at + _DAY, "105A")])

    def several_victims(self, rid: str) -> Built:
        """A fight outside a club: one crime for each victim assaulted."""
        at = self.when()
        n = self.r.randint(2, 4)
        vids = [f"V{i}" for i in range(1, n + 1)]
        injuries = [self.r.choice(("none", "minor")) for _ in vids]
        case = self.case(
            self.report(rid, at),
            [self.victim(v) for v in vids],
            [self.offender("O1", dict.fromkeys(vids, "stranger"))],
            [
                self.allegation(f"A{i}", "assault", v, **self.assault_facts(inj))
                for i, (v, inj) in enumerate(zip(vids, injuries, strict=True), 1)
            ],
        )
        crimes = [
            Due(f"A{i}", v, c, "violence", at + _DAY, w)
            for i, (v, inj) in enumerate(zip(vids, injuries, strict=True), 1)
            for c, w in [("105A", "8N") if inj == "none" else ("8N", "105A")]
        ]
        return Built(case, at, crimes)

    def cancelled_theft(self, rid: str) -> Built:
        """A bicycle reported stolen; CCTV later shows it was lent out: a C2 cancellation the
        rules allow, decided by the designated decision maker, the victim to be told."""
        built = self.theft(rid)
        built.case["allegations"][0]["theft_type"] = "pedal_cycle"
        due = built.crimes[0]
        built.crimes = [Due(due.allegation, due.victim, "44", "other", due.deadline, "49")]
        built.case["evidence"] = [
            {
                "id": "E1",
                "allegation": "A1",
                "kind": "additional_verifiable_information",
                "basis": "cctv",
                "verified": True,
                "new_information": True,
                "shows": "did_not_occur",
            }
        ]
        built.case["proposals"] = [
            {
                "id": "P1",
                "allegation": "A1",
                "category": "C2",
                "proposer_role": "officer",
                "victim_informed": False,
            }
        ]
        built.cancel = Cancel("A1", "C2", True, "designated_decision_maker")
        return built

    def cancellation_refused(self, rid: str) -> Built:
        """An assault whose victim withdrew support, proposed for C2: the rules refuse it
        (withdrawal is not additional verifiable information)."""
        built = self.assault_with_injury(rid)
        built.case["evidence"] = [
            {
                "id": "E1",
                "allegation": "A1",
                "kind": "additional_verifiable_information",
                "basis": "victim_withdrew_support",
                "verified": True,
                "new_information": True,
                "shows": "did_not_occur",
            }
        ]
        built.case["proposals"] = [{"id": "P1", "allegation": "A1", "category": "C2"}]
        built.cancel = Cancel("A1", "C2", False, "designated_decision_maker")
        return built


# Templates with their weights in the mix (a force's reports: violence the most common).
TEMPLATES: tuple[tuple[str, int], ...] = (
    ("assault_without_injury", 14),
    ("assault_with_injury", 10),
    ("actual_bodily_harm", 6),
    ("robbery", 5),
    ("rape_reported_by_victim", 4),
    ("rape_confirmed_later", 3),
    ("rape_not_confirmed", 2),
    ("sexual_assault", 4),
    ("burglary", 8),
    ("theft", 12),
    ("harassment", 6),
    ("threats_at_the_door", 4),
    ("domestic_abuse", 8),
    ("professional_report", 3),
    ("several_victims", 5),
    ("cancelled_theft", 3),
    ("cancellation_refused", 3),
)


class _Recorder:
    """What a force recorded: faithfully, or with one error planted."""

    def __init__(self, rng: random.Random) -> None:
        self.r = rng

    def soon(self, after: datetime, before: datetime) -> datetime:
        """A time after ``after`` and no later than ``before``, most of them early."""
        span = (before - after).total_seconds()
        return after + timedelta(seconds=int(span * self.r.random() ** 2))

    def crime(self, due: Due, at: datetime, code: str | None = None) -> dict[str, Any]:
        return {
            "allegation": due.allegation,
            "code": code or due.code,
            "victim": due.victim,
            "recorded_at": _iso(at),
        }

    def faithful(self, b: Built) -> dict[str, Any]:
        rec: dict[str, Any] = {}
        opened = b.received + timedelta(minutes=self.r.randint(0, 15))
        if self.r.random() < 0.7:
            rec["incident"] = {"opened_at": _iso(opened), "closed_at": None}
        start = b.confirmed_at or b.received
        rec["crimes"] = [self.crime(d, self.soon(start, d.deadline)) for d in b.crimes]
        rec["n100s"] = [
            {"allegation": a, "n100_type": t, "created_at": _iso(opened)} for a, t in b.n100s
        ]
        if b.confirmed_at is not None:
            converted = rec["crimes"][0]["recorded_at"]
            rec["n100s"].append(
                {
                    "allegation": b.crimes[0].allegation,
                    "n100_type": "N100/1",
                    "created_at": _iso(opened),
                    "converted_at": converted,
                }
            )
        if b.cancel is not None and b.cancel.allowed:
            rec["cancellations"] = [self.cancellation(b, b.cancel, b.cancel.decider, "yes")]
        if "incident" in rec and rec["crimes"] and self.r.random() < 0.5:
            closed = b.received + timedelta(hours=self.r.randint(25, 400))
            rec["incident"] |= {"closed_at": _iso(closed), "closing_code": "CRIME"}
        return rec

    def cancellation(self, b: Built, c: Cancel, decider: str, told: str) -> dict[str, Any]:
        decided = b.received + timedelta(days=self.r.randint(3, 20))
        out: dict[str, Any] = {
            "allegation": c.allegation,
            "category": c.category,
            "decider": decider,
            "decided_at": _iso(decided),
            "victim_told": told,
        }
        if told == "yes":
            out["told_at"] = _iso(decided + timedelta(hours=self.r.randint(1, 72)))
        return out

    def plant(self, kind: str, b: Built) -> tuple[dict[str, Any], list[Expected]]:
        """A record with one error of ``kind``, and the findings it must give."""
        rec = self.faithful(b)
        crimes: list[dict[str, Any]] = rec["crimes"]
        i = self.r.randrange(len(b.crimes))  # every kind is planted on a crime the rules require
        due, c = b.crimes[i], b.cancel

        def expect(kind: str, **details: str | int) -> Expected:
            return Expected(kind, due.allegation, due.victim, due.group, details)

        if kind == "crime_not_recorded":
            del crimes[i]
            if "incident" in rec:
                rec["incident"] = {"opened_at": rec["incident"]["opened_at"], "closed_at": None}
            return rec, [expect(kind, decided_code=due.code)]
        if kind == "wrong_classification":
            crimes[i]["code"] = due.wrong_code
            return rec, [expect(kind, recorded_code=due.wrong_code, decided_code=due.code)]
        if kind == "wrong_count":
            mine = sum(1 for d in b.crimes if d.victim == due.victim)
            extra = [a for a in b.absorbed if a[2] == due.victim]
            if extra and self.r.random() < 0.7:  # the absorbed crime recorded as well
                aid, code, vid = extra[0]
                crimes.append({**crimes[i], "allegation": aid, "code": code, "victim": vid})
            else:  # the same crime recorded twice
                crimes.append(dict(crimes[i]))
            found = Expected(
                kind,
                None,
                due.victim,
                due.group,
                {"recorded_count": mine + 1, "decided_count": mine},
            )
            return rec, [found]
        if kind == "recorded_late":
            hours = self.r.choice((0, 1, 2, 5, 11, 23, 47, 95, 200))
            at = due.deadline + timedelta(hours=hours, minutes=self.r.randint(1, 59))
            crimes[i]["recorded_at"] = _iso(at)
            return rec, [expect(kind, hours_late=hours + 1)]
        if kind in ("n100_instead_of_crime", "n100_not_converted"):
            rec["crimes"] = []
            rec["n100s"] = [
                {
                    "allegation": due.allegation,
                    "n100_type": "N100/1",
                    "created_at": _iso(b.received),
                }
            ]
            rec.pop("incident", None)
            return rec, [expect("crime_not_recorded"), expect(kind)]
        if kind == "c4_for_substantive_crime":
            c4 = Cancel(due.allegation, "C4", False, "supervisor")
            rec["cancellations"] = [self.cancellation(b, c4, c4.decider, "yes")]
            return rec, [expect(kind, category="C4")]
        if kind == "cancellation_not_allowed" and c is not None:
            rec["cancellations"] = [self.cancellation(b, c, c.decider, "yes")]
            return rec, [expect(kind, category=c.category)]
        if kind == "wrong_decider" and c is not None:
            wrong = self.r.choice(("officer", "supervisor"))
            rec["cancellations"] = [self.cancellation(b, c, wrong, "yes")]
            return rec, [expect(kind, recorded_decider=wrong, decider=c.decider)]
        if kind == "victim_not_told" and c is not None:
            rec["cancellations"] = [self.cancellation(b, c, c.decider, "no")]
            return rec, [expect(kind)]
        if kind == "incident_closed_without_crime":
            rec["crimes"] = []
            opened = b.received + timedelta(minutes=self.r.randint(0, 15))
            closed = opened + timedelta(hours=self.r.randint(1, 30))
            code = self.r.choice(("NCR-ADV", "NFA", "CIV-DISPUTE"))
            rec["incident"] = {
                "opened_at": _iso(opened),
                "closed_at": _iso(closed),
                "closing_code": code,
                "closing_rationale": "Words of advice given; no offences disclosed.",
            }
            return rec, [expect("crime_not_recorded"), expect(kind, closing_code=code)]
        raise ValueError(f"cannot plant {kind!r} in this report")


def generate(records: int, seed: int, share: float = 0.3) -> Iterator[Record]:
    """``records`` records from ``seed``; about ``share`` of them with one planted error,
    the kinds taken in turn so that every kind appears as often as the others."""
    if records < 0:
        raise ValueError(f"--records: {records} is negative; give a count of records")
    if not 0.0 <= share <= 1.0:
        raise ValueError(f"--error-share: {share} is not between 0 and 1")
    rng = random.Random(seed)
    force, recorder = _Force(rng), _Recorder(rng)
    names = [n for n, _ in TEMPLATES]
    weights = [w for _, w in TEMPLATES]
    makers: dict[str, Callable[[str], Built]] = {n: getattr(force, n) for n in names}
    planted = 0
    for i in range(1, records + 1):
        rid = f"{ID_PREFIX}-{i:07d}"
        if rng.random() < share:
            kind = KINDS[planted % len(KINDS)]
            planted += 1
            while True:
                name = rng.choices(names, weights)[0]
                built = makers[name](rid)
                if built.can(kind):
                    break
            rec, expected = recorder.plant(kind, built)
        else:
            kind = None
            name = rng.choices(names, weights)[0]
            built = makers[name](rid)
            rec, expected = recorder.faithful(built), []
        yield Record({**built.case, "as_recorded": rec}, name, kind, tuple(expected))


def write(out: Path, plan: Path, records: int, seed: int, share: float = 0.3) -> dict[str, Any]:
    """Write the records to ``out`` (JSON Lines, one case a line) and the plan to ``plan``;
    return the plan's totals."""
    planted: Counter[str] = Counter()
    findings: Counter[str] = Counter()
    templates: Counter[str] = Counter()
    groups: Counter[str] = Counter()
    per_record: dict[str, dict[str, Any]] = {}
    with out.open("w", encoding="utf-8") as f:
        for r in generate(records, seed, share):
            f.write(json.dumps(r.case, separators=(",", ":")) + "\n")
            templates[r.template] += 1
            if r.planted is None:
                continue
            planted[r.planted] += 1
            for e in r.expected:
                findings[e.kind] += 1
                groups[str(e.crime_group)] += 1
            per_record[r.case["report"]["id"]] = {
                "template": r.template,
                "planted": r.planted,
                "findings": [e.as_json() for e in r.expected],
            }
    totals = {
        "records": records,
        "clean": records - sum(planted.values()),
        "planted": dict(sorted(planted.items())),
        "findings": dict(sorted(findings.items())),
        "findings_by_group": dict(sorted(groups.items())),
        "templates": dict(sorted(templates.items())),
    }
    document = {"seed": seed, "error_share": share, "totals": totals, "records": per_record}
    plan.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return totals


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", type=int, required=True, help="how many records to write")
    ap.add_argument("--seed", type=int, default=1, help="the seed (same seed, same records)")
    ap.add_argument("--out", type=Path, required=True, help="the JSON Lines file to write")
    ap.add_argument("--plan", type=Path, help="the plan to write (default: OUT.plan.json)")
    ap.add_argument(
        "--error-share",
        type=float,
        default=0.3,
        help="the share of records with one planted error (default 0.3)",
    )
    args = ap.parse_args(argv)
    plan = args.plan or args.out.with_suffix(".plan.json")
    start, cpu = time.perf_counter(), time.process_time()
    try:
        totals = write(args.out, plan, args.records, args.seed, args.error_share)
    except ValueError as e:
        ap.error(str(e))
    except OSError as e:
        ap.error(f"cannot write {e.filename}: {e.strerror}")
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"{totals['records']} records ({totals['clean']} clean) to {args.out}, plan {plan}: "
        f"{sum(totals['findings'].values())} findings planted; {wall:.1f} s wall, {cpu:.1f} s CPU",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
