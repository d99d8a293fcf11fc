"""Every stored case is decided as it was when it was stored (tests/regression/stored.py).

The store holds every per-rule test case, worked example and scenario stage, and over 5,000
generated cases, unaimed and aimed at each rule of each edition. A change that is not meant to
change a decision (a rule family made a table, the package laid out anew) must leave all of
them as they were; one that is meant to re-records the store and says why in its commit.
"""

from __future__ import annotations

import json
from typing import Any

from tests.regression.stored import decide_stored, read


def _first_difference(old: Any, new: Any, where: str = "") -> str:
    if isinstance(old, dict) and isinstance(new, dict):
        for k in sorted(old.keys() | new.keys()):
            if old.get(k) != new.get(k):
                return _first_difference(old.get(k), new.get(k), f"{where}.{k}")
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            if a != b:
                return _first_difference(a, b, f"{where}[{i}]")
    return f"{where or 'decision'}: was {json.dumps(old)}, now {json.dumps(new)}"


def test_every_stored_decision_is_unchanged() -> None:
    entries = list(read())
    generated = sum(e["name"].startswith(("generated/", "aimed/")) for e in entries)
    assert generated >= 5_000, f"the store has only {generated} generated cases"
    changed = []
    for entry in entries:
        now = decide_stored(entry)
        if now != entry["outcome"]:
            changed.append(f"{entry['name']}: {_first_difference(entry['outcome'], now)}")
    assert not changed, f"{len(changed)} of {len(entries)} decisions changed:\n" + "\n".join(
        changed[:20]
    )
