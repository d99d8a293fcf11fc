"""The source register: every cited source id must be in it, wherever it is cited, and the
register must agree with itself; an error names the file, the line and the id."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from counting_rules import RuleSpecError, load_rulebook
from counting_rules._rulebook.loader import default_root
from tests.unit.test_loader import DATA_FILES, GOOD, write

SHIPPED = Path(str(default_root()))
CITED = GOOD.replace("  confidence: low", "  sources: [S1, S9]\n  confidence: low")


@pytest.fixture
def book_dir(tmp_path: Path) -> Path:
    """The shipped data files and register, with no rules."""
    root = tmp_path / "hocr"
    for rel in DATA_FILES:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SHIPPED / rel, root / rel)
    return root


def refused(root: Path) -> str:
    with pytest.raises(RuleSpecError) as err:
        load_rulebook(root)
    return str(err.value)


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_known_ids_load(book_dir: Path) -> None:
    write(book_dir, "test/good", CITED)
    assert load_rulebook(book_dir).rules["test/good"].citation.sources == ("S1", "S9")


def test_an_unknown_id_in_a_rule_citation_names_file_line_rule_and_id(book_dir: Path) -> None:
    write(book_dir, "test/bad", CITED.replace("[S1, S9]", "[S1, S9X]"))
    message = refused(book_dir)
    assert "test/bad.yaml:7: rule test/bad: cites source 'S9X'" in message
    assert "did you mean 'S9'" in message


def test_an_unknown_id_in_a_version_is_found(book_dir: Path) -> None:
    versioned = GOOD.replace('in_force: {from: "2018"}\n', "") + (
        "versions:\n"
        '  - {id: "2018", in_force: {from: "2018", until: "2021"}}\n'
        '  - id: "2021"\n'
        '    in_force: {from: "2021"}\n'
        "    citation:\n"
        "      document: Test\n"
        "      section: Test\n"
        "      url: https://example.org/test\n"
        "      sources: [R1, Q7]\n"
        "      confidence: low\n"
    )
    write(book_dir, "test/versioned", versioned)
    path = book_dir / "test/versioned.yaml"
    assert f"test/versioned.yaml:{line_of(path, '[R1, Q7]')}:" in refused(book_dir)


def test_an_unknown_id_in_a_table_citation_is_found(book_dir: Path) -> None:
    table = (
        "title: Test table\n"
        "description: A table used by the register tests.\n"
        "citation: {document: Test, section: Test, url: https://example.org/t, confidence: low}\n"
        'in_force: {from: "2018"}\n'
        "table:\n"
        "  when: [{match: allegation, as: a}]\n"
        "  inputs: [a.offence]\n"
        "  then: {finding: {subject: $a.aid, code: test_finding}}\n"
        "citations:\n"
        "  other:\n"
        "    {document: Other, section: Other, url: https://example.org/o, confidence: low,\n"
        "     sources: [S999]}\n"
        "rows:\n"
        "  - {id: assault, title: An assault row, a.offence: assault, citation: other}\n"
    )
    write(book_dir, "test/table", table)
    message = refused(book_dir)
    assert "test/table.yaml:12: rule test/table: cites source 'S999'" in message


def test_an_unknown_id_in_editions_yaml_is_found(book_dir: Path) -> None:
    path = book_dir / "editions.yaml"
    path.write_text(path.read_text().replace("sources: [S30]", "sources: [S30, S300]", 1))
    message = refused(book_dir)
    assert f"editions.yaml:{line_of(path, 'S300')}: cites source 'S300'" in message


def test_an_unknown_id_in_the_offence_catalogue_is_found(book_dir: Path) -> None:
    path = book_dir / "crime_types/offence_catalogue.yaml"
    text = path.read_text()
    first = re.search(r"sources: \[S42, S44\]", text)
    assert first is not None
    path.write_text(text[: first.start()] + "sources: [S42, S4A]" + text[first.end() :])
    message = refused(book_dir)
    assert f"offence_catalogue.yaml:{line_of(path, 'S4A')}: cites source 'S4A'" in message


def test_the_register_must_agree_with_the_official_hosts(book_dir: Path) -> None:
    path = book_dir / "sources.yaml"
    text = path.read_text()
    # S64 is a police and crime commissioner's page: on a .gov.uk host, but not GOV.UK
    at = text.index("  S64:")
    kind = text.index("    kind: secondary", at)
    path.write_text(text[:kind] + "    kind: official" + text[kind + len("    kind: secondary") :])
    line = text.count("\n", 0, kind) + 1
    message = refused(book_dir)
    said = f"sources.yaml:{line}: source S64 is official, but hampshire-pcc.gov.uk is not"
    assert said in message


def test_a_copy_must_name_an_official_source(book_dir: Path) -> None:
    path = book_dir / "sources.yaml"
    path.write_text(path.read_text().replace("    copy_of: P2", "    copy_of: S64", 1))
    message = refused(book_dir)
    assert f"sources.yaml:{line_of(path, 'copy_of: S64')}: source S82 is a copy of 'S64'" in message


def test_official_hosts_and_the_kinds_of_links() -> None:
    register = load_rulebook().sources
    assert register.is_official("https://www.gov.uk/government/publications/x")
    assert register.is_official("https://www.legislation.gov.uk/ukpga/1968/60/section/1")
    assert register.is_official("https://cy.ons.gov.uk/aboutus/x")  # a host under a domain
    assert not register.is_official("https://hampshire-pcc.gov.uk/victims-code")
    assert not register.is_official("https://notgov.uk/x")
    assert register.kind_of("https://docslib.org/doc/1/anything") == "aggregator"
    assert register.kind_of("https://www.yorkpress.co.uk/news/1") == "news"
    assert register.kind_of("https://www.met.police.uk/foi-ai/x") == "secondary"
    assert register.kind_of("https://unknown.example.org/") is None
