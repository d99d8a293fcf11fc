"""Write an audit's reports (HTML, Markdown, JSON) from its summary and findings."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from counting_rules._audit.report.exceptions import Findings
from counting_rules._audit.report.html import render_html
from counting_rules._audit.report.json_doc import render_json
from counting_rules._audit.report.markdown import render_markdown
from counting_rules._audit.report.view import MAX_EXCEPTIONS, View, view
from counting_rules._audit.summary import AuditSummary
from counting_rules.errors import UsageError, WriteError

__all__ = ["FORMATS", "write_reports"]

FORMATS: Mapping[str, tuple[str, Callable[[View], str]]] = {
    "html": ("report.html", render_html),
    "md": ("report.md", render_markdown),
    "json": ("report.json", render_json),
}


def write_reports(
    summary: AuditSummary,
    findings: Findings,
    out_dir: str | Path,
    formats: Iterable[str] = ("html", "md", "json"),
    *,
    title: str = "Crime data integrity audit",
    population: int | None = None,
    recorded_per_year: int | None = None,
    stratum_sizes: Mapping[str, int] | None = None,
    confidence: float = 0.95,
    max_exceptions: int = MAX_EXCEPTIONS,
) -> dict[str, Path]:
    """Write ``report.html``, ``report.md`` and ``report.json`` (those in ``formats``) to
    ``out_dir`` and return their paths by format.

    ``findings``: the ``findings.jsonl`` the audit wrote, or the ``(record id,
    AuditFinding)`` pairs; read once, the first ``max_exceptions`` shown. The
    other options are ``AuditSummary.statistics``'s. Each file is written whole or not at all.
    """
    chosen = list(dict.fromkeys(formats))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise UsageError(
            f"report format {unknown[0]!r} is not one of html, md, json"
            if unknown
            else "no report format given",
            fix="choose from html, md, json",
        )
    v = view(
        summary,
        findings,
        title=title,
        population=population,
        recorded_per_year=recorded_per_year,
        stratum_sizes=stratum_sizes,
        confidence=confidence,
        max_exceptions=max_exceptions,
    )
    folder = Path(out_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise WriteError(
            f"{folder}: cannot create the report folder ({e.strerror})",
            fix="choose a folder you can write to",
        ) from None
    written: dict[str, Path] = {}
    for fmt in chosen:
        name, render = FORMATS[fmt]
        written[fmt] = _write(folder / name, render(v))
    return written


def _write(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` through a temporary file, so a reader never sees half."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o644)  # as the audit's other outputs: the report holds no personal data
        os.replace(tmp, path)
    except OSError as e:
        raise WriteError(
            f"{path}: cannot write the report ({e.strerror})", fix="check the folder and disk"
        ) from None
    return path
