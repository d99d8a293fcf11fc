"""Render a Decision as plain text or Markdown for people (JSON is the model's own dump)."""

from __future__ import annotations

from collections.abc import Iterable

from counting_rules.decision import Citation, Crime, Decision, Reason


def _cite(c: Citation) -> str:
    text = f"{c.document}, {c.section}"
    if c.paragraph:
        text += f", {c.paragraph}"
    text += f" [{c.confidence} confidence"
    text += ", interpretation]" if c.interpretation else "]"
    return text + f" <{c.url}>"


class _Doc:
    def __init__(self, markdown: bool) -> None:
        self.md = markdown
        self.lines: list[str] = []

    def heading(self, text: str, level: int = 2) -> None:
        if self.md:
            self.lines += ["", "#" * level + " " + text, ""]
        else:
            self.lines += ["", text.upper() if level == 2 else text, "-" * len(text)]

    def item(self, text: str) -> None:
        self.lines.append(("- **" + text + "**") if self.md else ("* " + text))

    def reasons(self, reasons: Iterable[Reason]) -> None:
        for r in reasons:
            if self.md:
                self.lines.append(f"  - *{r.title}* (`{r.rule_id}`): {r.explanation}")
                self.lines.append(f"    <br>Source: {_cite(r.citation)}")
            else:
                self.lines.append(f"    - {r.title} [{r.rule_id}]")
                self.lines.append(f"      {r.explanation}")
                self.lines.append(f"      Source: {_cite(r.citation)}")

    def text(self) -> str:
        return "\n".join(self.lines).strip() + "\n"


def _w(text: object) -> str:
    return str(text).replace("_", " ")


def _crime_line(c: Crime) -> str:
    code = f"{c.code} {c.title}" if c.code else "classification still needed"
    victim = c.victim_id or "none named"
    text = f"Record crime: {code} — allegation {c.allegation_id}, victim {victim}"
    if c.flags:
        text += f"; flags: {', '.join(c.flags)}"
    if c.deadline:
        text += f"; record by {c.deadline.isoformat()} ({c.deadline_basis})"
    return text


def render_decision(d: Decision, *, markdown: bool = False) -> str:
    """A readable account of the decision: every item with its reasons and sources."""
    doc = _Doc(markdown)
    title = f"Decision for case {d.case_id}"
    doc.lines += [f"# {title}", ""] if markdown else [title, "=" * len(title)]
    doc.lines.append(
        f"Rules: {d.edition_title} (edition {d.edition}, rulebook {d.rulebook} "
        f"{d.rulebook_digest}); engine {d.engine_version}."
    )
    doc.lines.append(
        "Status: complete."
        if d.complete
        else "Status: NOT complete — the decision can still change: see still needed, "
        "undecided, referrals and rules that may change it below."
    )
    groups: list[tuple[str, list[tuple[str, tuple[Reason, ...]]]]] = [
        ("Crimes to record", [(_crime_line(c), c.reasons) for c in d.crimes]),
        *[
            (
                f"Not counted separately (absorbed by {c.allegation_id})",
                [
                    (f"{a.allegation_id}: {a.code or '?'} {a.title or ''}".rstrip(), a.reasons)
                    for a in c.absorbed
                ],
            )
            for c in d.crimes
        ],
        (
            "N100 records",
            [
                (
                    f"N100 {n.n100_type or ''} — allegation {n.allegation_id}, "
                    f"victim {n.victim_id}",
                    n.reasons,
                )
                for n in d.n100s
            ],
        ),
        (
            "Incident records (no crime)",
            [
                (
                    f"Incident — allegation {i.allegation_id}: "
                    f"{', '.join(map(_w, i.reason_codes))}",
                    i.reasons,
                )
                for i in d.incidents
            ],
        ),
        (
            "Transfers",
            [
                (
                    f"Transfer allegation {t.allegation_id} to "
                    f"{t.to_force or 'the force where it happened'}",
                    t.reasons,
                )
                for t in d.transfers
            ],
        ),
        (
            "Cancellation rulings",
            [
                (
                    f"{c.category} for {c.allegation_id}: {'ALLOWED' if c.allowed else 'REFUSED'}; "
                    f"decided by {_w(c.decider)}",
                    c.reasons,
                )
                for c in d.cancellations
            ],
        ),
        (
            "Victim duties",
            [
                (
                    f"{_w(v.duty)} — victim {v.victim_id}"
                    + (f", due {v.due.isoformat()}" if v.due else ""),
                    v.reasons,
                )
                for v in d.victim_duties
            ],
        ),
        (
            "Findings",
            [(f"{f.severity}: {_w(f.code)} ({f.subject})", f.reasons) for f in d.findings],
        ),
        (
            "Referred to the Force Crime Registrar",
            [
                (
                    f"rules disagree on {r.conclusion} for {r.subject_type} {r.subject_id}: "
                    f"{list(r.values)}",
                    r.reasons,
                )
                for r in d.referrals
            ],
        ),
        (
            "Undecided (not 'no crime')",
            [
                (
                    f"allegation {u.allegation_id}: {_w(u.status)}; possible outcomes: "
                    f"{', '.join(u.possible_outcomes) or 'none'}",
                    (),
                )
                for u in d.undecided
            ],
        ),
        (
            "Still needed",
            [(f"{n.question} ({n.path})", ()) for n in d.still_needed],
        ),
        ("Rules that may still change the decision", [(rid, ()) for rid in d.may_change]),
    ]
    for heading, items in groups:
        if not items:
            continue
        doc.heading(heading)
        for line, reasons in items:
            doc.item(line)
            doc.reasons(reasons)
    return doc.text()
