"""A hostile or broken rulebook folder is a RulebookError naming the file and line: never a
traceback, never a read outside the folder, never unbounded work (issue 8, item 14).

Each test copies the shipped rulebook and breaks one thing. The first rule the loader reads
is in ``crime_flags/``, and ``crime_flags/online`` (a rule with its own template) comes
soon after, so breaking it fails fast.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from jinja2 import TemplateError

import counting_rules
from counting_rules import RulebookError, RuleSpecError, RuleTemplateError, load_rulebook
from counting_rules._rulebook.cache import cache_dir
from counting_rules._rulebook.loader import MAX_FILE_BYTES, default_root
from counting_rules._rulebook.templates import (
    MAX_OUTPUT,
    TemplateLimitError,
    compile_template,
    environment,
    render,
)
from counting_rules.cli import main

SHIPPED = Path(str(default_root()))
RULE = "crime_flags/online"
TEMPLATE = f"{RULE}.md.j2"
MARKER = "MARKER-outside-the-rulebook-7f3a"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the shipped rulebook, loaded once to show it is good as copied."""
    dest = tmp_path_factory.mktemp("pristine") / "hocr"
    shutil.copytree(SHIPPED, dest)
    load_rulebook(dest)
    return dest


@pytest.fixture
def book(pristine: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "book" / "hocr"
    shutil.copytree(pristine, dest, symlinks=True)
    return dest


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file beside the rulebook folder, not in it, with a marker no message may show."""
    path = tmp_path / "outside.yaml"
    path.write_text(f"types: {{}}\n# {MARKER}\n")
    return path


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch, book: Path, outside: Path) -> list[Path]:
    """Every path opened through pathlib once the folder and the outside file are written,
    but for the package's own source and its compiled-rulebook cache (which the cache key
    and the cache read, whatever the rulebook says)."""
    paths: list[Path] = []
    real_open = Path.open
    own = [Path(counting_rules.__file__).parent.resolve()]
    if (folder := cache_dir()) is not None:
        own.append(folder.resolve())

    def spy(self: Path, *args: object, **kwargs: object) -> object:
        resolved = self.resolve()
        if not any(resolved.is_relative_to(p) for p in own):
            paths.append(resolved)
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", spy)
    return paths


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def refused(
    root: Path, kind: type[RulebookError], where: str, capsys: pytest.CaptureFixture[str]
) -> str:
    """Load ``root``: it must raise ``kind`` naming ``where``; and the CLI must exit 78 with
    one line, no traceback. Returns the message."""
    with pytest.raises(kind) as err:
        load_rulebook(root)
    message = str(err.value)
    assert message.startswith(where), message
    capsys.readouterr()
    assert main(["rulebooks", "--rulebook", str(root)]) == 78
    out, errtext = capsys.readouterr()
    assert out == ""
    assert errtext.startswith("counting-rules: error ["), errtext
    assert where in errtext
    assert "Traceback" not in errtext
    assert errtext.count("\n") == 1
    return message


def test_the_shipped_rulebook_still_loads_and_renders(pristine: Path) -> None:
    book = load_rulebook(pristine)
    assert book.rules
    assert book.templates
    assert environment().loader is None
    assert environment("html").loader is None


# ---------------------------------------------------------------- templates


@pytest.mark.parametrize(
    ("tag", "what"),
    [
        ("{% include 'x.md.j2' %}", "include"),
        ("{% import 'x.md.j2' as x %}", "import"),
        ("{% from 'x.md.j2' import y %}", "from"),
        ("{% extends 'x.md.j2' %}", "extends"),
        ("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", "macro"),
        ("{% call range(2) %}x{% endcall %}", "call"),
    ],
)
def test_a_template_that_would_read_files_or_recurse_is_refused_with_its_line(
    book: Path, tag: str, what: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = book / TEMPLATE
    path.write_text("Line one.\n" + tag + "\nLine three.\n")
    message = refused(book, RuleTemplateError, f"{TEMPLATE}:2:", capsys)
    assert f"{{% {what} %}}" in message


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("{% for i in range(10**6) %}x{% endfor %}", "range() of 1000000 items"),
        ("{% for i in range(1000) %}{{ a.aid }} is one allegation of many{% endfor %}", "longer"),
        ("{{ 'x' * 10**9 }}", "a value of 1000000000 items"),
        ("{{ 9 ** 99999 }}", "exponent"),
    ],
)
def test_a_template_that_would_work_without_bound_is_refused_with_its_line(
    book: Path, body: str, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (book / TEMPLATE).write_text("Allegation {{ a.aid }}.\n" + body + "\n")
    started = time.monotonic()
    message = refused(book, RuleTemplateError, f"{TEMPLATE}:2:", capsys)
    assert says in message
    assert time.monotonic() - started < 10


@pytest.mark.parametrize(
    ("source", "says"),
    [
        ("{% set f = a.aid.center %}{{ f(10**9) }}", "only range() may be called"),
        ("{{ a.aid.ljust(10**9) }}", "only range() may be called"),
        ("{{ lipsum(10**6) }}", "only range() may be called"),
        ("{{ '%999999999s' % a.aid }}", "formatting"),
        ("{{ a.aid ~ a.aid }}", "~"),
        ("{% for i in range(9) %}{% for j in range(9) %}{% endfor %}{% endfor %}", "loop inside"),
        ("{% for x in [1] recursive %}{{ loop([]) }}{% endfor %}", "recursive"),
        ("{% autoescape false %}{{ a.aid }}{% endautoescape %}", "autoescape"),
        ("{{ range(9) }}", "not collections"),
        ("{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}", "nests too deeply"),
    ],
)
def test_the_sandbox_refuses_what_an_explanation_does_not_need(source: str, says: str) -> None:
    with pytest.raises(TemplateLimitError) as err:
        render(compile_template(source), {"a": {"aid": "A1"}})
    assert says in str(err.value)


def test_the_sandbox_turns_python_errors_into_template_errors() -> None:
    with pytest.raises(TemplateError, match="ZeroDivisionError"):
        render(compile_template("{{ 1 / 0 }}"), {})
    text = render(compile_template("{{ 'x' * (MAX // 2) }}"), {"MAX": MAX_OUTPUT})
    assert len(text) == MAX_OUTPUT // 2  # within the bounds, values and output are as asked


def test_the_html_flavour_still_escapes_and_has_no_safe_filter() -> None:
    html = render(compile_template("{{ a.v }} {{ a.v | words }}", "html"), {"a": {"v": "<b>"}})
    assert html == "&lt;b&gt; &lt;b&gt;"
    with pytest.raises(TemplateError, match="safe"):
        compile_template("{{ a.v | safe }}", "html")


# ---------------------------------------------------------------- files


def test_a_non_utf8_template_is_a_rulebook_error_with_its_line(
    book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (book / TEMPLATE).write_bytes(b"Allegation {{ a.aid }}.\nLatin-1: caf\xe9\n")
    message = refused(book, RuleSpecError, f"{TEMPLATE}:2:", capsys)
    assert "not UTF-8" in message
    assert "0xe9" in message


def test_a_non_utf8_rule_file_is_a_rulebook_error_with_its_line(
    book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = book / f"{RULE}.yaml"
    lines = path.read_bytes().split(b"\n")
    path.write_bytes(b"\n".join([*lines[:3], b"# \xff\xfe", *lines[3:]]))
    refused(book, RuleSpecError, f"{RULE}.yaml:4:", capsys)


def test_a_file_over_the_size_cap_is_refused_unread(
    book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = book / f"{RULE}.yaml"
    path.write_bytes(path.read_bytes() + b"#" * MAX_FILE_BYTES + b"\n")
    message = refused(book, RuleSpecError, f"{RULE}.yaml:", capsys)
    assert "larger than" in message


# ---------------------------------------------------------------- paths


@pytest.mark.parametrize("style", ["absolute", "dotdot", "etc_passwd", "dotdot_etc_passwd"])
def test_editions_yaml_cannot_name_a_file_outside_the_folder(
    book: Path,
    outside: Path,
    style: str,
    opened: list[Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    target = {
        "absolute": str(outside),
        "dotdot": "../../outside.yaml",
        "etc_passwd": "/etc/passwd",
        "dotdot_etc_passwd": "../" * 30 + "etc/passwd",
    }[style]
    edit(book / "editions.yaml", "vocabulary: vocabulary.yaml", f"vocabulary: {target}")
    message = refused(book, RuleSpecError, "editions.yaml:5:", capsys)
    assert "inside the rulebook folder" in message
    for text in (message, *capsys.readouterr()):
        assert MARKER not in text
        assert "root:" not in text
    root = book.resolve()
    assert opened, "the spy saw the rulebook's own files opened"
    assert all(p.is_relative_to(root) for p in opened), opened


def test_a_table_named_through_a_symlink_out_of_the_folder_is_refused(
    book: Path, outside: Path, opened: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    os.symlink(outside, book / "vocab_link.yaml")
    edit(book / "editions.yaml", "vocabulary: vocabulary.yaml", "vocabulary: vocab_link.yaml")
    message = refused(book, RuleSpecError, "vocab_link.yaml:", capsys)
    assert "outside the rulebook folder" in message
    assert MARKER not in message
    assert all(p.is_relative_to(book.resolve()) for p in opened), opened


def test_a_symlink_out_of_the_folder_is_refused_even_if_nothing_names_it(
    book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.symlink("/etc/passwd", book / "crime_flags" / "passwd.yaml")
    refused(book, RuleSpecError, "crime_flags/passwd.yaml:", capsys)


def test_a_symlink_loop_is_a_rulebook_error_naming_it(
    book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.symlink("b.yaml", book / "crime_flags" / "a.yaml")
    os.symlink("a.yaml", book / "crime_flags" / "b.yaml")
    message = refused(book, RuleSpecError, "crime_flags/a.yaml:", capsys)
    assert "symlink loop" in message


def test_a_folder_symlink_back_up_the_tree_is_a_loop(
    book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.symlink("..", book / "crime_flags" / "up")
    message = refused(book, RuleSpecError, "crime_flags/up:", capsys)
    assert "symlink loop" in message


def test_a_dangling_symlink_is_a_rulebook_error_naming_it(
    book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.symlink("nowhere.yaml", book / "crime_flags" / "gone.yaml")
    refused(book, RuleSpecError, "crime_flags/gone.yaml:", capsys)


def test_a_symlink_inside_the_folder_is_followed(book: Path) -> None:
    (book / "texts").mkdir()
    (book / TEMPLATE).rename(book / "texts" / "family.txt")
    os.symlink("../texts/family.txt", book / TEMPLATE)
    assert load_rulebook(book).templates[RULE].startswith("Flag the crime")


def test_a_second_path_to_a_folder_is_refused(
    book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.symlink("../victims_code", book / "crime_flags" / "again")
    message = refused(book, RuleSpecError, "crime_flags/again:", capsys)
    assert "second path" in message


def test_check_never_reads_outside_the_folder_either(
    book: Path, outside: Path, opened: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    edit(
        book / "editions.yaml",
        "offence_catalogue: crime_types/offence_catalogue.yaml",
        f"offence_catalogue: {outside}",
    )
    code = main(["check", "--quiet", str(book)])
    out, err = capsys.readouterr()
    assert code == 1
    assert "editions.yaml:7: [load]" in out
    assert "inside the rulebook folder" in out
    assert MARKER not in out + err
    assert "Traceback" not in err
    assert all(p.is_relative_to(book.resolve()) for p in opened), opened


def test_check_on_a_folder_with_a_symlink_loop_exits_78(
    book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.symlink("..", book / "crime_flags" / "up")
    assert main(["check", "--quiet", str(book)]) == 78
    err = capsys.readouterr().err
    assert "crime_flags/up" in err
    assert "symlink loop" in err
    assert "Traceback" not in err


# ---------------------------------------------------------------- YAML


@pytest.mark.parametrize(
    ("extra", "line", "says"),
    [
        ("note: !!python/object:os.system x\n", 1, "tag"),
        ("note: !!binary aGk=\n", 1, "tag"),
        ("note: !custom x\n", 1, "tag"),
        ("a: &a [*a]\n", 1, "refers to itself"),
        ("note: &n x\nagain: *n\nagain: *n\n", 3, "duplicate key"),
        ("deep: " + "[" * 5000 + "]" * 5000 + "\n", 1, "nested more than"),
        ("".join("  " * i + "k:\n" for i in range(70)) + " " * 140 + "v\n", 65, "nested more"),
    ],
)
def test_yaml_features_a_rulebook_does_not_need_are_refused_with_the_line(
    book: Path, extra: str, line: int, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = book / f"{RULE}.yaml"
    path.write_text(extra + path.read_text(encoding="utf-8"), encoding="utf-8")
    message = refused(book, RuleSpecError, f"{RULE}.yaml:{line}:", capsys)
    assert says in message


def test_a_yaml_directive_is_refused(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = book / f"{RULE}.yaml"
    path.write_text("%YAML 1.1\n---\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    message = refused(book, RuleSpecError, f"{RULE}.yaml:", capsys)
    assert "directive" in message


def test_a_few_aliases_that_expand_too_far_are_refused(
    book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    levels = ["b0: &b0 [" + ", ".join(["x"] * 1000) + "]"]
    levels += [f"b{i}: &b{i} [{', '.join([f'*b{i - 1}'] * 5)}]" for i in range(1, 5)]
    path = book / "vocabulary.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n".join(levels) + "\n")
    message = refused(book, RuleSpecError, "vocabulary.yaml:", capsys)
    assert "expands to more than" in message


def test_an_alias_bomb_is_refused_quickly(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    path = book / "vocabulary.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n".join(levels) + "\n")
    started = time.monotonic()
    message = refused(book, RuleSpecError, "vocabulary.yaml:", capsys)
    assert "aliases" in message or "alias bomb" in message
    assert time.monotonic() - started < 5
