"""YAML positions, and the text and Markdown renderings of a decision."""

from __future__ import annotations

from pathlib import Path

import pytest

from counting_rules._case.files import load_case_file
from counting_rules._common.yaml_lines import load_text
from counting_rules._engine.decide import decide
from counting_rules._explain.render import render_decision
from counting_rules.decision import Decision

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

    full = decide(load_case_file(EXAMPLE))
    crime = full.crimes[0]
    first = crime.reasons[0]
    others = ("incidents", "n100s", "transfers", "cancellations", "victim_duties", "findings")

    def only(read_at: str | None) -> Decision:
        cited = first.citation.model_copy(update={"read_at": read_at})
        reason = first.model_copy(update={"citation": cited})
        one = crime.model_copy(update={"reasons": (reason,), "absorbed": ()})
        return full.model_copy(update={"crimes": (one,), **dict.fromkeys(others, ())})

    copy = "https://copies.example.org/hocr.pdf"
    assert "read at" not in render_decision(only(None))
    shown = f"<{first.citation.url}>, read at <{copy}>"
    assert f"{shown}\n" in render_decision(only(copy))  # the line ends there
    assert f"{shown}\n" in render_decision(only(copy), markdown=True)
    html = render_sections(sections(only(copy)), "html")
    url = first.citation.url
    assert f'<a href="{url}">{url}</a> · read at <a href="{copy}">{copy}</a>' in html
