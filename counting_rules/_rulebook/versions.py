"""Dated versions inside one rule file: each version a rule of its own.

A rule (or table) file may list ``versions:``. Each version names an ``id`` and its
``in_force``, and replaces any top-level keys it gives (a citation, a title, the patterns); the
rest of the file is shared. Version ``v`` of file ``f`` is the rule ``f/v`` (a table's rows,
``f/v/<row>``), so a reason names the version that applied. The versions' periods must follow
one another without overlapping, so exactly one is in force in any edition. A plain rule's
version may give its own ``explanation`` (a template), else the versions share ``<file>.md.j2``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, NamedTuple

from counting_rules._common.yaml_lines import Located

VERSIONS = "versions"
_ID = re.compile(r"^[a-z0-9][a-z0-9_]{0,31}$")


class VersionError(ValueError):
    """A malformed ``versions`` list; ``path`` locates the problem in the file."""

    def __init__(self, message: str, path: tuple[str | int, ...], fix: str | None = None):
        super().__init__(message)
        self.message, self.path, self.fix = message, path, fix


class Document(NamedTuple):
    """One rule (or table) document of a file: its id, data with lines, its own template."""

    id: str
    loc: Located
    explanation: str | None = None
    line: int | None = None  # where the version starts; None for an unversioned file


def documents(file_id: str, loc: Located, edition_ids: Sequence[str]) -> list[Document]:
    """The file as one document, or one per version, in file order."""
    data = loc.data
    if not (isinstance(data, dict) and VERSIONS in data):
        return [Document(file_id, loc)]
    versions = data[VERSIONS]
    if not isinstance(versions, list) or len(versions) < 2:
        raise VersionError("'versions' must list two or more versions", (VERSIONS,))
    base = {k: v for k, v in data.items() if k != VERSIONS}
    out: list[Document] = []
    previous_until: int | None = None
    for i, version in enumerate(versions):
        here: tuple[str | int, ...] = (VERSIONS, i)
        if not isinstance(version, dict):
            raise VersionError(f"version {i + 1} must be a mapping", here)
        vid = version.get("id")
        if not isinstance(vid, str) or not _ID.match(vid):
            raise VersionError(
                f"version {i + 1} needs an 'id' of lower-case letters, digits and '_'",
                (*here, "id"),
                'name it for the edition it starts in, e.g. id: "2023"',
            )
        if any(d.id.endswith("/" + vid) for d in out):
            raise VersionError(f"version id {vid!r} repeats", (*here, "id"))
        if "in_force" not in version:
            raise VersionError(f"version {vid!r} needs its own 'in_force'", here)
        start, end = _period(version["in_force"], edition_ids, (*here, "in_force"))
        if i > 0 and (previous_until is None or start < previous_until):
            raise VersionError(
                f"version {vid!r} starts before the version above it ends",
                (*here, "in_force"),
                "give the earlier version an 'until' no later than this one's 'from'",
            )
        previous_until = end
        own = {k: v for k, v in version.items() if k not in ("id", "explanation")}
        merged = {**base, **own}
        explanation = version.get("explanation")
        if explanation is not None and ("table" in merged or not isinstance(explanation, str)):
            raise VersionError(
                f"version {vid!r}: 'explanation' is a template for a plain rule's version",
                (*here, "explanation"),
                "in a table, give each row its explanation",
            )
        doc = Document(f"{file_id}/{vid}", _moved(loc, i, own), explanation, loc.line(here))
        out.append(doc)
    return out


def _period(
    value: Any, edition_ids: Sequence[str], path: tuple[str | int, ...]
) -> tuple[int, int | None]:
    """A version's in_force as edition indexes."""
    if not isinstance(value, dict):
        raise VersionError("'in_force' must be a mapping of from and until", path)

    def index(key: str) -> int | None:
        edition = value.get(key)
        if edition is None:
            return None
        if str(edition) not in edition_ids:
            raise VersionError(
                f"in_force names unknown edition {edition!r}",
                (*path, key),
                f"use one of {list(edition_ids)}",
            )
        return edition_ids.index(str(edition))

    start = index("from")
    return (start if start is not None else -1), index("until")


def _moved(loc: Located, i: int, own: dict[str, Any]) -> Located:
    """The merged document, its keys' lines taken from the version where it gives them."""
    lines = {p: n for p, n in loc.lines.items() if not p or p[0] not in (VERSIONS, *own)}
    for path, n in loc.lines.items():
        if len(path) > 2 and path[0] == VERSIONS and path[1] == i and path[2] in own:
            lines[path[2:]] = n
    merged = {k: v for k, v in loc.data.items() if k != VERSIONS}
    merged.update(own)
    return Located(merged, lines)
