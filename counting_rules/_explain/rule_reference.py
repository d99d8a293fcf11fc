"""Generate the rule reference (docs/reference/rules.md) from a rulebook: every HOCR area,
the rules that encode it, their editions, confidence, and whether each is an interpretation."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from counting_rules._rulebook.ir import Rule, Rulebook

# The HOCR areas, in the order of the Counting Rules, keyed by rule-id prefix.
AREAS: tuple[tuple[str, str], ...] = (
    ("general_rules/ncrs", "NCRS: the recording decision"),
    ("general_rules/a_whether_and_when_to_record", "Section A: whether and when to record"),
    ("crime_types", "Section B and crime types: classification and crime-specific rules"),
    ("general_rules/c_removing_recorded_crimes", "Section C: cancellation and transfer"),
    ("general_rules/annex_a_other_force_areas", "Annex A: crimes in other force areas"),
    ("general_rules/location_of_offence", "Location of offence: crimes outside England and Wales"),
    ("general_rules/d_one_crime_per_victim", "Section D: one crime per victim"),
    ("general_rules/e_finished_incident_rule", "Section E: the finished incident rule"),
    ("general_rules/f_principal_crime_rule", "Section F: the principal crime rule"),
    ("reported_incidents", "Reported incidents: rape reports and N100"),
    ("crime_flags", "Home Office crime flags"),
    ("general_rules/equality_data", "Equality data about victims (advisory)"),
    ("victims_code", "Victims' Code duties"),
)


def editions_of(book: Rulebook, rule: Rule) -> list[str]:
    """The ids of the editions a rule is in force in, oldest first."""
    ids = [e.id for e in book.editions]
    start = ids.index(rule.in_force_from)
    end = ids.index(rule.in_force_until) if rule.in_force_until else len(ids)
    return ids[start:end]


def _editions(book: Rulebook, rule: Rule) -> str:
    span = editions_of(book, rule)
    if not span:
        return "none"
    if span[-1] == book.editions[-1].id:
        return span[0] + "+"
    return span[0] if len(span) == 1 else f"{span[0]} to {span[-1]}"


def edition_rows(book: Rulebook) -> list[dict[str, Any]]:
    """Each edition: id, title, dates in force, rule and stratum counts."""
    return [
        {
            "edition": e.id,
            "title": e.title,
            "in_force_from": e.in_force_from.isoformat(),
            "in_force_until": e.in_force_until.isoformat() if e.in_force_until else None,
            "rules": len(e.rules),
            "strata": e.max_stratum + 1,
        }
        for e in book.editions
    ]


def area_of(rule_id: str) -> str:
    """The HOCR area a rule belongs to (longest matching prefix)."""
    best = ""
    for prefix, _ in AREAS:
        if (rule_id == prefix or rule_id.startswith(prefix + "/")) and len(prefix) > len(best):
            best = prefix
    return best or rule_id.split("/")[0]


def rules_markdown(book: Rulebook) -> str:
    """The rule reference as Markdown."""
    by_area: dict[str, list[Rule]] = defaultdict(list)
    for rule in book.rules.values():
        by_area[area_of(rule.id)].append(rule)
    titles = dict(AREAS)
    lines = [
        "# Rule reference",
        "",
        "Generated from the rulebook by `counting-rules rulebooks --format markdown`; do not",
        "edit by hand. Editions: "
        + ", ".join(f"{e.id} (from {e.in_force_from.isoformat()})" for e in book.editions)
        + ". `2018 to 2020` means in force in editions 2018 to 2020; `2023+` from 2023 on.",
        "An *interpretation* is a rule whose source text could not be verified; see",
        "`docs/explanation/open-questions.md`.",
        "",
        "| area | rules | interpretations |",
        "| --- | ---: | ---: |",
    ]
    order = [p for p, _ in AREAS] + sorted(set(by_area) - set(titles))
    for prefix in order:
        rules = by_area.get(prefix, [])
        n_int = sum(r.citation.interpretation for r in rules)
        lines.append(f"| {titles.get(prefix, prefix)} | {len(rules)} | {n_int} |")
    for prefix in order:
        rules = sorted(by_area.get(prefix, []), key=lambda r: r.id)
        lines += ["", f"## {titles.get(prefix, prefix)}", ""]
        if not rules:
            lines.append("No rules yet.")
            continue
        lines += [
            "| rule | title | editions | confidence | source |",
            "| --- | --- | --- | --- | --- |",
        ]
        for r in rules:
            conf = r.citation.confidence + (", interpretation" if r.citation.interpretation else "")
            src = ", ".join(r.citation.sources) or r.citation.section
            copy = f" ([read at]({r.citation.read_at}))" if r.citation.read_at else ""
            lines.append(
                f"| `{r.id}` | {r.title} | {_editions(book, r)} | {conf} | "
                f"[{src}]({r.citation.url}){copy} |"
            )
    return "\n".join(lines) + "\n"
