"""Read a case from a YAML or JSON file, reporting errors with the field and its line."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from counting_rules._case.parse import parse_case
from counting_rules._case.yaml12 import YamlRefused, load_case_yaml
from counting_rules._common.field_paths import steps
from counting_rules._common.limits import Limits
from counting_rules._common.yaml_lines import Located, load_text
from counting_rules.case import CaseFacts
from counting_rules.errors import CaseFactsError, CaseFileError


def read_text(p: Path, what: str, limit: int) -> str:
    """The file's UTF-8 text, reading at most ``limit`` bytes (``/dev/zero`` is endless)."""
    try:
        with p.open("rb") as f:
            return _decoded(f, str(p), limit)
    except FileNotFoundError:
        raise CaseFileError(f"{p}: no such file", fix=f"give the path of a {what}") from None
    except OSError as exc:
        raise CaseFileError(f"{p}: cannot read: {exc.strerror or type(exc).__name__}") from None


def _decoded(stream: IO[bytes], name: str, limit: int) -> str:
    """The stream's UTF-8 text, reading at most ``limit`` bytes and one more to tell."""
    raw = stream.read(limit + 1)
    if len(raw) > limit:
        raise CaseFileError(
            f"{name}: larger than the limit of {limit} bytes (Limits.file_bytes)",
            fix="split the case, or pass a larger Limits(file_bytes=...)",
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise CaseFileError(
            f"{name}:{line}: not UTF-8 text (byte {exc.start})",
            fix="save the file as UTF-8",
            line=line,
        ) from None


def read_mapping_file(p: Path, what: str, shape: str) -> Located:
    """Read a YAML or JSON file holding one mapping, with positions for error messages."""
    text = read_text(p, what, Limits().file_bytes)
    try:
        located = load_text(text, str(p))
    except ValueError as exc:
        raise CaseFileError(str(exc), fix="fix the YAML/JSON syntax") from None
    if not isinstance(located.data, dict):
        raise CaseFileError(f"{p}: {shape}")
    return located


def load_case_file(path: str | Path, *, limits: Limits | None = None) -> CaseFacts:
    """Read and validate one case file, YAML or JSON (public as ``counting_rules.load_case``).

    The file is read as YAML 1.2 (JSON is YAML) with no tags, anchors or directives, within
    ``limits`` (default :class:`Limits`). Raises CaseFileError when the file is missing,
    unreadable, too large or not YAML/JSON, and CaseFactsError naming every invalid field
    with its line."""
    p = Path(path)
    limits = limits or Limits()
    text = read_text(p, ".yaml or .json case", limits.file_bytes)
    return case_from_text(text, str(p), limits=limits)


STDIN = "<stdin>"  # how messages name a case read from standard input


def load_case_stream(stream: IO[bytes], *, limits: Limits | None = None) -> CaseFacts:
    """Read and validate a case from a byte stream (standard input) as a file is read:
    the same YAML/JSON rules, the same limits, messages led by ``<stdin>``."""
    limits = limits or Limits()
    try:
        text = _decoded(stream, STDIN, limits.file_bytes)
    except OSError as exc:
        raise CaseFileError(f"{STDIN}: cannot read: {exc.strerror or type(exc).__name__}") from None
    if not text.strip():  # else "a case is a mapping", which hides that nothing came
        raise CaseFileError(
            f"{STDIN}: no case on standard input (it was empty)",
            fix="pipe or redirect a YAML or JSON case into it, e.g. `< case.yaml`",
        )
    return case_from_text(text, STDIN, limits=limits)


def case_from_text(text: str, name: str | None, *, limits: Limits | None = None) -> CaseFacts:
    """Parse and validate a case's YAML or JSON text; ``name`` (a file) leads each message,
    and each error carries its line. Raises CaseFileError or CaseFactsError."""
    limits = limits or Limits()
    try:
        located = load_case_yaml(text, limits)
    except YamlRefused as exc:
        where = ":".join(str(x) for x in (name, exc.line) if x)
        lead = f"{where}: " if where else ""
        if exc.path is None:  # not YAML at all: the text cannot be parsed
            raise CaseFileError(f"{lead}{exc.problem}", fix=exc.fix, line=exc.line) from None
        # Valid YAML this format refuses: an invalid case, at its field.
        raise CaseFactsError(
            f"{lead}{exc.path}: {exc.problem}", field=exc.path, fix=exc.fix, line=exc.line
        ) from None
    if not isinstance(located.data, dict):
        shape = "a case is a mapping with 'report' and 'allegations'"
        raise CaseFileError(f"{name or '(case)'}: {shape}")
    try:
        return parse_case(located.data, limits=limits)
    except CaseFactsError as exc:
        raise CaseFactsError.collect([_at_line(e, name, located) for e in exc.errors]) from None


def _at_line(exc: CaseFactsError, name: str | None, located: Located) -> CaseFactsError:
    line = located.line(steps(exc.field, located.data))
    if name is None:
        return CaseFactsError(exc.message, field=exc.field, fix=exc.fix, line=line)
    return CaseFactsError(
        f"{name}:{line}: {exc.message}" if line else f"{name}: {exc.message}",
        field=exc.field,
        fix=exc.fix,
        line=line,
    )
