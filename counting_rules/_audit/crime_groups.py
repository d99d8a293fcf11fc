"""The crime group of a Home Office code, read from the rulebook's offence catalogue
(rulebooks/hocr/crime_types/offence_catalogue.yaml): its ``group``, and for sexual offences
its ``subgroup`` (rape)."""

from __future__ import annotations

from counting_rules._audit.finding import CrimeGroup
from counting_rules._rulebook.ir import Rulebook

__all__ = ["crime_group"]

_GROUPS: dict[str, CrimeGroup] = {
    "violence_against_the_person": "violence",
    "sexual_offences": "sexual_offences",
    "robbery": "robbery",
}


def crime_group(book: Rulebook, code: str | None) -> CrimeGroup | None:
    """Violence, rape, other sexual offences, robbery or other; None for no code, or a code
    the catalogue does not hold (a force may record one that does not exist)."""
    if code is None:
        return None
    row = book.tables["offence_catalogue"].rows.get(code)
    if row is None:
        return None
    group = _GROUPS.get(str(row["group"]), "other")
    if group == "sexual_offences" and row.get("subgroup") == "rape":
        return "rape"
    return group
