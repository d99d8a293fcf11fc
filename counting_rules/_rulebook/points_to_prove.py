"""The points to prove of each offence kind, read from the rulebook's table (where they are
written once): for the converter's report and for generating accounts in property tests."""

from __future__ import annotations

from counting_rules._rulebook.ir import Rulebook

POINTS_TABLE = "general_rules/ncrs/points_to_prove.yaml"
_NOT_POINTS = frozenset({"offence", "aid", "vid"})


def points_to_prove(book: Rulebook) -> dict[str, frozenset[str]]:
    """The allegation fields the points-to-prove table tests, by offence kind."""
    out: dict[str, set[str]] = {}
    for rule in book.rules.values():
        if rule.file != POINTS_TABLE:
            continue
        conds = [cd for p in rule.patterns if p.type == "allegation" for cd in p.conds]
        for cd in conds:
            if cd.field == "offence" and cd.op == "eq":
                out.setdefault(str(cd.value), set()).update(
                    c.field for c in conds if c.field not in _NOT_POINTS
                )
    return {k: frozenset(v) for k, v in out.items()}


__all__ = ["POINTS_TABLE", "points_to_prove"]
