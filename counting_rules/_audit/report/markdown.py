"""The audit report in Markdown: the HTML report's figures and exceptions, charts as tables."""

from __future__ import annotations

from counting_rules._audit.report.view import View
from counting_rules._explain.render import environment

__all__ = ["render_markdown"]


def _cell(text: object) -> str:
    """Text safe in a Markdown table cell: one line, pipes escaped."""
    return " ".join(str(text).split()).replace("|", "\\|")


def render_markdown(v: View) -> str:
    template = environment(False).get_template("audit/report.md.j2")
    return template.render(**v.context(), cell=_cell).strip() + "\n"
