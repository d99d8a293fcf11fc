"""Read a case from a YAML or JSON file, reporting errors with the field and its line."""

from __future__ import annotations

from pathlib import Path

from ._decide import parse_case
from ._yaml import load_text
from .case import CaseFacts
from .errors import CaseFactsError, CaseFileError


def load_case_file(path: str | Path) -> CaseFacts:
    """Parse and validate one case file. Raises CaseFileError or CaseFactsError."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CaseFileError(
            f"{p}: no such file", fix="give the path of a .yaml or .json case"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CaseFileError(f"{p}: cannot read: {exc}") from None
    try:
        located = load_text(text, str(p))
    except ValueError as exc:
        raise CaseFileError(str(exc), fix="fix the YAML/JSON syntax") from None
    if not isinstance(located.data, dict):
        raise CaseFileError(f"{p}: a case is a mapping with 'report' and 'allegations'")
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
