"""Explanations: each rule's Jinja template rendered in a sandbox with strict undefined.

Templates come only from rulebook files, never from case input. Text and Markdown render
without escaping; HTML renders with autoescaping, so a fact value cannot inject markup.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any, Literal

from jinja2 import StrictUndefined, Template, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

Flavour = Literal["text", "html"]


def _hours(seconds: int) -> str:
    return f"{seconds / 3600:g} hours"


@lru_cache(maxsize=2)
def environment(flavour: Flavour = "text") -> ImmutableSandboxedEnvironment:
    """The sandboxed environment templates render in."""
    env = ImmutableSandboxedEnvironment(
        undefined=StrictUndefined,
        autoescape=flavour == "html",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["hours"] = _hours
    env.filters["yesno"] = lambda v: "yes" if v else "no"
    env.filters["words"] = lambda v: str(v).replace("_", " ")
    return env


def compile_template(source: str, flavour: Flavour = "text") -> Template:
    """Compile a rulebook template (raises jinja2.TemplateSyntaxError with its line)."""
    return environment(flavour).from_string(source)


def render(template: Template, context: Mapping[str, Any]) -> str:
    """Render and tidy: one paragraph, no trailing whitespace."""
    text = template.render(**context)
    return " ".join(text.split())


def template_line(exc: BaseException) -> int | None:
    """The template line a render error came from (jinja maps frames to template lines)."""
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


__all__ = ["TemplateError", "compile_template", "environment", "render", "template_line"]
