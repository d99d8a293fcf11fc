"""The shipped rulebook's stored witnesses: for each edition and rule, a case that fires it.

``check`` and the differential tests try these before a search (see
``counting_rules._maintain.witness_store``); test_witnesses.py fails when one is missing or no
longer fires its rule. Write the file afresh after a rule change with::

    counting-rules check --witnesses tests/regression/witnesses.json.gz --save-witnesses
"""

from __future__ import annotations

from pathlib import Path

STORE = Path(__file__).with_name("witnesses.json.gz")
RECORD = f"counting-rules check --witnesses {STORE.relative_to(Path(__file__).parents[2])} "
RECORD += "--save-witnesses"
