"""Templates render in a sandbox with strict undefined; HTML is autoescaped."""

from __future__ import annotations

import pytest
from jinja2 import TemplateError
from jinja2.exceptions import SecurityError

from counting_rules._rulebook.templates import compile_template, render


def test_strict_undefined_raises() -> None:
    with pytest.raises(TemplateError):
        render(compile_template("{{ a.missing }}"), {"a": {}})


def test_sandbox_blocks_unsafe_attribute_access() -> None:
    with pytest.raises(SecurityError):
        render(compile_template("{{ a.__class__.__mro__ }}"), {"a": {}})


def test_html_flavour_escapes_fact_values() -> None:
    text = render(compile_template("{{ a.v }}", "html"), {"a": {"v": "<b>x</b>"}})
    assert text == "&lt;b&gt;x&lt;/b&gt;"
    assert render(compile_template("{{ a.v }}"), {"a": {"v": "<b>"}}) == "<b>"


def test_filters_and_whitespace() -> None:
    out = render(compile_template("{{ x | words }}\n\n  {{ y | yesno }}"), {"x": "a_b", "y": True})
    assert out == "a b yes"
