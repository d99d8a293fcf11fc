"""An audit's reports: a self-contained HTML page, Markdown and JSON, with the same figures,
from an ``AuditSummary`` and the audit's findings (``write_reports``)."""

from __future__ import annotations

from counting_rules._audit.report.exceptions import read_findings
from counting_rules._audit.report.html import render_html
from counting_rules._audit.report.json_doc import render_json, report_document
from counting_rules._audit.report.markdown import render_markdown
from counting_rules._audit.report.view import View, view
from counting_rules._audit.report.write import FORMATS, write_reports

__all__ = [
    "FORMATS",
    "View",
    "read_findings",
    "render_html",
    "render_json",
    "render_markdown",
    "report_document",
    "view",
    "write_reports",
]
