"""Case format 1 (verdicts typed in by the caller) to format 2 (the account, decided by rules).

Format 1 asked the caller whether an allegation amounts to a crime and whether credible
evidence to the contrary exists. Format 2 holds only what was reported. The conversion
renames what has a format-2 counterpart and drops every verdict; it never turns a verdict into
facts, so a converted case asks for the points to prove its verdict stood in for, and the
report says which.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Fields only format 1 has, by case section (what the detector looks for; convert() handles
# each one).
_V1_ONLY: dict[str, frozenset[str]] = {
    "allegations": frozenset(
        {"amounts_to_crime", "credible_evidence_to_contrary", "victim_consented"}
    ),
    "evidence": frozenset({"shows_no_crime"}),
    "reporter": frozenset({"acting_for_victim"}),
}
_CONSENT = {True: "given", False: "not_given"}


@dataclass
class Conversion:
    """A converted case and what the conversion changed, one line per change."""

    case: dict[str, Any]
    changes: list[str] = field(default_factory=list)
    to_ask: list[str] = field(default_factory=list)  # the facts a dropped verdict stood for


def is_format_1(data: Mapping[str, Any]) -> str | None:
    """The path of a format-1 field in ``data`` (or ``format`` if it says 1), else None."""
    if data.get("format") == 1:
        return "format"
    if "format" in data:
        return None
    report = data.get("report")
    reporter = report.get("reporter") if isinstance(report, Mapping) else None
    if isinstance(reporter, Mapping):
        for name in _V1_ONLY["reporter"] & reporter.keys():
            return f"report.reporter.{name}"
    for section in ("allegations", "evidence"):
        items = data.get(section)
        for i, item in enumerate(items if isinstance(items, list | tuple) else ()):
            if isinstance(item, Mapping):
                for name in sorted(_V1_ONLY[section] & item.keys()):
                    return f"{section}[{item.get('id', i)}].{name}"
    return None


def convert(data: Mapping[str, Any], points: Mapping[str, frozenset[str]]) -> Conversion:
    """Convert a format-1 case; ``points`` gives each offence kind's points to prove (from the
    rulebook), named in the report where a dropped verdict stood in for them."""
    case = {"format": 2, **{k: copy.deepcopy(v) for k, v in data.items() if k != "format"}}
    out = Conversion(case)
    reporter = case.get("report", {}).get("reporter", {})
    if isinstance(reporter, dict) and "acting_for_victim" in reporter:
        acting = reporter.pop("acting_for_victim")
        if acting and reporter.get("kind") == "other_third_party":
            reporter["kind"] = "acting_for_victim"
            out.changes.append(
                "report.reporter: kind other_third_party acting for the victim -> acting_for_victim"
            )
        else:
            out.changes.append("report.reporter.acting_for_victim: dropped (the kind says it)")
    for al in case.get("allegations", []):
        if not isinstance(al, dict):
            continue
        aid = al.get("id", "?")
        if "victim_consented" in al:
            value = al.pop("victim_consented")
            if value is not None:
                al["consent"] = _CONSENT[bool(value)]
            out.changes.append(f"allegations[{aid}].victim_consented -> consent")
        for verdict in ("amounts_to_crime", "credible_evidence_to_contrary"):
            if verdict in al:
                value = al.pop(verdict)
                out.changes.append(f"allegations[{aid}].{verdict}: {value!r} dropped (a verdict)")
                if verdict == "amounts_to_crime":
                    missing = sorted(points.get(str(al.get("offence")), frozenset()) - al.keys())
                    out.to_ask.extend(f"allegations[{aid}].{p}" for p in missing)
    for ev in case.get("evidence", []):
        if isinstance(ev, dict) and "shows_no_crime" in ev:
            value = ev.pop("shows_no_crime")
            out.changes.append(
                f"evidence[{ev.get('id', '?')}].shows_no_crime: {value!r} dropped (a verdict); "
                "say what it shows in 'shows'"
            )
            out.to_ask.append(f"evidence[{ev.get('id', '?')}].shows")
    return out


__all__ = ["Conversion", "convert", "is_format_1"]
