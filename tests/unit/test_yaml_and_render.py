"""YAML positions, and the text and Markdown renderings of a decision."""

from __future__ import annotations

from pathlib import Path

import pytest

from counting_rules._case.files import load_case_file
from counting_rules._common.yaml_lines import load_text
from counting_rules._engine.decide import decide
from counting_rules._explain.render import render_decision

EXAMPLE = Path(__file__).parents[2] / "examples" / "cases" / "punched_outside_pub.yaml"


def test_lines_are_kept_for_every_key_and_item() -> None:
    loc = load_text("a: 1\nb:\n  - x: 2\n    y: 2024-01-01T10:00:00Z\n")
    assert loc.line(("b", 0, "y")) == 4
    assert loc.line(("b", 0, "missing")) == 3  # nearest ancestor
    assert loc.data["b"][0]["y"] == "2024-01-01T10:00:00+00:00"


def test_syntax_errors_name_the_line() -> None:
    with pytest.raises(ValueError, match=r"case\.yaml:\d+: not valid YAML"):
        load_text("a: 1\nb: [\n", "case.yaml")


def test_text_and_markdown_list_items_with_reasons_and_sources() -> None:
    d = decide(load_case_file(EXAMPLE))
    text = render_decision(d)
    md = render_decision(d, markdown=True)
    assert "CRIMES TO RECORD" in text
    assert "105A Assault without injury" in text
    assert text.count("Source:") >= len(d.crimes[0].reasons)
    assert md.startswith("# Decision for case example-c01")
    assert "## Crimes to record" in md
    assert "<https://" in md


def test_a_copy_read_is_shown_after_the_official_publication_in_every_format() -> None:
    from counting_rules._explain.render import render_sections
    from counting_rules._explain.sections import sections

    d = decide(load_case_file(EXAMPLE))
    assert "read at" not in render_decision(d)  # no reason of this case was read in a copy
    copy = "https://copies.example.org/hocr.pdf"
    crime = d.crimes[0]
    first = crime.reasons[0]
    cited = first.citation.model_copy(update={"read_at": copy})
    reasons = (first.model_copy(update={"citation": cited}), *crime.reasons[1:])
    d = d.model_copy(update={"crimes": (crime.model_copy(update={"reasons": reasons}),)})
    official = f"<{cited.url}>, read at <{copy}>"
    assert official in render_decision(d)
    assert official in render_decision(d, markdown=True)
    html = render_sections(sections(d), "html")
    assert f'<a href="{cited.url}">{cited.url}</a> · read at <a href="{copy}">{copy}</a>' in html
