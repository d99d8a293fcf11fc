"""Read a case from a YAML or JSON file, reporting errors with the field and its line."""

from __future__ import annotations

from pathlib import Path

from ._decide import parse_case
from ._yaml import Located, load_text
from .case import CaseFacts
from .errors import CaseFactsError, CaseFileError


def read_mapping_file(p: Path, what: str, shape: str) -> Located:
    """Read a YAML or JSON file holding one mapping, with positions for error messages."""
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CaseFileError(f"{p}: no such file", fix=f"give the path of a {what}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CaseFileError(f"{p}: cannot read: {exc}") from None
    try:
        located = load_text(text, str(p))
    except ValueError as exc:
        raise CaseFileError(str(exc), fix="fix the YAML/JSON syntax") from None
    if not isinstance(located.data, dict):
        raise CaseFileError(f"{p}: {shape}")
    return located


def load_case_file(path: str | Path) -> CaseFacts:
    """Parse and validate one case file. Raises CaseFileError or CaseFactsError."""
    p = Path(path)
    located = read_mapping_file(
        p, ".yaml or .json case", "a case is a mapping with 'report' and 'allegations'"
    )
    try:
        return parse_case(located.data)
    except CaseFactsError as exc:
        parts: list[str | int] = [int(x) if x.isdigit() else x for x in exc.field.split(".") if x]
        line = located.line(parts)
        raise CaseFactsError(
            f"{p}:{line}: {exc.message}" if line else f"{p}: {exc.message}",
            field=exc.field,
            fix=exc.fix,
            line=line,
        ) from None
