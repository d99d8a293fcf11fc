"""``counting-rules new rule AREA/NAME`` and ``new edition YYYY``: the files a change needs,
valid from the start, with a ``TODO(maintainer)`` placeholder wherever only the maintainer
knows what goes (``check`` lists each one, with its file and line, until it is filled in).

A new rule gets its rule file and explanation template in the rulebook, a test file with a
case that fires it and one that does not (``tests/rulebooks``), and a scenario that teaches
it; a new April edition gets its entry in ``editions.yaml`` and a scenario that uses it. The
stubs work as written (the rule concludes an advisory finding on an assault), so the suite
passes on them while ``check`` lists what to fill in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from counting_rules._maintain.suite import PLACEHOLDER, Layout
from counting_rules._rulebook.loader import load_rulebook
from counting_rules._rulebook.resolve import did_you_mean
from counting_rules.errors import UsageError

__all__ = ["new_edition", "new_rule"]

TODO = PLACEHOLDER
_RULE_ID = re.compile(r"[a-z][a-z0-9_]*(/[a-z][a-z0-9_]*)+")
_URL = "https://www.gov.uk/government/publications/counting-rules-for-recorded-crime"
_REPORT = '{{id: r1, received_at: "{year}-06-03T10:00:00+01:00", reporter: {{kind: victim}}, recording_force: kent}}'  # noqa: E501
_VICTIM = "[{id: V1, age: 30, sex: female, confirmed: true}]"
_ASSAULT = (
    "[{id: A1, offence: assault, injury: none, victim: V1, occurred_in_force: kent, "
    "force_on_person: true, online: false}]"
)


@dataclass(frozen=True)
class Written:
    path: Path
    what: str


def _write(path: Path, text: str, what: str) -> Written:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as out:  # never over a file that exists
        out.write(text)
    return Written(path, what)


def _layout(rulebook: Path) -> Layout:
    layout = Layout.around(rulebook)
    if layout is None:
        raise UsageError(
            f"{rulebook}: not a rulebook of a checkout (PROJECT/rulebooks/NAME beside "
            "PROJECT/tests/rulebooks)",
            fix="run it from a checkout, or give --rulebook PROJECT/rulebooks/NAME",
        )
    return layout


def new_rule(rulebook: Path, rule_id: str) -> list[Written]:
    """Scaffold rule ``rule_id`` (``AREA/NAME``, AREA a folder of the rulebook)."""
    layout = _layout(rulebook)
    book = load_rulebook(layout.rulebook)
    if not _RULE_ID.fullmatch(rule_id):
        raise UsageError(
            f"rule id {rule_id!r} is not AREA/NAME in lower case with underscores",
            fix="for example general_rules/ncrs/my_new_rule",
        )
    area, name = rule_id.rsplit("/", 1)
    if not (layout.rulebook / area).is_dir():
        folders = sorted(
            str(p.relative_to(layout.rulebook)) for p in layout.rulebook.rglob("*") if p.is_dir()
        )
        raise UsageError(
            f"{area!r} is not a folder of rulebook {book.name}",
            fix=did_you_mean(area, folders) or "see `counting-rules rulebooks --format markdown`",
        )
    rule_file = layout.rulebook / f"{rule_id}.yaml"
    if rule_id in book.rules or rule_file.exists():
        raise UsageError(f"rule {rule_id} exists already", fix="choose another NAME")
    latest = book.editions[-1]
    year = latest.in_force_from.year
    topics = area.split("/")[1].replace("_", " ") if "/" in area else area.replace("_", " ")
    return [
        _write(rule_file, _rule(name, latest.id), "the rule"),
        _write(
            layout.rulebook / f"{rule_id}.md.j2",
            f"{TODO}: why the rule applies to allegation {{{{ a.aid }}}}, "
            "in a sentence or two a call handler can act on.\n",
            "its explanation template",
        ),
        _write(layout.rule_tests / f"{rule_id}.yaml", _tests(rule_id, year), "its test cases"),
        _write(
            layout.scenarios / book.name / f"{rule_id}.yaml",
            _scenario(rule_id, name, latest.id, year, topics),
            "a scenario that teaches it",
        ),
    ]


def _rule(name: str, edition: str) -> str:
    return f"""\
# Scaffolded by `counting-rules new rule`: `counting-rules check` lists each placeholder left.
title: "{TODO}: the rule in a line"
description: "{TODO}: what the rule decides, and when, in a sentence."
citation:
  document: "{TODO}: the document, as its title page names it"
  section: "{TODO}: the section"
  url: "{_URL}"
  confidence: low
in_force: {{from: "{edition}"}}
when:
  - match: allegation
    as: a
    where:
      offence: assault  # {TODO}: the facts that make the rule apply
then:
  finding:  # {TODO}: what the rule concludes (docs/reference/rule-format.md)
    subject: $a.aid
    code: {name}
    severity: advisory
"""


def _tests(rule_id: str, year: int) -> str:
    report = _REPORT.format(year=year)
    return f"""\
rule: {rule_id}
cases:
  - name: "{TODO}: a case where the rule fires"
    fires: true
    case:
      report: {report}
      victims: {_VICTIM}
      allegations: {_ASSAULT}
  - name: "{TODO}: a case where it does not fire"
    fires: false
    case:
      report: {report}
      offenders: [{{id: O1, age: 19}}]
      allegations: [{{id: A1, offence: possession_of_bladed_article, offenders: [O1], online: false, bladed_article_in_public: true}}]
"""  # noqa: E501


def _scenario(rule_id: str, name: str, edition: str, year: int, topics: str) -> str:
    return f"""\
title: "{TODO}: the scenario's title"
audience: [call handlers]
topics: [{topics}]
objectives:
  - "{TODO}: what a trainee learns from it."
teaches:
  - {rule_id}
edition: "{edition}"
source: "{TODO}: the worked example or inspection finding it comes from."
stages:
  - title: "{TODO}: the stage's title"
    narrative: "{TODO}: what was reported, as the call handler hears it."
    facts:
      report: {_REPORT.format(year=year)}
      victims: {_VICTIM}
      allegations: {_ASSAULT}
    question: "{TODO}: the question for the trainee"
    answer:
      includes:
        findings: [{{subject: A1, code: {name}}}]
    teaching_points:
      - text: "{TODO}: the point to teach, as the rule's source says it."
        rules: [{rule_id}]
        source: R1  # {TODO}: the source register id (rulebooks/hocr/sources.yaml)
        url: {_URL}
"""


def new_edition(rulebook: Path, year: int) -> list[Written]:
    """Scaffold the April ``year`` edition: its ``editions.yaml`` entry and a scenario."""
    layout = _layout(rulebook)
    book = load_rulebook(layout.rulebook)
    latest = book.editions[-1]
    if year <= latest.in_force_from.year:
        raise UsageError(
            f"edition {year} is not after the latest, {latest.id} (in force from "
            f"{latest.in_force_from})",
            fix=f"give a year after {latest.in_force_from.year}",
        )
    editions = layout.rulebook / "editions.yaml"
    text = editions.read_text("utf-8")
    entry = f"""\
  - id: "{year}"
    title: HOCR April {year}
    in_force_from: "{year}-04-01"
    summary: >-
      {TODO}: what changed from edition {latest.id}, in two sentences.
    confidence: low
"""
    if not text.rstrip().endswith(("confidence: high", "confidence: medium", "confidence: low")):
        raise UsageError(
            f"{editions}: its editions list is not the end of the file",
            fix="add the entry by hand (docs/how-to/add-an-edition.md)",
        )
    scenario = layout.scenarios / book.name / "general_rules" / "ncrs" / f"edition_{year}.yaml"
    written = [
        _write(
            scenario,
            _edition_scenario(year, latest.in_force_from.year),
            "a scenario that uses it",
        )
    ]
    editions.write_text(text.rstrip("\n") + "\n" + entry, "utf-8")
    return [Written(editions, f"edition {year} added"), *written]


def _edition_scenario(year: int, reported: int) -> str:
    # Reported in the latest edition's year (a case may not be dated in the future), decided
    # under the new edition by the scenario's own edition.
    return f"""\
title: "{TODO}: a scenario on what edition {year} changed"
audience: [call handlers]
topics: [ncrs]
objectives:
  - "{TODO}: what a trainee learns about edition {year}."
teaches:
  - general_rules/ncrs/record_when_test_met  # {TODO}: the rules edition {year} changed
edition: "{year}"
source: "{TODO}: where edition {year}'s change is published."
stages:
  - title: "{TODO}: the stage's title"
    narrative: "{TODO}: what was reported."
    facts:
      report: {_REPORT.format(year=reported)}
      victims: {_VICTIM}
      allegations: {_ASSAULT}
    question: Is a crime recorded?
    answer:
      expect:
        crimes: [{{allegation_id: A1, victim_id: V1}}]
    teaching_points:
      - text: "{TODO}: what edition {year} changed, as its text says it."
        rules: [general_rules/ncrs/record_when_test_met]
        source: R1  # {TODO}: the source register id of edition {year}
        url: {_URL}
"""
