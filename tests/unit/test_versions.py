"""Dated versions inside one rule file: one rule per version, periods that follow on."""

from __future__ import annotations

from pathlib import Path

import pytest

from counting_rules import RuleSpecError, RuleTemplateError, load_rulebook
from tests.unit.test_loader import rulebook, write

__all__ = ["rulebook"]  # the fixture, shared with the loader tests

SHARED = """\
when:
  - {match: allegation, as: a, where: {offence: assault}}
then:
  finding: {subject: $a.aid, code: checked}
"""


def version(vid: str, in_force: str, explanation: str | None = None) -> str:
    text = (
        f'  - id: "{vid}"\n'
        f"    title: Version {vid}\n"
        f"    description: The {vid} version.\n"
        f'    citation: {{document: Doc {vid}, section: s{vid}, url: "https://example.org/{vid}",'
        " confidence: low}\n"
        f"    in_force: {in_force}\n"
    )
    if explanation is not None:
        text += f"    explanation: '{explanation}'\n"
    return text


def versioned(*versions: str) -> str:
    return "versions:\n" + "".join(versions) + SHARED


def test_each_version_is_a_rule_in_force_in_its_own_editions(rulebook: Path) -> None:
    write(
        rulebook,
        "test/v",
        versioned(
            version("2018", '{from: "2018", until: "2023"}', "Old {{ a.aid }}."),
            version("2023", '{from: "2023"}', "New {{ a.aid }}."),
        ),
        template=None,
    )
    book = load_rulebook(rulebook)
    old, new = book.rules["test/v/2018"], book.rules["test/v/2023"]
    assert (old.citation.document, new.citation.document) == ("Doc 2018", "Doc 2023")
    assert (old.in_force_from, old.in_force_until, new.in_force_from) == ("2018", "2023", "2023")
    in_force = {e.id: {r.id for r in e.rules} for e in book.editions}
    assert in_force["2021"] == {"test/v/2018"}
    assert in_force["2023"] == {"test/v/2023"}
    assert book.templates["test/v/2023"] == "New {{ a.aid }}."


def test_versions_without_their_own_explanation_share_the_file_template(rulebook: Path) -> None:
    write(
        rulebook,
        "test/v",
        versioned(
            version("2018", '{from: "2018", until: "2023"}'), version("2023", '{from: "2023"}')
        ),
    )
    book = load_rulebook(rulebook)
    assert book.templates["test/v/2018"] == book.templates["test/v/2023"]


def test_overlapping_versions_are_refused_at_the_later_versions_line(rulebook: Path) -> None:
    write(
        rulebook,
        "test/v",
        versioned(version("2018", '{from: "2018"}'), version("2023", '{from: "2023"}')),
    )
    with pytest.raises(RuleSpecError) as err:
        load_rulebook(rulebook)
    assert "version '2023' starts before the version above it ends" in str(err.value)
    assert err.value.line == 11  # the second version's in_force


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("versions:\n" + version("2018", '{from: "2018"}') + SHARED, "two or more versions"),
        (
            versioned(
                version("2018", '{from: "2018", until: "2023"}'), version("2018", '{from: "2023"}')
            ),
            "version id '2018' repeats",
        ),
        (
            versioned(
                version("2018", '{from: "2018", until: "2023"}'),
                '  - {id: "2023", title: Later}\n',
            ),
            "version '2023' needs its own 'in_force'",
        ),
        (
            versioned(
                version("2018", '{from: "2018", until: "2023"}'), version("Bad", '{from: "2023"}')
            ),
            "needs an 'id' of lower-case letters",
        ),
    ],
)
def test_malformed_versions_are_refused_with_the_problem(
    rulebook: Path, text: str, problem: str
) -> None:
    write(rulebook, "test/v", text)
    with pytest.raises(RuleSpecError, match=problem):
        load_rulebook(rulebook)


def test_an_error_inside_a_version_points_at_its_line(rulebook: Path) -> None:
    text = versioned(
        version("2018", '{from: "2018", until: "2023"}'),
        version("2023", '{from: "2031"}'),
    )
    write(rulebook, "test/v", text)
    with pytest.raises(RuleSpecError) as err:
        load_rulebook(rulebook)
    assert "unknown edition '2031'" in str(err.value)
    assert err.value.line == 11
    assert "use one of ['2014'" in str(err.value)


def test_a_version_template_is_checked_like_any_template(rulebook: Path) -> None:
    text = versioned(
        version("2018", '{from: "2018", until: "2023"}', "{{ a.nonsense }}"),
        version("2023", '{from: "2023"}', "Fine {{ a.aid }}."),
    )
    write(rulebook, "test/v", text, template=None)
    with pytest.raises(RuleTemplateError):
        load_rulebook(rulebook)
