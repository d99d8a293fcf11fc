"""Render a Decision for people, as text, Markdown or HTML, from its one view (``sections``)
through the package's templates (JSON is the model's own dump).

The templates are the package's own (never built from input), rendered in a sandbox with
strict undefined names; HTML is autoescaped.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal

from jinja2 import PackageLoader, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from counting_rules._explain.sections import Section, sections, status
from counting_rules.decision import Decision

Format = Literal["text", "markdown", "html"]
_TEMPLATE = {"text": "decision.txt.j2", "markdown": "decision.md.j2", "html": "decision.html.j2"}


@lru_cache(maxsize=2)
def environment(html: bool) -> ImmutableSandboxedEnvironment:
    """The package's templates: one environment for text and Markdown, one (escaped) for HTML."""
    return ImmutableSandboxedEnvironment(
        loader=PackageLoader("counting_rules", "templates"),
        autoescape=html,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_sections(parts: list[Section], fmt: Format, **context: Any) -> str:
    template = environment(fmt == "html").get_template(_TEMPLATE[fmt])
    return template.render(sections=parts, **context)


def render_decision(d: Decision, *, markdown: bool = False) -> str:
    """A readable account of the decision: every item with its reasons and sources."""
    fmt: Format = "markdown" if markdown else "text"
    text = render_sections(
        sections(d), fmt, d=d, title=f"Decision for case {d.case_id}", status=status(d)
    )
    return text.strip() + "\n"


__all__ = ["Format", "environment", "render_decision", "render_sections"]
