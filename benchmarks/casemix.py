"""A seeded generator of realistic case mixes for the benchmark (no hypothesis: it must make
a million cases quickly and the same ones for the same seed).

The mix: single-victim assaults (50 %), multi-victim domestic incidents (20 %), rape reports
(15 %) and proposed cancellations of recorded crimes (15 %). About one fact in ten that a
call handler might not know yet is left unknown.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from counting_rules import CaseFacts, parse_case
from counting_rules.strategies import points_to_prove

MIX = (("assault", 50), ("domestic", 20), ("rape", 15), ("cancellation", 15))
_START = datetime(2018, 4, 1, tzinfo=UTC)
_SPAN_S = int((datetime(2026, 3, 31, tzinfo=UTC) - _START).total_seconds())


class _Gen:
    def __init__(self, rng: random.Random) -> None:
        self.r = rng

    def maybe(self, value: Any, unknown: float = 0.1) -> Any:
        return None if self.r.random() < unknown else value

    def yes(self, p: float) -> bool:
        return self.r.random() < p

    def report(self, ident: str, reporter: str = "victim") -> dict[str, Any]:
        at = _START + timedelta(seconds=self.r.randrange(_SPAN_S))
        return {
            "id": ident,
            "received_at": at.isoformat(),
            "channel": self.maybe(
                self.r.choice(["emergency_call", "non_emergency_call", "online"])
            ),
            "reporter": {"kind": reporter, "identified": self.maybe(True)},
            "recording_force": "kent",
        }

    def person(self, vid: str, age: tuple[int, int] = (16, 80), **known: Any) -> dict[str, Any]:
        v = {
            "id": vid,
            "kind": "person",
            "age": self.maybe(self.r.randint(*age)),
            "sex": self.maybe(self.r.choice(["female", "male"])),
            "ethnicity": self.maybe(self.r.choice(["W1", "A1", "B2", "M1"]), 0.2),
            "disability": self.maybe(self.yes(0.1), 0.2),
            "vulnerable": self.maybe(self.yes(0.2)),
            "has_capacity": self.maybe(True),
            "traceable": self.maybe(self.yes(0.95)),
            "confirmed": self.maybe(self.yes(0.9)),
            "objects_to_referral": self.maybe(self.yes(0.3)),
            "is_police_officer": self.maybe(self.yes(0.05)),
        }
        v.update(known)
        return v

    def allegation(self, aid: str, offence: str, vid: str | None, **facts: Any) -> dict[str, Any]:
        a = {
            "id": aid,
            "offence": offence,
            "victim": vid,
            "occurred_in_force": self.maybe("kent" if self.yes(0.95) else "essex"),
            "outside_england_and_wales": self.maybe(False),
            "racially_or_religiously_aggravated": self.maybe(self.yes(0.05)),
            "hostility_perceived": self.maybe(("race",) if self.yes(0.05) else ()),
            "online": self.maybe(self.yes(0.05)),
        }
        for point in sorted(points_to_prove(offence)):  # the account: mostly made out
            made = self.yes(0.9)
            value = ("not_given" if made else "given") if point == "consent" else made
            a[point] = self.maybe(value)
        a.update(facts)
        return a

    def assault_facts(self) -> dict[str, Any]:
        return {
            "injury": self.maybe(self.r.choice(["none", "minor", "minor", "abh", "serious"])),
            "intent_serious_harm": self.maybe(self.yes(0.05)),
            "aggravating_feature": self.maybe(self.yes(0.2)),
        }


def _assault(g: _Gen, ident: str) -> dict[str, Any]:
    case = {"report": g.report(ident), "victims": [g.person("V1")]}
    case["allegations"] = [g.allegation("A1", "assault", "V1", **g.assault_facts())]
    if g.yes(0.5):
        case["offenders"] = [
            {
                "id": "O1",
                "age": g.maybe(g.r.randint(14, 70)),
                "relationships": [
                    {"victim": "V1", "kind": g.r.choice(["stranger", "acquaintance", "colleague"])}
                ],
            }
        ]
        case["allegations"][0]["offenders"] = ["O1"]
    if g.yes(0.25):
        case["allegations"].append(
            g.allegation("A2", "criminal_damage", "V1", damage_target=g.maybe("vehicle"))
        )
    return case


def _domestic(g: _Gen, ident: str) -> dict[str, Any]:
    n_children = g.r.randint(1, 2)
    victims = [g.person("V1", sex="female")]
    victims += [g.person(f"V{i + 2}", age=(2, 15)) for i in range(n_children)]
    rel = [{"victim": "V1", "kind": g.r.choice(["current_partner", "former_partner"])}]
    rel += [{"victim": v["id"], "kind": "family"} for v in victims[1:]]
    allegations = [g.allegation("A1", "assault", "V1", offenders=["O1"], **g.assault_facts())]
    if g.yes(0.5):
        conduct = g.r.choice(["controlling_or_coercive_behaviour", "stalking", "harassment"])
        allegations.append(
            g.allegation(
                "A2",
                conduct,
                "V1",
                offenders=["O1"],
                course_of_conduct=True,
                harassment_only=g.maybe(False),
            )
        )
    for i, v in enumerate(victims[1:]):
        offence = "child_cruelty_or_neglect" if g.yes(0.5) else "assault"
        extra = g.assault_facts() if offence == "assault" else {}
        allegations.append(g.allegation(f"A{i + 3}", offence, v["id"], offenders=["O1"], **extra))
    return {
        "report": g.report(ident, g.r.choice(["victim", "witness", "other_third_party"])),
        "victims": victims,
        "offenders": [{"id": "O1", "age": g.maybe(g.r.randint(18, 60)), "relationships": rel}],
        "allegations": allegations,
    }


def _rape(g: _Gen, ident: str) -> dict[str, Any]:
    reporter = g.r.choice(["victim", "victim", "professional_third_party", "other_third_party"])
    report = g.report(ident, reporter)
    victim = g.person("V1", age=(11, 70))
    if victim["confirmed"]:
        at = datetime.fromisoformat(report["received_at"])
        victim["confirmed_at"] = (at + timedelta(hours=g.r.randint(0, 72))).isoformat()
    offence = "rape" if g.yes(0.8) else "attempted_rape"
    return {
        "report": report,
        "victims": [victim],
        "allegations": [g.allegation("A1", offence, "V1", penetration=g.maybe(True))],
    }


def _cancellation(g: _Gen, ident: str) -> dict[str, Any]:
    case = _assault(g, ident) if g.yes(0.7) else _rape(g, ident)
    category = g.r.choice(["C1", "C2", "C2", "C3", "C4", "C5"])
    if category == "C3":
        case["allegations"].append(dict(case["allegations"][0], id="A9"))
    case["proposals"] = [
        {
            "id": "P1",
            "allegation": "A1",
            "category": category,
            "proposer_role": g.maybe("officer"),
            "duplicate_of": "A9" if category == "C3" else None,
            "victim_informed": g.maybe(g.yes(0.8)),
        }
    ]
    if category == "C2":
        case["evidence"] = [
            {
                "id": "E1",
                "allegation": "A1",
                "kind": "additional_verifiable_information",
                "basis": g.maybe(
                    g.r.choice(["cctv", "independent_record", "victim_withdrew_support"])
                ),
                "shows": g.maybe("did_not_occur" if g.yes(0.6) else "offender_identity_only"),
                "verified": g.maybe(g.yes(0.8)),
                "new_information": g.maybe(True),
            }
        ]
    return case


_MAKERS = {"assault": _assault, "domestic": _domestic, "rape": _rape, "cancellation": _cancellation}


def case(seed: int, index: int) -> CaseFacts:
    """The ``index``-th case of the mix for ``seed``: the same case every time."""
    g = _Gen(random.Random(seed * 1_000_003 + index))
    kind = g.r.choices([k for k, _ in MIX], weights=[w for _, w in MIX])[0]
    return parse_case(_MAKERS[kind](g, f"case-{seed}-{index}"))


def kind_of(c: CaseFacts) -> str:
    """Which part of the mix a generated case belongs to (for the table)."""
    if c.proposals:
        return "cancellation"
    if any(a.offence in ("rape", "attempted_rape") for a in c.allegations):
        return "rape"
    return "domestic" if len(c.victims) > 1 else "assault"
