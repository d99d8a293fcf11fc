"""The audit report as JSON: the same figures as the HTML and Markdown reports, as numbers
and as the words they show, with the statistics they come from and the exceptions."""

from __future__ import annotations

import json
from typing import Any

from counting_rules._audit.report.view import View

__all__ = ["render_json", "report_document"]


def report_document(v: View) -> dict[str, Any]:
    f = v.f
    return {
        "format": 1,
        "title": v.title,
        "version": v.version,
        "options": v.options,
        "records": f.records,
        "rejected_fields": dict(f.rejected_fields),
        "recording": {
            "all": f.recording.as_json(),
            "by_group": [r.as_json() for r in f.recording_by_group],
            "stratified": f.stratified.model_dump() if f.stratified is not None else None,
            "stratified_text": v.stratified_text if f.stratified is not None else None,
            "unrecorded_per_year": f.unrecorded,
        },
        "timeliness": {
            "all": f.timeliness.as_json(),
            "by_group": [r.as_json() for r in f.timeliness_by_group],
            "hours_to_record": [b.as_json() for b in f.hours],
        },
        "accuracy": [r.as_json() for r in f.accuracy],
        "cancellations_by_group": [r.as_json() for r in f.cancellations_by_group],
        "findings": {
            "total": f.findings_total,
            "by_kind": [
                {"kind": k.key, "label": k.label, "count": k.count, "by_group": k.by_group}
                for k in f.findings
            ],
        },
        "exceptions": {
            "shown": v.ex.shown,
            "total": v.ex.total,
            "by_kind": v.ex.by_kind,
            "rows": [r.as_json() for _, _, rows in v.ex.records for r in rows],
        },
        "method": [{"term": m.term, "text": m.text} for m in v.method],
        "statistics": v.statistics.model_dump(mode="json"),
    }


def render_json(v: View) -> str:
    return json.dumps(report_document(v), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
