"""The one view of a Decision: headed sections of items, each with its reasons and sources.

Every way a decision is shown to a person (text and Markdown from ``decide``, the terminal
walkthrough, the HTML handout) renders these sections through a template, so an outcome is
put into words once, here, and a citation is formatted once (``source``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from counting_rules._explain.dates import plain_when
from counting_rules.decision import Citation, Crime, Decision, Reason

_THERE = "the force where it happened"


@dataclass(frozen=True)
class Source:
    """A citation in words (document, section, paragraph, confidence), the address of its
    official publication and, where the text was read in a copy, the copy's."""

    where: str
    url: str
    read_at: str | None = None

    def __str__(self) -> str:
        copy = f", read at <{self.read_at}>" if self.read_at else ""
        return f"{self.where} <{self.url}>{copy}"


def source(c: Citation) -> Source:
    """The one citation formatter."""
    where = f"{c.document}, {c.section}" + (f", {c.paragraph}" if c.paragraph else "")
    note = ", interpretation" if c.interpretation else ""
    return Source(f"{where} [{c.confidence} confidence{note}]", c.url, c.read_at)


@dataclass(frozen=True)
class ReasonView:
    """One reason as shown: the rule's title and id, the explanation, the source."""

    rule_id: str
    title: str
    explanation: str
    where: str
    url: str
    read_at: str | None

    @property
    def cited(self) -> str:
        """The source in words, by the one formatter."""
        return str(Source(self.where, self.url, self.read_at))


@dataclass(frozen=True)
class Item:
    """One outcome in words, with the reasons shown for it; ``key`` names what it is about
    (``crime A1``, ``cancellation P1``), the same from one decision to the next, so two
    decisions can be compared item by item."""

    text: str
    reasons: tuple[ReasonView, ...] = ()
    key: str = ""


@dataclass(frozen=True)
class Section:
    """A heading and its items (a section with no items is left out)."""

    heading: str
    items: tuple[Item, ...]


def _w(value: object) -> str:
    return str(value).replace("_", " ")


def _when(value: object) -> str:
    return plain_when(value)


def _crime(c: Crime) -> str:
    code = f"{c.code} {c.title}" if c.code else "classification still needed"
    text = f"Record crime: {code} — allegation {c.allegation_id}"
    text += f", victim {c.victim_id or 'none named'}"
    if c.flags:
        text += f"; flags: {', '.join(map(_w, c.flags))}"
    if c.deadline:
        text += f"; record by {_when(c.deadline)} ({c.deadline_basis})"
    return text


Lines = list[tuple[str, str, Sequence[Reason]]]  # key, text, reasons


def _crimes(d: Decision) -> Lines:
    out: Lines = []
    for c in d.crimes:
        out.append((f"crime {c.allegation_id}", _crime(c), c.reasons))
        for a in c.absorbed:
            what = f"{a.allegation_id} ({a.code or '?'} {a.title or ''})"
            out.append(
                (
                    f"absorbed {a.allegation_id}",
                    f"{what} is not counted separately: absorbed by {a.absorbed_by}",
                    a.reasons,
                )
            )
    return out


def _records(d: Decision) -> list[tuple[str, Lines]]:
    n100 = "N100 {} — allegation {}, victim {}"
    return [
        (
            "N100 records",
            [
                (
                    f"n100 {n.allegation_id} {n.victim_id}",
                    n100.format(n.n100_type or "", n.allegation_id, n.victim_id),
                    n.reasons,
                )
                for n in d.n100s
            ],
        ),
        (
            "Incident records (no crime)",
            [
                (
                    f"incident {i.allegation_id}",
                    f"Incident — allegation {i.allegation_id}: "
                    + ", ".join(map(_w, i.reason_codes)),
                    i.reasons,
                )
                for i in d.incidents
            ],
        ),
        (
            "Transfers",
            [
                (
                    f"transfer {t.allegation_id}",
                    f"Transfer allegation {t.allegation_id} to {t.to_force or _THERE}",
                    t.reasons,
                )
                for t in d.transfers
            ],
        ),
    ]


def _rulings(d: Decision) -> list[tuple[str, Lines]]:
    verdict = {True: "ALLOWED", False: "REFUSED"}
    ruling = "{} on {} (proposal {}): {}, decided by {}"
    return [
        (
            "Cancellation rulings",
            [
                (
                    f"cancellation {c.proposal_id}",
                    ruling.format(
                        c.category,
                        c.allegation_id,
                        c.proposal_id,
                        verdict[c.allowed],
                        _w(c.decider),
                    ),
                    c.reasons,
                )
                for c in d.cancellations
            ],
        ),
        (
            "Victim duties",
            [
                (
                    f"duty {v.duty} {v.victim_id}",
                    f"{_w(v.duty)} — victim {v.victim_id}"
                    + (f", due {_when(v.due)}" if v.due else ""),
                    v.reasons,
                )
                for v in d.victim_duties
            ],
        ),
        (
            "Findings",
            [
                (
                    f"finding {f.code} {f.subject}",
                    f"{f.severity}: {_w(f.code)} ({f.subject})",
                    f.reasons,
                )
                for f in d.findings
            ],
        ),
        (
            "Referred to the Force Crime Registrar",
            [
                (
                    f"referral {r.conclusion} {r.subject_type} {r.subject_id}",
                    f"rules disagree on {r.conclusion} for {r.subject_type} {r.subject_id}: "
                    f"{list(r.values)}",
                    r.reasons,
                )
                for r in d.referrals
            ],
        ),
    ]


def _open(d: Decision) -> list[tuple[str, Lines]]:
    return [
        (
            "Undecided (never 'no crime')",
            [
                (
                    f"undecided {u.allegation_id}",
                    f"allegation {u.allegation_id}: {_w(u.status)}; possible outcomes: "
                    + (", ".join(u.possible_outcomes) or "none"),
                    (),
                )
                for u in d.undecided
            ],
        ),
        (
            "Still needed",
            [(f"needed {n.path}", f"{n.question} ({n.path})", ()) for n in d.still_needed],
        ),
        (
            "Rules that may still change the decision",
            [(f"may-change {rid}", rid, ()) for rid in d.may_change],
        ),
    ]


def _outcomes(d: Decision) -> list[tuple[str, Lines]]:
    return [("Crimes to record", _crimes(d)), *_records(d), *_rulings(d), *_open(d)]


def _reason(r: Reason) -> ReasonView:
    s = source(r.citation)
    return ReasonView(r.rule_id, r.title, r.explanation, s.where, s.url, s.read_at)


def sections(d: Decision, shown: Callable[[Reason], bool] | None = None) -> list[Section]:
    """The decision as headed sections; ``shown`` picks the reasons to show (default all)."""
    keep = shown or (lambda _r: True)
    return [
        Section(
            heading,
            tuple(
                Item(text, tuple(_reason(r) for r in rs if keep(r)), key) for key, text, rs in items
            ),
        )
        for heading, items in _outcomes(d)
        if items
    ]


def status(d: Decision) -> str:
    """Whether the decision can still change, in one sentence."""
    if d.complete:
        return "Status: complete."
    return (
        "Status: NOT complete — the decision can still change: see still needed, undecided, "
        "referrals and rules that may change it below."
    )


__all__ = ["Item", "ReasonView", "Section", "Source", "sections", "source", "status"]
