"""Input limits: how large a case may be before it is refused with a typed error.

Every number here is a named constant so the owner can tune it in one place. Batch users
who need larger cases pass their own ``Limits`` to ``parse_case`` or ``load_case_file``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from counting_rules.errors import UsageError

__all__ = ["Limits"]

MAX_FILE_BYTES = 1024 * 1024  # a case file, or JSON text given to parse_case
MAX_DEPTH = 32  # nesting of mappings and lists; a case needs 4
MAX_ALLEGATIONS = 100  # one case: a few seconds and ~200 MB at worst (reliability.md)
MAX_VICTIMS = 50
MAX_OFFENDERS = 50  # in the case, and named on one allegation
MAX_EVIDENCE = 400
MAX_PROPOSALS = 200
MAX_RELATIONSHIPS = 100  # of one offender
MAX_HOSTILITY_STRANDS = 10  # there are five strands; repeats are refused later
MAX_OTHER_ITEMS = 400  # any other list
MAX_KEYS = 100  # in one mapping; an allegation has about 50 fields
MAX_STRING_CHARS = 2_000  # any string, free text included
MAX_KEY_CHARS = 64  # a mapping key (field names are short)
MAX_INT = 2**53  # the largest integer every JSON reader keeps exactly
CLOCK_SKEW_SECONDS = 300  # a report may be this far "in the future" (clocks differ)
DEEPEST = 200  # the deepest a caller may allow: the reader recurses once per level


@dataclass(frozen=True, slots=True)
class Limits:
    """Caps on one case. Each breach is a CaseFactsError naming the limit and the value."""

    file_bytes: int = MAX_FILE_BYTES
    depth: int = MAX_DEPTH
    allegations: int = MAX_ALLEGATIONS
    victims: int = MAX_VICTIMS
    offenders: int = MAX_OFFENDERS
    evidence: int = MAX_EVIDENCE
    proposals: int = MAX_PROPOSALS
    relationships: int = MAX_RELATIONSHIPS
    hostility_strands: int = MAX_HOSTILITY_STRANDS
    other_items: int = MAX_OTHER_ITEMS
    keys: int = MAX_KEYS
    string_chars: int = MAX_STRING_CHARS
    key_chars: int = MAX_KEY_CHARS
    int_magnitude: int = MAX_INT
    clock_skew_seconds: int = CLOCK_SKEW_SECONDS

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise UsageError(f"Limits.{f.name} must be a whole number, 0 or more")
        if not 1 <= self.depth <= DEEPEST:
            raise UsageError(f"Limits.depth must be from 1 to {DEEPEST}")

    def list_cap(self, key: str | int | None) -> tuple[str, int]:
        """The limit's name and value for a list held under ``key``."""
        name = _LIST_LIMITS.get(key, "other_items") if isinstance(key, str) else "other_items"
        return name, int(getattr(self, name))


# The list under each case key and the limit that caps it.
_LIST_LIMITS = {
    "allegations": "allegations",
    "victims": "victims",
    "offenders": "offenders",
    "evidence": "evidence",
    "proposals": "proposals",
    "relationships": "relationships",
    "hostility_perceived": "hostility_strands",
}
