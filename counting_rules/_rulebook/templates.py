"""Explanations: each rule's Jinja template rendered in a sandbox with strict undefined.

Templates come only from rulebook files, never from case input. Text and Markdown render
without escaping; HTML renders with autoescaping, so a fact value cannot inject markup.

A rulebook folder may come from anyone (``--rulebook``), so a template is also bounded:
it may use only the small language an explanation needs (text, ``{{ }}``, ``if``, one
level of ``for``, a few filters), never reads a file, and its work, intermediate values
and output are capped. Breaking a bound is a :class:`TemplateLimitError` with its line.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any, Literal

from jinja2 import StrictUndefined, Template, TemplateError, nodes
from jinja2.exceptions import SecurityError, TemplateRuntimeError
from jinja2.filters import FILTERS
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

Flavour = Literal["text", "html"]

MAX_OUTPUT = 20_000  # characters an explanation may render (shipped ones: under 1,000)
MAX_VALUE = 20_000  # length of any string or list a template builds along the way
MAX_RANGE = 1_000  # items in range(); loops do not nest, so this bounds the work
MAX_INT_BITS = 4_096  # numbers stay small: no 9**9**9 or squaring chains

# Why each refused tag is refused: said in the error, so the author knows what to do.
_REFUSED: dict[type[nodes.Node], str] = {
    nodes.Include: "{% include %} is not allowed: a template cannot read other files",
    nodes.Import: "{% import %} is not allowed: a template cannot read other files",
    nodes.FromImport: "{% from %} is not allowed: a template cannot read other files",
    nodes.Extends: "{% extends %} is not allowed: a template cannot read other files",
    nodes.Block: "{% block %} is not allowed: explanations do not inherit",
    nodes.Macro: "{% macro %} is not allowed: a macro can recurse without bound",
    nodes.CallBlock: "{% call %} is not allowed: a macro can recurse without bound",
    nodes.Concat: "the ~ operator is not allowed: write the parts side by side",
    nodes.NSRef: "namespace assignment is not allowed",
    nodes.Scope: "{% autoescape %} is not allowed",
    nodes.ScopedEvalContextModifier: "{% autoescape %} is not allowed",
    nodes.EvalContextModifier: "{% autoescape %} is not allowed",
    nodes.With: "{% with %} is not allowed",
    nodes.FilterBlock: "{% filter %} is not allowed",
    nodes.AssignBlock: "{% set %}...{% endset %} is not allowed",
}
# Everything an explanation needs; any other node is refused.
_ALLOWED: tuple[type[nodes.Node], ...] = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.If,
    nodes.For,
    nodes.Assign,
    nodes.Name,
    nodes.Const,
    nodes.Tuple,
    nodes.List,
    nodes.Dict,
    nodes.Pair,
    nodes.Keyword,
    nodes.Getattr,
    nodes.Getitem,
    nodes.Slice,
    nodes.Filter,
    nodes.Test,
    nodes.Call,
    nodes.Compare,
    nodes.Operand,
    nodes.CondExpr,
    nodes.And,
    nodes.Or,
    nodes.Not,
    nodes.Neg,
    nodes.Pos,
    nodes.Add,
    nodes.Sub,
    nodes.Mul,
    nodes.Div,
    nodes.FloorDiv,
    nodes.Mod,
    nodes.Pow,
)
# Filters whose result is no bigger than their input, plus the rulebook's own.
_FILTERS: tuple[str, ...] = (
    "abs",
    "capitalize",
    "count",
    "d",
    "default",
    "e",
    "escape",
    "first",
    "int",
)
_FILTERS += ("last", "length", "lower", "round", "title", "trim", "truncate", "upper", "wordcount")


class TemplateLimitError(SecurityError):
    """A template uses something explanations may not, or breaks a bound while rendering."""

    def __init__(self, message: str, lineno: int | None = None) -> None:
        super().__init__(message)
        self.lineno = lineno


def _hours(seconds: int) -> str:
    return f"{seconds / 3600:g} hours"


def _bounded_range(*args: int) -> range:
    items = range(*args)
    if len(items) > MAX_RANGE:
        raise TemplateLimitError(f"range() of {len(items)} items; at most {MAX_RANGE}")
    return items


def _check_size(value: Any) -> Any:
    if isinstance(value, str | list | tuple) and len(value) > MAX_VALUE:
        raise TemplateLimitError(f"a value of {len(value)} items; at most {MAX_VALUE}")
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise TemplateLimitError(f"a number of {value.bit_length()} bits; at most {MAX_INT_BITS}")
    return value


def _bounded_filter(func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)  # keeps jinja's pass_context/pass_eval_context marker
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return _check_size(func(*args, **kwargs))

    return wrapper


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str | list | tuple) else 0


class _BoundedEnvironment(ImmutableSandboxedEnvironment):
    """The immutable sandbox, with arithmetic, calls and output bounded."""

    intercepted_binops = frozenset({"+", "*", "%", "**"})

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        # Refuse before computing: the allocation itself is the attack.
        if operator == "%" and isinstance(left, str):
            raise TemplateLimitError("% string formatting is not allowed; use filters")
        if operator == "**" and isinstance(right, int | float):
            bits = left.bit_length() if isinstance(left, int) else 1
            if abs(right) > 64 or bits * abs(right) > MAX_INT_BITS:
                raise TemplateLimitError(f"exponent {right} is too large")
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if _size(seq) and isinstance(n, int) and _size(seq) * n > MAX_VALUE:
                    raise TemplateLimitError(
                        f"a value of {_size(seq) * n} items; at most {MAX_VALUE}"
                    )
            ints = isinstance(left, int) and isinstance(right, int)
            if ints and left.bit_length() + right.bit_length() > MAX_INT_BITS:
                raise TemplateLimitError(f"a number of more than {MAX_INT_BITS} bits")
        if operator == "+" and _size(left) + _size(right) > MAX_VALUE:
            raise TemplateLimitError(f"a value of more than {MAX_VALUE} items")
        return _check_size(super().call_binop(context, operator, left, right))

    def call(
        __self,
        __context: Context,
        __obj: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        # Only range() may be called: a bound method (say str.center) could allocate
        # without limit even if reached through {% set %}.
        if __obj is not _bounded_range:
            raise TemplateLimitError("only range() may be called in an explanation")
        return _bounded_range(*args, **kwargs)


def _finalize(value: Any) -> Any:
    if isinstance(value, list | tuple | dict | range):
        raise TemplateLimitError("an explanation prints text and numbers, not collections")
    return _check_size(value)


@lru_cache(maxsize=2)
def environment(flavour: Flavour = "text") -> ImmutableSandboxedEnvironment:
    """The sandboxed environment templates render in. It has no loader: nothing to include."""
    env = _BoundedEnvironment(
        undefined=StrictUndefined,
        autoescape=flavour == "html",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        finalize=_finalize,
        loader=None,
    )
    env.globals.clear()  # no lipsum(), namespace(), cycler(): only a bounded range()
    env.globals["range"] = _bounded_range
    env.filters = {name: _bounded_filter(FILTERS[name]) for name in _FILTERS}
    env.filters["hours"] = _hours
    env.filters["yesno"] = lambda v: "yes" if v else "no"
    env.filters["words"] = lambda v: str(v).replace("_", " ")
    return env


def _refuse(tree: nodes.Template) -> None:
    """Raise for the first node an explanation may not use (they are listed in _REFUSED)."""

    def visit(node: nodes.Node, loops: int) -> None:
        line = getattr(node, "lineno", None) or next(
            (n.lineno for n in node.find_all(nodes.Node) if getattr(n, "lineno", None)), None
        )
        for kind, why in _REFUSED.items():
            if isinstance(node, kind):
                raise TemplateLimitError(why, line)
        if not isinstance(node, _ALLOWED):
            raise TemplateLimitError(
                f"{type(node).__name__} is not allowed in an explanation", line
            )
        if isinstance(node, nodes.For):
            if node.recursive:
                raise TemplateLimitError("a recursive loop is not allowed", line)
            if loops:
                raise TemplateLimitError("a loop inside a loop is not allowed", line)
        if isinstance(node, nodes.Call) and not (
            isinstance(node.node, nodes.Name) and node.node.name == "range"
        ):
            raise TemplateLimitError("only range() may be called in an explanation", line)
        inner = loops + isinstance(node, nodes.For)
        for child in node.iter_child_nodes():
            visit(child, inner)

    visit(tree, 0)


def compile_template(source: str, flavour: Flavour = "text") -> Template:
    """Compile a rulebook template. Raises jinja2.TemplateSyntaxError, or TemplateLimitError
    for a tag or call explanations may not use; both carry the template line."""
    env = environment(flavour)
    try:
        tree = env.parse(source)
        _refuse(tree)
        return env.from_string(tree)
    except (RecursionError, MemoryError):
        raise TemplateLimitError("template nests too deeply to compile") from None


def render(template: Template, context: Mapping[str, Any]) -> str:
    """Render and tidy: one paragraph, no trailing whitespace. Bounded: see the module doc."""
    parts: list[str] = []
    length = 0
    stream = template.generate(**context)
    try:
        # Streamed, so a long output stops at the cap instead of being built first.
        for part in stream:
            length += len(part)
            if length > MAX_OUTPUT:
                raise TemplateLimitError(
                    f"explanation longer than {MAX_OUTPUT} characters",
                    _paused_line(template, stream),
                )
            parts.append(part)
    except TemplateError:
        raise
    except (RecursionError, MemoryError) as exc:
        raise TemplateLimitError(
            f"template exhausted {'memory' if isinstance(exc, MemoryError) else 'the stack'}",
            template_line(exc),
        ) from None
    except Exception as exc:  # 1/0, int('x'): a rulebook error, not a traceback
        err = TemplateRuntimeError(f"{type(exc).__name__}: {exc}")
        err.lineno = template_line(exc)  # type: ignore[attr-defined]
        raise err from None
    return " ".join("".join(parts).split())


def _paused_line(template: Template, stream: Any) -> int | None:
    """The template line a paused render stream is at (the one that overflowed)."""
    inner = getattr(stream, "gi_yieldfrom", None)  # Template.generate yields from the body
    frame = getattr(inner, "gi_frame", None)
    if frame is None:
        return None
    return template.get_corresponding_lineno(frame.f_lineno)


def template_line(exc: BaseException) -> int | None:
    """The template line a render error came from (jinja maps frames to template lines)."""
    lineno = getattr(exc, "lineno", None)
    if isinstance(lineno, int):
        return lineno
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


__all__ = [
    "MAX_OUTPUT",
    "MAX_RANGE",
    "TemplateError",
    "TemplateLimitError",
    "compile_template",
    "environment",
    "render",
    "template_line",
]
