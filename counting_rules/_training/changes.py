"""How a decision changed from one stage to the next: the items added, removed and changed.

Computed from the two decisions' one view (``_explain.sections``): items are matched on their
``key`` (what they are about: ``crime A1``, ``cancellation P1``), so a crime reclassified from
105A to 8N is one *changed* item (with what it was), not a removal and an addition. Used by
the printed sheets, the projector and the terminal walkthrough.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from counting_rules._explain.sections import Item, ReasonView, Section

__all__ = ["ItemChange", "decision_changes"]

ChangeKind = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class ItemChange:
    """One item of the decision that is new, gone or different; ``before`` is the item's
    text at the stage before (for a changed item)."""

    kind: ChangeKind
    heading: str
    text: str
    before: str | None = None
    reasons: tuple[ReasonView, ...] = ()


def _keyed(sections: Sequence[Section]) -> dict[str, tuple[str, Item]]:
    return {(it.key or it.text): (sec.heading, it) for sec in sections for it in sec.items}


def decision_changes(before: Sequence[Section], after: Sequence[Section]) -> list[ItemChange]:
    """The items of ``after`` that are new or different, then those of ``before`` now gone,
    each in the order of its decision."""
    old, new = _keyed(before), _keyed(after)
    out: list[ItemChange] = []
    for key, (heading, item) in new.items():
        if key not in old:
            out.append(ItemChange("added", heading, item.text, None, item.reasons))
        elif old[key][1].text != item.text:
            out.append(ItemChange("changed", heading, item.text, old[key][1].text, item.reasons))
    out += [
        ItemChange("removed", heading, item.text)
        for key, (heading, item) in old.items()
        if key not in new
    ]
    return out
