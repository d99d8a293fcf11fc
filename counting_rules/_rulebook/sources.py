"""The source register (``sources.yaml``): every document a citation names by id, and the
hosts of the official publishers, declared once. Every ``sources:`` id anywhere in the
rulebook must be in it, checked as each file loads; whether a link is an official
publication is read from it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from counting_rules._common.yaml_lines import Located
from counting_rules._rulebook.file_format import SourceKind, SourcesFile, SourceSpec
from counting_rules._rulebook.resolve import did_you_mean
from counting_rules.errors import RuleSpecError

_WORST_FIRST: tuple[SourceKind, ...] = ("news", "aggregator", "secondary", "official")
Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Register:
    """The register as loaded: its sources by id and the official publishers' hosts."""

    sources: Mapping[str, SourceSpec]
    official_hosts: tuple[str, ...]  # as declared: ".domain" takes in every host under it

    def is_official(self, url: str) -> bool:
        """Is ``url`` on an official publisher's host?"""
        host = urlparse(url).hostname or ""
        return any(
            host == h or (h.startswith(".") and (host == h[1:] or host.endswith(h)))
            for h in self.official_hosts
        )

    def kind_of(self, url: str) -> SourceKind | None:
        """What a link is: official by its host; else the kind of the source at that address;
        else the worst kind of the sources on its host (a site that hosts copies and news is
        taken for one); None for a host the register does not know."""
        if self.is_official(url):
            return "official"
        exact = [s.kind for s in self.sources.values() if s.url == url]
        host = urlparse(url).hostname
        kinds = exact or [
            s.kind for s in self.sources.values() if s.url and urlparse(s.url).hostname == host
        ]
        return next((k for k in _WORST_FIRST if k in kinds), None)


def build_register(spec: SourcesFile, loc: Located, file: str) -> Register:
    """The register, once its entries agree with themselves: an official source is on an
    official publisher's host and only an official one is; a copy names an official source."""
    register = Register(spec.sources, tuple(h for p in spec.official_publishers for h in p.hosts))
    for sid, src in spec.sources.items():
        if src.url is not None and register.is_official(src.url) != (src.kind == "official"):
            host = urlparse(src.url).hostname
            said = "is not" if src.kind == "official" else "is"
            raise RuleSpecError(
                f"source {sid} is {src.kind}, but {host} {said} an official publisher's host",
                file=file,
                line=loc.line(("sources", sid, "kind")),
                fix="correct its kind, or its publisher's hosts under official_publishers",
            )
        if src.copy_of is not None and spec.sources.get(src.copy_of, src).kind != "official":
            raise RuleSpecError(
                f"source {sid} is a copy of {src.copy_of!r}, which is not an official source "
                "of the register",
                file=file,
                line=loc.line(("sources", sid, "copy_of")),
                fix=did_you_mean(src.copy_of, spec.sources) or "name an official source's id",
            )
    return register


def _cited(data: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    """Every id under a ``sources`` key of a file's data, with its path."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "sources" and isinstance(value, list):
                yield from (((*path, key, i), sid) for i, sid in enumerate(value))
            else:
                yield from _cited(value, (*path, key))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from _cited(item, (*path, i))


def check_cited(loc: Located, file: str, register: Register, rule_id: str = "") -> None:
    """Every ``sources:`` id in the file (a citation's, an edition's, a catalogue entry's) is
    in the register; the first that is not is an error naming its file and line."""
    for path, sid in _cited(loc.data):
        if sid not in register.sources:
            raise RuleSpecError(
                f"cites source {sid!r}, which the source register does not have",
                file=file,
                line=loc.line(path),
                rule_id=rule_id,
                fix=did_you_mean(str(sid), register.sources) or "add it to sources.yaml",
            )


__all__ = ["Register", "build_register", "check_cited"]
