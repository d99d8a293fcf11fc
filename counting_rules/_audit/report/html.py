"""The audit report as one self-contained HTML page: inline CSS, charts as inline SVG, no
script and no external resource (a Content-Security-Policy of default-src 'none' says so to
the browser); citations are plain links."""

from __future__ import annotations

from counting_rules._audit.report.charts import findings_chart, hours_chart, recording_chart
from counting_rules._audit.report.view import View
from counting_rules._explain.render import environment

__all__ = ["render_html"]


def render_html(v: View) -> str:
    charts = {
        "recording": recording_chart(v.f.recording_by_group),
        "hours": hours_chart(v.f.hours),
        "findings": findings_chart(v.f.findings),
    }
    template = environment(True).get_template("audit/report.html.j2")
    return template.render(**v.context(), charts=charts)
