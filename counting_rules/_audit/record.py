"""The case, its decision and the force's record, indexed for the per-record checks."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from counting_rules._audit.crime_groups import crime_group
from counting_rules._audit.finding import CrimeGroup
from counting_rules._rulebook.ir import Rulebook
from counting_rules.case import AsRecorded, CaseFacts, RecordedCrime
from counting_rules.decision import Crime, Decision, Reason

__all__ = ["Audit", "pick"]


def pick(reasons: tuple[Reason, ...], *prefixes: str) -> tuple[Reason, ...]:
    """The reasons from rules under ``prefixes``; all of them if none is."""
    chosen = tuple(r for r in reasons if r.rule_id.startswith(prefixes))
    return chosen or reasons


@dataclass
class Audit:
    """One case's decision and record, with the lookups every check needs."""

    case: CaseFacts
    decision: Decision
    record: AsRecorded
    book: Rulebook
    victim_of: dict[str, str | None] = field(init=False)

    def __post_init__(self) -> None:
        self.victim_of = {a.id: a.victim for a in self.case.allegations}

    @cached_property
    def decided(self) -> dict[str, Crime]:
        """The crime the rules require for each allegation."""
        return {c.allegation_id: c for c in self.decision.crimes}

    @cached_property
    def absorbed_by(self) -> dict[str, Crime]:
        """The crime that absorbs each allegation not counted separately."""
        return {a.allegation_id: c for c in self.decision.crimes for a in c.absorbed}

    @cached_property
    def recorded(self) -> dict[str, list[tuple[int, RecordedCrime]]]:
        """The force's crime records for each allegation, with their index in the record."""
        out: dict[str, list[tuple[int, RecordedCrime]]] = defaultdict(list)
        for i, cr in enumerate(self.record.crimes):
            out[cr.allegation].append((i, cr))
        return out

    @cached_property
    def n100_made(self) -> set[str]:
        return {n.allegation for n in self.record.n100s}

    @cached_property
    def blocked(self) -> dict[str, tuple[str, ...]]:
        """Allegations whose outcome is not yet decided, with what the decision still needs:
        the facts, or the Force Crime Registrar's ruling where rules disagree."""
        out: dict[str, list[str]] = defaultdict(list)
        for u in self.decision.undecided:
            out[u.allegation_id].extend(self._needed_for(u.allegation_id))
        proposals = {p.id: p.allegation for p in self.case.proposals}
        for ref in self.decision.referrals:
            aid = ref.subject_id if ref.subject_type == "allegation" else None
            aid = proposals.get(ref.subject_id, aid) if ref.subject_type == "proposal" else aid
            if aid is not None:
                out[aid].append(f"the Force Crime Registrar's ruling on {ref.conclusion}")
        return {aid: tuple(dict.fromkeys(needed)) for aid, needed in out.items()}

    def _needed_for(self, aid: str) -> list[str]:
        """The still-needed facts that bear on allegation ``aid`` (all of them, if none is
        tied to it: the decision is then waiting on the case as a whole)."""
        subjects = {aid, f"?{aid}", self.victim_of.get(aid) or aid}
        mine = [
            s.path
            for s in self.decision.still_needed
            if s.subject_id in subjects or f"[{aid}]" in s.path
        ]
        return mine or [s.path for s in self.decision.still_needed] or ["a recording outcome"]

    def classification_needed(self, aid: str) -> tuple[str, ...]:
        """Facts still needed that could reclassify allegation ``aid``'s crime."""
        return tuple(
            s.path
            for s in self.decision.still_needed
            if s.settles == "classification" and (s.subject_id == aid or f"[{aid}]" in s.path)
        )

    def group(self, aid: str, recorded_code: str | None = None) -> CrimeGroup | None:
        """The group of the crime the rules require for ``aid``, else of the one recorded."""
        crime = self.decided.get(aid) or self.absorbed_by.get(aid)
        code = crime.code if crime is not None and crime.code is not None else recorded_code
        return crime_group(self.book, code)

    def recorded_victim(self, cr: RecordedCrime) -> str | None:
        return cr.victim if cr.victim is not None else self.victim_of.get(cr.allegation)
